/**
 * The SIP calls the endpoint knows, by Call-ID and by interaction: each call's kind, dialog tags, the parked
 * INVITE, its pending and current offer, and whether it was answered, replaced (rejoin) or ended. Bounded:
 * calls that ended long ago are forgotten.
 */
import type { OfferedCall, SignallingOfferResult } from '../acd/signalling';
import type { ParkedInvite } from './parked-invites';
import type { Offer } from './sip-offer';

/** What a call is to the endpoint. */
export type CallKind = 'inbound' | 'outbound' | 'direct' | 'rejoin';

/** One SIP call (by the Call-ID of its INVITE) as the endpoint tracks it. */
export interface SipCall {
    kind: CallKind;
    callId: string;
    cseq: string;
    /** From tag of the INVITE that started the call (tells who sends a BYE). */
    callerTag: string;
    /** To tag of the 2xx that answered it (with `callerTag` and the Call-ID: the dialog a rejoin replaces). */
    answerTag: string;
    /** The SIP user of the customer's side (inbound: the caller; outbound: the callee). */
    customerUser: string | undefined;
    /** The SIP user of the agent's side, once known. */
    agentUser: string | undefined;
    /** A rejoin took this call's place: its dialog's BYE is the old leg going, not the call ending. */
    replaced: boolean;
    interactionId: string | null;
    parked: ParkedInvite | undefined;
    pendingOffer: Offer | undefined;
    currentOffer: Offer | undefined;
    /** The data of the latest offer (for X-CC headers of a transfer). */
    offered: OfferedCall | undefined;
    results: SignallingOfferResult[];
    answered: boolean;
    ended: boolean;
    /** Headers to put on a direct call's target leg. */
    directHeaders: [string, string][];
    /** A customer following a REFER: the interaction and the agent the transfer reached. */
    transfer?: { interactionId: string; agentId: string };
    /** Direct calls: the agent called (a consultation; the target of an attended transfer). */
    calleeAgentId?: string;
    headerFault: string | undefined;
    createdAt: number;
}

/** A call as its INVITE arrives: direct until the simulator knows more. */
export function newSipCall(callId: string, cseq: string, callerTag: string): SipCall {
    return {
        kind: 'direct',
        callId,
        cseq,
        callerTag,
        answerTag: '',
        customerUser: undefined,
        agentUser: undefined,
        replaced: false,
        interactionId: null,
        parked: undefined,
        pendingOffer: undefined,
        currentOffer: undefined,
        offered: undefined,
        results: [],
        answered: false,
        ended: false,
        directHeaders: [],
        headerFault: undefined,
        createdAt: Date.now()
    };
}

/** A call as the diagnostics show it. */
export interface SipCallSummary {
    callId: string;
    kind: CallKind;
    interactionId: string | null;
    parked: boolean;
    answered: boolean;
    ended: boolean;
}

/** See the module documentation. */
export class SipCalls {
    private readonly calls = new Map<string, SipCall>();
    private readonly byInteraction = new Map<string, SipCall>();

    /** A call by the Call-ID of its INVITE. */
    get(callId: string): SipCall | undefined {
        return this.calls.get(callId);
    }

    /** Whether a call with this Call-ID is known. */
    has(callId: string): boolean {
        return this.calls.has(callId);
    }

    /** Tracks a call by its Call-ID. */
    add(sipCall: SipCall): void {
        this.calls.set(sipCall.callId, sipCall);
    }

    /** The call that currently carries an interaction (a rejoin's leg takes over from the old one). */
    ofInteraction(interactionId: string): SipCall | undefined {
        return this.byInteraction.get(interactionId);
    }

    /** Makes `sipCall` the call of `interactionId`. */
    bind(interactionId: string, sipCall: SipCall): void {
        this.byInteraction.set(interactionId, sipCall);
    }

    /** Every known call. */
    all(): IterableIterator<SipCall> {
        return this.calls.values();
    }

    /** Calls the endpoint knows about (diagnostics). */
    snapshot(): SipCallSummary[] {
        return [...this.calls.values()].map((c) => ({
            callId: c.callId,
            kind: c.kind,
            interactionId: c.interactionId,
            parked: c.parked !== undefined,
            answered: c.answered,
            ended: c.ended
        }));
    }

    /** Drops calls that ended long ago. */
    forget(): void {
        if (this.calls.size < 500) return;
        const cutoff = Date.now() - 10 * 60_000;
        for (const [callId, sipCall] of this.calls) {
            if (sipCall.ended && sipCall.createdAt < cutoff) {
                this.calls.delete(callId);
                if (sipCall.interactionId) this.byInteraction.delete(sipCall.interactionId);
            }
        }
    }
}
