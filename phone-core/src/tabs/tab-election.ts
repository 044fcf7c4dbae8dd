/**
 * Tab election (B1; FAULT-CASES 20): exactly one browser tab - or the Salesforce utility pop-out window -
 * holds the agent's SIP registration and audio, so a call rings once and one window answers it.
 *
 * How:
 * - **Leader = holder of a Web Lock** named per org, user and secret (`ccphone:phone-leader:<org>:<user>:<lockKey>`,
 *   see election-secret.ts: a name built from host and user alone would let any script of the origin take
 *   part), requested
 *   `exclusive` and held for the leader's lifetime. Every other window queues on the same lock, so when the
 *   leader's document goes away the browser releases the lock and the next window is granted it at once.
 *   Web Locks grant a name to one holder at a time: two leaders cannot exist, also when windows start racing.
 * - **Messages over a BroadcastChannel** of the same scope and an independent secret (`<channelKey>`: only code
 *   that can read this namespace's storage hears the state or can post a command; no `storage` events, no workers: Lightning Web
 *   Security blocks them). The leader broadcasts a state snapshot on every change ({@link TabElection.publishState})
 *   and when a window says hello; followers mirror it (`stateMirrored`). Followers forward commands (answer,
 *   hangup, setStatus, dial...) with {@link TabElection.sendCommand}: request/response with ids and a timeout;
 *   the leader runs them through `handleCommand` and replies.
 * - **Heartbeat**: the leader posts one every `heartbeatMs`. A follower that hears none for `leaderStaleAfterMs`
 *   marks the leader unresponsive (`leaderChanged` with `responsive: false`) so the UI can warn "the phone in
 *   another tab is not responding". It does NOT steal the lock: a frozen leader may still be registered (and
 *   may still be in a call); stealing would make two registrations, and Web Locks release the lock by
 *   themselves when that document is discarded. When the heartbeats come back the warning clears.
 * - **Terms**: every leadership starts a term `max(now, last seen term + 1)`, carried in every leader message;
 *   followers ignore messages of an older term, and a leader that hears a newer term steps down. This orders
 *   the few milliseconds of a handover, when the old and new leader both still talk.
 *
 * Handover without double registration (a call is never duplicated):
 * - the leader's lock is released only when its document is gone, when it resigns on `pagehide` (after
 *   telling the host through `lostLeadership` and the `resign` hook, and broadcasting `resigning` with its last
 *   state), or when it agreed to a voluntary handover after `resign` completed (the host unregistered). So a
 *   window granted the lock may register at once: the old registration is gone with its WebSocket or was
 *   removed. The new leader starts with NO call: `becameLeader` carries `lastKnownState` (the old leader's last
 *   snapshot, e.g. to log an interrupted call through the outbox), never a live session.
 * - `visibilitychange` to hidden re-broadcasts the leader's state (the last reliable moment on some browsers);
 *   it does not resign - a leader in a background tab keeps working.
 * - **Voluntary handover** (the pop-out asks to take over): {@link TabElection.requestLeadership} sends
 *   `handover-request`; the leader refuses when `handoverBlocker` names a reason (e.g. `call-in-progress`), else
 *   it stops heartbeats, emits `lostLeadership`, awaits `resign` (unregister), and replies with its state; the
 *   requester then takes the lock with `steal` (jumping the queue of other windows). If the requester never
 *   takes it within `handoverTimeoutMs`, the old leader resumes (`becameLeader`, reason `handover-aborted`).
 *
 * Parts, each the one owner of its state: `leader-lock.ts` (the Web Lock request), `election-channel.ts` (the
 * BroadcastChannel), `election-names.ts` (the secret and the names), `command-relay.ts` (forwarded commands awaiting
 * a result), `handover-request.ts` (a handover this window asked for). Roles, terms and the mirrored state stay here.
 *
 * Missing APIs (no `navigator.locks` or no `BroadcastChannel`, or the lock request fails): the window
 * becomes leader on its own with `degraded: true`, so the phone still works in one tab; the UI should warn that
 * several tabs may each register.
 *
 * Role state machine (one guarded transition, {@link transitionTabRole}):
 *
 * ```text
 *            start (APIs ok)               lock granted / handover steal
 *   Idle ─────────────────────► Follower ───────────────────────────────► Leader
 *    │                            ▲   ▲                                   │  ▲
 *    │ start (degraded)           │   │ lock stolen / newer term          │  │ handover timed out
 *    └───────────────► Leader     │   └──────────── HandingOver ◄─────────┘  │ (still holds the lock)
 *                                 │                      │  handover agreed  │
 *                                 │                      └───────────────────┘
 *   Follower / Leader / HandingOver ── stop() / pagehide ──► Stopped ── start() / pageshow ──► Follower | Leader
 * ```
 */
