/**
 * An in-memory `localStorage` for tests: the same string-only API (getItem/setItem/removeItem, key/length),
 * plus what a browser can do to a page: a quota (`QuotaExceededError` like Chrome's, counted in UTF-16 code
 * units of keys and values), storage that is switched off (`SecurityError` on every call), and direct access to
 * the raw strings so a test can corrupt them.
 */
export class MemoryStorage {
    private readonly data = new Map<string, string>();
    /** Maximum total size (key + value lengths); `Infinity` for none. */
    quota: number;
    /** When true every call throws `SecurityError` (storage disabled by the browser or a policy). */
    disabled = false;
    /** Counts of calls, for assertions about write amplification. */
    readonly calls = { getItem: 0, setItem: 0, removeItem: 0 };

    constructor(options: { quota?: number; initial?: Record<string, string> } = {}) {
        this.quota = options.quota ?? Infinity;
        for (const [key, value] of Object.entries(options.initial ?? {})) this.data.set(key, value);
    }

    get length(): number {
        this.guard();
        return this.data.size;
    }

    key(index: number): string | null {
        this.guard();
        return Array.from(this.data.keys())[index] ?? null;
    }

    getItem(key: string): string | null {
        this.guard();
        this.calls.getItem++;
        return this.data.has(key) ? (this.data.get(key) as string) : null;
    }

    setItem(key: string, value: string): void {
        this.guard();
        this.calls.setItem++;
        const text = String(value);
        const previous = this.data.get(key);
        const size = this.usedBytes() - (previous === undefined ? 0 : key.length + previous.length);
        if (size + key.length + text.length > this.quota) {
            throw new DOMException(`Setting the value of '${key}' exceeded the quota.`, 'QuotaExceededError');
        }
        this.data.set(key, text);
    }

    removeItem(key: string): void {
        this.guard();
        this.calls.removeItem++;
        this.data.delete(key);
    }

    clear(): void {
        this.data.clear();
    }

    /** Raw value without the guards or counters (test inspection). */
    peek(key: string): string | undefined {
        return this.data.get(key);
    }

    /** Writes a raw value without the quota (test setup, e.g. corrupt JSON). */
    poke(key: string, value: string): void {
        this.data.set(key, value);
    }

    /** All keys (test inspection). */
    keys(): string[] {
        return Array.from(this.data.keys());
    }

    /** Total size of keys and values in UTF-16 code units. */
    usedBytes(): number {
        let total = 0;
        for (const [key, value] of this.data) total += key.length + value.length;
        return total;
    }

    private guard(): void {
        if (this.disabled) throw new DOMException('The operation is insecure.', 'SecurityError');
    }
}
