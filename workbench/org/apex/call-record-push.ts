/**
 * CallRecordRestResource / CallRecordPushService in the local org: the contact centre's call-record push
 * (`POST /services/apexrest/ccphone/calls/v1`). Each record lists every agent who handled the call (`legs`:
 * transfers, conferences); each leg is its own Task under the record's interaction id, owned by that agent
 * (by the leg's `agentEmail`, else the record's) and met by that agent's own log (call-log.ts), so a push after
 * the agents' logs adds no Task and erases no notes. A record without legs is one leg, its agent's. Not ported
 * (the Apex tests cover them): push versions, the default call owner, IVR summaries in the Description and the
 * Who/What resolution of a Task the push creates.
 */
import { closeAnsweredQueuedCallbacks } from './callbacks';
import { saveContactCentreLeg } from './call-log';
import type { ApexContext, RunningUser } from './context';
import { SETTINGS_KEY } from './phone-settings';
import type { CallLogEntry, CallLogResult } from './types';

const MAX_RECORDS = 200;

interface CallLeg {
    agentEmail?: string | null;
    sipCallId?: string | null;
    answeredAt?: string | null;
    endedAt?: string | null;
    talkSeconds?: number | null;
    outcome?: string | null;
}

interface CallRecord {
    interactionId?: unknown;
    tenantId?: unknown;
    direction?: string | null;
    callerNumber?: string | null;
    callerName?: string | null;
    calleeNumber?: string | null;
    offeredAt?: string | null;
    endedAt?: string | null;
    talkSeconds?: number | null;
    outcome?: string | null;
    agentEmail?: string | null;
    campaignName?: string | null;
    campaignId?: string | null;
    queueName?: string | null;
    queueId?: string | null;
    recording?: { url?: string | null } | null;
    legs?: Array<CallLeg | null> | null;
    callback?: { callbackId?: string | null; callbackTaskId?: string | null } | null;
}

/** The answer: `{status, body}` as the REST resource sends it. */
export interface CallRecordPushAnswer {
    status: number;
    body: unknown;
}

/** CallRecordPushService.push, as the running (integration) user; each leg is written as its agent. */
export function pushCallRecords(context: ApexContext, body: unknown): CallRecordPushAnswer {
    const push = body as { tenantId?: unknown; records?: unknown } | null;
    const records = push?.records;
    if (!Array.isArray(records) || records.length === 0 || records.length > MAX_RECORDS)
        return problem(400, 'validation-failed');
    if ((records as CallRecord[]).some((record) => typeof record?.interactionId !== 'string'))
        return problem(400, 'validation-failed');
    const tenant = String(JSON.parse(context.db.getMeta(SETTINGS_KEY) ?? '{}').Tenant_Id__c ?? '');
    const tenants = [push!.tenantId, ...(records as CallRecord[]).map((record) => record.tenantId)];
    if (tenant === '' || tenants.some((value) => value !== tenant)) return problem(403, 'tenant-mismatch');

    const results = (records as CallRecord[]).map((record) => {
        const interactionId = record.interactionId as string;
        const legs = (record.legs ?? []).filter((leg): leg is CallLeg => leg !== null);
        const saved = (legs.length > 0 ? legs : [{ agentEmail: record.agentEmail }]).map((leg) =>
            saveContactCentreLeg(
                { ...context, user: agentOf(context, leg.agentEmail ?? record.agentEmail) },
                entryOf(record, interactionId, leg)
            )
        );
        return resultOf(interactionId, saved);
    });
    closeAnsweredQueuedCallbacks(context, records as CallRecord[]);
    return { status: 200, body: { results } };
}

/** The user with the agent's e-mail, else the running user (CallRecordPushService.agentsByEmail). */
function agentOf(context: ApexContext, email: string | null | undefined): RunningUser {
    const wanted = typeof email === 'string' ? email.trim().toLowerCase() : '';
    const users = context.db.all('User').filter((user) => String(user.Email).toLowerCase() === wanted);
    return users.length === 1
        ? { Id: users[0]!.Id, Name: String(users[0]!.Name), Email: String(users[0]!.Email) }
        : context.user;
}

/** CallRecordPushService.toEntry with the leg's own facts over the record's (applyLeg). */
function entryOf(record: CallRecord, interactionId: string, leg: CallLeg): CallLogEntry {
    const outbound =
        String(record.direction ?? '')
            .trim()
            .toLowerCase() === 'outbound';
    return {
        interactionId,
        sipCallId: leg.sipCallId ?? null,
        // Apex binds any text here (CallLogService lower-cases and checks it); phone-core's type is narrower
        direction: (record.direction ?? null) as CallLogEntry['direction'],
        fromNumber: record.callerNumber ?? null,
        toNumber: record.calleeNumber ?? null,
        displayName: outbound ? null : (record.callerName ?? null),
        startedAt: record.offeredAt ?? null,
        endedAt: leg.endedAt ?? record.endedAt ?? null,
        durationSeconds: leg.talkSeconds ?? record.talkSeconds ?? null,
        outcome: (leg.outcome || record.outcome || null) as CallLogEntry['outcome'],
        campaign: record.campaignName || record.campaignId || null,
        queue: record.queueName || record.queueId || null,
        recordingUrl: record.recording?.url ?? null
    };
}

/** One record's answer from its legs' results (CallRecordPushService.resultOf, without versions). */
function resultOf(interactionId: string, legs: Array<CallLogResult & { created: boolean }>) {
    const failed = legs.find((leg) => leg.status !== 'saved');
    if (failed)
        return {
            interactionId,
            status: 'rejected',
            retryable: failed.retryable === true,
            message: failed.message
        };
    const taskIds = legs.map((leg) => leg.taskId);
    const status = legs.some((leg) => leg.created) ? 'created' : 'updated';
    return { interactionId, status, taskId: taskIds[taskIds.length - 1] ?? null, taskIds };
}

function problem(status: number, code: string): CallRecordPushAnswer {
    return { status, body: { code } };
}
