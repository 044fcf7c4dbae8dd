/**
 * BroadcastChannel for simulated tabs in one process, behaving like the browser's:
 * - a message is structured-cloned when posted (functions throw DataCloneError) and delivered asynchronously
 *   (in a later microtask by default) to every OTHER open channel object with the same name (also in the same
 *   tab), never to the sender;
 * - messages from one sender arrive in the order they were posted;
 * - posting on a closed channel throws InvalidStateError; a channel closed before delivery gets nothing.
 *
 * Test controls: `closeTab` (the document goes away), `freezeTab`/`thawTab` (a frozen tab neither receives
 * nor sends; what it would have received is queued and delivered on thaw, like a frozen page's task queue).
 */
import type { BroadcastChannelFactory, BroadcastChannelPort } from '../../src/tabs/tab-election';

type MessageListener = (event: { data: unknown }) => void;

/** One channel object. */
export class FakeBroadcastChannel implements BroadcastChannelPort {
    private readonly listeners = new Set<MessageListener>();
    closed = false;

    constructor(
        private readonly bus: FakeBroadcastBus,
        readonly tabId: string,
        readonly name: string
    ) {}

    postMessage(message: unknown): void {
        if (this.closed) throw new DOMException('BroadcastChannel is closed', 'InvalidStateError');
        this.bus.post(this, structuredClone(message));
    }

    addEventListener(type: 'message', listener: MessageListener): void {
        if (type === 'message') this.listeners.add(listener);
    }

    removeEventListener(type: 'message', listener: MessageListener): void {
        if (type === 'message') this.listeners.delete(listener);
    }

    close(): void {
        this.closed = true;
        this.bus.forget(this);
    }

    /** Called by the bus. */
    deliver(data: unknown): void {
        if (this.closed) return;
        for (const listener of Array.from(this.listeners)) listener({ data });
    }
}

/** The BroadcastChannel world of one simulated origin. */
export class FakeBroadcastBus {
    private readonly channels = new Set<FakeBroadcastChannel>();
    private readonly frozen = new Map<string, Array<() => void>>();
    private readonly schedule: (fn: () => void) => void;
    /** Every message posted (after cloning), for assertions. */
    readonly log: Array<{ tabId: string; name: string; data: unknown }> = [];

    constructor(options: { schedule?: (fn: () => void) => void } = {}) {
        // A microtask, not a timer: still asynchronous, and it needs no fake-timer time to pass (Jest's fake
        // timers give a zero-delay timer created inside a timer callback 1 ms of delay).
        this.schedule = options.schedule ?? ((fn) => queueMicrotask(fn));
    }

    /** `(name) => new BroadcastChannel(name)` for one tab. */
    factoryFor(tabId: string): BroadcastChannelFactory {
        return (name) => {
            const channel = new FakeBroadcastChannel(this, tabId, name);
            this.channels.add(channel);
            return channel;
        };
    }

    /** The tab's document goes away. */
    closeTab(tabId: string): void {
        for (const channel of Array.from(this.channels)) if (channel.tabId === tabId) channel.close();
        this.frozen.delete(tabId);
    }

    freezeTab(tabId: string): void {
        if (!this.frozen.has(tabId)) this.frozen.set(tabId, []);
    }

    thawTab(tabId: string): void {
        const queued = this.frozen.get(tabId) ?? [];
        this.frozen.delete(tabId);
        for (const run of queued) this.schedule(run);
    }

    /** Messages of a given type posted by a tab (reads `data.t`, the election's message type). */
    sent(tabId: string, type?: string): unknown[] {
        return this.log
            .filter((m) => m.tabId === tabId)
            .map((m) => m.data)
            .filter((d) => type === undefined || (d as { t?: unknown }).t === type);
    }

    /** @internal */
    post(sender: FakeBroadcastChannel, data: unknown): void {
        if (this.frozen.has(sender.tabId)) {
            // A frozen page runs no code; its timers' posts happen when it is thawed.
            this.frozen.get(sender.tabId)?.push(() => this.post(sender, data));
            return;
        }
        this.log.push({ tabId: sender.tabId, name: sender.name, data });
        for (const receiver of Array.from(this.channels)) {
            if (receiver === sender || receiver.name !== sender.name || receiver.closed) continue;
            const deliver = (): void => {
                const queue = this.frozen.get(receiver.tabId);
                if (queue) queue.push(() => receiver.deliver(data));
                else receiver.deliver(data);
            };
            this.schedule(deliver);
        }
    }

    /** @internal */
    forget(channel: FakeBroadcastChannel): void {
        this.channels.delete(channel);
    }
}
