/**
 * Configuration from command-line flags and environment variables (flags win). The simulator only
 * ever listens on 127.0.0.1: there is deliberately no host setting.
 */
import * as path from 'node:path';

/** Host the simulator binds to; never anything else. */
export const LISTEN_HOST = '127.0.0.1';

/** An ICE server handed to WebRTC sessions. */
export interface IceServerConfig {
    urls: string[];
    username?: string;
    credential?: string;
}

/** Credentials for pushing call records to a Salesforce org with jsforce. */
export type SalesforcePushCredentials =
    | { kind: 'password'; loginUrl: string; username: string; password: string }
    | { kind: 'token'; instanceUrl: string; accessToken: string };

/** Everything the simulator can be configured with. */
export interface SimulatorConfig {
    /** 0 picks a free port. */
    port: number;
    /** Null keeps everything in memory. */
    dataDir: string | null;
    /** Base of URLs in responses (default http://127.0.0.1:<port>). */
    publicUrl: string | null;
    ringTimeoutSeconds: number;
    maxWaitSeconds: number;
    rateLimitPerSecond: number;
    /** Time only moves through `POST /_sim/clock/advance` (e2e tests). */
    manualClock: boolean;
    sip: {
        wssUrl: string;
        domain: string;
        /** Shared secret of the ephemeral credentials (Kamailio auth_ephemeral's `secret`). */
        secret: string;
        ttlSeconds: number;
        iceServers: IceServerConfig[];
    };
    /** Key of recording URL signatures. */
    urlSigningSecret: string;
    push: { credentials: SalesforcePushCredentials; tenantId: string; path: string } | null;
    /**
     * Salesforce Voice: base URL of the telephony integration API (`.../telephony/v1/voiceCalls` below it)
     * and the contact center's API name; null = off (docs/voice-partner-telephony.md).
     */
    telephony: { url: string; callCenterApiName: string; tenantId: string } | null;
    /** Log one line per request to stdout. */
    logRequests: boolean;
}

/** Default data dir: `simulator/.data`. */
export const DEFAULT_DATA_DIR = path.resolve(__dirname, '../.data');

/** Apex REST path of the package's call-record endpoint (relative to /services/apexrest). */
export const APEX_CALLS_PATH = '/ccphone/calls/v1';

/** Defaults, for tests to override piecemeal. */
export function defaultConfig(): SimulatorConfig {
    return {
        port: 4010,
        dataDir: DEFAULT_DATA_DIR,
        publicUrl: null,
        ringTimeoutSeconds: 20,
        maxWaitSeconds: 120,
        rateLimitPerSecond: 1000,
        manualClock: false,
        sip: {
            wssUrl: 'ws://127.0.0.1:8080',
            domain: '127.0.0.1',
            secret: 'ccphone-local-sip-secret',
            ttlSeconds: 900,
            iceServers: []
        },
        urlSigningSecret: 'ccphone-local-url-secret',
        push: null,
        telephony: null,
        logRequests: false
    };
}

/** Usage text of `main.ts --help`. */
export const USAGE = `Usage: npx tsx simulator/src/main.ts [options]

  --port N            port on 127.0.0.1 (default 4010, 0 = any free port)     SIM_PORT
  --data-dir DIR      SQLite file and recordings (default simulator/.data)      SIM_DATA_DIR
  --in-memory         keep nothing on disk
  --ring-timeout S    seconds an offer rings at one agent (default 20)          SIM_RING_TIMEOUT
  --max-wait S        seconds a call may wait in a queue (default 120)          SIM_MAX_WAIT
  --rate-limit N      requests per second and API key (default 1000)            SIM_RATE_LIMIT
  --manual-clock      time moves only with POST /_sim/clock/advance             SIM_MANUAL_CLOCK=1
  --public-url URL    base of URLs in responses                                 SIM_PUBLIC_URL
  --wss-url URL       SIP WebSocket URL in WebRTC sessions (ws://127.0.0.1:8080) SIM_WSS_URL
  --sip-domain D      SIP domain of agents' URIs (default 127.0.0.1)            SIM_SIP_DOMAIN
  --log               one line per request
  --telephony-url URL Salesforce Voice: create and update VoiceCall records there  SIM_TELEPHONY_URL
                      (SIM_CALL_CENTER default ccphoneVoice, SIM_PUSH_TENANT the tenant)
                      SIM_SIP_SECRET, SIM_SIP_TTL, SIM_ICE_SERVERS (JSON array), SIM_URL_SECRET

Push of finished call records to Salesforce (off unless credentials are given):
  SF_INSTANCE_URL + SF_ACCESS_TOKEN, or SF_LOGIN_URL + SF_USERNAME + SF_PASSWORD;
  SIM_PUSH_TENANT (default acme-test) chooses the tenant whose calls are pushed.
`;

