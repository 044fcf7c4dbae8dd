/**
 * `SipPhone`: the SIP adapter of phone-core over sip.js 0.21 — the one object the host talks to.
 *
 * It owns the connection life cycle that sip.js leaves to the application (TOOLCHAIN.md "sip.js pitfalls",
 * FAULT-CASES.md cases 14, 19, 20):
 * - its own reconnect loop (sip.js `reconnectionAttempts` is deprecated and set to 0): exponential backoff with
 *   full jitter (injected random + Clock), 1 s .. 30 s, reset after a stable connection; the browser's `online`
 *   event triggers an immediate attempt;
 * - OPTIONS keepalive to find dead sockets (408/503/timeout -> disconnect and reconnect);
 * - re-REGISTER after every reconnect, replacing a Registerer whose REGISTER was in flight;
 * - ICE-restart re-INVITE for every established call after a reconnect or a network change;
 * - short-lived credentials from the host: refreshed before expiry and after a 401/403 final failure, at most
 *   once per backoff step; TURN servers go to the peer connection configuration;
 * - calls: {@link PhoneCalls} (`phone-calls.ts`) owns one {@link CallSession} (sip.js Session + CallMachine) per
 *   call leg; `callEnded` exactly once per call;
 * - attended transfer to this agent: an INVITE with Replaces (RFC 3891) matching one of its established calls is
 *   accepted at once and takes that call's place — no ringing, no busy check, the same call with a new remote
 *   party; one that matches nothing gets 481.
 *
 * ```text
 *  start() ─► credentials ─► UserAgent ─► connect ──ok──► Connected ─► REGISTER, keepalive, (ICE restart calls)
 *                                            │                  │
 *                                            └─fail─┐    drop / keepalive dead / offline
 *                                                   ▼           ▼
 *                                       WaitingToReconnect ◄────┘  (backoff; `online` = retry now)
 * ```
 */
import { UserAgent } from 'sip.js';
import type { CallSnapshot } from '../call/call-machine';
import { Emitter } from '../util/emitter';
import { systemClock, type Clock, type TimerHandle } from '../util/clock';
import { CredentialsManager, type ValidCredentials } from './credentials';
import { DEFAULT_KEEPALIVE_INTERVAL_MS, DEFAULT_KEEPALIVE_TIMEOUT_MS, OptionsKeepalive } from './keepalive';
import { browserMediaPort, checkMicrophone, type AudioDevices, type MediaPort } from './media';
import { defaultNetworkEvents, type NetworkEvents } from './network';
import { PhoneCalls } from './phone-calls';
import { createUserAgent, userAgentOptions, type SipPhoneOptions } from './phone-options';
import { ReconnectPolicy } from './reconnect-policy';
import { RegistrationController, RegistrationState, type RegistrationChange } from './registration';
import {
    ConnectionState,
    type CommandResult,
    type ConnectionChange,
    type SipPhoneError,
    type SipPhoneEvents
} from './types';

// Names of the phone's API that live beside it (phone-core's index exports this module).
export { PARENT_INTERACTION_HEADER, toSipUri } from './phone-calls';
export type { SipPhoneOptions, UserAgentFactory } from './phone-options';

type Phase = 'stopped' | 'starting' | 'running' | 'stopping';

const STOP_GRACE_MS = 3000;

/** The SIP adapter facade; see the module documentation. */
export class SipPhone {
    private readonly options: SipPhoneOptions;
    private readonly clock: Clock;
    private readonly media: MediaPort;
    private readonly network: NetworkEvents;
    private readonly emitter = new Emitter<SipPhoneEvents>();
    private readonly reconnectPolicy: ReconnectPolicy;
    private readonly registerPolicy: ReconnectPolicy;
    private readonly keepalive: OptionsKeepalive;
    private readonly registration: RegistrationController;
    private readonly credentials: CredentialsManager;
    private readonly calls: PhoneCalls;
    private readonly sdhFactoryOptions: {
        peerConnectionConfiguration: RTCConfiguration;
        iceGatheringTimeout: number;
    };
    private phase: Phase = 'stopped';
    private ua: UserAgent | undefined;
    private uaCredentials: ValidCredentials | undefined;
    private rebuildPending = false;
    private connection: ConnectionState = ConnectionState.Disconnected;
    private everConnected = false;
    private reconnectTimer: TimerHandle | undefined;
    private registerRetryTimer: TimerHandle | undefined;
    private iceRestartOnProbe = false;
    private lastDropReason: string | undefined;
    private readonly onlineListener = (): void => this.onOnline();
    private readonly offlineListener = (): void => this.onOffline();

