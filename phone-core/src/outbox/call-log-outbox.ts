/**
 * Call-log outbox (B2, F10; FAULT-CASES 17, 18): no call log is ever lost, and a call makes one Task.
 *
 * Every finished call's {@link CallLogEntry} is written to browser storage before anything is sent, and stays
 * there until the server confirms it. The interaction id is the idempotency key everywhere:
 * - enqueueing an id that is already there MERGES into it (later values win, absent values keep the old ones);
 * - the server upserts the Task by that id, so a retry (or a re-send after new notes) never makes a second Task;
 * - one outbox never has two sends of the same id in flight at once (a merge during a send waits for it and
 *   then sends the newer data), and a send that another tab or a previous page started is left alone until its
 *   lease (`sendTimeoutMs`) has passed.
 *
 * Failures: a retryable rejection (network, 5xx, 429, a timeout) waits with exponential backoff and equal
 * jitter, capped, honouring the server's `retryAfterMs`; entries retry for as long as it takes. A rejection the
 * client cannot fix by retrying (validation rule, required field, no create access on Task) moves the entry to
 * `needs-attention`: it stays stored and visible, the agent may {@link CallLogOutbox.retry} after fixing it,
 * and the contact centre's push reconciles it on the server (FAULT-CASES 17). Nothing is dropped silently: only
 * {@link CallLogOutbox.dismiss} (an explicit agent action) or eviction of already-confirmed entries removes one.
 *
 * Storage: one key per entry plus an index key (both under `<keyPrefix>:<scope>`; scope = org + user so another
 * user of the same browser never sends these logs). Unparseable entries or index are moved to a quarantine key
 * (`…:q:…`) and reported (the `quarantined` event carries the unreadable text), never crash the phone; the copy
 * is deleted as soon as a listener heard the report (kept, and reported again on the next load, when nobody
 * listened). Call data does not stay in the browser longer than it must (issue 11, finding 5): a confirmed
 * entry (the Task exists) expires `confirmedTtlMs` (24 h) after its last change, and {@link CallLogOutbox.purge}
 * (sign-out) deletes every key of this scope. When the quota is hit the oldest confirmed entries are evicted;
 * if that is not enough the entry is kept in memory only (`durable: false`), `storageError` is emitted and the
 * write is tried again on every later change. At most `maxEntries` entries are kept: confirmed ones are evicted
 * oldest first; unconfirmed ones never are - past the limit `capacityExceeded` is emitted and the entry is still
 * kept.
 *
 * Tabs: only the leader tab should flush (pass `isLeader`, and/or call {@link CallLogOutbox.start} /
 * {@link CallLogOutbox.stop} on becoming / losing leadership). A tab that becomes leader calls
 * {@link CallLogOutbox.reload} to pick up what the previous leader stored. Storage is read lazily: attach
 * listeners before the first call so load problems (quarantine, storage errors) are heard.
 *
 * Parts, each owning its state: `outbox-storage.ts` (the storage handle and key names), `outbox-quarantine.ts`
 * (unreadable values moved aside), `outbox-records.ts` (the entries in memory and in storage, retention),
 * `outbox-send-loop.ts` (the flush in progress, the sends in flight, retry/backoff), `outbox-wake.ts` (started,
 * and the timer that wakes the outbox). This class is their facade: enqueue/merge, the agent's actions, reads.
 *
 * Entry state, one guarded transition ({@link transitionOutboxEntry}):
 *
 * ```text
 *   enqueue ──► pending ──flush──► sending ──saved──────────────► confirmed
 *                 ▲  ▲               │  │ └─retryable──► retry-wait  │
 *                 │  │               │  └─not retryable─► needs-attention
 *                 │  └───────────────┘ saved/rejected but merged meanwhile,
 *                 │                    lease of a dead sender expired
 *                 ├── retry-wait: retry()             (retry-wait ──due──► sending,
 *                 ├── needs-attention: retry(), merge   retry-wait ──late save──► confirmed)
 *                 │   (a merge into a final refusal, final-refusals.ts, stays in needs-attention)
 *                 └── confirmed: merge with new data
 * ```
 */
