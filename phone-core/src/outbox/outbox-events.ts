/**
 * The events of the call-log outbox ({@link CallLogOutboxEvents}), in a module of their own so every part of the
 * outbox (storage, quarantine, records, send loop) can report through the one emitter the outbox owns without
 * importing the outbox itself.
 */
import type { Emitter } from '../util/emitter';
import type { OutboxItem } from './outbox-entry';

/** Events of the call-log outbox (`CallLogOutbox`). */
export type CallLogOutboxEvents = {
    /** An entry was added, or merged into an existing one (`changed` false when the merge changed nothing). */
    queued: { item: OutboxItem; merged: boolean; changed: boolean };
    /** The server saved the Task. */
    sent: { item: OutboxItem; taskId: string };
    /** A retryable failure; the next attempt is at `item.nextAttemptAt`. */
    failed: { item: OutboxItem; message: string };
    /** A rejection retrying cannot fix: show it to the agent. */
    needsAttention: { item: OutboxItem; message: string };
    /** A flush ended with nothing left to send automatically (needs-attention entries are counted, not sent). */
    drained: { needsAttention: number };
    /** The agent dismissed a needs-attention entry. */
    dismissed: { item: OutboxItem };
    /** A stored value could not be read and was moved aside. */
    /** `raw`: the unreadable text, for the listener to report; the stored copy goes once this was heard. */
    quarantined: { key: string; reason: string; raw: string };
    /** Storage refused a read or write (quota, disabled storage). */
    storageError: { operation: 'read' | 'write' | 'remove'; key: string; message: string };
    /** More than `maxEntries` unconfirmed entries: nothing is dropped, but the agent/admin should know. */
    capacityExceeded: { unconfirmed: number; maxEntries: number };
};

/** The outbox's one emitter, shared by its parts. */
export type OutboxEmitter = Emitter<CallLogOutboxEvents>;
