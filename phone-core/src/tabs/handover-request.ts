/**
 * A voluntary handover asked by this window (B1, the pop-out taking the phone over): `HandoverRequest` is the one
 * owner of the request under way, its promise, its no-answer timer and whether the lock steal has started.
 * {@link TabElection} (tab-election.ts) sends it, reacts to the leader's reply and settles it.
 */
import type { Clock, TimerHandle } from '../util/clock';
import type { HandoverOutcome } from './tab-protocol';

/** The handover this window asked for and still awaits. */
export interface PendingHandover {
    id: string;
    promise: Promise<HandoverOutcome>;
    resolve: (outcome: HandoverOutcome) => void;
    timer: TimerHandle | undefined;
    /** Reply received, steal under way. */
    stealing: boolean;
}

/** This window's handover request; see the module documentation. */
export class HandoverRequest {
    private readonly clock: Clock;
    private pendingHandover: PendingHandover | null = null;

    constructor(clock: Clock) {
        this.clock = clock;
    }

    /** The request under way, if any. */
    get pending(): PendingHandover | null {
        return this.pendingHandover;
    }

    /**
     * Start a request with `id`: `send` posts it; without a settled outcome after `timeoutMs` it ends with
     * `no-answer`. @returns its outcome
     */
    start(id: string, timeoutMs: number, send: (id: string) => void): Promise<HandoverOutcome> {
        let resolve!: (outcome: HandoverOutcome) => void;
        const promise = new Promise<HandoverOutcome>((r) => (resolve = r));
        const pending: PendingHandover = { id, promise, resolve, timer: undefined, stealing: false };
        pending.timer = this.clock.setTimeout(
            () => this.finish(id, { granted: false, reason: 'no-answer' }),
            timeoutMs
        );
        this.pendingHandover = pending;
        send(id);
        return promise;
    }

    /** Settle the request `id` with `outcome` (nothing when it is not the one under way). */
    finish(id: string, outcome: HandoverOutcome): void {
        const pending = this.pendingHandover;
        if (!pending || pending.id !== id) return;
        this.pendingHandover = null;
        this.clock.clearTimeout(pending.timer);
        pending.resolve(outcome);
    }
}
