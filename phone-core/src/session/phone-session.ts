/**
 * `PhoneSession`: the orchestrator that composes phone-core's parts into the one phone the UI binds to.
 *
 * ```text
 *                        ┌──────────────── every tab ─────────────────┐
 *   UI (LWC) ──commands──► PhoneSession ──► TabElection (Web Locks + BroadcastChannel)
 *        ▲                     │ leader?                       │ follower: sendCommand() to the leader,
 *        │ stateChanged,       ▼                               │ render the mirrored PhoneViewState
 *        │ screenPop,    ┌─ leader stack ─────────────────┐    │
 *        │ callEvent,    │ SipPhone (sip.js, registration)│    │
 *        │ notification  │ AgentStatusMachine ──► host.publishAgentStatus
 *        │               │ CallLogOutbox ───────► host.saveCallLog (one Task per interaction id)
 *        └───────────────│ interactions (wrap-up drafts) ─► storage
 *                        └────────────────────────────────┘
 * ```
 *
 * Decisions (why the code is shaped this way):
 * - **One API in every tab.** Commands are plain data ({@link PhoneCommand}); the leader runs them, a follower
 *   forwards them with `TabElection.sendCommand` (never retried: a repeated dial would dial twice). The leader
 *   publishes a JSON {@link PhoneViewState} at most once per microtask (coalesced); one-off events (screen pop,
 *   call events, notifications) travel inside it (`events`, with a clock-based sequence that grows across
 *   leaders) so every tab emits them exactly once, and the UI decides which tab acts (e.g. the visible one).
 * - **Only Ready takes calls.** SipPhone offers every INVITE (it rejects only while busy without call waiting);
 *   the session answers 486 to a call offered while the agent is not Ready (NotReady, Paused, Wrap, Error),
 *   as agent-status.ts prescribes. Such calls belong to the contact centre's routing and are not logged here
 *   (the contact centre's push reconciles them, B2).
 * - **Interactions.** Each primary call leg is an interaction ({@link InteractionState}: InCall -> WrapUp ->
 *   Logged) keyed by the contact centre's interaction id; consultation legs belong to their primary and are
 *   not logged on their own. The interaction (call summary + wrap-up draft) is written to storage on every
 *   change, and its log goes to the outbox on the single transition into Logged: exactly once per call.
 *   Not answered (missed, rejected, busy, no answer, failed): logged when the call ends (after waiting, at most
 *   10 s, for a lookup still running, so the Task gets its Who/What in one write). Answered: wrap-up, logged
 *   when the agent submits, when the agent status leaves Wrap (timer, end early, a status change, a new dial),
 *   or at once when the wrap time is 0.
 * - **Leader changes.** A resigning leader (tab closed, handover) stops SIP (its calls end and their
 *   wrap-ups are stored with their own deadline) and its outbox. The next leader reloads the outbox, restores
 *   stored wrap-ups (logged at their deadline or on submit; the agent status is not Wrap any more), logs
 *   interactions that were still InCall (the call died with the old page) unless the outbox already has them,
 *   and restores Ready/Paused from the old leader's last state. The agent status `sequence` is re-based on the
 *   clock per leader (`now * 1000 + n`) so the contact centre can keep dropping stale changes across leaders.
 * - **Remote party changes.** An established call can get a new remote party without a new call id: this agent
 *   is the target of an attended transfer (INVITE with Replaces) or the remote side transferred the call.
 *   When a `callUpdated` snapshot names another number (compared normalised), or another display name on a
 *   call that was already answered (the answer of an outbound call may carry the callee's asserted name: the
 *   party dialled, not a new one), the caller card is rebuilt (plain text) and the lookup and screen-pop
 *   decision run again for the new party: one lookup per change, by number (+ the interaction's IVR case
 *   code; never the dialled-from record, which was the old party's). A lookup result that arrives after a
 *   newer change (or a newer lookup) is dropped. The old party's screen-pop relation goes away (the Task must
 *   not name the wrong person); a record the agent related by hand (`chosen`, `on-screen`) is kept as the
 *   Task's relation and stays among the candidates, and no `screenPop` event is emitted for it (the agent is
 *   not navigated away); only the card and the candidates follow the new party. The interaction stays one
 *   (same id): it is logged once, and its Task records the party the agent ended up talking to (number, name,
 *   Who/What unless chosen by hand).
 * - **Events.** `screenPop` once per call when the lookup answered, and again after a remote party change
 *   (outbound too: `source: 'dialled-from'` means the agent is already on that record); `notification`
 *   `incoming-call` also waits for the lookup so it can name the caller; `callEvent` `ringing`/`dialing` at
 *   once, then `answered`, `ended`, and `logged` when the server saved the Task (the outbox's `sent`, with
 *   its `taskId`): once per interaction, also when the log is re-sent later (callback flag, a merge in flight)
 *   or by the next leader. A log that ends in needs-attention has no `logged` (the `call-log-needs-attention`
 *   notification says so) until a retry saves it.
 * - **Microphone first.** `checkMicrophone` runs before credentials are fetched; denied/blocked: no
 *   registration, `microphone` says why, `restartPhone()` tries again. A credentials failure is retried with
 *   backoff (1 s .. 30 s) and shows `credentials`.
 * - **Text.** The core emits codes, never English for the agent; caller text is kept as plain text.
 *
 * Rooms (each owns its state; they talk through the small port interfaces in their constructors):
 * - {@link EventJournal} (`event-journal.ts`): one-off events, their sequence, `logged` bookkeeping.
 * - {@link InteractionBook} (`interaction-book.ts`): call legs, open interactions, own-deadline timers,
 *   recent calls, the single transition into Logged.
 * - {@link CallerLookup} (`caller-lookup.ts`): running lookups and the screen-pop decision.
 * - {@link LeaderRuntime} (`leader-stack.ts`): SipPhone + AgentStatusMachine from start to teardown.
 * - {@link CallFlow} (`call-flow.ts`): SIP call and agent status events into interactions.
 * - {@link SessionCommands} (`session-commands.ts`): command execution on the leader.
 * - {@link ViewStateBuilder} (`view-state.ts`): the leader's and a follower's view state.
 * - `session-helpers.ts`: pure helpers.
 * This class wires them, runs the election (leader or follower), owns the error slot and publishes the state.
 *
 * @packageDocumentation
 */