    constructor(options: SipPhoneOptions) {
        this.options = options;
        this.clock = options.clock ?? systemClock;
        this.media = options.media ?? browserMediaPort();
        this.network = options.network ?? defaultNetworkEvents();
        const random = options.random ?? Math.random;
        this.reconnectPolicy = new ReconnectPolicy({ ...options.reconnect, random });
        this.registerPolicy = new ReconnectPolicy({ ...options.reconnect, random });
        this.keepalive = new OptionsKeepalive({
            clock: this.clock,
            intervalMs: options.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_INTERVAL_MS,
            timeoutMs: options.keepaliveTimeoutMs ?? DEFAULT_KEEPALIVE_TIMEOUT_MS,
            probe: () => this.probeOptions(),
            onDead: (result) =>
                this.onSocketDead(`keepalive ${result === 'timeout' ? 'timeout' : String(result)}`)
        });
        this.registration = new RegistrationController({
            userAgent: () => {
                if (!this.ua) {
                    throw new Error('no user agent');
                }
                return this.ua;
            },
            expiresSeconds: options.registerExpiresSeconds,
            onChange: (change) => this.onRegistrationChange(change)
        });
        this.credentials = new CredentialsManager({
            getCredentials: options.getCredentials,
            allowInsecureWebSocket: options.allowInsecureWebSocket === true,
            clock: this.clock,
            onExpiryRefresh: (credentials) => this.applyCredentials(credentials, false),
            onError: (error) =>
                this.reportError({ kind: 'credentials', message: error.message, cause: error })
        });
        this.sdhFactoryOptions = {
            peerConnectionConfiguration: { iceServers: [] },
            iceGatheringTimeout: options.iceGatheringTimeoutMs ?? 2000
        };
        this.calls = new PhoneCalls(options, {
            clock: this.clock,
            media: this.media,
            random,
            userAgent: () => this.ua,
            uaCredentials: () => this.uaCredentials,
            running: () => this.phase === 'running',
            signallingUp: () => this.connection === ConnectionState.Connected,
            emit: (eventName, payload) => this.emitter.emit(eventName, payload),
            reportError: (error) => this.reportError(error),
            callEnded: () => this.rebuildWhenIdle()
        });
    }

    // -----------------------------------------------------------------------------------------
    // Events and state
    // -----------------------------------------------------------------------------------------

    /** Subscribe to an event. @returns unsubscribe function */
    on<K extends keyof SipPhoneEvents>(
        eventName: K,
        listener: (payload: SipPhoneEvents[K]) => void
    ): () => void {
        return this.emitter.on(eventName, listener);
    }

    /** Subscribe to one occurrence of an event. @returns unsubscribe function */
    once<K extends keyof SipPhoneEvents>(
        eventName: K,
        listener: (payload: SipPhoneEvents[K]) => void
    ): () => void {
        return this.emitter.once(eventName, listener);
    }

    /** Unsubscribe. */
    off<K extends keyof SipPhoneEvents>(eventName: K, listener: (payload: SipPhoneEvents[K]) => void): void {
        this.emitter.off(eventName, listener);
    }

    /** Current registration state. */
    get registrationState(): RegistrationState {
        return this.registration.state;
    }

    /** Current connection state. */
    get connectionState(): ConnectionState {
        return this.connection;
    }

    /** True between a successful start() and stop(). */
    get isStarted(): boolean {
        return this.phase === 'running';
    }

    /** Snapshots of the calls that have not ended. */
    activeCalls(): CallSnapshot[] {
        return this.calls.activeCalls();
    }

    /** Snapshot of one call (undefined once it ended and was forgotten). */
    call(callId: string): CallSnapshot | undefined {
        return this.calls.call(callId);
    }

    /** The user agent in use (diagnostics, e2e tests). */
    get userAgent(): UserAgent | undefined {
        return this.ua;
    }

    // -----------------------------------------------------------------------------------------
    // Life cycle
    // -----------------------------------------------------------------------------------------

