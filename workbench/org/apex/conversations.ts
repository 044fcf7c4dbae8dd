/**
 * ConversationRestResource / ConversationService / ConversationController in the local org (F22): the contact
 * centre's `PUT /services/apexrest/ccphone/conversations/v1/{interactionId}` after a recorded call, and the
 * wrap-up form's `getConversation`. The same rules as the Apex:
 *
 * | request | answer | on the Task |
 * |---------|--------|-------------|
 * | the org names no tenant | 503 `tenant-not-configured`, Retry-After 300 | nothing |
 * | `X-Tenant-Id` not the org's | 403 `tenant-mismatch` | nothing |
 * | no interaction id, a body that is not `{summary?, suggestedResult?, transcript?}` of texts | 400 | nothing |
 * | nothing in it | 200 `empty` | nothing |
 * | the call has no Task yet | 202 `pending`, Retry-After 30 | nothing (the contact centre sends it again) |
 * | otherwise | 200 `saved` | summary -> Call_Summary__c (cut at 32,768), suggested result -> Suggested_Result__c, transcript -> one file `Transcript <id>` (cut at 1,000,000 characters and marked) |
 *
 * The agent's notes (Description) and call result (CallDisposition) are never written here.
 */
import { clean } from './call-log';
import type { ApexContext } from './context';
import { SETTINGS_KEY } from './phone-settings';
import { PhoneError } from '../errors';
import { label } from '../labels';
import type { SObject } from '../schema';

/** ConversationService.MAX_TRANSCRIPT */
export const MAX_TRANSCRIPT = 1_000_000;
/** ConversationService.MAX_SUMMARY */
export const MAX_SUMMARY = 32_768;
/** ConversationRestResource.RETRY_AFTER_SECONDS */
export const RETRY_AFTER_SECONDS = 30;
const TENANT_RETRY_AFTER_SECONDS = 300;
const TRUNCATED_MARK = '\n[...]';

/** The answer as the REST resource sends it. */
export interface ConversationAnswer {
    status: number;
    body: unknown;
    retryAfterSeconds?: number;
}

/** ConversationService.ConversationView */
export interface ConversationView {
    interactionId: string;
    arrived: boolean;
    taskId: string | null;
    summary: string | null;
    suggestedResult: string | null;
}

/** ConversationRestResource.put, as the running (integration) user. */
export function saveConversation(
    context: ApexContext,
    rawInteractionId: string,
    tenantHeader: string | undefined,
    body: unknown
): ConversationAnswer {
    const tenant = String(JSON.parse(context.db.getMeta(SETTINGS_KEY) ?? '{}').Tenant_Id__c ?? '');
    if (tenant === '')
        return { ...problem(503, 'tenant-not-configured'), retryAfterSeconds: TENANT_RETRY_AFTER_SECONDS };
    if (tenantHeader !== tenant) return problem(403, 'tenant-mismatch');
    const interactionId = clean(rawInteractionId, 255);
    const parts = body as { summary?: unknown; suggestedResult?: unknown; transcript?: unknown } | null;
    const texts = [parts?.summary, parts?.suggestedResult, parts?.transcript];
    if (
        interactionId === null ||
        parts === null ||
        typeof parts !== 'object' ||
        Array.isArray(parts) ||
        texts.some((value) => value !== undefined && value !== null && typeof value !== 'string')
    )
        return problem(400, 'validation-failed');
    const summary =
        typeof parts.summary === 'string' && parts.summary.trim() !== ''
            ? parts.summary.trim().slice(0, MAX_SUMMARY)
            : null;
    const suggestedResult = clean(parts.suggestedResult, 255);
    const transcript =
        typeof parts.transcript === 'string' && parts.transcript.trim() !== '' ? parts.transcript : null;
    const answer = (status: number, outcome: string): ConversationAnswer => ({
        status,
        body: { interactionId, status: outcome }
    });
    if (summary === null && suggestedResult === null && transcript === null) return answer(200, 'empty');
    const legs = tasksOf(context, interactionId);
    if (legs.length === 0) return { ...answer(202, 'pending'), retryAfterSeconds: RETRY_AFTER_SECONDS };
    // the whole call's conversation: on every agent leg's Task (a transferred call has several)
    const fields: Record<string, unknown> = {};
    if (summary !== null) fields.Call_Summary__c = summary;
    if (suggestedResult !== null) fields.Suggested_Result__c = suggestedResult;
    for (const task of legs) {
        if (Object.keys(fields).length > 0) context.db.update(task.Id, fields);
        if (transcript !== null) attachTranscript(context, task.Id, interactionId, transcript);
    }
    return answer(200, 'saved');
}

/** ConversationController.getConversation(interactionId): the running user's Task first, else any with one. */
export function getConversation(context: ApexContext, params: Record<string, unknown>): ConversationView {
    const interactionId = clean(params.interactionId, 255);
    if (interactionId === null)
        throw new PhoneError(label(context.labels, 'Phone_Error_MissingInteractionId'));
    let chosen: SObject | null = null;
    for (const task of tasksOf(context, interactionId)) {
        const has = task.Call_Summary__c != null || task.Suggested_Result__c != null;
        if (has && (chosen === null || task.OwnerId === context.user.Id)) chosen = task;
    }
    return {
        interactionId,
        arrived: chosen !== null,
        taskId: chosen?.Id ?? null,
        summary: (chosen?.Call_Summary__c as string | undefined) ?? null,
        suggestedResult: (chosen?.Suggested_Result__c as string | undefined) ?? null
    };
}

/** The call's Tasks, oldest first (TaskSelector.byInteractionIds). */
function tasksOf(context: ApexContext, interactionId: string): SObject[] {
    return context.db
        .all('Task')
        .filter((task) => task.Interaction_Id__c === interactionId)
        .sort(
            (a, b) => String(a.CreatedDate).localeCompare(String(b.CreatedDate)) || a.Id.localeCompare(b.Id)
        );
}

/** The call's file on a Task, once: a second send finds it (ConversationSelector.documentLinkedTo; the local
 * org keeps a file row per Task where Salesforce links one document to every leg). */
function attachTranscript(
    context: ApexContext,
    taskId: string,
    interactionId: string,
    transcript: string
): void {
    const title = `Transcript ${interactionId}`;
    if (context.db.filesOf(taskId).some((file) => file.title === title)) return;
    const text =
        transcript.length > MAX_TRANSCRIPT
            ? transcript.slice(0, MAX_TRANSCRIPT) + TRUNCATED_MARK
            : transcript;
    context.db.attachFile(
        taskId,
        title,
        `transcript-${interactionId.replace(/[^A-Za-z0-9._-]/g, '_')}.txt`,
        text
    );
}

function problem(status: number, code: string): ConversationAnswer {
    return { status, body: { type: `urn:ccphone:problem:${code}`, status, code } };
}