function number(value: string | undefined, name: string, min: number): number | undefined {
    if (value === undefined || value === '') return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min)
        throw new Error(`${name} must be a number >= ${min}, got "${value}"`);
    return parsed;
}

/**
 * Reads the configuration.
 * @throws Error with a readable message for bad values or unknown flags
 */
export function readConfig(argv: string[], env: NodeJS.ProcessEnv): SimulatorConfig {
    const config = defaultConfig();
    const flags = new Map<string, string | true>();
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i]!;
        if (!arg.startsWith('--')) throw new Error(`Unexpected argument "${arg}"`);
        const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
        if (['in-memory', 'manual-clock', 'log', 'help'].includes(name)) {
            flags.set(name, true);
        } else if (inline !== undefined) {
            flags.set(name, inline);
        } else {
            const value = argv[++i];
            if (value === undefined) throw new Error(`--${name} needs a value`);
            flags.set(name, value);
        }
    }
    const known = [
        'port',
        'data-dir',
        'in-memory',
        'ring-timeout',
        'max-wait',
        'rate-limit',
        'manual-clock',
        'public-url',
        'wss-url',
        'sip-domain',
        'log',
        'telephony-url',
        'help'
    ];
    for (const name of flags.keys()) if (!known.includes(name)) throw new Error(`Unknown option --${name}`);
    const flag = (name: string): string | undefined => {
        const value = flags.get(name);
        return typeof value === 'string' ? value : undefined;
    };

    config.port = number(flag('port') ?? env.SIM_PORT, 'port', 0) ?? config.port;
    const dataDir = flag('data-dir') ?? env.SIM_DATA_DIR;
    if (dataDir) config.dataDir = path.resolve(dataDir);
    if (flags.has('in-memory')) config.dataDir = null;
    config.ringTimeoutSeconds =
        number(flag('ring-timeout') ?? env.SIM_RING_TIMEOUT, 'ring timeout', 1) ?? config.ringTimeoutSeconds;
    config.maxWaitSeconds =
        number(flag('max-wait') ?? env.SIM_MAX_WAIT, 'max wait', 1) ?? config.maxWaitSeconds;
    config.rateLimitPerSecond =
        number(flag('rate-limit') ?? env.SIM_RATE_LIMIT, 'rate limit', 1) ?? config.rateLimitPerSecond;
    config.manualClock = flags.has('manual-clock') || env.SIM_MANUAL_CLOCK === '1';
    config.publicUrl = flag('public-url') ?? env.SIM_PUBLIC_URL ?? null;
    config.logRequests = flags.has('log');
    config.sip.wssUrl = flag('wss-url') ?? env.SIM_WSS_URL ?? config.sip.wssUrl;
    config.sip.domain = flag('sip-domain') ?? env.SIM_SIP_DOMAIN ?? config.sip.domain;
    config.sip.secret = env.SIM_SIP_SECRET ?? config.sip.secret;
    config.sip.ttlSeconds = number(env.SIM_SIP_TTL, 'SIM_SIP_TTL', 60) ?? config.sip.ttlSeconds;
    if (env.SIM_ICE_SERVERS) config.sip.iceServers = JSON.parse(env.SIM_ICE_SERVERS) as IceServerConfig[];
    config.urlSigningSecret = env.SIM_URL_SECRET ?? config.urlSigningSecret;

    const tenantId = env.SIM_PUSH_TENANT ?? 'acme-test';
    const telephonyUrl = flag('telephony-url') ?? env.SIM_TELEPHONY_URL;
    if (telephonyUrl) {
        if (!/^https?:\/\//.test(telephonyUrl))
            throw new Error(`telephony URL must be http(s), got "${telephonyUrl}"`);
        config.telephony = {
            url: telephonyUrl.replace(/\/+$/, ''),
            callCenterApiName: env.SIM_CALL_CENTER ?? 'ccphoneVoice',
            tenantId
        };
    }
    if (env.SF_INSTANCE_URL && env.SF_ACCESS_TOKEN) {
        config.push = {
            credentials: {
                kind: 'token',
                instanceUrl: env.SF_INSTANCE_URL,
                accessToken: env.SF_ACCESS_TOKEN
            },
            tenantId,
            path: APEX_CALLS_PATH
        };
    } else if (env.SF_USERNAME && env.SF_PASSWORD) {
        config.push = {
            credentials: {
                kind: 'password',
                loginUrl: env.SF_LOGIN_URL ?? 'https://login.salesforce.com',
                username: env.SF_USERNAME,
                password: env.SF_PASSWORD
            },
            tenantId,
            path: APEX_CALLS_PATH
        };
    }
    if (flags.has('help')) throw new HelpRequested();
    return config;
}

/** Thrown by {@link readConfig} for `--help`. */
export class HelpRequested extends Error {
    constructor() {
        super(USAGE);
    }
}
