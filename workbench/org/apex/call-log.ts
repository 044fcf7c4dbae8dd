/**
 * CallLogController / CallLogService: one Task per agent leg of a call, written once and then updated, whichever
 * save arrives first or how often (the outbox retries, B2). The leg's Call_Log_Key__c row (unique on interaction
 * id + the running user, and on SIP Call-ID + the running user: CallLegKeys) names its Task, so a transferred
 * call gets a Task per agent and nobody's notes are overwritten; at most 50 logs per request and 500 new legs
 * per user in 24 hours (CallLogService.MAX_AGENT_ENTRIES, MAX_AGENT_LEGS_PER_DAY). The leg's Task; the Task's fields follow the service's table: TaskSubtype Call, CallType, CallObject and
 * Interaction_Id__c, CallDurationInSeconds, CallDisposition, Subject from the labels, Description, Completed,
 * ActivityDate, the Activity custom fields, and Who/What by the platform's rules (a Lead as WhoId forbids a
 * WhatId; people are never a WhatId).
 */
import { PhoneError } from '../errors';
import { label } from '../labels';
import { objectOfId, type SObject } from '../schema';
import { createCallbacks, queueInContactCentre, type CallbackRequest } from './callbacks';
import type { ApexContext } from './context';
import { verifyClaims, type Claim, type Verdict } from './interaction-verification';
import { settingsRecord } from './phone-settings';
import type { CallLogEntry, CallLogResult } from './types';

const MAX_AGENT_ENTRIES = 50;
const MAX_AGENT_LEGS_PER_DAY = 500;
/** CallLogResult.INTERACTION_NOT_ISSUED */
const NOT_ISSUED = 'interaction-not-issued';
const OUTCOMES = new Set(['answered', 'missed', 'busy', 'rejected', 'failed', 'no-answer', 'abandoned']);
const MISSED_OUTCOMES = new Set(['missed', 'no-answer', 'rejected', 'abandoned']);
const CALL_TYPES: Readonly<Record<string, string>> = {
    inbound: 'Inbound',
    outbound: 'Outbound',
    internal: 'Internal'
};
// eslint-disable-next-line no-control-regex -- control characters are what is removed
const CONTROL_CHARACTERS = /[\x00-\x1F\x7F]/g;
// eslint-disable-next-line no-control-regex -- control characters (but line breaks) are what is removed
const CONTROL_BUT_NEWLINE = /[\x00-\x09\x0B-\x1F\x7F]/g;

/** CallLogController.saveCallLog(entry) */
export async function saveCallLog(
    context: ApexContext,
    params: Record<string, unknown>
): Promise<CallLogResult> {
    return (await saveCallLogs(context, { entries: [params.entry ?? null] }))[0]!;
}

/**
 * CallLogController.saveCallLogs(entries): the phone's logs. The first log of a leg (no row yet) is written only
 * for an interaction the contact centre issued to the user's agent, asked in one call for the request
 * (CallLogService.refuseNotIssued, issue 11 finding 3).
 */
export async function saveCallLogs(
    context: ApexContext,
    params: Record<string, unknown>
): Promise<CallLogResult[]> {
    const entries = entriesOf(context, params);
    const claims: Claim[] = [];
    for (const [interactionId, entry] of byInteractionId(entries)) {
        const leg = legOf(context, interactionId, entry);
        if (!context.db.lockCallLogLeg(leg, context.user.Id, false))
            claims.push({ key: leg.legId, interactionId, sipCallId: leg.sipCallId });
    }
    const { verdicts, refusal } = await verifyClaims(context, claims);
    return writeLogs(context, entries, (legId) => verdicts.get(legId) ?? 'issued', refusal);
}

function entriesOf(context: ApexContext, params: Record<string, unknown>): Array<CallLogEntry | null> {
    const entries = Array.isArray(params.entries) ? (params.entries as Array<CallLogEntry | null>) : [];
    if (entries.length > MAX_AGENT_ENTRIES)
        throw new PhoneError(label(context.labels, 'Phone_Error_InvalidInput'));
    return entries;
}

