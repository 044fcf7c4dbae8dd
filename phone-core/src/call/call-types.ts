/**
 * The vocabulary of a call leg (F3, F8, F9, F11): its states, outcome and direction, the inputs the
 * {@link CallMachine} accepts (agent commands and SIP signals), the results and events of a transition, and the
 * snapshot every other part of phone-core reads. Types only (plus the list of input types): the state is owned by
 * the machine in `call-machine.ts`, which holds the diagram and the one guarded transition and re-exports all of
 * this.
 */
import type { CallData } from './call-data';

/** State of one call leg; the transitions are the diagram and guard of `CallMachine` (call-machine.ts). */
export enum CallState {
    /** Created, nothing happened yet. */
    Idle = 'Idle',
    /** Inbound INVITE offered to the agent (may carry `answering` once the agent pressed answer). */
    Ringing = 'Ringing',
    /** Outbound INVITE sent, no provisional response yet. */
    Dialing = 'Dialing',
    /** Outbound: 180 Ringing / 183 Session Progress received (ringback or early media). */
    Progress = 'Progress',
    /** Established; media flows (a pending hold re-INVITE may be in flight). */
    Connected = 'Connected',
    /** Held by us (our hold re-INVITE was accepted). */
    OnHold = 'OnHold',
    /** A REFER (blind or attended) is in progress. */
    Transferring = 'Transferring',
    /** Terminal. See {@link CallSnapshot.outcome}. */
    Ended = 'Ended'
}

/** How a call ended (set when the state becomes {@link CallState.Ended}). */
export enum CallOutcome {
    /** The call was connected (also when later transferred or dropped). */
    Answered = 'Answered',
    /** Inbound, never answered: ring timeout or the caller gave up. */
    Missed = 'Missed',
    /** Inbound, the agent rejected it (486 Busy Here); outbound, the callee declined (603). */
    Rejected = 'Rejected',
    /** Outbound, the callee was busy (486/600). */
    Busy = 'Busy',
    /** Signalling or media set-up failed before the call was connected. */
    Failed = 'Failed',
    /** Outbound cancelled by the agent before answer (CANCEL / 487); inbound completed elsewhere. */
    Cancelled = 'Cancelled',
    /** Outbound not answered in time (local timeout, 408, 480). */
    NoAnswer = 'NoAnswer'
}

/** Direction of a call, set by the first input (`offered` or `dial`). */
export enum CallDirection {
    Inbound = 'Inbound',
    Outbound = 'Outbound'
}

/** `consultation` is the second leg of an attended transfer, linked to its primary. */
export type CallRole = 'primary' | 'consultation';

/** The other party as the phone shows it. Values must already be cleaned (see `parseDisplayName`). */
export interface RemoteParty {
    /** Number or SIP user as received/dialled (normalisation happens elsewhere). */
    number: string;
    displayName?: string;
}

/** A SIP failure: the status code and reason phrase of a final non-2xx response, when known. */
export interface SipFailure {
    code?: number;
    reason?: string;
}

/** Transfer attempt (the last one) of a call. */
export interface TransferInfo {
    kind: 'blind' | 'attended';
    /** Blind: the Refer-To target; attended: the consultation call id (or the target given). */
    target: string;
    status: 'requested' | 'completed' | 'failed';
    requestedAt: number;
    failure?: SipFailure;
}

/** Three-way conference mixed locally: the call ids taking part (this leg first). */
export interface ConferenceInfo {
    active: boolean;
    legs: string[];
}

// ---------------------------------------------------------------------------------------------
// Inputs: commands (from the agent, through the adapter) and signals (from SIP, through the adapter)
// ---------------------------------------------------------------------------------------------

/** Commands: what the agent (or the host) asks for. The adapter performs the SIP action after `ok`. */
export type CallCommand =
    | { type: 'dial'; remote: RemoteParty; callData?: CallData; originRecordId?: string }
    | { type: 'answer' }
    /** Reject a ringing call; the adapter must send 486 Busy Here (sip.js `reject()` defaults to 480). */
    | { type: 'reject' }
    | { type: 'hangup' }
    | { type: 'hold' }
    | { type: 'resume' }
    | { type: 'mute' }
    | { type: 'unmute' }
    /** Digits 0-9 * # A-D (case-insensitive), 1..64 per command. */
    | { type: 'dtmf'; digits: string }
    /** Blind transfer (REFER) to `target`. */
    | { type: 'transfer'; target: string }
    /** On the primary, after it is on hold: links the consultation leg `consultCallId`. */
    | { type: 'consultStart'; consultCallId: string }
    /** Attended transfer (REFER with Replaces) of the primary to the consultation leg. */
    | { type: 'completeTransfer'; target?: string }
    /** Drop the consultation and go back to the held caller (sets a pending resume). */
    | { type: 'returnToCaller' }
    | { type: 'conferenceStart'; withCallId: string }
    | { type: 'conferenceEnd' };

/** Signals: what the SIP stack reports. */
export type CallSignal =
    | { type: 'offered'; remote: RemoteParty; callData?: CallData }
    /** 180/183; `earlyMedia` true when remote media already flows (183 with SDP). */
    | { type: 'progress'; earlyMedia: boolean; callData?: CallData }
    /** 2xx (outbound) or our accept() completed (inbound). */
    | { type: 'accepted'; remote?: Partial<RemoteParty>; callData?: CallData }
    | { type: 'failed'; code?: number; reason?: string }
    /** No answer in time: inbound -> Missed, outbound -> NoAnswer. */
    | { type: 'ringTimeout' }
    /** CANCEL from the caller; `completedElsewhere` (Reason: SIP;cause=200) gives Cancelled, not Missed. */
    | { type: 'callerCancel'; completedElsewhere?: boolean }
    | { type: 'remoteBye' }
    | { type: 'holdConfirmed' }
    | { type: 'holdFailed'; code?: number; reason?: string }
    | { type: 'resumeConfirmed' }
    | { type: 'resumeFailed'; code?: number; reason?: string }
    /** The remote side put us on hold (`held: true`) or took us off hold. */
    | { type: 'remoteHold'; held: boolean }
    | { type: 'transferSucceeded' }
    | { type: 'transferFailed'; code?: number; reason?: string }
    /** On the primary: the consultation leg ended. */
    | { type: 'consultEnded' };

