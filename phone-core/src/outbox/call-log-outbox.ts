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
import { systemClock, type Clock, type TimerHandle } from '../util/clock';
import {
    OUTSTANDING,
    OutboxEntryState,
    cleanEntry,
    cloneJson,
    dueAt,
    errorText,
    isQuotaError,
    normaliseResult,
    parseIndex,
    parseRecord,
    retryDelayMs,
    stripUndefined,
    toItem,
    toStored,
    transitionOutboxEntry,
    type CallLogEntry,
    type CallLogSendResult,
    type CallLogSender,
    type KeyValueStorage,
    type MemoryRecord,
    type OutboxItem,
    type StoredRecord
} from './outbox-entry';

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

/** Events of {@link CallLogOutbox}. */
export type CallLogOutboxEvents = {
    /** An entry was added, or merged into an existing one (`changed` false when the merge changed nothing). */
    queued: { item: OutboxItem; merged: boolean; changed: boolean };
    /** The server saved the Task. */
    sent: { item: OutboxItem; taskId: string };
    /** A retryable failure; the next attempt is at `item.nextAttemptAt`. */
    failed: { item: OutboxItem; message: string };
    /** A rejection retrying cannot fix: show it to the agent. */
    needsAttention: { item: OutboxItem; message: string };
    /** A flush ended with nothing left to send automatically (needs-attention entries are counted, not sent). */
    drained: { needsAttention: number };
    /** The agent dismissed a needs-attention entry. */
    dismissed: { item: OutboxItem };
    /** A stored value could not be read and was moved aside. */
    /** `raw`: the unreadable text, for the listener to report; the stored copy goes once this was heard. */
    quarantined: { key: string; reason: string; raw: string };
    /** Storage refused a read or write (quota, disabled storage). */
    storageError: { operation: 'read' | 'write' | 'remove'; key: string; message: string };
    /** More than `maxEntries` unconfirmed entries: nothing is dropped, but the agent/admin should know. */
    capacityExceeded: { unconfirmed: number; maxEntries: number };
};

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

/** Result of one {@link CallLogOutbox.flush}. */
export interface FlushResult {
    /** Sends started by this flush. */
    attempted: number;
    /** Set when the flush did nothing because this tab is not the leader. */
    skipped?: 'not-leader';
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
    private readonly storage: KeyValueStorage | null;
    private readonly sender: CallLogSender;
    private readonly clock: Clock;
    private readonly random: () => number;
    private readonly isLeader: () => boolean;
    private readonly maxEntries: number;
    private readonly baseDelayMs: number;
    private readonly maxDelayMs: number;
    private readonly maxRetryAfterMs: number;
    private readonly sendTimeoutMs: number;
    private readonly confirmedTtlMs: number;
    private readonly base: string;
    private readonly emitter = new Emitter<CallLogOutboxEvents>();

    private records = new Map<string, MemoryRecord>();
    private loaded = false;
    private storageDisabled = false;
    private readonly inFlight = new Set<string>();
    private flushing: Promise<FlushResult> | undefined;
    private started = false;
    private wakeTimer: TimerHandle | undefined;
    private wakeAt = Number.POSITIVE_INFINITY;

    constructor(options: CallLogOutboxOptions) {
        if (!options.scope) throw new TypeError('CallLogOutbox needs a storage scope (org + user id)');
        this.storage = options.storage;
        this.sender = options.sender;
        this.clock = options.clock ?? systemClock;
        this.random = options.random ?? Math.random;
        this.isLeader = options.isLeader ?? (() => true);
        this.maxEntries = Math.max(1, options.maxEntries ?? 500);
        this.baseDelayMs = Math.max(1, options.baseDelayMs ?? 2000);
        this.maxDelayMs = Math.max(this.baseDelayMs, options.maxDelayMs ?? 5 * 60_000);
        this.maxRetryAfterMs = options.maxRetryAfterMs ?? 15 * 60_000;
        this.sendTimeoutMs = Math.max(1, options.sendTimeoutMs ?? 30_000);
        this.confirmedTtlMs = Math.max(1, options.confirmedTtlMs ?? 24 * 60 * 60_000);
        this.base = `${options.keyPrefix ?? 'ccphone.outbox.v1'}:${options.scope}`;
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
        this.ensureLoaded();
        return this.storage !== null && !this.storageDisabled;
    }

