/**
 * `LeaderRuntime`: the leader's live parts, {@link SipPhone} and {@link AgentStatusMachine}, from becoming
 * leader to letting go.
 *
 * Owns: the current {@link LeaderStack} (created on becoming leader, torn down on losing it), its start
 * (microphone preflight, credentials, registration; a credentials failure retries with backoff), its
 * teardown (calls end, wrap-ups go to storage with their own deadline, unregister), and what the SIP
 * side reports for the view: registration, connection, microphone, the agent's campaigns, pause reasons
 * and own number (from the SIP session).
 *
 * Talks to: the host's `getSipSession` / `getPauseReasons` / `publishAgentStatus`; call and agent events go
 * out through {@link LeaderStackEvents} (the session's call flow handles them); errors through `setError`.
 *
 * @packageDocumentation
 */
import { AgentStatus, AgentStatusMachine, type AgentStatusChange, type PauseReason } from '../agent-status';
import type { CallSnapshot } from '../call/call-machine';
import type { QualityScore } from '../sip/call-quality';
import { checkMicrophone, MicrophoneError, type MediaPort } from '../sip/media';
import { ReconnectPolicy } from '../sip/reconnect-policy';
import { RegistrationState, type RegistrationChange } from '../sip/registration';
import { SipPhone } from '../sip/sip-phone';
import { ConnectionState, type ConnectionChange, type SipPhoneError } from '../sip/types';
import type { Clock, TimerHandle } from '../util/clock';
import {
    cleanPauseReasons,
    errorText,
    hostErrorText,
    isCampaign,
    parseSipSessionFailure,
    sipSessionErrorCode,
    sipUserOf
} from './session-helpers';
import type {
    CampaignInfo,
    ConnectionView,
    HostPorts,
    MicrophoneView,
    PhoneErrorCode,
    PhoneSessionOptions,
    PhoneSettings,
    RegistrationView,
    SipSessionFailure,
    SipSessionInfo,
    StatusRequest
} from './types';

/** Error codes of a start that failed for a reason the agent or admin must fix (cleared once it works). */
const CREDENTIAL_ERRORS: readonly PhoneErrorCode[] = [
    'credentials',
    'credentials-unauthorized',
    'credentials-no-seat',
    'credentials-unknown-agent',
    'credentials-refused'
];

/** The leader's live parts; created on becoming leader, torn down on losing it. */
export interface LeaderStack {
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

/** Call and agent events of a stack, for the session's call flow. */
export interface LeaderStackEvents {
    incomingCall(stack: LeaderStack, snapshot: CallSnapshot): void;
    callUpdated(stack: LeaderStack, snapshot: CallSnapshot): void;
    callEnded(stack: LeaderStack, snapshot: CallSnapshot): void;
    quality(callId: string, score: QualityScore): void;
    agentStatusChanged(stack: LeaderStack, change: AgentStatusChange): void;
}

/** What the runtime needs from the session. */
export interface LeaderRuntimePorts {
    readonly host: HostPorts;
    readonly options: PhoneSessionOptions;
    readonly settings: PhoneSettings;
    readonly clock: Clock;
    readonly media: MediaPort;
    readonly events: LeaderStackEvents;
    /**
     * Resolves when the Ringing publish of `interactionId` may go: after that call's caller lookup, at most a
     * short wait (Lightning boxcars Apex actions started together into one request, which would make the screen
     * pop's lookup last as long as the status callout).
     */
    ringingPublishGate(interactionId: string | undefined): Promise<void>;
    /** Take a status again (the previous leader's Ready/Paused) once registered. */
    restoreStatus(stack: LeaderStack, request: StatusRequest): void;
    /** The stack registered (the first time and after every reconnect). */
    registered(stack: LeaderStack): void;
    /** Teardown, before SIP stops: no own timer may fire, agent-bound wrap-ups keep the Wrap deadline. */
    beforeStop(stack: LeaderStack): void;
    /** The current stack was dropped: the in-memory call state goes with it. */
    abandoned(): void;
    setError(code: PhoneErrorCode, detail?: string, reason?: string | number, callId?: string): void;
    /** Clears the error when it has one of these codes. */
    clearErrorIf(codes: readonly PhoneErrorCode[]): void;
    changed(): void;
}

/** The leader's SIP phone and agent status; see the module documentation. */
export class LeaderRuntime {
    registration: RegistrationView = { state: RegistrationState.Unregistered };
    connection: ConnectionView = { state: ConnectionState.Disconnected };
    microphone: MicrophoneView | null = null;
    pauseReasons: PauseReason[] = [];
    campaigns: CampaignInfo[] = [];
    agentNumber = '';
    private stack: LeaderStack | undefined;
    private teardown: Promise<void> = Promise.resolve();
    /** What the host said about the last failed `getSipSession` (null: it gave no structured reason). */
    private sessionFailure: SipSessionFailure | null = null;

