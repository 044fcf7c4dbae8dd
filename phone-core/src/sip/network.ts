/**
 * Network events port: the browser's `online` / `offline` events, behind an interface the host (or a test)
 * implements, so the SIP adapter never touches `window` directly.
 */

/** Event names the SIP adapter listens to. */
export type NetworkEventName = 'online' | 'offline';

/** addEventListener-like source of `online` / `offline` events (window in a browser). */
export interface NetworkEvents {
    addEventListener(type: NetworkEventName, listener: () => void): void;
    removeEventListener(type: NetworkEventName, listener: () => void): void;
    /** Current belief of the browser (`navigator.onLine`); undefined when unknown. */
    isOnline?(): boolean | undefined;
}

/** A source that never fires: used in environments without `window` (node, workers). */
export const silentNetworkEvents: NetworkEvents = {
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    isOnline: () => undefined
};

/**
 * The browser's `window` events when present, otherwise {@link silentNetworkEvents}.
 * `navigator.onLine` only proves a network interface is up, never that the SIP server is reachable:
 * the adapter uses `online` as a hint to retry at once, never as proof of connectivity.
 */
export function defaultNetworkEvents(): NetworkEvents {
    const g = globalThis as unknown as {
        window?: {
            addEventListener(type: string, listener: () => void): void;
            removeEventListener(type: string, listener: () => void): void;
        };
        navigator?: { onLine?: boolean };
    };
    const win = g.window;
    if (!win || typeof win.addEventListener !== 'function') {
        return silentNetworkEvents;
    }
    return {
        addEventListener: (type, listener) => win.addEventListener(type, listener),
        removeEventListener: (type, listener) => win.removeEventListener(type, listener),
        isOnline: () => (typeof g.navigator?.onLine === 'boolean' ? g.navigator.onLine : undefined)
    };
}
