/**
 * The local org's VoiceCall store for Salesforce Voice mode: what the telephony integration API does in an
 * org with Salesforce Voice, for the simulator to call (`--telephony-url`). Field names follow the
 * VoiceCall object (VendorCallKey, CallType, FromPhoneNumber, ToPhoneNumber, CallStartDateTime,
 * CallAcceptDateTime, CallEndDateTime, CallDurationInSeconds, RelatedRecordId, ParentVoiceCallId); the
 * recording is what Salesforce keeps as a VoiceCallRecording (location and duration). A consultation or
 * transfer leg is a VoiceCall of its own whose parent is the interaction's (`parentVoiceCallId`: a VoiceCall
 * id or vendor call key). In memory: one workbench run.
 */

/** One VoiceCall. */
export interface VoiceCallRecord {
    Id: string;
    VendorCallKey: string;
    CallCenterApiName: string;
    CallType: 'Inbound' | 'Outbound' | 'Transfer';
    FromPhoneNumber: string;
    ToPhoneNumber: string;
    CallStartDateTime: string;
    CallAcceptDateTime: string | null;
    CallEndDateTime: string | null;
    CallDurationInSeconds: number | null;
    QueueName: string | null;
    RelatedRecordId: string | null;
    /** Transfer and consultation legs: the Id of the interaction's VoiceCall. */
    ParentVoiceCallId: string | null;
    RecordingLocation: string | null;
    RecordingDurationInSeconds: number | null;
    Outcome: string | null;
}

/** A request the telephony API refuses (400 with the message). */
export class VoiceCallError extends Error {
    constructor(
        message: string,
        readonly status = 400
    ) {
        super(message);
        this.name = 'VoiceCallError';
    }
}

const INITIATION = new Set(['Inbound', 'Outbound', 'Transfer']);

function text(body: Record<string, unknown>, name: string, required: boolean): string | null {
    const value = body[name];
    if (value === undefined || value === null || value === '') {
        if (required) throw new VoiceCallError(`${name} is required`);
        return null;
    }
    if (typeof value !== 'string' || value.length > 255) throw new VoiceCallError(`${name} must be a string`);
    return value;
}

function time(body: Record<string, unknown>, name: string, required: boolean): string | null {
    const value = text(body, name, required);
    if (value !== null && !Number.isFinite(Date.parse(value))) {
        throw new VoiceCallError(`${name} must be an ISO 8601 time`);
    }
    return value;
}

function seconds(body: Record<string, unknown>, name: string): number | null {
    const value = body[name];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new VoiceCallError(`${name} must be a number of seconds`);
    }
    return Math.round(value);
}

/** VoiceCall records by vendor call key. */
export class VoiceCallStore {
    private readonly calls = new Map<string, VoiceCallRecord>();
    private seq = 0;
    private readonly listeners = new Set<(call: VoiceCallRecord) => void>();
    /** Outbound calls the softphone placed from a record, by dialled number, until the VoiceCall exists. */
    private readonly pendingRelations = new Map<string, string>();

