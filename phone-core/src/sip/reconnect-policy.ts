/**
 * Reconnect backoff: exponential with full jitter, capped, reset after a stable connection.
 *
 * Pure: time and randomness are injected so tests can drive it deterministically.
 * "Full jitter" (delay = random(0, min(cap, base * 2^attempt))) spreads a fleet of agents that all lost the
 * same server, instead of letting them reconnect in lockstep.
 */

/** Options of {@link ReconnectPolicy}. */
export interface ReconnectPolicyOptions {
    /** First step's upper bound in ms (default 1000). */
    baseDelayMs?: number;
    /** Upper bound of any delay in ms (default 30000). */
    maxDelayMs?: number;
    /** A connection that stayed up this long resets the attempt counter (default 60000). */
    stableAfterMs?: number;
    /** Random number in [0, 1): injected for tests (default Math.random). */
    random?: () => number;
    /** Lowest delay returned, so a zero random value still yields to the event loop (default 0). */
    minDelayMs?: number;
}

/** Default backoff bounds of the SIP adapter: 1 s .. 30 s. */
export const DEFAULT_RECONNECT_BASE_MS = 1000;
export const DEFAULT_RECONNECT_MAX_MS = 30000;
export const DEFAULT_STABLE_AFTER_MS = 60000;

/**
 * Stateful backoff counter.
 *
 * Call {@link ReconnectPolicy.nextDelayMs} before each attempt, {@link ReconnectPolicy.connected} when a
 * connection comes up and {@link ReconnectPolicy.disconnected} when it drops: the attempt counter restarts from
 * zero only when the connection had been up for `stableAfterMs`, so a server that accepts and immediately drops
 * the socket still gets a growing backoff.
 */
export class ReconnectPolicy {
    private readonly baseDelayMs: number;
    private readonly maxDelayMs: number;
    private readonly stableAfterMs: number;
    private readonly minDelayMs: number;
    private readonly random: () => number;
    private attemptCount = 0;
    private connectedAt: number | undefined;

    constructor(options: ReconnectPolicyOptions = {}) {
        this.baseDelayMs = positive(options.baseDelayMs, DEFAULT_RECONNECT_BASE_MS);
        this.maxDelayMs = Math.max(positive(options.maxDelayMs, DEFAULT_RECONNECT_MAX_MS), this.baseDelayMs);
        this.stableAfterMs = positive(options.stableAfterMs, DEFAULT_STABLE_AFTER_MS);
        this.minDelayMs = Math.max(0, options.minDelayMs ?? 0);
        this.random = options.random ?? Math.random;
    }

    /** Number of delays handed out since the last reset. */
    get attempts(): number {
        return this.attemptCount;
    }

    /** Upper bound of the delay for the next attempt (before jitter). */
    ceilingMs(): number {
        // 2^attempt overflows to Infinity long after it passed the cap; Math.min keeps it finite.
        return Math.min(this.maxDelayMs, this.baseDelayMs * Math.pow(2, this.attemptCount));
    }

    /** Delay before the next attempt, and counts the attempt. */
    nextDelayMs(): number {
        const ceiling = this.ceilingMs();
        this.attemptCount++;
        const r = clampUnit(this.random());
        return Math.max(this.minDelayMs, Math.floor(r * ceiling));
    }

    /** The connection came up at `now` (ms). */
    connected(now: number): void {
        this.connectedAt = now;
    }

    /** The connection dropped at `now` (ms): resets the counter if it had been stable. */
    disconnected(now: number): void {
        if (this.connectedAt !== undefined && now - this.connectedAt >= this.stableAfterMs) {
            this.attemptCount = 0;
        }
        this.connectedAt = undefined;
    }

    /** Forget all history (explicit user action, e.g. stop/start). */
    reset(): void {
        this.attemptCount = 0;
        this.connectedAt = undefined;
    }
}

function positive(value: number | undefined, fallback: number): number {
    return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

function clampUnit(value: number): number {
    if (!Number.isFinite(value) || value < 0) {
        return 0;
    }
    return value >= 1 ? 0.999999 : value;
}
