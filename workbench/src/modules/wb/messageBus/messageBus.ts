/**
 * The workbench's Lightning Message Service: one in-page bus. Channels are the tokens that
 * `@salesforce/messageChannel/Name__c` imports resolve to (one frozen object per channel name, so every
 * importer gets the same token). As on the platform, a publisher's own subscriptions receive its messages,
 * and delivery is asynchronous (a microtask), so a publish never re-enters the publisher.
 *
 * Every message is also kept in a short log that tests and developers can read (`window.workbench.messages`).
 */

/** A message channel token. */
export interface MessageChannelToken {
    readonly channelName: string;
}

interface Subscription {
    readonly channel: string;
    readonly listener: (message: unknown) => void;
    active: boolean;
}

const channels = new Map<string, MessageChannelToken>();
const subscriptions = new Set<Subscription>();
const log: Array<{ channel: string; message: unknown; at: number }> = [];
const LOG_SIZE = 200;

/** The token of a channel (`WebPhone__c`). */
export function messageChannel(name: string): MessageChannelToken {
    let token = channels.get(name);
    if (!token) {
        token = Object.freeze({ channelName: name });
        channels.set(name, token);
    }
    return token;
}

function channelNameOf(channel: unknown): string {
    if (typeof channel === 'string') return channel;
    const name = (channel as { channelName?: unknown } | null)?.channelName;
    if (typeof name !== 'string') throw new Error('lightning/messageService: not a message channel');
    return name;
}

/** Publishes a message (a plain object) to every subscriber of the channel. */
export function publishMessage(channel: unknown, message: unknown): void {
    const name = channelNameOf(channel);
    // subscribers get a copy, as the platform serialises messages
    const copy = message === undefined ? undefined : JSON.parse(JSON.stringify(message));
    log.push({ channel: name, message: copy, at: Date.now() });
    if (log.length > LOG_SIZE) log.shift();
    const targets = [...subscriptions].filter((subscription) => subscription.channel === name);
    queueMicrotask(() => {
        for (const subscription of targets) {
            if (!subscription.active) continue;
            try {
                subscription.listener(copy);
            } catch (error) {
                console.error('lightning/messageService: a subscriber threw', error);
            }
        }
    });
}

/** Subscribes to a channel; returns the subscription to pass to {@link unsubscribeMessages}. */
export function subscribeMessages(channel: unknown, listener: (message: unknown) => void): object {
    const subscription: Subscription = { channel: channelNameOf(channel), listener, active: true };
    subscriptions.add(subscription);
    return subscription;
}

/** Ends a subscription. */
export function unsubscribeMessages(subscription: unknown): void {
    const found = subscription as Subscription;
    if (found && subscriptions.has(found)) {
        found.active = false;
        subscriptions.delete(found);
    }
}

/** The last messages published (oldest first). */
export function messageLog(): ReadonlyArray<{ channel: string; message: unknown; at: number }> {
    return [...log];
}
