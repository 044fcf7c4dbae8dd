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
 * @packageDocumentation
 */
import {
    AgentStatus,
    AgentStatusMachine,
    type AgentStatusChange,
    type AgentStatusSnapshot,
    type MissedCallCause,
    type NextStatus,
    type PauseReason
} from '../agent-status';
import {
    CallDirection,
    CallOutcome,
    CallState,
    createCallId,
    isValidDtmf,
    type CallSnapshot
} from '../call/call-machine';
import type { CallData } from '../call/call-data';
import {
    CallLogOutbox,
    OutboxEntryState,
    type CallLogEntry,
    type KeyValueStorage,
    type OutboxItem
} from '../outbox/call-log-outbox';
import { isDialable, normalizePhoneNumber, toDialString, type PhoneNumberOptions } from '../phone-number';
import {
    decideScreenPop,
    type MatchObjectType,
    type RecordMatch,
    type ScreenPopRules,
    type TaskRelationOptions
} from '../screen-pop/screen-pop';
import type { QualityLevel } from '../sip/call-quality';
import {
    browserMediaPort,
    checkMicrophone,
    MicrophoneError,
    type AudioDevices,
    type MediaPort
} from '../sip/media';
import { ReconnectPolicy } from '../sip/reconnect-policy';
import { RegistrationState, type RegistrationChange } from '../sip/registration';
import { SipPhone } from '../sip/sip-phone';
import { ConnectionState, type CommandResult, type ConnectionChange, type SipPhoneError } from '../sip/types';
import { browserTabElectionPorts } from '../tabs/browser-ports';
import {
    TabElection,
    TabRole,
    type BecameLeaderEvent,
    type LeaderInfo,
    type LostLeadershipReason
} from '../tabs/tab-election';
import { systemClock, type Clock, type TimerHandle } from '../util/clock';
import { Emitter } from '../util/emitter';
import {
    callerCardFor,
    candidatesOf,
    cardWithDecision,
    isRecordId,
    matchFromRef,
    relatedFromDecision,
    relatedFromRecord
} from './caller-card';
import {
    buildCallLogEntry,
    callLogOutcomeOf,
    canTransitionInteraction,
    emptyWrapUpForm,
    interactionView,
    InteractionState,
    mergeWrapUpForm,
    transitionInteraction,
    type InteractionRecord
} from './interaction';
import { PhoneSessionStore } from './session-store';
import {
    PHONE_ERROR_MESSAGE_KEYS,
    PHONE_VIEW_STATE_VERSION,
    type AgentView,
    type CallerLookupRequest,
    type CallerCard,
    type CallView,
    type CampaignInfo,
    type ConnectionView,
    type DialContext,
    type HostPorts,
    type LeaderView,
    type LookupState,
    type MicrophoneView,
    type OutboxView,
    type PhoneApi,
    type PhoneCallEvent,
    type PhoneCallEventKind,
    type PhoneCommand,
    type PhoneErrorCode,
    type PhoneErrorView,
    type PhoneEventRecord,
    type PhoneNotificationKind,
    type PhoneRole,
    type PhoneSessionEvents,
    type PhoneSessionOptions,
    type PhoneSettings,
    type PhoneViewState,
    type PhoneWarning,
    type RecentCall,
    type RecordRef,
    type RegistrationView,
    type RelatedRecord,
    type SessionResult,
    type SipSessionInfo,
    type StatusRequest,
    type WrapUpForm
} from './types';

const MATCH_OBJECT_TYPES: readonly MatchObjectType[] = [
    'PersonAccount',
    'Contact',
    'Lead',
    'Account',
    'Case',
    'Custom'
];
const DEFAULT_RECENT_CALLS = 20;
const MAX_RECENT_CALLS = 100;
/** One-off events kept in the state for followers. */
const MAX_EVENTS = 20;
/** How long an unanswered call's log waits for a lookup still running. */
const LOOKUP_WAIT_MS = 10_000;
/** Longest the Ringing status publish waits for the caller lookup of the call (see callerLookupSettled). */
const RINGING_PUBLISH_WAIT_MS = 2000;

/** Budget for publishing `logout` on stop(). */
const LOGOUT_BUDGET_MS = 3000;

/** The leader's live parts; created on becoming leader, torn down on losing it. */
interface LeaderStack {
    readonly phone: SipPhone;
    readonly agent: AgentStatusMachine;
    readonly offs: Array<() => void>;
    readonly startPolicy: ReconnectPolicy;
    tearingDown: boolean;
    started: boolean;
    starting: boolean;
    startTimer: TimerHandle | undefined;
    /** Status to take again after the first registration (from the previous leader's last state). */
    restoreStatus: StatusRequest | undefined;
}