    /**
     * Store a finished call's log (or merge into the stored one with the same interaction id) and, when started,
     * send it soon.
     * @throws TypeError when `interactionId` is missing or the entry is not serialisable
     */
    enqueue(entry: CallLogEntry): OutboxItem {
        this.ensureLoaded();
        const clean = cleanEntry(entry);
        const existing = this.records.get(clean.interactionId);
        const item = existing ? this.mergeInto(existing, clean) : this.add(clean);
        this.kick();
        return item;
    }

    /**
     * Send again now: a needs-attention entry after the agent fixed it (pass the fix as `patch`), or a
     * retry-wait entry without waiting for its backoff. @returns false when the id is unknown
     */
    retry(interactionId: string, patch: Partial<Omit<CallLogEntry, 'interactionId'>> = {}): boolean {
        this.ensureLoaded();
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
        this.persist(record);
        this.kick();
        return true;
    }

    /**
     * Remove a needs-attention entry on the agent's explicit request (e.g. logged by hand; the server push
     * reconciles). @returns false when the id is unknown or not in needs-attention
     */
    dismiss(interactionId: string): boolean {
        this.ensureLoaded();
        const record = this.records.get(interactionId);
        if (!record || record.state !== OutboxEntryState.NeedsAttention) return false;
        this.removeRecord(record);
        this.emitter.emit('dismissed', { item: toItem(record) });
        return true;
    }

    /** One entry, or undefined. */
    get(interactionId: string): OutboxItem | undefined {
        this.ensureLoaded();
        const record = this.records.get(interactionId);
        return record ? toItem(record) : undefined;
    }

    /** All entries, oldest first. */
    items(): OutboxItem[] {
        this.ensureLoaded();
        return this.sortedRecords().map(toItem);
    }

    /** Number of entries per state. */
    counts(): Record<OutboxEntryState, number> {
        this.ensureLoaded();
        const counts = {
            [OutboxEntryState.Pending]: 0,
            [OutboxEntryState.Sending]: 0,
            [OutboxEntryState.RetryWait]: 0,
            [OutboxEntryState.NeedsAttention]: 0,
            [OutboxEntryState.Confirmed]: 0
        };
        for (const record of this.records.values()) counts[record.state]++;
        return counts;
    }

    /** Flush automatically from now on (after enqueues and when backoffs end). Idempotent. */
    start(): void {
        this.ensureLoaded();
        this.started = true;
        this.scheduleWake(this.clock.now());
    }

    /** Stop flushing automatically; a send in flight completes. */
    stop(): void {
        this.started = false;
        this.clearWake();
    }

    /** Stop and drop all listeners. */
    dispose(): void {
        this.stop();
        this.emitter.removeAllListeners();
    }

    /** Entries the server has not confirmed (pending, sending, retry-wait, needs-attention). */
    unconfirmed(): number {
        this.ensureLoaded();
        let count = 0;
        for (const record of this.records.values()) if (record.state !== OutboxEntryState.Confirmed) count++;
        return count;
    }

    /**
     * Sign-out: deletes every key of this scope (entries, index, quarantine copies) and forgets the entries in
     * memory. The caller flushes first: this deletes unsent logs too. @returns the number of keys deleted
     */
    purge(): number {
        this.stop();
        this.ensureLoaded();
        const keys = new Set<string>([this.indexKey]);
        for (const id of this.records.keys()) keys.add(this.entryKey(id));
        for (const key of this.scopeKeys()) keys.add(key);
        this.records = new Map();
        let removed = 0;
        const storage = this.storage;
        if (storage) {
            for (const key of keys) {
                try {
                    if (storage.getItem(key) !== null) removed++;
                    storage.removeItem(key);
                } catch (error) {
                    this.emitter.emit('storageError', {
                        operation: 'remove',
                        key,
                        message: errorText(error)
                    });
                }
            }
        }
        return removed;
    }

