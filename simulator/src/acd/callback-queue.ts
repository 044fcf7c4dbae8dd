/**
 * Queued callbacks (issue 15 point 4): callbacks the contact centre places itself when an agent of the queue is
 * Ready, instead of listing them in Salesforce for an agent to dial (I3). Created by the org
 * (`POST /v1/callbacks`, the wrap-up form's callback request through Apex) or by the IVR (a caller in a campaign
 * with `queuedCallbacks` who asks for a callback or hangs up in the queue, {@link CallbackQueue.fromEndedCall}).
 *
 * Rules (documented in the contract and ADMIN-GUIDE):
 * - A callback waits until `dueAt`, then for a **Ready** member of its queue; it goes to the longest-idle one
 *   like an inbound call (agents in Wrap, NotReady, Paused or Busy are never offered one). Callers waiting in a
 *   queue go before due callbacks; due callbacks go in `dueAt` order.
 * - The ACD rings the agent first with an INVITE marked as an outbound callback (X-CC-Direction: outbound,
 *   X-CC-Callback-Id, X-CC-Original-Interaction-Id, X-CC-Related-Record-Id, X-CC-Callback-Task-Id,
 *   X-CC-Customer-Number). An agent who lets it ring out is set NotReady and one who declines stays Ready, as for
 *   inbound calls; the call goes to the next Ready agent. When the agent answers, the contact centre dials the
 *   customer and bridges the two: the whole call is one outbound interaction whose record carries `callback`.
 * - The customer does not answer (busy, no answer, failed) or the agent hangs up before the customer answered:
 *   one attempt used. With attempts left the callback is due again `retryDelaySeconds` later (default 300);
 *   after `maxAttempts` (default 3) it is `failed`. Answered: `completed` once the call ends.
 * - `DELETE` cancels a callback that is scheduled or waiting for an agent; one ringing or connected is 409.
 *
 * Callbacks live in memory (a restart of the simulator drops them; a real contact centre keeps them).
 *
 * ```text
 *  Scheduled ──due──► Waiting ──offered to an agent──► Dialling ──customer answered──► Connected ──end──► Completed
 *     │ ▲               │                                 │ │
 *     │ └───────────────┼──── attempt failed, attempts left ┘ └── attempt failed, none left ──► Failed
 *     └──cancel──► Cancelled ◄──cancel──┘
 * ```
 */
import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../../../phone-core/src/util/clock';
import { newCallRecord, type CallbackLink, type CallRecordData, type Campaign, type Queue } from '../model';
import type { Store } from '../store/store';
import type { EventLog } from './events';

/** Where a queued callback is; see the module diagram. */
export enum CallbackState {
    Scheduled = 'scheduled',
    Waiting = 'waiting',
    Dialling = 'dialling',
    Connected = 'connected',
    Completed = 'completed',
    Failed = 'failed',
    Cancelled = 'cancelled'
}

const CALLBACK_TRANSITIONS: Record<CallbackState, readonly CallbackState[]> = {
    [CallbackState.Scheduled]: [CallbackState.Waiting, CallbackState.Cancelled],
    [CallbackState.Waiting]: [CallbackState.Dialling, CallbackState.Cancelled],
    [CallbackState.Dialling]: [
        CallbackState.Connected,
        CallbackState.Scheduled,
        CallbackState.Failed,
        CallbackState.Cancelled
    ],
    [CallbackState.Connected]: [CallbackState.Completed],
    [CallbackState.Completed]: [],
    [CallbackState.Failed]: [],
    [CallbackState.Cancelled]: []
};

/** The one guarded transition of {@link CallbackState}: false (and no change) when `to` is not allowed. */
export function transitionCallback(callback: { state: CallbackState }, to: CallbackState): boolean {
    if (!CALLBACK_TRANSITIONS[callback.state].includes(to)) return false;
    callback.state = to;
    return true;
}

/** One attempt of a callback: the call the contact centre placed. */
export interface CallbackAttempt {
    interactionId: string;
    startedAt: number;
    endedAt: number | null;
    outcome: CallRecordData['outcome'];
}

