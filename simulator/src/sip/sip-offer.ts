/**
 * One ACD offer on the SIP side and what it carries: its state machine ({@link OfferState}, one guarded
 * transition), the X-CC-* headers the agent's INVITE gets, and how a SIP final response maps to the ACD's
 * offer result or outbound progress. No run-time state of its own.
 */
import type { OfferedCall, OutgoingProgress, AgentEndpoint, SignallingOfferResult } from '../acd/signalling';
import { headerSafe } from './sip-message';

/**
 * Life of one ACD offer on the SIP side (one guarded transition, {@link transitionOffer}):
 *
 * ```text
 *  Pending ──302 sent to Kamailio──► Delivered ──answered / target failed / ACD aborted──► Settled
 *     └──────────────── ACD aborted before delivery / shutdown ───────────────────────────────┘
 * ```
 */
export enum OfferState {
    /** Made by the ACD, waiting for the caller's INVITE to be parked here. */
    Pending = 'Pending',
    /** The 302 towards the agent went to Kamailio; the agent's phone rings. */
    Delivered = 'Delivered',
    /** The ACD has its result. */
    Settled = 'Settled'
}

const OFFER_TRANSITIONS: Record<OfferState, readonly OfferState[]> = {
    [OfferState.Pending]: [OfferState.Delivered, OfferState.Settled],
    [OfferState.Delivered]: [OfferState.Settled],
    [OfferState.Settled]: []
};

/** The one guarded transition of {@link OfferState}: false (and no change) when `to` is not allowed. */
export function transitionOffer(offer: { state: OfferState }, to: OfferState): boolean {
    if (!OFFER_TRANSITIONS[offer.state].includes(to)) return false;
    offer.state = to;
    return true;
}

/** An offer the ACD made; `resolve` tells the ACD how it ended. */
export interface Offer {
    agent: AgentEndpoint;
    call: OfferedCall;
    state: OfferState;
    resolve: (result: SignallingOfferResult) => void;
}

const OVERSIZE = 10 * 1024;

/** How a target's final response maps to an offer result. */
export function offerResultOf(status: number): SignallingOfferResult {
    if (status >= 200 && status < 300) return 'answered';
    if (status === 486 || status === 600 || status === 603 || status === 480) return 'rejected';
    if (status === 408) return 'timeout';
    if (status === 487) return 'cancelled';
    return 'failed';
}

/** How a customer's final response to an outbound call maps to the ACD's progress. */
export function outgoingProgressOf(status: number): OutgoingProgress {
    if (status >= 200 && status < 300) return 'answered';
    if (status === 486 || status === 600 || status === 603) return 'busy';
    if (status === 408 || status === 480 || status === 487) return 'no-answer';
    return 'failed';
}

/** The X-CC-* headers of an agent's INVITE for `call`, with a test fault applied. */
export function contactCentreHeaders(call: OfferedCall, fault?: string): [string, string][] {
    const headers: [string, string][] = [];
    const add = (name: string, value: string | number | null | undefined) => {
        if (value === null || value === undefined || value === '') return;
        headers.push([name, headerSafe(String(value))]);
    };
    if (fault === 'duplicate') {
        add('X-CC-Interaction-Id', call.interactionId);
        add('X-CC-Interaction-Id', `${call.interactionId}-duplicate`);
    } else if (fault !== 'missing') {
        add('X-CC-Interaction-Id', call.interactionId);
    }
    add('X-CC-Campaign-Id', call.campaignId);
    add(
        'X-CC-Campaign-Name',
        fault === 'oversize'
            ? `${call.campaignName ?? 'Campaign'} ${'x'.repeat(OVERSIZE)}`
            : call.campaignName
    );
    add('X-CC-Queue', call.queueName ?? call.queueId);
    add('X-CC-Ivr-Code', fault === 'oversize' ? '1'.repeat(OVERSIZE) : (call.ivrDigits ?? call.ivrCaseCode));
    add('X-CC-Wrap-Seconds', call.wrapSeconds);
    if (call.callback) {
        // a queued callback (acd/callback-queue.ts): the agent is rung first for an outbound call
        add('X-CC-Direction', 'outbound');
        add('X-CC-Callback-Id', call.callback.callbackId);
        add('X-CC-Callback-Attempt', call.callback.attempt);
        add('X-CC-Original-Interaction-Id', call.callback.originalInteractionId);
        add('X-CC-Related-Record-Id', call.callback.relatedRecordId);
        add('X-CC-Callback-Task-Id', call.callback.callbackTaskId);
        add('X-CC-Customer-Number', call.calleeNumber);
    }
    return headers;
}

/** Headers as a SIP header block (for `X-Sim-Headers`). */
export function headerBlock(headers: [string, string][]): string {
    return headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
}
