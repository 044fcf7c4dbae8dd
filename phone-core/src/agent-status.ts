/**
 * The agent status machine (F2, F12): what the contact centre may route to this agent.
 *
 * ```text
 *                 registered                 setReady
 *   Offline ─────────────────▶ NotReady ◀──────────────▶ Ready ──callOffered──▶ Ringing
 *      ▲  ╲ connectionFailed     ▲  ▲  setNotReady        │ ▲                    │  │
 *      │   ╲                     │  │                     │ │ callMissed          │  │ callAnswered
 *      │    ▼                    │  └──── pause ──▶ Paused│ └─(cancelled/rejected,│  ▼
 *      │   Error ◀──connectionFailed── (NotReady, Ready, Paused)  or no RONA rule) Busy ◀── callStarted
 *      │     │ registered → previous status (or NotReady, option recoverTo)          │      (outbound, from
 *      │     │                                                                       │ callEnded(wrap>0)
 *   logout (from NotReady, Ready, Paused, Wrap, Error)                               ▼   NotReady/Ready/
 *                                                                                  Wrap    Paused/Wrap)
 *      callEnded(wrap=0) / endWrap / wrapExpired / setReady / setNotReady / pause ──┘
 *      → next status chosen during the call, else the status before the call
 * ```
 *
 * Mermaid (same machine):
 * ```mermaid
 * stateDiagram-v2
 *   [*] --> Offline
 *   Offline --> NotReady: registered
 *   Offline --> Error: connectionFailed
 *   NotReady --> Ready: setReady
 *   Paused --> Ready: setReady
 *   Ready --> NotReady: setNotReady
 *   Paused --> NotReady: setNotReady
 *   Ready --> Paused: pause(reason)
 *   NotReady --> Paused: pause(reason)
 *   Paused --> Paused: pause(other reason)
 *   Ready --> Ringing: callOffered
 *   Ringing --> Busy: callAnswered
 *   Ringing --> Ready: callMissed (next status / RONA rule may give NotReady)
 *   Ready --> Busy: callStarted
 *   NotReady --> Busy: callStarted
 *   Paused --> Busy: callStarted
 *   Wrap --> Busy: callStarted
 *   Busy --> Wrap: callEnded(wrapSeconds > 0)
 *   Busy --> Ready: callEnded(0) (or next status / status before the call)
 *   Wrap --> Ready: endWrap / wrapExpired / setReady (or next status)
 *   Wrap --> NotReady: setNotReady
 *   Wrap --> Paused: pause
 *   NotReady --> Error: connectionFailed
 *   Ready --> Error: connectionFailed
 *   Paused --> Error: connectionFailed
 *   Error --> NotReady: registered (recoverTo, previous status)
 *   NotReady --> Offline: logout
 *   Ready --> Offline: logout
 *   Paused --> Offline: logout
 *   Wrap --> Offline: logout
 *   Error --> Offline: logout
 * ```
 *
 * Decisions (documented behaviour):
 * - **Only Ready takes calls** ({@link AgentStatusMachine.canOfferCall}). NotReady and Paused are
 *   "not in the queue": a direct INVITE then is rejected with 486 by the adapter, as during Wrap.
 *   Call waiting / consultation legs do not change the agent status (they happen while Busy).
 * - **After the call** (wrap ends, or `callEnded` with 0 wrap seconds): the next status chosen during the
 *   call (`setNextStatus`, e.g. "Not ready after this call") wins; otherwise the status before the call
 *   (Ready for an inbound call; NotReady/Paused, with its reason, for an outbound call dialled from them).
 * - **Missed calls** (`callMissed`): `cause: 'timeout'` (ring-no-answer) sets NotReady when the option
 *   `missedCallSetsNotReady` is on (default: the usual "RONA" rule — an absent agent must not be offered
 *   call after call); a caller who hung up (`'cancelled'`) or a call the agent rejected (`'rejected'`)
 *   returns to the status before the call. A chosen next status wins in every case.
 * - **Connection failures** (`connectionFailed`: registration failed / WebSocket lost): without call work
 *   the agent goes to Error at once. During Ringing/Busy/Wrap the failure is *deferred*: the call may
 *   recover (re-REGISTER, ICE restart) and the wrap-up form needs no SIP; when the call work ends and the
 *   connection is still down, the agent goes to Error instead of the post-call status. `registered`
 *   ends Error: back to the status before the error (`recoverTo: 'previous'`, default) or NotReady.
 * - **Commands at the wrong moment** (setReady while Busy, double clicks) are rejected with a result
 *   (`{ ok: false }`) and a `rejected` event, never an exception.
 * - **Publishing**: every status change is sent through {@link AgentStatusPort.publish}, one at a time
 *   in order (each carries a growing `sequence`; the receiver should trust `to` and ignore stale
 *   sequences). A failed publish never rolls the local state back: it emits `publishFailed` and is
 *   healed by the next change (which supersedes it) or by {@link AgentStatusMachine.retryPublish}.
 *
 * @packageDocumentation
 */