import { Emitter } from '../util/emitter';
import { isFinalRefusal } from './final-refusals';
import { systemClock, type Clock } from '../util/clock';
import {
    OutboxEntryState,
    cleanEntry,
    stripUndefined,
    toItem,
    transitionOutboxEntry,
    type CallLogEntry,
    type CallLogSender,
    type KeyValueStorage,
    type MemoryRecord,
    type OutboxItem
} from './outbox-entry';
import type { CallLogOutboxEvents } from './outbox-events';
import { OutboxRecords } from './outbox-records';
import { OutboxSendLoop, type FlushResult } from './outbox-send-loop';
import { OutboxStorage } from './outbox-storage';
import { OutboxWake } from './outbox-wake';

// The entry's types and state machine are part of the outbox's API (phone-core's index exports this module).
export {
    OutboxEntryState,
    canTransitionOutboxEntry,
    retryDelayMs,
    transitionOutboxEntry,
    type CallLogEntry,
    type CallLogOutcome,
    type CallLogSendResult,
    type CallLogSender,
    type KeyValueStorage,
    type OutboxItem,
    type RetryDelayOptions
} from './outbox-entry';
export type { CallLogOutboxEvents } from './outbox-events';
export type { FlushResult } from './outbox-send-loop';

/** Options of {@link CallLogOutbox}. */
export interface CallLogOutboxOptions {
    /** Durable storage (`localStorage`); `null` keeps entries in memory only. */
    storage: KeyValueStorage | null;
    sender: CallLogSender;
    /** Storage scope, e.g. `${orgId}:${userId}`. */
    scope: string;
    clock?: Clock;
    /** Jitter source in [0, 1) (default Math.random). */
    random?: () => number;
    /** Only the leader flushes (default: always). */
    isLeader?: () => boolean;
    /** Key prefix (default `ccphone.outbox.v1`). */
    keyPrefix?: string;
    /** Entries kept (default 500); confirmed ones are evicted first, unconfirmed never. */
    maxEntries?: number;
    /** First retry delay (default 2 s); doubles per consecutive failure. */
    baseDelayMs?: number;
    /** Backoff cap (default 5 min). */
    maxDelayMs?: number;
    /** Cap on an honoured Retry-After (default 15 min). */
    maxRetryAfterMs?: number;
    /** A send not answered by then counts as a retryable failure and its lease ends (default 30 s). */
    sendTimeoutMs?: number;
    /** How long a confirmed entry (the Task exists) stays, after its last change. Default 24 h. */
    confirmedTtlMs?: number;
}

/**
 * The call-log outbox; see the module documentation.
 *
 * Typical host wiring:
 * ```ts
 * const outbox = new CallLogOutbox({ storage: localStorage, sender, scope: `${orgId}:${userId}`, isLeader });
 * outbox.on('needsAttention', showError);
 * election.on('becameLeader', () => { outbox.reload(); outbox.start(); });
 * election.on('lostLeadership', () => outbox.stop());
 * ```
 */
export class CallLogOutbox {
    private readonly clock: Clock;
    private readonly emitter = new Emitter<CallLogOutboxEvents>();
    private readonly storage: OutboxStorage;
    private readonly records: OutboxRecords;
    private readonly sendLoop: OutboxSendLoop;
    private readonly wake: OutboxWake;

