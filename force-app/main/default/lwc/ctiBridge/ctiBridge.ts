import { LightningElement, api, wire } from 'lwc';
import { APPLICATION_SCOPE, MessageContext, publish, subscribe, unsubscribe } from 'lightning/messageService';
import WEBPHONE_CHANNEL from '@salesforce/messageChannel/WebPhone__c';
import type { PauseReason, PhoneCallEvent, PhoneCommand } from 'webphone-core';
import { commandEvent, objectTypeOf } from 'c/phoneUtils';

/** What the phone tells the bridge page and the org's components about itself. */
export interface BridgePhoneState {
    /** The agent status (AgentStatus value). */
    agentStatus: string;
    /** The phone can dial now: Open CTI click-to-dial is enabled only then. */
    clickToDialEnabled: boolean;
}

/** The `source` of the messages this phone publishes (its own messages come back and are ignored). */
export const WEBPHONE_SOURCE = 'webPhone';

const MAX_NUMBER = 64;
const MAX_NAME = 255;
const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

/**
 * The phone's side of the WebPhone message channel (F9, F19, B3): the one place that speaks the channel's
 * protocol (see messageChannels/WebPhone). Incoming `dial` (Open CTI click-to-dial via the ccphoneOpenCti page,
 * or an org component) and `setStatus` messages become `phonecommand` events; `phoneStateRequest` is answered
 * with `phoneState`; call events are published for the org's components. No markup. A Service Cloud Voice
 * path can replace this bridge and the page without touching the rest of the phone.
 */
export default class CtiBridge extends LightningElement {
    /** Pause reasons (a `setStatus` message names one by id). */
    @api pauseReasons: PauseReason[] = [];

    @wire(MessageContext)
    messageContext: unknown;

    private subscription: unknown = null;
    private state: BridgePhoneState | null = null;

    /** The phone's status and whether it can dial; published on every change. */
    @api
    get phoneState(): BridgePhoneState | null {
        return this.state;
    }
    set phoneState(value: BridgePhoneState | null) {
        const changed =
            !!value &&
            (value.agentStatus !== this.state?.agentStatus ||
                value.clickToDialEnabled !== this.state?.clickToDialEnabled);
        this.state = value
            ? { agentStatus: value.agentStatus, clickToDialEnabled: value.clickToDialEnabled }
            : null;
        if (changed && this.subscription) this.publishState();
    }

    override connectedCallback(): void {
        if (!this.subscription) {
            this.subscription = subscribe(
                this.messageContext,
                WEBPHONE_CHANNEL,
                (message: unknown) => this.handleMessage(message),
                {
                    scope: APPLICATION_SCOPE
                }
            );
        }
        if (this.state) this.publishState();
    }

    override disconnectedCallback(): void {
        if (this.subscription) unsubscribe(this.subscription);
        this.subscription = null;
    }

    /** Publishes a call event (ringing, dialing, answered, ended, logged) on the channel. */
    @api
    publishCallEvent(event: PhoneCallEvent): void {
        this.send({
            type: 'callEvent',
            event: event.kind,
            interactionId: event.interactionId,
            direction: event.direction,
            number: event.number,
            recordId: event.recordId,
            outcome: event.outcome,
            taskId: event.taskId
        });
    }

    private handleMessage(message: unknown): void {
        if (!message || typeof message !== 'object') return;
        const data = message as Record<string, unknown>;
        if (data.source === WEBPHONE_SOURCE) return;
        switch (data.type) {
            case 'dial': {
                const command = dialCommand(data);
                if (command) this.dispatchEvent(commandEvent(command));
                break;
            }
            case 'setStatus': {
                const command = this.statusCommand(data);
                if (command) this.dispatchEvent(commandEvent(command));
                break;
            }
            case 'phoneStateRequest':
                this.publishState();
                break;
            default:
                break;
        }
    }

    private statusCommand(data: Record<string, unknown>): PhoneCommand | null {
        switch (data.status) {
            case 'Ready':
                return { type: 'setStatus', request: { status: 'Ready' } };
            case 'NotReady':
                return { type: 'setStatus', request: { status: 'NotReady' } };
            case 'Paused': {
                const reason = (this.pauseReasons ?? []).find(
                    (candidate) => candidate.id === data.pauseReasonId
                );
                return reason
                    ? {
                          type: 'setStatus',
                          request: { status: 'Paused', reason: { id: reason.id, label: reason.label } }
                      }
                    : null;
            }
            default:
                return null;
        }
    }

    private publishState(): void {
        if (!this.state) return;
        this.send({
            type: 'phoneState',
            status: this.state.agentStatus,
            clickToDialEnabled: this.state.clickToDialEnabled
        });
    }

    private send(message: Record<string, unknown>): void {
        const payload: Record<string, unknown> = { ...message, source: WEBPHONE_SOURCE, sentAt: Date.now() };
        for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key];
        publish(this.messageContext, WEBPHONE_CHANNEL, payload);
    }
}

/** A `dial` message as a session command; null when it carries no usable number. */
function dialCommand(data: Record<string, unknown>): PhoneCommand | null {
    const number = typeof data.number === 'string' ? data.number.trim().slice(0, MAX_NUMBER) : '';
    if (!number) return null;
    const recordId =
        typeof data.recordId === 'string' && RECORD_ID.test(data.recordId) ? data.recordId : undefined;
    if (!recordId) return { type: 'dial', number };
    const objectApiName =
        typeof data.objectApiName === 'string' && API_NAME.test(data.objectApiName)
            ? data.objectApiName
            : undefined;
    const name = typeof data.recordName === 'string' ? data.recordName.slice(0, MAX_NAME) : undefined;
    return {
        type: 'dial',
        number,
        context: { recordId, objectType: objectTypeOf(objectApiName, recordId), name }
    };
}
