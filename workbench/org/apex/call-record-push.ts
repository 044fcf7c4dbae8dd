/**
 * CallRecordRestResource / CallRecordPushService in the local org: the contact centre's call-record push
 * (`POST /services/apexrest/ccphone/calls/v1`). Each record lists every agent who handled the call (`legs`:
 * transfers, conferences); each leg is its own Task under the record's interaction id, owned by that agent
 * (CallLegOwners: the Salesforce user id the contact centre holds for the agent, `salesforceUserId`; only
 * without one the e-mail of exactly one user) and met by that agent's own log (call-log.ts), so a push after
 * the agents' logs adds no Task and erases no notes. A record without legs is one leg, its agent's
 * (`agentSalesforceUserId` / `agentEmail`), else its owner's. A leg whose user is not found (an unknown id, an
 * e-mail nobody or several users have) is the running user's, never another agent's. Not ported
 * (the Apex tests cover them): push versions, the default call owner, the
 * Who/What resolution of a Task the push creates. The IVR digits and voicebot answers go to
 * Task.Ivr_Answers__c (ivrSummary), never to the agent's Description.
 */
import { label } from '../labels';
import { closeAnsweredQueuedCallbacks } from './callbacks';
import { saveContactCentreLeg } from './call-log';
import type { ApexContext, RunningUser } from './context';
import { SETTINGS_KEY } from './phone-settings';
import type { CallLogEntry, CallLogResult } from './types';

const MAX_RECORDS = 200;

interface CallLeg {
    agentEmail?: string | null;
    salesforceUserId?: string | null;
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
    agentSalesforceUserId?: string | null;
    ownerEmail?: string | null;
    ownerSalesforceUserId?: string | null;
    campaignName?: string | null;
    campaignId?: string | null;
    queueName?: string | null;
    queueId?: string | null;
    recording?: { url?: string | null } | null;
    ivr?: IvrData | null;
    legs?: Array<CallLeg | null> | null;
    callback?: { callbackId?: string | null; callbackTaskId?: string | null } | null;
}

/** CallRecordPush.IvrData: what the caller typed and told the voicebot. */
export interface IvrData {
    digits?: string | null;
    caseCode?: string | null;
    voicebotAnswers?: Array<{ question?: string | null; answer?: string | null } | null> | null;
    data?: Record<string, unknown> | null;
}

const MAX_IVR_TEXT = 1000;
// eslint-disable-next-line no-control-regex -- control characters are what is removed
const CONTROL_CHARACTERS = /[\x00-\x1F\x7F]/g;

function cleanText(value: unknown): string | null {
    if (typeof value !== 'string') return null;
    const text = value
        .slice(0, 4 * MAX_IVR_TEXT)
        .replace(CONTROL_CHARACTERS, '')
        .trim();
    return text === '' ? null : text.slice(0, MAX_IVR_TEXT);
}

/**
 * CallRecordPushService.ivrSummary: the IVR and voicebot data as plain text for Task.Ivr_Answers__c (one line
 * per digit string, case code, question with its answer, data key with its value), or null when there is none.
 */
export function ivrSummary(context: ApexContext, ivr: IvrData | null | undefined): string | null {
    if (!ivr) return null;
    const lines: string[] = [];
    const add = (name: string | null, value: unknown) => {
        const text = cleanText(value);
        if (text !== null) lines.push(name ? `${name} ${text}` : text);
    };
    add(label(context.labels, 'Phone_Task_IvrDigits'), ivr.digits);
    add(label(context.labels, 'Phone_Task_IvrCaseCode'), ivr.caseCode);
    for (const answer of ivr.voicebotAnswers ?? []) add(cleanText(answer?.question), answer?.answer);
    for (const key of Object.keys(ivr.data ?? {}).sort()) {
        const name = cleanText(key);
        if (name !== null) add(`${name}:`, ivr.data![key]);
    }
    return lines.length === 0
        ? null
        : `${label(context.labels, 'Phone_Task_IvrHeading')}\n${lines.join('\n')}`;
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
        const owner = { salesforceUserId: record.ownerSalesforceUserId, agentEmail: record.ownerEmail };
        const tried: CallLeg[][] =
            legs.length > 0
                ? legs.map((leg) => [leg])
                : [
                      [
                          { agentEmail: record.agentEmail, salesforceUserId: record.agentSalesforceUserId },
                          owner
                      ]
                  ];
        const saved = tried.map((identities) =>
            saveContactCentreLeg(
                { ...context, user: firstUserOf(context, identities) ?? context.user },
                entryOf(record, interactionId, identities[0]!),
                ivrSummary(context, record.ivr)
            )
        );
        return resultOf(interactionId, saved);
    });
    closeAnsweredQueuedCallbacks(context, records as CallRecord[]);
    return { status: 200, body: { results } };
}

/** The first identity that names a user (CallLegOwners.match), or null. */
function firstUserOf(context: ApexContext, identities: CallLeg[]): RunningUser | null {
    for (const identity of identities) {
        const user = userOf(context, identity);
        if (user) return user;
    }
    return null;
}

/**
 * CallLegOwners.match: the user with the Salesforce user id (15 or 18 characters) when one was sent, else the
 * one user with the e-mail; none when the id names nobody (the e-mail is not tried then) or the e-mail is
 * several users'.
 */
function userOf(context: ApexContext, identity: CallLeg): RunningUser | null {
    const users = context.db.all('User');
    const userId = typeof identity.salesforceUserId === 'string' ? identity.salesforceUserId.trim() : '';
    const wanted = typeof identity.agentEmail === 'string' ? identity.agentEmail.trim().toLowerCase() : '';
    const matches =
        userId !== ''
            ? users.filter(
                  (user) => String(user.Id).slice(0, 15) === userId.slice(0, 15) && userId.length >= 15
              )
            : wanted === ''
              ? []
              : users.filter((user) => String(user.Email).toLowerCase() === wanted);
    return matches.length === 1
        ? { Id: matches[0]!.Id, Name: String(matches[0]!.Name), Email: String(matches[0]!.Email) }
        : null;
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
