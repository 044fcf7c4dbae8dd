/**
 * `EventJournal`: the session's one-off events (screen pop, call events, notifications) and their sequence.
 *
 * Owns: the last {@link MAX_EVENTS} event records published in the view state, the sequence numbers (clock
 * based, `now * 1000 + n`, so they keep growing across leaders and every tab emits each event once), which
 * sequence this tab already emitted, and the `logged` bookkeeping: the payload waiting for the outbox's `sent`
 * (with the Task id) and the interactions whose `logged` was announced (once per interaction, also when the
 * log is re-sent or a later leader sees it saved).
 *
 * Talks to: a clock and a `changed` callback (the session marks its state dirty). Knows nothing of SIP,
 * the election or the outbox beyond the items handed to it.
 *
 * @packageDocumentation
 */
import type { CallLogEntry, OutboxItem } from '../outbox/call-log-outbox';
import { normalizePhoneNumber, type PhoneNumberOptions } from '../phone-number';
import type { Clock } from '../util/clock';
import type { InteractionRecord } from './interaction';
import type { PhoneCallEvent, PhoneCallEventKind, PhoneEventRecord, PhoneNotificationKind } from './types';

/** One-off events kept in the state for followers. */
const MAX_EVENTS = 20;

/** What the journal needs from the session. */
export interface EventJournalPorts {
    readonly clock: Clock;
    readonly numberOptions: PhoneNumberOptions;
    readonly unknownCallerName: string;
    /** Something changed: publish the state (coalesced by the session). */
    changed(): void;
}

/** The session's one-off events; see the module documentation. */
export class EventJournal {
    private records: PhoneEventRecord[] = [];
    private lastSeq = 0;
    private emittedSeq: number;
    /** `logged` payloads of logs in the outbox, emitted (with the taskId) when the server saved the Task. */
    private readonly loggedEvents = new Map<string, PhoneCallEvent>();
    /** Interactions whose `logged` was emitted (by this leader, or before: their outbox item has a taskId). */
    private readonly announcedLogs = new Set<string>();

    constructor(private readonly ports: EventJournalPorts) {
        this.emittedSeq = ports.clock.now() * 1000 - 1;
    }

    /** The records to publish in the view state. */
    get events(): PhoneEventRecord[] {
        return this.records;
    }

    /** This tab leads now: its sequence continues after everything it already emitted as a follower. */
    continueAsLeader(): void {
        this.lastSeq = Math.max(this.lastSeq, this.emittedSeq);
    }

    /** The records of `events` this tab has not emitted yet, in order; marks them emitted. */
    takeUnemitted(events: readonly PhoneEventRecord[]): PhoneEventRecord[] {
        const fresh: PhoneEventRecord[] = [];
        for (const record of events) {
            if (record.seq <= this.emittedSeq) continue;
            this.emittedSeq = record.seq;
            fresh.push(record);
        }
        return fresh;
    }

    push<T extends PhoneEventRecord['type']>(
        type: T,
        payload: Extract<PhoneEventRecord, { type: T }>['payload']
    ): void {
        const clock = this.ports.clock;
        const seq = Math.max(this.lastSeq + 1, this.emittedSeq + 1, clock.now() * 1000);
        this.lastSeq = seq;
        this.records = [...this.records, { seq, at: clock.now(), type, payload } as PhoneEventRecord].slice(
            -MAX_EVENTS
        );
        this.ports.changed();
    }

    pushCallEvent(kind: PhoneCallEventKind, record: InteractionRecord): void {
        this.push('callEvent', callEventOf(kind, record));
    }

    pushNotification(kind: PhoneNotificationKind, record: InteractionRecord): void {
        this.push('notification', {
            kind,
            tag: `ccphone-${record.interactionId}`,
            interactionId: record.interactionId,
            name: record.caller.name,
            company: record.caller.company,
            numberDisplay: record.caller.numberDisplay,
            ...(record.campaignName ? { campaign: record.campaignName } : {}),
            ...(record.queue ? { queue: record.queue } : {})
        });
    }

    /** The interaction went to the outbox: its `logged` waits for the server's `sent`. */
    awaitLogged(record: InteractionRecord): void {
        this.loggedEvents.set(record.interactionId, callEventOf('logged', record));
    }

    /** The log was dismissed: no `logged` for it. */
    forgetLogged(interactionId: string): void {
        this.loggedEvents.delete(interactionId);
    }

    /** A previous leader emitted `logged` for every item it saw saved (it stored the taskId then). */
    seedAnnounced(items: readonly OutboxItem[]): void {
        this.announcedLogs.clear();
        this.loggedEvents.clear();
        for (const item of items) {
            if (item.taskId !== undefined) this.announcedLogs.add(item.interactionId);
        }
    }

    /** The server saved the Task: `logged` once per interaction (later re-sends update the same Task). */
    announceLogged(item: OutboxItem, taskId: string): void {
        const id = item.interactionId;
        const payload = this.loggedEvents.get(id) ?? this.loggedEventOfEntry(item.entry);
        this.loggedEvents.delete(id);
        if (this.announcedLogs.has(id)) return;
        this.announcedLogs.add(id);
        this.push('callEvent', { ...payload, taskId });
    }

    /** A log another leader queued: its call is gone, the entry says what the event needs (no call id). */
    private loggedEventOfEntry(entry: CallLogEntry): PhoneCallEvent {
        const other = entry.direction === 'inbound' ? entry.fromNumber : entry.toNumber;
        const kind = normalizePhoneNumber(other, this.ports.numberOptions).kind;
        const withheld = kind === 'anonymous' || kind === 'empty';
        const payload: PhoneCallEvent = {
            kind: 'logged',
            interactionId: entry.interactionId,
            callId: '',
            direction: entry.direction,
            number: withheld ? '' : other,
            name: entry.displayName === this.ports.unknownCallerName ? '' : (entry.displayName ?? ''),
            outcome: entry.outcome,
            durationSeconds: entry.durationSeconds
        };
        const recordId = entry.whoId ?? entry.whatId;
        if (recordId) payload.recordId = recordId;
        return payload;
    }
}

function callEventOf(kind: PhoneCallEventKind, record: InteractionRecord): PhoneCallEvent {
    const caller = record.caller;
    const withheld = caller.numberKind === 'anonymous' || caller.numberKind === 'empty';
    const payload: PhoneCallEvent = {
        kind,
        interactionId: record.interactionId,
        callId: record.callId,
        direction: record.direction,
        number: withheld ? '' : (caller.e164 ?? caller.rawNumber),
        name: caller.name
    };
    if (record.related) payload.recordId = record.related.id;
    if ((kind === 'ended' || kind === 'logged') && record.outcome) payload.outcome = record.outcome;
    if ((kind === 'ended' || kind === 'logged') && record.durationSeconds !== undefined) {
        payload.durationSeconds = record.durationSeconds;
    }
    return payload;
}
