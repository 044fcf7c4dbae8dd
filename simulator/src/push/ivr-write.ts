/**
 * The IVR's write to Salesforce for a call that never reached an agent (I3, F11, F24): the `IvrWriteRequest`
 * of the `writeIvrData` webhook (`POST /services/apexrest/ccphone/ivr-writes/v1`). A call the caller left in
 * the queue is `abandoned`, one that rang out is `missed`; when the caller asked the IVR for a callback
 * (`attachIvrData` with `data.callbackAt`, an ISO 8601 time) it is `callback`, due then. Salesforce makes the
 * call's Task and its open callback from it.
 */
import { iso } from '../api/mappers';
import type { CallRecordData } from '../model';

/** Path of the IVR-writes endpoint below /services/apexrest. */
export const APEX_IVR_WRITES_PATH = '/ccphone/ivr-writes/v1';

/** IVR data key the caller's callback request is kept under (an ISO 8601 time). */
export const CALLBACK_AT_KEY = 'callbackAt';

/** What a write copies from the call record as it is. */
const COPIED_FIELDS = [
    'interactionId',
    'tenantId',
    'callerNumber',
    'callerName',
    'calleeNumber',
    'campaignId',
    'campaignName',
    'queueId',
    'queueName'
] as const;

/** One write of the request (the contract's `IvrWriteItem`). */
export type IvrWriteItem = Pick<CallRecordData, (typeof COPIED_FIELDS)[number]> & {
    kind: 'missed' | 'abandoned' | 'voicebot' | 'callback';
    offeredAt: string;
    endedAt: string | null;
    ivr: CallRecordData['ivr'];
    callback: {
        dueAt: string | null;
        phoneNumber: string | null;
        agentEmail: string | null;
        note: string | null;
        /** The contact centre queued the callback itself (a campaign with queued callbacks): its id. */
        queuedCallbackId?: string;
    };
};

/** The body posted to Salesforce (the contract's `IvrWriteRequest`). */
export interface IvrWriteBody {
    tenantId: string;
    writes: IvrWriteItem[];
}

/** The write for a finished inbound call nobody answered, or null for any other call. */
export function ivrWriteOf(record: CallRecordData): IvrWriteBody | null {
    if (record.direction !== 'inbound' || record.state !== 'ended' || record.answeredAt !== null) return null;
    if (record.outcome !== 'abandoned' && record.outcome !== 'missed') return null;
    const requestedAt = Date.parse(record.ivr.data[CALLBACK_AT_KEY] ?? '');
    // a call the contact centre queued a callback for (callback-queue.ts) is a callback write too
    const kind = Number.isFinite(requestedAt) || record.queuedCallbackId ? 'callback' : record.outcome;
    return {
        tenantId: record.tenantId,
        writes: [
            {
                ...(Object.fromEntries(COPIED_FIELDS.map((field) => [field, record[field]])) as Pick<
                    CallRecordData,
                    (typeof COPIED_FIELDS)[number]
                >),
                kind,
                offeredAt: iso(record.offeredAt),
                endedAt: record.endedAt === null ? null : iso(record.endedAt),
                ivr: structuredClone(record.ivr),
                callback: {
                    dueAt: Number.isFinite(requestedAt) ? iso(requestedAt) : null,
                    phoneNumber: null,
                    agentEmail: record.ownerEmail,
                    note: null,
                    ...(record.queuedCallbackId ? { queuedCallbackId: record.queuedCallbackId } : {})
                }
            }
        ]
    };
}
