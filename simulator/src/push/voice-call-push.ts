/**
 * Salesforce Voice (partner telephony): what the contact centre does on Salesforce's side of a call. With
 * `--telephony-url`, the simulator calls the telephony integration API there, as a telephony provider must
 * (docs/voice-partner-telephony.md):
 *
 * - `POST /telephony/v1/voiceCalls` when a call starts (an inbound call is first offered to an agent, an
 *   agent's outbound call is placed): the VoiceCall with `vendorCallKey` = the interaction id, the one the
 *   connector gives the softphone as `callId`;
 * - `PATCH /telephony/v1/voiceCalls/{vendorCallKey}` when it ends (times, queue, hold) and again when its
 *   recording is stored (`recordingLocation`, `totalRecordingDuration`);
 * - `POST /telephony/v1/voiceCalls` with `parentVoiceCallId` = the interaction for each consultation or
 *   transfer leg (`call-transferred`): one VoiceCall per leg, `initiationMethod` Transfer, the leg's key as
 *   its vendor call key. An attended transfer continues its consultation leg: no second child.
 *
 * Salesforce authorises these calls with a JWT signed by the provider's key; the local VoiceCall store of
 * the workbench takes none. Failures are logged as `push-failed` events and retried once; the contact
 * centre's own call records stay the source of truth (the update can also create a missing VoiceCall).
 */
import type { EventLog, SimEvent } from '../acd/events';
import { iso, recordingAudioUrl } from '../api/mappers';
import type { CallRecordData } from '../model';
import type { Store } from '../store/store';

/** Options of {@link VoiceCallPusher}. */
export interface VoiceCallPusherOptions {
    /** Base URL of the telephony integration API. */
    url: string;
    callCenterApiName: string;
    tenantId: string;
    store: Store;
    events: EventLog;
    /** The simulator's base URL (recording links). */
    baseUrl: () => string;
    /** Test seam (default global fetch). */
    fetch?: typeof fetch;
}

/** Body of "Create a Voice Call Record". */
export interface VoiceCallCreate {
    callCenterApiName: string;
    vendorCallKey: string;
    to: string;
    from: string;
    initiationMethod: 'Inbound' | 'Outbound' | 'Transfer';
    /** Transfer and consultation legs: the parent VoiceCall (its vendor call key). */
    parentVoiceCallId?: string;
    startTime: string;
    participants: Array<{ participantKey: string; type: 'END_USER' | 'AGENT' }>;
    /** Queue or campaign of the call (a custom attribute here). */
    callAttributes?: string;
}

/** Body of "Update a Voice Call Record". */
export interface VoiceCallUpdate {
    startTime?: string;
    endTime?: string;
    acceptTime?: string;
    fromNumber?: string;
    queue?: string;
    agentInteractionDuration?: number;
    recordingLocation?: string;
    totalRecordingDuration?: number;
    /** Not in Salesforce's list: the contact centre's outcome, for the local store's list. */
    callOutcome?: string;
}

/** Keeps the VoiceCall records of Salesforce Voice in step with the simulator's calls. */
export class VoiceCallPusher {
    private readonly options: VoiceCallPusherOptions;
    private readonly created = new Set<string>();
    private readonly pending = new Set<Promise<void>>();
    private readonly unsubscribe: () => void;

    constructor(options: VoiceCallPusherOptions) {
        this.options = options;
        this.unsubscribe = options.events.subscribe((event) => this.onEvent(event));
    }

    /** A call ended (the ACD's call record). */
    callEnded(record: CallRecordData): void {
        if (record.tenantId !== this.options.tenantId) return;
        this.track(
            this.patch(record.interactionId, {
                startTime: iso(record.offeredAt),
                endTime: record.endedAt === null ? undefined : iso(record.endedAt),
                acceptTime: record.answeredAt === null ? undefined : iso(record.answeredAt),
                fromNumber: record.callerNumber ?? undefined,
                queue: record.queueName ?? record.campaignName ?? undefined,
                agentInteractionDuration:
                    record.answeredAt !== null && record.endedAt !== null
                        ? Math.round((record.endedAt - record.answeredAt) / 1000)
                        : 0,
                callOutcome: record.outcome ?? undefined
            })
        );
    }

    /** Resolves when every request started so far has settled (tests, shutdown). */
    async flush(): Promise<void> {
        while (this.pending.size > 0) await Promise.all(Array.from(this.pending));
    }

    close(): void {
        this.unsubscribe();
    }

