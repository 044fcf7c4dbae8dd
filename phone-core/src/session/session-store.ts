/**
 * Browser storage of the session (leader tab only writes): the interactions not yet logged (call summary and
 * wrap-up draft, F12) and the recent calls (F13). Keys are scoped by org and user:
 * `ccphone.session.v1:<org>:<user>:interactions` and `…:recent`.
 *
 * Storage is never trusted: unreadable or malformed values are ignored (the interactions key is moved aside
 * to `…:q:<time>` so nothing the agent typed is overwritten), and a throwing or full storage only turns
 * {@link PhoneSessionStore.available} false - the session then keeps everything in memory.
 */
import type { KeyValueStorage } from '../outbox/call-log-outbox';
import { parseInteractionRecord, type InteractionRecord } from './interaction';
import type { RecentCall } from './types';

/** Key prefix of every session key. */
export const SESSION_STORAGE_PREFIX = 'ccphone.session.v1';

/** Storage of open interactions and recent calls; see the module documentation. */
export class PhoneSessionStore {
    private readonly storage: KeyValueStorage | null;
    private readonly base: string;
    private healthy = true;

    constructor(
        storage: KeyValueStorage | null,
        scope: string,
        private readonly now: () => number
    ) {
        this.storage = storage;
        this.base = `${SESSION_STORAGE_PREFIX}:${scope}`;
    }

    /** False after storage refused a read or write (or when there is none). */
    get available(): boolean {
        return this.storage !== null && this.healthy;
    }

    /** Sign-out: deletes every key of this org and user (interactions, recent calls, quarantine copies). */
    purge(): void {
        const keys = new Set([`${this.base}:interactions`, `${this.base}:recent`]);
        const storage = this.storage;
        try {
            if (storage && typeof storage.key === 'function' && typeof storage.length === 'number') {
                for (let i = 0; i < storage.length; i++) {
                    const key = storage.key(i);
                    if (key !== null && key.startsWith(`${this.base}:`)) keys.add(key);
                }
            }
        } catch {
            this.healthy = false; // the known keys below still go
        }
        for (const key of keys) this.remove(key);
    }

    /** Interactions stored by this or an earlier leader (malformed ones skipped). */
    loadInteractions(): InteractionRecord[] {
        const key = `${this.base}:interactions`;
        const raw = this.read(key);
        if (raw === null) return [];
        let value: unknown;
        try {
            value = JSON.parse(raw);
        } catch {
            value = undefined;
        }
        if (!Array.isArray(value)) {
            this.quarantine(key, raw);
            return [];
        }
        const records: InteractionRecord[] = [];
        for (const item of value) {
            const record = parseInteractionRecord(item);
            if (record) records.push(record);
        }
        return records;
    }

    /** Replaces the stored interactions. @returns false when storage refused the write */
    saveInteractions(records: InteractionRecord[]): boolean {
        const key = `${this.base}:interactions`;
        if (records.length === 0) return this.remove(key);
        return this.write(key, JSON.stringify(records));
    }

    /** Recent calls, newest first (malformed entries skipped). */
    loadRecent(): RecentCall[] {
        const raw = this.read(`${this.base}:recent`);
        if (raw === null) return [];
        try {
            const value: unknown = JSON.parse(raw);
            if (!Array.isArray(value)) return [];
            return value.filter(isRecentCall);
        } catch {
            return [];
        }
    }

    /** Replaces the stored recent calls. */
    saveRecent(calls: RecentCall[]): boolean {
        return this.write(`${this.base}:recent`, JSON.stringify(calls));
    }

    private read(key: string): string | null {
        if (!this.storage) return null;
        try {
            const value = this.storage.getItem(key);
            this.healthy = true;
            return value;
        } catch {
            this.healthy = false;
            return null;
        }
    }

    private write(key: string, value: string): boolean {
        if (!this.storage) return false;
        try {
            this.storage.setItem(key, value);
            this.healthy = true;
            return true;
        } catch {
            this.healthy = false;
            return false;
        }
    }

    private remove(key: string): boolean {
        if (!this.storage) return false;
        try {
            this.storage.removeItem(key);
            this.healthy = true;
            return true;
        } catch {
            this.healthy = false;
            return false;
        }
    }

    private quarantine(key: string, raw: string): void {
        this.write(`${this.base}:q:${this.now()}`, raw);
        this.remove(key);
    }
}

function isRecentCall(value: unknown): value is RecentCall {
    if (!value || typeof value !== 'object') return false;
    const r = value as Partial<RecentCall>;
    return (
        typeof r.interactionId === 'string' &&
        (r.direction === 'inbound' || r.direction === 'outbound') &&
        typeof r.number === 'string' &&
        typeof r.startedAt === 'number' &&
        typeof r.outcome === 'string'
    );
}
