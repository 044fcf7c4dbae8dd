/**
 * Short-lived SIP credentials from the host (Apex asks the contact centre; the browser never sees the API key).
 * The manager validates them, refreshes them before they expire, and on demand when the registrar refuses
 * them (403, or a 401 that survived sip.js's digest answer).
 */
import { UserAgent } from 'sip.js';
import type { URI } from 'sip.js';
import type { Clock, TimerHandle } from '../util/clock';

/** What the host's `getCredentials()` returns. */
export interface SipCredentials {
    /** WebSocket URL of the SIP edge: `wss://...` (`ws://` only on loopback, and only in the workbench). */
    wssUrl: string;
    /** Address of record, e.g. `sip:agent42@cc.example.com`. */
    sipUri: string;
    authorizationUsername: string;
    authorizationPassword: string;
    displayName?: string;
    /** Expiry of the password, epoch ms; 0 or absent means "does not expire". */
    expiresAt?: number;
    /** STUN/TURN servers for the peer connection (TURN over TCP/TLS 443 gets through strict firewalls). */
    iceServers: RTCIceServer[];
}

/** Host-provided credential source. */
export type GetCredentials = () => Promise<SipCredentials>;

/** Credentials that failed validation, with a message an admin can act on. */
export class CredentialsError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'CredentialsError';
    }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Options of {@link validateCredentials}. */
export interface CredentialsPolicy {
    /**
     * Accept `ws://` on a loopback host: only the local workbench and the e2e pages set it (their Kamailio
     * listens without TLS). In Salesforce nothing sets it, so SIP and its password never travel in clear
     * text, whatever a contact centre or a tampered host answers (#11 finding 10).
     */
    allowInsecureWebSocket?: boolean;
}

/**
 * Checks the shape of credentials from the host and returns a clean copy.
 * @throws CredentialsError naming the bad field (never its secret value)
 */
export function validateCredentials(
    input: unknown,
    policy: CredentialsPolicy = {}
): SipCredentials & { aor: URI } {
    if (!input || typeof input !== 'object') {
        throw new CredentialsError('getCredentials() returned no credentials');
    }
    const c = input as Record<string, unknown>;
    const wssUrl = requireString(c, 'wssUrl');
    let url: URL;
    try {
        url = new URL(wssUrl);
    } catch {
        throw new CredentialsError(`wssUrl is not a URL: ${wssUrl}`);
    }
    const insecureAllowed = policy.allowInsecureWebSocket === true && LOOPBACK_HOSTS.has(url.hostname);
    if (url.protocol !== 'wss:' && !(url.protocol === 'ws:' && insecureAllowed)) {
        throw new CredentialsError(
            `wssUrl must use wss:// (ws:// only on loopback in the workbench): ${url.protocol}//${url.host}`
        );
    }
    const sipUri = requireString(c, 'sipUri');
    const aor = UserAgent.makeURI(sipUri);
    if (!aor || !aor.user) {
        throw new CredentialsError(`sipUri is not a SIP address of record: ${sipUri}`);
    }
    const authorizationUsername = requireString(c, 'authorizationUsername');
    const authorizationPassword = typeof c.authorizationPassword === 'string' ? c.authorizationPassword : '';
    if (!authorizationPassword) {
        throw new CredentialsError('authorizationPassword is missing');
    }
    const expiresAt = typeof c.expiresAt === 'number' && Number.isFinite(c.expiresAt) ? c.expiresAt : 0;
    const iceServers = Array.isArray(c.iceServers)
        ? (c.iceServers.filter(isIceServer) as RTCIceServer[])
        : [];
    const displayName =
        typeof c.displayName === 'string' && c.displayName.trim() ? c.displayName.trim() : undefined;
    return {
        wssUrl,
        sipUri,
        aor,
        authorizationUsername,
        authorizationPassword,
        expiresAt,
        iceServers,
        ...(displayName ? { displayName } : {})
    };
}

