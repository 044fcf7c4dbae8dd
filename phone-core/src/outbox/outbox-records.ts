/**
 * The outbox's entries: owns the in-memory records (one per interaction id) and keeps them in step with
 * browser storage (one key per entry plus the index of ids, read-modify-write so another tab's additions are
 * not lost). Storage is read lazily on first use ({@link OutboxRecords.ensureLoaded}); unreadable values go to
 * the quarantine.
 *
 * Retention: a confirmed entry (the Task exists) expires `confirmedTtlMs` after its last change. At most
 * `maxEntries` are kept: confirmed ones are evicted oldest first, also when storage hits its quota; unconfirmed
 * ones never are (past the limit `capacityExceeded` is emitted and the entry is still kept). A record that
 * could not be written stays in memory (`durable: false`) and is written again on its next change.
 */
import type { Clock } from '../util/clock';
import {
    OUTSTANDING,
    OutboxEntryState,
    dueAt,
    parseIndex,
    parseRecord,
    toStored,
    type MemoryRecord,
    type StoredRecord
} from './outbox-entry';
import type { OutboxEmitter } from './outbox-events';
import { OutboxQuarantine } from './outbox-quarantine';
import type { OutboxStorage } from './outbox-storage';

/** Options of {@link OutboxRecords}. */
export interface OutboxRecordsOptions {
    storage: OutboxStorage;
    emitter: OutboxEmitter;
    clock: Clock;
    /** Entries kept; confirmed ones are evicted first, unconfirmed never. */
    maxEntries: number;
    /** How long a confirmed entry stays, after its last change. */
    confirmedTtlMs: number;
}

/** The outbox's records and their storage; see the module documentation. */
export class OutboxRecords {
    private readonly storage: OutboxStorage;
    private readonly emitter: OutboxEmitter;
    private readonly clock: Clock;
    private readonly quarantine: OutboxQuarantine;
    private readonly maxEntries: number;
    private readonly confirmedTtlMs: number;
    private records = new Map<string, MemoryRecord>();
    private loaded = false;

    constructor(options: OutboxRecordsOptions) {
        this.storage = options.storage;
        this.emitter = options.emitter;
        this.clock = options.clock;
        this.maxEntries = options.maxEntries;
        this.confirmedTtlMs = options.confirmedTtlMs;
        this.quarantine = new OutboxQuarantine(options.storage, options.emitter, options.clock);
    }

    /** The record of an interaction id, or undefined. */
    get(id: string): MemoryRecord | undefined {
        return this.records.get(id);
    }

    /** Every record, in no particular order. */
    values(): IterableIterator<MemoryRecord> {
        return this.records.values();
    }

    /** Every record, oldest first (ties by interaction id). */
    sorted(): MemoryRecord[] {
        return Array.from(this.records.values()).sort(
            (a, b) => a.enqueuedAt - b.enqueuedAt || (a.entry.interactionId < b.entry.interactionId ? -1 : 1)
        );
    }