/** An interaction id given twice is written once, with the later entry (the phone logs its own leg only). */
function byInteractionId(entries: Array<CallLogEntry | null>): Map<string, CallLogEntry> {
    const byId = new Map<string, CallLogEntry>();
    for (const entry of entries) {
        const id = interactionIdOf(entry);
        if (id !== null) byId.set(id, entry as CallLogEntry);
    }
    return byId;
}

function writeLogs(
    context: ApexContext,
    entries: Array<CallLogEntry | null>,
    verdictOf: (legId: string) => Verdict,
    refusal: string
): CallLogResult[] {
    const outcome = new Map<string, CallLogResult>();
    let budget =
        MAX_AGENT_LEGS_PER_DAY -
        context.db.countCallLogLegsCreated(context.user.Id, Date.now() - 24 * 60 * 60 * 1000);
    for (const [interactionId, entry] of byInteractionId(entries)) {
        const leg = legOf(context, interactionId, entry);
        const verdict = verdictOf(leg.legId);
        if (!context.db.lockCallLogLeg(leg, context.user.Id, false)) {
            if (budget <= 0) {
                outcome.set(
                    interactionId,
                    rejected(interactionId, true, label(context.labels, 'Phone_Error_CallLogQuota'))
                );
                continue;
            }
            if (verdict === 'not-issued') {
                outcome.set(interactionId, { ...rejected(interactionId, false, refusal), code: NOT_ISSUED });
                continue;
            }
            budget--;
        }
        outcome.set(interactionId, write(context, leg, entry, null, verdict === 'unverified'));
    }
    const requests = requestedCallbacks(entries, outcome);
    const queued = requests.length > 0 && settingsRecord(context).Queued_Callbacks__c === true;
    const callbacks = createCallbacks(
        context,
        requests.map((request) => ({ ...request, queued }))
    );
    if (queued) queueInContactCentre(context, [...callbacks.values()]);
    return entries.map((entry) => {
        const id = interactionIdOf(entry);
        return id === null
            ? rejected(
                  typeof entry?.interactionId === 'string' ? entry.interactionId : null,
                  false,
                  label(context.labels, 'Phone_Error_MissingInteractionId')
              )
            : outcome.get(id)!;
    });
}

/** The callbacks asked for in the wrap-up of saved calls (CallbackService.forRequestedCalls). */
function requestedCallbacks(
    entries: Array<CallLogEntry | null>,
    outcome: Map<string, CallLogResult>
): CallbackRequest[] {
    return entries.flatMap((entry) => {
        const id = interactionIdOf(entry);
        if (id === null || entry?.callbackRequested !== true || outcome.get(id)?.status !== 'saved')
            return [];
        return [
            {
                originalInteractionId: id,
                phoneNumber: lower(entry.direction) === 'outbound' ? entry.toNumber : entry.fromNumber,
                callerName: entry.displayName ?? null,
                queue: entry.queue ?? null,
                campaign: entry.campaign ?? null,
                whoId: entry.whoId ?? null,
                whatId: entry.whatId ?? null
            }
        ];
    });
}

interface Leg {
    legId: string;
    sipLegId: string | null;
    sipCallId: string | null;
    interactionId: string;
}

/** The id of a user's leg of a call (CallLegKeys.legKey: a hash there, a plain join here). */
export function legIdOf(interactionIdOrSipCallId: string, userId: string): string {
    return `${interactionIdOrSipCallId}\n${userId}`;
}

/** The running user's leg of a call. */
function legOf(context: ApexContext, interactionId: string, entry: CallLogEntry): Leg {
    const sipCallId = clean(entry.sipCallId, 255);
    return {
        legId: legIdOf(interactionId, context.user.Id),
        sipLegId: sipCallId === null ? null : legIdOf(sipCallId, context.user.Id),
        sipCallId,
        interactionId
    };
}

/**
 * The contact centre's record of one agent's leg (CallRecordPushService through CallLogService with
 * CallLogEntry.contactCentreRecord), written as that agent: it creates the leg's Task when it arrives first;
 * when the Task exists it fills in only the contact centre's facts it carries and never erases what the agent
 * entered (notes, result, related record: FAULT-CASES 18).
 */