    constructor(private readonly ports: LeaderRuntimePorts) {}

    /** The live stack, if this tab leads. */
    get current(): LeaderStack | undefined {
        return this.stack;
    }

    /** The live stack unless it is going away. */
    get usable(): LeaderStack | undefined {
        return this.stack && !this.stack.tearingDown ? this.stack : undefined;
    }

    /** Settles when the last teardown finished. */
    get tornDown(): Promise<void> {
        return this.teardown;
    }

    /** Becoming leader: drop a stack left from an earlier leadership first. */
    dropCurrent(): void {
        if (this.stack) this.abandon(this.stack);
    }

    /** Becoming leader: a new stack (not started yet; {@link start} it once the interactions are back). */
    create(restoreStatus: StatusRequest | undefined): LeaderStack {
        const stack = this.build(restoreStatus);
        this.stack = stack;
        return stack;
    }

    /**
     * Resign hook of the election: release the phone (awaited for a voluntary handover). `keepCalls` (the page
     * goes away and the contact centre can give calls back): with a call in progress the phone is left without
     * hanging up (B7); the contact centre holds the customer and the next leader takes the call back.
     */
    resign(keepCalls = false): Promise<void> {
        const stack = this.stack;
        if (!stack) return this.teardown;
        const inCall = stack.phone.activeCalls().some((call) => call.answeredAt !== undefined);
        this.teardown = keepCalls && inCall ? this.leave(stack) : this.tearDown(stack);
        return this.teardown;
    }

    /** `restartPhone`: start again at once, with a fresh backoff. */
    async restart(stack: LeaderStack): Promise<boolean> {
        if (stack.started || stack.starting) return true;
        if (stack.startTimer !== undefined) this.ports.clock.clearTimeout(stack.startTimer);
        stack.startTimer = undefined;
        stack.startPolicy.reset();
        await this.start(stack);
        return stack.started;
    }

