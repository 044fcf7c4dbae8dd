/**
 * A tiny typed event emitter shared by all of phone-core.
 *
 * Why not Node's EventEmitter or DOM EventTarget: phone-core runs in the browser under Lightning Web
 * Security and in Jest (node); this one has no dependency, is fully typed, and a listener that throws
 * never stops the other listeners nor the code that emitted (a SIP callback must not die because a UI
 * listener failed). Listener errors go to an optional hook instead.
 *
 * The event map must be a `type` alias (an `interface` has no implicit index signature and does not
 * satisfy `Record<string, unknown>`):
 *
 * ```ts
 * type Events = { changed: { to: string }; closed: undefined };
 * const emitter = new Emitter<Events>();
 * const off = emitter.on('changed', (e) => console.log(e.to));
 * emitter.emit('changed', { to: 'Ready' });
 * off();
 * ```
 */

/** A listener for one event of an event map. */
export type Listener<Payload> = (payload: Payload) => void;

/** Called when a listener throws; the emitter itself carries on with the next listener. */
export type ListenerErrorHook = (error: unknown, eventName: string) => void;

/** Options of {@link Emitter}. */
export interface EmitterOptions {
    /** Receives exceptions thrown by listeners. Without it they are swallowed (never rethrown). */
    onListenerError?: ListenerErrorHook;
}

/** Typed event emitter; see the module documentation. */
export class Emitter<Events extends Record<string, unknown>> {
    private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();
    private readonly onListenerError: ListenerErrorHook | undefined;

    constructor(options: EmitterOptions = {}) {
        this.onListenerError = options.onListenerError;
    }

    /**
     * Adds a listener. Adding the same function twice for one event registers it once.
     * @returns a function that removes this listener (safe to call more than once)
     */
    on<K extends keyof Events>(eventName: K, listener: Listener<Events[K]>): () => void {
        let set = this.listeners.get(eventName);
        if (!set) {
            set = new Set();
            this.listeners.set(eventName, set);
        }
        set.add(listener as Listener<never>);
        return () => this.off(eventName, listener);
    }

    /** Adds a listener that is removed before its first call. @returns an unsubscribe function */
    once<K extends keyof Events>(eventName: K, listener: Listener<Events[K]>): () => void {
        const wrapper: Listener<Events[K]> = (payload) => {
            off();
            listener(payload);
        };
        const off = this.on(eventName, wrapper);
        return off;
    }

    /** Removes a listener added with {@link Emitter.on}; unknown listeners are ignored. */
    off<K extends keyof Events>(eventName: K, listener: Listener<Events[K]>): void {
        const set = this.listeners.get(eventName);
        if (!set) return;
        set.delete(listener as Listener<never>);
        if (set.size === 0) this.listeners.delete(eventName);
    }

    /**
     * Calls every listener of `eventName` with `payload`, in the order they were added. Listeners added
     * or removed during the emit take effect from the next emit. Never throws because of a listener.
     */
    emit<K extends keyof Events>(eventName: K, payload: Events[K]): void {
        const set = this.listeners.get(eventName);
        if (!set) return;
        for (const listener of Array.from(set)) {
            try {
                (listener as Listener<Events[K]>)(payload);
            } catch (error) {
                this.reportListenerError(error, String(eventName));
            }
        }
    }

    /** Number of listeners for one event, or for all events when no name is given. */
    listenerCount(eventName?: keyof Events): number {
        if (eventName !== undefined) return this.listeners.get(eventName)?.size ?? 0;
        let total = 0;
        for (const set of this.listeners.values()) total += set.size;
        return total;
    }

    /** Removes all listeners (of one event, or of every event). */
    removeAllListeners(eventName?: keyof Events): void {
        if (eventName !== undefined) this.listeners.delete(eventName);
        else this.listeners.clear();
    }

    private reportListenerError(error: unknown, eventName: string): void {
        if (!this.onListenerError) return;
        try {
            this.onListenerError(error, eventName);
        } catch {
            // The error hook itself failed: nothing sensible is left to report to.
        }
    }
}