    /**
     * Re-read storage (call it when this tab becomes leader). Entries this instance is sending and entries that
     * exist only in memory are kept from memory.
     */
    reload(): void {
        const previous = this.records;
        this.records = new Map();
        this.loaded = false;
        this.storageDisabled = false;
        this.ensureLoaded();
        for (const [id, record] of previous) {
            const stored = this.records.get(id);
            if (this.inFlight.has(id) || !stored) {
                this.records.set(id, record);
                if (!stored && !record.durable) this.persist(record);
            }
        }
        this.kick();
    }

    /**
     * Send every due entry, one at a time, oldest first. A flush already running is joined, never doubled.
     * Does nothing in a tab that is not the leader.
     */
    flush(): Promise<FlushResult> {
        this.ensureLoaded();
        this.expireConfirmed();
        if (!this.isLeader()) return Promise.resolve({ attempted: 0, skipped: 'not-leader' });
        if (this.flushing) return this.flushing;
        const run = this.runFlush().finally(() => {
            this.flushing = undefined;
            this.scheduleNextWake();
        });
        this.flushing = run;
        return run;
    }

    private async runFlush(): Promise<FlushResult> {
        let attempted = 0;
        for (;;) {
            if (!this.isLeader()) break;
            const record = this.nextDue();
            if (!record) break;
            if (await this.sendOne(record)) attempted++;
        }
        if (attempted > 0 && !this.hasOutstanding()) {
            this.emitter.emit('drained', { needsAttention: this.counts()[OutboxEntryState.NeedsAttention] });
        }
        return { attempted };
    }

    /** @returns false when nothing was sent (another tab finished the entry meanwhile) */
    private async sendOne(record: MemoryRecord): Promise<boolean> {
        const id = record.entry.interactionId;
        const now = this.clock.now();
        if (record.state === OutboxEntryState.Sending) {
            // Another page's lease expired. It may have finished after all: look at storage before taking over.
            const fresh = this.readStoredRecord(id);
            if (fresh && fresh.state !== OutboxEntryState.Sending) {
                Object.assign(record, fresh);
                return false;
            }
            record.state = transitionOutboxEntry(record.state, OutboxEntryState.Pending);
        }
        record.state = transitionOutboxEntry(record.state, OutboxEntryState.Sending);
        record.attempts++;
        record.leaseUntil = now + this.sendTimeoutMs;
        record.updatedAt = now;
        const sentRevision = record.revision;
        this.persist(record);
        this.inFlight.add(id);

        const payload = cloneJson(record.entry);
        const settled: Promise<CallLogSendResult> = (async () => this.sender.send(payload))().then(
            normaliseResult,
            (error: unknown) => ({ status: 'rejected', retryable: true, message: errorText(error) })
        );
        let timer: TimerHandle | undefined;
        const timeout = new Promise<'timeout'>((resolve) => {
            timer = this.clock.setTimeout(() => resolve('timeout'), this.sendTimeoutMs);
        });
        const first = await Promise.race([settled, timeout]);
        this.clock.clearTimeout(timer);

        if (first === 'timeout') {
            // Not answered in time: back off, but keep the id "in flight" until the send settles so it is never
            // sent twice at once. A late success still confirms it.
            this.applyResult(id, sentRevision, {
                status: 'rejected',
                retryable: true,
                message: `No answer within ${this.sendTimeoutMs} ms`
            });
            void settled.then((late) => {
                this.inFlight.delete(id);
                if (late.status === 'saved') this.applyResult(id, sentRevision, late);
                this.scheduleNextWake();
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
            this.persist(record);
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
                    baseDelayMs: this.baseDelayMs,
                    maxDelayMs: this.maxDelayMs,
                    maxRetryAfterMs: this.maxRetryAfterMs,
                    random: this.random,
                    retryAfterMs: result.retryAfterMs
                });
            record.state = transitionOutboxEntry(record.state, OutboxEntryState.RetryWait);
            this.persist(record);
            this.emitter.emit('failed', { item: toItem(record), message: result.message });
            return;
        }
        if (mergedMeanwhile && !isFinalRefusal(result.code)) {
            // The agent changed the entry while it was being sent: the change may be the fix, try it.
            record.state = transitionOutboxEntry(record.state, OutboxEntryState.Pending);
            record.nextAttemptAt = now;
            this.persist(record);
            return;
        }
        record.state = transitionOutboxEntry(record.state, OutboxEntryState.NeedsAttention);
        this.persist(record);
        this.emitter.emit('needsAttention', { item: toItem(record), message: result.message });
    }

