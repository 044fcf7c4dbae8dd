/* global jest */
/**
 * Jest mock of `lightning/messageService`: an in-memory bus. `publish` delivers to every subscriber of the
 * channel (as the platform does, the publisher's own subscriptions included); `deliverMessage` lets a test
 * play a publisher outside the component tree (the Open CTI page, an org's own component).
 */
import { createTestWireAdapter } from '@salesforce/wire-service-jest-util';

export const APPLICATION_SCOPE = Symbol('APPLICATION_SCOPE');
export const MessageContext = createTestWireAdapter(jest.fn());

let subscriptions = new Set();

function deliver(channel, message) {
    for (const subscription of [...subscriptions]) {
        if (subscription.channel === channel) subscription.listener(message);
    }
}

export const publish = jest.fn((context, channel, message) => deliver(channel, message));
export const subscribe = jest.fn((context, channel, listener, options) => {
    const subscription = { channel, listener, options };
    subscriptions.add(subscription);
    return subscription;
});
export const unsubscribe = jest.fn((subscription) => {
    subscriptions.delete(subscription);
});
export const createMessageContext = jest.fn(() => ({}));
export const releaseMessageContext = jest.fn();

/** A message from a publisher outside the tested tree. */
export const deliverMessage = (channel, message) => deliver(channel, message);

/** Active subscriptions (all channels). */
export const subscriberCount = () => subscriptions.size;

/** Drop every subscription (call in afterEach). */
export const resetMessageService = () => {
    subscriptions = new Set();
};