import { CallLogOutbox, OutboxEntryState } from '../outbox/call-log-outbox';
import type { PhoneNumberOptions } from '../phone-number';
import type { RecordingInput } from '../recording/recording-control';
import type { ScreenPopRules, TaskRelationOptions } from '../screen-pop/screen-pop';
import { browserMediaPort, type AudioDevices, type MediaPort } from '../sip/media';
import { browserTabElectionPorts } from '../tabs/browser-ports';
import { forgetElectionSecret, loadElectionSecret, type SecretStorage } from '../tabs/election-secret';
import {
    TabElection,
    TabRole,
    type BecameLeaderEvent,
    type LeaderInfo,
    type LostLeadershipReason
} from '../tabs/tab-election';
import { systemClock, type Clock } from '../util/clock';
import { Emitter } from '../util/emitter';
import { CallFlow } from './call-flow';
import { CallRejoin } from './call-rejoin';
import { CallerLookup } from './caller-lookup';
import { EventJournal } from './event-journal';
import { InteractionBook } from './interaction-book';
import { LeaderRuntime } from './leader-stack';
import { forwardedCommand, SessionCommands } from './session-commands';
import {
    asSessionResult,
    cloneJson,
    defaultStorage,
    errorText,
    errorView,
    restorableStatus,
    withTimeout
} from './session-helpers';
import { PhoneSessionStore } from './session-store';
import {
    PHONE_VIEW_STATE_VERSION,
    type DialContext,
    type LeaderView,
    type PhoneApi,
    type PhoneCommand,
    type PhoneErrorCode,
    type PhoneErrorView,
    type PhoneRole,
    type PhoneSessionEvents,
    type PhoneSessionOptions,
    type PhoneViewState,
    type RecordRef,
    type SessionResult,
    type StatusRequest,
    type WrapUpForm
} from './types';
import { ViewStateBuilder } from './view-state';

