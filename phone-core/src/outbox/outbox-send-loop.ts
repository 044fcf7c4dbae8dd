/**
 * The outbox's sending loop: owns the flush in progress and the ids in flight. A flush sends every due entry,
 * one at a time, oldest first; a flush already running is joined, never doubled; one id is never sent twice at
 * once (a send that timed out stays in flight until it settles, and a late success still confirms it).
 *
 * Each answer moves the entry through its state machine ({@link transitionOutboxEntry}, diagram in
 * call-log-outbox.ts): saved -> confirmed (or pending again when merged meanwhile); retryable -> retry-wait
 * with exponential backoff and equal jitter ({@link retryDelayMs}), honouring the server's `retryAfterMs`;
 * not retryable -> needs-attention (or pending again when the agent changed it meanwhile, unless it is a
 * final refusal, final-refusals.ts).
 */
import type { Clock, TimerHandle } from '../util/clock';
import { isFinalRefusal } from './final-refusals';
import {
    OutboxEntryState,
    cloneJson,
    dueAt,
    errorText,
    normaliseResult,
    retryDelayMs,
    toItem,
    transitionOutboxEntry,
    type CallLogSendResult,
    type CallLogSender,
    type MemoryRecord
} from './outbox-entry';
import type { OutboxEmitter } from './outbox-events';
import type { OutboxRecords } from './outbox-records';

/** Result of one flush. */
export interface FlushResult {
    /** Sends started by this flush. */
    attempted: number;
    /** Set when the flush did nothing because this tab is not the leader. */
    skipped?: 'not-leader';
}

/** Options of {@link OutboxSendLoop}. */
export interface OutboxSendLoopOptions {
    records: OutboxRecords;
    sender: CallLogSender;
    emitter: OutboxEmitter;
    clock: Clock;
    /** Jitter source in [0, 1). */
    random: () => number;
    /** Only the leader sends. */
    isLeader: () => boolean;
    /** First retry delay; doubles per consecutive failure. */
    baseDelayMs: number;
    /** Backoff cap. */
    maxDelayMs: number;
    /** Cap on an honoured Retry-After. */
    maxRetryAfterMs: number;
    /** A send not answered by then counts as a retryable failure and its lease ends. */
    sendTimeoutMs: number;
    /** Called when a flush ended or a late answer arrived: time to schedule the next wake. */
    onIdle: () => void;
}

/** The outbox's sending loop; see the module documentation. */
export class OutboxSendLoop {
    private readonly options: OutboxSendLoopOptions;
    private readonly records: OutboxRecords;
    private readonly emitter: OutboxEmitter;
    private readonly clock: Clock;
    private readonly inFlight = new Set<string>();
    private flushing: Promise<FlushResult> | undefined;

    constructor(options: OutboxSendLoopOptions) {
        this.options = options;
        this.records = options.records;
        this.emitter = options.emitter;
        this.clock = options.clock;
    }

    /** A send of this id has not settled yet. */
    isInFlight(id: string): boolean {
        return this.inFlight.has(id);
    }

    /** A flush is running. */
    get isFlushing(): boolean {
        return this.flushing !== undefined;
    }

    /** Send every due entry (joins a running flush). Does nothing in a tab that is not the leader. */
    flush(): Promise<FlushResult> {
        if (!this.options.isLeader()) return Promise.resolve({ attempted: 0, skipped: 'not-leader' });
        if (this.flushing) return this.flushing;
        const run = this.runFlush().finally(() => {
            this.flushing = undefined;
            this.options.onIdle();
        });
        this.flushing = run;
        return run;
    }

    private async runFlush(): Promise<FlushResult> {
        let attempted = 0;
        for (;;) {
            if (!this.options.isLeader()) break;
            const record = this.nextDue();
            if (!record) break;
            if (await this.sendOne(record)) attempted++;
        }
        if (attempted > 0 && !this.records.hasOutstanding()) {
            this.emitter.emit('drained', {
                needsAttention: this.records.counts()[OutboxEntryState.NeedsAttention]
            });
        }
        return { attempted };
    }

    private nextDue(): MemoryRecord | undefined {
        const now = this.clock.now();
        return this.records
            .sorted()
            .find((record) => !this.inFlight.has(record.entry.interactionId) && dueAt(record) <= now);
    }