    /** Number of records per state. */
    counts(): Record<OutboxEntryState, number> {
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

    /** Records the server has not confirmed. */
    unconfirmed(): number {
        let count = 0;
        for (const record of this.records.values()) if (record.state !== OutboxEntryState.Confirmed) count++;
        return count;
    }

    /** Some record still goes out by itself (pending, sending, retry-wait). */
    hasOutstanding(): boolean {
        for (const record of this.records.values()) if (OUTSTANDING.has(record.state)) return true;
        return false;
    }

    /**
     * When the outbox must wake next: the earliest due record not in flight, or the earliest expiry of a
     * confirmed one. @returns infinity when nothing is due
     */
    nextWakeAt(inFlight: (id: string) => boolean): number {
        let next = Number.POSITIVE_INFINITY;
        for (const record of this.records.values()) {
            if (record.state === OutboxEntryState.Confirmed) {
                next = Math.min(next, record.updatedAt + this.confirmedTtlMs); // the wake expires it
                continue;
            }
            if (inFlight(record.entry.interactionId)) continue;
            next = Math.min(next, dueAt(record));
        }
        return next;
    }

    /** Expire old confirmed records and make room first, then add the record `create` makes and store it. */
    add(create: () => MemoryRecord): MemoryRecord {
        this.expireConfirmed();
        this.makeRoom();
        const record = create();
        this.records.set(record.entry.interactionId, record);
        this.persist(record);
        return record;
    }

    /** Forget every record in memory (storage is left alone). @returns the records forgotten */
    clear(): Map<string, MemoryRecord> {
        const previous = this.records;
        this.records = new Map();
        return previous;
    }

    /**
     * Re-read storage: forget memory, try storage again, load. Records of `previous` that are in flight or
     * that storage does not have are kept from memory (and written again when they were not durable).
     */
    reload(inFlight: (id: string) => boolean): void {
        const previous = this.clear();
        this.loaded = false;
        this.storage.enable();
        this.ensureLoaded();
        for (const [id, record] of previous) {
            const stored = this.records.get(id);
            if (inFlight(id) || !stored) {
                this.records.set(id, record);
                if (!stored && !record.durable) this.persist(record);
            }
        }
    }

    /** Every key this outbox may have stored: the index, each record's key, every key of the scope. */
    allKeys(): Set<string> {
        const keys = new Set<string>([this.storage.indexKey]);
        for (const id of this.records.keys()) keys.add(this.storage.entryKey(id));
        for (const key of this.storage.scopeKeys()) keys.add(key);
        return keys;
    }

    /** Load storage once: the index, entries the index misses, quarantining what cannot be read. */
    ensureLoaded(): void {
        if (this.loaded) return;
        this.loaded = true;
        if (!this.storage.present) return;
        const ids: string[] = [];
        let indexNeedsWrite = false;

        const indexKey = this.storage.indexKey;
        const rawIndex = this.storage.read(indexKey);
        if (!this.storage.usable) return;
        if (rawIndex !== null) {
            const parsed = parseIndex(rawIndex);
            if (parsed) ids.push(...parsed);
            else {
                this.quarantine.quarantine(indexKey, rawIndex, 'index is not a JSON array of ids');
                indexNeedsWrite = true;
            }
        }
        for (const id of this.storage.entryIds()) {
            if (!ids.includes(id)) {
                ids.push(id);
                indexNeedsWrite = true;
            }
        }
        for (const id of ids) {
            if (this.records.has(id)) continue;
            const key = this.storage.entryKey(id);
            const raw = this.storage.read(key);
            if (raw === null) {
                indexNeedsWrite = true; // index names an entry that is gone
                continue;
            }
            const parsed = parseRecord(raw, id);
            if (typeof parsed === 'string') {
                this.quarantine.quarantine(key, raw, parsed);
                indexNeedsWrite = true;
                continue;
            }
            this.records.set(id, { ...parsed, durable: true, indexed: true });
        }
        if (indexNeedsWrite) this.writeIndex(Array.from(this.records.keys()));
        this.expireConfirmed();
        this.quarantine.reportLeftovers();
    }

    /** What storage holds for an entry now (another tab may have changed it), or undefined. */
    readStored(id: string): StoredRecord | undefined {
        const raw = this.storage.read(this.storage.entryKey(id));
        if (raw === null) return undefined;
        const parsed = parseRecord(raw, id);
        return typeof parsed === 'string' ? undefined : parsed;
    }

    /** Write the record; on quota errors evict confirmed entries (not this one) and try again. */
    persist(record: MemoryRecord): void {
        if (!this.storage.usable) {
            record.durable = false;
            return;
        }
        const id = record.entry.interactionId;
        const text = JSON.stringify(toStored(record));
        record.durable = this.storage.write(this.storage.entryKey(id), text, () =>
            this.evictOneConfirmed(record)
        );
        if (record.durable && !record.indexed) {
            record.indexed = this.addToIndex(id);
        }
    }

    /** Forget a record and delete it from storage and the index. */
    remove(record: MemoryRecord): void {
        const id = record.entry.interactionId;
        this.records.delete(id);
        if (!this.storage.usable) return;
        this.storage.removeKey(this.storage.entryKey(id));
        if (record.indexed) this.updateIndex((ids) => ids.filter((x) => x !== id));
    }

    /** Confirmed entries (the Task exists) older than `confirmedTtlMs` leave the browser. */
    expireConfirmed(): void {
        const now = this.clock.now();
        for (const record of Array.from(this.records.values())) {
            if (this.isExpired(record, now)) this.remove(record);
        }
    }

    private isExpired(record: StoredRecord, now: number): boolean {
        return record.state === OutboxEntryState.Confirmed && record.updatedAt + this.confirmedTtlMs <= now;
    }

    /** Keep at most maxEntries - 1 before adding one: evict confirmed entries, oldest first. */
    private makeRoom(): void {
        if (this.records.size < this.maxEntries) return;
        const confirmed = this.sorted().filter((r) => r.state === OutboxEntryState.Confirmed);
        while (this.records.size >= this.maxEntries && confirmed.length > 0) {
            this.remove(confirmed.shift() as MemoryRecord);
        }
        if (this.records.size >= this.maxEntries) {
            this.emitter.emit('capacityExceeded', {
                unconfirmed: this.unconfirmed() + 1,
                maxEntries: this.maxEntries
            });
        }
    }

    private evictOneConfirmed(keep: MemoryRecord | undefined): boolean {
        const victim = this.sorted().find((r) => r.state === OutboxEntryState.Confirmed && r !== keep);
        if (!victim) return false;
        this.remove(victim);
        return true;
    }

    private addToIndex(id: string): boolean {
        return this.updateIndex((ids) => (ids.includes(id) ? ids : [...ids, id]));
    }

    /** Read-modify-write of the stored index, so another tab's additions are not lost. */
    private updateIndex(change: (ids: string[]) => string[]): boolean {
        const raw = this.storage.read(this.storage.indexKey);
        const stored = raw === null ? [] : parseIndex(raw);
        const current =
            stored ??
            Array.from(this.records.values())
                .filter((r) => r.indexed)
                .map((r) => r.entry.interactionId);
        return this.writeIndex(change(current));
    }

    private writeIndex(ids: string[]): boolean {
        return this.storage.write(this.storage.indexKey, JSON.stringify(ids), () =>
            this.evictOneConfirmed(undefined)
        );
    }
}
