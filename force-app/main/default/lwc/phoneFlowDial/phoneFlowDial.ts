import { LightningElement, api, wire } from 'lwc';
import { APPLICATION_SCOPE, MessageContext, publish, subscribe, unsubscribe } from 'lightning/messageService';
import PUBLIC_CHANNEL from '@salesforce/messageChannel/PhonePublic__c';
import CALL from '@salesforce/label/c.Phone_Dial_Call';
import SENT from '@salesforce/label/c.PhoneFlow_Sent';

/**
 * Screen Flow component "Phone: Call a Number" (F19): publishes a `dial` command on the public channel, like
 * any org component would (docs/PUBLIC-API.md), and shows the phone's answer to its request id. It trusts
 * nothing itself: the phone validates the number and refuses while the agent's state forbids a call.
 */
export default class PhoneFlowDial extends LightningElement {
    /** The number, in any format. */
    @api phoneNumber = '';
    /** Optional record the call's Task is related to. */
    @api recordId = '';
    /** Dial when the screen shows. */
    @api autoDial = false;

    @wire(MessageContext)
    messageContext: unknown;

    feedback = '';
    failed = false;
    isSending = false;

    private subscription: unknown = null;
    private requestId = '';

    readonly callLabel = CALL;

    get feedbackClass(): string {
        return this.failed ? 'slds-text-color_error slds-m-top_x-small' : 'slds-m-top_x-small';
    }

    override connectedCallback(): void {
        this.subscription = subscribe(
            this.messageContext,
            PUBLIC_CHANNEL,
            (message: unknown) => this.handleAnswer(message),
            { scope: APPLICATION_SCOPE }
        );
        if (this.autoDial) this.handleDial();
    }

    override disconnectedCallback(): void {
        if (this.subscription) unsubscribe(this.subscription);
        this.subscription = null;
    }

    handleDial(): void {
        this.requestId = `flow-dial-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
        this.isSending = true;
        this.failed = false;
        this.feedback = '';
        const message: Record<string, unknown> = {
            version: 1,
            kind: 'command',
            command: 'dial',
            requestId: this.requestId,
            number: this.phoneNumber ?? ''
        };
        if (this.recordId) message.recordId = this.recordId;
        publish(this.messageContext, PUBLIC_CHANNEL, message);
    }

    private handleAnswer(message: unknown): void {
        const data = (message ?? {}) as Record<string, unknown>;
        if (data.kind !== 'event' || !this.requestId || data.requestId !== this.requestId) return;
        if (data.event !== 'accepted' && data.event !== 'error') return;
        this.isSending = false;
        this.failed = data.event === 'error';
        this.feedback = this.failed ? String(data.message ?? data.errorCode ?? '') : SENT;
    }
}