    private onEvent(event: SimEvent): void {
        if (event.tenantId !== this.options.tenantId || !event.interactionId) return;
        const starts =
            event.type === 'call-offered' ||
            (event.type === 'call-arrived' && event.data.direction === 'outbound');
        if (starts && !this.created.has(event.interactionId)) {
            this.created.add(event.interactionId);
            const record = this.options.store.getCall(event.tenantId, event.interactionId);
            if (record) this.track(this.create(record));
        } else if (event.type === 'call-transferred' && event.data.newLeg === true) {
            const record = this.options.store.getCall(event.tenantId, event.interactionId);
            const legKey = event.data.legKey;
            if (record && typeof legKey === 'string' && !this.created.has(legKey)) {
                this.created.add(legKey);
                this.track(this.createLeg(record, legKey, event.agentId ?? 'unassigned', event.at));
            }
        } else if (event.type === 'recording-created') {
            const recordingId = event.data.recordingId;
            const recording =
                typeof recordingId === 'string'
                    ? this.options.store.getRecording(event.tenantId, recordingId)
                    : undefined;
            if (recording) {
                this.track(
                    this.patch(event.interactionId, {
                        recordingLocation: recordingAudioUrl(this.options.baseUrl(), recording.id),
                        totalRecordingDuration: Math.round(recording.durationMs / 1000)
                    })
                );
            }
        }
    }

    private create(record: CallRecordData): Promise<void> {
        const inbound = record.direction === 'inbound';
        const customer = (inbound ? record.callerNumber : record.calleeNumber) ?? 'anonymous';
        const agent = record.agentId ?? 'unassigned';
        const body: VoiceCallCreate = {
            callCenterApiName: this.options.callCenterApiName,
            vendorCallKey: record.interactionId,
            from: inbound ? customer : (record.callerNumber ?? agent),
            to: inbound ? (record.calleeNumber ?? agent) : customer,
            initiationMethod: inbound ? 'Inbound' : 'Outbound',
            startTime: iso(record.offeredAt),
            participants: [{ participantKey: customer, type: 'END_USER' }],
            callAttributes: JSON.stringify({ queue: record.queueName, campaign: record.campaignName })
        };
        return this.send('POST', '/telephony/v1/voiceCalls', body, record.interactionId);
    }

    /** A consultation or transfer leg of `parent` to the agent `targetAgentId`. */
    private createLeg(
        parent: CallRecordData,
        legKey: string,
        targetAgentId: string,
        at: number
    ): Promise<void> {
        const customer =
            (parent.direction === 'inbound' ? parent.callerNumber : parent.calleeNumber) ?? 'anonymous';
        const body: VoiceCallCreate = {
            callCenterApiName: this.options.callCenterApiName,
            vendorCallKey: legKey,
            parentVoiceCallId: parent.interactionId,
            from: customer,
            to: targetAgentId,
            initiationMethod: 'Transfer',
            startTime: iso(at),
            participants: [{ participantKey: customer, type: 'END_USER' }],
            callAttributes: JSON.stringify({ queue: parent.queueName, campaign: parent.campaignName })
        };
        return this.send('POST', '/telephony/v1/voiceCalls', body, parent.interactionId);
    }

    private patch(vendorCallKey: string, body: VoiceCallUpdate): Promise<void> {
        return this.send(
            'PATCH',
            `/telephony/v1/voiceCalls/${encodeURIComponent(vendorCallKey)}`,
            body,
            vendorCallKey
        );
    }

    private async send(method: string, path: string, body: object, interactionId: string): Promise<void> {
        const doFetch = this.options.fetch ?? fetch;
        let lastError = '';
        for (let attempt = 0; attempt < 2; attempt++) {
            try {
                const response = await doFetch(`${this.options.url}${path}`, {
                    method,
                    headers: { 'Content-Type': 'application/json', 'Telephony-Provider-Name': 'ccphone' },
                    body: JSON.stringify(body)
                });
                if (response.ok) {
                    this.options.events.add(
                        'push-sent',
                        { tenantId: this.options.tenantId, interactionId },
                        { target: 'voice-call', method }
                    );
                    return;
                }
                lastError = `HTTP ${response.status}`;
            } catch (error) {
                lastError = error instanceof Error ? error.message : String(error);
            }
        }
        this.options.events.add(
            'push-failed',
            { tenantId: this.options.tenantId, interactionId },
            { target: 'voice-call', method, error: lastError }
        );
    }

    private track(work: Promise<void>): void {
        this.pending.add(work);
        void work.finally(() => this.pending.delete(work));
    }
}
