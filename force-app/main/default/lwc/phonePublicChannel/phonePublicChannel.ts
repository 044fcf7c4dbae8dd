import { LightningElement, api, wire } from 'lwc';
import { APPLICATION_SCOPE, MessageContext, publish, subscribe, unsubscribe } from 'lightning/messageService';
import PUBLIC_CHANNEL from '@salesforce/messageChannel/PhonePublic__c';
import type {
    PhoneCallEvent,
    PhoneCommand,
    PhoneNumberOptions,
    PhoneViewState,
    PublicErrorCode,
    PublicEventMessage,
    SessionResult
} from 'webphone-core';
import type * as WebphoneCoreModule from 'webphone-core';
import ERROR_UNSUPPORTED_VERSION from '@salesforce/label/c.PhonePublic_Error_UnsupportedVersion';
import ERROR_UNKNOWN_COMMAND from '@salesforce/label/c.PhonePublic_Error_UnknownCommand';
import ERROR_INVALID_NUMBER from '@salesforce/label/c.PhonePublic_Error_InvalidNumber';
import ERROR_INVALID_RECORD from '@salesforce/label/c.PhonePublic_Error_InvalidRecordId';
import ERROR_UNKNOWN_STATUS from '@salesforce/label/c.PhonePublic_Error_UnknownStatus';
import ERROR_UNKNOWN_PAUSE from '@salesforce/label/c.PhonePublic_Error_UnknownPauseReason';
import ERROR_NOT_READY from '@salesforce/label/c.PhonePublic_Error_PhoneNotReady';
import ERROR_NOT_ALLOWED from '@salesforce/label/c.PhonePublic_Error_NotAllowedNow';
import ERROR_NO_CALL from '@salesforce/label/c.PhonePublic_Error_NoCall';
import ERROR_FAILED from '@salesforce/label/c.PhonePublic_Error_CommandFailed';

/** The phone-core functions this host needs (from the `webphoneCore` static resource the phone loaded). */
export type PublicChannelCore = Pick<
    typeof WebphoneCoreModule,
    | 'isPublicCommandMessage'
    | 'readPublicCommand'
    | 'publicCommandOutcome'
    | 'publicCallEvent'
    | 'publicStatusEvent'
>;

/** Runs a command in the phone and says how it went. */
export type PublicCommandRunner = (command: PhoneCommand) => Promise<SessionResult>;

const ERROR_MESSAGES: Record<PublicErrorCode, string> = {
    'unsupported-version': ERROR_UNSUPPORTED_VERSION,
    'unknown-command': ERROR_UNKNOWN_COMMAND,
    'invalid-number': ERROR_INVALID_NUMBER,
    'invalid-record-id': ERROR_INVALID_RECORD,
    'unknown-status': ERROR_UNKNOWN_STATUS,
    'unknown-pause-reason': ERROR_UNKNOWN_PAUSE,
    'phone-not-ready': ERROR_NOT_READY,
    'not-allowed-now': ERROR_NOT_ALLOWED,
    'no-call': ERROR_NO_CALL,
    'command-failed': ERROR_FAILED
};

/**
 * The phone's side of the public `PhonePublic` message channel (F19, docs/PUBLIC-API.md): a thin host. Every
 * rule (reading a command, the state guards, the payloads) is phone-core's `public-api/public-channel`; this
 * component subscribes, publishes, and hands the command phone-core returned to the phone. Separate from
 * c/ctiBridge (the internal WebPhone channel of the Open CTI page) and from the tabs' own protocol.
 */
export default class PhonePublicChannel extends LightningElement {
    /** phone-core's public-channel functions. */
    @api core: PublicChannelCore | null = null;
    /** The org's numbering (a dialled number is read with it). */
    @api numberOptions: PhoneNumberOptions = { defaultCountry: '' };
    /** Runs a command in the phone. */
    @api runCommand: PublicCommandRunner | null = null;

    @wire(MessageContext)
    messageContext: unknown;

    private subscription: unknown = null;
    private state: PhoneViewState | null = null;

    /** The phone's view state: a `status` event is published when the agent status changes. */
    @api
    get viewState(): PhoneViewState | null {
        return this.state;
    }
    set viewState(value: PhoneViewState | null) {
        const previous = this.state?.agent.status;
        this.state = value;
        if (!value || !this.core || !this.subscription) return;
        const event = this.core.publicStatusEvent(previous, value.agent.status);
        if (event) this.send(event);
    }

    override connectedCallback(): void {
        if (this.subscription) return;
        this.subscription = subscribe(
            this.messageContext,
            PUBLIC_CHANNEL,
            (message: unknown) => {
                void this.handleMessage(message);
            },
            { scope: APPLICATION_SCOPE }
        );
    }

    override disconnectedCallback(): void {
        if (this.subscription) unsubscribe(this.subscription);
        this.subscription = null;
    }

    /** Publishes a call event (ringing, answered, ended, logged with the Task id). */
    @api
    publishCallEvent(event: PhoneCallEvent): void {
        if (this.core) this.send(this.core.publicCallEvent(event));
    }

    private async handleMessage(message: unknown): Promise<void> {
        const core = this.core;
        const state = this.state;
        if (!core || !core.isPublicCommandMessage(message)) return;
        const run = this.runCommand;
        const reading = core.readPublicCommand(
            message,
            state && run ? { state, numbers: this.numberOptions } : null
        );
        if (!reading.ok || !run) {
            if (!reading.ok) this.send(reading.refusal);
            return;
        }
        let result: SessionResult;
        try {
            result = await run(reading.command);
        } catch {
            result = { ok: false, error: 'unknown' };
        }
        this.send(core.publicCommandOutcome(reading, result));
    }

    private send(event: PublicEventMessage): void {
        const payload: Record<string, unknown> = { ...event, sentAt: Date.now() };
        if (event.errorCode) payload.message = ERROR_MESSAGES[event.errorCode];
        for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key];
        publish(this.messageContext, PUBLIC_CHANNEL, payload);
    }
}