    /**
     * Check the microphone, fetch credentials, build the UserAgent and start connecting.
     * Resolves once the first connection attempt is under way (a failed attempt is retried with backoff).
     * @throws MicrophoneError (microphone denied/blocked, with `requireMicrophone`), CredentialsError, or the
     *         host's getCredentials() error
     */
    async start(): Promise<void> {
        if (this.phase === 'running' || this.phase === 'starting') {
            return;
        }
        this.phase = 'starting';
        try {
            const mic = await checkMicrophone(this.media);
            if (!mic.ok) {
                this.reportError({
                    kind: 'microphone',
                    message: mic.error.message,
                    code: mic.error.code,
                    cause: mic.error
                });
                if (this.options.requireMicrophone ?? true) {
                    throw mic.error;
                }
            }
            const credentials = await this.credentials.fetch().catch((error: unknown) => {
                const e = error instanceof Error ? error : new Error(String(error));
                this.reportError({ kind: 'credentials', message: e.message, cause: e });
                throw e;
            });
            this.reconnectPolicy.reset();
            this.registerPolicy.reset();
            this.everConnected = false;
            this.network.addEventListener('online', this.onlineListener);
            this.network.addEventListener('offline', this.offlineListener);
            this.phase = 'running';
            this.buildUserAgent(credentials);
            this.connectFirst();
        } catch (error) {
            this.phase = 'stopped';
            this.credentials.stop();
            throw error;
        }
    }

    /** Hang up every call (each gets its `callEnded`), unregister, disconnect. Never throws. */
    async stop(): Promise<void> {
        if (this.phase === 'stopped' || this.phase === 'stopping') {
            return;
        }
        this.phase = 'stopping';
        this.stopBackgroundWork();
        this.calls.forceEndAll('phone stopped');
        const ua = this.ua;
        if (ua?.isConnected()) {
            await this.withGrace(this.registration.unregister());
        } else {
            this.registration.detach();
        }
        this.ua = undefined;
        if (ua) {
            await this.withGrace(ua.stop().catch(() => undefined));
        }
        this.setConnection({ state: ConnectionState.Disconnected, reason: 'stopped' });
        this.phase = 'stopped';
    }

    /** Reconnect and register timers, keepalive, credential refresh and network listeners end. */
    private stopBackgroundWork(): void {
        this.clearTimer('reconnectTimer');
        this.clearTimer('registerRetryTimer');
        this.keepalive.stop();
        this.credentials.stop();
        this.network.removeEventListener('online', this.onlineListener);
        this.network.removeEventListener('offline', this.offlineListener);
    }

    /**
     * The page is going away mid-call (pagehide: a reload, a closed tab): let go of SIP without a BYE and
     * without un-REGISTER, so the contact centre keeps the customer's leg for this agent's next registration
     * (B7). No `callEnded` is emitted: the calls were not ended, only left. Never throws.
     */
    detach(): void {
        if (this.phase === 'stopped') return;
        this.phase = 'stopped';
        this.stopBackgroundWork();
        this.calls.forget();
        const ua = this.ua;
        this.ua = undefined;
        this.registration.detach();
        try {
            void ua?.transport.disconnect().catch(() => undefined);
        } catch {
            // the socket goes with the page anyway
        }
    }

    // -----------------------------------------------------------------------------------------
    // Calls
    // -----------------------------------------------------------------------------------------

    /**
     * Place an outbound call. `target` is a number or a SIP URI (numbers are sent as `sip:<number>@<domain>`;
     * normalise them to E.164 before calling).
     */
    dial(
        target: string,
        details: { displayName?: string; originRecordId?: string; extraHeaders?: string[] } = {}
    ): Promise<CommandResult> {
        return this.calls.dial(target, details);
    }

    /** Answer a ringing call. */
    answer(callId: string): Promise<CommandResult> {
        return this.calls.answer(callId);
    }

    /** Reject a ringing call (486 Busy Here). */
    reject(callId: string): Promise<CommandResult> {
        return this.calls.reject(callId);
    }

    /** Hang up: reject (ringing), CANCEL (dialling) or BYE (connected). */
    hangup(callId: string): Promise<CommandResult> {
        return this.calls.hangup(callId);
    }

    /** Hold (re-INVITE, direction verified). */
    hold(callId: string): Promise<CommandResult> {
        return this.calls.hold(callId);
    }

    /** Resume from hold. */
    resume(callId: string): Promise<CommandResult> {
        return this.calls.resume(callId);
    }

    /** Mute the agent's microphone on this call. */
    mute(callId: string): Promise<CommandResult> {
        return this.calls.mute(callId);
    }