    private nextDue(): MemoryRecord | undefined {
        const now = this.clock.now();
        return this.sortedRecords().find(
            (record) => !this.inFlight.has(record.entry.interactionId) && dueAt(record) <= now
        );
    }

    private hasOutstanding(): boolean {
        for (const record of this.records.values()) if (OUTSTANDING.has(record.state)) return true;
        return false;
    }

    private sortedRecords(): MemoryRecord[] {
        return Array.from(this.records.values()).sort(
            (a, b) => a.enqueuedAt - b.enqueuedAt || (a.entry.interactionId < b.entry.interactionId ? -1 : 1)
        );
    }

    private add(entry: CallLogEntry): OutboxItem {
        this.expireConfirmed();
        this.makeRoom();
        const now = this.clock.now();
        const record: MemoryRecord = {
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
        this.records.set(entry.interactionId, record);
        this.persist(record);
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
            this.persist(record);
        } else if (!record.durable) {
            this.persist(record);
        }
        const item = toItem(record);
        this.emitter.emit('queued', { item, merged: true, changed });
        return item;
    }

    /** Keep at most maxEntries - 1 before adding one: evict confirmed entries, oldest first. */
    /** Confirmed entries (the Task exists) older than `confirmedTtlMs` leave the browser. */
    private expireConfirmed(): void {
        const now = this.clock.now();
        for (const record of Array.from(this.records.values())) {
            if (this.isExpired(record, now)) this.removeRecord(record);
        }
    }

    private isExpired(record: StoredRecord, now: number): boolean {
        return record.state === OutboxEntryState.Confirmed && record.updatedAt + this.confirmedTtlMs <= now;
    }

    private makeRoom(): void {
        if (this.records.size < this.maxEntries) return;
        const confirmed = this.sortedRecords().filter((r) => r.state === OutboxEntryState.Confirmed);
        while (this.records.size >= this.maxEntries && confirmed.length > 0) {
            this.removeRecord(confirmed.shift() as MemoryRecord);
        }
        if (this.records.size >= this.maxEntries) {
            let unconfirmed = 0;
            for (const record of this.records.values()) {
                if (record.state !== OutboxEntryState.Confirmed) unconfirmed++;
            }
            this.emitter.emit('capacityExceeded', {
                unconfirmed: unconfirmed + 1,
                maxEntries: this.maxEntries
            });
        }
    }

    // ---- storage -------------------------------------------------------------------------------------------

    private get indexKey(): string {
        return `${this.base}:index`;
    }

    private get entryPrefix(): string {
        return `${this.base}:e:`;
    }

    private entryKey(id: string): string {
        return this.entryPrefix + id;
    }