const DEFAULT_RECENT_CALLS = 20;
const MAX_RECENT_CALLS = 100;
/** Budget for publishing `logout` on stop(). */
const LOGOUT_BUDGET_MS = 3000;
/** Longest the Ringing status publish waits for the call's caller lookup (LeaderRuntimePorts.ringingPublishGate). */
const RINGING_PUBLISH_WAIT_MS = 2000;
/** Budget for sending the unsent logs on sign-out. */
const SIGN_OUT_FLUSH_BUDGET_MS = 15_000;

/**
 * The phone the UI binds to; see the module documentation.
 *
 * ```ts
 * const session = new PhoneSession({ host, orgId, userId, settings });
 * session.on('stateChanged', (state) => render(state));
 * session.on('screenPop', (pop) => navigate(pop.decision));
 * await session.start();
 * await session.setStatus({ status: 'Ready' });
 * ```
 */
export class PhoneSession implements PhoneApi {
    /** This window's id in the election. */
    readonly tabId: string;

    private readonly clock: Clock;
    private readonly media: MediaPort;
    private readonly schedule: (task: () => void) => void;
    private readonly emitter = new Emitter<PhoneSessionEvents>();
    private readonly election: TabElection<PhoneViewState, PhoneCommand>;
    private readonly outbox: CallLogOutbox;
    private readonly store: PhoneSessionStore;
    private readonly storage: SecretStorage | null;
    private readonly scope: string;
    private readonly journal: EventJournal;
    private readonly book: InteractionBook;
    private readonly lookup: CallerLookup;
    private readonly runtime: LeaderRuntime;
    private readonly rejoin: CallRejoin;
    private readonly commands: SessionCommands;
    private readonly view: ViewStateBuilder;

    private error: PhoneErrorView | null = null;
    private dirty = false;
    private current: PhoneViewState;
    private mirrored: PhoneViewState | undefined;
    private localError: PhoneErrorView | null = null;
    private leaderView: LeaderView | null = null;
    private started = false;
    private disposed = false;