    /** Unmute. */
    unmute(callId: string): Promise<CommandResult> {
        return this.calls.unmute(callId);
    }

    /** Send DTMF digits (0-9 * # A-D). */
    sendDtmf(callId: string, digits: string): Promise<CommandResult> {
        return this.calls.sendDtmf(callId, digits);
    }

    /** Blind transfer (REFER) to a number or SIP URI. */
    blindTransfer(callId: string, target: string): Promise<CommandResult> {
        return this.calls.blindTransfer(callId, target);
    }

    /**
     * Consultation (attended transfer, first step): hold `callId` if needed and dial `target` on a second leg.
     * @returns the consultation leg's snapshot
     */
    startConsultation(callId: string, target: string): Promise<CommandResult> {
        return this.calls.startConsultation(callId, target);
    }

    /** Attended transfer: REFER with Replaces of the primary to the consultation leg `consultId`. */
    completeTransfer(consultId: string): Promise<CommandResult> {
        return this.calls.completeTransfer(consultId);
    }

    /** Drop the consultation leg `consultId` and resume the held caller. */
    returnToCaller(consultId: string): Promise<CommandResult> {
        return this.calls.returnToCaller(consultId);
    }

    /** Three-way conference of a primary call and its consultation leg, mixed locally with Web Audio. */
    conference(callIdA: string, callIdB: string): Promise<CommandResult> {
        return this.calls.conference(callIdA, callIdB);
    }

    /**
     * Select audio devices (B6). Output moves every call's audio at once; input replaces the microphone track of
     * established calls; ring applies to the next ring.
     */
    setAudioDevices(devices: AudioDevices): Promise<void> {
        return this.calls.setAudioDevices(devices);
    }

    // -----------------------------------------------------------------------------------------
    // User agent and connection
    // -----------------------------------------------------------------------------------------

    private buildUserAgent(credentials: ValidCredentials): void {
        this.sdhFactoryOptions.peerConnectionConfiguration = {
            ...this.sdhFactoryOptions.peerConnectionConfiguration,
            iceServers: credentials.iceServers
        };
        const options = userAgentOptions(credentials, this.options, {
            ringTimeoutMs: this.calls.ringTimeoutMs(),
            media: this.media,
            inputDevice: () => this.calls.audioDevices.input,
            sdhFactoryOptions: this.sdhFactoryOptions
        });
        const ua = createUserAgent(options, this.options);
        ua.delegate = {
            onConnect: () => {
                if (ua === this.ua) {
                    this.onConnect();
                }
            },
            onDisconnect: (error) => {
                if (ua === this.ua) {
                    this.onDisconnect(error);
                }
            },
            onInvite: (invitation) => {
                if (ua === this.ua) {
                    this.calls.onInvite(invitation);
                } else {
                    invitation.reject({ statusCode: 480 }).catch(() => undefined);
                }
            }
        };
        this.ua = ua;
        this.uaCredentials = credentials;
        this.rebuildPending = false;
    }

    private connectFirst(): void {
        const ua = this.ua;
        if (!ua) {
            return;
        }
        this.setConnection({ state: ConnectionState.Connecting, reason: 'start' });
        ua.start().catch((error: unknown) => {
            if (ua === this.ua && this.phase === 'running' && !ua.isConnected()) {
                this.reportError({ kind: 'transport', message: `connection failed: ${errorText(error)}` });
                this.scheduleReconnect('connection failed');
            }
        });
    }

    private onConnect(): void {
        const reconnect = this.everConnected;
        this.everConnected = true;
        this.clearTimer('reconnectTimer');
        this.reconnectPolicy.connected(this.clock.now());
        this.setConnection({ state: ConnectionState.Connected, online: this.network.isOnline?.() });
        this.keepalive.start();
        // never act synchronously inside a transport state change (sip.js transition loop guard)
        void Promise.resolve().then(() => {
            if (this.phase !== 'running' || !this.ua?.isConnected()) {
                return;
            }
            this.clearTimer('registerRetryTimer');
            try {
                this.registration.register();
            } catch (error) {
                this.reportError({ kind: 'registration', message: errorText(error), cause: error });
            }
            if (reconnect) {
                this.restartIceOnCalls();
            }
        });
    }

