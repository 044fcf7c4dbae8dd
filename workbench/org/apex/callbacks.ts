/**
 * CallbackController / CallbackService and the callback part of IvrWriteService (F11, F24, I3): one open
 * callback Task per original call (its own Call_Log_Key__c row, `callback:` + the interaction id), listed for
 * its owner by due time and closed once the agent has called back.
 */
import { PhoneError } from '../errors';
import { label } from '../labels';
import { sameId, type SObject } from '../schema';
import { text, type ApexContext } from './context';

const KEY_PREFIX = 'callback:';
const OPEN_STATUS = 'Not Started';
const MAX_OPEN = 50;

/** One callback to create (CallbackService.Request). */
export interface CallbackRequest {
    originalInteractionId: string;
    dueAt?: string | null;
    phoneNumber?: string | null;
    callerName?: string | null;
    queue?: string | null;
    note?: string | null;
    whoId?: string | null;
    whatId?: string | null;
    /** The contact centre queued it (QueuedCallbackService): its callback id; not listed for agents. */
    queuedCallbackId?: string | null;
    /** To be queued in the contact centre (the wrap-up path with the option on). */
    queued?: boolean;
    /** The contact-centre campaign. */
    campaign?: string | null;
}

/** CallbackController.openCallbacks() */
export function openCallbacks(context: ApexContext): Record<string, unknown>[] {
    return context.db
        .all('Task')
        .filter(
            (task) =>
                typeof task.Callback_Of__c === 'string' &&
                task.Status !== 'Completed' &&
                task.Callback_Queued__c !== true &&
                sameId(task.OwnerId as string, context.user.Id)
        )
        .sort((a, b) => dueOf(a) - dueOf(b))
        .slice(0, MAX_OPEN)
        .map((task) => {
            const recordId = (task.WhatId ?? task.WhoId ?? null) as string | null;
            const record = recordId ? context.db.get(recordId) : null;
            return {
                id: task.Id,
                phoneNumber: task.Phone_Number__c ?? null,
                callerName: task.Caller_Name__c ?? null,
                dueAt: task.Callback_Due_At__c ?? null,
                originalInteractionId: task.Callback_Of__c,
                recordId,
                recordName: record ? (record.Name ?? null) : null,
                queue: task.Queue__c ?? null,
                note: task.Description ?? null
            };
        });
}

/** CallbackController.completeCallback(callbackId) */
export function completeCallback(context: ApexContext, params: Record<string, unknown>): null {
    const id = text(params.callbackId);
    const task = id ? context.db.get(id) : null;
    if (!task || typeof task.Callback_Of__c !== 'string' || !sameId(task.OwnerId as string, context.user.Id))
        throw new PhoneError(label(context.labels, 'Phone_Error_CallbackNotFound'));
    if (task.Status !== 'Completed') context.db.update(task.Id, { Status: 'Completed' });
    return null;
}

/** CallbackService.create: the callback Task of each call, created once; returns their ids by call. */
export function createCallbacks(context: ApexContext, requests: CallbackRequest[]): Map<string, string> {
    const created = new Map<string, string>();
    for (const request of requests) {
        // A leg of the pseudo interaction `callback:<id>` with no owner, as CallbackService keys it.
        const key = KEY_PREFIX + request.originalInteractionId;
        const leg = context.db.lockCallLogLeg(
            { legId: `${key}\n`, sipLegId: null, interactionId: key },
            context.user.Id
        )!;
        if (leg.taskId) {
            created.set(request.originalInteractionId, leg.taskId);
            continue;
        }
        const due = request.dueAt ?? new Date().toISOString();
        const party = request.phoneNumber || label(context.orgLabels, 'Phone_Label_UnknownCaller');
        const task = context.db.insert(
            'Task',
            {
                Subject: label(context.orgLabels, 'Phone_Task_SubjectCallback', party),
                Status: OPEN_STATUS,
                TaskSubtype: 'Task',
                ActivityDate: due.slice(0, 10),
                Callback_Due_At__c: due,
                Callback_Of__c: request.originalInteractionId,
                Callback_Requested__c: true,
                Phone_Number__c: request.phoneNumber ?? null,
                Caller_Name__c: request.callerName ?? null,
                Queue__c: request.queue ?? null,
                Description: request.note ?? null,
                WhoId: request.whoId ?? null,
                WhatId: request.whatId ?? null,
                Callback_Queued__c: request.queued === true || !!request.queuedCallbackId,
                Campaign__c: request.campaign ?? null,
                Contact_Centre_Callback_Id__c: request.queuedCallbackId ?? null
            },
            context.user.Id
        );
        context.db.linkCallLogLeg(leg.legId, task.Id);
        created.set(request.originalInteractionId, task.Id);
    }
    return created;
}

/**
 * QueuedCallbackService.closeAnswered: the answered calls the contact centre placed for queued callbacks close
 * their callback Tasks (by the contact centre's callback id, or the Task id it was given).
 */
export function closeAnsweredQueuedCallbacks(
    context: ApexContext,
    records: {
        outcome?: string | null;
        callback?: { callbackId?: string | null; callbackTaskId?: string | null } | null;
    }[]
): string[] {
    const closed: string[] = [];
    for (const record of records) {
        if (!record?.callback || record.outcome !== 'answered') continue;
        const { callbackId, callbackTaskId } = record.callback;
        for (const task of context.db.all('Task')) {
            const match =
                (callbackId && task.Contact_Centre_Callback_Id__c === callbackId) ||
                (callbackTaskId && sameId(task.Id, callbackTaskId));
            if (match && typeof task.Callback_Of__c === 'string' && task.Status !== 'Completed') {
                context.db.update(task.Id, { Status: 'Completed' });
                closed.push(task.Id);
            }
        }
    }
    return closed;
}

/**
 * QueuedCallbackJob / QueuedCallbackService.place: after the save (a Queueable in the org), each callback Task is
 * posted to `POST /v1/callbacks`; the Task gets the contact centre's id, or is listed for agents when it was not
 * taken.
 */
export function queueInContactCentre(context: ApexContext, taskIds: string[]): void {
    for (const taskId of taskIds) {
        const task = context.db.get(taskId);
        if (!task || task.Contact_Centre_Callback_Id__c) continue;
        const number = String(task.Phone_Number__c ?? '');
        const listForAgents = () => context.db.update(taskId, { Callback_Queued__c: false });
        if (!/^\+[1-9][0-9]{1,14}$/.test(number)) {
            listForAgents();
            continue;
        }
        void context.contactCentre
            .post<{ id?: string } | null>('/v1/callbacks', {
                phoneNumber: number,
                campaignId: task.Campaign__c ?? null,
                dueAt: task.Callback_Due_At__c ?? null,
                originalInteractionId: task.Callback_Of__c ?? null,
                relatedRecordId: task.WhatId ?? task.WhoId ?? null,
                callbackTaskId: task.Id
            })
            .then(
                (created) =>
                    created?.id
                        ? context.db.update(taskId, { Contact_Centre_Callback_Id__c: created.id })
                        : listForAgents(),
                listForAgents
            );
    }
}

function dueOf(task: SObject): number {
    const due = Date.parse(String(task.Callback_Due_At__c ?? ''));
    return Number.isFinite(due) ? due : Number.MAX_SAFE_INTEGER;
}
