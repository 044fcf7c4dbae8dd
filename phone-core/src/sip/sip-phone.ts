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
 * - calls: one {@link CallSession} (sip.js Session + CallMachine) per call leg; `callEnded` exactly once per call;
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
import { QUEUED_CALLBACK_HEADERS } from '../callbacks/queued-callback';
import { Inviter, SIPExtension, UserAgent } from 'sip.js';
// From its own module, not through the `Web` namespace: `Web.x` keeps all of sip.js's platform/web in the
// bundle (SimpleUser, SessionManager: 25 kB minified, 7 kB gzipped) since esbuild cannot tree-shake a namespace.
import { defaultSessionDescriptionHandlerFactory } from 'sip.js/lib/platform/web/session-description-handler/session-description-handler-factory-default.js';
import type { Invitation, LogConnector, LogLevel, Session, URI, UserAgentOptions } from 'sip.js';
import {
    CallMachine,
    CallState,
    decideIncomingWhileBusy,
    type CallSnapshot,
    type RemoteParty
} from '../call/call-machine';
import {
    CALL_DATA_HEADERS,
    createCallData,
    parseCallData,
    parseDisplayName,
    type CallData,
    type CallDataField,
    type SipHeaderMap
} from '../call/call-data';
import { Emitter } from '../util/emitter';
import { systemClock, type Clock, type TimerHandle } from '../util/clock';
import { CallSession, audioSenderOf, remoteStreamOf, type CallSessionContext } from './call-session';
import { ConferenceMixer } from './conference-mixer';
import { MEDIA_LOSS_GRACE_MS, MEDIA_WATCH_INTERVAL_MS } from './media-watch';
import { CredentialsManager, type GetCredentials, type ValidCredentials } from './credentials';
import { DEFAULT_KEEPALIVE_INTERVAL_MS, DEFAULT_KEEPALIVE_TIMEOUT_MS, OptionsKeepalive } from './keepalive';
import {
    browserMediaPort,
    checkMicrophone,
    createMediaStreamFactory,
    MicrophoneError,
    openMicrophone,
    type AudioDevices,
    type MediaPort
} from './media';
import { defaultNetworkEvents, type NetworkEvents } from './network';
import { ReconnectPolicy, type ReconnectPolicyOptions } from './reconnect-policy';
import { RegistrationController, RegistrationState, type RegistrationChange } from './registration';
import {
    ConnectionState,
    type CommandResult,
    type ConnectionChange,
    type DtmfMode,
    type SipPhoneError,
    type SipPhoneEvents
} from './types';

/** Test seam: builds the sip.js UserAgent from the options the phone prepared (tests swap the transport). */
export type UserAgentFactory = (options: UserAgentOptions) => UserAgent;

/** Options of {@link SipPhone}. */
export interface SipPhoneOptions {
    /** Host-provided short-lived credentials (wss URL, SIP URI, auth, ICE servers, expiry). */
    getCredentials: GetCredentials;
    /** `ws://` on loopback: the workbench and e2e pages only ({@link CredentialsPolicy}). Default false. */
    allowInsecureWebSocket?: boolean;
    clock?: Clock;
    /** Random number in [0, 1) for backoff jitter (default Math.random). */
    random?: () => number;
    /** `online` / `offline` events (default: window when present). */
    network?: NetworkEvents;
    /** Microphone, speakers, tones (default: the browser's). */
    media?: MediaPort;
    /** Test seam: lets tests build the UA on a fake transport and a fake SDH factory. */
    userAgentFactory?: UserAgentFactory;
    /** Offer a second inbound call while one is active (else 486 Busy Here). Default false. */
    callWaiting?: boolean;
    /** Inbound ring timeout before the call is missed (default 30000 ms). */
    ringTimeoutMs?: number;
    /** Outbound: give up (CANCEL) after this long without answer (default 90000 ms). */
    dialTimeoutMs?: number;
    /** OPTIONS keepalive period (default 25000 ms). */
    keepaliveIntervalMs?: number;
    /** OPTIONS keepalive answer timeout (default 10000 ms). */
    keepaliveTimeoutMs?: number;
    /** Backoff bounds (default 1 s .. 30 s, stable after 60 s). */
    reconnect?: Omit<ReconnectPolicyOptions, 'random'>;
    /** REGISTER expiry asked of the registrar (default 600 s). */
    registerExpiresSeconds?: number;
    /** DTMF transport (default 'auto': RTP events, SIP INFO fallback). */
    dtmfMode?: DtmfMode;
    /** Contact centre header names, when they differ from X-CC-*. */
    callDataHeaders?: Partial<Record<CallDataField, string>>;
    /** Quality sampling period (default 5000 ms). */
    qualityIntervalMs?: number;
    /** Media loss detection: poll interval (default 2000 ms) and grace period (default 10000 ms). */
    mediaWatch?: { intervalMs?: number; graceMs?: number };
    /** Play ringtone and local ringback (default true). */
    playTones?: boolean;
    /** Refuse to start when the microphone is denied or blocked (default true). */
    requireMicrophone?: boolean;
    /** Wait this long for the NOTIFY of an attended transfer after 202 (default 10000 ms). */
    transferNotifyTimeoutMs?: number;
    /** ICE gathering timeout for offers/answers (default 2000 ms). */
    iceGatheringTimeoutMs?: number;
    /** sip.js log level (default 'warn') and an optional connector (the console is used otherwise). */
    logLevel?: LogLevel;
    logConnector?: LogConnector;
    userAgentString?: string;
}