function requireString(c: Record<string, unknown>, field: string): string {
    const value = c[field];
    if (typeof value !== 'string' || !value.trim()) {
        throw new CredentialsError(`${field} is missing`);
    }
    return value.trim();
}

function isIceServer(value: unknown): boolean {
    if (!value || typeof value !== 'object') {
        return false;
    }
    const urls = (value as { urls?: unknown }).urls;
    return typeof urls === 'string' || (Array.isArray(urls) && urls.every((u) => typeof u === 'string'));
}

/** Validated credentials plus the parsed address of record. */
export type ValidCredentials = ReturnType<typeof validateCredentials>;

/** Options of {@link CredentialsManager}. */
export interface CredentialsManagerOptions extends CredentialsPolicy {
    getCredentials: GetCredentials;
    clock: Clock;
    /** Called when the expiry timer fetched new credentials. */
    onExpiryRefresh: (credentials: ValidCredentials) => void;
    /** Called when the expiry refresh failed (the phone keeps the old ones and retries on the next failure). */
    onError: (error: Error) => void;
    /** Never refresh from the expiry timer more often than this (default 5000 ms): guards a host that keeps
     *  returning already-expired credentials. */
    minRefreshGapMs?: number;
}

/**
 * Holds the current credentials and refreshes them before `expiresAt`:
 * at 10 % of the remaining lifetime before expiry, at least 30 s before, at most half-way.
 */
export class CredentialsManager {
    private readonly options: CredentialsManagerOptions;
    private currentCredentials: ValidCredentials | undefined;
    private pending: Promise<ValidCredentials> | undefined;
    private timer: TimerHandle | undefined;
    private lastExpiryRefreshAt = Number.NEGATIVE_INFINITY;
    private fetchCount = 0;
    private stopped = false;

    constructor(options: CredentialsManagerOptions) {
        this.options = options;
    }

    /** The credentials in use, if any were fetched. */
    get current(): ValidCredentials | undefined {
        return this.currentCredentials;
    }

    /** How many times the host was asked (tests and diagnostics). */
    get fetches(): number {
        return this.fetchCount;
    }

    /** Ask the host for credentials now; concurrent callers share one request. */
    fetch(): Promise<ValidCredentials> {
        if (this.pending) {
            return this.pending;
        }
        this.stopped = false;
        this.fetchCount++;
        const request = Promise.resolve()
            .then(() => this.options.getCredentials())
            .then((raw) => {
                const valid = validateCredentials(raw, this.options);
                this.currentCredentials = valid;
                this.scheduleExpiryRefresh();
                return valid;
            });
        this.pending = request;
        const clear = (): void => {
            if (this.pending === request) {
                this.pending = undefined;
            }
        };
        request.then(clear, clear);
        return request;
    }

    /** Stop the expiry timer. */
    stop(): void {
        this.stopped = true;
        this.cancelTimer();
    }

    private scheduleExpiryRefresh(): void {
        this.cancelTimer();
        const expiresAt = this.currentCredentials?.expiresAt ?? 0;
        if (this.stopped || !expiresAt) {
            return;
        }
        const now = this.options.clock.now();
        const lifetime = expiresAt - now;
        const margin = Math.min(Math.max(30000, lifetime * 0.1), Math.max(lifetime / 2, 0));
        const earliest = this.lastExpiryRefreshAt + (this.options.minRefreshGapMs ?? 5000) - now;
        const delay = Math.max(lifetime - margin, earliest, 0);
        this.timer = this.options.clock.setTimeout(() => {
            this.timer = undefined;
            this.lastExpiryRefreshAt = this.options.clock.now();
            this.fetch().then(
                (credentials) => this.options.onExpiryRefresh(credentials),
                (error: unknown) => {
                    this.options.onError(error instanceof Error ? error : new Error(String(error)));
                    this.scheduleExpiryRefresh();
                }
            );
        }, delay);
    }

    private cancelTimer(): void {
        if (this.timer !== undefined) {
            this.options.clock.clearTimeout(this.timer);
            this.timer = undefined;
        }
    }
}
