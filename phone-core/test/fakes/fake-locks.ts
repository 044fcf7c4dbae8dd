/**
 * A Web Locks lock manager shared by simulated tabs, behaving like the browser's `navigator.locks` for
 * exclusive locks (https://w3c.github.io/web-locks/):
 * - requests for a held name queue in FIFO order; the callback runs asynchronously once granted;
 * - the lock is held until the promise the callback returned settles; `request()` then settles with it;
 * - `signal` aborts a queued request (AbortError); `ifAvailable` calls back with `null` when not grantable;
 * - `steal` releases the current holder at once (its `request()` promise rejects with AbortError, its callback
 *   keeps running but no longer holds the lock) and is granted ahead of the queue;
 * - closing a tab releases what it held and forgets what it queued, like a document going away (those promises
 *   never settle: nobody is left to observe them).
 */
import type { LockManagerPort, LockRequestOptions } from '../../src/tabs/tab-election';

type Callback = (lock: { name: string; mode: 'exclusive' } | null) => unknown;

interface Request {
    tabId: string;
    name: string;
    callback: Callback;
    resolve: (value: unknown) => void;
    reject: (reason: unknown) => void;
    /** Set when stolen or the tab closed: the request's promise must not settle from the callback any more. */
    detached: boolean;
}

/** One lock manager for a whole simulated browser profile (one origin). */
export class FakeLockManager {
    private readonly held = new Map<string, Request>();
    private readonly queues = new Map<string, Request[]>();
    private readonly closed = new Set<string>();
    private readonly schedule: (fn: () => void) => void;
    /** Every grant, in order (for assertions such as "never two holders"). */
    readonly grants: Array<{ name: string; tabId: string; stolen: boolean }> = [];

    constructor(options: { schedule?: (fn: () => void) => void } = {}) {
        // Asynchronous like the browser's lock task queue, as a microtask so no fake-timer time has to pass.
        this.schedule = options.schedule ?? ((fn) => queueMicrotask(fn));
    }

    /** The `navigator.locks` of one tab. */
    forTab(tabId: string): LockManagerPort {
        return { request: (name, options, callback) => this.request(tabId, name, options, callback) };
    }

    /** Tab that holds `name`, if any. */
    holderOf(name: string): string | undefined {
        return this.held.get(name)?.tabId;
    }

    /** Tabs queued for `name`, first in line first. */
    queueOf(name: string): string[] {
        return (this.queues.get(name) ?? []).map((r) => r.tabId);
    }

    /** The tab's document goes away: its locks are released and its queued requests dropped. */
    closeTab(tabId: string): void {
        this.closed.add(tabId);
        for (const [name, queue] of this.queues) {
            const kept = queue.filter((r) => r.tabId !== tabId);
            for (const dropped of queue.filter((r) => r.tabId === tabId)) dropped.detached = true;
            this.queues.set(name, kept);
        }
        for (const [name, holder] of Array.from(this.held)) {
            if (holder.tabId !== tabId) continue;
            holder.detached = true;
            this.held.delete(name);
            this.grantNext(name);
        }
    }

    private request(
        tabId: string,
        name: string,
        options: LockRequestOptions,
        callback: Callback
    ): Promise<unknown> {
        if (this.closed.has(tabId)) return new Promise(() => undefined);
        if ((options.mode ?? 'exclusive') !== 'exclusive') {
            return Promise.reject(
                new DOMException('Only exclusive locks are simulated', 'NotSupportedError')
            );
        }
        if (options.steal && (options.ifAvailable || options.signal)) {
            return Promise.reject(
                new DOMException('steal cannot be combined with ifAvailable or signal', 'NotSupportedError')
            );
        }
        if (options.signal?.aborted) return Promise.reject(new DOMException('Aborted', 'AbortError'));

        return new Promise((resolve, reject) => {
            const request: Request = { tabId, name, callback, resolve, reject, detached: false };
            const queue = this.queues.get(name) ?? [];
            this.queues.set(name, queue);

            if (options.steal) {
                const victim = this.held.get(name);
                if (victim) {
                    victim.detached = true;
                    this.held.delete(name);
                    victim.reject(new DOMException('The lock was stolen', 'AbortError'));
                }
                this.grant(request, true);
                return;
            }
            if (options.ifAvailable && (this.held.has(name) || queue.length > 0)) {
                this.schedule(() => this.runCallback(request, null));
                return;
            }
            queue.push(request);
            options.signal?.addEventListener('abort', () => {
                const index = queue.indexOf(request);
                if (index === -1) return; // already granted: abort has no effect then
                queue.splice(index, 1);
                reject(new DOMException('The request was aborted', 'AbortError'));
            });
            this.grantNext(name);
        });
    }

    private grantNext(name: string): void {
        if (this.held.has(name)) return;
        const next = this.queues.get(name)?.shift();
        if (next) this.grant(next, false);
    }

    private grant(request: Request, stolen: boolean): void {
        this.held.set(request.name, request);
        this.grants.push({ name: request.name, tabId: request.tabId, stolen });
        this.schedule(() => this.runCallback(request, { name: request.name, mode: 'exclusive' }));
    }

    private runCallback(request: Request, lock: { name: string; mode: 'exclusive' } | null): void {
        if (request.detached && lock !== null && this.held.get(request.name) !== request) {
            // Stolen or its tab closed before the callback could even run: nothing to call.
            return;
        }
        let result: Promise<unknown>;
        try {
            result = Promise.resolve(request.callback(lock));
        } catch (error) {
            result = Promise.reject(error);
        }
        result.then(
            (value) => this.finish(request, lock !== null, () => request.resolve(value)),
            (error: unknown) => this.finish(request, lock !== null, () => request.reject(error))
        );
    }

    private finish(request: Request, held: boolean, settle: () => void): void {
        if (held && this.held.get(request.name) === request) {
            this.held.delete(request.name);
            this.grantNext(request.name);
        }
        if (!request.detached) settle();
    }
}