import { Emitter, type ListenerErrorHook } from './util/emitter';
import { systemClock, type Clock, type TimerHandle } from './util/clock';

/** Agent status. String values are what the port publishes. */
export enum AgentStatus {
    /** Not logged in to the phone (not registered). */
    Offline = 'Offline',
    /** Logged in, not taking calls. */
    NotReady = 'NotReady',
    /** In the queue: the only status in which calls are offered. */
    Ready = 'Ready',
    /** A call is being offered. */
    Ringing = 'Ringing',
    /** On a call. */
    Busy = 'Busy',
    /** After-call work; no calls are offered; ends at the deadline or earlier by the agent. */
    Wrap = 'Wrap',
    /** Not taking calls for a reason from the contact centre (break, training...). */
    Paused = 'Paused',
    /** The phone cannot take calls: registration failed or connection lost. */
    Error = 'Error'
}

/** A pause reason as configured in the contact centre. */
export interface PauseReason {
    id: string;
    label: string;
}

/** Status to take when the current call work ends ("Not ready after this call"). */
export type NextStatus =
    | { status: AgentStatus.Ready | AgentStatus.NotReady }
    | { status: AgentStatus.Paused; reason: PauseReason };

/** Why a ringing call was missed (see the module documentation for the RONA rule). */
export type MissedCallCause = 'timeout' | 'cancelled' | 'rejected';

/** Inputs of the agent status machine: UI commands, connection signals, call signals, the wrap timer. */
export type AgentStatusInput =
    | { type: 'registered' }
    | { type: 'connectionFailed'; reason?: string }
    | { type: 'logout' }
    | { type: 'setReady' }
    | { type: 'setNotReady' }
    | { type: 'pause'; reason: PauseReason }
    | { type: 'setNextStatus'; next: NextStatus }
    | { type: 'clearNextStatus' }
    | { type: 'callOffered'; interactionId?: string }
    | { type: 'callAnswered'; interactionId?: string }
    /** An outbound call started (dialled) by the agent. */
    | { type: 'callStarted'; interactionId?: string }
    | { type: 'callMissed'; cause: MissedCallCause; interactionId?: string }
    /** The call ended; `wrapSeconds` comes from the call's campaign (missing: `defaultWrapSeconds`). */
    | { type: 'callEnded'; wrapSeconds?: number; interactionId?: string }
    /** The agent ends the wrap early. */
    | { type: 'endWrap' }
    /** The wrap deadline passed (sent by the machine's own timer). */
    | { type: 'wrapExpired' };

/** The `type` of an {@link AgentStatusInput}. */
export type AgentStatusInputType = AgentStatusInput['type'];

