import type { Clock, TimerHandle } from '../../src/util/clock';

interface PendingTimer {
    id: number;
    at: number;
    callback: () => void;
}

/**
 * A {@link Clock} driven by hand: `advance(ms)` moves time and fires due timers in order.
 * Test fake only (never used in production code).
 */
export class ManualClock implements Clock {
    private time: number;
    private nextId = 1;
    private timers: PendingTimer[] = [];

    constructor(start = 1_700_000_000_000) {
        this.time = start;
    }

    now(): number {
        return this.time;
    }

    setTimeout(callback: () => void, delayMs: number): TimerHandle {
        const timer = { id: this.nextId++, at: this.time + Math.max(0, delayMs), callback };
        this.timers.push(timer);
        return timer.id;
    }

    clearTimeout(handle: TimerHandle): void {
        this.timers = this.timers.filter((timer) => timer.id !== handle);
    }

    /** Number of timers not yet fired or cleared. */
    get pendingTimers(): number {
        return this.timers.length;
    }

    /** Moves time forward by `ms`, firing every timer that falls due (in due order). */
    advance(ms: number): void {
        const target = this.time + ms;
        for (;;) {
            const due = this.timers
                .filter((timer) => timer.at <= target)
                .sort((a, b) => a.at - b.at || a.id - b.id)[0];
            if (!due) break;
            this.timers = this.timers.filter((timer) => timer !== due);
            this.time = due.at;
            due.callback();
        }
        this.time = target;
    }
}
