/**
 * Per-key rate limiting: a token bucket per API key holding one second's worth of requests, refilled
 * continuously from the injected clock (so tests drive it without waiting).
 */
import type { Clock } from '../../../phone-core/src/util/clock';

interface Bucket {
    tokens: number;
    updatedAt: number;
}

/** See the module documentation. */
export class RateLimiter {
    private readonly buckets = new Map<string, Bucket>();

    /** @param perSecond requests allowed per second and key (also the burst size) */
    constructor(
        private readonly clock: Clock,
        readonly perSecond: number
    ) {}

    /**
     * Takes one request from `key`'s bucket.
     * @returns 0 when allowed, else the whole seconds to wait (for `Retry-After`)
     */
    take(key: string): number {
        const now = this.clock.now();
        const bucket = this.buckets.get(key) ?? { tokens: this.perSecond, updatedAt: now };
        bucket.tokens = Math.min(
            this.perSecond,
            bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.perSecond
        );
        bucket.updatedAt = now;
        this.buckets.set(key, bucket);
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return 0;
        }
        return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
    }
}
