// Polling for SIP and media facts. A timeout only bounds a hang; it is never the thing asserted.

/**
 * Polls `probe` until it returns a truthy value.
 * @template T
 * @param {() => Promise<T> | T} probe
 * @param {{ what: string, timeoutMs?: number, intervalMs?: number }} options
 * @returns {Promise<T>}
 */
export async function waitFor(probe, { what, timeoutMs = 20000, intervalMs = 50 }) {
    const started = Date.now();
    for (;;) {
        const value = await probe();
        if (value) return value;
        if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
}
