/**
 * A clock driven by hand, for tests and for `--manual-clock` runs (e2e tests advance it through
 * `POST /_sim/clock/advance`). Implements phone-core's {@link Clock} so both sides share one contract.
 */
import type { Clock, TimerHandle } from '../../../phone-core/src/util/clock';

interface PendingTimer {
    id: number;
    dueAt: number;
    callback: () => void;
}

/** A {@link Clock} whose time only moves when {@link ManualClock.advance} is called. */
export class ManualClock implements Clock {
    private current: number;
    private nextId = 1;
    private readonly timers = new Map<number, PendingTimer>();

    /** @param startAt epoch milliseconds the clock starts at (default 2025-03-10T09:00:00Z) */
    constructor(startAt = Date.UTC(2025, 2, 10, 9, 0, 0)) {
        this.current = startAt;
    }

    now(): number {
        return this.current;
    }

    setTimeout(callback: () => void, delayMs: number): TimerHandle {
        const id = this.nextId++;
        this.timers.set(id, { id, dueAt: this.current + Math.max(0, delayMs), callback });
        return id;
    }

    clearTimeout(handle: TimerHandle): void {
        if (typeof handle === 'number') this.timers.delete(handle);
    }

    /** Number of timers not yet fired. */
    get pendingTimers(): number {
        return this.timers.size;
    }

    /**
     * Moves time forward by `ms`, firing every timer that falls due, in due order (timers a callback
     * schedules inside the window fire too).
     */
    advance(ms: number): void {
        const target = this.current + Math.max(0, ms);
        for (;;) {
            let next: PendingTimer | undefined;
            for (const timer of this.timers.values()) {
                if (timer.dueAt <= target && (!next || timer.dueAt < next.dueAt)) next = timer;
            }
            if (!next) break;
            this.timers.delete(next.id);
            this.current = Math.max(this.current, next.dueAt);
            next.callback();
        }
        this.current = target;
    }
}