    constructor(options: PhoneSessionOptions) {
        if (!options || !options.host || !options.orgId || !options.userId || !options.settings) {
            throw new TypeError('PhoneSession needs host, orgId, userId and settings');
        }
        const host = options.host;
        const settings = options.settings;
        const env = options.browser ?? {};
        this.clock = env.clock ?? systemClock;
        this.media = env.media ?? browserMediaPort();
        this.schedule = env.schedule ?? ((task) => void Promise.resolve().then(task));
        const clock = this.clock;
        const changed = (): void => this.markDirty();
        const setError = this.setError.bind(this);
        const numberOptions: PhoneNumberOptions = {
            defaultCountry: settings.defaultCountry ?? '',
            defaultAreaCode: settings.defaultAreaCode
        };
        const relationOptions: TaskRelationOptions = {
            relateContactAccount: settings.relateContactAccount === true
        };
        const screenPopRules: ScreenPopRules = {
            ...settings.screenPop,
            autoCreateCase: settings.autoCreateCase ?? settings.screenPop?.autoCreateCase
        };
        const recentLimit = Math.min(
            MAX_RECENT_CALLS,
            Math.max(1, Math.round(settings.recentCallsLimit ?? DEFAULT_RECENT_CALLS))
        );
        const unknownCallerName = settings.unknownCallerName || 'Unknown caller';

        const ports = browserTabElectionPorts();
        const scope = `${options.orgId}:${options.userId}`;
        const storage = env.storage === undefined ? defaultStorage() : env.storage;
        this.storage = storage;
        this.scope = scope;
        this.store = new PhoneSessionStore(storage, scope, () => clock.now());
        this.outbox = new CallLogOutbox({
            storage,
            scope,
            sender: { send: (entry) => host.saveCallLog(entry) },
            clock,
            random: env.random,
            isLeader: () => this.isLeading()
        });
        this.journal = new EventJournal({ clock, numberOptions, unknownCallerName, changed });
        this.runtime = new LeaderRuntime({
            host,
            options,
            settings,
            clock,
            media: this.media,
            events: {
                incomingCall: (stack, snapshot) => flow.incomingCall(stack, snapshot),
                callUpdated: (stack, snapshot) => flow.callUpdated(stack, snapshot),
                callEnded: (stack, snapshot) => flow.callEnded(stack, snapshot),
                quality: (callId, score) => flow.quality(callId, score),
                agentStatusChanged: (stack, change) => flow.agentStatusChanged(stack, change)
            },
            ringingPublishGate: (interactionId) =>
                this.lookup.settled(interactionId, RINGING_PUBLISH_WAIT_MS),
            restoreStatus: (stack, request) => void this.commands.setStatus(stack, request),
            registered: (stack) => void this.rejoin.registered(stack),
            beforeStop: (stack) => {
                this.book.cancelOwnTimers();
                this.book.detachAgentBoundWrapUps(stack.agent.wrapDeadline);
            },
            abandoned: () => {
                this.outbox.stop();
                this.rejoin.clear();
                this.book.clearLive();
                this.lookup.clear();
            },
            setError,
            clearErrorIf: (codes) => {
                if (this.error && codes.includes(this.error.code)) this.error = null;
            },
            changed
        });
        this.book = new InteractionBook({
            clock,
            store: this.store,
            outbox: this.outbox,
            numberOptions,
            agentUserId: options.userId,
            unknownCallerName,
            recentLimit,
            defaultWrapSeconds: settings.defaultWrapSeconds ?? 0,
            mayPersist: () => {
                const role = this.election?.role;
                return role === TabRole.Leader || role === TabRole.HandingOver;
            },
            isLeading: () => this.isLeading(),
            agentNumber: () => this.runtime.agentNumber,
            campaigns: () => this.runtime.campaigns,
            logged: (record) => this.journal.awaitLogged(record),
            changed
        });
        this.rejoin = new CallRejoin({ host, clock, book: this.book, changed });
        this.lookup = new CallerLookup({
            clock,
            numberOptions,
            screenPopRules,
            relationOptions,
            book: this.book,
            journal: this.journal,
            lookupCaller: (request) => host.lookupCaller(request),
            setError,
            changed
        });
        const flow = new CallFlow({
            clock,
            numberOptions,
            callWaiting: settings.callWaiting === true,
            book: this.book,
            lookup: this.lookup,
            journal: this.journal,
            pendingDial: () => this.commands.pendingDial,
            rejoining: () => this.rejoin.pendingRecord(),
            changed
        });
        this.commands = new SessionCommands({
            clock,
            numberOptions,
            relationOptions,
            runtime: this.runtime,
            book: this.book,
            outbox: this.outbox,
            fail: this.fail.bind(this),
            clearError: () => {
                this.error = null;
            },
            errorCode: () => this.error?.code,
            signOut: () => this.signOutNow(),
            controlRecording: (interactionId, request) =>
                host.controlRecording
                    ? host.controlRecording(interactionId, request)
                    : Promise.reject(new Error('the contact centre cannot control recordings'))
        });
        this.watchOutbox();

        this.election = new TabElection<PhoneViewState, PhoneCommand>({
            orgId: options.orgId,
            userId: options.userId,
            secret: () => loadElectionSecret(storage, scope),
            locks: env.locks === undefined ? ports.locks : env.locks,
            createChannel: env.createChannel === undefined ? ports.createChannel : env.createChannel,
            lifecycle: env.lifecycle ?? ports.lifecycle,
            clock,
            tabId: env.tabId,
            kind: env.windowKind ?? 'tab',
            ...options.election,
            // another tab's command: only the allow-listed, well-formed ones reach the command code
            handleCommand: (command) => {
                const allowed = forwardedCommand(command);
                return allowed ? this.execute(allowed) : this.fail('invalid-argument', 'command not allowed');
            },
            handoverBlocker: () =>
                this.runtime.current && this.runtime.current.phone.activeCalls().length > 0
                    ? 'call-in-progress'
                    : null,
            resign: (reason) => this.resign(reason)
        });
        this.tabId = this.election.tabId;
        this.election.on('becameLeader', (event) => this.onBecameLeader(event));
        this.election.on('stateMirrored', ({ state }) => {
            this.mirrored = state;
            this.markDirty();
        });
        this.election.on('leaderChanged', ({ leader, self }) => this.onLeaderChanged(leader, self));
        this.election.on('lostLeadership', () => this.markDirty());
        this.election.on('ended', () => this.onEnded());
        this.view = new ViewStateBuilder({
            clock,
            runtime: this.runtime,
            book: this.book,
            journal: this.journal,
            commands: this.commands,
            store: this.store,
            outbox: this.outbox,
            role: () => this.roleNow(),
            leader: () => this.leaderView,
            degraded: () => this.election.degraded,
            error: () => this.error
        });
        this.current = this.view.emptyState();
    }