    /** @returns false when nothing was sent (another tab finished the entry meanwhile) */
    private async sendOne(record: MemoryRecord): Promise<boolean> {
        const id = record.entry.interactionId;
        const now = this.clock.now();
        const sendTimeoutMs = this.options.sendTimeoutMs;
        if (record.state === OutboxEntryState.Sending) {
            // Another page's lease expired. It may have finished after all: look at storage before taking over.
            const fresh = this.records.readStored(id);
            if (fresh && fresh.state !== OutboxEntryState.Sending) {
                Object.assign(record, fresh);
                return false;
            }
            record.state = transitionOutboxEntry(record.state, OutboxEntryState.Pending);
        }
        record.state = transitionOutboxEntry(record.state, OutboxEntryState.Sending);
        record.attempts++;
        record.leaseUntil = now + sendTimeoutMs;
        record.updatedAt = now;
        const sentRevision = record.revision;
        this.records.persist(record);
        this.inFlight.add(id);

        const payload = cloneJson(record.entry);
        const sender = this.options.sender;
        const settled: Promise<CallLogSendResult> = (async () => sender.send(payload))().then(
            normaliseResult,
            (error: unknown) => ({ status: 'rejected', retryable: true, message: errorText(error) })
        );
        let timer: TimerHandle | undefined;
        const timeout = new Promise<'timeout'>((resolve) => {
            timer = this.clock.setTimeout(() => resolve('timeout'), sendTimeoutMs);
        });
        const first = await Promise.race([settled, timeout]);
        this.clock.clearTimeout(timer);

        if (first === 'timeout') {
            // Not answered in time: back off, but keep the id "in flight" until the send settles so it is never
            // sent twice at once. A late success still confirms it.
            this.applyResult(id, sentRevision, {
                status: 'rejected',
                retryable: true,
                message: `No answer within ${sendTimeoutMs} ms`
            });
            void settled.then((late) => {
                this.inFlight.delete(id);
                if (late.status === 'saved') this.applyResult(id, sentRevision, late);
                this.options.onIdle();
            });
            return true;
        }
        this.inFlight.delete(id);
        this.applyResult(id, sentRevision, first);
        return true;
    }

    private applyResult(id: string, sentRevision: number, result: CallLogSendResult): void {
        const record = this.records.get(id);
        if (!record) return;
        const now = this.clock.now();
        const mergedMeanwhile = record.revision !== sentRevision;
        record.updatedAt = now;
        delete record.leaseUntil;
        if (result.status === 'saved') {
            if (
                record.state === OutboxEntryState.Confirmed ||
                record.state === OutboxEntryState.NeedsAttention
            ) {
                return; // a late answer to an entry that moved on
            }
            record.taskId = result.taskId;
            record.failures = 0;
            delete record.lastError;
            delete record.lastErrorCode;
            // Merged while in flight: the Task exists, send the newer data (the server updates the same Task).
            const target = mergedMeanwhile ? OutboxEntryState.Pending : OutboxEntryState.Confirmed;
            if (record.state !== target) record.state = transitionOutboxEntry(record.state, target);
            if (mergedMeanwhile) record.nextAttemptAt = now;
            this.records.persist(record);
            this.emitter.emit('sent', { item: toItem(record), taskId: result.taskId });
            return;
        }
        record.lastError = result.message;
        if (result.code === undefined) delete record.lastErrorCode;
        else record.lastErrorCode = result.code;
        if (result.retryable) {
            record.failures++;
            record.nextAttemptAt =
                now +
                retryDelayMs(record.failures, {
                    baseDelayMs: this.options.baseDelayMs,
                    maxDelayMs: this.options.maxDelayMs,
                    maxRetryAfterMs: this.options.maxRetryAfterMs,
                    random: this.options.random,
                    retryAfterMs: result.retryAfterMs
                });
            record.state = transitionOutboxEntry(record.state, OutboxEntryState.RetryWait);
            this.records.persist(record);
            this.emitter.emit('failed', { item: toItem(record), message: result.message });
            return;
        }
        if (mergedMeanwhile && !isFinalRefusal(result.code)) {
            // The agent changed the entry while it was being sent: the change may be the fix, try it.
            record.state = transitionOutboxEntry(record.state, OutboxEntryState.Pending);
            record.nextAttemptAt = now;
            this.records.persist(record);
            return;
        }
        record.state = transitionOutboxEntry(record.state, OutboxEntryState.NeedsAttention);
        this.records.persist(record);
        this.emitter.emit('needsAttention', { item: toItem(record), message: result.message });
    }
}