/** A callback the contact centre holds (the contract's `QueuedCallback`; times in epoch ms). */
export interface QueuedCallback {
    id: string;
    tenantId: string;
    state: CallbackState;
    phoneNumber: string;
    campaignId: string;
    queueId: string;
    dueAt: number;
    originalInteractionId: string | null;
    relatedRecordId: string | null;
    callbackTaskId: string | null;
    note: string | null;
    maxAttempts: number;
    retryDelaySeconds: number;
    attempts: CallbackAttempt[];
    createdAt: number;
    updatedAt: number;
}

/** What creating a callback takes (validated by the API against the contract first). */
export interface CallbackInput {
    phoneNumber: string;
    campaignId: string;
    queueId?: string | null;
    dueAt?: number | null;
    originalInteractionId?: string | null;
    relatedRecordId?: string | null;
    callbackTaskId?: string | null;
    note?: string | null;
    maxAttempts?: number;
    retryDelaySeconds?: number;
}

/** Why the queue refused a request (the API maps it to 404 / 409 / 422). */
export class CallbackError extends Error {
    constructor(
        readonly code: 'not-found' | 'validation-failed' | 'callback-not-cancellable',
        message: string,
        readonly pointer?: string
    ) {
        super(message);
        this.name = 'CallbackError';
    }
}

/** The ACD as the callback queue sees it (the ACD implements it; tests may fake it). */
export interface CallbackDialler {
    /** A callback became due: route waiting callbacks now. */
    callbacksChanged(): void;
    /** True while the call of a callback waits in the ACD for another agent (not ringing, not on). */
    callbackCallWaiting(interactionId: string): boolean;
    /** Ends the call of a callback that {@link callbackCallWaiting} (the callback was cancelled). */
    withdrawCallbackCall(interactionId: string): void;
}

/** The IVR data key a caller's callback request is kept under (see push/ivr-write.ts). */
const CALLBACK_AT_KEY = 'callbackAt';
/** The IVR data key of the Salesforce record the IVR's caller lookup found. */
export const RELATED_RECORD_KEY = 'relatedRecordId';

const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_RETRY_DELAY_SECONDS = 300;

/** See the module documentation. */
export class CallbackQueue {
    private readonly callbacks = new Map<string, QueuedCallback>();
    private readonly timers = new Map<string, TimerHandle>();
    private dialler: CallbackDialler | undefined;

    constructor(
        private readonly options: {
            store: Store;
            clock: Clock;
            events: EventLog;
        }
    ) {}

    /** Connects the ACD (it calls {@link waiting} and {@link started} while it routes). */
    setDialler(dialler: CallbackDialler): void {
        this.dialler = dialler;
    }

    /** Queues a callback; throws {@link CallbackError} for an unknown campaign or queue. */
    create(tenantId: string, input: CallbackInput): QueuedCallback {
        const { store, clock } = this.options;
        const campaign = store.getCampaign(tenantId, input.campaignId);
        if (!campaign)
            throw new CallbackError(
                'validation-failed',
                `unknown campaign "${input.campaignId}"`,
                '/campaignId'
            );
        const queueId = input.queueId ?? campaign.queueIds[0];
        if (!queueId || !store.getQueue(tenantId, queueId))
            throw new CallbackError('validation-failed', `unknown queue "${queueId ?? ''}"`, '/queueId');
        const now = clock.now();
        const callback: QueuedCallback = {
            id: `cbk-${randomUUID()}`,
            tenantId,
            state: CallbackState.Scheduled,
            phoneNumber: input.phoneNumber,
            campaignId: campaign.id,
            queueId,
            dueAt: Math.max(input.dueAt ?? now, now),
            originalInteractionId: input.originalInteractionId ?? null,
            relatedRecordId: input.relatedRecordId ?? null,
            callbackTaskId: input.callbackTaskId ?? null,
            note: input.note ?? null,
            maxAttempts: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
            retryDelaySeconds: input.retryDelaySeconds ?? DEFAULT_RETRY_DELAY_SECONDS,
            attempts: [],
            createdAt: now,
            updatedAt: now
        };
        this.callbacks.set(callback.id, callback);
        this.options.events.add(
            'callback-queued',
            { tenantId, interactionId: callback.originalInteractionId },
            {
                callbackId: callback.id,
                dueAt: callback.dueAt
            }
        );
        this.schedule(callback);
        return callback;
    }