    private onDisconnect(error?: Error): void {
        this.reconnectPolicy.disconnected(this.clock.now());
        this.keepalive.stop();
        this.clearTimer('registerRetryTimer');
        this.registration.transportLost();
        if (this.phase !== 'running') {
            this.setConnection({ state: ConnectionState.Disconnected, reason: 'stopped' });
            return;
        }
        const reason = error?.message ?? this.lastDropReason ?? 'disconnected';
        this.lastDropReason = undefined;
        this.scheduleReconnect(reason);
    }

    private scheduleReconnect(reason: string, immediate = false): void {
        if (this.phase !== 'running') {
            return;
        }
        this.clearTimer('reconnectTimer');
        const online = this.network.isOnline?.();
        let delay = immediate ? 0 : this.reconnectPolicy.nextDelayMs();
        if (!immediate && online === false) {
            // the browser says there is no network: retry slowly; the `online` event retries at once
            delay = Math.max(delay, this.reconnectPolicy.ceilingMs());
        }
        this.setConnection({
            state: ConnectionState.WaitingToReconnect,
            reason,
            attempt: this.reconnectPolicy.attempts,
            retryInMs: delay,
            online
        });
        this.reconnectTimer = this.clock.setTimeout(() => {
            this.reconnectTimer = undefined;
            this.attemptReconnect();
        }, delay);
    }

    private attemptReconnect(): void {
        const ua = this.ua;
        if (this.phase !== 'running' || !ua) {
            return;
        }
        if (ua.isConnected()) {
            return;
        }
        if (this.rebuildPending && !this.calls.hasActiveCalls() && this.credentials.current) {
            this.replaceUserAgent(this.credentials.current);
            return;
        }
        this.setConnection({ state: ConnectionState.Connecting, attempt: this.reconnectPolicy.attempts });
        ua.reconnect().catch(() => {
            if (ua === this.ua && this.phase === 'running' && !ua.isConnected()) {
                this.scheduleReconnect('reconnect failed');
            }
        });
    }

    private onSocketDead(reason: string): void {
        const ua = this.ua;
        if (!ua || this.phase !== 'running') {
            return;
        }
        this.iceRestartOnProbe = false;
        // disconnect() reports onDisconnect synchronously (our handler schedules the reconnect); a dead socket may
        // never finish its close handshake, so the reconnect does not wait for it (connect() from Disconnecting).
        if (ua.isConnected()) {
            this.lastDropReason = reason;
            ua.transport.disconnect().catch(() => undefined);
        } else {
            this.scheduleReconnect(reason);
        }
    }

    private onOnline(): void {
        if (this.phase !== 'running') {
            return;
        }
        if (this.ua?.isConnected()) {
            // the network changed under a socket that looks fine: prove it, then move media to the new path
            this.iceRestartOnProbe = true;
            this.keepalive.probeNow();
            return;
        }
        this.scheduleReconnect('browser online', true);
    }

    private onOffline(): void {
        if (this.phase !== 'running') {
            return;
        }
        this.setConnection({ state: this.connection, reason: 'browser offline', online: false });
        if (this.ua?.isConnected()) {
            this.keepalive.probeNow();
        }
    }

    private probeOptions(): Promise<number> {
        const ua = this.ua;
        const credentials = this.uaCredentials;
        if (!ua || !credentials || !ua.isConnected()) {
            return Promise.resolve(503);
        }
        const core = ua.userAgentCore;
        const registrar = credentials.aor.clone();
        registrar.user = undefined;
        const message = core.makeOutgoingRequestMessage('OPTIONS', registrar, credentials.aor, registrar, {});
        const probe = new Promise<number>((resolve) => {
            core.request(message, {
                onAccept: (response) => resolve(response.message.statusCode ?? 200),
                onReject: (response) => resolve(response.message.statusCode ?? 500),
                onRedirect: (response) => resolve(response.message.statusCode ?? 300)
            });
        });
        return probe.then((statusCode) => {
            if (statusCode !== 408 && statusCode !== 503 && this.iceRestartOnProbe) {
                this.iceRestartOnProbe = false;
                this.restartIceOnCalls();
            }
            return statusCode;
        });
    }

    private restartIceOnCalls(): void {
        this.calls.restartIce(this.uaCredentials?.iceServers);
    }

    private setConnection(change: ConnectionChange): void {
        this.connection = change.state;
        this.emitter.emit('connectionChanged', change);
    }

    // -----------------------------------------------------------------------------------------
    // Registration and credentials
    // -----------------------------------------------------------------------------------------