    // =========================================================================================================
    // Life cycle, state and events
    // =========================================================================================================

    /** Join the tab election; the leader tab then starts the phone. Idempotent. */
    async start(): Promise<void> {
        if (this.disposed) throw new Error('PhoneSession is disposed');
        if (this.started) return;
        this.started = true;
        this.election.start();
        this.markDirty();
    }

    /**
     * Log out and leave: the leader publishes Offline (at most 3 s), hangs up, unregisters, stores open
     * wrap-ups (they come back on the next start) and releases the phone to another tab.
     */
    async stop(): Promise<void> {
        if (!this.started) return;
        const stack = this.runtime.usable;
        if (stack) {
            stack.agent.send({ type: 'logout' });
            await withTimeout(this.clock, stack.agent.flush(), LOGOUT_BUDGET_MS);
        }
        this.started = false;
        this.election.stop();
        await this.runtime.tornDown;
        this.markDirty();
    }

    /** Stop and drop every listener. */
    async dispose(): Promise<void> {
        await this.stop();
        this.disposed = true;
        this.election.dispose();
        this.outbox.dispose();
        this.emitter.removeAllListeners();
    }

    /** The current view state (a copy: mutating it changes nothing). */
    get state(): PhoneViewState {
        return cloneJson(this.current);
    }

    /** This tab holds the phone (leader or degraded). */
    get isLeader(): boolean {
        return this.isLeading();
    }

    /** Subscribe to an event. @returns an unsubscribe function */
    on<K extends keyof PhoneSessionEvents>(
        event: K,
        listener: (payload: PhoneSessionEvents[K]) => void
    ): () => void {
        return this.emitter.on(event, listener);
    }

    /** Unsubscribe. */
    off<K extends keyof PhoneSessionEvents>(
        event: K,
        listener: (payload: PhoneSessionEvents[K]) => void
    ): void {
        this.emitter.off(event, listener);
    }

    // =========================================================================================================
    // Commands (identical in every tab)
    // =========================================================================================================

