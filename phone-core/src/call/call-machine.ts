/**
 * The state machine of ONE call leg (F3, F8, F9, F11).
 *
 * It performs no SIP itself: the sip.js adapter translates agent commands and SIP events into
 * {@link CallInput}s and calls {@link CallMachine.send}. The pattern for a command is *ask first, act
 * second*: `send({ type: 'hold' })` is checked by the guard; only when it returns `ok` does the adapter
 * send the re-INVITE, and it reports the outcome with `holdConfirmed` / `holdFailed`. Commands the UI
 * sends at the wrong moment (double clicks, stale buttons) get `{ ok: false }` — never an exception in
 * the middle of a SIP callback.
 *
 * ```text
 *                      offered                     accepted (after answer)
 *   Idle ────────────────────────────▶ Ringing ──────────────────────────────┐
 *    │                                   │ reject / ringTimeout / callerCancel / failed
 *    │ dial                              ▼                                   ▼
 *    ▼          progress (180/183)     Ended ◀──── hangup / remoteBye ── Connected ◀─┐
 *  Dialing ─────────────────────▶ Progress              failed          │ ▲   │     │
 *    │  │                           │  │ hangup (CANCEL) / failed /     │ │   │     │ transferFailed
 *    │  └───── accepted ────────────┼──┼─▶ Connected      ringTimeout   │ │   │     │ (back to Connected
 *    │                              │  └──────────────▶ Ended          │ │   │     │  or OnHold)
 *    └── hangup / failed / ringTimeout ─▶ Ended                hold+   │ │   │ transfer / completeTransfer
 *                                                     holdConfirmed   │ │   ▼     │
 *                                                                      ▼ │ Transferring ── transferSucceeded
 *                                        resume+resumeConfirmed ─── OnHold        │ hangup / remoteBye /
 *                                                                      │          ▼ failed
 *                                        hangup / remoteBye / failed ─▶ Ended ◀───┘
 * ```
 *
 * Mermaid (same machine):
 * ```mermaid
 * stateDiagram-v2
 *   [*] --> Idle
 *   Idle --> Ringing: offered
 *   Idle --> Dialing: dial
 *   Ringing --> Ringing: answer (answering=true)
 *   Ringing --> Connected: accepted (only after answer)
 *   Ringing --> Ended: reject [Rejected, 486] / ringTimeout, callerCancel [Missed] / failed [Failed]
 *   Dialing --> Progress: progress
 *   Progress --> Progress: progress
 *   Dialing --> Connected: accepted
 *   Progress --> Connected: accepted
 *   Dialing --> Ended: hangup [Cancelled] / failed [by SIP code] / ringTimeout [NoAnswer]
 *   Progress --> Ended: hangup [Cancelled] / failed [by SIP code] / ringTimeout [NoAnswer]
 *   Connected --> OnHold: holdConfirmed (after hold)
 *   OnHold --> Connected: resumeConfirmed (after resume or returnToCaller)
 *   Connected --> Transferring: transfer (blind REFER)
 *   OnHold --> Transferring: transfer / completeTransfer (attended REFER with Replaces)
 *   Transferring --> Connected: transferFailed (was not on hold)
 *   Transferring --> OnHold: transferFailed (was on hold)
 *   Transferring --> Ended: transferSucceeded / hangup / remoteBye / failed
 *   Connected --> Ended: hangup / remoteBye / failed [Answered]
 *   OnHold --> Ended: hangup / remoteBye / failed [Answered]
 *   Ended --> [*]
 * ```
 *
 * Inputs that keep the state but change the call: `answer`, `hold`/`holdFailed` (pending re-INVITE),
 * `resume`/`resumeFailed`, `remoteHold`, `mute`/`unmute` (Connected, OnHold), `dtmf` (Connected),
 * `consultStart`/`consultEnded`/`returnToCaller` (consultation), `conferenceStart`/`conferenceEnd`.
 * `Ended` is terminal: every input is rejected there.
 *
 * Consultation and conference span two machines; the adapter orchestrates them:
 * - consultation: `primary.send(hold)` → `holdConfirmed` → `primary.send({ type: 'consultStart', consultCallId })`
 *   and a new `CallMachine({ role: 'consultation', linkedCallId: primary.id })` that dials. Then either
 *   `primary.send({ type: 'completeTransfer' })` (REFER with Replaces; the consult leg ends by BYE) or
 *   `primary.send({ type: 'returnToCaller' })` (hang up the consult leg; the primary gets a pending resume,
 *   then `resumeConfirmed`). When the consult leg ends by itself, send `consultEnded` to the primary.
 * - conference: resume the primary (consult stays active), then `conferenceStart` on both legs; the
 *   adapter mixes audio locally. `conferenceEnd` when either leg leaves.
 *
 * @packageDocumentation
 */