    /**
     * The IVR path: an unanswered inbound call of a campaign with queued callbacks, where the caller asked for a
     * callback (`ivr.data.callbackAt`) or hung up in the queue, becomes a queued callback; its id is kept on the
     * record (`queuedCallbackId`) so the IVR write tells Salesforce. Registered before the push listener.
     */
    fromEndedCall(record: CallRecordData): QueuedCallback | null {
        if (record.direction !== 'inbound' || record.answeredAt !== null || !record.campaignId) return null;
        if (record.queuedCallbackId || !record.callerNumber) return null;
        const campaign = this.options.store.getCampaign(record.tenantId, record.campaignId);
        if (!campaign?.queuedCallbacks) return null;
        const requestedAt = Date.parse(record.ivr.data[CALLBACK_AT_KEY] ?? '');
        if (!Number.isFinite(requestedAt) && record.outcome !== 'abandoned') return null;
        const callback = this.create(record.tenantId, {
            phoneNumber: record.callerNumber,
            campaignId: record.campaignId,
            queueId: record.queueId,
            dueAt: Number.isFinite(requestedAt) ? requestedAt : null,
            originalInteractionId: record.interactionId,
            relatedRecordId: record.ivr.data[RELATED_RECORD_KEY] ?? null
        });
        record.queuedCallbackId = callback.id;
        return callback;
    }

    /** One callback of a tenant. */
    get(tenantId: string, id: string): QueuedCallback | undefined {
        const callback = this.callbacks.get(id);
        return callback && callback.tenantId === tenantId ? callback : undefined;
    }

    /** The callbacks of a tenant, by due time then id; `states` filters. */
    list(tenantId: string, states?: CallbackState[]): QueuedCallback[] {
        return [...this.callbacks.values()]
            .filter((cb) => cb.tenantId === tenantId && (!states || states.includes(cb.state)))
            .sort((a, b) => a.dueAt - b.dueAt || a.id.localeCompare(b.id));
    }

    /** Salesforce told the contact centre its callback Task (the IVR write's answer). */
    linkTask(tenantId: string, id: string, callbackTaskId: string): void {
        const callback = this.get(tenantId, id);
        if (!callback || callback.callbackTaskId) return;
        callback.callbackTaskId = callbackTaskId;
        this.touch(callback);
    }

    /** Cancels a callback that is scheduled or waiting for an agent. */
    cancel(tenantId: string, id: string): QueuedCallback {
        const callback = this.get(tenantId, id);
        if (!callback) throw new CallbackError('not-found', `Callback "${id}" does not exist.`);
        const attempt = callback.attempts[callback.attempts.length - 1];
        const waitingCall =
            callback.state === CallbackState.Dialling && attempt !== undefined
                ? this.dialler?.callbackCallWaiting(attempt.interactionId) === true
                : false;
        if (
            (callback.state === CallbackState.Dialling && !waitingCall) ||
            !transitionCallback(callback, CallbackState.Cancelled)
        ) {
            throw new CallbackError(
                'callback-not-cancellable',
                `Callback "${id}" is ${callback.state === CallbackState.Dialling ? 'ringing' : callback.state}; only a scheduled or waiting callback can be cancelled.`
            );
        }
        // after the transition: the withdrawn call's end must not schedule a retry
        if (waitingCall) this.dialler?.withdrawCallbackCall(attempt!.interactionId);
        this.clearTimer(id);
        this.touch(callback);
        this.options.events.add('callback-cancelled', { tenantId, interactionId: null }, { callbackId: id });
        return callback;
    }

    /** Due callbacks waiting for an agent, oldest due first (the ACD routes them after waiting callers). */
    waiting(): QueuedCallback[] {
        return [...this.callbacks.values()]
            .filter((cb) => cb.state === CallbackState.Waiting)
            .sort((a, b) => a.dueAt - b.dueAt || a.id.localeCompare(b.id));
    }