    send(command: PhoneCommand): Promise<SessionResult> {
        return this.run(command);
    }
    setStatus(request: StatusRequest): Promise<SessionResult> {
        return this.run({ type: 'setStatus', request });
    }
    clearNextStatus(): Promise<SessionResult> {
        return this.run({ type: 'clearNextStatus' });
    }
    answer(callId?: string): Promise<SessionResult> {
        return this.run({ type: 'answer', callId });
    }
    reject(callId?: string): Promise<SessionResult> {
        return this.run({ type: 'reject', callId });
    }
    hangup(callId?: string): Promise<SessionResult> {
        return this.run({ type: 'hangup', callId });
    }
    hold(callId?: string): Promise<SessionResult> {
        return this.run({ type: 'hold', callId });
    }
    resume(callId?: string): Promise<SessionResult> {
        return this.run({ type: 'resume', callId });
    }
    mute(callId?: string): Promise<SessionResult> {
        return this.run({ type: 'mute', callId });
    }
    unmute(callId?: string): Promise<SessionResult> {
        return this.run({ type: 'unmute', callId });
    }
    sendDtmf(digits: string, callId?: string): Promise<SessionResult> {
        return this.run({ type: 'sendDtmf', digits, callId });
    }
    blindTransfer(target: string, callId?: string): Promise<SessionResult> {
        return this.run({ type: 'blindTransfer', target, callId });
    }
    startConsultation(target: string, callId?: string): Promise<SessionResult> {
        return this.run({ type: 'startConsultation', target, callId });
    }
    completeTransfer(consultCallId?: string): Promise<SessionResult> {
        return this.run({ type: 'completeTransfer', consultCallId });
    }
    returnToCaller(consultCallId?: string): Promise<SessionResult> {
        return this.run({ type: 'returnToCaller', consultCallId });
    }
    conference(callId?: string): Promise<SessionResult> {
        return this.run({ type: 'conference', callId });
    }
    dial(number: string, context?: DialContext): Promise<SessionResult> {
        return this.run({ type: 'dial', number, context });
    }
    redial(): Promise<SessionResult> {
        return this.run({ type: 'redial' });
    }
    endWrapEarly(): Promise<SessionResult> {
        return this.run({ type: 'endWrapEarly' });
    }
    updateWrapUp(patch: Partial<WrapUpForm>, interactionId?: string): Promise<SessionResult> {
        return this.run({ type: 'updateWrapUp', patch, interactionId });
    }
    submitWrapUp(form?: Partial<WrapUpForm>, interactionId?: string): Promise<SessionResult> {
        return this.run({ type: 'submitWrapUp', form, interactionId });
    }
    chooseRecord(recordId: string, callId?: string): Promise<SessionResult> {
        return this.run({ type: 'chooseRecord', recordId, callId });
    }
    relateToRecord(record: RecordRef, callId?: string): Promise<SessionResult> {
        return this.run({ type: 'relateToRecord', record, callId });
    }
    requestCallback(interactionId: string, requested = true): Promise<SessionResult> {
        return this.run({ type: 'requestCallback', interactionId, requested });
    }
    controlRecording(input: RecordingInput, interactionId?: string): Promise<SessionResult> {
        return this.run({ type: 'controlRecording', input, interactionId });
    }
    setAudioDevices(devices: AudioDevices): Promise<SessionResult> {
        return this.run({ type: 'setAudioDevices', devices });
    }
    retryCallLog(interactionId: string, patch?: Partial<WrapUpForm>): Promise<SessionResult> {
        return this.run({ type: 'retryCallLog', interactionId, patch });
    }
    dismissCallLog(interactionId: string): Promise<SessionResult> {
        return this.run({ type: 'dismissCallLog', interactionId });
    }
    clearError(): Promise<SessionResult> {
        return this.run({ type: 'clearError' });
    }
    restartPhone(): Promise<SessionResult> {
        return this.run({ type: 'restartPhone' });
    }
    signOut(): Promise<SessionResult> {
        return this.run({ type: 'signOut' });
    }

    /** Pop-out: take the phone over from the tab holding it (refused while it has a call). */
    async requestLeadership(): Promise<SessionResult> {
        if (!this.started) return { ok: false, error: 'not-started' };
        const outcome = await this.election.requestLeadership();
        if (outcome.granted) return { ok: true };
        const code: PhoneErrorCode =
            outcome.reason === 'call-in-progress' ? 'handover-refused' : 'leader-unavailable';
        return this.localFail(code, outcome.reason);
    }