export function saveContactCentreLeg(
    context: ApexContext,
    entry: CallLogEntry,
    ivrAnswers: string | null = null
): CallLogResult & { created: boolean } {
    const interactionId = interactionIdOf(entry);
    if (interactionId === null)
        return {
            ...rejected(null, false, label(context.labels, 'Phone_Error_MissingInteractionId')),
            created: false
        };
    const leg = legOf(context, interactionId, entry);
    const created = context.db.lockCallLogLeg(leg, context.user.Id, false)?.taskId == null;
    return { ...write(context, leg, entry, { ivrAnswers }), created };
}

/** The Task fields a contact-centre record may change on an existing Task (CONTACT_CENTRE_FIELDS). */
const CONTACT_CENTRE_FIELDS = [
    'Call_Started_At__c',
    'Call_Ended_At__c',
    'Outcome__c',
    'Direction__c',
    'Phone_Number__c',
    'Campaign__c',
    'Queue__c',
    'Ivr_Code__c',
    'Ivr_Answers__c',
    'Recording_Url__c'
] as const;

/** CallLogService.contactCentreUpdate: the record's own facts where it has a value, nothing the agent chose. */
function contactCentreUpdate(fields: Record<string, unknown>, entry: CallLogEntry): Record<string, unknown> {
    // the contact centre's record of the leg vouches for it (clears the phone's unverified flag)
    const update: Record<string, unknown> = { Interaction_Unverified__c: false };
    for (const field of CONTACT_CENTRE_FIELDS) if (fields[field] != null) update[field] = fields[field];
    if (fields.Direction__c != null) update.CallType = fields.CallType;
    if (typeof entry.durationSeconds === 'number')
        update.CallDurationInSeconds = fields.CallDurationInSeconds;
    return update;
}

/**
 * Writes the leg's Task. `contactCentre`: the contact centre's record (the push, the IVR writes) with its IVR
 * text (CallLogEntry.ivrAnswers, server-only in Apex: the phone's entries never carry it).
 */
function write(
    context: ApexContext,
    leg: Leg,
    entry: CallLogEntry,
    contactCentre: { ivrAnswers: string | null } | null = null,
    unverified = false
): CallLogResult {
    const fromContactCentre = contactCentre !== null;
    const interactionId = leg.interactionId;
    const row = context.db.lockCallLogLeg(leg, context.user.Id)!;
    const existing = row.taskId ? context.db.get(row.taskId) : findTaskOfLeg(context, row.interactionId);
    if (row.taskId && !existing) {
        // the leg has a Task this user cannot see: never create a second one
        return rejected(interactionId, false, label(context.labels, 'Phone_Error_CallLogNotAccessible'));
    }
    // the Task keeps the id its row has (the contact centre's, once a push named the leg)
    const fields = toTask(context, entry, row.interactionId, existing === null);
    // the IVR's text has its own field: the agent's log never writes it, so never erases it (issue 15)
    fields.Ivr_Answers__c = spreadsheetText(contactCentre?.ivrAnswers?.slice(0, 32768) ?? null, 32768);
    if (existing) {
        const saved = context.db.update(
            existing.Id,
            fromContactCentre ? contactCentreUpdate(fields, entry) : relateForUpdate(existing, fields)
        );
        return savedResult(interactionId, saved.Id);
    }
    const saved = context.db.insert(
        'Task',
        unverified ? { ...fields, Interaction_Unverified__c: true } : fields,
        context.user.Id
    );
    context.db.linkCallLogLeg(row.legId, saved.Id);
    return savedResult(interactionId, saved.Id);
}

/** A Task of this user's already carrying the interaction id (from before key rows existed). */
function findTaskOfLeg(context: ApexContext, interactionId: string): SObject | null {
    return (
        context.db
            .all('Task')
            .find((task) => task.Interaction_Id__c === interactionId && task.OwnerId === context.user.Id) ??
        null
    );
}

