/**
 * The ACD's SIP-facing port. The ACD decides *who* gets a call and *when*; a {@link CallSignalling}
 * makes it ring and tells the ACD what happened. Today {@link InMemorySignalling} (driven by tests and
 * the `/_sim` control API) implements it; a Kamailio implementation can replace it without touching
 * the ACD:
 *
 * - a caller's INVITE reaching the contact centre -> {@link SignallingListener.incomingCall}
 *   (the returned interaction id goes into the agent leg's headers, see {@link OfferedCall});
 * - {@link CallSignalling.offerToAgent} -> fork the INVITE to the agent's registration; resolve with
 *   `answered` on 200 OK, `rejected` on 486/603, `failed` on other errors; on `signal` abort send
 *   CANCEL (the ACD aborts on its own ring timeout, on the caller's hang-up and when the agent leaves
 *   Ready);
 * - a BYE from either side -> {@link SignallingListener.hangup};
 * - an agent's outbound INVITE -> {@link SignallingListener.outgoingCall}, its final response ->
 *   {@link SignallingListener.outgoingProgress};
 * - {@link CallSignalling.hangup} -> the ACD ends the call (queue gave up): BYE/CANCEL the caller.
 *
 * The ACD owns the ring timeout (an injected clock), so an implementation needs no timers of its own;
 * `ringTimeoutMs` is passed for implementations that also want to tell the SIP side (e.g. Kamailio's
 * `fr_inv_timer`).
 */
import type { CallbackLink, OfferResult } from '../model';

/** Who is being rung. */
export interface AgentEndpoint {
    agentId: string;
    tenantId: string;
    /** The SIP user the agent registers as (see the WebRTC session's `sipUri`). */
    sipUser: string;
    extension: string | null;
    displayName: string;
}

/** What the agent's phone learns about a call (e.g. as `X-` headers of the INVITE). */
export interface OfferedCall {
    interactionId: string;
    tenantId: string;
    callerNumber: string | null;
    callerName: string | null;
    calleeNumber: string | null;
    campaignId: string | null;
    campaignName: string | null;
    queueId: string | null;
    queueName: string | null;
    wrapSeconds: number | null;
    ivrDigits: string | null;
    ivrCaseCode: string | null;
    /** Free IVR / voicebot data (key -> value). */
    ivrData: Record<string, string>;
    /**
     * A queued callback (callback-queue.ts): the agent is rung first for an outbound call to `calleeNumber`,
     * related to these records; null for every other call.
     */
    callback: CallbackLink | null;
}

/** How an offer ends, seen from the signalling side. */
export type SignallingOfferResult = Extract<
    OfferResult,
    'answered' | 'rejected' | 'timeout' | 'cancelled' | 'failed'
>;

/** Options of one offer. */
export interface OfferOptions {
    ringTimeoutMs: number;
    /** Aborted when the ACD gives up on the offer: stop ringing (SIP CANCEL). */
    signal: AbortSignal;
}

/** A caller reaching the contact centre. */
export interface IncomingCall {
    tenantId: string;
    callerNumber: string | null;
    callerName: string | null;
    calleeNumber: string | null;
    campaignId: string | null;
    queueId: string | null;
    ivr: { digits?: string | null; caseCode?: string | null; data?: Record<string, string> } | null;
    /** True: the call stays in the IVR until {@link SignallingListener.transferFromIvr}. */
    holdInIvr: boolean;
}

/** An agent dialling out (through the contact centre, so it is recorded like any call). */
export interface OutgoingCall {
    tenantId: string;
    agentId: string;
    calleeNumber: string;
    campaignId: string | null;
}

/** How an outbound call goes on: the callee answers, is busy, does not answer, or it fails. */
export type OutgoingProgress = 'answered' | 'busy' | 'no-answer' | 'failed';

/** Which side hung up. */
export type HangupParty = 'customer' | 'agent';

/** What the signalling side reports to the ACD. */
export interface SignallingListener {
    /** A caller arrived; returns the interaction id the ACD gave the call. Throws for bad input. */
    incomingCall(call: IncomingCall): string;
    /** The IVR hands the call over to the queue. */
    transferFromIvr(interactionId: string): void;
    /** One side hung up (customer: the caller of an inbound call or the callee of an outbound one). */
    hangup(interactionId: string, by: HangupParty): void;
    /** An agent dialled out; returns the interaction id. Throws when the agent cannot call. */
    outgoingCall(call: OutgoingCall): string;
    /** The callee of an outbound call answered, was busy, did not answer, or the call failed. */
    outgoingProgress(interactionId: string, progress: OutgoingProgress): void;
    /**
     * The customer, following a transfer (REFER), reached another agent, who answered: a new leg of the
     * interaction, with the Call-ID of that INVITE. Optional for listeners that do not keep legs.
     */
    transferLegAnswered?(interactionId: string, agentId: string, sipCallId: string): void;
    /** That leg ended (BYE from either side). */
    transferLegEnded?(interactionId: string, sipCallId: string): void;
}

/** The ACD's SIP-facing port; see the module documentation. */
export interface CallSignalling {
    /** Registers the ACD as the receiver of signalling events (one listener). */
    setListener(listener: SignallingListener): void;
    /** Rings an agent; resolves once with how the offer ended. */
    offerToAgent(
        agent: AgentEndpoint,
        call: OfferedCall,
        options: OfferOptions
    ): Promise<SignallingOfferResult>;
    /** The ACD ends a call itself (queue gave up, shutdown): tear down whatever legs exist. */
    hangup(interactionId: string, reason: 'system'): void;
    /** Releases resources (timers, sockets). */
    close(): void | Promise<void>;
    /**
     * A queued callback's agent answered: dial the customer (the call's `calleeNumber`) and bridge them; report
     * the customer's answer or failure with {@link SignallingListener.outgoingProgress}. Optional: without it
     * (the in-memory signalling) the test reports the progress itself.
     */
    dialCallbackCustomer?(interactionId: string): void;
    /**
     * The interaction of a SIP Call-ID (the customer's side knows only its Call-ID; it uploads its
     * recording under it). Optional: signalling without SIP has no Call-IDs.
     */
    interactionIdOfCallId?(callId: string): string | undefined;
    /**
     * Calls `listener` for every consultation or transfer leg of an interaction (Salesforce Voice keeps
     * one VoiceCall per leg). Optional: signalling without SIP has no legs outside the ACD.
     */
    onTransferLeg?(listener: (leg: TransferLeg) => void): void;
    /**
     * The SIP Call-ID of an interaction's INVITE to (or from) the agent (the call legs the push reports).
     * Optional: signalling without SIP has no Call-IDs.
     */
    sipCallIdOf?(interactionId: string): string | undefined;
}

/** A consultation or transfer leg of an interaction: another agent joins it outside the ACD. */
export interface TransferLeg {
    tenantId: string;
    /** The interaction the leg belongs to (its VoiceCall is the leg's parent). */
    parentInteractionId: string;
    /** The leg's own key (its VoiceCall's vendor call key). */
    legKey: string;
    /** consultation: an agent calls another one; transfer: the customer follows a REFER. */
    kind: 'consultation' | 'transfer';
    /** False when the call continues a leg that exists (an attended transfer completes its consultation). */
    newLeg: boolean;
    targetAgentId: string;
    /** The agent who consulted, when known. */
    fromAgentId: string | null;
}