    constructor(options: CallLogOutboxOptions) {
        if (!options.scope) throw new TypeError('CallLogOutbox needs a storage scope (org + user id)');
        this.clock = options.clock ?? systemClock;
        const baseDelayMs = Math.max(1, options.baseDelayMs ?? 2000);
        const confirmedTtlMs = Math.max(1, options.confirmedTtlMs ?? 24 * 60 * 60_000);
        const base = `${options.keyPrefix ?? 'ccphone.outbox.v1'}:${options.scope}`;
        this.storage = new OutboxStorage(options.storage, base, this.emitter);
        this.records = new OutboxRecords({
            storage: this.storage,
            emitter: this.emitter,
            clock: this.clock,
            maxEntries: Math.max(1, options.maxEntries ?? 500),
            confirmedTtlMs
        });
        this.sendLoop = new OutboxSendLoop({
            records: this.records,
            sender: options.sender,
            emitter: this.emitter,
            clock: this.clock,
            random: options.random ?? Math.random,
            isLeader: options.isLeader ?? (() => true),
            baseDelayMs,
            maxDelayMs: Math.max(baseDelayMs, options.maxDelayMs ?? 5 * 60_000),
            maxRetryAfterMs: options.maxRetryAfterMs ?? 15 * 60_000,
            sendTimeoutMs: Math.max(1, options.sendTimeoutMs ?? 30_000),
            onIdle: () => this.scheduleNextWake()
        });
        this.wake = new OutboxWake(this.clock, () => {
            // A flush is running: it picks up due entries itself and reschedules when it ends.
            if (!this.sendLoop.isFlushing) void this.flush();
        });
    }

    /** Subscribe to an event. @returns an unsubscribe function */
    on<K extends keyof CallLogOutboxEvents>(
        event: K,
        listener: (payload: CallLogOutboxEvents[K]) => void
    ): () => void {
        return this.emitter.on(event, listener);
    }

    /** True while storage works; false when it threw on read (disabled) - entries then live in memory only. */
    get storageAvailable(): boolean {
        this.records.ensureLoaded();
        return this.storage.usable;
    }

    /**
     * Store a finished call's log (or merge into the stored one with the same interaction id) and, when started,
     * send it soon.
     * @throws TypeError when `interactionId` is missing or the entry is not serialisable
     */
    enqueue(entry: CallLogEntry): OutboxItem {
        this.records.ensureLoaded();
        const clean = cleanEntry(entry);
        const existing = this.records.get(clean.interactionId);
        const item = existing ? this.mergeInto(existing, clean) : this.add(clean);
        this.wake.kick();
        return item;
    }

    /**
     * Send again now: a needs-attention entry after the agent fixed it (pass the fix as `patch`), or a
     * retry-wait entry without waiting for its backoff. @returns false when the id is unknown
     */
    retry(interactionId: string, patch: Partial<Omit<CallLogEntry, 'interactionId'>> = {}): boolean {
        this.records.ensureLoaded();
        const record = this.records.get(interactionId);
        if (!record) return false;
        const fixed = cleanEntry({ ...record.entry, ...stripUndefined(patch), interactionId });
        if (JSON.stringify(fixed) !== JSON.stringify(record.entry)) {
            record.entry = fixed;
            record.revision++;
        }
        if (record.state === OutboxEntryState.NeedsAttention || record.state === OutboxEntryState.RetryWait) {
            record.state = transitionOutboxEntry(record.state, OutboxEntryState.Pending);
            record.failures = 0;
            record.nextAttemptAt = this.clock.now();
        }
        record.updatedAt = this.clock.now();
        this.records.persist(record);
        this.wake.kick();
        return true;
    }

    /**
     * Remove a needs-attention entry on the agent's explicit request (e.g. logged by hand; the server push
     * reconciles). @returns false when the id is unknown or not in needs-attention
     */
    dismiss(interactionId: string): boolean {
        this.records.ensureLoaded();
        const record = this.records.get(interactionId);
        if (!record || record.state !== OutboxEntryState.NeedsAttention) return false;
        this.records.remove(record);
        this.emitter.emit('dismissed', { item: toItem(record) });
        return true;
    }

