/**
 * The outbox's wake-up timer: owns whether the outbox flushes by itself (`started`) and the one timer that
 * wakes it when the earliest entry is due. Scheduling an earlier wake replaces a later one; a later one never
 * replaces an earlier one.
 */
import type { Clock, TimerHandle } from '../util/clock';

/** The outbox's wake-up timer; see the module documentation. */
export class OutboxWake {
    private started = false;
    private timer: TimerHandle | undefined;
    private at = Number.POSITIVE_INFINITY;

    /** @param onWake called when the timer fires while started */
    constructor(
        private readonly clock: Clock,
        private readonly onWake: () => void
    ) {}

    /** Whether the outbox flushes by itself. */
    get isStarted(): boolean {
        return this.started;
    }

    /** Flush by itself from now on, starting now. */
    start(): void {
        this.started = true;
        this.schedule(this.clock.now());
    }

    /** Stop flushing by itself; the armed timer is cleared. */
    stop(): void {
        this.started = false;
        this.clear();
    }

    /** Wake now (when started): something changed. */
    kick(): void {
        if (this.started) this.schedule(this.clock.now());
    }

    /** Wake at `at` (when started and `at` is finite). */
    wakeAt(at: number): void {
        if (!this.started) return;
        if (Number.isFinite(at)) this.schedule(at);
    }

    private schedule(at: number): void {
        if (this.timer !== undefined && this.at <= at) return;
        this.clear();
        this.at = at;
        this.timer = this.clock.setTimeout(
            () => {
                this.timer = undefined;
                this.at = Number.POSITIVE_INFINITY;
                if (!this.started) return;
                this.onWake();
            },
            Math.max(0, at - this.clock.now())
        );
    }

    private clear(): void {
        if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
        this.timer = undefined;
        this.at = Number.POSITIVE_INFINITY;
    }
}
