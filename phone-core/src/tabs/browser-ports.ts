/**
 * The real browser behind the {@link TabElection} ports: `navigator.locks`, `BroadcastChannel`, and the
 * window's `pagehide`/`pageshow`/`visibilitychange`. All allowed under Lightning Web Security.
 *
 * Missing APIs come back as `null` (the election then runs degraded); nothing here throws.
 */
import type {
    BroadcastChannelFactory,
    BroadcastChannelPort,
    LockManagerPort,
    PageLifecycleEvent,
    PageLifecyclePort
} from './tab-election';

/** Something with add/removeEventListener (a Window or Document). */
export interface EventTargetLike {
    addEventListener(type: string, listener: (event: unknown) => void): void;
    removeEventListener(type: string, listener: (event: unknown) => void): void;
}

/** The globals read here (a test can pass its own). */
export interface BrowserGlobals {
    navigator?: { locks?: LockManagerPort | null } | null;
    BroadcastChannel?: (new (name: string) => BroadcastChannelPort) | null;
    window?: EventTargetLike | null;
    document?: (EventTargetLike & { visibilityState?: string }) | null;
}

/** Ports for {@link TabElection}: spread them into its options. */
export interface TabElectionBrowserPorts {
    locks: LockManagerPort | null;
    createChannel: BroadcastChannelFactory | null;
    lifecycle: PageLifecyclePort | undefined;
}

/** Detect the browser APIs the election needs. */
export function browserTabElectionPorts(
    globals: BrowserGlobals = globalThis as unknown as BrowserGlobals
): TabElectionBrowserPorts {
    const locks = globals.navigator?.locks;
    const Channel = globals.BroadcastChannel;
    return {
        locks: locks && typeof locks.request === 'function' ? locks : null,
        createChannel: typeof Channel === 'function' ? (name) => new Channel(name) : null,
        lifecycle: globals.window
            ? browserPageLifecycle(globals.window, globals.document ?? undefined)
            : undefined
    };
}

/** `pagehide`/`pageshow` on the window and `visibilitychange` on the document. */
export function browserPageLifecycle(
    win: EventTargetLike,
    doc?: EventTargetLike & { visibilityState?: string }
): PageLifecyclePort {
    return {
        subscribe(listener: (event: PageLifecycleEvent) => void): () => void {
            const onHide = (event: unknown): void =>
                listener({ type: 'pagehide', persisted: persisted(event) });
            const onShow = (event: unknown): void =>
                listener({ type: 'pageshow', persisted: persisted(event) });
            const onVisibility = (): void =>
                listener({ type: 'visibilitychange', hidden: doc?.visibilityState === 'hidden' });
            win.addEventListener('pagehide', onHide);
            win.addEventListener('pageshow', onShow);
            doc?.addEventListener('visibilitychange', onVisibility);
            return () => {
                win.removeEventListener('pagehide', onHide);
                win.removeEventListener('pageshow', onShow);
                doc?.removeEventListener('visibilitychange', onVisibility);
            };
        }
    };
}

function persisted(event: unknown): boolean {
    return (
        typeof event === 'object' && event !== null && (event as { persisted?: unknown }).persisted === true
    );
}