    /** One entry, or undefined. */
    get(interactionId: string): OutboxItem | undefined {
        this.records.ensureLoaded();
        const record = this.records.get(interactionId);
        return record ? toItem(record) : undefined;
    }

    /** All entries, oldest first. */
    items(): OutboxItem[] {
        this.records.ensureLoaded();
        return this.records.sorted().map(toItem);
    }

    /** Number of entries per state. */
    counts(): Record<OutboxEntryState, number> {
        this.records.ensureLoaded();
        return this.records.counts();
    }

    /** Flush automatically from now on (after enqueues and when backoffs end). Idempotent. */
    start(): void {
        this.records.ensureLoaded();
        this.wake.start();
    }

    /** Stop flushing automatically; a send in flight completes. */
    stop(): void {
        this.wake.stop();
    }

    /** Stop and drop all listeners. */
    dispose(): void {
        this.stop();
        this.emitter.removeAllListeners();
    }

    /** Entries the server has not confirmed (pending, sending, retry-wait, needs-attention). */
    unconfirmed(): number {
        this.records.ensureLoaded();
        return this.records.unconfirmed();
    }

    /**
     * Sign-out: deletes every key of this scope (entries, index, quarantine copies) and forgets the entries in
     * memory. The caller flushes first: this deletes unsent logs too. @returns the number of keys deleted
     */
    purge(): number {
        this.stop();
        this.records.ensureLoaded();
        const keys = this.records.allKeys();
        this.records.clear();
        return this.storage.purge(keys);
    }

    /**
     * Re-read storage (call it when this tab becomes leader). Entries this instance is sending and entries that
     * exist only in memory are kept from memory.
     */
    reload(): void {
        this.records.reload((id) => this.sendLoop.isInFlight(id));
        this.wake.kick();
    }

    /**
     * Send every due entry, one at a time, oldest first. A flush already running is joined, never doubled.
     * Does nothing in a tab that is not the leader.
     */
    flush(): Promise<FlushResult> {
        this.records.ensureLoaded();
        this.records.expireConfirmed();
        return this.sendLoop.flush();
    }

    private add(entry: CallLogEntry): OutboxItem {
        const record = this.records.add(() => {
            const now = this.clock.now();
            const created: MemoryRecord = {
                v: 1,
                entry,
                state: OutboxEntryState.Pending,
                attempts: 0,
                failures: 0,
                nextAttemptAt: now,
                revision: 1,
                enqueuedAt: now,
                updatedAt: now,
                durable: false,
                indexed: false
            };
            return created;
        });
        const item = toItem(record);
        this.emitter.emit('queued', { item, merged: false, changed: true });
        return item;
    }

    private mergeInto(record: MemoryRecord, update: CallLogEntry): OutboxItem {
        const merged = cleanEntry({ ...record.entry, ...update });
        const changed = JSON.stringify(merged) !== JSON.stringify(record.entry);
        if (changed) {
            record.entry = merged;
            record.revision++;
            record.updatedAt = this.clock.now();
            // New data for a finished entry: send it again (same Task, updated). Retry-wait keeps its backoff;
            // a send in flight is followed by another one with the new data. A final refusal keeps the data
            // and waits for the agent (final-refusals.ts).
            if (
                record.state === OutboxEntryState.Confirmed ||
                (record.state === OutboxEntryState.NeedsAttention && !isFinalRefusal(record.lastErrorCode))
            ) {
                record.state = transitionOutboxEntry(record.state, OutboxEntryState.Pending);
                record.failures = 0;
                record.nextAttemptAt = this.clock.now();
            }
            this.records.persist(record);
        } else if (!record.durable) {
            this.records.persist(record);
        }
        const item = toItem(record);
        this.emitter.emit('queued', { item, merged: true, changed });
        return item;
    }

    private scheduleNextWake(): void {
        if (!this.wake.isStarted) return;
        this.wake.wakeAt(this.records.nextWakeAt((id) => this.sendLoop.isInFlight(id)));
    }
}