import { Emitter } from '../util/emitter';
import { systemClock, type Clock, type TimerHandle } from '../util/clock';
import { CommandRelay } from './command-relay';
import { ElectionChannel } from './election-channel';
import { ElectionNames } from './election-names';
import { HandoverRequest } from './handover-request';
import { LeaderLock } from './leader-lock';
import {
    CommandError,
    TabRole,
    parseMessage,
    transitionTabRole,
    type BecameLeaderEvent,
    type Body,
    type DegradedReason,
    type HandoverOutcome,
    type LeaderInfo,
    type LeadershipReason,
    type LockManagerPort,
    type LostLeadershipReason,
    type Message,
    type PageLifecycleEvent,
    type TabElectionEvents,
    type TabElectionOptions,
    type TabInfo,
    type WindowKind
} from './tab-protocol';

// The vocabulary is part of the election's API (phone-core's index exports this module).
export {
    CommandError,
    TabRole,
    canTransitionTabRole,
    transitionTabRole,
    type BecameLeaderEvent,
    type BroadcastChannelFactory,
    type BroadcastChannelPort,
    type CommandErrorCode,
    type DegradedReason,
    type HandoverOutcome,
    type LeaderInfo,
    type LeadershipReason,
    type LockManagerPort,
    type LockRequestOptions,
    type LostLeadershipReason,
    type PageLifecycleEvent,
    type PageLifecyclePort,
    type TabElectionEvents,
    type TabElectionOptions,
    type TabInfo,
    type WindowKind
} from './tab-protocol';

/**
 * One window's part in the election; see the module documentation.
 *
 * ```ts
 * const election = new TabElection<PhoneSnapshot, PhoneCommand>({
 *     orgId, userId, ...browserTabElectionPorts(), kind: 'tab',
 *     handleCommand: (cmd) => phone.execute(cmd),
 *     handoverBlocker: () => (phone.hasCall ? 'call-in-progress' : null),
 *     resign: () => phone.unregister()
 * });
 * election.on('becameLeader', (e) => phone.startFresh(e.lastKnownState));
 * election.on('stateMirrored', (e) => ui.render(e.state));
 * election.start();
 * ```
 */
export class TabElection<TState = unknown, TCommand = unknown> {
    /** This window's id. */
    readonly tabId: string;
    readonly kind: WindowKind;

    private readonly options: TabElectionOptions<TCommand>;
    private readonly clock: Clock;
    private readonly heartbeatMs: number;
    private readonly staleAfterMs: number;
    private readonly commandTimeoutMs: number;
    private readonly handoverTimeoutMs: number;
    private readonly emitter = new Emitter<TabElectionEvents<TState, TCommand>>();

    private roleValue: TabRole = TabRole.Idle;
    private degradedValue: DegradedReason | null = null;
    private readonly channel: ElectionChannel;
    private readonly lock: LeaderLock;
    private readonly commands: CommandRelay<TCommand>;
    private readonly names: ElectionNames;
    private term = 0;
    private leaderValue: LeaderInfo | null = null;
    private lastLeader: TabInfo | null = null;
    private stateValue: TState | undefined;
    private hasState = false;
    private stateSeq = 0;
    private readonly handover: HandoverRequest;
    private handingOver: { to: TabInfo; id: string; timer: TimerHandle | undefined } | null = null;
    private heartbeatTimer: TimerHandle | undefined;
    private watchdogTimer: TimerHandle | undefined;
    private wantRunning = false;
    private suspended = false;
    private unsubscribeLifecycle: (() => void) | undefined;
    private idCounter = 0;

