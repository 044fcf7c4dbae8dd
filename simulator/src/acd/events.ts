/**
 * What happened in the simulator, in order: calls arriving, ringing, answered, ended; status changes;
 * pushes. Kept in memory (the last few thousand) for tests and debugging through
 * `GET /_sim/events?after=<seq>`.
 */
import type { Clock } from '../../../phone-core/src/util/clock';

/** Event names. */
export type SimEventType =
    | 'call-arrived'
    | 'call-queued'
    | 'call-offered'
    | 'offer-ended'
    | 'call-answered'
    | 'call-ivr-data'
    | 'call-leg'
    | 'call-ended'
    | 'call-recovered'
    | 'call-transferred'
    | 'recording-created'
    | 'agent-status'
    | 'push-sent'
    | 'push-failed'
    | 'conversation-sent'
    | 'conversation-failed'
    | 'fault-injected'
    | 'callback-queued'
    | 'callback-cancelled'
    | 'callback-attempt-ended';

/** One event. */
export interface SimEvent {
    seq: number;
    at: number;
    type: SimEventType;
    tenantId: string | null;
    interactionId: string | null;
    agentId: string | null;
    data: Record<string, unknown>;
}

/** A bounded, ordered log of {@link SimEvent}s. */
export class EventLog {
    private readonly items: SimEvent[] = [];
    private seq = 0;
    private readonly listeners = new Set<(event: SimEvent) => void>();

    constructor(
        private readonly clock: Clock,
        private readonly capacity = 5000
    ) {}

    /** Appends an event. */
    add(
        type: SimEventType,
        fields: { tenantId?: string | null; interactionId?: string | null; agentId?: string | null } = {},
        data: Record<string, unknown> = {}
    ): SimEvent {
        const event: SimEvent = {
            seq: ++this.seq,
            at: this.clock.now(),
            type,
            tenantId: fields.tenantId ?? null,
            interactionId: fields.interactionId ?? null,
            agentId: fields.agentId ?? null,
            data
        };
        this.items.push(event);
        if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
        for (const listener of this.listeners) listener(event);
        return event;
    }

    /** Events with `seq` greater than `after`, oldest first. */
    list(after = 0, filter: { type?: string; interactionId?: string; agentId?: string } = {}): SimEvent[] {
        return this.items.filter(
            (event) =>
                event.seq > after &&
                (filter.type === undefined || event.type === filter.type) &&
                (filter.interactionId === undefined || event.interactionId === filter.interactionId) &&
                (filter.agentId === undefined || event.agentId === filter.agentId)
        );
    }

    /** Calls `listener` for every new event; returns an unsubscribe function. */
    subscribe(listener: (event: SimEvent) => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }
}
