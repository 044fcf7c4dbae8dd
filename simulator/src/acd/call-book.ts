/**
 * The ACD's calls in progress and their records: the live {@link ActiveCall}s, every change of a record
 * (versioned and stored), the agents' legs (the ACD's own and those a transfer adds), the synthetic recording
 * of an answered call, the report of a finished record to its listeners (the push) and, at start-up, the
 * closing of calls a stop left unfinished. Routing decisions stay with the ACD.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../../../phone-core/src/util/clock';
import type { CallRecordData } from '../model';
import { generateToneWav, recordingLengthMs, type RecordingFiles } from '../recording/wav';
import type { Store } from '../store/store';
import { refs } from './acd-views';
import type { EventLog } from './events';

/** The ring of a call at one agent. */
export interface ActiveOffer {
    agentId: string;
    token: number;
    abort: AbortController;
    ringTimer: TimerHandle;
}

/** A call in progress. */
export interface ActiveCall {
    record: CallRecordData;
    offer: ActiveOffer | undefined;
    maxWaitTimer: TimerHandle | undefined;
    triedAgentIds: Set<string>;
}

/** A call not offered to anyone yet. */
export function newActiveCall(record: CallRecordData): ActiveCall {
    return { record, offer: undefined, maxWaitTimer: undefined, triedAgentIds: new Set() };
}

/** What the call book needs. */
export interface CallBookOptions {
    store: Store;
    clock: Clock;
    events: EventLog;
    recordings: RecordingFiles;
    /** The SIP Call-ID of an interaction's INVITE to or from the agent (the signalling's, when it has one). */
    sipCallIdOf: (interactionId: string) => string | undefined;
}

/** See the module documentation. */
export class CallBook {
    private readonly calls = new Map<string, ActiveCall>();
    private readonly endedListeners = new Set<(record: CallRecordData) => void>();

    constructor(private readonly options: CallBookOptions) {}

    /** Starts tracking a call (its record stored as it is). */
    add(call: ActiveCall): ActiveCall {
        this.calls.set(call.record.interactionId, call);
        this.options.store.putCall(call.record);
        return call;
    }

    /** Stops tracking a call. */
    close(interactionId: string): void {
        this.calls.delete(interactionId);
    }

    /** A call in progress. */
    get(interactionId: string): ActiveCall | undefined {
        return this.calls.get(interactionId);
    }

    /** Every call in progress. */
    all(): ActiveCall[] {
        return [...this.calls.values()];
    }

    /** The live record of a call in progress of the tenant, or the stored one. */
    record(tenantId: string, interactionId: string): CallRecordData | undefined {
        const active = this.calls.get(interactionId);
        if (active && active.record.tenantId === tenantId) return active.record;
        return this.options.store.getCall(tenantId, interactionId);
    }

    /** The record of a call in progress, or of one that ended (any tenant). */
    recordOf(interactionId: string): CallRecordData | undefined {
        const active = this.calls.get(interactionId)?.record;
        if (active) return active;
        for (const tenant of this.options.store.listTenants()) {
            const ended = this.options.store.getCall(tenant.id, interactionId);
            if (ended) return ended;
        }
        return undefined;
    }

    /** The answered, unended calls of an agent, oldest first. */
    agentInteractions(tenantId: string, agentId: string): CallRecordData[] {
        return this.all()
            .map((call) => call.record)
            .filter(
                (record) =>
                    record.tenantId === tenantId &&
                    record.agentId === agentId &&
                    record.answeredAt !== null &&
                    record.endedAt === null
            )
            .sort((a, b) => a.offeredAt - b.offeredAt);
    }

    /** How many calls of a queue wait or ring. */
    callsWaiting(tenantId: string, queueId: string): number {
        return this.all().filter(
            (call) =>
                call.record.tenantId === tenantId &&
                call.record.queueId === queueId &&
                (call.record.state === 'queued' || call.record.state === 'ringing')
        ).length;
    }

    /** Stores a changed record under a new version. */
    touch(record: CallRecordData): void {
        record.version += 1;
        record.updatedAt = this.options.clock.now();
        this.options.store.putCall(record);
    }