    private onRegistrationChange(change: RegistrationChange): void {
        this.emitter.emit('registrationChanged', change);
        if (change.state === RegistrationState.Registered) {
            this.registerPolicy.reset();
            return;
        }
        if (change.state === RegistrationState.Failed && this.phase === 'running') {
            this.reportError({
                kind: 'registration',
                message: `registration failed: ${change.reason ?? 'unknown'}`,
                code: change.statusCode
            });
            this.scheduleRegisterRetry(change.authFailure === true);
        }
    }

    /** One retry per backoff step; an auth failure fetches fresh credentials once in that step. */
    private scheduleRegisterRetry(refreshCredentials: boolean): void {
        this.clearTimer('registerRetryTimer');
        const delay = this.registerPolicy.nextDelayMs();
        this.registerRetryTimer = this.clock.setTimeout(() => {
            this.registerRetryTimer = undefined;
            if (this.phase !== 'running' || !this.ua?.isConnected()) {
                return;
            }
            if (!refreshCredentials) {
                this.registration.register();
                return;
            }
            this.credentials.fetch().then(
                (credentials) => this.applyCredentials(credentials, true),
                (error: unknown) => {
                    this.reportError({ kind: 'credentials', message: errorText(error), cause: error });
                    this.scheduleRegisterRetry(true);
                }
            );
        }, delay);
    }

    /**
     * New credentials: same server and address -> update the UserAgent in place (sip.js reads the password at
     * each challenge) and re-register when asked; otherwise build a new UserAgent (deferred while calls are up).
     */
    private applyCredentials(credentials: ValidCredentials, reRegister: boolean): void {
        const ua = this.ua;
        const previous = this.uaCredentials;
        if (this.phase !== 'running' || !ua || !previous) {
            return;
        }
        this.sdhFactoryOptions.peerConnectionConfiguration = {
            ...this.sdhFactoryOptions.peerConnectionConfiguration,
            iceServers: credentials.iceServers
        };
        ua.configuration.authorizationUsername = credentials.authorizationUsername;
        ua.configuration.authorizationPassword = credentials.authorizationPassword;
        const sameEndpoint = previous.wssUrl === credentials.wssUrl && previous.sipUri === credentials.sipUri;
        if (sameEndpoint) {
            this.uaCredentials = credentials;
            if (reRegister && ua.isConnected()) {
                this.registration.register();
            }
            return;
        }
        if (this.calls.hasActiveCalls()) {
            this.rebuildPending = true;
            if (reRegister && ua.isConnected()) {
                this.registration.register();
            }
            return;
        }
        this.replaceUserAgent(credentials);
    }

    private replaceUserAgent(credentials: ValidCredentials): void {
        const old = this.ua;
        this.keepalive.stop();
        this.registration.detach();
        this.ua = undefined;
        this.everConnected = false;
        if (old) {
            old.stop().catch(() => undefined);
        }
        this.buildUserAgent(credentials);
        this.connectFirst();
    }

    /**
     * A call ended: a user agent whose rebuild waited for the calls (new endpoint in the credentials) is
     * rebuilt once none is left.
     */
    private rebuildWhenIdle(): void {
        if (
            this.rebuildPending &&
            !this.calls.hasActiveCalls() &&
            this.phase === 'running' &&
            this.credentials.current
        ) {
            const credentials = this.credentials.current;
            void Promise.resolve().then(() => {
                if (this.rebuildPending && !this.calls.hasActiveCalls() && this.phase === 'running') {
                    this.replaceUserAgent(credentials);
                }
            });
        }
    }

    // -----------------------------------------------------------------------------------------
    // Helpers
    // -----------------------------------------------------------------------------------------

    private reportError(error: SipPhoneError): void {
        this.emitter.emit('error', error);
    }

    private clearTimer(name: 'reconnectTimer' | 'registerRetryTimer'): void {
        const handle = this[name];
        if (handle !== undefined) {
            this.clock.clearTimeout(handle);
            this[name] = undefined;
        }
    }

    /** Waits for `work` at most STOP_GRACE_MS: a dead registrar must not hold stop() for 32 s. */
    private withGrace(work: Promise<unknown>): Promise<void> {
        return new Promise<void>((resolve) => {
            const timer = this.clock.setTimeout(resolve, STOP_GRACE_MS);
            work.then(
                () => {
                    this.clock.clearTimeout(timer);
                    resolve();
                },
                () => {
                    this.clock.clearTimeout(timer);
                    resolve();
                }
            );
        });
    }
}

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