/** Every input type, in a stable order (table tests, UI). */
export const AGENT_STATUS_INPUT_TYPES: readonly AgentStatusInputType[] = [
    'registered',
    'connectionFailed',
    'logout',
    'setReady',
    'setNotReady',
    'pause',
    'setNextStatus',
    'clearNextStatus',
    'callOffered',
    'callAnswered',
    'callStarted',
    'callMissed',
    'callEnded',
    'endWrap',
    'wrapExpired'
];

/** A status change as published to the contact centre. */
export interface AgentStatusChange {
    /** Grows by one per change of this machine: lets the receiver drop stale, reordered changes. */
    sequence: number;
    from: AgentStatus;
    to: AgentStatus;
    /** Epoch milliseconds (from the injected clock). */
    at: number;
    /** The input that caused the change. */
    cause: AgentStatusInputType;
    /** Set when `to` is Paused. */
    reason?: PauseReason;
    /** Set when `to` is Wrap. */
    wrapSeconds?: number;
    /** Set when `to` is Wrap: epoch ms when the wrap ends by itself. */
    wrapDeadline?: number;
    /** The call this change belongs to, when known. */
    interactionId?: string;
    /** Set when `to` is Error. */
    errorReason?: string;
}

/** Port implemented by the host (Salesforce: an Apex call to the contact centre). */
export interface AgentStatusPort {
    publish(change: AgentStatusChange): Promise<void>;
}

/** Why an input was rejected. */
export type AgentRejectionCode = 'illegal-transition' | 'invalid-argument';

/** Result of {@link AgentStatusMachine.send}. Never thrown: check `ok`. */
export type AgentTransitionResult =
    | { ok: true; from: AgentStatus; to: AgentStatus; input: AgentStatusInput; change?: AgentStatusChange }
    | { ok: false; from: AgentStatus; input: AgentStatusInput; code: AgentRejectionCode; message: string };

/** Emitted for every rejected input. */
export interface AgentStatusRejection {
    status: AgentStatus;
    input: AgentStatusInput;
    code: AgentRejectionCode;
    message: string;
}

/** State of publishing to the contact centre. */
export type AgentStatusSyncState = 'synced' | 'pending' | 'failed';

/** Plain, serialisable picture of the agent status (UI, other tabs). */
export interface AgentStatusSnapshot {
    status: AgentStatus;
    /** Epoch ms of the last status change. */
    since: number;
    pauseReason: PauseReason | undefined;
    nextStatus: NextStatus | undefined;
    /** Status (and reason) to return to after the current call work. */
    statusBeforeCall: AgentStatus | undefined;
    interactionId: string | undefined;
    wrapSeconds: number | undefined;
    wrapStartedAt: number | undefined;
    wrapDeadline: number | undefined;
    wrapRemainingMs: number;
    connectionUp: boolean;
    /** Why the connection is down (from `connectionFailed` until `registered` or `logout`). */
    errorReason: string | undefined;
    canOfferCall: boolean;
    sync: AgentStatusSyncState;
}

/** Events of an {@link AgentStatusMachine}. */
export type AgentStatusEvents = {
    /** The status (or the pause reason) changed; also published through the port. */
    statusChanged: AgentStatusChange;
    /** After every accepted input (also those that keep the status, e.g. setNextStatus). */
    updated: AgentStatusSnapshot;
    rejected: AgentStatusRejection;
    /** The port accepted a change. */
    published: AgentStatusChange;
    /** The port failed; `superseded` when a newer change is already queued (which heals it). */
    publishFailed: { change: AgentStatusChange; error: unknown; superseded: boolean };
};

/** Options of {@link AgentStatusMachine}. */
export interface AgentStatusOptions {
    port: AgentStatusPort;
    clock?: Clock;
    /** Ring-no-answer sets NotReady (RONA). Default true. */
    missedCallSetsNotReady?: boolean;
    /** Where `registered` leads from Error. Default 'previous'. */
    recoverTo?: 'previous' | 'NotReady';
    /** Wrap length when `callEnded` carries none (calls outside campaigns). Default 0. */
    defaultWrapSeconds?: number;
    /** Upper bound of a wrap. Default 3600. */
    maxWrapSeconds?: number;
    /** Receives exceptions thrown by event listeners. */
    onListenerError?: ListenerErrorHook;
}