    constructor(options: TabElectionOptions<TCommand>) {
        if (!options.orgId || !options.userId) throw new TypeError('TabElection needs orgId and userId');
        this.options = options;
        this.clock = options.clock ?? systemClock;
        this.tabId = options.tabId ?? randomId();
        this.kind = options.kind ?? 'tab';
        this.heartbeatMs = Math.max(10, options.heartbeatMs ?? 1000);
        this.staleAfterMs = Math.max(this.heartbeatMs * 2, options.leaderStaleAfterMs ?? 5000);
        this.commandTimeoutMs = Math.max(1, options.commandTimeoutMs ?? 5000);
        this.handoverTimeoutMs = Math.max(1, options.handoverTimeoutMs ?? 5000);
        this.handover = new HandoverRequest(this.clock);
        this.names = new ElectionNames(options.orgId, options.userId, options.secret);
        this.channel = new ElectionChannel(this.tabId, this.kind, (data) => this.receive(data));
        this.lock = new LeaderLock({
            locks: () => this.options.locks as LockManagerPort,
            name: () => this.lockName,
            stillWanted: () => this.roleValue === TabRole.Follower,
            onGranted: (steal) => this.onLockGranted(steal),
            onEnded: (ended) => this.onLockEnded(ended)
        });
        this.commands = new CommandRelay<TCommand>({
            clock: this.clock,
            post: (body) => this.post(body),
            handler: () => this.options.handleCommand,
            onReceived: (event) => this.emitter.emit('commandReceived', event)
        });
    }

    /** Web Lock name (scoped by org, user and the secret's lock key); empty without a secret. */
    get lockName(): string {
        return this.names.lockName;
    }

    /** BroadcastChannel name (scoped by org, user and the secret's channel key); empty without a secret. */
    get channelName(): string {
        return this.names.channelName;
    }

    // ---- queries -----------------------------------------------------------------------------------------

    /** Subscribe to an event. @returns an unsubscribe function */
    on<K extends keyof TabElectionEvents<TState, TCommand>>(
        event: K,
        listener: (payload: TabElectionEvents<TState, TCommand>[K]) => void
    ): () => void {
        return this.emitter.on(event, listener);
    }

    get role(): TabRole {
        return this.roleValue;
    }

    /** True while this window holds the phone (not while handing over). */
    get isLeader(): boolean {
        return this.roleValue === TabRole.Leader;
    }

    /** True when running without Web Locks/BroadcastChannel (leader on its own). */
    get degraded(): boolean {
        return this.degradedValue !== null;
    }

    get degradedReason(): DegradedReason | null {
        return this.degradedValue;
    }

    /** The leader as this window knows it (itself when leader), or null when none is known. */
    get leader(): LeaderInfo | null {
        return this.leaderValue ? { ...this.leaderValue } : null;
    }