/** One call leg the leader follows. */
interface CallTrack {
    snapshot: CallSnapshot;
    /** Primary legs: the interaction; consultation legs: none. */
    interactionId: string | undefined;
    caller: ReturnType<typeof callerCardFor>;
    quality: { mos: number; level: QualityLevel } | null;
    lookup: LookupState;
    /** Bumped by every lookup started for this leg: a result of any other run is stale and ignored. */
    lookupRun: number;
}

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

    private readonly host: HostPorts;
    private readonly options: PhoneSessionOptions;
    private readonly settings: PhoneSettings;
    private readonly clock: Clock;
    private readonly media: MediaPort;
    private readonly schedule: (task: () => void) => void;
    private readonly numberOptions: PhoneNumberOptions;
    private readonly relationOptions: TaskRelationOptions;
    private readonly screenPopRules: ScreenPopRules;
    private readonly recentLimit: number;
    private readonly unknownCallerName: string;
    private readonly emitter = new Emitter<PhoneSessionEvents>();
    private readonly election: TabElection<PhoneViewState, PhoneCommand>;
    private readonly outbox: CallLogOutbox;
    private readonly store: PhoneSessionStore;

    private stack: LeaderStack | undefined;
    private teardown: Promise<void> = Promise.resolve();
    private readonly tracks = new Map<string, CallTrack>();
    private readonly interactions = new Map<string, InteractionRecord>();
    /** Running lookups by call id. */
    private readonly lookups = new Map<string, Promise<void>>();
    private readonly ownTimers = new Map<string, TimerHandle>();
    private readonly autoRejected = new Set<string>();
    /** Call id -> interaction id, also after the leg ended (command results name the interaction). */
    private readonly interactionOfCall = new Map<string, string>();
    /** `logged` payloads of logs in the outbox, emitted (with the taskId) when the server saved the Task. */
    private readonly loggedEvents = new Map<string, PhoneCallEvent>();
    /** Interactions whose `logged` was emitted (by this leader, or before: their outbox item has a taskId). */
    private readonly announcedLogs = new Set<string>();
    private recent: RecentCall[] = [];
    private registration: RegistrationView = { state: RegistrationState.Unregistered };
    private connection: ConnectionView = { state: ConnectionState.Disconnected };
    private pauseReasons: PauseReason[] = [];
    private campaigns: CampaignInfo[] = [];
    private agentNumber = '';
    private error: PhoneErrorView | null = null;
    private microphone: MicrophoneView | null = null;
    private outboxOverCapacity = false;
    /** Set once the outbox reported a storage error: from then on the view checks which entries are durable. */
    private outboxStorageTrouble = false;
    private audioDevices: AudioDevices = {};
    private lastDialled: { number: string; context?: DialContext } | null = null;
    private pendingDial: { number: string; context?: DialContext } | undefined;
    private events: PhoneEventRecord[] = [];
    private lastEventSeq = 0;
    private emittedSeq: number;
    private revision = 0;
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
        this.options = options;
        this.host = options.host;
        this.settings = options.settings;
        const env = options.browser ?? {};
        this.clock = env.clock ?? systemClock;
        this.media = env.media ?? browserMediaPort();
        this.schedule = env.schedule ?? ((task) => void Promise.resolve().then(task));
        this.numberOptions = {
            defaultCountry: this.settings.defaultCountry ?? '',
            defaultAreaCode: this.settings.defaultAreaCode
        };
        this.relationOptions = { relateContactAccount: this.settings.relateContactAccount === true };
        this.screenPopRules = {
            ...this.settings.screenPop,
            autoCreateCase: this.settings.autoCreateCase ?? this.settings.screenPop?.autoCreateCase
        };
        this.recentLimit = Math.min(
            MAX_RECENT_CALLS,
            Math.max(1, Math.round(this.settings.recentCallsLimit ?? DEFAULT_RECENT_CALLS))
        );
        this.unknownCallerName = this.settings.unknownCallerName || 'Unknown caller';
        this.emittedSeq = this.clock.now() * 1000 - 1;

        const ports = browserTabElectionPorts();
        const scope = `${options.orgId}:${options.userId}`;
        const storage = env.storage === undefined ? defaultStorage() : env.storage;
        this.store = new PhoneSessionStore(storage, scope, () => this.clock.now());
        this.outbox = new CallLogOutbox({
            storage,
            scope,
            sender: { send: (entry) => this.host.saveCallLog(entry) },
            clock: this.clock,
            random: env.random,
            isLeader: () => this.isLeading()
        });
        this.watchOutbox();

        this.election = new TabElection<PhoneViewState, PhoneCommand>({
            orgId: options.orgId,
            userId: options.userId,
            locks: env.locks === undefined ? ports.locks : env.locks,
            createChannel: env.createChannel === undefined ? ports.createChannel : env.createChannel,
            lifecycle: env.lifecycle ?? ports.lifecycle,
            clock: this.clock,
            tabId: env.tabId,
            kind: env.windowKind ?? 'tab',
            ...options.election,
            handleCommand: (command) => this.execute(command),
            handoverBlocker: () =>
                this.stack && this.stack.phone.activeCalls().length > 0 ? 'call-in-progress' : null,
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
        this.current = this.emptyState();
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
        const stack = this.stack;
        if (stack && !stack.tearingDown) {
            stack.agent.send({ type: 'logout' });
            await this.withTimeout(stack.agent.flush(), LOGOUT_BUDGET_MS);
        }
        this.started = false;
        this.election.stop();
        await this.teardown;
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
                return asSessionResult(await this.election.sendCommand(command));
            } catch (error) {
                return this.localFail('leader-unavailable', errorText(error));
            }
        }
        return { ok: false, error: 'not-started' };
    }

    /** Leader: runs one command. Never throws. */
    private async execute(command: PhoneCommand): Promise<SessionResult> {
        try {
            return await this.executeUnsafe(command);
        } catch (error) {
            return this.fail('unknown', errorText(error));
        } finally {
            this.markDirty();
        }
    }

    private async executeUnsafe(command: PhoneCommand): Promise<SessionResult> {
        if (!command || typeof command !== 'object') return this.fail('invalid-argument', 'no command');
        switch (command.type) {
            case 'clearError':
                this.error = null;
                return { ok: true };
            case 'updateWrapUp':
                return this.updateWrapUpNow(command.patch, command.interactionId);
            case 'submitWrapUp':
                return this.submitWrapUpNow(command.form, command.interactionId);
            case 'chooseRecord':
                return this.chooseRecordNow(command.recordId, command.callId);
            case 'relateToRecord':
                return this.relateNow(command.record, command.callId);
            case 'requestCallback':
                return this.requestCallbackNow(command.interactionId, command.requested !== false);
            case 'retryCallLog':
                return this.outbox.retry(command.interactionId, entryPatchOf(command.patch))
                    ? { ok: true, interactionId: command.interactionId }
                    : this.fail('not-found', command.interactionId);
            case 'dismissCallLog':
                return this.outbox.dismiss(command.interactionId)
                    ? { ok: true, interactionId: command.interactionId }
                    : this.fail('not-found', command.interactionId);
            case 'endWrapEarly':
                return this.endWrapNow();
            case 'setAudioDevices': {
                this.audioDevices = { ...this.audioDevices, ...cleanDevices(command.devices) };
                if (this.stack) await this.stack.phone.setAudioDevices(cleanDevices(command.devices));
                return { ok: true };
            }
            default:
                break;
        }
        const stack = this.stack;
        if (!stack || stack.tearingDown) return this.fail('not-started');
        switch (command.type) {
            case 'restartPhone':
                if (stack.started || stack.starting) return { ok: true };
                if (stack.startTimer !== undefined) this.clock.clearTimeout(stack.startTimer);
                stack.startTimer = undefined;
                stack.startPolicy.reset();
                await this.startPhone(stack);
                return stack.started ? { ok: true } : this.fail(this.error?.code ?? 'not-started');
            case 'setStatus':
                return this.setStatusNow(stack, command.request);
            case 'clearNextStatus': {
                const r = stack.agent.send({ type: 'clearNextStatus' });
                return r.ok ? { ok: true } : this.fail('status-change-not-allowed', r.message);
            }
            case 'dial':
                return this.dialNow(stack, command.number, command.context);
            case 'redial':
                return this.lastDialled
                    ? this.dialNow(stack, this.lastDialled.number, this.lastDialled.context)
                    : this.fail('number-not-dialable', 'nothing dialled yet');
            default:
                return this.callCommand(stack, command);
        }
    }

    /** Commands on a call leg. */
    private async callCommand(stack: LeaderStack, command: PhoneCommand): Promise<SessionResult> {
        const phone = stack.phone;
        switch (command.type) {
            case 'answer': {
                const call = this.findCall(command.callId, 'ringing');
                return call ? this.sipResult(await phone.answer(call.id)) : this.fail('no-call');
            }
            case 'reject': {
                const call = this.findCall(command.callId, 'ringing');
                return call ? this.sipResult(await phone.reject(call.id)) : this.fail('no-call');
            }
            case 'hangup': {
                const call = this.findCall(command.callId, 'active') ?? this.findCall(undefined, 'ringing');
                return call ? this.sipResult(await phone.hangup(call.id)) : this.fail('no-call');
            }
            case 'hold':
            case 'resume':
            case 'mute':
            case 'unmute': {
                const call = this.findCall(command.callId, 'active');
                return call ? this.sipResult(await phone[command.type](call.id)) : this.fail('no-call');
            }
            case 'sendDtmf': {
                if (!isValidDtmf(command.digits)) return this.fail('invalid-argument', 'DTMF digits');
                const call = this.findCall(command.callId, 'active');
                return call
                    ? this.sipResult(await phone.sendDtmf(call.id, command.digits))
                    : this.fail('no-call');
            }
            case 'blindTransfer': {
                const target = this.transferTarget(command.target);
                if (!target) return this.fail('invalid-transfer-target', String(command.target));
                const call = this.findCall(command.callId, 'primary');
                return call
                    ? this.sipResult(await phone.blindTransfer(call.id, target))
                    : this.fail('no-call');
            }
            case 'startConsultation': {
                const target = this.transferTarget(command.target);
                if (!target) return this.fail('invalid-transfer-target', String(command.target));
                const call = this.findCall(command.callId, 'primary');
                return call
                    ? this.sipResult(await phone.startConsultation(call.id, target))
                    : this.fail('no-call');
            }
            case 'completeTransfer':
            case 'returnToCaller': {
                const consult = this.findCall(command.consultCallId, 'consultation');
                if (!consult) return this.fail('no-call');
                const r =
                    command.type === 'completeTransfer'
                        ? await phone.completeTransfer(consult.id)
                        : await phone.returnToCaller(consult.id);
                return this.sipResult(r);
            }
            case 'conference': {
                const primary = this.findCall(command.callId, 'primary');
                const consult = primary && this.findCall(primary.snapshot.linkedCallId, 'consultation');
                if (!primary || !consult) return this.fail('no-call');
                return this.sipResult(await phone.conference(primary.snapshot.id, consult.snapshot.id));
            }
            default:
                return this.fail(
                    'invalid-argument',
                    `unknown command ${(command as { type?: unknown }).type}`
                );
        }
    }

    private setStatusNow(stack: LeaderStack, request: StatusRequest): SessionResult {
        const next = nextStatusOf(request);
        if (!next) return this.fail('invalid-argument', 'status');
        const agent = stack.agent;
        const inCall = agent.status === AgentStatus.Ringing || agent.status === AgentStatus.Busy;
        let r;
        if (inCall) r = agent.send({ type: 'setNextStatus', next });
        else if (next.status === AgentStatus.Paused) r = agent.send({ type: 'pause', reason: next.reason });
        else if (next.status === AgentStatus.Ready) r = agent.send({ type: 'setReady' });
        else r = agent.send({ type: 'setNotReady' });
        return r.ok ? { ok: true } : this.fail('status-change-not-allowed', r.message);
    }

    private async dialNow(
        stack: LeaderStack,
        number: string,
        context: DialContext | undefined
    ): Promise<SessionResult> {
        const raw = typeof number === 'string' ? number : '';
        const dialString = toDialString(raw, this.numberOptions);
        if (!dialString) return this.fail('number-not-dialable', raw.slice(0, 64));
        if (!stack.started) return this.fail('not-started');
        if (stack.phone.activeCalls().length > 0) return this.fail('call-in-progress');
        const ctx = cleanDialContext(context);
        this.pendingDial = ctx ? { number: raw, context: ctx } : { number: raw };
        let result: CommandResult;
        try {
            result = await stack.phone.dial(dialString, {
                originRecordId: ctx?.recordId,
                displayName: ctx?.name
            });
        } finally {
            this.pendingDial = undefined;
        }
        this.lastDialled = ctx ? { number: raw, context: ctx } : { number: raw };
        if (!result.ok) return this.fail('call-command-failed', result.message);
        return {
            ok: true,
            callId: result.snapshot.id,
            interactionId: this.interactionOfCall.get(result.snapshot.id)
        };
    }

    private sipResult(result: CommandResult): SessionResult {
        if (result.ok) {
            return {
                ok: true,
                callId: result.snapshot.id,
                interactionId: this.interactionOfCall.get(result.snapshot.id)
            };
        }
        if (/not started/.test(result.message)) return this.fail('not-started', result.message);
        if (/another call is active/.test(result.message))
            return this.fail('call-in-progress', result.message);
        if (/no active call/.test(result.message)) return this.fail('no-call', result.message);
        return this.fail('call-command-failed', result.message, undefined, result.snapshot?.id);
    }

    // ---- wrap-up and related records ------------------------------------------------------------------------

    private updateWrapUpNow(patch: Partial<WrapUpForm> | undefined, interactionId?: string): SessionResult {
        const record = this.findInteraction(interactionId);
        if (!record) return this.fail('not-found', interactionId);
        this.applyForm(record, patch);
        return { ok: true, interactionId: record.interactionId };
    }

    private submitWrapUpNow(form: Partial<WrapUpForm> | undefined, interactionId?: string): SessionResult {
        const record = this.findInteraction(interactionId);
        if (!record) return this.fail('not-found', interactionId);
        this.applyForm(record, form);
        if (record.state !== InteractionState.WrapUp)
            return this.fail('call-in-progress', record.interactionId);
        this.logInteraction(record);
        const stack = this.stack;
        if (
            stack &&
            !stack.tearingDown &&
            stack.agent.status === AgentStatus.Wrap &&
            stack.phone.activeCalls().length === 0 &&
            !this.openRecords().some((r) => r.state === InteractionState.WrapUp && !r.ownDeadline)
        ) {
            stack.agent.send({ type: 'endWrap' });
        }
        return { ok: true, interactionId: record.interactionId };
    }

    private endWrapNow(): SessionResult {
        const stack = this.stack;
        let done = false;
        if (stack && !stack.tearingDown && stack.agent.status === AgentStatus.Wrap) {
            done = stack.agent.send({ type: 'endWrap' }).ok; // leaving Wrap logs the agent-bound wrap-ups
        }
        for (const record of this.openRecords()) {
            if (record.state === InteractionState.WrapUp && record.ownDeadline)
                done = this.logInteraction(record) || done;
        }
        return done ? { ok: true } : this.fail('not-found', 'no wrap-up');
    }

    private applyForm(record: InteractionRecord, patch: Partial<WrapUpForm> | undefined): void {
        const before = record.draft.relatedRecordId;
        record.draft = mergeWrapUpForm(record.draft, patch);
        const id = record.draft.relatedRecordId;
        if (id !== before) {
            if (id === null) record.related = null;
            else if (isRecordId(id)) {
                const match = this.findCandidate(record, id) ?? matchFromRef({ id });
                record.related = relatedFromRecord(match, 'chosen', this.relationOptions);
            } else {
                record.draft.relatedRecordId = before; // not a record id: keep the previous choice
            }
        }
        this.touch(record);
    }

    private chooseRecordNow(recordId: string, callId?: string): SessionResult {
        const record = this.interactionForCall(callId);
        if (!record) return this.fail('no-call', callId);
        const match = this.findCandidate(record, recordId);
        if (!match) return this.fail('not-found', recordId);
        this.relate(record, match, 'chosen');
        return { ok: true, interactionId: record.interactionId };
    }

    private relateNow(ref: RecordRef, callId?: string): SessionResult {
        if (!ref || !isRecordId(ref.id)) return this.fail('invalid-argument', 'record id');
        const record = this.interactionForCall(callId);
        if (!record) return this.fail('no-call', callId);
        const match = this.findCandidate(record, ref.id) ?? matchFromRef(ref);
        if (!record.candidates.some((c) => c.id === match.id))
            record.candidates = [...record.candidates, match];
        this.relate(record, match, 'on-screen');
        return { ok: true, interactionId: record.interactionId };
    }

    private relate(record: InteractionRecord, match: RecordMatch, source: 'chosen' | 'on-screen'): void {
        record.related = relatedFromRecord(match, source, this.relationOptions);
        record.draft = { ...record.draft, relatedRecordId: match.id };
        const person = match.name || record.caller.displayName;
        record.caller = {
            ...record.caller,
            record: match,
            name: person,
            company: match.subtitle ?? '',
            unknown: person === '' && record.caller.numberDisplay === ''
        };
        this.touch(record);
    }

    private requestCallbackNow(interactionId: string, requested: boolean): SessionResult {
        const open = this.interactions.get(interactionId);
        if (open && open.state !== InteractionState.Logged) {
            this.applyForm(open, { callbackRequested: requested });
        } else {
            const item = this.outbox.get(interactionId);
            if (!item) return this.fail('not-found', interactionId);
            // the Task exists (or is queued): the outbox merges by interaction id, the server updates it
            this.outbox.enqueue({ ...item.entry, callbackRequested: requested });
        }
        const line = this.recent.find((r) => r.interactionId === interactionId);
        if (line) {
            line.callbackRequested = requested;
            this.store.saveRecent(this.recent);
        }
        return { ok: true, interactionId };
    }

    // =========================================================================================================
    // Leadership
    // =========================================================================================================

    private onBecameLeader(event: BecameLeaderEvent<PhoneViewState>): void {
        if (this.stack) this.abandonStack(this.stack);
        this.lastEventSeq = Math.max(this.lastEventSeq, this.emittedSeq);
        this.mirrored = undefined;
        this.localError = null;
        const last = event.lastKnownState;
        if (last && last.version === PHONE_VIEW_STATE_VERSION) {
            if (last.lastDialled) this.lastDialled = { number: last.lastDialled };
            this.audioDevices = { ...last.audioDevices };
            if (last.pauseReasons?.length) this.pauseReasons = last.pauseReasons;
        }
        this.recent = this.store.loadRecent().slice(0, this.recentLimit);
        this.outbox.reload();
        this.seedAnnouncedLogs();
        this.outbox.start();
        const stack = this.createStack(restorableStatus(last));
        this.stack = stack;
        this.recoverInteractions();
        void this.startPhone(stack);
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
        void reason;
        const stack = this.stack;
        if (!stack) return this.teardown;
        this.teardown = this.tearDownStack(stack);
        return this.teardown;
    }

    private async tearDownStack(stack: LeaderStack): Promise<void> {
        if (stack.tearingDown) return;
        stack.tearingDown = true;
        if (stack.startTimer !== undefined) this.clock.clearTimeout(stack.startTimer);
        for (const timer of this.ownTimers.values()) this.clock.clearTimeout(timer);
        this.ownTimers.clear();
        // Wrap-ups bound to the agent's Wrap keep its deadline on their own: the next leader logs them then.
        const now = this.clock.now();
        const wrapDeadline = stack.agent.wrapDeadline;
        for (const record of this.openRecords()) {
            if (record.state === InteractionState.WrapUp && !record.ownDeadline) {
                record.ownDeadline = true;
                record.deadline = wrapDeadline ?? now + record.wrapSeconds * 1000;
            }
        }
        this.persistInteractions();
        // stop() ends every call synchronously (their callEnded store or log them), then unregisters
        try {
            await stack.phone.stop();
        } catch {
            // stop() never throws; a broken UA must not keep the tab from letting go
        }
        this.abandonStack(stack);
    }

    /**
     * Drops the leader's parts and, when it is still the current stack, the in-memory call state (everything
     * open is in storage). A stack replaced meanwhile (this tab led again quickly) leaves the new one alone.
     */
    private abandonStack(stack: LeaderStack): void {
        stack.tearingDown = true;
        if (stack.startTimer !== undefined) this.clock.clearTimeout(stack.startTimer);
        for (const off of stack.offs) off();
        stack.offs.length = 0;
        stack.agent.dispose();
        if (this.stack !== stack) return;
        this.stack = undefined;
        this.outbox.stop();
        this.tracks.clear();
        this.interactions.clear();
        this.lookups.clear();
        this.autoRejected.clear();
        this.registration = { state: RegistrationState.Unregistered };
        this.connection = { state: ConnectionState.Disconnected };
        this.markDirty();
    }

    private createStack(restoreStatus: StatusRequest | undefined): LeaderStack {
        const env = this.options.browser ?? {};
        const sequenceBase = this.clock.now() * 1000;
        const agent = new AgentStatusMachine({
            port: {
                publish: async (change: AgentStatusChange) => {
                    if (change.to === AgentStatus.Ringing) {
                        await this.callerLookupSettled(change.interactionId);
                    }
                    return this.host.publishAgentStatus({
                        ...change,
                        sequence: sequenceBase + change.sequence
                    });
                }
            },
            clock: this.clock,
            missedCallSetsNotReady: this.settings.missedCallSetsNotReady ?? true,
            defaultWrapSeconds: this.settings.defaultWrapSeconds ?? 0
        });
        const phone = new SipPhone({
            ...this.options.sipOptions,
            getCredentials: () => this.fetchSipSession(),
            clock: this.clock,
            random: env.random,
            network: env.network,
            media: this.media,
            userAgentFactory: this.options.userAgentFactory,
            callWaiting: this.settings.callWaiting ?? false,
            ringTimeoutMs: Math.max(5, this.settings.ringTimeoutSeconds ?? 30) * 1000
        });
        const stack: LeaderStack = {
            phone,
            agent,
            offs: [],
            startPolicy: new ReconnectPolicy({ random: env.random }),
            tearingDown: false,
            started: false,
            starting: false,
            startTimer: undefined,
            restoreStatus
        };
        stack.offs.push(
            phone.on('registrationChanged', (change) => this.onRegistration(stack, change)),
            phone.on('connectionChanged', (change) => this.onConnection(stack, change)),
            phone.on('incomingCall', (snapshot) => this.onIncomingCall(stack, snapshot)),
            phone.on('callUpdated', (snapshot) => this.onCallUpdated(stack, snapshot)),
            phone.on('callEnded', (snapshot) => this.onCallEnded(stack, snapshot)),
            phone.on('quality', ({ callId, score }) => {
                const track = this.tracks.get(callId);
                if (track) track.quality = { mos: score.mos, level: score.level };
                this.markDirty();
            }),
            phone.on('error', (error) => this.onPhoneError(stack, error)),
            agent.on('statusChanged', (change) => this.onAgentStatusChanged(stack, change)),
            agent.on('updated', () => this.markDirty()),
            agent.on('published', () => this.markDirty()),
            agent.on('publishFailed', ({ error, superseded }) => {
                if (!superseded) this.setError('status-publish-failed', errorText(error));
                this.markDirty();
            })
        );
        return stack;
    }

    /** Microphone preflight, then credentials and registration; credentials failures retry with backoff. */
    private async startPhone(stack: LeaderStack): Promise<void> {
        if (stack.starting || stack.started || stack.tearingDown) return;
        stack.starting = true;
        try {
            const check = await checkMicrophone(this.media);
            if (stack.tearingDown) return;
            if (!check.ok) {
                this.microphone = { problem: check.error.code };
                this.setError('microphone', check.error.message, check.error.code);
                return;
            }
            this.microphone = null;
            await stack.phone.start();
            if (stack.tearingDown) {
                void stack.phone.stop(); // torn down while starting: do not stay registered
                return;
            }
            stack.started = true;
            stack.startPolicy.reset();
            if (this.error && (this.error.code === 'credentials' || this.error.code === 'microphone')) {
                this.error = null;
            }
            if (this.pauseReasons.length === 0 && this.host.getPauseReasons)
                void this.loadPauseReasons(stack);
        } catch (error) {
            if (stack.tearingDown) return;
            if (error instanceof MicrophoneError) {
                this.microphone = { problem: error.code };
                this.setError('microphone', error.message, error.code);
                return;
            }
            this.setError('credentials', errorText(error));
            stack.agent.send({ type: 'connectionFailed', reason: 'credentials' });
            stack.startTimer = this.clock.setTimeout(() => {
                stack.startTimer = undefined;
                void this.startPhone(stack);
            }, stack.startPolicy.nextDelayMs());
        } finally {
            stack.starting = false;
            this.markDirty();
        }
    }

    private async fetchSipSession(): Promise<SipSessionInfo> {
        const info = await this.host.getSipSession();
        if (info && typeof info === 'object') {
            if (Array.isArray(info.campaigns)) this.campaigns = info.campaigns.filter(isCampaign);
            if (Array.isArray(info.pauseReasons)) this.pauseReasons = cleanPauseReasons(info.pauseReasons);
            if (typeof info.sipUri === 'string') this.agentNumber = sipUserOf(info.sipUri);
            this.markDirty();
        }
        return info;
    }

    private async loadPauseReasons(stack: LeaderStack): Promise<void> {
        try {
            const reasons = await this.host.getPauseReasons?.();
            if (!stack.tearingDown && Array.isArray(reasons)) this.pauseReasons = cleanPauseReasons(reasons);
        } catch {
            // the status menu then offers no pause reasons; nothing else depends on them
        }
        this.markDirty();
    }

    /** New leader: interactions a previous leader (or page) left in storage. */
    private recoverInteractions(): void {
        const now = this.clock.now();
        for (const record of this.store.loadInteractions()) {
            if (record.state === InteractionState.Logged) continue;
            if (this.outbox.get(record.interactionId)) continue; // logged meanwhile: never twice
            this.interactions.set(record.interactionId, record);
        }
        for (const record of this.openRecords()) {
            if (record.state === InteractionState.InCall) {
                // the call died with the page that had it: log what is known
                record.endedAt ??= now;
                this.addRecent(record);
                this.logInteraction(record);
            } else {
                record.ownDeadline = true;
                record.deadline ??= now + record.wrapSeconds * 1000;
                if (record.deadline <= now) this.logInteraction(record);
                else this.scheduleOwnDeadline(record);
            }
        }
        this.persistInteractions();
    }

    // =========================================================================================================
    // SIP and agent events (leader)
    // =========================================================================================================

    private onRegistration(stack: LeaderStack, change: RegistrationChange): void {
        const view: RegistrationView = { state: change.state };
        if (change.statusCode !== undefined) view.statusCode = change.statusCode;
        if (change.authFailure) view.authFailure = true;
        this.registration = view;
        if (stack.tearingDown) return this.markDirty();
        if (change.state === RegistrationState.Registered) {
            stack.agent.send({ type: 'registered' });
            const code = this.error?.code;
            if (code === 'registration-failed' || code === 'connection-lost' || code === 'credentials') {
                this.error = null;
            }
            const restore = stack.restoreStatus;
            stack.restoreStatus = undefined;
            if (restore && stack.agent.status === AgentStatus.NotReady) this.setStatusNow(stack, restore);
        } else if (change.state === RegistrationState.Failed) {
            stack.agent.send({ type: 'connectionFailed', reason: change.reason ?? 'registration failed' });
            this.setError('registration-failed', change.reason, change.statusCode);
        }
        this.markDirty();
    }

    private onConnection(stack: LeaderStack, change: ConnectionChange): void {
        const view: ConnectionView = { state: change.state };
        if (change.attempt !== undefined) view.attempt = change.attempt;
        if (change.retryInMs !== undefined) view.retryAt = this.clock.now() + change.retryInMs;
        if (change.online === false) view.offline = true;
        this.connection = view;
        if (!stack.tearingDown && change.state === ConnectionState.WaitingToReconnect) {
            stack.agent.send({ type: 'connectionFailed', reason: change.reason ?? 'connection lost' });
            this.setError('connection-lost', change.reason);
        }
        this.markDirty();
    }

    private onPhoneError(stack: LeaderStack, error: SipPhoneError): void {
        if (stack.tearingDown) return;
        switch (error.kind) {
            case 'microphone':
                if (typeof error.code === 'string')
                    this.microphone = { problem: error.code as MicrophoneView['problem'] };
                this.setError('microphone', error.message, error.code, error.callId);
                break;
            case 'credentials':
                this.setError('credentials', error.message);
                break;
            case 'transport':
                this.setError('connection-lost', error.message);
                break;
            case 'registration':
                break; // reported through registrationChanged
            default:
                this.setError('call-command-failed', error.message, error.code, error.callId);
        }
    }

    private onIncomingCall(stack: LeaderStack, snapshot: CallSnapshot): void {
        if (stack.tearingDown) return;
        const agent = stack.agent;
        const others = stack.phone.activeCalls().filter((c) => c.id !== snapshot.id).length;
        const waiting = this.settings.callWaiting === true && others > 0 && agent.status === AgentStatus.Busy;
        if (!agent.canOfferCall() && !waiting) {
            // only Ready takes calls (agent-status.ts): 486, the contact centre routes it elsewhere
            this.autoRejected.add(snapshot.id);
            void stack.phone.reject(snapshot.id);
            return;
        }
        const record = this.openInteraction(
            snapshot,
            'inbound',
            snapshot.remote.number,
            snapshot.remote.displayName
        );
        const track = this.addTrack(snapshot, record);
        // the lookup first: the Ringing publish below waits for it (callerLookupSettled)
        this.startLookup(stack, record, track, undefined); // the notification follows the lookup (name, company)
        if (agent.status === AgentStatus.Ready) {
            agent.send({ type: 'callOffered', interactionId: record.interactionId });
        }
        this.pushCallEvent('ringing', record);
        this.markDirty();
    }

    /**
     * Resolves when the caller lookup of `interactionId` is over, or after {@link RINGING_PUBLISH_WAIT_MS}.
     * The contact centre offered the call, so it knows the agent rings: publishing Ringing can wait, and the
     * screen pop's lookup gets its Apex round trip to itself (Lightning boxcars actions started together into
     * one request, which would last as long as the status callout).
     */
    private callerLookupSettled(interactionId: string | undefined): Promise<void> {
        let lookup: Promise<void> | undefined;
        for (const [callId, track] of this.tracks) {
            if (interactionId !== undefined && track.interactionId === interactionId) {
                lookup = this.lookups.get(callId);
            }
        }
        if (!lookup) return Promise.resolve();
        return new Promise<void>((resolve) => {
            const timer = this.clock.setTimeout(resolve, RINGING_PUBLISH_WAIT_MS);
            void lookup.finally(() => {
                this.clock.clearTimeout(timer);
                resolve();
            });
        });
    }

    private onCallUpdated(stack: LeaderStack, snapshot: CallSnapshot): void {
        let track = this.tracks.get(snapshot.id);
        if (!track) {
            if (this.autoRejected.has(snapshot.id) || stack.tearingDown) return;
            if (snapshot.direction !== CallDirection.Outbound) return;
            track = this.adoptOutbound(stack, snapshot);
        }
        const previous = track.snapshot;
        const wasAnswered = previous.answeredAt !== undefined;
        track.snapshot = snapshot;
        this.rekey(track, snapshot);
        const record = track.interactionId ? this.interactions.get(track.interactionId) : undefined;
        const partyChanged = this.remotePartyChanged(previous, snapshot, wasAnswered);
        if (partyChanged && !record) {
            // a consultation leg: no interaction, no lookup; the card follows the new party
            track.caller = callerCardFor(
                snapshot.remote.number,
                snapshot.remote.displayName,
                this.numberOptions
            );
        }
        if (record) {
            mergeCallData(record, snapshot.callData, this.wrapSecondsFor(snapshot.callData));
            if (partyChanged && record.state === InteractionState.InCall && !stack.tearingDown) {
                this.onRemotePartyChanged(stack, record, track, snapshot);
            }
            if (!wasAnswered && snapshot.answeredAt !== undefined) {
                record.answeredAt = snapshot.answeredAt;
                this.pushCallEvent('answered', record);
                if (
                    !stack.tearingDown &&
                    snapshot.direction === CallDirection.Inbound &&
                    stack.agent.status === AgentStatus.Ringing
                ) {
                    stack.agent.send({ type: 'callAnswered', interactionId: record.interactionId });
                }
            }
            this.touch(record);
        }
        this.markDirty();
    }

    /**
     * True when `next` names another remote party than `previous`: another number (compared normalised), or
     * another display name on a call that was answered before this update. The answer of an outbound call may
     * bring the callee's asserted name: that is the party dialled, not a new one.
     */
    private remotePartyChanged(previous: CallSnapshot, next: CallSnapshot, wasAnswered: boolean): boolean {
        const a = previous.remote;
        const b = next.remote;
        if (a.number === b.number && (a.displayName ?? '') === (b.displayName ?? '')) return false;
        const before = callerCardFor(a.number, a.displayName, this.numberOptions);
        const after = callerCardFor(b.number, b.displayName, this.numberOptions);
        if (partyNumberKey(before) !== partyNumberKey(after)) return true;
        return wasAnswered && before.displayName !== after.displayName;
    }

    /**
     * The call now talks to someone else (see the module documentation): a new card at once, the old party's
     * screen-pop relation dropped (a relation the agent made by hand kept), and one new lookup.
     */
    private onRemotePartyChanged(
        stack: LeaderStack,
        record: InteractionRecord,
        track: CallTrack,
        snapshot: CallSnapshot
    ): void {
        const manual = isManualRelation(record.related) ? record.related : null;
        const kept = manual ? (this.findCandidate(record, manual.id) ?? matchOfRelated(manual)) : undefined;
        record.caller = callerCardFor(
            snapshot.remote.number,
            snapshot.remote.displayName,
            this.numberOptions
        );
        record.screenPop = null;
        record.candidates = kept ? [kept] : [];
        if (!manual) {
            record.related = null;
            record.draft = { ...record.draft, relatedRecordId: null };
        }
        this.touch(record);
        this.startLookup(stack, record, track, undefined, true);
    }

    /** First sight of an outbound leg (SipPhone emits its first update inside dial()). */
    private adoptOutbound(stack: LeaderStack, snapshot: CallSnapshot): CallTrack {
        if (snapshot.role === 'consultation') return this.addTrack(snapshot, undefined);
        const pending = this.pendingDial;
        const raw = pending?.number ?? snapshot.remote.number;
        const record = this.openInteraction(
            snapshot,
            'outbound',
            raw,
            pending?.context?.name ?? snapshot.remote.displayName
        );
        const track = this.addTrack(snapshot, record);
        if (stack.agent.can({ type: 'callStarted' })) {
            stack.agent.send({ type: 'callStarted', interactionId: record.interactionId });
        }
        this.pushCallEvent('dialing', record);
        this.startLookup(stack, record, track, pending?.context);
        return track;
    }

    private onCallEnded(stack: LeaderStack, snapshot: CallSnapshot): void {
        if (this.autoRejected.delete(snapshot.id)) return;
        const track = this.tracks.get(snapshot.id);
        this.tracks.delete(snapshot.id);
        if (!track) return this.markDirty();
        if (track.snapshot.answeredAt === undefined && snapshot.answeredAt !== undefined) {
            track.snapshot = snapshot; // answered and ended in one go
        }
        const record = track.interactionId ? this.interactions.get(track.interactionId) : undefined;
        if (record && record.state === InteractionState.InCall) {
            const now = this.clock.now();
            mergeCallData(record, snapshot.callData, this.wrapSecondsFor(snapshot.callData));
            record.endedAt = snapshot.endedAt ?? now;
            record.outcome = callLogOutcomeOf(snapshot);
            if (snapshot.answeredAt !== undefined) record.answeredAt = snapshot.answeredAt;
            record.durationSeconds = Math.round(snapshot.talkDurationMs / 1000);
            this.pushCallEvent('ended', record);
            this.addRecent(record);
            if (snapshot.answeredAt === undefined) {
                if (record.direction === 'inbound' && record.outcome === 'missed') {
                    this.pushNotification('missed-call', record);
                }
                this.touch(record);
                void this.logWhenLookedUp(stack, record, snapshot.id);
            } else {
                record.state = transitionInteraction(record.state, InteractionState.WrapUp);
                record.ownDeadline = stack.tearingDown;
                if (stack.tearingDown) {
                    // the page is going away: the wrap-up waits in storage for the next leader
                    record.deadline = now + record.wrapSeconds * 1000;
                    if (record.wrapSeconds <= 0) this.logInteraction(record);
                }
                this.touch(record);
            }
        }
        if (!stack.tearingDown) this.afterCallEnded(stack, snapshot);
        this.markDirty();
    }

    /** Agent status after a leg ended, and the wrap-ups that no Wrap will follow. */
    private afterCallEnded(stack: LeaderStack, snapshot: CallSnapshot): void {
        const agent = stack.agent;
        const others = stack.phone.activeCalls().length;
        if (
            agent.status === AgentStatus.Ringing &&
            snapshot.direction === CallDirection.Inbound &&
            snapshot.answeredAt === undefined
        ) {
            agent.send({
                type: 'callMissed',
                cause: missedCause(snapshot),
                interactionId: snapshot.interactionId
            });
        } else if (others === 0 && agent.status === AgentStatus.Busy) {
            const wrapSeconds = Math.max(
                0,
                ...this.openRecords()
                    .filter((r) => r.state === InteractionState.WrapUp && !r.ownDeadline)
                    .map((r) => r.wrapSeconds)
            );
            agent.send({ type: 'callEnded', wrapSeconds, interactionId: snapshot.interactionId });
        }
        if (others === 0 && agent.status !== AgentStatus.Wrap) this.logAgentBoundWrapUps();
    }

    private onAgentStatusChanged(stack: LeaderStack, change: AgentStatusChange): void {
        if (stack.tearingDown) return;
        if (change.to === AgentStatus.Wrap) {
            for (const record of this.openRecords()) {
                if (record.state === InteractionState.WrapUp && !record.ownDeadline) {
                    record.deadline = change.wrapDeadline; // kept for a reload during the wrap
                    this.touch(record);
                }
            }
        } else if (change.from === AgentStatus.Wrap) {
            this.logAgentBoundWrapUps();
        }
        this.markDirty();
    }

    // =========================================================================================================
    // Interactions
    // =========================================================================================================

    private openInteraction(
        snapshot: CallSnapshot,
        direction: 'inbound' | 'outbound',
        rawNumber: string,
        displayName: string | undefined
    ): InteractionRecord {
        let id = snapshot.interactionId ?? snapshot.callData?.interactionId ?? createCallId();
        if (this.interactions.has(id)) id = `${id}#${snapshot.id}`; // never two open interactions on one key
        const now = this.clock.now();
        const record: InteractionRecord = {
            v: 1,
            interactionId: id,
            callId: snapshot.id,
            state: InteractionState.InCall,
            direction,
            caller: callerCardFor(rawNumber, displayName, this.numberOptions),
            agentNumber: this.agentNumber,
            startedAt: snapshot.startedAt ?? now,
            draft: emptyWrapUpForm(),
            related: null,
            candidates: [],
            screenPop: null,
            ownDeadline: false,
            wrapSeconds: this.wrapSecondsFor(snapshot.callData),
            updatedAt: now
        };
        mergeCallData(record, snapshot.callData, record.wrapSeconds);
        this.interactions.set(id, record);
        this.noteInteractionOfCall(snapshot.id, id);
        this.persistInteractions();
        return record;
    }

    private addTrack(snapshot: CallSnapshot, record: InteractionRecord | undefined): CallTrack {
        const track: CallTrack = {
            snapshot,
            interactionId: record?.interactionId,
            caller:
                record?.caller ??
                callerCardFor(snapshot.remote.number, snapshot.remote.displayName, this.numberOptions),
            quality: null,
            lookup: 'skipped',
            lookupRun: 0
        };
        this.tracks.set(snapshot.id, track);
        return track;
    }

    private noteInteractionOfCall(callId: string, interactionId: string): void {
        this.interactionOfCall.delete(callId);
        this.interactionOfCall.set(callId, interactionId);
        if (this.interactionOfCall.size > 50) {
            const oldest = this.interactionOfCall.keys().next().value;
            if (oldest !== undefined) this.interactionOfCall.delete(oldest);
        }
    }

    /** Outbound: the contact centre's interaction id may arrive with 18x/2xx and replaces the generated one. */
    private rekey(track: CallTrack, snapshot: CallSnapshot): void {
        const next = snapshot.interactionId;
        const previous = track.interactionId;
        if (!previous || !next || next === previous || snapshot.callData?.generated !== false) return;
        const record = this.interactions.get(previous);
        if (!record || record.state !== InteractionState.InCall || this.interactions.has(next)) return;
        this.interactions.delete(previous);
        record.interactionId = next;
        this.interactions.set(next, record);
        track.interactionId = next;
        this.noteInteractionOfCall(snapshot.id, next);
        this.persistInteractions();
    }

    /**
     * One lookup per call, and one more per remote party change (`partyChange`): number keys + IVR case code
     * (+ the dialled-from record). Only the leg's latest lookup decides.
     */
    private startLookup(
        stack: LeaderStack,
        record: InteractionRecord,
        track: CallTrack,
        context: DialContext | undefined,
        partyChange = false
    ): void {
        const generation = ++track.lookupRun;
        const normalized = normalizePhoneNumber(record.caller.rawNumber, this.numberOptions);
        const request: CallerLookupRequest = {
            searchKeys: normalized.searchKeys,
            e164: normalized.e164,
            number: record.caller.rawNumber,
            direction: record.direction,
            interactionId: record.interactionId
        };
        if (record.ivrCode) request.ivrCaseCode = record.ivrCode;
        if (context?.recordId) request.dialledFromRecordId = context.recordId;
        const decide = (matches: RecordMatch[], state: LookupState): void => {
            track.lookup = state;
            this.applyDecision(record, track, matches, normalized, context, partyChange);
        };
        const callId = track.snapshot.id;
        if (!normalized.searchable && !record.ivrCode && !context?.recordId) {
            this.lookups.delete(callId); // an older party's lookup still running is stale: nothing to wait for
            decide([], 'skipped');
            return;
        }
        track.lookup = 'pending';
        const run = (async () => {
            let matches: RecordMatch[] = [];
            let failed = false;
            try {
                matches = cleanMatches(await this.host.lookupCaller(request));
            } catch (error) {
                failed = true;
                if (!stack.tearingDown && track.lookupRun === generation) {
                    this.setError('lookup-failed', errorText(error), undefined, callId);
                }
            }
            if (stack.tearingDown || this.interactions.get(record.interactionId) !== record) return;
            if (track.lookupRun !== generation) return; // the remote party changed meanwhile: stale
            decide(matches, failed ? 'failed' : 'done');
            this.markDirty();
        })();
        this.lookups.set(callId, run);
        void run.finally(() => {
            if (this.lookups.get(callId) === run) this.lookups.delete(callId);
        });
    }

    private applyDecision(
        record: InteractionRecord,
        track: CallTrack,
        matches: RecordMatch[],
        normalized: ReturnType<typeof normalizePhoneNumber>,
        context: DialContext | undefined,
        partyChange: boolean
    ): void {
        const decision = decideScreenPop(
            {
                matches,
                number: {
                    e164: normalized.e164,
                    searchable: normalized.searchable,
                    anonymous: normalized.kind === 'anonymous' || normalized.kind === 'empty'
                },
                direction: record.direction,
                ivrCaseCode: record.ivrCode,
                dialledFromRecordId: context?.recordId,
                dialledFromRecord: context?.recordId
                    ? matchFromRef({ ...context, id: context.recordId })
                    : undefined
            },
            this.screenPopRules
        );
        const chosenByAgent = isManualRelation(record.related);
        // the agent's own record stays pickable in the wrap-up form whatever the lookup found
        const kept =
            chosenByAgent && record.related ? this.findCandidate(record, record.related.id) : undefined;
        record.screenPop = decision;
        record.candidates = candidatesOf(decision);
        if (kept && !record.candidates.some((c) => c.id === kept.id)) {
            record.candidates = [...record.candidates, kept];
        }
        if (!chosenByAgent) {
            record.caller = cardWithDecision(record.caller, decision);
            const related = relatedFromDecision(decision, this.relationOptions);
            if (related && context && (context.whoId || context.whatId)) {
                // the click-to-dial source said who and what explicitly (F9)
                if (context.whoId) related.whoId = context.whoId;
                else delete related.whoId;
                if (context.whatId) related.whatId = context.whatId;
                else delete related.whatId;
            }
            record.related = related;
            if (related) record.draft = { ...record.draft, relatedRecordId: related.id };
        } else if (partyChange) {
            // the agent's relation stays; the card is about the party on the line now
            record.caller = cardWithDecision(record.caller, decision);
        }
        track.caller = record.caller;
        this.touch(record);
        if (this.tracks.get(track.snapshot.id) === track) {
            if (record.direction === 'inbound' && track.snapshot.state === CallState.Ringing) {
                this.pushNotification('incoming-call', record);
            }
            // the agent related the call by hand: a new party must not navigate them away from that record
            if (partyChange && chosenByAgent) return;
            this.pushEvent('screenPop', {
                callId: track.snapshot.id,
                interactionId: record.interactionId,
                direction: record.direction,
                decision,
                caller: record.caller
            });
        }
    }

    /** Not answered: log once the lookup (if still running) answered, so the Task gets its Who/What. */
    private async logWhenLookedUp(
        stack: LeaderStack,
        record: InteractionRecord,
        callId: string
    ): Promise<void> {
        const pending = this.lookups.get(callId);
        if (pending && !stack.tearingDown) await this.withTimeout(pending, LOOKUP_WAIT_MS);
        if (this.interactions.get(record.interactionId) !== record) return; // the next leader logs it
        this.logInteraction(record);
    }

    /** THE place a call log is written: the single transition into Logged. */
    private logInteraction(record: InteractionRecord): boolean {
        if (!canTransitionInteraction(record.state, InteractionState.Logged)) return false;
        record.state = transitionInteraction(record.state, InteractionState.Logged);
        const timer = this.ownTimers.get(record.interactionId);
        if (timer !== undefined) this.clock.clearTimeout(timer);
        this.ownTimers.delete(record.interactionId);
        const entry = buildCallLogEntry(record, {
            agentUserId: this.options.userId,
            unknownCallerName: this.unknownCallerName,
            now: this.clock.now()
        });
        this.outbox.enqueue(entry);
        this.interactions.delete(record.interactionId);
        this.persistInteractions();
        this.addRecent(record);
        // `logged` means the Task exists: it waits for the outbox's `sent` (see watchOutbox)
        this.loggedEvents.set(record.interactionId, this.callEventOf('logged', record));
        this.markDirty();
        return true;
    }

    private logAgentBoundWrapUps(): void {
        for (const record of this.openRecords()) {
            if (record.state === InteractionState.WrapUp && !record.ownDeadline) this.logInteraction(record);
        }
    }

    private scheduleOwnDeadline(record: InteractionRecord): void {
        const deadline = record.deadline ?? this.clock.now();
        const timer = this.clock.setTimeout(
            () => {
                this.ownTimers.delete(record.interactionId);
                if (this.interactions.get(record.interactionId) === record) this.logInteraction(record);
            },
            Math.max(0, deadline - this.clock.now())
        );
        this.ownTimers.set(record.interactionId, timer);
    }

    private touch(record: InteractionRecord): void {
        record.updatedAt = this.clock.now();
        const track = this.tracks.get(record.callId);
        if (track) track.caller = record.caller;
        if (this.interactions.get(record.interactionId) === record) this.persistInteractions();
        this.markDirty();
    }

    private persistInteractions(): void {
        // a follower never writes; a leader handing over still stores what its teardown produced
        const role = this.election?.role;
        if (role !== TabRole.Leader && role !== TabRole.HandingOver) return;
        this.store.saveInteractions(this.openRecords());
    }

    private openRecords(): InteractionRecord[] {
        return Array.from(this.interactions.values())
            .filter((r) => r.state !== InteractionState.Logged)
            .sort((a, b) => a.startedAt - b.startedAt);
    }

    private addRecent(record: InteractionRecord): void {
        const caller = record.caller;
        const withheld = caller.numberKind === 'anonymous' || caller.numberKind === 'empty';
        const line: RecentCall = {
            interactionId: record.interactionId,
            direction: record.direction,
            number: withheld ? '' : (caller.e164 ?? caller.rawNumber),
            numberDisplay: caller.numberDisplay,
            name: caller.name,
            outcome: record.outcome ?? (record.answeredAt !== undefined ? 'answered' : 'missed'),
            missed: record.direction === 'inbound' && (record.outcome ?? 'missed') === 'missed',
            startedAt: record.startedAt,
            durationSeconds: record.durationSeconds ?? 0,
            callbackRequested: record.draft.callbackRequested,
            dialable: !withheld && isDialable(caller.e164 ?? caller.rawNumber, this.numberOptions)
        };
        if (record.recordingUrl) line.recordingUrl = record.recordingUrl;
        if (record.related) line.recordId = record.related.id;
        const index = this.recent.findIndex((r) => r.interactionId === line.interactionId);
        if (index >= 0) this.recent[index] = line;
        else this.recent = [line, ...this.recent].slice(0, this.recentLimit);
        if (this.isLeading()) this.store.saveRecent(this.recent);
    }

    // =========================================================================================================
    // Lookups of calls, interactions, candidates
    // =========================================================================================================

    /** A call leg: the given id, else the current one of that kind. */
    private findCall(
        callId: string | undefined,
        kind: 'ringing' | 'active' | 'primary' | 'consultation'
    ): { id: string; snapshot: CallSnapshot } | undefined {
        const tracks = Array.from(this.tracks.values()).filter((t) => t.snapshot.state !== CallState.Ended);
        if (callId) {
            const track = tracks.find((t) => t.snapshot.id === callId);
            return track && { id: track.snapshot.id, snapshot: track.snapshot };
        }
        const newestFirst = tracks.sort((a, b) => (b.snapshot.startedAt ?? 0) - (a.snapshot.startedAt ?? 0));
        let found: CallTrack | undefined;
        switch (kind) {
            case 'ringing':
                found = newestFirst.find((t) => t.snapshot.state === CallState.Ringing);
                break;
            case 'consultation':
                found = newestFirst.find((t) => t.snapshot.role === 'consultation');
                break;
            case 'primary':
                found = newestFirst.find(
                    (t) => t.snapshot.role === 'primary' && t.snapshot.state !== CallState.Ringing
                );
                break;
            case 'active': {
                const live = newestFirst.filter((t) => t.snapshot.state !== CallState.Ringing);
                found = live.find((t) => !t.snapshot.onHold) ?? live[0];
                break;
            }
        }
        return found && { id: found.snapshot.id, snapshot: found.snapshot };
    }

    /** An open interaction: by id, else the current wrap-up, else the current call's. */
    private findInteraction(interactionId: string | undefined): InteractionRecord | undefined {
        if (interactionId) return this.interactions.get(interactionId);
        const open = this.openRecords();
        return open.find((r) => r.state === InteractionState.WrapUp) ?? this.interactionForCall(undefined);
    }

    /** The interaction of a call leg (a consultation leg's primary), else the current wrap-up. */
    private interactionForCall(callId: string | undefined): InteractionRecord | undefined {
        const call =
            this.findCall(callId, 'primary') ?? (callId ? undefined : this.findCall(undefined, 'ringing'));
        if (call) {
            const track = this.tracks.get(call.id);
            const primaryId = track?.interactionId ? call.id : call.snapshot.linkedCallId;
            const primary = primaryId ? this.tracks.get(primaryId) : undefined;
            const id = primary?.interactionId;
            if (id) return this.interactions.get(id);
        }
        if (callId) {
            const byCall = this.openRecords().find((r) => r.callId === callId || r.interactionId === callId);
            if (byCall) return byCall;
            return undefined;
        }
        return this.openRecords().find((r) => r.state === InteractionState.WrapUp);
    }

    private findCandidate(record: InteractionRecord, recordId: string): RecordMatch | undefined {
        const collapsed =
            record.screenPop && (record.screenPop.action === 'open' || record.screenPop.action === 'choose')
                ? record.screenPop.collapsed
                : [];
        return [...record.candidates, ...collapsed].find((m) => m.id === recordId);
    }

    private transferTarget(raw: string): string | undefined {
        if (typeof raw !== 'string') return undefined;
        const dial = toDialString(raw, this.numberOptions);
        if (dial) return dial;
        const text = raw.trim();
        if (/^sips?:[^\s<>"]+$/i.test(text)) return text;
        if (/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(text)) return text; // queue or user name
        return undefined;
    }

    private wrapSecondsFor(callData: CallData | undefined): number {
        const header = callData?.wrapSeconds;
        if (typeof header === 'number') return clampWrap(header);
        const campaign = callData?.campaignId
            ? this.campaigns.find((c) => c.id === callData.campaignId)
            : undefined;
        return clampWrap(campaign?.wrapSeconds ?? this.settings.defaultWrapSeconds ?? 0);
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
            this.current = this.buildLeaderState();
            this.election.publishState(this.current);
        } else {
            this.current = this.buildFollowerState();
        }
        this.emitter.emit('stateChanged', cloneJson(this.current));
        for (const record of this.current.events) {
            if (record.seq <= this.emittedSeq) continue;
            this.emittedSeq = record.seq;
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

    private buildLeaderState(): PhoneViewState {
        const stack = this.stack;
        const agent = stack?.agent.snapshot();
        const calls = Array.from(this.tracks.values())
            .map((track) => this.callView(track, stack))
            .sort(
                (a, b) =>
                    Number(a.role !== 'primary') - Number(b.role !== 'primary') || a.startedAt - b.startedAt
            );
        const interactions = this.openRecords().map((r) => interactionView(r, agent?.wrapDeadline));
        const warnings: PhoneWarning[] = [];
        if (this.election.degraded) warnings.push('multiple-tabs-may-register');
        if (!this.store.available || !this.outbox.storageAvailable) warnings.push('storage-unavailable');
        if (agent?.sync === 'failed') warnings.push('status-not-synced');
        if (this.outboxOverCapacity) warnings.push('outbox-over-capacity');
        return cloneJson<PhoneViewState>({
            version: PHONE_VIEW_STATE_VERSION,
            revision: ++this.revision,
            at: this.clock.now(),
            role: this.roleNow(),
            leader: this.leaderView,
            started: stack?.started === true,
            registration: this.registration,
            connection: this.connection,
            agent: this.agentView(stack, agent),
            pauseReasons: this.pauseReasons,
            calls,
            incoming: calls.find((c) => c.direction === 'inbound' && c.state === CallState.Ringing) ?? null,
            interactions,
            wrapUp: interactions.find((i) => i.state === InteractionState.WrapUp) ?? null,
            recentCalls: this.recent,
            outbox: this.outboxView(),
            error: this.error,
            microphone: this.microphone,
            warnings,
            audioDevices: this.audioDevices,
            lastDialled: this.lastDialled?.number ?? null,
            events: this.events
        });
    }

    private buildFollowerState(): PhoneViewState {
        const base = this.mirrored ?? this.emptyState();
        const warnings: PhoneWarning[] = base.warnings.filter((w) => w !== 'leader-unresponsive');
        if (this.leaderView && !this.leaderView.responsive) warnings.push('leader-unresponsive');
        const error =
            this.localError && (!base.error || this.localError.at >= base.error.at)
                ? this.localError
                : base.error;
        return { ...base, role: this.roleNow(), leader: this.leaderView, warnings, error };
    }

    private emptyState(): PhoneViewState {
        return {
            version: PHONE_VIEW_STATE_VERSION,
            revision: 0,
            at: this.clock.now(),
            role: this.roleNow(),
            leader: this.leaderView,
            started: false,
            registration: { state: RegistrationState.Unregistered },
            connection: { state: ConnectionState.Disconnected },
            agent: this.agentView(undefined, undefined),
            pauseReasons: [],
            calls: [],
            incoming: null,
            interactions: [],
            wrapUp: null,
            recentCalls: [],
            outbox: { unsent: 0, needsAttention: 0, attention: [], durable: true },
            error: null,
            microphone: null,
            warnings: [],
            audioDevices: {},
            lastDialled: null,
            events: []
        };
    }

    private agentView(stack: LeaderStack | undefined, snapshot: AgentStatusSnapshot | undefined): AgentView {
        if (!stack || !snapshot) {
            return {
                status: AgentStatus.Offline,
                since: this.clock.now(),
                pauseReason: null,
                nextStatus: null,
                wrap: null,
                sync: 'synced',
                allowed: []
            };
        }
        const agent = stack.agent;
        const inCall = snapshot.status === AgentStatus.Ringing || snapshot.status === AgentStatus.Busy;
        const allowed: AgentView['allowed'] = inCall
            ? ['Ready', 'NotReady', 'Paused']
            : [
                  ...(agent.can('setReady') ? (['Ready'] as const) : []),
                  ...(agent.can('setNotReady') ? (['NotReady'] as const) : []),
                  ...(agent.can('pause') ? (['Paused'] as const) : [])
              ];
        const wrap =
            snapshot.wrapDeadline !== undefined &&
            snapshot.wrapSeconds !== undefined &&
            snapshot.wrapStartedAt !== undefined
                ? {
                      seconds: snapshot.wrapSeconds,
                      startedAt: snapshot.wrapStartedAt,
                      deadline: snapshot.wrapDeadline
                  }
                : null;
        return {
            status: snapshot.status,
            since: snapshot.since,
            pauseReason: snapshot.pauseReason ?? null,
            nextStatus: snapshot.nextStatus ?? null,
            wrap,
            sync: snapshot.sync,
            allowed
        };
    }

    private callView(track: CallTrack, stack: LeaderStack | undefined): CallView {
        const s = stack?.phone.call(track.snapshot.id) ?? track.snapshot; // fresh durations
        const record = track.interactionId ? this.interactions.get(track.interactionId) : undefined;
        const data = s.callData;
        const view: CallView = {
            id: s.id,
            interactionId: track.interactionId ?? s.interactionId ?? '',
            role: s.role,
            direction: s.direction === CallDirection.Inbound ? 'inbound' : 'outbound',
            state: s.state,
            caller: record?.caller ?? track.caller,
            startedAt: s.startedAt ?? this.clock.now(),
            talkDurationMs: s.talkDurationMs,
            holdDurationMs: s.holdDurationMs,
            muted: s.muted,
            onHold: s.onHold,
            remoteHold: s.remoteHold,
            holdPending: s.holdPending ?? null,
            answering: s.answering,
            earlyMedia: s.earlyMedia,
            consultActive: s.consultActive,
            conference: s.conference?.active === true,
            quality: track.quality,
            lookup: track.lookup,
            screenPop: record?.screenPop ?? null,
            related: record?.related ?? null
        };
        if (s.answeredAt !== undefined) view.answeredAt = s.answeredAt;
        if (s.linkedCallId) view.linkedCallId = s.linkedCallId;
        if (s.transfer)
            view.transfer = { kind: s.transfer.kind, target: s.transfer.target, status: s.transfer.status };
        if (data?.campaignId) view.campaignId = data.campaignId;
        if (data?.campaignName) view.campaignName = data.campaignName;
        if (data?.queue) view.queue = data.queue;
        if (data?.ivrCode) view.ivrCode = data.ivrCode;
        if (data?.recordingUrl) view.recordingUrl = data.recordingUrl;
        return view;
    }

    private outboxView(): OutboxView {
        const counts = this.outbox.counts();
        // items() copies every entry: only read them when something needs showing
        const needsItems = counts[OutboxEntryState.NeedsAttention] > 0 || this.outboxStorageTrouble;
        const items = needsItems ? this.outbox.items() : [];
        return {
            unsent:
                counts[OutboxEntryState.Pending] +
                counts[OutboxEntryState.Sending] +
                counts[OutboxEntryState.RetryWait],
            needsAttention: counts[OutboxEntryState.NeedsAttention],
            attention: items
                .filter((item) => item.state === OutboxEntryState.NeedsAttention)
                .map((item) => ({
                    interactionId: item.interactionId,
                    message: item.lastError ?? '',
                    attempts: item.attempts,
                    name: item.entry.displayName ?? '',
                    number: item.entry.direction === 'inbound' ? item.entry.fromNumber : item.entry.toNumber,
                    startedAt: Date.parse(item.entry.startedAt) || item.enqueuedAt
                })),
            durable: items.every((item) => item.durable)
        };
    }

    private watchOutbox(): void {
        this.outbox.on('sent', ({ item, taskId }) => this.announceLogged(item, taskId));
        this.outbox.on('dismissed', ({ item }) => this.loggedEvents.delete(item.interactionId));
        this.outbox.on('needsAttention', ({ item, message }) => {
            this.setError('call-log-needs-attention', message);
            const entry = item.entry;
            this.pushEvent('notification', {
                kind: 'call-log-needs-attention',
                tag: `ccphone-log-${item.interactionId}`,
                interactionId: item.interactionId,
                name: entry.displayName ?? '',
                company: '',
                numberDisplay: entry.direction === 'inbound' ? entry.fromNumber : entry.toNumber
            });
        });
        this.outbox.on('capacityExceeded', () => {
            this.outboxOverCapacity = true;
            this.markDirty();
        });
        this.outbox.on('drained', () => {
            this.outboxOverCapacity = false;
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
            this.outbox.on(event, () => this.markDirty());
        }
    }

    private pushEvent<T extends PhoneEventRecord['type']>(
        type: T,
        payload: Extract<PhoneEventRecord, { type: T }>['payload']
    ): void {
        const seq = Math.max(this.lastEventSeq + 1, this.emittedSeq + 1, this.clock.now() * 1000);
        this.lastEventSeq = seq;
        this.events = [
            ...this.events,
            { seq, at: this.clock.now(), type, payload } as PhoneEventRecord
        ].slice(-MAX_EVENTS);
        this.markDirty();
    }

    /** A previous leader emitted `logged` for every item it saw saved (it stored the taskId then). */
    private seedAnnouncedLogs(): void {
        this.announcedLogs.clear();
        this.loggedEvents.clear();
        for (const item of this.outbox.items()) {
            if (item.taskId !== undefined) this.announcedLogs.add(item.interactionId);
        }
    }

    /** The server saved the Task: `logged` once per interaction (later re-sends update the same Task). */
    private announceLogged(item: OutboxItem, taskId: string): void {
        const id = item.interactionId;
        const payload = this.loggedEvents.get(id) ?? this.loggedEventOfEntry(item.entry);
        this.loggedEvents.delete(id);
        if (this.announcedLogs.has(id)) return;
        this.announcedLogs.add(id);
        this.pushEvent('callEvent', { ...payload, taskId });
    }

    /** A log another leader queued: its call is gone, the entry says what the event needs (no call id). */
    private loggedEventOfEntry(entry: CallLogEntry): PhoneCallEvent {
        const other = entry.direction === 'inbound' ? entry.fromNumber : entry.toNumber;
        const kind = normalizePhoneNumber(other, this.numberOptions).kind;
        const withheld = kind === 'anonymous' || kind === 'empty';
        const payload: PhoneCallEvent = {
            kind: 'logged',
            interactionId: entry.interactionId,
            callId: '',
            direction: entry.direction,
            number: withheld ? '' : other,
            name: entry.displayName === this.unknownCallerName ? '' : (entry.displayName ?? ''),
            outcome: entry.outcome,
            durationSeconds: entry.durationSeconds
        };
        const recordId = entry.whoId ?? entry.whatId;
        if (recordId) payload.recordId = recordId;
        return payload;
    }

    private pushCallEvent(kind: PhoneCallEventKind, record: InteractionRecord): void {
        this.pushEvent('callEvent', this.callEventOf(kind, record));
    }

    private callEventOf(kind: PhoneCallEventKind, record: InteractionRecord): PhoneCallEvent {
        const caller = record.caller;
        const withheld = caller.numberKind === 'anonymous' || caller.numberKind === 'empty';
        const payload: PhoneCallEvent = {
            kind,
            interactionId: record.interactionId,
            callId: record.callId,
            direction: record.direction,
            number: withheld ? '' : (caller.e164 ?? caller.rawNumber),
            name: caller.name
        };
        if (record.related) payload.recordId = record.related.id;
        if ((kind === 'ended' || kind === 'logged') && record.outcome) payload.outcome = record.outcome;
        if ((kind === 'ended' || kind === 'logged') && record.durationSeconds !== undefined) {
            payload.durationSeconds = record.durationSeconds;
        }
        return payload;
    }

    private pushNotification(kind: PhoneNotificationKind, record: InteractionRecord): void {
        this.pushEvent('notification', {
            kind,
            tag: `ccphone-${record.interactionId}`,
            interactionId: record.interactionId,
            name: record.caller.name,
            company: record.caller.company,
            numberDisplay: record.caller.numberDisplay
        });
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

    private async withTimeout(work: Promise<unknown>, ms: number): Promise<void> {
        let timer: TimerHandle | undefined;
        const budget = new Promise<void>((resolve) => {
            timer = this.clock.setTimeout(resolve, ms);
        });
        await Promise.race([
            work.then(
                () => undefined,
                () => undefined
            ),
            budget
        ]);
        this.clock.clearTimeout(timer);
    }
}

// =============================================================================================================
// Helpers
// =============================================================================================================

function errorView(
    code: PhoneErrorCode,
    at: number,
    detail?: string,
    reason?: string | number,
    callId?: string
): PhoneErrorView {
    const view: PhoneErrorView = { code, messageKey: PHONE_ERROR_MESSAGE_KEYS[code], at };
    if (detail) view.detail = String(detail).slice(0, 500);
    if (reason !== undefined) view.reason = reason;
    if (callId) view.callId = callId;
    return view;
}

function asSessionResult(value: unknown): SessionResult {
    if (value && typeof value === 'object' && typeof (value as { ok?: unknown }).ok === 'boolean') {
        return value as SessionResult;
    }
    return { ok: false, error: 'unknown' };
}

function nextStatusOf(request: StatusRequest | undefined): NextStatus | undefined {
    if (!request || typeof request !== 'object') return undefined;
    switch (request.status) {
        case 'Ready':
            return { status: AgentStatus.Ready };
        case 'NotReady':
            return { status: AgentStatus.NotReady };
        case 'Paused':
            return request.reason && typeof request.reason.id === 'string' && request.reason.id !== ''
                ? {
                      status: AgentStatus.Paused,
                      reason: { id: request.reason.id, label: String(request.reason.label ?? '') }
                  }
                : undefined;
        default:
            return undefined;
    }
}

/** The previous leader's status worth taking again (a call it had died with it: Not ready). */
function restorableStatus(state: PhoneViewState | undefined): StatusRequest | undefined {
    const agent = state?.agent;
    if (!agent) return undefined;
    if (agent.status === AgentStatus.Ready) return { status: 'Ready' };
    if (agent.status === AgentStatus.Paused && agent.pauseReason)
        return { status: 'Paused', reason: agent.pauseReason };
    return undefined;
}

function missedCause(snapshot: CallSnapshot): MissedCallCause {
    if (snapshot.outcome === CallOutcome.Rejected) return 'rejected';
    if (snapshot.outcome === CallOutcome.Missed && snapshot.endedBy === 'timeout') return 'timeout';
    return 'cancelled';
}

/** Call data the network sent (or sent later, outbound) into the interaction. */
function mergeCallData(record: InteractionRecord, data: CallData | undefined, wrapSeconds: number): void {
    if (!data) return;
    if (data.campaignId) record.campaignId = data.campaignId;
    if (data.campaignName) record.campaignName = data.campaignName;
    if (data.queue) record.queue = data.queue;
    if (data.ivrCode) record.ivrCode = data.ivrCode;
    if (data.recordingUrl) record.recordingUrl = data.recordingUrl;
    record.wrapSeconds = wrapSeconds;
}

/** A relation the agent made: picked a candidate, related the record on screen, set it in the wrap-up form. */
function isManualRelation(related: RelatedRecord | null): related is RelatedRecord {
    return !!related && (related.source === 'chosen' || related.source === 'on-screen');
}

/** A related record as a candidate, when the candidate it came from is gone. */
function matchOfRelated(related: RelatedRecord): RecordMatch {
    return { id: related.id, objectType: related.objectType, name: related.name };
}

/** Who a card's number is: the E.164 when valid, else the number as received, plus any extension. */
function partyNumberKey(card: CallerCard): string {
    return `${card.e164 ?? card.rawNumber.trim()};${card.extension ?? ''}`;
}

function clampWrap(seconds: number): number {
    return Number.isFinite(seconds) ? Math.min(3600, Math.max(0, Math.round(seconds))) : 0;
}

function cleanMatches(value: unknown): RecordMatch[] {
    if (!Array.isArray(value)) return [];
    return value.filter(
        (m): m is RecordMatch =>
            !!m &&
            typeof m === 'object' &&
            typeof (m as RecordMatch).id === 'string' &&
            typeof (m as RecordMatch).objectType === 'string' &&
            typeof (m as RecordMatch).name === 'string'
    );
}

function cleanPauseReasons(value: unknown[]): PauseReason[] {
    return value
        .filter(
            (r): r is PauseReason =>
                !!r && typeof (r as PauseReason).id === 'string' && (r as PauseReason).id !== ''
        )
        .map((r) => ({ id: r.id, label: typeof r.label === 'string' ? r.label : r.id }));
}

function isCampaign(value: unknown): value is CampaignInfo {
    return (
        !!value &&
        typeof (value as CampaignInfo).id === 'string' &&
        typeof (value as CampaignInfo).wrapSeconds === 'number'
    );
}

function cleanDialContext(context: DialContext | undefined): DialContext | undefined {
    if (!context || typeof context !== 'object') return undefined;
    const clean: DialContext = {};
    if (isRecordId(context.recordId)) clean.recordId = context.recordId;
    if (MATCH_OBJECT_TYPES.includes(context.objectType as MatchObjectType)) {
        clean.objectType = context.objectType as MatchObjectType;
    }
    if (typeof context.name === 'string' && context.name.trim()) clean.name = context.name;
    if (isRecordId(context.whoId)) clean.whoId = context.whoId;
    if (isRecordId(context.whatId)) clean.whatId = context.whatId;
    if (isRecordId(context.accountId)) clean.accountId = context.accountId;
    if (isRecordId(context.contactId)) clean.contactId = context.contactId;
    return Object.keys(clean).length > 0 ? clean : undefined;
}

function cleanDevices(devices: AudioDevices | undefined): AudioDevices {
    const clean: AudioDevices = {};
    if (!devices || typeof devices !== 'object') return clean;
    for (const key of ['input', 'output', 'ring'] as const) {
        if (typeof devices[key] === 'string') clean[key] = devices[key];
    }
    return clean;
}

function entryPatchOf(patch: Partial<WrapUpForm> | undefined): Partial<Omit<CallLogEntry, 'interactionId'>> {
    const result: Partial<Omit<CallLogEntry, 'interactionId'>> = {};
    if (!patch) return result;
    const form = mergeWrapUpForm(emptyWrapUpForm(), patch);
    if (typeof patch.notes === 'string') result.notes = form.notes;
    if (typeof patch.disposition === 'string') result.disposition = form.disposition;
    if (typeof patch.callbackRequested === 'boolean') result.callbackRequested = form.callbackRequested;
    return result;
}

function sipUserOf(sipUri: string): string {
    const match = /^sips?:([^@;>\s]+)@/i.exec(sipUri.trim());
    return match ? decodeURIComponent(match[1]) : '';
}

function defaultStorage(): KeyValueStorage | null {
    try {
        const storage = (globalThis as { localStorage?: KeyValueStorage }).localStorage;
        return storage && typeof storage.getItem === 'function' ? storage : null;
    } catch {
        return null; // access itself throws where storage is disabled
    }
}

function errorText(error: unknown): string {
    if (error instanceof Error) return error.message || error.name;
    return typeof error === 'string' ? error : 'unknown error';
}

function cloneJson<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}