/** A status to return to, with its pause reason. */
interface StatusTarget {
    status: AgentStatus;
    reason?: PauseReason;
}

type Decision =
    | { ok: true; to: AgentStatus; apply?: (now: number) => void; publishReason?: boolean }
    | { ok: false; code: AgentRejectionCode; message: string };

const AVAILABLE = new Set<AgentStatus>([AgentStatus.NotReady, AgentStatus.Ready, AgentStatus.Paused]);
const CALL_WORK = new Set<AgentStatus>([AgentStatus.Ringing, AgentStatus.Busy, AgentStatus.Wrap]);
const MAX_REASON_TEXT = 80;

/** The agent status machine. See the module documentation for the diagram and the decisions. */
export class AgentStatusMachine {
    private current: AgentStatus = AgentStatus.Offline;
    private since: number;
    private pause: PauseReason | undefined;
    private next: NextStatus | undefined;
    private beforeCall: StatusTarget | undefined;
    private beforeError: StatusTarget | undefined;
    private interaction: string | undefined;
    private wrap: { seconds: number; startedAt: number; deadline: number; timer: TimerHandle } | undefined;
    private linkUp = false;
    private errorText: string | undefined;
    private sequence = 0;

    private readonly port: AgentStatusPort;
    private readonly clock: Clock;
    private readonly missedCallSetsNotReady: boolean;
    private readonly recoverTo: 'previous' | 'NotReady';
    private readonly defaultWrapSeconds: number;
    private readonly maxWrapSeconds: number;
    private readonly emitter: Emitter<AgentStatusEvents>;

    private readonly outbox: AgentStatusChange[] = [];
    private pumping: Promise<void> | undefined;
    private failedChange: AgentStatusChange | undefined;
    private lastPublishError: unknown;

    constructor(options: AgentStatusOptions) {
        this.port = options.port;
        this.clock = options.clock ?? systemClock;
        this.missedCallSetsNotReady = options.missedCallSetsNotReady ?? true;
        this.recoverTo = options.recoverTo ?? 'previous';
        this.maxWrapSeconds = Math.max(0, options.maxWrapSeconds ?? 3600);
        this.defaultWrapSeconds = this.clampWrap(options.defaultWrapSeconds ?? 0);
        this.emitter = new Emitter<AgentStatusEvents>({ onListenerError: options.onListenerError });
        this.since = this.clock.now();
    }

    /** Current status. */
    get status(): AgentStatus {
        return this.current;
    }

    /** Pause reason while Paused. */
    get pauseReason(): PauseReason | undefined {
        return this.pause && { ...this.pause };
    }

    /** Status chosen for after the current call work, if any. */
    get nextStatus(): NextStatus | undefined {
        return this.next && cloneNext(this.next);
    }

    /** Epoch ms at which the current wrap ends by itself (undefined outside Wrap). */
    get wrapDeadline(): number | undefined {
        return this.wrap?.deadline;
    }

    /** False after `connectionFailed` until `registered` (the reason is in the snapshot's `errorReason`). */
    get connectionUp(): boolean {
        return this.linkUp;
    }

    /** Publishing state: `pending` while changes are in flight, `failed` after an unhealed failure. */
    get syncState(): AgentStatusSyncState {
        if (this.outbox.length > 0) return 'pending';
        return this.failedChange ? 'failed' : 'synced';
    }

    /** The error of the last failed publish (cleared by a successful one). */
    get publishError(): unknown {
        return this.failedChange ? this.lastPublishError : undefined;
    }

    /** Milliseconds left in the current wrap (0 outside Wrap), for the countdown. */
    wrapRemainingMs(): number {
        return this.wrap ? Math.max(0, this.wrap.deadline - this.clock.now()) : 0;
    }