    private ensureLoaded(): void {
        if (this.loaded) return;
        this.loaded = true;
        if (!this.storage) return;
        const ids: string[] = [];
        let indexNeedsWrite = false;

        const rawIndex = this.read(this.indexKey);
        if (this.storageDisabled) return;
        if (rawIndex !== null) {
            const parsed = parseIndex(rawIndex);
            if (parsed) ids.push(...parsed);
            else {
                this.quarantine(this.indexKey, rawIndex, 'index is not a JSON array of ids');
                indexNeedsWrite = true;
            }
        }
        for (const id of this.enumerateEntryIds()) {
            if (!ids.includes(id)) {
                ids.push(id);
                indexNeedsWrite = true;
            }
        }
        for (const id of ids) {
            if (this.records.has(id)) continue;
            const key = this.entryKey(id);
            const raw = this.read(key);
            if (raw === null) {
                indexNeedsWrite = true; // index names an entry that is gone
                continue;
            }
            const parsed = parseRecord(raw, id);
            if (typeof parsed === 'string') {
                this.quarantine(key, raw, parsed);
                indexNeedsWrite = true;
                continue;
            }
            this.records.set(id, { ...parsed, durable: true, indexed: true });
        }
        if (indexNeedsWrite) this.writeIndex(Array.from(this.records.keys()));
        this.expireConfirmed();
        this.reportLeftoverQuarantine();
    }

    /** Quarantine copies nobody heard about (no listener then, or an older version): report, then delete. */
    private reportLeftoverQuarantine(): void {
        const prefix = `${this.base}:q:`;
        for (const key of this.scopeKeys()) {
            if (!key.startsWith(prefix)) continue;
            const text = this.read(key);
            if (text === null) continue;
            let copy: { key?: unknown; reason?: unknown; raw?: unknown } = {};
            try {
                copy = JSON.parse(text) as typeof copy;
            } catch {
                // an unreadable copy is reported as it is
            }
            if (this.emitter.listenerCount('quarantined') === 0) return;
            this.emitter.emit('quarantined', {
                key: typeof copy.key === 'string' ? copy.key : key,
                reason: typeof copy.reason === 'string' ? copy.reason : 'unreadable quarantine copy',
                raw: typeof copy.raw === 'string' ? copy.raw : text
            });
            this.removeKey(key);
        }
    }

    /** Every stored key of this scope (needs `length`/`key`; else none). */
    private scopeKeys(): string[] {
        const storage = this.storage;
        if (!storage || typeof storage.key !== 'function' || typeof storage.length !== 'number') return [];
        const keys: string[] = [];
        try {
            for (let i = 0; i < storage.length; i++) {
                const key = storage.key(i);
                if (key !== null && key.startsWith(`${this.base}:`)) keys.push(key);
            }
        } catch (error) {
            this.emitter.emit('storageError', {
                operation: 'read',
                key: this.base,
                message: errorText(error)
            });
        }
        return keys;
    }

    private removeKey(key: string): void {
        try {
            this.storage?.removeItem(key);
        } catch (error) {
            this.emitter.emit('storageError', { operation: 'remove', key, message: errorText(error) });
        }
    }

    private readStoredRecord(id: string): StoredRecord | undefined {
        const raw = this.read(this.entryKey(id));
        if (raw === null) return undefined;
        const parsed = parseRecord(raw, id);
        return typeof parsed === 'string' ? undefined : parsed;
    }

    private enumerateEntryIds(): string[] {
        return this.scopeKeys()
            .filter((key) => key.startsWith(this.entryPrefix))
            .map((key) => key.slice(this.entryPrefix.length));
    }

    private read(key: string): string | null {
        if (!this.storage || this.storageDisabled) return null;
        try {
            return this.storage.getItem(key);
        } catch (error) {
            this.storageDisabled = true;
            this.emitter.emit('storageError', { operation: 'read', key, message: errorText(error) });
            return null;
        }
    }

    /** Write the record; on quota errors evict confirmed entries (not this one) and try again. */
    private persist(record: MemoryRecord): void {
        if (!this.storage || this.storageDisabled) {
            record.durable = false;
            return;
        }
        const id = record.entry.interactionId;
        const key = this.entryKey(id);
        const text = JSON.stringify(toStored(record));
        record.durable = this.write(key, text, record);
        if (record.durable && !record.indexed) {
            record.indexed = this.addToIndex(id);
        }
    }

    private write(key: string, text: string, keep?: MemoryRecord): boolean {
        const storage = this.storage;
        if (!storage) return false;
        for (;;) {
            try {
                storage.setItem(key, text);
                return true;
            } catch (error) {
                if (isQuotaError(error) && this.evictOneConfirmed(keep)) continue;
                this.emitter.emit('storageError', { operation: 'write', key, message: errorText(error) });
                return false;
            }
        }
    }