/** Anything {@link CallMachine.send} accepts. */
export type CallInput = CallCommand | CallSignal;
/** The `type` of a {@link CallInput}. */
export type CallInputType = CallInput['type'];

/** Every input type, in a stable order (table tests, UI button enabling). */
export const CALL_INPUT_TYPES: readonly CallInputType[] = [
    'offered',
    'dial',
    'answer',
    'reject',
    'ringTimeout',
    'callerCancel',
    'progress',
    'accepted',
    'failed',
    'hangup',
    'remoteBye',
    'hold',
    'holdConfirmed',
    'holdFailed',
    'resume',
    'resumeConfirmed',
    'resumeFailed',
    'remoteHold',
    'mute',
    'unmute',
    'dtmf',
    'transfer',
    'transferSucceeded',
    'transferFailed',
    'consultStart',
    'consultEnded',
    'completeTransfer',
    'returnToCaller',
    'conferenceStart',
    'conferenceEnd'
];

/** Why an input was rejected. */
export type CallRejectionCode = 'illegal-transition' | 'invalid-argument';

/** Result of {@link CallMachine.send}. Never thrown: check `ok`. */
export type CallTransitionResult =
    | { ok: true; from: CallState; to: CallState; input: CallInput }
    | { ok: false; from: CallState; input: CallInput; code: CallRejectionCode; message: string };

/** Emitted after every accepted input. */
export interface CallTransition {
    from: CallState;
    to: CallState;
    input: CallInput;
    snapshot: CallSnapshot;
}

/** Emitted for every rejected input. */
export interface CallRejection {
    state: CallState;
    input: CallInput;
    code: CallRejectionCode;
    message: string;
}

/** Who or what ended the call. */
export type CallEndedBy = 'local' | 'remote' | 'timeout' | 'failure' | 'transfer';

/**
 * Plain, JSON-serialisable picture of a call: mirrored to other tabs and written to the call log.
 * Durations are computed at the moment of the snapshot (an ongoing call counts up to `now`).
 */
export interface CallSnapshot {
    id: string;
    /** The contact centre's interaction id (Task.CallObject); generated when the call carried none. */
    interactionId: string | undefined;
    role: CallRole;
    direction: CallDirection | undefined;
    state: CallState;
    outcome: CallOutcome | undefined;
    endedBy: CallEndedBy | undefined;
    remote: RemoteParty;
    callData: CallData | undefined;
    /** Outbound: the record the call was dialled from (F9). */
    originRecordId: string | undefined;
    /** `offered` / `dial` time (epoch ms). */
    startedAt: number | undefined;
    /** Connected time. */
    answeredAt: number | undefined;
    endedAt: number | undefined;
    /** From start to answer (or to the end when never answered). */
    ringDurationMs: number;
    /** From answer to end (hold time included). 0 when never answered. */
    talkDurationMs: number;
    /** Total time on (local) hold. */
    holdDurationMs: number;
    /** The agent pressed answer; waiting for the SIP accept to complete. */
    answering: boolean;
    /** Outbound: early media (183 with SDP) is playing. */
    earlyMedia: boolean;
    muted: boolean;
    /** Our hold was negotiated (state OnHold, or Transferring from OnHold). */
    onHold: boolean;
    /** The remote side holds us. */
    remoteHold: boolean;
    /** A hold/resume re-INVITE is in flight. */
    holdPending: 'hold' | 'resume' | undefined;
    /** Every DTMF digit sent, in order (capped at {@link MAX_DTMF_LOG} characters). */
    dtmfSent: string;
    transfer: TransferInfo | undefined;
    /** Transfer target of the last transfer (shortcut of `transfer.target`). */
    transferTarget: string | undefined;
    /** The last SIP failure seen (call failure, hold failure, transfer failure). */
    sipFailure: SipFailure | undefined;
    /** Primary: its consultation leg; consultation leg: its primary. */
    linkedCallId: string | undefined;
    /** Primary: a consultation leg is currently up. */
    consultActive: boolean;
    conference: ConferenceInfo | undefined;
    /**
     * Media of an established call (set by the SIP adapter, see sip/media-watch.ts): `recovering` while an ICE
     * restart is tried, `lost` when audio did not come back (the agent is told and can end the call).
     */
    mediaHealth?: MediaHealth;
    /** Why media was judged lost (with `mediaHealth` recovering / lost). */
    mediaLossReason?: MediaLossReason;
    /**
     * The SIP Call-ID of the session behind the call (the adapter adds it; the machine knows no SIP). The call
     * log carries it so a call logged under a generated interaction id meets the contact centre's record of
     * the same leg (issue 11 finding 9).
     */
    sipCallId?: string;
}

/** Media health of an established call, as the agent sees it. */
export type MediaHealth = 'ok' | 'recovering' | 'lost';

/** Why media was judged lost. */
export type MediaLossReason = 'ice-failed' | 'ice-disconnected' | 'media-rejected' | 'no-inbound-audio';