import { Emitter, type ListenerErrorHook } from '../util/emitter';
import { systemClock, type Clock } from '../util/clock';
import { generateInteractionId, type CallData } from './call-data';
import {
    CALL_INPUT_TYPES,
    CallDirection,
    CallOutcome,
    CallState,
    type CallEndedBy,
    type CallInput,
    type CallInputType,
    type CallRejection,
    type CallRejectionCode,
    type CallRole,
    type CallSnapshot,
    type CallTransition,
    type CallTransitionResult,
    type ConferenceInfo,
    type RemoteParty,
    type SipFailure,
    type TransferInfo
} from './call-types';

// The call's vocabulary is part of the machine's API (phone-core's index exports this module).
export * from './call-types';

/** Events of a {@link CallMachine}. */
export type CallMachineEvents = {
    transition: CallTransition;
    rejected: CallRejection;
    /** Once, when the call reaches {@link CallState.Ended}. */
    ended: CallSnapshot;
};

/** Options of {@link CallMachine}. */
export interface CallMachineOptions {
    /** Call id (unique in this browser); generated when omitted. */
    id?: string;
    clock?: Clock;
    role?: CallRole;
    /** For a consultation leg: the primary call id. */
    linkedCallId?: string;
    /** Receives exceptions thrown by event listeners. */
    onListenerError?: ListenerErrorHook;
}

/** Upper bound of {@link CallSnapshot.dtmfSent}. */
export const MAX_DTMF_LOG = 255;
/** Upper bound of digits in one `dtmf` command. */
export const MAX_DTMF_PER_COMMAND = 64;

