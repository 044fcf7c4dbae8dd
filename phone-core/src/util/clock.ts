/**
 * Time source for phone-core. Every timer and timestamp in the core goes through an injected
 * {@link Clock} so tests drive time by hand (no wall-clock assertions) and the host can supply its own.
 */

/** Opaque handle returned by {@link Clock.setTimeout} (a number in browsers, an object in Node). */
export type TimerHandle = unknown;

/** An injectable clock: current time in epoch milliseconds plus one-shot timers. */
export interface Clock {
    /** Current time in milliseconds since the epoch. */
    now(): number;
    /** Calls `callback` once after `delayMs` milliseconds. */
    setTimeout(callback: () => void, delayMs: number): TimerHandle;
    /** Cancels a timer; unknown or already-fired handles are ignored. */
    clearTimeout(handle: TimerHandle): void;
}

/** The real clock: `Date.now()` and the global timers. */
export const systemClock: Clock = {
    now: () => Date.now(),
    setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0])
};