    /** True only in Ready: the adapter rejects other INVITEs with 486 (see the module documentation). */
    canOfferCall(): boolean {
        return this.current === AgentStatus.Ready;
    }

    /**
     * Feeds one input through the guarded transition function. Accepted: state changes, `updated`
     * (and `statusChanged` + publish when the status or pause reason changed) are emitted. Rejected:
     * nothing changes, `rejected` is emitted. Never throws.
     */
    send(input: AgentStatusInput): AgentTransitionResult {
        const from = this.current;
        const decision = this.decide(input);
        if (!decision.ok) {
            this.emitter.emit('rejected', {
                status: from,
                input,
                code: decision.code,
                message: decision.message
            });
            return { ok: false, from, input, code: decision.code, message: decision.message };
        }
        const now = this.clock.now();
        const previousReason = this.pause;
        const previousInteraction = this.interaction;
        decision.apply?.(now);
        const to = decision.to;
        if (from === AgentStatus.Wrap && to !== AgentStatus.Wrap) this.stopWrap();
        this.current = to;
        if (to !== AgentStatus.Paused) this.pause = undefined;
        if (!CALL_WORK.has(to)) {
            this.next = undefined;
            this.beforeCall = undefined;
            this.interaction = undefined;
        }

        let change: AgentStatusChange | undefined;
        const reasonChanged = to === AgentStatus.Paused && previousReason?.id !== this.pause?.id;
        if (from !== to || reasonChanged) {
            this.since = now;
            change = this.describeChange(from, to, input.type, now, this.interaction ?? previousInteraction);
            this.emitter.emit('statusChanged', change);
            this.enqueue(change);
        }
        if (this.emitter.listenerCount('updated') > 0) this.emitter.emit('updated', this.snapshot());
        return change ? { ok: true, from, to, input, change } : { ok: true, from, to, input };
    }

    /** Whether an input would be accepted now (given only a type, payload checks are skipped). */
    can(input: AgentStatusInput | AgentStatusInputType): boolean {
        return this.decide(input, typeof input === 'string').ok;
    }

    /** Input types accepted now (payload not checked). */
    allowedInputs(): AgentStatusInputType[] {
        return AGENT_STATUS_INPUT_TYPES.filter((type) => this.can(type));
    }

    /** A plain, serialisable copy of the status. */
    snapshot(): AgentStatusSnapshot {
        return {
            status: this.current,
            since: this.since,
            pauseReason: this.pauseReason,
            nextStatus: this.nextStatus,
            statusBeforeCall: this.beforeCall?.status,
            interactionId: this.interaction,
            wrapSeconds: this.wrap?.seconds,
            wrapStartedAt: this.wrap?.startedAt,
            wrapDeadline: this.wrap?.deadline,
            wrapRemainingMs: this.wrapRemainingMs(),
            connectionUp: this.linkUp,
            errorReason: this.errorText,
            canOfferCall: this.canOfferCall(),
            sync: this.syncState
        };
    }

    /**
     * Publishes again the last change that failed (when no newer change healed it).
     * @returns true when the contact centre now has the current status
     */
    async retryPublish(): Promise<boolean> {
        await this.flush();
        if (this.failedChange && this.outbox.length === 0) {
            this.outbox.push(this.failedChange);
            this.failedChange = undefined;
            this.pump();
        }
        await this.flush();
        return this.failedChange === undefined;
    }

    /** Resolves when every queued change was handed to the port (published or failed). */
    async flush(): Promise<void> {
        while (this.pumping) await this.pumping;
    }

    /** Stops the wrap timer and removes every listener (the machine must not be used afterwards). */
    dispose(): void {
        this.stopWrap();
        this.emitter.removeAllListeners();
    }

    /** Subscribes to an event. @returns unsubscribe function */
    on<K extends keyof AgentStatusEvents>(
        eventName: K,
        listener: (payload: AgentStatusEvents[K]) => void
    ): () => void {
        return this.emitter.on(eventName, listener);
    }