/** The Task's fields for an entry (CallLogService.toTask). */
function toTask(
    context: ApexContext,
    entry: CallLogEntry,
    interactionId: string,
    isNew: boolean
): Record<string, unknown> {
    const direction = lower(entry.direction);
    const outcome = lower(entry.outcome);
    const task: Record<string, unknown> = {};
    if (isNew) {
        task.TaskSubtype = 'Call';
        task.OwnerId = context.user.Id;
    }
    task.Subject = subjectOf(context, entry, direction, outcome).slice(0, 255);
    task.CallType = CALL_TYPES[direction] ?? 'Inbound';
    task.CallObject = interactionId;
    task.Interaction_Id__c = interactionId;
    task.CallDurationInSeconds =
        typeof entry.durationSeconds === 'number' ? Math.max(0, Math.trunc(entry.durationSeconds)) : 0;
    task.CallDisposition = spreadsheetText(clean(entry.disposition, 255), 255);
    task.Description = spreadsheetText(
        typeof entry.notes === 'string' ? entry.notes.slice(0, 32000) : null,
        32000
    );
    task.Status = 'Completed';
    const startedAt = toDatetime(entry.startedAt);
    const endedAt = toDatetime(entry.endedAt);
    task.ActivityDate = (startedAt ?? endedAt ?? new Date().toISOString()).slice(0, 10);
    task.Call_Started_At__c = startedAt;
    task.Call_Ended_At__c = endedAt;
    task.Outcome__c = OUTCOMES.has(outcome) ? outcome : null;
    task.Direction__c = CALL_TYPES[direction] ? direction : null;
    task.Phone_Number__c = spreadsheetNumber(
        clean(direction === 'outbound' ? entry.toNumber : entry.fromNumber, 64),
        64
    );
    task.Extension__c = spreadsheetText(clean(entry.extension, 20), 20);
    task.Caller_Name__c = spreadsheetText(clean(entry.displayName, 128), 128);
    task.Campaign__c = spreadsheetText(clean(entry.campaign, 128), 128);
    task.Queue__c = spreadsheetText(clean(entry.queue, 128), 128);
    task.Ivr_Code__c = spreadsheetText(clean(entry.ivrCode, 64), 64);
    task.Callback_Requested__c = entry.callbackRequested === true;
    task.Recording_Url__c = httpsUrl(entry.recordingUrl);
    Object.assign(task, qualityFields(entry));
    Object.assign(task, recordingAuditFields(entry));
    Object.assign(task, relation(entry));
    return task;
}

/** The call quality figures the entry carries, clamped and rounded (CallQualityFields.apply). */
function qualityFields(entry: CallLogEntry): Record<string, number> {
    const fields: Record<string, number> = {};
    const put = (name: string, value: unknown, low: number, high: number, decimals: number) => {
        if (typeof value !== 'number' || !Number.isFinite(value)) return;
        const factor = 10 ** decimals;
        fields[name] = Math.round(Math.min(high, Math.max(low, value)) * factor) / factor;
    };
    put('Mos_Lowest__c', entry.mosLowest, 1, 4.5, 2);
    put('Mos_Average__c', entry.mosAverage, 1, 4.5, 2);
    put('Packet_Loss_Max__c', entry.packetLossMaxPct, 0, 100, 2);
    put('Jitter_Max__c', entry.jitterMaxMs, 0, 99999.9, 1);
    return fields;
}

/** The recording consent, paused seconds and audit trail the entry carries (RecordingAuditFields.apply). */
function recordingAuditFields(entry: CallLogEntry): Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    const consent = lower(entry.recordingConsent);
    if (['unknown', 'announced', 'accepted', 'declined'].includes(consent))
        fields.Recording_Consent__c = consent;
    if (typeof entry.recordingPausedSeconds === 'number' && Number.isFinite(entry.recordingPausedSeconds))
        fields.Recording_Paused_Seconds__c = Math.min(
            999999,
            Math.max(0, Math.trunc(entry.recordingPausedSeconds))
        );
    if (typeof entry.recordingAudit === 'string' && entry.recordingAudit.trim() !== '')
        fields.Recording_Audit__c = entry.recordingAudit
            .slice(0, 32768)
            .replace(CONTROL_BUT_NEWLINE, '')
            .trim();
    return fields;
}