const DTMF_PATTERN = /^[0-9*#A-D]+$/i;

/** True when `digits` is 1..64 DTMF symbols (0-9, *, #, A-D; case-insensitive). */
export function isValidDtmf(digits: string): boolean {
    return typeof digits === 'string' && digits.length <= MAX_DTMF_PER_COMMAND && DTMF_PATTERN.test(digits);
}

/**
 * Outcome of an outbound call that failed with a final SIP response before it was answered:
 * 486/600 Busy, 603 Rejected (declined), 408/480 NoAnswer, 487 Cancelled, anything else Failed.
 */
export function outcomeForSipFailure(code: number | undefined): CallOutcome {
    switch (code) {
        case 486:
        case 600:
            return CallOutcome.Busy;
        case 603:
            return CallOutcome.Rejected;
        case 408:
        case 480:
            return CallOutcome.NoAnswer;
        case 487:
            return CallOutcome.Cancelled;
        default:
            return CallOutcome.Failed;
    }
}

/** Input of {@link decideIncomingWhileBusy}. */
export interface IncomingWhileBusyInput {
    /** Calls of this agent that are not Ended (ringing, dialling, connected, held, consultation legs). */
    activeCalls: number;
    /** The agent (or org) allows call waiting. */
    callWaiting: boolean;
}

/**
 * What to do with a new inbound INVITE while the agent already has calls (F20 fault case):
 * `'offer-waiting'` only when call waiting is on and exactly one call is active; otherwise
 * `'reject-486'` (send 486 Busy Here explicitly — never let sip.js answer 480). With no active call
 * there is nothing to wait behind and the answer is `'offer-waiting'` (offer it normally).
 */
export function decideIncomingWhileBusy(input: IncomingWhileBusyInput): 'reject-486' | 'offer-waiting' {
    if (input.activeCalls <= 0) return 'offer-waiting';
    return input.callWaiting && input.activeCalls === 1 ? 'offer-waiting' : 'reject-486';
}

/** A new call id: `crypto.randomUUID()` when available, with a fallback (see `generateInteractionId`). */
export function createCallId(): string {
    return generateInteractionId();
}

/** Mutable state of the machine (its snapshot minus computed durations). */
interface CallContext {
    direction: CallDirection | undefined;
    outcome: CallOutcome | undefined;
    endedBy: CallEndedBy | undefined;
    remote: RemoteParty;
    callData: CallData | undefined;
    originRecordId: string | undefined;
    startedAt: number | undefined;
    answeredAt: number | undefined;
    endedAt: number | undefined;
    holdStartedAt: number | undefined;
    holdAccumulatedMs: number;
    answering: boolean;
    earlyMedia: boolean;
    muted: boolean;
    localHold: boolean;
    remoteHold: boolean;
    holdPending: 'hold' | 'resume' | undefined;
    dtmfSent: string;
    transfer: TransferInfo | undefined;
    sipFailure: SipFailure | undefined;
    linkedCallId: string | undefined;
    consultActive: boolean;
    conference: ConferenceInfo | undefined;
}

/** A decision of the guard: the next state and the change to apply, or why not. */
type Decision =
    | { ok: true; to: CallState; apply?: (ctx: CallContext, now: number) => void }
    | { ok: false; code: CallRejectionCode; message: string };

/**
 * One call leg. See the module documentation for the diagram and the adapter pattern.
 *
 * ```ts
 * const call = new CallMachine({ clock });
 * call.send({ type: 'offered', remote: { number: '+48600700800' }, callData });
 * const r = call.send({ type: 'answer' });   // r.ok === true -> adapter calls invitation.accept()
 * call.send({ type: 'accepted' });           // Connected
 * ```
 */
export class CallMachine {
    /** Call id (unique in this browser). */
    readonly id: string;
    /** `primary` or `consultation`. */
    readonly role: CallRole;

    private currentState: CallState = CallState.Idle;
    private readonly clock: Clock;
    private readonly emitter: Emitter<CallMachineEvents>;
    private readonly ctx: CallContext;

    constructor(options: CallMachineOptions = {}) {
        this.id = options.id ?? createCallId();
        this.role = options.role ?? 'primary';
        this.clock = options.clock ?? systemClock;
        this.emitter = new Emitter<CallMachineEvents>({ onListenerError: options.onListenerError });
        this.ctx = {
            direction: undefined,
            outcome: undefined,
            endedBy: undefined,
            remote: { number: '' },
            callData: undefined,
            originRecordId: undefined,
            startedAt: undefined,
            answeredAt: undefined,
            endedAt: undefined,
            holdStartedAt: undefined,
            holdAccumulatedMs: 0,
            answering: false,
            earlyMedia: false,
            muted: false,
            localHold: false,
            remoteHold: false,
            holdPending: undefined,
            dtmfSent: '',
            transfer: undefined,
            sipFailure: undefined,
            linkedCallId: options.linkedCallId,
            consultActive: false,
            conference: undefined
        };
    }

    /** Current state. */
    get state(): CallState {
        return this.currentState;
    }

    /** Outcome once Ended, else undefined. */
    get outcome(): CallOutcome | undefined {
        return this.ctx.outcome;
    }

    /** Direction once offered/dialled. */
    get direction(): CallDirection | undefined {
        return this.ctx.direction;
    }

    /** True between the first input and the end (counts for {@link decideIncomingWhileBusy}). */
    get isActive(): boolean {
        return this.currentState !== CallState.Idle && this.currentState !== CallState.Ended;
    }

    /**
     * Feeds one input through the guarded transition function. Accepted: the state/context change, a
     * `transition` event (and `ended` when terminal) is emitted, `{ ok: true }` returned. Rejected:
     * nothing changes, a `rejected` event is emitted, `{ ok: false, code, message }` returned. Never throws.
     */
    send(input: CallInput): CallTransitionResult {
        const from = this.currentState;
        const decision = this.decide(input);
        if (!decision.ok) {
            this.emitter.emit('rejected', {
                state: from,
                input,
                code: decision.code,
                message: decision.message
            });
            return { ok: false, from, input, code: decision.code, message: decision.message };
        }
        decision.apply?.(this.ctx, this.clock.now());
        this.currentState = decision.to;
        if (this.emitter.listenerCount() > 0) {
            const snapshot = this.snapshot();
            this.emitter.emit('transition', { from, to: decision.to, input, snapshot });
            if (decision.to === CallState.Ended) this.emitter.emit('ended', snapshot);
        }
        return { ok: true, from, to: decision.to, input };
    }

    /**
     * Whether an input would be accepted now. Given only a type, payload checks (DTMF digits, empty
     * targets) are skipped: use it to enable buttons.
     */
    can(input: CallInput | CallInputType): boolean {
        if (typeof input === 'string') return this.decide(input, true).ok;
        return this.decide(input).ok;
    }

    /** Input types accepted in the current state and context (payload not checked). */
    allowedInputs(): CallInputType[] {
        return CALL_INPUT_TYPES.filter((type) => this.can(type));
    }

    /** A plain, serialisable copy of the call; durations computed at {@link Clock.now}. */
    snapshot(): CallSnapshot {
        const c = this.ctx;
        const now = this.clock.now();
        const end = c.endedAt ?? now;
        const ringEnd = c.answeredAt ?? end;
        const holdOpen = c.holdStartedAt !== undefined ? end - c.holdStartedAt : 0;
        return {
            id: this.id,
            interactionId: c.callData?.interactionId,
            role: this.role,
            direction: c.direction,
            state: this.currentState,
            outcome: c.outcome,
            endedBy: c.endedBy,
            remote: { ...c.remote },
            callData: c.callData ? cloneCallData(c.callData) : undefined,
            originRecordId: c.originRecordId,
            startedAt: c.startedAt,
            answeredAt: c.answeredAt,
            endedAt: c.endedAt,
            ringDurationMs: c.startedAt !== undefined ? Math.max(0, ringEnd - c.startedAt) : 0,
            talkDurationMs: c.answeredAt !== undefined ? Math.max(0, end - c.answeredAt) : 0,
            holdDurationMs: Math.max(0, c.holdAccumulatedMs + holdOpen),
            answering: c.answering,
            earlyMedia: c.earlyMedia,
            muted: c.muted,
            onHold: c.localHold,
            remoteHold: c.remoteHold,
            holdPending: c.holdPending,
            dtmfSent: c.dtmfSent,
            transfer: c.transfer
                ? { ...c.transfer, failure: c.transfer.failure && { ...c.transfer.failure } }
                : undefined,
            transferTarget: c.transfer?.target,
            sipFailure: c.sipFailure ? { ...c.sipFailure } : undefined,
            linkedCallId: c.linkedCallId,
            consultActive: c.consultActive,
            conference: c.conference
                ? { active: c.conference.active, legs: [...c.conference.legs] }
                : undefined
        };
    }

    /** Subscribes to an event. @returns unsubscribe function */
    on<K extends keyof CallMachineEvents>(
        eventName: K,
        listener: (payload: CallMachineEvents[K]) => void
    ): () => void {
        return this.emitter.on(eventName, listener);
    }

    /** Subscribes for one event only. @returns unsubscribe function */
    once<K extends keyof CallMachineEvents>(
        eventName: K,
        listener: (payload: CallMachineEvents[K]) => void
    ): () => void {
        return this.emitter.once(eventName, listener);
    }

    /** Unsubscribes. */
    off<K extends keyof CallMachineEvents>(
        eventName: K,
        listener: (payload: CallMachineEvents[K]) => void
    ): void {
        this.emitter.off(eventName, listener);
    }

    /**
     * THE guarded transition function: decides, without side effects, whether `input` is legal in the
     * current state and context and what it changes. `typeOnly` skips payload validation (for `can`).
     */
    private decide(input: CallInput | CallInputType, typeOnly = false): Decision {
        const s = this.currentState;
        const c = this.ctx;
        const type: CallInputType = typeof input === 'string' ? input : input.type;
        // Payload checks are skipped for type-only queries (`can('dtmf')`); `apply` never runs for them.
        const full = typeof input === 'string' || typeOnly ? undefined : input;
        const no = (why?: string): Decision => illegal(s, type, why);

        if (s === CallState.Ended) return no('the call has ended');
        const established = s === CallState.Connected || s === CallState.OnHold;
        const outboundSetup = s === CallState.Dialing || s === CallState.Progress;

        switch (type) {
            case 'offered': {
                if (s !== CallState.Idle) return no();
                const p = payloadOf(full, 'offered');
                if (p && (typeof p.remote !== 'object' || typeof p.remote.number !== 'string')) {
                    return invalid(type, 'remote.number must be a string (may be empty for anonymous)');
                }
                return go(CallState.Ringing, (ctx, now) => {
                    ctx.direction = CallDirection.Inbound;
                    if (p) {
                        ctx.remote = copyRemote(p.remote);
                        ctx.callData = p.callData;
                    }
                    ctx.startedAt = now;
                });
            }
            case 'dial': {
                if (s !== CallState.Idle) return no();
                const p = payloadOf(full, 'dial');
                if (p && (typeof p.remote?.number !== 'string' || p.remote.number.trim() === '')) {
                    return invalid(type, 'a number to dial is required');
                }
                return go(CallState.Dialing, (ctx, now) => {
                    ctx.direction = CallDirection.Outbound;
                    if (p) {
                        ctx.remote = copyRemote({ ...p.remote, number: p.remote.number.trim() });
                        ctx.callData = p.callData;
                        ctx.originRecordId = p.originRecordId;
                    }
                    ctx.startedAt = now;
                });
            }
            case 'answer':
                if (s !== CallState.Ringing) return no();
                if (c.answering) return no('already answering');
                return go(s, (ctx) => {
                    ctx.answering = true;
                });
            case 'reject':
                if (s !== CallState.Ringing) return no();
                return end(CallOutcome.Rejected, 'local');
            case 'ringTimeout':
                if (s === CallState.Ringing) return end(CallOutcome.Missed, 'timeout');
                if (outboundSetup) return end(CallOutcome.NoAnswer, 'timeout');
                return no();
            case 'callerCancel': {
                if (s !== CallState.Ringing) return no();
                const p = payloadOf(full, 'callerCancel');
                return end(p?.completedElsewhere ? CallOutcome.Cancelled : CallOutcome.Missed, 'remote');
            }
            case 'progress': {
                if (!outboundSetup) return no();
                const p = payloadOf(full, 'progress');
                return go(CallState.Progress, (ctx) => {
                    if (!p) return;
                    ctx.earlyMedia = p.earlyMedia === true;
                    mergeCallData(ctx, p.callData);
                });
            }
            case 'accepted': {
                if (s === CallState.Ringing) {
                    if (!c.answering) return no('answer first');
                } else if (!outboundSetup) return no();
                const p = payloadOf(full, 'accepted');
                return go(CallState.Connected, (ctx, now) => {
                    ctx.answeredAt = now;
                    ctx.answering = false;
                    ctx.earlyMedia = false;
                    if (!p) return;
                    if (p.remote?.displayName !== undefined) ctx.remote.displayName = p.remote.displayName;
                    if (p.remote?.number) ctx.remote.number = p.remote.number;
                    mergeCallData(ctx, p.callData);
                });
            }
            case 'failed': {
                const p = payloadOf(full, 'failed');
                const failure = p && sipFailureOf(p);
                if (s === CallState.Ringing) return end(CallOutcome.Failed, 'failure', failure);
                if (outboundSetup) return end(outcomeForSipFailure(p?.code), 'failure', failure);
                if (established || s === CallState.Transferring) {
                    return end(CallOutcome.Answered, 'failure', failure);
                }
                return no();
            }
            case 'hangup':
                if (outboundSetup) return end(CallOutcome.Cancelled, 'local');
                if (established || s === CallState.Transferring) return end(CallOutcome.Answered, 'local');
                if (s === CallState.Ringing) return no('use reject for a ringing call');
                return no();
            case 'remoteBye':
                if (established || s === CallState.Transferring) return end(CallOutcome.Answered, 'remote');
                return no();
            case 'hold':
                if (s !== CallState.Connected) return no();
                if (c.holdPending) return no(`a ${c.holdPending} is pending`);
                return go(s, (ctx) => {
                    ctx.holdPending = 'hold';
                });
            case 'holdConfirmed':
                if (s !== CallState.Connected || c.holdPending !== 'hold') return no('no hold pending');
                return go(CallState.OnHold, (ctx, now) => {
                    ctx.holdPending = undefined;
                    ctx.localHold = true;
                    ctx.holdStartedAt = now;
                });
            case 'holdFailed': {
                if (s !== CallState.Connected || c.holdPending !== 'hold') return no('no hold pending');
                const p = payloadOf(full, 'holdFailed');
                return go(s, (ctx) => {
                    ctx.holdPending = undefined;
                    if (p) ctx.sipFailure = sipFailureOf(p);
                });
            }
            case 'resume':
                if (s !== CallState.OnHold) return no();
                if (c.holdPending) return no(`a ${c.holdPending} is pending`);
                return go(s, (ctx) => {
                    ctx.holdPending = 'resume';
                });
            case 'resumeConfirmed':
                if (s !== CallState.OnHold || c.holdPending !== 'resume') return no('no resume pending');
                return go(CallState.Connected, (ctx, now) => {
                    ctx.holdPending = undefined;
                    closeHold(ctx, now);
                });
            case 'resumeFailed': {
                if (s !== CallState.OnHold || c.holdPending !== 'resume') return no('no resume pending');
                const p = payloadOf(full, 'resumeFailed');
                return go(s, (ctx) => {
                    ctx.holdPending = undefined;
                    if (p) ctx.sipFailure = sipFailureOf(p);
                });
            }
            case 'remoteHold': {
                if (!established) return no();
                const p = payloadOf(full, 'remoteHold');
                return go(s, (ctx) => {
                    if (p) ctx.remoteHold = p.held === true;
                });
            }
            case 'mute':
                if (!established) return no();
                if (c.muted) return no('already muted');
                return go(s, (ctx) => {
                    ctx.muted = true;
                });
            case 'unmute':
                if (!established) return no();
                if (!c.muted) return no('not muted');
                return go(s, (ctx) => {
                    ctx.muted = false;
                });
            case 'dtmf': {
                if (s !== CallState.Connected) return no();
                const p = payloadOf(full, 'dtmf');
                if (p && !isValidDtmf(p.digits)) {
                    return invalid(type, `DTMF digits must be 1..${MAX_DTMF_PER_COMMAND} of 0-9 * # A-D`);
                }
                return go(s, (ctx) => {
                    if (!p) return;
                    ctx.dtmfSent = (ctx.dtmfSent + p.digits.toUpperCase()).slice(0, MAX_DTMF_LOG);
                });
            }
            case 'transfer': {
                if (!established) return no();
                if (c.holdPending) return no(`a ${c.holdPending} is pending`);
                if (c.consultActive)
                    return no('a consultation is active: complete it or return to the caller');
                const p = payloadOf(full, 'transfer');
                if (p && (typeof p.target !== 'string' || p.target.trim() === '')) {
                    return invalid(type, 'a transfer target is required');
                }
                return go(CallState.Transferring, (ctx, now) => {
                    if (p)
                        ctx.transfer = {
                            kind: 'blind',
                            target: p.target.trim(),
                            status: 'requested',
                            requestedAt: now
                        };
                });
            }
            case 'transferSucceeded':
                if (s !== CallState.Transferring) return no();
                return end(CallOutcome.Answered, 'transfer', undefined, (ctx) => {
                    if (ctx.transfer) ctx.transfer.status = 'completed';
                });
            case 'transferFailed': {
                if (s !== CallState.Transferring) return no();
                const p = payloadOf(full, 'transferFailed');
                return go(c.localHold ? CallState.OnHold : CallState.Connected, (ctx) => {
                    const failure = p ? sipFailureOf(p) : undefined;
                    if (ctx.transfer) {
                        ctx.transfer.status = 'failed';
                        ctx.transfer.failure = failure;
                    }
                    if (failure) ctx.sipFailure = failure;
                });
            }
            case 'consultStart': {
                if (this.role !== 'primary') return no('only a primary call can start a consultation');
                if (s !== CallState.OnHold) return no('put the call on hold first');
                if (c.holdPending) return no(`a ${c.holdPending} is pending`);
                if (c.consultActive) return no('a consultation is already active');
                const p = payloadOf(full, 'consultStart');
                if (p && (typeof p.consultCallId !== 'string' || p.consultCallId === '')) {
                    return invalid(type, 'consultCallId is required');
                }
                return go(s, (ctx) => {
                    ctx.consultActive = true;
                    if (p) ctx.linkedCallId = p.consultCallId;
                });
            }
            case 'consultEnded':
                if (!c.consultActive) return no('no consultation is active');
                return go(s, (ctx) => {
                    ctx.consultActive = false;
                    if (ctx.conference) ctx.conference.active = false;
                });
            case 'completeTransfer': {
                if (s !== CallState.OnHold || !c.consultActive) return no('no consultation is active');
                if (c.holdPending) return no(`a ${c.holdPending} is pending`);
                const p = payloadOf(full, 'completeTransfer');
                return go(CallState.Transferring, (ctx, now) => {
                    const target = p?.target?.trim() || ctx.linkedCallId || '';
                    ctx.transfer = { kind: 'attended', target, status: 'requested', requestedAt: now };
                });
            }
            case 'returnToCaller':
                if (s !== CallState.OnHold || !c.consultActive) return no('no consultation is active');
                if (c.holdPending) return no(`a ${c.holdPending} is pending`);
                return go(s, (ctx) => {
                    ctx.consultActive = false;
                    ctx.holdPending = 'resume';
                });
            case 'conferenceStart': {
                if (s !== CallState.Connected) return no('both legs must be connected (resume first)');
                if (c.holdPending) return no(`a ${c.holdPending} is pending`);
                if (c.conference?.active) return no('a conference is already active');
                const p = payloadOf(full, 'conferenceStart');
                if (
                    p &&
                    (typeof p.withCallId !== 'string' || p.withCallId === '' || p.withCallId === this.id)
                ) {
                    return invalid(type, 'withCallId must name the other call leg');
                }
                return go(s, (ctx) => {
                    if (p) ctx.conference = { active: true, legs: [this.id, p.withCallId] };
                });
            }
            case 'conferenceEnd':
                if (!established || !c.conference?.active) return no('no conference is active');
                return go(s, (ctx) => {
                    if (ctx.conference) ctx.conference.active = false;
                });
            default:
                return invalid(type, `unknown input '${String(type)}'`);
        }
    }
}

function go(to: CallState, apply?: (ctx: CallContext, now: number) => void): Decision {
    return { ok: true, to, apply };
}

function end(
    outcome: CallOutcome,
    endedBy: CallEndedBy,
    failure?: SipFailure,
    extra?: (ctx: CallContext) => void
): Decision {
    return go(CallState.Ended, (ctx, now) => {
        ctx.outcome = outcome;
        ctx.endedBy = endedBy;
        ctx.endedAt = now;
        ctx.answering = false;
        ctx.holdPending = undefined;
        ctx.consultActive = false;
        if (ctx.conference) ctx.conference.active = false;
        if (failure) ctx.sipFailure = failure;
        closeHold(ctx, now);
        extra?.(ctx);
    });
}

function invalid(type: CallInputType, message: string): Decision {
    return { ok: false, code: 'invalid-argument', message: `'${type}': ${message}` };
}

function payloadOf<T extends CallInputType>(
    input: CallInput | undefined,
    type: T
): Extract<CallInput, { type: T }> | undefined {
    return input && input.type === type ? (input as Extract<CallInput, { type: T }>) : undefined;
}

function closeHold(ctx: CallContext, now: number): void {
    if (ctx.holdStartedAt !== undefined) {
        ctx.holdAccumulatedMs += Math.max(0, now - ctx.holdStartedAt);
        ctx.holdStartedAt = undefined;
    }
    ctx.localHold = false;
}

function sipFailureOf(p: { code?: number; reason?: string }): SipFailure {
    const failure: SipFailure = {};
    if (typeof p.code === 'number') failure.code = p.code;
    if (typeof p.reason === 'string') failure.reason = p.reason.slice(0, 255);
    return failure;
}

function copyRemote(remote: RemoteParty): RemoteParty {
    const copy: RemoteParty = { number: remote.number };
    if (remote.displayName !== undefined) copy.displayName = remote.displayName;
    return copy;
}

/** Replaces locally generated call data by what the network later sent (outbound 18x/2xx headers). */
function mergeCallData(ctx: CallContext, data: CallData | undefined): void {
    if (!data) return;
    if (!ctx.callData || (ctx.callData.generated && !data.generated)) ctx.callData = data;
}

function illegal(state: CallState, type: CallInputType, why?: string): Decision {
    return {
        ok: false,
        code: 'illegal-transition',
        message: `'${type}' is not allowed in state ${state}${why ? `: ${why}` : ''}`
    };
}

function cloneCallData(data: CallData): CallData {
    return {
        ...data,
        duplicated: [...data.duplicated],
        truncated: [...data.truncated],
        invalid: [...data.invalid]
    };
}