    /** Subscribes for one event only. @returns unsubscribe function */
    once<K extends keyof AgentStatusEvents>(
        eventName: K,
        listener: (payload: AgentStatusEvents[K]) => void
    ): () => void {
        return this.emitter.once(eventName, listener);
    }

    /** Unsubscribes. */
    off<K extends keyof AgentStatusEvents>(
        eventName: K,
        listener: (payload: AgentStatusEvents[K]) => void
    ): void {
        this.emitter.off(eventName, listener);
    }

    /**
     * THE guarded transition function: whether `input` is legal now, the next status and the change
     * to apply. No side effects until `apply` runs (only from {@link AgentStatusMachine.send}).
     */
    private decide(input: AgentStatusInput | AgentStatusInputType, typeOnly = false): Decision {
        const s = this.current;
        const type: AgentStatusInputType = typeof input === 'string' ? input : input.type;
        const full = typeof input === 'string' || typeOnly ? undefined : input;
        const no = (why?: string): Decision => ({
            ok: false,
            code: 'illegal-transition',
            message: `'${type}' is not allowed in status ${s}${why ? `: ${why}` : ''}`
        });
        const available = AVAILABLE.has(s);
        const duringCall = "use 'setNextStatus' to choose the status after the call";

        switch (type) {
            case 'registered':
                if (s === AgentStatus.Offline)
                    return this.go(AgentStatus.NotReady, () => this.linkRestored());
                if (s === AgentStatus.Error) {
                    const target: StatusTarget =
                        this.recoverTo === 'previous' && this.beforeError
                            ? this.beforeError
                            : { status: AgentStatus.NotReady };
                    return this.go(target.status, () => {
                        this.linkRestored();
                        this.pause = target.reason;
                        this.beforeError = undefined;
                    });
                }
                return this.go(s, () => this.linkRestored());
            case 'connectionFailed': {
                const p = payload(full, 'connectionFailed');
                const reason = p?.reason !== undefined ? String(p.reason).slice(0, 255) : 'connection failed';
                if (CALL_WORK.has(s)) return this.go(s, () => this.linkLost(reason)); // deferred
                return this.go(AgentStatus.Error, () => {
                    this.linkLost(reason);
                    if (s === AgentStatus.Offline) this.beforeError = { status: AgentStatus.NotReady };
                    else if (s !== AgentStatus.Error) this.beforeError = { status: s, reason: this.pause };
                });
            }
            case 'logout':
                if (available || s === AgentStatus.Wrap || s === AgentStatus.Error) {
                    return this.go(AgentStatus.Offline, () => {
                        this.linkUp = false;
                        this.errorText = undefined;
                        this.beforeError = undefined;
                    });
                }
                return no(s === AgentStatus.Offline ? 'already offline' : 'end the call first');
            case 'setReady':
            case 'setNotReady':
            case 'pause': {
                const wanted =
                    type === 'setReady'
                        ? AgentStatus.Ready
                        : type === 'setNotReady'
                          ? AgentStatus.NotReady
                          : AgentStatus.Paused;
                const p = payload(full, 'pause');
                let reason: PauseReason | undefined;
                if (p) {
                    reason = cleanReason(p.reason);
                    if (!reason) return invalid(type, 'a pause reason with an id is required');
                }
                if (s === AgentStatus.Ringing || s === AgentStatus.Busy) return no(duringCall);
                if (s === AgentStatus.Wrap) return this.afterCallWork({ status: wanted, reason });
                if (!available) return no();
                if (s === wanted && wanted !== AgentStatus.Paused) return no(`already ${s}`);
                if (
                    s === AgentStatus.Paused &&
                    wanted === AgentStatus.Paused &&
                    reason &&
                    reason.id === this.pause?.id
                ) {
                    return no('already paused with this reason');
                }
                return this.go(wanted, () => (this.pause = reason));
            }
            case 'setNextStatus': {
                if (!CALL_WORK.has(s)) return no('only during a call or its wrap');
                const p = payload(full, 'setNextStatus');
                let next: NextStatus | undefined;
                if (p) {
                    next = validNext(p.next);
                    if (!next)
                        return invalid(type, 'next status must be Ready, NotReady or Paused with a reason');
                }
                return this.go(s, () => (this.next = next));
            }
            case 'clearNextStatus':
                if (!CALL_WORK.has(s)) return no('only during a call or its wrap');
                return this.go(s, () => (this.next = undefined));
            case 'callOffered': {
                if (s !== AgentStatus.Ready) return no('calls are offered only in Ready');
                const p = payload(full, 'callOffered');
                return this.go(AgentStatus.Ringing, () => {
                    this.beforeCall = { status: AgentStatus.Ready };
                    this.next = undefined;
                    this.interaction = p?.interactionId;
                });
            }
            case 'callAnswered': {
                if (s !== AgentStatus.Ringing) return no();
                const p = payload(full, 'callAnswered');
                return this.go(AgentStatus.Busy, () => {
                    if (p?.interactionId) this.interaction = p.interactionId;
                });
            }
            case 'callStarted': {
                if (!available && s !== AgentStatus.Wrap) return no();
                const p = payload(full, 'callStarted');
                return this.go(AgentStatus.Busy, () => {
                    // From Wrap the earlier call's "status before" and next-status choice still apply.
                    if (s !== AgentStatus.Wrap) {
                        this.beforeCall = { status: s, reason: this.pause };
                        this.next = undefined;
                    }
                    this.interaction = p?.interactionId;
                });
            }
            case 'callMissed': {
                if (s !== AgentStatus.Ringing) return no();
                const p = payload(full, 'callMissed');
                if (!p) return this.go(AgentStatus.Ready); // type-only query: legal
                const rona = p.cause === 'timeout' && this.missedCallSetsNotReady;
                const fallback: StatusTarget = rona
                    ? { status: AgentStatus.NotReady }
                    : (this.beforeCall ?? { status: AgentStatus.Ready });
                return this.afterCallWork(this.next ? nextTarget(this.next) : fallback);
            }
            case 'callEnded': {
                if (s !== AgentStatus.Busy) return no();
                const p = payload(full, 'callEnded');
                if (!p) return this.go(AgentStatus.Wrap);
                const seconds =
                    p.wrapSeconds === undefined ? this.defaultWrapSeconds : this.clampWrap(p.wrapSeconds);
                if (seconds > 0) {
                    return this.go(AgentStatus.Wrap, (now) => {
                        if (p.interactionId) this.interaction = p.interactionId;
                        this.startWrap(seconds, now);
                    });
                }
                return this.afterCallWork(this.postCallTarget());
            }
            case 'endWrap':
            case 'wrapExpired':
                if (s !== AgentStatus.Wrap) return no();
                return this.afterCallWork(this.postCallTarget());
            default:
                return invalid(type, `unknown input '${String(type)}'`);
        }
    }

