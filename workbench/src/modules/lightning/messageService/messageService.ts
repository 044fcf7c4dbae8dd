/**
 * Workbench implementation of `lightning/messageService` (Lightning Message Service) over the in-page bus
 * (wb/messageBus). Scopes do not matter in a single page: every subscription is application scoped.
 */
import { messageLog, publishMessage, subscribeMessages, unsubscribeMessages } from 'wb/messageBus';

export const APPLICATION_SCOPE = Symbol('APPLICATION_SCOPE');

/** A message context (the platform's is opaque; components only pass it back). */
interface WorkbenchMessageContext {
    readonly workbenchMessageContext: true;
}

function newContext(): WorkbenchMessageContext {
    return Object.freeze({ workbenchMessageContext: true as const });
}

/** Wire adapter: `@wire(MessageContext) messageContext;`. */
export class MessageContext {
    constructor(private readonly dataCallback: (context: WorkbenchMessageContext) => void) {}
    connect(): void {
        this.dataCallback(newContext());
    }
    disconnect(): void {
        // nothing to release
    }
    update(): void {
        // no configuration
    }
}

export function createMessageContext(): WorkbenchMessageContext {
    return newContext();
}

export function releaseMessageContext(_context: unknown): void {
    // nothing to release
}

export function publish(_context: unknown, messageChannel: unknown, message?: unknown): void {
    publishMessage(messageChannel, message);
}

export function subscribe(
    _context: unknown,
    messageChannel: unknown,
    listener: (message: unknown) => void,
    _options?: { scope?: symbol }
): object {
    return subscribeMessages(messageChannel, listener);
}

export function unsubscribe(subscription: unknown): void {
    unsubscribeMessages(subscription);
}

export function isInContext(_element: unknown, _context: unknown): boolean {
    return true;
}

/** Not a platform export: the last messages, for the workbench's debug hook. */
export function recentMessages() {
    return messageLog();
}
