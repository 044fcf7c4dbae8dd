/**
 * The options of a {@link SipPhone} and the sip.js `UserAgentOptions` the phone builds from them and its
 * credentials: the configuration of the user agent, owned by no one at run time (the phone rebuilds the user agent
 * when its endpoint changes). `sip-phone.ts` re-exports the public names.
 */
import { SIPExtension, UserAgent } from 'sip.js';
// From its own module, not through the `Web` namespace: `Web.x` keeps all of sip.js's platform/web in the
// bundle (SimpleUser, SessionManager: 25 kB minified, 7 kB gzipped) since esbuild cannot tree-shake a namespace.
import { defaultSessionDescriptionHandlerFactory } from 'sip.js/lib/platform/web/session-description-handler/session-description-handler-factory-default.js';
import type { LogConnector, LogLevel, UserAgentOptions } from 'sip.js';
import type { CallDataField } from '../call/call-data';
import type { Clock } from '../util/clock';
import type { GetCredentials, ValidCredentials } from './credentials';
import { createMediaStreamFactory, type MediaPort } from './media';
import type { NetworkEvents } from './network';
import type { ReconnectPolicyOptions } from './reconnect-policy';
import type { DtmfMode } from './types';

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
    /** Wait this long for a transfer's first NOTIFY after 202 (default 10000 ms); then the 202 counts as success. */
    transferNotifyTimeoutMs?: number;
    /** ICE gathering timeout for offers/answers (default 2000 ms). */
    iceGatheringTimeoutMs?: number;
    /** sip.js log level (default 'warn') and an optional connector (the console is used otherwise). */
    logLevel?: LogLevel;
    logConnector?: LogConnector;
    userAgentString?: string;
}

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

/** What the user agent is built with besides the phone's options and credentials. */
export interface UserAgentParts {
    /** Inbound ring timeout of the phone's calls (sip.js's own no-answer timeout must come later). */
    ringTimeoutMs: number;
    media: MediaPort;
    /** The microphone chosen for the next call (B6). */
    inputDevice: () => string | undefined;
    /** Peer connection configuration (ICE servers) and ICE gathering timeout, shared with the phone. */
    sdhFactoryOptions: { peerConnectionConfiguration: RTCConfiguration; iceGatheringTimeout: number };
}

/** The sip.js `UserAgentOptions` of one set of credentials (the delegate is set by the phone). */
export function userAgentOptions(
    credentials: ValidCredentials,
    phoneOptions: SipPhoneOptions,
    parts: UserAgentParts
): UserAgentOptions {
    const ringSeconds = Math.ceil(parts.ringTimeoutMs / 1000);
    return {
        uri: credentials.aor,
        authorizationUsername: credentials.authorizationUsername,
        authorizationPassword: credentials.authorizationPassword,
        displayName: credentials.displayName,
        // the SIP messages go to a log connector (the Phone Doctor's recent log), never to the console
        transportOptions: {
            server: credentials.wssUrl,
            connectionTimeout: 10,
            traceSip: phoneOptions.logConnector !== undefined
        },
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
            createMediaStreamFactory(parts.media, parts.inputDevice)
        ),
        sessionDescriptionHandlerFactoryOptions: parts.sdhFactoryOptions,
        logBuiltinEnabled: !phoneOptions.logConnector,
        logConnector: connectorAtLevel(phoneOptions.logConnector, phoneOptions.logLevel ?? 'warn'),
        logLevel: phoneOptions.logLevel ?? 'warn',
        logConfiguration: false,
        userAgentString: phoneOptions.userAgentString ?? 'ccphone (sip.js 0.21)',
        delegate: {}
    };
}

/** Builds the user agent: the test seam when given, else sip.js's own. */
export function createUserAgent(options: UserAgentOptions, phoneOptions: SipPhoneOptions): UserAgent {
    return phoneOptions.userAgentFactory ? phoneOptions.userAgentFactory(options) : new UserAgent(options);
}