/** WhoId / WhatId by the platform's rules (CallLogService.relate); only what the entry names is set. */
function relation(entry: CallLogEntry): Record<string, unknown> {
    let who = idOf(entry.whoId);
    let what = idOf(entry.whatId);
    const whoType = who ? objectOfId(who) : null;
    if (whoType !== 'Contact' && whoType !== 'Lead') who = null;
    const whatType = what ? objectOfId(what) : null;
    if (whatType === 'Contact' || whatType === 'Lead' || whatType === 'User' || (who && whoType === 'Lead'))
        what = null;
    const fields: Record<string, unknown> = {};
    if (who) fields.WhoId = who;
    if (what) fields.WhatId = what;
    else if (who && whoType === 'Lead') fields.WhatId = null;
    return fields;
}

/**
 * An update keeps the Who/What the entry does not name, and the contact centre's facts (a pushed Task's) the
 * phone's entry does not carry.
 */
function relateForUpdate(existing: SObject, fields: Record<string, unknown>): Record<string, unknown> {
    const merged = { ...fields };
    for (const field of CONTACT_CENTRE_FIELDS) if (merged[field] == null) delete merged[field];
    if (!('WhoId' in fields)) merged.WhoId = existing.WhoId ?? null;
    if (!('WhatId' in fields)) merged.WhatId = existing.WhatId ?? null;
    return merged;
}

function subjectOf(context: ApexContext, entry: CallLogEntry, direction: string, outcome: string): string {
    const dialled = clean(direction === 'outbound' ? entry.toNumber : entry.fromNumber, 64);
    const party =
        dialled === null || dialled.toLowerCase() === 'anonymous'
            ? label(context.orgLabels, 'Phone_Label_UnknownCaller')
            : dialled;
    const name =
        direction === 'outbound'
            ? 'Phone_Task_SubjectOutbound'
            : MISSED_OUTCOMES.has(outcome)
              ? 'Phone_Task_SubjectMissed'
              : 'Phone_Task_SubjectInbound';
    return label(context.orgLabels, name, party);
}

function interactionIdOf(entry: CallLogEntry | null | undefined): string | null {
    const value = clean(entry?.interactionId, 255);
    return value === null ? null : value;
}

/** Text without control characters, trimmed, cut to the field's length; null when blank. */
export function clean(value: unknown, maxLength: number): string | null {
    if (typeof value !== 'string') return null;
    const cleaned = value
        .slice(0, 4 * maxLength)
        .replace(CONTROL_CHARACTERS, '')
        .trim();
    return cleaned === '' ? null : cleaned.slice(0, maxLength);
}

/** Only https links become a recording URL, dropped whole past the field's 255 (RecordingLinks). */
function httpsUrl(value: unknown): string | null {
    const url = clean(value, 4 * 255);
    return url !== null && url.length <= 255 && /^https:\/\//i.test(url) && !/\s/.test(url) ? url : null;
}

/** SpreadsheetSafe.text: a value that starts like a formula (= + - @ tab CR) gets a leading `'`. */
function spreadsheetText(value: string | null, maxLength: number): string | null {
    return value !== null && /^[=+\-@\t\r]/.test(value) ? `'${value}`.slice(0, maxLength) : value;
}

/** SpreadsheetSafe.phoneNumber: `+48 600 700 800` stays dialable; anything else as spreadsheetText. */
function spreadsheetNumber(value: string | null, maxLength: number): string | null {
    return value !== null && /^\+[0-9][0-9 ().\-/]*$/.test(value) ? value : spreadsheetText(value, maxLength);
}

function lower(value: unknown): string {
    return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

function toDatetime(value: unknown): string | null {
    if (typeof value !== 'string' || value.trim() === '' || value.length > 40) return null;
    const time = Date.parse(value.trim());
    return Number.isFinite(time) ? new Date(time).toISOString() : null;
}

function idOf(value: unknown): string | null {
    return typeof value === 'string' && /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(value.trim())
        ? value.trim()
        : null;
}

function savedResult(interactionId: string, taskId: string): CallLogResult {
    return { interactionId, status: 'saved', taskId, retryable: null, message: null, retryAfterMs: null };
}

function rejected(interactionId: string | null, retryable: boolean, message: string): CallLogResult {
    return { interactionId, status: 'rejected', taskId: null, retryable, message, retryAfterMs: null };
}
