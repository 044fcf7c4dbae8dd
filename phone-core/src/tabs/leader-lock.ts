/**
 * The Web Lock of the tab election (B1): `LeaderLock` is the one owner of this window's lock request, queued,
 * granted and held until this window releases it, or stolen by another. Holding the lock is being the leader;
 * {@link TabElection} (tab-election.ts) decides what a grant or a lock that ended means.
 */
import type { LockManagerPort, LockRequestOptions } from './tab-protocol';

interface LockAttempt {
    readonly abort: AbortController | null;
    release: () => void;
    readonly steal: boolean;
    granted: boolean;
}

/** What a {@link LeaderLock} needs from its election. */
export interface LeaderLockOptions {
    /** `navigator.locks` (the election checked it before it runs). */
    locks: () => LockManagerPort;
    /** The lock name under this window's secret. */
    name: () => string;
    /** A grant still finds this window waiting for it (else the lock is released at once). */
    stillWanted: () => boolean;
    /** The lock was granted: this window leads until it releases the lock or loses it. */
    onGranted: (steal: boolean) => void;
    /** The request ended without this window releasing it: never granted (it failed), or held and then stolen. */
    onEnded: (ended: { granted: boolean; steal: boolean }) => void;
}

/** This window's request of the leader lock; see the module documentation. */
export class LeaderLock {
    private readonly options: LeaderLockOptions;
    private attempt: LockAttempt | null = null;

    constructor(options: LeaderLockOptions) {
        this.options = options;
    }

    /** Queue for the lock (`steal`: take it ahead of the queue, a voluntary handover). */
    request(steal: boolean): void {
        const locks = this.options.locks();
        const abort = !steal && typeof AbortController === 'function' ? new AbortController() : null;
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        const attempt: LockAttempt = { abort, release, steal, granted: false };
        this.attempt = attempt;
        const options: LockRequestOptions = steal
            ? { mode: 'exclusive', steal: true }
            : { mode: 'exclusive' };
        if (abort) options.signal = abort.signal;
        let request: Promise<unknown>;
        try {
            request = locks.request(this.options.name(), options, async () => {
                if (this.attempt !== attempt || !this.options.stillWanted()) return; // stale: release at once
                attempt.granted = true;
                this.options.onGranted(steal);
                await held;
            });
        } catch (error) {
            request = Promise.reject(error);
        }
        request.then(
            () => this.onLockEnded(attempt),
            () => this.onLockEnded(attempt)
        );
    }

    /** Leave the queue, or release the lock when held. */
    release(): void {
        const attempt = this.attempt;
        this.attempt = null;
        if (!attempt) return;
        if (!attempt.granted) attempt.abort?.abort();
        attempt.release();
    }

    private onLockEnded(attempt: LockAttempt): void {
        if (attempt !== this.attempt) return; // released or replaced by this window on purpose
        this.attempt = null;
        this.options.onEnded({ granted: attempt.granted, steal: attempt.steal });
    }
}