    /** Calls `listener` with every finished call record; returns an unsubscribe function. */
    onEnded(listener: (record: CallRecordData) => void): () => void {
        this.endedListeners.add(listener);
        return () => this.endedListeners.delete(listener);
    }

    /** Hands a finished call record to the listeners (the push). */
    reportEnded(record: CallRecordData): void {
        for (const listener of this.endedListeners) {
            try {
                listener(record);
            } catch {
                // A failing listener (e.g. the push) must not break routing.
            }
        }
    }

    // ------------------------------------------------------------------ legs

    /** An agent took the call: a leg of theirs, with the SIP Call-ID of the INVITE their phone saw. */
    addLeg(record: CallRecordData, agentId: string, agentEmail: string | null): void {
        (record.legs ??= []).push({
            agentId,
            agentEmail,
            sipCallId: this.options.sipCallIdOf(record.interactionId) ?? null,
            answeredAt: this.options.clock.now(),
            endedAt: null
        });
    }

    /**
     * A transfer reached another agent. The call record gets the agent's leg; when the record was already ended
     * (the first agent's leg hung up first) it gets a newer version and is reported again, so the push carries
     * every leg.
     */
    transferLegAnswered(interactionId: string, agentId: string, sipCallId: string): void {
        const record = this.recordOf(interactionId);
        if (!record || (record.legs ?? []).some((leg) => leg.sipCallId === sipCallId)) return;
        const agent = this.options.store.getAgent(record.tenantId, agentId);
        (record.legs ??= []).push({
            agentId,
            agentEmail: agent?.email ?? null,
            sipCallId,
            answeredAt: this.options.clock.now(),
            endedAt: null,
            viaTransfer: true
        });
        this.legChanged(record);
    }

    /** A transfer leg ended: its end time; an ended record is reported again. */
    transferLegEnded(interactionId: string, sipCallId: string): void {
        const record = this.recordOf(interactionId);
        const leg = record?.legs?.find((candidate) => candidate.sipCallId === sipCallId);
        if (!record || !leg) return;
        leg.endedAt = this.options.clock.now();
        this.legChanged(record);
    }

    private legChanged(record: CallRecordData): void {
        this.touch(record);
        this.options.events.add('call-leg', refs(record), { legs: record.legs?.length ?? 0 });
        if (record.state === 'ended') this.reportEnded(record);
    }

    // ------------------------------------------------------------------ recordings and recovery

    /** The answered call's recording: a synthetic WAV the customer's page may replace (recording/library.ts). */
    saveRecording(record: CallRecordData): void {
        const { clock, store, events } = this.options;
        const talkMs = (record.endedAt ?? clock.now()) - (record.answeredAt ?? clock.now());
        const durationMs = recordingLengthMs(talkMs);
        const digits = (record.direction === 'inbound' ? record.callerNumber : record.calleeNumber) ?? '0';
        const audio = generateToneWav(durationMs, digits);
        const id = `rec-${randomUUID()}`;
        const file = this.options.recordings.save(id, audio);
        store.putRecording({
            id,
            tenantId: record.tenantId,
            interactionId: record.interactionId,
            file,
            contentType: 'audio/wav',
            durationMs,
            sizeBytes: audio.length,
            createdAt: clock.now(),
            // A placeholder: the customer's page replaces it with the call's audio (recording/library.ts).
            source: 'synthetic'
        });
        record.recordingId = id;
        events.add('recording-created', refs(record), { recordingId: id, durationMs, source: 'synthetic' });
    }

    /** Calls left unfinished by a stop are closed as failed, once, at start-up. */
    recoverUnended(): void {
        for (const record of this.options.store.listUnendedCalls()) {
            record.state = 'ended';
            record.endedAt = this.options.clock.now();
            record.outcome = record.answeredAt !== null ? 'answered' : 'failed';
            record.hangupBy = 'system';
            this.touch(record);
            this.options.events.add('call-recovered', refs(record), { outcome: record.outcome });
        }
    }
}