    /** "Create a Voice Call Record" (POST /telephony/v1/voiceCalls). */
    create(body: Record<string, unknown>): { voiceCallId: string } {
        const vendorCallKey = text(body, 'vendorCallKey', true)!;
        const initiation = text(body, 'initiationMethod', true)!;
        if (!INITIATION.has(initiation))
            throw new VoiceCallError('initiationMethod must be Inbound, Outbound or Transfer');
        const existing = this.calls.get(vendorCallKey);
        if (existing) return { voiceCallId: existing.Id };
        const parentKey = text(body, 'parentVoiceCallId', false);
        const parent = parentKey === null ? undefined : this.find(parentKey);
        if (parentKey !== null && !parent)
            throw new VoiceCallError(`parentVoiceCallId ${parentKey} names no VoiceCall`);
        const call: VoiceCallRecord = {
            Id: `0LQ${String(++this.seq).padStart(15, '0')}`,
            VendorCallKey: vendorCallKey,
            CallCenterApiName: text(body, 'callCenterApiName', true)!,
            CallType: initiation as VoiceCallRecord['CallType'],
            FromPhoneNumber: text(body, 'from', true)!,
            ToPhoneNumber: text(body, 'to', true)!,
            CallStartDateTime: time(body, 'startTime', true)!,
            CallAcceptDateTime: null,
            CallEndDateTime: null,
            CallDurationInSeconds: null,
            QueueName: null,
            RelatedRecordId: null,
            ParentVoiceCallId: parent?.Id ?? null,
            RecordingLocation: null,
            RecordingDurationInSeconds: null,
            Outcome: null
        };
        const relation =
            call.CallType === 'Outbound' ? this.pendingRelations.get(call.ToPhoneNumber) : undefined;
        if (relation) {
            call.RelatedRecordId = relation;
            this.pendingRelations.delete(call.ToPhoneNumber);
        }
        this.calls.set(vendorCallKey, call);
        this.changed(call);
        return { voiceCallId: call.Id };
    }

    /** "Update a Voice Call Record" (PATCH /telephony/v1/voiceCalls/{vendor call key or VoiceCall id}). */
    update(key: string, body: Record<string, unknown>): VoiceCallRecord {
        const call = this.find(key);
        if (!call) throw new VoiceCallError(`no VoiceCall ${key}`, 404);
        const start = time(body, 'startTime', false);
        const accept = time(body, 'acceptTime', false);
        const end = time(body, 'endTime', false);
        const talk = seconds(body, 'agentInteractionDuration');
        const recording = text(body, 'recordingLocation', false);
        const recordingSeconds = seconds(body, 'totalRecordingDuration');
        const queue = text(body, 'queue', false);
        const outcome = text(body, 'callOutcome', false);
        if (start) call.CallStartDateTime = start;
        if (accept) call.CallAcceptDateTime = accept;
        if (end) {
            call.CallEndDateTime = end;
            call.CallDurationInSeconds =
                talk ?? Math.round((Date.parse(end) - Date.parse(call.CallStartDateTime)) / 1000);
        }
        if (recording) call.RecordingLocation = recording;
        if (recordingSeconds !== null) call.RecordingDurationInSeconds = recordingSeconds;
        if (queue) call.QueueName = queue;
        if (outcome) call.Outcome = outcome;
        this.changed(call);
        return call;
    }

    /**
     * The softphone relates the outbound call it placed to `number` from a record: the newest outbound
     * VoiceCall to that number still going on, or the next one the contact centre creates. (The phone's
     * call id is its own until the contact centre's interaction id reaches it, so the number is the key.)
     */
    relateOutbound(number: string, recordId: string): VoiceCallRecord | null {
        if (!/^[a-zA-Z0-9]{15,18}$/.test(recordId)) throw new VoiceCallError('not a record id');
        if (!/^\+?[0-9*#]{2,32}$/.test(number)) throw new VoiceCallError('not a phone number');
        const call = this.list().find(
            (c) =>
                c.CallType === 'Outbound' &&
                c.ToPhoneNumber === number &&
                !c.CallEndDateTime &&
                !c.RelatedRecordId
        );
        if (!call) {
            this.pendingRelations.set(number, recordId);
            return null;
        }
        call.RelatedRecordId = recordId;
        this.changed(call);
        return call;
    }

    find(key: string): VoiceCallRecord | undefined {
        return this.calls.get(key) ?? Array.from(this.calls.values()).find((call) => call.Id === key);
    }

    list(): VoiceCallRecord[] {
        return Array.from(this.calls.values()).reverse();
    }

    onChange(listener: (call: VoiceCallRecord) => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    private changed(call: VoiceCallRecord): void {
        for (const listener of this.listeners) listener(call);
    }
}