    /** Runs a command here (leader) or on the leader (follower). */
    private async run(command: PhoneCommand): Promise<SessionResult> {
        if (this.disposed || !this.started) return { ok: false, error: 'not-started' };
        const role = this.election.role;
        if (role === TabRole.Leader) return this.execute(command);
        if (role === TabRole.Follower || role === TabRole.HandingOver) {
            if (command.type === 'clearError') {
                this.localError = null;
                this.markDirty();
            }
            try {
                // sign-out first sends the unsent logs: give the leader its whole budget before giving up
                const options =
                    command.type === 'signOut'
                        ? { timeoutMs: SIGN_OUT_FLUSH_BUDGET_MS + LOGOUT_BUDGET_MS + 2000 }
                        : {};
                return asSessionResult(await this.election.sendCommand(command, options));
            } catch (error) {
                return this.localFail('leader-unavailable', errorText(error));
            }
        }
        return { ok: false, error: 'not-started' };
    }

    /** Leader: runs one command. Never throws. */
    private async execute(command: PhoneCommand): Promise<SessionResult> {
        try {
            return await this.commands.execute(command);
        } catch (error) {
            return this.fail('unknown', errorText(error));
        } finally {
            this.markDirty();
        }
    }

    // =========================================================================================================
    // Leadership
    // =========================================================================================================

    private onBecameLeader(event: BecameLeaderEvent<PhoneViewState>): void {
        this.runtime.dropCurrent();
        this.journal.continueAsLeader();
        this.mirrored = undefined;
        this.localError = null;
        const last = event.lastKnownState;
        if (last && last.version === PHONE_VIEW_STATE_VERSION) {
            if (last.lastDialled) this.commands.lastDialled = { number: last.lastDialled };
            this.commands.audioDevices = { ...last.audioDevices };
            if (last.pauseReasons?.length) this.runtime.pauseReasons = last.pauseReasons;
        }
        this.book.loadRecent();
        this.outbox.reload();
        this.journal.seedAnnounced(this.outbox.items());
        this.outbox.start();
        const stack = this.runtime.create(restorableStatus(last));
        // B7: a call the previous page left is taken back once registered (when the contact centre can say)
        this.rejoin.hold(this.book.recover(this.rejoin.possible));
        void this.runtime.start(stack);
        this.markDirty();
    }

    private onLeaderChanged(leader: LeaderInfo | null, self: boolean): void {
        this.leaderView = leader
            ? { tabId: leader.id, kind: leader.kind, responsive: leader.responsive, self }
            : null;
        this.markDirty();
    }

    /** Resign hook of the election: release the phone (awaited for a voluntary handover). */
    private resign(reason: LostLeadershipReason): Promise<void> {
        // B7: a page going away mid-call leaves the customer to the contact centre, which gives it back
        return this.runtime.resign(reason === 'pagehide' && this.rejoin.possible);
    }

    private watchOutbox(): void {
        const outbox = this.outbox;
        outbox.on('sent', ({ item, taskId }) => this.journal.announceLogged(item, taskId));
        outbox.on('dismissed', ({ item }) => this.journal.forgetLogged(item.interactionId));
        outbox.on('needsAttention', ({ item, message }) => {
            this.setError('call-log-needs-attention', message);
            const entry = item.entry;
            this.journal.push('notification', {
                kind: 'call-log-needs-attention',
                tag: `ccphone-log-${item.interactionId}`,
                interactionId: item.interactionId,
                name: entry.displayName ?? '',
                company: '',
                numberDisplay: entry.direction === 'inbound' ? entry.fromNumber : entry.toNumber
            });
        });
        outbox.on('capacityExceeded', () => {
            this.view.outboxOverCapacity = true;
            this.markDirty();
        });
        outbox.on('drained', () => {
            this.view.outboxOverCapacity = false;
            this.markDirty();
        });
        for (const event of [
            'queued',
            'sent',
            'failed',
            'dismissed',
            'storageError',
            'quarantined'
        ] as const) {
            outbox.on(event, () => this.markDirty());
        }
    }

    // =========================================================================================================
    // Sign-out (issue 11, finding 5: no call data left behind on a shared desk)
    // =========================================================================================================

