/**
 * IvrWriteRestResource / IvrWriteService (I3) in the local org: the contact centre's IVR writes a missed or
 * abandoned call, a voicebot's answers or a callback request; the call gets its one Task (CallLogService's
 * port, as a contact-centre record: it never overwrites what the agent entered, and its IVR digits and voicebot
 * answers go to Task.Ivr_Answers__c, never to the agent's Description) and, unless it is a plain voicebot
 * write, its one open callback (callbacks.ts), related to the one
 * record with the caller's number. The workbench server answers `POST /services/apexrest/ccphone/ivr-writes/v1`
 * with it, as Salesforce would.
 */
import { phoneSearchKeys } from '../../../phone-core/src/phone-number';
import { saveContactCentreLeg } from './call-log';
import { ivrSummary, type IvrData } from './call-record-push';
import { createCallbacks, type CallbackRequest } from './callbacks';
import { findCallers } from './caller-lookup';
import type { ApexContext } from './context';
import type { CallLogEntry } from './types';
import { SETTINGS_KEY } from './phone-settings';

const KINDS = new Set(['missed', 'abandoned', 'voicebot', 'callback']);
const MAX_WRITES = 200;

interface IvrWriteItem {
    interactionId?: unknown;
    kind?: unknown;
    callerNumber?: string | null;
    callerName?: string | null;
    queueName?: string | null;
    campaignName?: string | null;
    offeredAt?: string | null;
    endedAt?: string | null;
    ivr?: IvrData | null;
    callback?: {
        dueAt?: string | null;
        phoneNumber?: string | null;
        note?: string | null;
        queuedCallbackId?: string | null;
    } | null;
}

/** The answer: `{status, body}` as the REST resource sends it. */
export interface IvrWriteAnswer {
    status: number;
    body: unknown;
}

/** IvrWriteService.write, as the running (integration) user. */
export function writeIvr(context: ApexContext, body: unknown): IvrWriteAnswer {
    const writes = (body as { writes?: unknown } | null)?.writes;
    if (!Array.isArray(writes) || writes.length === 0 || writes.length > MAX_WRITES)
        return problem(400, 'validation-failed');
    if (writes.some((write) => typeof (write as IvrWriteItem)?.interactionId !== 'string'))
        return problem(400, 'validation-failed');
    const results = (writes as IvrWriteItem[]).map((write) => {
        const interactionId = write.interactionId as string;
        const kind = String(write.kind ?? '').toLowerCase();
        if (!KINDS.has(kind)) return { interactionId, kind, status: 'rejected', retryable: false };
        const relation = relationOf(context, write.callerNumber ?? null);
        // the callback first, with the write's due time and queued id (the contact-centre path below makes no
        // callback of its own)
        let callbackTaskId: string | null = null;
        if (kind !== 'voicebot' || write.callback) {
            const request: CallbackRequest = {
                originalInteractionId: interactionId,
                dueAt: write.callback?.dueAt ?? null,
                phoneNumber: write.callback?.phoneNumber || write.callerNumber || null,
                callerName: write.callerName ?? null,
                queue: write.queueName ?? null,
                note: write.callback?.note ?? null,
                queuedCallbackId: write.callback?.queuedCallbackId ?? null,
                ...relation
            };
            callbackTaskId = createCallbacks(context, [request]).get(interactionId) ?? null;
        }
        const saved = saveContactCentreLeg(
            context,
            {
                interactionId,
                direction: 'inbound',
                fromNumber: write.callerNumber ?? null,
                displayName: write.callerName ?? null,
                startedAt: write.offeredAt ?? null,
                endedAt: kind === 'voicebot' ? null : (write.endedAt ?? null),
                outcome: (kind === 'voicebot'
                    ? null
                    : kind === 'callback'
                      ? 'abandoned'
                      : kind) as CallLogEntry['outcome'],
                campaign: write.campaignName ?? null,
                queue: write.queueName ?? null,
                callbackRequested: kind === 'callback',
                ...relation
            },
            ivrSummary(context, write.ivr)
        );
        return {
            interactionId,
            kind,
            status: saved.status !== 'saved' ? 'rejected' : saved.created ? 'created' : 'updated',
            taskId: saved.taskId ?? null,
            callbackTaskId
        };
    });
    return { status: 200, body: { results } };
}

/** WhoId/WhatId of the one record with the caller's number (CallRelationResolver, simplified). */
function relationOf(context: ApexContext, callerNumber: string | null): { whoId?: string; whatId?: string } {
    if (!callerNumber) return {};
    const country = JSON.parse(context.db.getMeta(SETTINGS_KEY) ?? '{}').Default_Country__c as
        string | undefined;
    const searchKeys = phoneSearchKeys(callerNumber, { defaultCountry: country || 'PL' });
    const matches = findCallers(context, { searchKeys, ivrCaseCode: null }).filter(
        (match) => match.objectType !== 'Case'
    );
    if (matches.length !== 1) return {};
    const [match] = matches;
    if (match!.objectType === 'Contact' || match!.objectType === 'Lead') return { whoId: match!.id };
    if (match!.objectType === 'PersonAccount')
        return { whoId: match!.contactId ?? undefined, whatId: match!.id };
    return { whatId: match!.id };
}

function problem(status: number, code: string): IvrWriteAnswer {
    return { status, body: { type: `urn:ccphone:problem:${code}`, status, code } };
}