    private linkRestored(): void {
        this.linkUp = true;
        this.errorText = undefined;
    }

    private linkLost(reason: string): void {
        this.linkUp = false;
        this.errorText = reason;
    }

    private go(to: AgentStatus, apply?: (now: number) => void): Decision {
        return { ok: true, to, apply };
    }

    /** Status after call work: the next status chosen, else the status before the call, else Ready. */
    private postCallTarget(): StatusTarget {
        if (this.next) return nextTarget(this.next);
        return this.beforeCall ?? { status: AgentStatus.Ready };
    }

    /** Leaves call work for `target`, or for Error when the connection failed meanwhile. */
    private afterCallWork(target: StatusTarget): Decision {
        if (!this.linkUp) {
            return this.go(AgentStatus.Error, () => {
                this.beforeError = { ...target };
                this.errorText = this.errorText ?? 'connection lost during the call';
            });
        }
        return this.go(target.status, () => (this.pause = target.reason));
    }

    private startWrap(seconds: number, now: number): void {
        this.stopWrap();
        const timer = this.clock.setTimeout(() => {
            if (this.wrap?.timer === timer) this.send({ type: 'wrapExpired' });
        }, seconds * 1000);
        this.wrap = { seconds, startedAt: now, deadline: now + seconds * 1000, timer };
    }