    private evictOneConfirmed(keep: MemoryRecord | undefined): boolean {
        const victim = this.sortedRecords().find((r) => r.state === OutboxEntryState.Confirmed && r !== keep);
        if (!victim) return false;
        this.removeRecord(victim);
        return true;
    }

    private removeRecord(record: MemoryRecord): void {
        const id = record.entry.interactionId;
        this.records.delete(id);
        if (!this.storage || this.storageDisabled) return;
        const key = this.entryKey(id);
        try {
            this.storage.removeItem(key);
        } catch (error) {
            this.emitter.emit('storageError', { operation: 'remove', key, message: errorText(error) });
        }
        if (record.indexed) this.updateIndex((ids) => ids.filter((x) => x !== id));
    }

    private addToIndex(id: string): boolean {
        return this.updateIndex((ids) => (ids.includes(id) ? ids : [...ids, id]));
    }

    /** Read-modify-write of the stored index, so another tab's additions are not lost. */
    private updateIndex(change: (ids: string[]) => string[]): boolean {
        const raw = this.read(this.indexKey);
        const stored = raw === null ? [] : parseIndex(raw);
        const current =
            stored ??
            Array.from(this.records.values())
                .filter((r) => r.indexed)
                .map((r) => r.entry.interactionId);
        return this.writeIndex(change(current));
    }

    private writeIndex(ids: string[]): boolean {
        return this.write(this.indexKey, JSON.stringify(ids));
    }

    private quarantine(key: string, raw: string, reason: string): void {
        const storage = this.storage;
        const target = `${this.base}:q:${key.slice(this.base.length + 1)}`;
        if (storage) {
            try {
                storage.setItem(
                    target,
                    JSON.stringify({ key, reason, quarantinedAt: this.clock.now(), raw })
                );
                storage.removeItem(key);
            } catch (error) {
                // Keep the original where it is rather than lose it; it is re-reported on the next load.
                this.emitter.emit('storageError', {
                    operation: 'write',
                    key: target,
                    message: errorText(error)
                });
            }
        }
        const heard = this.emitter.listenerCount('quarantined') > 0;
        this.emitter.emit('quarantined', { key, reason, raw });
        // reported: the copy has done its job; nobody listening: it stays for the next load to report
        if (heard && storage) this.removeKey(target);
    }

    // ---- timers --------------------------------------------------------------------------------------------

    private kick(): void {
        if (this.started) this.scheduleWake(this.clock.now());
    }

    private scheduleNextWake(): void {
        if (!this.started) return;
        let next = Number.POSITIVE_INFINITY;
        for (const record of this.records.values()) {
            if (record.state === OutboxEntryState.Confirmed) {
                next = Math.min(next, record.updatedAt + this.confirmedTtlMs); // the wake expires it
                continue;
            }
            if (this.inFlight.has(record.entry.interactionId)) continue;
            next = Math.min(next, dueAt(record));
        }
        if (Number.isFinite(next)) this.scheduleWake(next);
    }

    private scheduleWake(at: number): void {
        if (this.wakeTimer !== undefined && this.wakeAt <= at) return;
        this.clearWake();
        this.wakeAt = at;
        this.wakeTimer = this.clock.setTimeout(
            () => {
                this.wakeTimer = undefined;
                this.wakeAt = Number.POSITIVE_INFINITY;
                if (!this.started) return;
                if (this.flushing) {
                    // A flush is running: it picks up due entries itself and reschedules when it ends.
                    return;
                }
                void this.flush();
            },
            Math.max(0, at - this.clock.now())
        );
    }

    private clearWake(): void {
        if (this.wakeTimer !== undefined) this.clock.clearTimeout(this.wakeTimer);
        this.wakeTimer = undefined;
        this.wakeAt = Number.POSITIVE_INFINITY;
    }
}