    /** Microphone preflight, then credentials and registration; credentials failures retry with backoff. */
    async start(stack: LeaderStack): Promise<void> {
        if (stack.starting || stack.started || stack.tearingDown) return;
        const { clock, media } = this.ports;
        stack.starting = true;
        try {
            const check = await checkMicrophone(media);
            if (stack.tearingDown) return;
            if (!check.ok) {
                this.microphone = { problem: check.error.code };
                this.ports.setError('microphone', check.error.message, check.error.code);
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
            this.ports.clearErrorIf([...CREDENTIAL_ERRORS, 'microphone']);
            if (this.pauseReasons.length === 0 && this.ports.host.getPauseReasons)
                void this.loadPauseReasons(stack);
        } catch (error) {
            if (stack.tearingDown) return;
            if (error instanceof MicrophoneError) {
                this.microphone = { problem: error.code };
                this.ports.setError('microphone', error.message, error.code);
                return;
            }
            const failure = this.sessionFailure;
            stack.agent.send({ type: 'connectionFailed', reason: 'credentials' });
            if (failure && !failure.retryable) {
                // a wrong API key, no seat, an unknown agent: asking again changes nothing until someone
                // acts; every browser of every agent would otherwise keep calling (FAULT-CASES 16)
                this.ports.setError(sipSessionErrorCode(failure), errorText(error), failure.code);
                return;
            }
            this.ports.setError('credentials', errorText(error), failure?.code);
            const retryAfterMs = (failure?.retryAfterSeconds ?? 0) * 1000;
            stack.startTimer = clock.setTimeout(
                () => {
                    stack.startTimer = undefined;
                    void this.start(stack);
                },
                Math.max(stack.startPolicy.nextDelayMs(), retryAfterMs)
            );
        } finally {
            stack.starting = false;
            this.ports.changed();
        }
    }

    private build(restoreStatus: StatusRequest | undefined): LeaderStack {
        const { clock, host, options, settings, events } = this.ports;
        const env = options.browser ?? {};
        const sequenceBase = clock.now() * 1000;
        const agent = new AgentStatusMachine({
            port: {
                publish: async (change: AgentStatusChange) => {
                    // the contact centre offered the call, so it knows the agent rings: Ringing can wait
                    // for the caller lookup, which then gets its Apex round trip to itself (see ringingPublishGate)
                    if (change.to === AgentStatus.Ringing)
                        await this.ports.ringingPublishGate(change.interactionId);
                    return host.publishAgentStatus({ ...change, sequence: sequenceBase + change.sequence });
                }
            },
            clock,
            missedCallSetsNotReady: settings.missedCallSetsNotReady ?? true,
            defaultWrapSeconds: settings.defaultWrapSeconds ?? 0
        });
        const phone = new SipPhone({
            ...options.sipOptions,
            getCredentials: () => this.fetchSipSession(),
            clock,
            random: env.random,
            network: env.network,
            media: this.ports.media,
            userAgentFactory: options.userAgentFactory,
            callWaiting: settings.callWaiting ?? false,
            ringTimeoutMs: Math.max(5, settings.ringTimeoutSeconds ?? 30) * 1000
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
        const changed = (): void => this.ports.changed();
        stack.offs.push(
            phone.on('registrationChanged', (change) => this.onRegistration(stack, change)),
            phone.on('connectionChanged', (change) => this.onConnection(stack, change)),
            phone.on('incomingCall', (snapshot) => events.incomingCall(stack, snapshot)),
            phone.on('callUpdated', (snapshot) => events.callUpdated(stack, snapshot)),
            phone.on('callEnded', (snapshot) => events.callEnded(stack, snapshot)),
            phone.on('quality', ({ callId, score }) => events.quality(callId, score)),
            phone.on('error', (error) => this.onPhoneError(stack, error)),
            agent.on('statusChanged', (change) => events.agentStatusChanged(stack, change)),
            agent.on('updated', changed),
            agent.on('published', changed),
            agent.on('publishFailed', ({ error, superseded }) => {
                if (!superseded) this.ports.setError('status-publish-failed', errorText(error));
                changed();
            })
        );
        return stack;
    }

    /** pagehide mid-call: no BYE, no un-REGISTER; what is open stays in storage for the next leader. */
    private async leave(stack: LeaderStack): Promise<void> {
        if (stack.tearingDown) return;
        stack.tearingDown = true;
        if (stack.startTimer !== undefined) this.ports.clock.clearTimeout(stack.startTimer);
        this.ports.beforeStop(stack);
        this.abandon(stack);
        stack.phone.detach();
    }

    private async tearDown(stack: LeaderStack): Promise<void> {
        if (stack.tearingDown) return;
        stack.tearingDown = true;
        if (stack.startTimer !== undefined) this.ports.clock.clearTimeout(stack.startTimer);
        this.ports.beforeStop(stack);
        // stop() ends every call synchronously (their callEnded store or log them), then unregisters
        try {
            await stack.phone.stop();
        } catch {
            // stop() never throws; a broken UA must not keep the tab from letting go
        }
        this.abandon(stack);
    }

    /**
     * Drops the leader's parts and, when it is still the current stack, the in-memory call state (everything
     * open is in storage). A stack replaced meanwhile (this tab led again quickly) leaves the new one alone.
     */
    private abandon(stack: LeaderStack): void {
        stack.tearingDown = true;
        if (stack.startTimer !== undefined) this.ports.clock.clearTimeout(stack.startTimer);
        for (const off of stack.offs) off();
        stack.offs.length = 0;
        stack.agent.dispose();
        if (this.stack !== stack) return;
        this.stack = undefined;
        this.registration = { state: RegistrationState.Unregistered };
        this.connection = { state: ConnectionState.Disconnected };
        this.ports.abandoned();
        this.ports.changed();
    }

    private async fetchSipSession(): Promise<SipSessionInfo> {
        this.sessionFailure = null;
        let info: SipSessionInfo;
        try {
            info = await this.ports.host.getSipSession();
        } catch (error) {
            this.sessionFailure = parseSipSessionFailure(error);
            throw error instanceof Error ? error : new Error(hostErrorText(error));
        }
        if (info && typeof info === 'object') {
            if (Array.isArray(info.campaigns)) this.campaigns = info.campaigns.filter(isCampaign);
            if (Array.isArray(info.pauseReasons)) this.pauseReasons = cleanPauseReasons(info.pauseReasons);
            if (typeof info.sipUri === 'string') this.agentNumber = sipUserOf(info.sipUri);
            this.ports.changed();
        }
        return info;
    }

    private async loadPauseReasons(stack: LeaderStack): Promise<void> {
        try {
            const reasons = await this.ports.host.getPauseReasons?.();
            if (!stack.tearingDown && Array.isArray(reasons)) this.pauseReasons = cleanPauseReasons(reasons);
        } catch {
            // the status menu then offers no pause reasons; nothing else depends on them
        }
        this.ports.changed();
    }

    private onRegistration(stack: LeaderStack, change: RegistrationChange): void {
        const view: RegistrationView = { state: change.state };
        if (change.statusCode !== undefined) view.statusCode = change.statusCode;
        if (change.authFailure) view.authFailure = true;
        this.registration = view;
        if (stack.tearingDown) return this.ports.changed();
        if (change.state === RegistrationState.Registered) {
            stack.agent.send({ type: 'registered' });
            this.ports.clearErrorIf(['registration-failed', 'connection-lost', ...CREDENTIAL_ERRORS]);
            const restore = stack.restoreStatus;
            stack.restoreStatus = undefined;
            if (restore && stack.agent.status === AgentStatus.NotReady)
                this.ports.restoreStatus(stack, restore);
            this.ports.registered(stack);
        } else if (change.state === RegistrationState.Failed) {
            stack.agent.send({ type: 'connectionFailed', reason: change.reason ?? 'registration failed' });
            this.ports.setError('registration-failed', change.reason, change.statusCode);
        }
        this.ports.changed();
    }

    private onConnection(stack: LeaderStack, change: ConnectionChange): void {
        const view: ConnectionView = { state: change.state };
        if (change.attempt !== undefined) view.attempt = change.attempt;
        if (change.retryInMs !== undefined) view.retryAt = this.ports.clock.now() + change.retryInMs;
        if (change.online === false) view.offline = true;
        this.connection = view;
        if (!stack.tearingDown && change.state === ConnectionState.WaitingToReconnect) {
            stack.agent.send({ type: 'connectionFailed', reason: change.reason ?? 'connection lost' });
            this.ports.setError('connection-lost', change.reason);
        }
        this.ports.changed();
    }

    private onPhoneError(stack: LeaderStack, error: SipPhoneError): void {
        if (stack.tearingDown) return;
        switch (error.kind) {
            case 'microphone':
                if (typeof error.code === 'string')
                    this.microphone = { problem: error.code as MicrophoneView['problem'] };
                this.ports.setError('microphone', error.message, error.code, error.callId);
                break;
            case 'credentials': {
                // also a refresh before expiry: a refusal that retrying will not fix says what to do
                const failure = this.sessionFailure;
                this.ports.setError(
                    failure && !failure.retryable ? sipSessionErrorCode(failure) : 'credentials',
                    error.message
                );
                break;
            }
            case 'transport':
                this.ports.setError('connection-lost', error.message);
                break;
            case 'registration':
                break; // reported through registrationChanged
            default:
                this.ports.setError('call-command-failed', error.message, error.code, error.callId);
        }
    }
}