    /** Leader: the state it published. Follower: the state it mirrored. */
    get state(): TState | undefined {
        return this.hasState ? this.stateValue : undefined;
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------

    /** Join the election (idempotent). Also restarts after `pagehide` when the page is shown again. */
    start(): void {
        if (this.wantRunning && !this.suspended) return;
        this.wantRunning = true;
        this.suspended = false;
        if (!this.unsubscribeLifecycle && this.options.lifecycle) {
            this.unsubscribeLifecycle = this.options.lifecycle.subscribe((event) => this.onLifecycle(event));
        }
        this.run();
    }

    /** Leave the election: a leader resigns (broadcasts `resigning`, releases the lock). */
    stop(): void {
        this.wantRunning = false;
        this.suspended = false;
        this.unsubscribeLifecycle?.();
        this.unsubscribeLifecycle = undefined;
        if (this.isRunning()) this.halt('stopped');
    }

    /**
     * Leader: stop the election in every window of this user (sign-out), then here. Followers of this
     * leadership stop (`ended`) and do not queue for the lock. Elsewhere: the same as {@link stop}.
     */
    endForAll(): void {
        if (this.roleValue === TabRole.Leader && !this.degraded) this.post({ t: 'end', term: this.term });
        this.stop();
    }

    /** Stop and drop all listeners. */
    dispose(): void {
        this.stop();
        this.emitter.removeAllListeners();
    }

    // ---- leader API --------------------------------------------------------------------------------------

    /**
     * Leader: broadcast a new snapshot of the phone's state (call it on every change). It must be
     * structured-cloneable. @returns false when not leader or the snapshot could not be posted
     */
    publishState(state: TState): boolean {
        if (this.roleValue !== TabRole.Leader && this.roleValue !== TabRole.HandingOver) return false;
        this.stateValue = state;
        this.hasState = true;
        this.stateSeq++;
        if (this.degraded) return true;
        return this.post({ t: 'state', term: this.term, seq: this.stateSeq, state });
    }

    // ---- follower API ------------------------------------------------------------------------------------

    /**
     * Run a command on the leader (on this window when it is the leader) and return its result.
     * Never retried automatically (a repeated `dial` would dial twice).
     * @throws CommandError on timeout, leader change, or when the leader's handler failed
     */
    sendCommand(command: TCommand, options: { timeoutMs?: number } = {}): Promise<unknown> {
        if (this.roleValue === TabRole.Leader) {
            return this.commands.runHere(this.nextId(), command, { id: this.tabId, kind: this.kind });
        }
        if (this.roleValue === TabRole.HandingOver) {
            return Promise.reject(new CommandError('handing-over', 'This window is handing the phone over'));
        }
        if (this.roleValue !== TabRole.Follower) {
            return Promise.reject(new CommandError('not-running', 'The tab election is not running'));
        }
        const id = this.nextId();
        const to = this.leaderValue?.id ?? null;
        return this.commands.forward(id, to, command, options.timeoutMs ?? this.commandTimeoutMs);
    }

    /**
     * Ask the leader to hand the phone over to this window (the pop-out does so when it opens). Refused while
     * the leader has a call (`handoverBlocker`); resolves `{ granted: true }` once this window is leader.
     */
    requestLeadership(): Promise<HandoverOutcome> {
        if (this.roleValue === TabRole.Leader) return Promise.resolve({ granted: true });
        if (this.roleValue !== TabRole.Follower)
            return Promise.resolve({ granted: false, reason: 'not-running' });
        const underWay = this.handover.pending;
        if (underWay) return underWay.promise;
        return this.handover.start(this.nextId(), this.handoverTimeoutMs, (id) =>
            this.post({ t: 'handover-request', id, to: this.leaderValue?.id ?? null })
        );
    }

    // ---- internals: running ------------------------------------------------------------------------------

    private isRunning(): boolean {
        return this.roleValue !== TabRole.Idle && this.roleValue !== TabRole.Stopped;
    }

    private moveTo(to: TabRole): void {
        this.roleValue = transitionTabRole(this.roleValue, to);
    }

    private run(): void {
        const { locks, createChannel } = this.options;
        if (!locks || typeof locks.request !== 'function') return this.degrade('no-web-locks');
        if (typeof createChannel !== 'function') return this.degrade('no-broadcast-channel');
        if (!this.names.refresh()) return this.degrade('no-shared-secret');
        if (!this.channel.open(createChannel, this.channelName)) return this.degrade('no-broadcast-channel');
        this.degradedValue = null;
        this.moveTo(TabRole.Follower);
        this.post({ t: 'hello' });
        this.scheduleWatchdog();
        this.lock.request(false);
    }

    private degrade(reason: DegradedReason): void {
        this.channel.close();
        this.degradedValue = reason;
        this.moveTo(TabRole.Leader);
        this.term = Math.max(this.clock.now(), this.term + 1);
        const previous = this.leaderValue && this.leaderValue.id !== this.tabId ? this.leaderValue : null;
        this.leaderValue = this.selfInfo();
        const event: BecameLeaderEvent<TState> = { reason: 'degraded', degraded: true };
        if (previous) event.previousLeader = { id: previous.id, kind: previous.kind };
        this.emitter.emit('becameLeader', event);
        this.emitter.emit('leaderChanged', { leader: this.leader, self: true });
    }

    /** Leave the running roles: resign when leading, cancel everything, keep listeners. */
    private halt(reason: 'pagehide' | 'stopped'): void {
        const wasLeading = this.roleValue === TabRole.Leader || this.roleValue === TabRole.HandingOver;
        const alreadyAnnounced = this.roleValue === TabRole.HandingOver;
        if (wasLeading) {
            if (!alreadyAnnounced) {
                this.emitter.emit('lostLeadership', { reason });
                this.callResign(reason);
            }
            if (!this.degraded) {
                const resigning: Body = { t: 'resigning', term: this.term };
                if (this.hasState) resigning.state = this.stateValue;
                this.post(resigning);
            }
        }
        this.lock.release();
        this.clearTimers();
        this.commands.rejectPending('not-running', 'The tab election stopped');
        if (this.handover.pending) {
            this.handover.finish(this.handover.pending.id, { granted: false, reason: 'not-running' });
        }
        this.handingOver = null;
        this.channel.close();
        this.moveTo(TabRole.Stopped);
        if (wasLeading) {
            this.leaderValue = null;
            this.emitter.emit('leaderChanged', { leader: null, self: false });
        }
    }

    private onLifecycle(event: PageLifecycleEvent): void {
        if (event.type === 'pagehide') {
            if (this.isRunning()) {
                this.suspended = true;
                this.halt('pagehide');
            }
        } else if (event.type === 'pageshow') {
            // Back from the back/forward cache: join again as a follower (someone else may lead by now).
            if (event.persisted && this.wantRunning && this.suspended) this.start();
        } else if (event.hidden) {
            if (this.isLeader && this.hasState && !this.degraded) {
                this.post({
                    t: 'state',
                    term: this.term,
                    seq: this.stateSeq,
                    state: this.stateValue
                });
            }
        } else if (this.roleValue === TabRole.Follower) {
            this.post({ t: 'hello' });
        }
    }

    // ---- internals: the lock -----------------------------------------------------------------------------

    /** The lock request ended without this window releasing it: it failed, or the held lock was stolen. */
    private onLockEnded(attempt: { granted: boolean; steal: boolean }): void {
        if (!attempt.granted) {
            if (attempt.steal) {
                // The steal failed: queue normally again and tell the requester.
                if (this.handover.pending) {
                    this.handover.finish(this.handover.pending.id, {
                        granted: false,
                        reason: 'lock-failed'
                    });
                }
                if (this.roleValue === TabRole.Follower) this.lock.request(false);
                return;
            }
            if (this.roleValue === TabRole.Follower) this.degrade('lock-request-failed');
            return;
        }
        // Held and ended without this window releasing it: the lock was stolen.
        if (this.roleValue === TabRole.Leader || this.roleValue === TabRole.HandingOver)
            this.stepDown('superseded');
    }

    private onLockGranted(steal: boolean): void {
        const previous =
            this.leaderValue && this.leaderValue.id !== this.tabId ? this.leaderValue : this.lastLeader;
        const reason: LeadershipReason = steal ? 'handover' : previous ? 'leader-gone' : 'initial';
        this.becomeLeader(reason, previous ? { id: previous.id, kind: previous.kind } : undefined);
    }

    private becomeLeader(reason: LeadershipReason, previousLeader: TabInfo | undefined): void {
        // The mirrored snapshot was the previous leader's: hand it over as history, never as this window's call.
        const lastKnownState = this.hasState ? this.stateValue : undefined;
        this.stateValue = undefined;
        this.hasState = false;
        this.stateSeq = 0;
        this.term = Math.max(this.clock.now(), this.term + 1);
        this.moveTo(TabRole.Leader);
        this.clearWatchdog();
        this.leaderValue = this.selfInfo();
        this.commands.rejectPending('leader-changed', 'The phone moved to this window');
        this.post({ t: 'leader', term: this.term });
        this.scheduleHeartbeat();
        const event: BecameLeaderEvent<TState> = { reason, degraded: false };
        if (previousLeader) event.previousLeader = previousLeader;
        if (lastKnownState !== undefined) event.lastKnownState = lastKnownState;
        this.emitter.emit('becameLeader', event);
        this.emitter.emit('leaderChanged', { leader: this.leader, self: true });
        // Also when the lock came through the queue (the old leader closed) while a handover was being asked.
        if (this.handover.pending) this.handover.finish(this.handover.pending.id, { granted: true });
    }

    /** Leader or handing over -> follower (lock stolen or a newer term heard); queue for the lock again. */
    private stepDown(reason: LostLeadershipReason): void {
        const announced = this.roleValue === TabRole.HandingOver;
        if (this.handingOver) this.clock.clearTimeout(this.handingOver.timer);
        this.handingOver = null;
        this.clearHeartbeat();
        this.lock.release();
        this.moveTo(TabRole.Follower);
        this.leaderValue = null;
        this.stateValue = undefined;
        this.hasState = false;
        this.stateSeq = 0;
        if (!announced) {
            this.emitter.emit('lostLeadership', { reason });
            this.callResign(reason);
        }
        this.scheduleWatchdog();
        this.lock.request(false);
    }

    // ---- internals: messages -----------------------------------------------------------------------------

    private post(body: Body): boolean {
        return this.channel.post(body);
    }

    private receive(data: unknown): void {
        const message = parseMessage(data);
        if (!message || message.from === this.tabId || !this.isRunning() || this.degraded) return;
        const sender: TabInfo = { id: message.from, kind: message.kind };
        switch (message.t) {
            case 'leader':
            case 'heartbeat':
            case 'state':
                this.observeLeader(message);
                return;
            case 'hello':
                if (this.isLeader) {
                    this.post(
                        this.hasState
                            ? { t: 'state', term: this.term, seq: this.stateSeq, state: this.stateValue }
                            : { t: 'heartbeat', term: this.term, seq: this.stateSeq }
                    );
                }
                return;
            case 'resigning':
                this.observeResigning(message);
                return;
            case 'end':
                // only the leader this window follows (same term or newer) can end it
                if (this.roleValue !== TabRole.Follower || message.term < this.term) return;
                if (this.leaderValue && this.leaderValue.id !== message.from) return;
                this.stop();
                this.emitter.emit('ended', { by: sender });
                return;
            case 'command':
                if (message.to !== null && message.to !== this.tabId) return;
                if (this.roleValue === TabRole.Leader) {
                    this.commands.answer(message.id, message.command as TCommand, sender);
                } else if (this.roleValue === TabRole.HandingOver) {
                    this.commands.refuseWhileHandingOver(message.id, sender);
                }
                return;
            case 'result':
                if (message.to === this.tabId) this.commands.settle(message.id, message);
                return;
            case 'handover-request':
                if (message.to !== null && message.to !== this.tabId) return;
                if (this.roleValue === TabRole.Leader) void this.grantOrRefuseHandover(message.id, sender);
                else if (this.roleValue === TabRole.HandingOver) {
                    this.post({
                        t: 'handover-reply',
                        id: message.id,
                        to: sender.id,
                        granted: false,
                        reason: 'handover-in-progress'
                    });
                }
                return;
            case 'handover-reply':
                if (message.to === this.tabId) this.onHandoverReply(message, sender);
                return;
        }
    }

    private observeLeader(message: Message & { t: 'leader' | 'heartbeat' | 'state' }): void {
        if (message.term < this.term) return; // an older leadership still talking
        if (this.roleValue === TabRole.Leader || this.roleValue === TabRole.HandingOver) {
            if (message.term === this.term) return;
            this.stepDown('superseded'); // the lock went to a newer leader
        }
        const now = this.clock.now();
        const previous = this.leaderValue;
        const isNewLeader = !previous || previous.id !== message.from || message.term > previous.term;
        if (isNewLeader) {
            this.commands.rejectPending(
                'leader-changed',
                'The phone moved to another window',
                (pending) => pending.to !== null
            );
            this.stateValue = undefined;
            this.hasState = false;
            this.stateSeq = 0;
        }
        this.term = message.term;
        this.leaderValue = {
            id: message.from,
            kind: message.kind,
            responsive: true,
            lastSeenAt: now,
            term: message.term
        };
        this.lastLeader = { id: message.from, kind: message.kind };
        if (isNewLeader || !previous?.responsive) {
            this.emitter.emit('leaderChanged', { leader: this.leader, self: false });
        }
        if (message.t === 'state') {
            this.stateValue = message.state as TState;
            this.hasState = true;
            this.stateSeq = message.seq;
            this.emitter.emit('stateMirrored', { state: this.stateValue, leader: { ...this.lastLeader } });
        } else if (message.t === 'heartbeat' && message.seq !== this.stateSeq) {
            this.post({ t: 'hello' }); // a snapshot was missed (e.g. this window was frozen)
        }
    }

    private observeResigning(message: Message & { t: 'resigning' }): void {
        if (message.term < this.term || this.roleValue !== TabRole.Follower) return;
        if (this.leaderValue && this.leaderValue.id !== message.from) return;
        this.lastLeader = { id: message.from, kind: message.kind };
        if (message.state !== undefined) {
            this.stateValue = message.state as TState;
            this.hasState = true;
        }
        this.leaderValue = null;
        this.commands.rejectPending('leader-gone', 'The window with the phone closed');
        this.emitter.emit('leaderChanged', { leader: null, self: false });
    }

    // ---- internals: handover -----------------------------------------------------------------------------

    private async grantOrRefuseHandover(id: string, requester: TabInfo): Promise<void> {
        let blocker: string | null;
        try {
            blocker = this.options.handoverBlocker?.() ?? null;
        } catch (error) {
            blocker = `policy-error: ${errorText(error)}`;
        }
        if (blocker) {
            this.post({ t: 'handover-reply', id, to: requester.id, granted: false, reason: blocker });
            return;
        }
        this.moveTo(TabRole.HandingOver);
        this.clearHeartbeat();
        const handover = { to: requester, id, timer: undefined as TimerHandle | undefined };
        this.handingOver = handover;
        this.emitter.emit('lostLeadership', { reason: 'handover', to: requester });
        await this.awaitResign('handover');
        if (this.handingOver !== handover || this.roleValue !== TabRole.HandingOver) return;
        const reply: Body = { t: 'handover-reply', id, to: requester.id, granted: true, term: this.term };
        if (this.hasState) reply.state = this.stateValue;
        this.post(reply);
        handover.timer = this.clock.setTimeout(() => {
            if (this.handingOver !== handover || this.roleValue !== TabRole.HandingOver) return;
            // The requester never took the lock: this window still holds it and carries on.
            this.handingOver = null;
            this.moveTo(TabRole.Leader);
            this.post({ t: 'leader', term: this.term });
            this.scheduleHeartbeat();
            const event: BecameLeaderEvent<TState> = { reason: 'handover-aborted', degraded: false };
            if (this.hasState) event.lastKnownState = this.stateValue;
            this.emitter.emit('becameLeader', event);
        }, this.handoverTimeoutMs);
    }

    private onHandoverReply(message: Message & { t: 'handover-reply' }, sender: TabInfo): void {
        const pending = this.handover.pending;
        if (!pending || pending.id !== message.id || pending.stealing) return;
        if (!message.granted) {
            this.handover.finish(pending.id, { granted: false, reason: message.reason });
            return;
        }
        if (this.roleValue !== TabRole.Follower || (this.leaderValue && this.leaderValue.id !== sender.id)) {
            this.handover.finish(pending.id, { granted: false, reason: 'leader-changed' });
            return;
        }
        pending.stealing = true;
        this.term = Math.max(this.term, message.term);
        if (message.state !== undefined) {
            this.stateValue = message.state as TState;
            this.hasState = true;
        }
        this.leaderValue = null;
        this.lastLeader = sender;
        // Leave the queue and take the lock ahead of the other windows: the leader agreed and has resigned.
        this.lock.release();
        this.lock.request(true);
    }

    private callResign(reason: LostLeadershipReason): void {
        try {
            void Promise.resolve(this.options.resign?.(reason)).catch(() => undefined);
        } catch {
            // The host's teardown failed; leadership moves on regardless.
        }
    }

    private async awaitResign(reason: LostLeadershipReason): Promise<void> {
        const hook = this.options.resign;
        if (!hook) return;
        let timer: TimerHandle | undefined;
        const budget = new Promise<void>((resolve) => {
            timer = this.clock.setTimeout(resolve, this.handoverTimeoutMs);
        });
        const done = (async () => hook(reason))().catch(() => undefined);
        await Promise.race([done, budget]);
        this.clock.clearTimeout(timer);
    }

    // ---- internals: timers -------------------------------------------------------------------------------

    private scheduleHeartbeat(): void {
        this.clearHeartbeat();
        this.heartbeatTimer = this.clock.setTimeout(() => {
            this.heartbeatTimer = undefined;
            if (this.roleValue !== TabRole.Leader || this.degraded) return;
            if (this.names.moved()) return this.rejoin();
            this.post({ t: 'heartbeat', term: this.term, seq: this.stateSeq });
            this.scheduleHeartbeat();
        }, this.heartbeatMs);
    }

    private clearHeartbeat(): void {
        if (this.heartbeatTimer !== undefined) this.clock.clearTimeout(this.heartbeatTimer);
        this.heartbeatTimer = undefined;
    }

    private scheduleWatchdog(): void {
        this.clearWatchdog();
        this.watchdogTimer = this.clock.setTimeout(() => {
            this.watchdogTimer = undefined;
            if (this.roleValue !== TabRole.Follower) return;
            if (this.names.moved()) return this.rejoin();
            const leader = this.leaderValue;
            if (leader && leader.responsive && this.clock.now() - leader.lastSeenAt > this.staleAfterMs) {
                // Frozen or hung leader: warn, never steal (it may still be registered or in a call).
                leader.responsive = false;
                this.emitter.emit('leaderChanged', { leader: this.leader, self: false });
            }
            this.scheduleWatchdog();
        }, this.heartbeatMs);
    }

    /** Leave the election under the old names (a leader resigns) and join again under the stored secret. */
    private rejoin(): void {
        this.halt('stopped');
        this.run();
    }

    private clearWatchdog(): void {
        if (this.watchdogTimer !== undefined) this.clock.clearTimeout(this.watchdogTimer);
        this.watchdogTimer = undefined;
    }

    private clearTimers(): void {
        this.clearHeartbeat();
        this.clearWatchdog();
        if (this.handingOver) this.clock.clearTimeout(this.handingOver.timer);
    }

    private selfInfo(): LeaderInfo {
        return {
            id: this.tabId,
            kind: this.kind,
            responsive: true,
            lastSeenAt: this.clock.now(),
            term: this.term
        };
    }

    private nextId(): string {
        return `${this.tabId}#${++this.idCounter}`;
    }
}

// ---- helpers -------------------------------------------------------------------------------------------------

function randomId(): string {
    const uuid = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto?.randomUUID?.();
    if (uuid) return uuid;
    return `tab-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e12).toString(36)}`;
}

function errorText(error: unknown): string {
    if (error instanceof Error) return error.message || error.name;
    return typeof error === 'string' ? error : 'Unknown error';
}
