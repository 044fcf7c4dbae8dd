/**
 * The outbox's keys in browser storage: owns the storage handle, the key names of one scope
 * (`<keyPrefix>:<scope>:index`, `…:e:<id>`, `…:q:…`) and whether storage still works. Every failure is
 * reported as a `storageError` and never thrown: the outbox then keeps entries in memory only.
 *
 * A read that throws disables storage until {@link OutboxStorage.enable} (the outbox's reload); a write that
 * hits the quota asks the caller to free room (`evict`) and tries again.
 */
import { errorText, isQuotaError, type KeyValueStorage } from './outbox-entry';
import type { OutboxEmitter } from './outbox-events';

/** Browser storage of one outbox scope; see the module documentation. */
export class OutboxStorage {
    private disabled = false;

    /** @param base `<keyPrefix>:<scope>`, the prefix of every key of this outbox */
    constructor(
        private readonly storage: KeyValueStorage | null,
        readonly base: string,
        private readonly emitter: OutboxEmitter
    ) {}

    /** There is a storage and it has not failed a read. */
    get usable(): boolean {
        return this.storage !== null && !this.disabled;
    }

    /** There is a storage at all (it may be disabled). */
    get present(): boolean {
        return this.storage !== null;
    }

    /** Try storage again after a failed read (a reload). */
    enable(): void {
        this.disabled = false;
    }

    /** The key of the stored list of entry ids. */
    get indexKey(): string {
        return `${this.base}:index`;
    }

    /** The prefix of every entry key. */
    get entryPrefix(): string {
        return `${this.base}:e:`;
    }

    /** The key of one entry. */
    entryKey(id: string): string {
        return this.entryPrefix + id;
    }

    /** @returns the stored text, or null (absent, no storage, or storage failed: then it is disabled) */
    read(key: string): string | null {
        if (!this.storage || this.disabled) return null;
        try {
            return this.storage.getItem(key);
        } catch (error) {
            this.disabled = true;
            this.emitter.emit('storageError', { operation: 'read', key, message: errorText(error) });
            return null;
        }
    }

    /**
     * Write `text`; on a quota error call `evict` (which frees one item and returns true, or returns false when
     * there is nothing to free) and try again. @returns whether the text is stored
     */
    write(key: string, text: string, evict: () => boolean): boolean {
        const storage = this.storage;
        if (!storage) return false;
        for (;;) {
            try {
                storage.setItem(key, text);
                return true;
            } catch (error) {
                if (isQuotaError(error) && evict()) continue;
                this.emitter.emit('storageError', { operation: 'write', key, message: errorText(error) });
                return false;
            }
        }
    }

    /** Remove a key (reported, not thrown, when storage refuses). */
    removeKey(key: string): void {
        try {
            this.storage?.removeItem(key);
        } catch (error) {
            this.emitter.emit('storageError', { operation: 'remove', key, message: errorText(error) });
        }
    }

    /** Write `text` under `target` and remove `source`, in that order. @throws what the storage throws */
    moveOrThrow(source: string, target: string, text: string): void {
        if (!this.storage) return;
        this.storage.setItem(target, text);
        this.storage.removeItem(source);
    }

    /** Every stored key of this scope (needs `length`/`key`; else none). */
    scopeKeys(): string[] {
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

    /** The ids of every stored entry of this scope, whether the index names them or not. */
    entryIds(): string[] {
        return this.scopeKeys()
            .filter((key) => key.startsWith(this.entryPrefix))
            .map((key) => key.slice(this.entryPrefix.length));
    }

    /** Delete these keys (even while disabled). @returns how many of them existed */
    purge(keys: Iterable<string>): number {
        let removed = 0;
        const storage = this.storage;
        if (!storage) return removed;
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
        return removed;
    }
}