    /** Leader: see the `signOut` command. */
    private async signOutNow(): Promise<SessionResult> {
        const stack = this.runtime.usable;
        if (stack && stack.phone.activeCalls().length > 0) return this.fail('call-in-progress');
        this.book.logAllWrapUps();
        // every log the org has not confirmed gets one more try now, also those waiting for a retry
        for (const item of this.outbox.items()) {
            if (item.state !== OutboxEntryState.Confirmed) this.outbox.retry(item.interactionId);
        }
        await withTimeout(this.clock, this.outbox.flush(), SIGN_OUT_FLUSH_BUDGET_MS);
        const unsent = this.outbox.unconfirmed();
        if (unsent > 0) return this.fail('call-logs-unsent', `${unsent} call log(s) not saved yet`);
        if (stack) {
            stack.agent.send({ type: 'logout' });
            await withTimeout(this.clock, stack.agent.flush(), LOGOUT_BUDGET_MS);
        }
        this.outbox.purge();
        this.store.purge();
        forgetElectionSecret(this.storage, this.scope);
        this.book.loadRecent(); // empty now
        // after the reply went back to a follower that asked: end the phone in every tab
        this.clock.setTimeout(() => {
            this.election.endForAll();
            this.onEnded();
        }, 0);
        return { ok: true };
    }

    /** The phone ended in every tab (sign-out): nothing mirrored stays in memory. */
    private onEnded(): void {
        this.started = false;
        this.mirrored = undefined;
        this.localError = null;
        this.error = null;
        this.markDirty();
    }

    // =========================================================================================================
    // State publishing and events
    // =========================================================================================================

    private isLeading(): boolean {
        return this.election?.role === TabRole.Leader;
    }

    private roleNow(): PhoneRole {
        if (!this.started) return 'stopped';
        switch (this.election.role) {
            case TabRole.Leader:
                return this.election.degraded ? 'degraded' : 'leader';
            case TabRole.Follower:
            case TabRole.HandingOver:
                return 'follower';
            case TabRole.Stopped:
                return 'stopped';
            default:
                return 'starting';
        }
    }

    private markDirty(): void {
        if (this.dirty || this.disposed) return;
        this.dirty = true;
        this.schedule(() => this.flushState());
    }

    private flushState(): void {
        this.dirty = false;
        if (this.disposed) return;
        if (this.isLeading()) {
            this.current = this.view.leaderState();
            this.election.publishState(this.current);
        } else {
            this.current = this.view.followerState(this.mirrored, this.localError);
        }
        this.emitter.emit('stateChanged', cloneJson(this.current));
        for (const record of this.journal.takeUnemitted(this.current.events)) {
            switch (record.type) {
                case 'screenPop':
                    this.emitter.emit('screenPop', cloneJson(record.payload));
                    break;
                case 'callEvent':
                    this.emitter.emit('callEvent', cloneJson(record.payload));
                    break;
                case 'notification':
                    this.emitter.emit('notification', cloneJson(record.payload));
                    break;
            }
        }
    }

    // =========================================================================================================
    // Errors
    // =========================================================================================================

    private setError(code: PhoneErrorCode, detail?: string, reason?: string | number, callId?: string): void {
        this.error = errorView(code, this.clock.now(), detail, reason, callId);
        this.markDirty();
    }

    private fail(
        code: PhoneErrorCode,
        detail?: string,
        reason?: string | number,
        callId?: string
    ): SessionResult {
        this.setError(code, detail, reason, callId);
        return detail ? { ok: false, error: code, detail } : { ok: false, error: code };
    }

    /** A failure of this tab only (a follower that cannot reach the leader). */
    private localFail(code: PhoneErrorCode, detail?: string): SessionResult {
        if (this.isLeading()) return this.fail(code, detail);
        this.localError = errorView(code, this.clock.now(), detail);
        this.markDirty();
        return detail ? { ok: false, error: code, detail } : { ok: false, error: code };
    }
}