    private stopWrap(): void {
        if (this.wrap) this.clock.clearTimeout(this.wrap.timer);
        this.wrap = undefined;
    }

    private clampWrap(seconds: number): number {
        if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return 0;
        return Math.min(this.maxWrapSeconds, Math.max(0, Math.round(seconds)));
    }

    private describeChange(
        from: AgentStatus,
        to: AgentStatus,
        cause: AgentStatusInputType,
        at: number,
        interactionId: string | undefined
    ): AgentStatusChange {
        const change: AgentStatusChange = { sequence: ++this.sequence, from, to, at, cause };
        if (to === AgentStatus.Paused && this.pause) change.reason = { ...this.pause };
        if (to === AgentStatus.Wrap && this.wrap) {
            change.wrapSeconds = this.wrap.seconds;
            change.wrapDeadline = this.wrap.deadline;
        }
        if (to === AgentStatus.Error && this.errorText) change.errorReason = this.errorText;
        if (interactionId) change.interactionId = interactionId;
        return change;
    }

    /** Queues a change; changes are published one at a time, in order. */
    private enqueue(change: AgentStatusChange): void {
        this.outbox.push(change);
        this.pump();
    }

    private pump(): void {
        if (this.pumping) return;
        this.pumping = (async () => {
            while (this.outbox.length > 0) {
                const change = this.outbox[0];
                try {
                    await this.port.publish(change);
                    this.outbox.shift();
                    this.failedChange = undefined;
                    this.lastPublishError = undefined;
                    this.emitter.emit('published', change);
                } catch (error) {
                    this.outbox.shift();
                    const superseded = this.outbox.length > 0;
                    if (!superseded) {
                        this.failedChange = change;
                        this.lastPublishError = error;
                    }
                    this.emitter.emit('publishFailed', { change, error, superseded });
                }
            }
        })().finally(() => {
            this.pumping = undefined;
        });
    }
}

function payload<T extends AgentStatusInputType>(
    input: AgentStatusInput | undefined,
    type: T
): Extract<AgentStatusInput, { type: T }> | undefined {
    return input && input.type === type ? (input as Extract<AgentStatusInput, { type: T }>) : undefined;
}

function invalid(type: AgentStatusInputType, message: string): Decision {
    return { ok: false, code: 'invalid-argument', message: `'${type}': ${message}` };
}

function cleanReason(reason: PauseReason | undefined): PauseReason | undefined {
    if (!reason || typeof reason.id !== 'string' || reason.id.trim() === '') return undefined;
    const label = typeof reason.label === 'string' ? reason.label : '';
    return { id: reason.id.trim().slice(0, MAX_REASON_TEXT), label: label.trim().slice(0, MAX_REASON_TEXT) };
}

function validNext(next: NextStatus | undefined): NextStatus | undefined {
    if (!next) return undefined;
    if (next.status === AgentStatus.Ready || next.status === AgentStatus.NotReady)
        return { status: next.status };
    if (next.status === AgentStatus.Paused) {
        const reason = cleanReason(next.reason);
        return reason ? { status: AgentStatus.Paused, reason } : undefined;
    }
    return undefined;
}

function nextTarget(next: NextStatus): StatusTarget {
    return next.status === AgentStatus.Paused
        ? { status: next.status, reason: next.reason }
        : { status: next.status };
}

function cloneNext(next: NextStatus): NextStatus {
    return next.status === AgentStatus.Paused
        ? { status: next.status, reason: { ...next.reason } }
        : { status: next.status };
}