    /** The ACD offered a callback to an agent as the call `interactionId`: what the call relates to. */
    started(callback: QueuedCallback, interactionId: string): CallbackLink {
        transitionCallback(callback, CallbackState.Dialling);
        callback.attempts.push({
            interactionId,
            startedAt: this.options.clock.now(),
            endedAt: null,
            outcome: null
        });
        this.touch(callback);
        return {
            callbackId: callback.id,
            originalInteractionId: callback.originalInteractionId,
            relatedRecordId: callback.relatedRecordId,
            callbackTaskId: callback.callbackTaskId,
            attempt: callback.attempts.length
        };
    }

    /** The customer answered the callback's call. */
    answered(record: CallRecordData): void {
        const callback = this.ofRecord(record);
        if (callback && transitionCallback(callback, CallbackState.Connected)) this.touch(callback);
    }

    /** A callback's call ended (the ACD's call-ended listener): completed, retried or failed. */
    callEnded(record: CallRecordData): void {
        const callback = this.ofRecord(record);
        if (!callback) return;
        const attempt = callback.attempts.find((a) => a.interactionId === record.interactionId);
        if (attempt) {
            attempt.endedAt = record.endedAt;
            attempt.outcome = record.outcome;
        }
        if (callback.state === CallbackState.Connected || record.answeredAt !== null) {
            if (callback.state === CallbackState.Dialling)
                transitionCallback(callback, CallbackState.Connected);
            transitionCallback(callback, CallbackState.Completed);
        } else if (callback.state === CallbackState.Dialling) {
            if (callback.attempts.length < callback.maxAttempts) {
                transitionCallback(callback, CallbackState.Scheduled);
                callback.dueAt = this.options.clock.now() + callback.retryDelaySeconds * 1000;
                this.schedule(callback);
            } else {
                transitionCallback(callback, CallbackState.Failed);
            }
        }
        this.touch(callback);
        this.options.events.add(
            'callback-attempt-ended',
            { tenantId: record.tenantId, interactionId: record.interactionId },
            { callbackId: callback.id, outcome: record.outcome, state: callback.state }
        );
    }

    /** Stops every timer. */
    close(): void {
        for (const timer of this.timers.values()) this.options.clock.clearTimeout(timer);
        this.timers.clear();
    }

    private ofRecord(record: CallRecordData): QueuedCallback | undefined {
        return record.callback ? this.get(record.tenantId, record.callback.callbackId) : undefined;
    }

    /** Due now: waiting for an agent at once; else when `dueAt` comes. */
    private schedule(callback: QueuedCallback): void {
        this.clearTimer(callback.id);
        const due = () => {
            this.timers.delete(callback.id);
            if (!transitionCallback(callback, CallbackState.Waiting)) return;
            this.touch(callback);
            this.dialler?.callbacksChanged();
        };
        const delay = callback.dueAt - this.options.clock.now();
        if (delay <= 0) due();
        else this.timers.set(callback.id, this.options.clock.setTimeout(due, delay));
    }

    private clearTimer(id: string): void {
        const timer = this.timers.get(id);
        if (timer !== undefined) this.options.clock.clearTimeout(timer);
        this.timers.delete(id);
    }

    private touch(callback: QueuedCallback): void {
        callback.updatedAt = this.options.clock.now();
    }
}

/**
 * The ACD's record of a callback's call: outbound, from the campaign's presentation number to the customer, in
 * the callback's queue (the ACD sets `callback` once an agent is picked).
 */
export function callbackCallRecord(
    callback: QueuedCallback,
    campaign: Campaign | undefined,
    queue: Queue | undefined,
    now: number
): CallRecordData {
    return newCallRecord({
        interactionId: `int-${randomUUID()}`,
        tenantId: callback.tenantId,
        direction: 'outbound',
        state: 'queued',
        callerNumber: campaign?.outboundPresentationNumber ?? null,
        callerName: campaign?.name ?? null,
        calleeNumber: callback.phoneNumber,
        campaignId: campaign?.id ?? null,
        campaignName: campaign?.name ?? null,
        queueId: queue?.id ?? null,
        queueName: queue?.name ?? null,
        offeredAt: now,
        callback: null
    });
}