type Phase = 'stopped' | 'starting' | 'running' | 'stopping';

const LOG_LEVEL_RANK: Record<string, number> = { error: 0, warn: 1, log: 2, debug: 3 };

/**
 * sip.js hands every line to the connector, debug ones included, whatever `logLevel` says (it filters
 * only its own console output); on call setup that is a dozen formatted SIP messages nobody asked for.
 */
function connectorAtLevel(connector: LogConnector | undefined, level: LogLevel): LogConnector | undefined {
    if (!connector) {
        return undefined;
    }
    const limit = LOG_LEVEL_RANK[level] ?? LOG_LEVEL_RANK.warn!;
    return (lineLevel, category, label, content) => {
        if ((LOG_LEVEL_RANK[lineLevel] ?? 0) <= limit) {
            connector(lineLevel, category, label, content);
        }
    };
}

const STOP_GRACE_MS = 3000;

/** Header of a consultation INVITE naming the interaction the consultation belongs to. */
export const PARENT_INTERACTION_HEADER = 'X-CC-Parent-Interaction-Id';
/** An id that may go into a header as is: visible ASCII without quotes or angle brackets, like call data ids. */
const CONSULTATION_HEADER_VALUE = /^[!#-&(-;=?-_a-~]{1,255}$/;

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
    private readonly calls = new Map<string, CallSession>();
    private readonly callContext: CallSessionContext;
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
    private devices: AudioDevices = {};
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
        this.callContext = {
            clock: this.clock,
            media: this.media,
            devices: () => this.devices,
            dtmfMode: options.dtmfMode ?? 'auto',
            playTones: options.playTones ?? true,
            qualityIntervalMs: options.qualityIntervalMs ?? 5000,
            mediaWatch: {
                intervalMs: options.mediaWatch?.intervalMs ?? MEDIA_WATCH_INTERVAL_MS,
                graceMs: options.mediaWatch?.graceMs ?? MEDIA_LOSS_GRACE_MS
            },
            signallingUp: () => this.connection === ConnectionState.Connected,
            random,
            transferNotifyTimeoutMs: options.transferNotifyTimeoutMs ?? 10000,
            readCallData: (message) => this.readCallData(message),
            onUpdated: (snapshot) => this.emitter.emit('callUpdated', snapshot),
            onEnded: (snapshot) => this.onCallEnded(snapshot),
            onQuality: (callId, score) => this.emitter.emit('quality', { callId, score }),
            onError: (error) => this.reportError(error)
        };
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
        return Array.from(this.calls.values())
            .filter((c) => c.isActive)
            .map((c) => c.snapshot());
    }

    /** Snapshot of one call (undefined once it ended and was forgotten). */
    call(callId: string): CallSnapshot | undefined {
        return this.calls.get(callId)?.snapshot();
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
        for (const call of Array.from(this.calls.values())) {
            call.forceEnd('phone stopped');
        }
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
        this.calls.clear();
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
    async dial(
        target: string,
        details: { displayName?: string; originRecordId?: string; extraHeaders?: string[] } = {}
    ): Promise<CommandResult> {
        const ua = this.ua;
        if (this.phase !== 'running' || !ua || !this.uaCredentials) {
            return { ok: false, message: 'the phone is not started' };
        }
        if (Array.from(this.calls.values()).some((c) => c.isActive)) {
            return { ok: false, message: 'another call is active: use a consultation call' };
        }
        const uri = toSipUri(target, this.uaCredentials.aor.host);
        if (!uri) {
            return { ok: false, message: `not a dialable target: ${target}` };
        }
        const call = this.newCall({});
        const remote: RemoteParty = { number: target.trim() };
        if (details.displayName) {
            remote.displayName = parseDisplayName(details.displayName);
        }
        const r = call.machine.send({
            type: 'dial',
            remote,
            callData: createCallData(),
            originRecordId: details.originRecordId
        });
        if (!r.ok) {
            return { ok: false, message: r.message };
        }
        this.calls.set(call.id, call);
        await call.sendInvite(this.makeInviter(ua, uri, details.extraHeaders), this.dialTimeoutMs());
        return { ok: true, snapshot: call.snapshot() };
    }

    /** Answer a ringing call. */
    answer(callId: string): Promise<CommandResult> {
        return this.withCall(callId, (call) => call.answer());
    }

    /** Reject a ringing call (486 Busy Here). */
    reject(callId: string): Promise<CommandResult> {
        return this.withCall(callId, async (call) => call.reject());
    }

    /** Hang up: reject (ringing), CANCEL (dialling) or BYE (connected). */
    hangup(callId: string): Promise<CommandResult> {
        return this.withCall(callId, async (call) => call.hangup());
    }

    /** Hold (re-INVITE, direction verified). */
    hold(callId: string): Promise<CommandResult> {
        return this.withCall(callId, (call) => call.hold());
    }

    /** Resume from hold. */
    resume(callId: string): Promise<CommandResult> {
        return this.withCall(callId, (call) => call.resume());
    }

    /** Mute the agent's microphone on this call. */
    mute(callId: string): Promise<CommandResult> {
        return this.withCall(callId, async (call) => call.mute(true));
    }

    /** Unmute. */
    unmute(callId: string): Promise<CommandResult> {
        return this.withCall(callId, async (call) => call.mute(false));
    }

    /** Send DTMF digits (0-9 * # A-D). */
    sendDtmf(callId: string, digits: string): Promise<CommandResult> {
        return this.withCall(callId, (call) => call.sendDtmf(digits));
    }

    /** Blind transfer (REFER) to a number or SIP URI. */
    blindTransfer(callId: string, target: string): Promise<CommandResult> {
        return this.withCall(callId, async (call) => {
            const uri = this.uaCredentials && toSipUri(target, this.uaCredentials.aor.host);
            if (!uri) {
                return { ok: false, message: `not a transfer target: ${target}` };
            }
            return call.blindTransfer(uri, target.trim());
        });
    }

    /**
     * Consultation (attended transfer, first step): hold `callId` if needed and dial `target` on a second leg.
     * @returns the consultation leg's snapshot
     */
    startConsultation(callId: string, target: string): Promise<CommandResult> {
        return this.withCall(callId, async (primary) => {
            const ua = this.ua;
            const uri = this.uaCredentials && toSipUri(target, this.uaCredentials.aor.host);
            if (!ua || !uri) {
                return { ok: false, message: `not a dialable target: ${target}` };
            }
            if (primary.machine.role !== 'primary' || primary.snapshot().consultActive) {
                return { ok: false, message: 'a consultation needs a primary call without one' };
            }
            if (primary.machine.state === CallState.Connected) {
                const held = await primary.hold();
                if (!held.ok || stateOf(primary) !== CallState.OnHold) {
                    return {
                        ok: false,
                        message: held.ok ? 'the call could not be put on hold' : held.message
                    };
                }
            }
            const consult = this.newCall({ role: 'consultation', linkedCallId: primary.id });
            const link = primary.machine.send({ type: 'consultStart', consultCallId: consult.id });
            if (!link.ok) {
                return { ok: false, message: link.message };
            }
            const callData = createCallData();
            consult.machine.send({ type: 'dial', remote: { number: target.trim() }, callData });
            this.calls.set(consult.id, consult);
            // the contact centre learns which interaction the consultation belongs to (one VoiceCall per leg)
            const headers = this.consultationHeaders(
                primary.snapshot().interactionId,
                callData.interactionId
            );
            await consult.sendInvite(this.makeInviter(ua, uri, headers), this.dialTimeoutMs());
            return { ok: true, snapshot: consult.snapshot() };
        });
    }

    /** Attended transfer: REFER with Replaces of the primary to the consultation leg `consultId`. */
    completeTransfer(consultId: string): Promise<CommandResult> {
        return this.withCall(consultId, async (consult) => {
            const primary = this.primaryOf(consult);
            if (!primary) {
                return { ok: false, message: 'not a consultation call' };
            }
            return primary.completeTransfer(consult);
        });
    }

    /** Drop the consultation leg `consultId` and resume the held caller. */
    returnToCaller(consultId: string): Promise<CommandResult> {
        return this.withCall(consultId, async (consult) => {
            const primary = this.primaryOf(consult);
            if (!primary) {
                return { ok: false, message: 'not a consultation call' };
            }
            const r = primary.machine.send({ type: 'returnToCaller' });
            if (!r.ok) {
                return { ok: false, message: r.message };
            }
            consult.hangup();
            return primary.completePendingResume();
        });
    }

    /** Three-way conference of a primary call and its consultation leg, mixed locally with Web Audio. */
    conference(callIdA: string, callIdB: string): Promise<CommandResult> {
        return this.withCall(callIdA, async (a) => {
            const b = this.calls.get(callIdB);
            if (!b || !b.isActive || a === b) {
                return { ok: false, message: 'both calls must be active' };
            }
            const primary = a.machine.role === 'primary' ? a : b;
            const consult = primary === a ? b : a;
            if (consult.machine.role !== 'consultation' || this.primaryOf(consult) !== primary) {
                return { ok: false, message: 'a conference joins a call and its consultation leg' };
            }
            if (!this.media.createAudioContext) {
                return { ok: false, message: 'Web Audio is not available for conference mixing' };
            }
            if (primary.machine.state === CallState.OnHold) {
                const resumed = await primary.resume();
                if (!resumed.ok || stateOf(primary) !== CallState.Connected) {
                    return {
                        ok: false,
                        message: resumed.ok ? 'the call could not be resumed' : resumed.message
                    };
                }
            }
            const legA = {
                remoteStream: remoteStreamOf(primary.session),
                sender: audioSenderOf(primary.session)
            };
            const legB = {
                remoteStream: remoteStreamOf(consult.session),
                sender: audioSenderOf(consult.session)
            };
            if (!legA.remoteStream || !legA.sender || !legB.remoteStream || !legB.sender) {
                return { ok: false, message: 'the calls have no audio to mix' };
            }
            if (!primary.send({ type: 'conferenceStart', withCallId: consult.id })) {
                return { ok: false, message: 'the call cannot join a conference now' };
            }
            if (!consult.send({ type: 'conferenceStart', withCallId: primary.id })) {
                primary.send({ type: 'conferenceEnd' });
                return { ok: false, message: 'the consultation call cannot join a conference now' };
            }
            const createStream = this.media.createStream?.bind(this.media);
            const mixer = new ConferenceMixer(
                this.media.createAudioContext(),
                { remoteStream: legA.remoteStream, sender: legA.sender },
                { remoteStream: legB.remoteStream, sender: legB.sender },
                createStream ? (track) => createStream([track]) : undefined
            );
            try {
                await mixer.start(primary.snapshot().muted || consult.snapshot().muted);
            } catch (error) {
                primary.send({ type: 'conferenceEnd' });
                consult.send({ type: 'conferenceEnd' });
                this.reportError({
                    kind: 'media',
                    message: `conference mixing failed: ${errorText(error)}`,
                    callId: primary.id
                });
                return { ok: false, message: 'conference mixing failed' };
            }
            primary.mixer = mixer;
            consult.mixer = mixer;
            return { ok: true, snapshot: primary.snapshot() };
        });
    }

    /**
     * Select audio devices (B6). Output moves every call's audio at once; input replaces the microphone track of
     * established calls; ring applies to the next ring.
     */
    async setAudioDevices(devices: AudioDevices): Promise<void> {
        const previous = this.devices;
        this.devices = { ...previous, ...devices };
        const active = Array.from(this.calls.values()).filter((c) => c.isActive);
        if (devices.output !== undefined && devices.output !== previous.output) {
            await Promise.all(
                active.map((c) =>
                    c.setOutputDevice(devices.output).catch((error: unknown) =>
                        this.reportError({
                            kind: 'media',
                            message: `speaker selection failed: ${errorText(error)}`,
                            callId: c.id
                        })
                    )
                )
            );
        }
        if (devices.input !== undefined && devices.input !== previous.input) {
            for (const call of active.filter((c) => c.isEstablished)) {
                try {
                    const stream = await openMicrophone(this.media, devices.input);
                    const [track] = stream.getAudioTracks();
                    if (track) {
                        await call.replaceMicrophone(track);
                    }
                } catch (error) {
                    const e = error instanceof MicrophoneError ? error : undefined;
                    this.reportError({
                        kind: 'microphone',
                        message: errorText(error),
                        code: e?.code,
                        callId: call.id,
                        cause: error
                    });
                }
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // User agent and connection
    // -----------------------------------------------------------------------------------------

    private buildUserAgent(credentials: ValidCredentials): void {
        this.sdhFactoryOptions.peerConnectionConfiguration = {
            ...this.sdhFactoryOptions.peerConnectionConfiguration,
            iceServers: credentials.iceServers
        };
        const ringSeconds = Math.ceil(this.ringTimeoutMs() / 1000);
        const options: UserAgentOptions = {
            uri: credentials.aor,
            authorizationUsername: credentials.authorizationUsername,
            authorizationPassword: credentials.authorizationPassword,
            displayName: credentials.displayName,
            transportOptions: { server: credentials.wssUrl, connectionTimeout: 10, traceSip: false },
            // `reconnectionAttempts` stays at its default 0 (asserted by a test): the phone owns reconnects, sip.js's
            // loop is deprecated and blind to registrations. Not passed: sip.js logs a deprecation warning for any value.

            // our ring timer decides when a call is missed; sip.js's 480 after noAnswerTimeout must come later
            noAnswerTimeout: ringSeconds + 60,
            // sip.js matches an INVITE's Replaces against its dialogs (481 when none matches) and hands us the
            // matched session as `invitation.replacee`; it then also lists `replaces` in Supported
            sipExtensionReplaces: SIPExtension.Supported,
            // 180 Ringing is sent when a call really rings (CallSession.bindInvitation), not for an INVITE
            // with Replaces, nor right before a 486
            sendInitialProvisionalResponse: false,
            sessionDescriptionHandlerFactory: defaultSessionDescriptionHandlerFactory(
                createMediaStreamFactory(this.media, () => this.devices.input)
            ),
            sessionDescriptionHandlerFactoryOptions: this.sdhFactoryOptions,
            logBuiltinEnabled: !this.options.logConnector,
            logConnector: connectorAtLevel(this.options.logConnector, this.options.logLevel ?? 'warn'),
            logLevel: this.options.logLevel ?? 'warn',
            logConfiguration: false,
            userAgentString: this.options.userAgentString ?? 'ccphone (sip.js 0.21)',
            delegate: {}
        };
        const ua = this.options.userAgentFactory
            ? this.options.userAgentFactory(options)
            : new UserAgent(options);
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
                    this.onInvite(invitation);
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
        if (this.rebuildPending && !this.hasActiveCalls() && this.credentials.current) {
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
        const iceServers = this.uaCredentials?.iceServers;
        for (const call of this.calls.values()) {
            if (call.isActive && call.isEstablished) {
                void call.iceRestart(iceServers);
            }
        }
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
        if (this.hasActiveCalls()) {
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

    // -----------------------------------------------------------------------------------------
    // Inbound
    // -----------------------------------------------------------------------------------------

    private onInvite(invitation: Invitation): void {
        if (this.phase !== 'running') {
            invitation.reject({ statusCode: 480 }).catch(() => undefined);
            return;
        }
        if (invitation.request.hasHeader('replaces')) {
            this.onReplacingInvite(invitation);
            return;
        }
        let callData: CallData;
        try {
            callData = this.readCallData(invitation.request);
        } catch {
            callData = createCallData();
        }
        const remote = remotePartyOf(invitation);
        const decision = decideIncomingWhileBusy({
            activeCalls: Array.from(this.calls.values()).filter((c) => c.isActive).length,
            callWaiting: this.options.callWaiting ?? false
        });
        if (decision === 'reject-486') {
            invitation.reject({ statusCode: 486 }).catch(() => undefined);
            this.emitter.emit('busyRejected', { remote, callData });
            return;
        }
        const call = this.newCall({});
        const r = call.machine.send({ type: 'offered', remote, callData });
        if (!r.ok) {
            invitation.reject({ statusCode: 480 }).catch(() => undefined);
            return;
        }
        this.calls.set(call.id, call);
        call.bindInvitation(invitation, this.ringTimeoutMs());
        this.emitter.emit('incomingCall', call.snapshot());
        call.startRingtone();
    }

    /**
     * INVITE with Replaces (RFC 3891): typically the transferee following an attended transfer whose consultation
     * call reached this agent. sip.js already answered 481 when no dialog matched (Call-ID, to-tag = our local tag,
     * from-tag = the remote tag) and 486 for `early-only` on a confirmed dialog; a header it could not parse was
     * dropped (400 here). The matched session must be one of our established calls: an early dialog gets 481
     * (RFC 3891: not one this UA may replace; early dialogs this phone created are not taken over either), a call
     * that already ended 603, one that cannot hand over now (conference, transfer, hold change or another Replaces
     * under way) 603.
     */
    private onReplacingInvite(invitation: Invitation): void {
        const replacee = invitation.replacee;
        if (!replacee) {
            invitation
                .reject({ statusCode: 400, reasonPhrase: 'Bad Replaces Header' })
                .catch(() => undefined);
            return;
        }
        const call = this.callOfSession(replacee);
        const statusCode = replaceRefusal(call);
        if (!call || statusCode !== undefined) {
            invitation.reject({ statusCode: statusCode ?? 481 }).catch(() => undefined);
            return;
        }
        void call.takeOver(invitation, remotePartyOf(invitation)).then((ok) => {
            if (!ok) {
                this.reportError({
                    kind: 'call',
                    message: 'the transferred call could not be taken over',
                    callId: call.id
                });
            }
        });
    }

    private callOfSession(session: Session): CallSession | undefined {
        return Array.from(this.calls.values()).find((call) => call.session === session);
    }

    private readCallData(message: { getHeaders(name: string): string[] }): CallData {
        const names: Record<CallDataField, string> = {
            ...CALL_DATA_HEADERS,
            ...this.options.callDataHeaders
        };
        const headers: SipHeaderMap = {};
        for (const name of [...Object.values(names), ...Object.values(QUEUED_CALLBACK_HEADERS)]) {
            const values = message.getHeaders(name);
            if (values.length > 0) {
                headers[name] = values;
            }
        }
        return parseCallData(headers, { headerNames: this.options.callDataHeaders });
    }

    // -----------------------------------------------------------------------------------------
    // Helpers
    // -----------------------------------------------------------------------------------------

    private newCall(options: { role?: 'primary' | 'consultation'; linkedCallId?: string }): CallSession {
        const machine = new CallMachine({
            clock: this.clock,
            role: options.role,
            linkedCallId: options.linkedCallId,
            onListenerError: (error) =>
                this.reportError({ kind: 'call', message: `listener failed: ${errorText(error)}` })
        });
        return new CallSession(machine, this.callContext);
    }

    private makeInviter(ua: UserAgent, uri: URI, extraHeaders: string[] = []): Inviter {
        return new Inviter(ua, uri, {
            ...(extraHeaders?.length ? { extraHeaders } : {}),
            earlyMedia: true,
            extraHeaders,
            sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } }
        });
    }

    /**
     * A consultation INVITE's own leg id (in the interaction id header) and its interaction
     * (`X-CC-Parent-Interaction-Id`); ids that are not header-safe are left out.
     */
    private consultationHeaders(parentId: string | undefined, legId: string | undefined): string[] {
        const safe = (value: string | undefined): value is string =>
            value !== undefined && CONSULTATION_HEADER_VALUE.test(value);
        if (!safe(parentId) || !safe(legId)) return [];
        const interactionHeader =
            this.options.callDataHeaders?.interactionId ?? CALL_DATA_HEADERS.interactionId;
        return [`${interactionHeader}: ${legId}`, `${PARENT_INTERACTION_HEADER}: ${parentId}`];
    }

    private onCallEnded(snapshot: CallSnapshot): void {
        const call = this.calls.get(snapshot.id);
        this.calls.delete(snapshot.id);
        if (call?.mixer) {
            const mixer = call.mixer;
            call.mixer = undefined;
            const remaining = Array.from(this.calls.values()).filter((other) => other.mixer === mixer);
            for (const other of remaining) {
                other.mixer = undefined;
                other.send({ type: 'conferenceEnd' });
            }
            // the original microphone tracks come back enabled: mute/hold go back onto them
            void mixer.stop().then(() => remaining.forEach((other) => other.refreshLocalMedia()));
        }
        if (snapshot.role === 'consultation' && snapshot.linkedCallId) {
            const primary = this.calls.get(snapshot.linkedCallId);
            if (primary?.snapshot().consultActive) {
                primary.send({ type: 'consultEnded' });
            }
        }
        this.emitter.emit('callEnded', snapshot);
        if (
            this.rebuildPending &&
            !this.hasActiveCalls() &&
            this.phase === 'running' &&
            this.credentials.current
        ) {
            const credentials = this.credentials.current;
            void Promise.resolve().then(() => {
                if (this.rebuildPending && !this.hasActiveCalls() && this.phase === 'running') {
                    this.replaceUserAgent(credentials);
                }
            });
        }
    }

    private primaryOf(consult: CallSession): CallSession | undefined {
        if (consult.machine.role !== 'consultation') {
            return undefined;
        }
        const primaryId = consult.snapshot().linkedCallId;
        return primaryId ? this.calls.get(primaryId) : undefined;
    }

    private async withCall(
        callId: string,
        op: (call: CallSession) => Promise<CommandResult>
    ): Promise<CommandResult> {
        const call = this.calls.get(callId);
        if (!call || !call.isActive) {
            return { ok: false, message: `no active call ${callId}` };
        }
        try {
            return await op(call);
        } catch (error) {
            this.reportError({ kind: 'call', message: errorText(error), callId, cause: error });
            return { ok: false, message: errorText(error), snapshot: call.snapshot() };
        }
    }

    private hasActiveCalls(): boolean {
        return Array.from(this.calls.values()).some((c) => c.isActive);
    }

    private reportError(error: SipPhoneError): void {
        this.emitter.emit('error', error);
    }

    private ringTimeoutMs(): number {
        return this.options.ringTimeoutMs ?? 30000;
    }

    private dialTimeoutMs(): number {
        return this.options.dialTimeoutMs ?? 90000;
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

/** Why `call` cannot be replaced by an INVITE with Replaces (a SIP status code), undefined when it can. */
function replaceRefusal(call: CallSession | undefined): number | undefined {
    if (!call) {
        return 481;
    }
    if (!call.isActive) {
        return 603;
    }
    if (!call.isEstablished) {
        return 481;
    }
    const snapshot = call.snapshot();
    const steady = snapshot.state === CallState.Connected || snapshot.state === CallState.OnHold;
    if (!steady || snapshot.holdPending !== undefined || call.mixer !== undefined || call.isTakingOver) {
        return 603;
    }
    return undefined;
}

/** The caller as shown: P-Asserted-Identity when present, else From; display name cleaned as plain text. */
function remotePartyOf(invitation: Invitation): RemoteParty {
    const identity = invitation.assertedIdentity ?? invitation.remoteIdentity;
    const number = identity.uri.user ?? '';
    const displayName = parseDisplayName(identity.displayName);
    return displayName ? { number, displayName } : { number };
}

/**
 * A dial/transfer target as a SIP URI: `sip:`/`sips:` URIs as given, `tel:` and bare numbers as
 * `sip:<number>@<domain>` (visual separators of numbers removed), other user names (extensions, queues) as
 * `sip:<name>@<domain>`. Undefined when it cannot be a target.
 */
export function toSipUri(target: string, domain: string): URI | undefined {
    const text = (target ?? '').trim();
    if (!text) {
        return undefined;
    }
    if (/^sips?:/i.test(text)) {
        return UserAgent.makeURI(text);
    }
    const bare = text.replace(/^tel:/i, '');
    // a phone number written with visual separators loses them; any other user part is kept as typed
    const user = /^\+?[\d\s().*#-]+$/.test(bare) ? bare.replace(/[\s().-]/g, '') : bare;
    if (!/^\+?[0-9A-Za-z*#_.!~-]+$/.test(user) || user.length > 64) {
        return undefined;
    }
    return UserAgent.makeURI(`sip:${user.replace(/#/g, '%23')}@${domain}`);
}

/** State read through a function so TypeScript does not keep a narrowing across an await. */
function stateOf(call: CallSession): CallState {
    return call.machine.state;
}

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
