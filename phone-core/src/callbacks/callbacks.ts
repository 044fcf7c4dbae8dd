/**
 * Callbacks in the phone (F11, F24): the agent's open callbacks (callback Tasks the IVR, a missed or
 * abandoned call or the wrap-up form made; the server's `CallbackController.openCallbacks`), their order
 * and due state, and when a call-back the agent started has been made so the callback can be closed.
 *
 * A callback is made by an outbound call to its number that was answered and started after the agent
 * clicked "call back": that call gets its own Task by the usual path (one Task per call); the callback Task
 * is then closed (`CallbackController.completeCallback`). An unanswered attempt leaves it open.
 */
import type { RecentCall } from '../session/types';
import { fallbackStorageKey, phoneSearchKeys, type PhoneNumberOptions } from '../phone-number';

/** An open callback as the server returns it (`CallbackService.CallbackView`). */
export interface OpenCallback {
    /** The callback Task. */
    id: string;
    /** The number to call back. */
    phoneNumber?: string | null;
    /** The caller's name as presented. */
    callerName?: string | null;
    /** When to call back (ISO 8601 or epoch ms), or none. */
    dueAt?: string | number | null;
    /** The original call's interaction id. */
    originalInteractionId?: string | null;
    /** The record the call-back is related to. */
    recordId?: string | null;
    /** That record's name. */
    recordName?: string | null;
    /** Contact-centre queue the caller waited in. */
    queue?: string | null;
}

/** A call-back the agent started: which callback, to which number, when. */
export interface CallbackAttempt {
    callbackId: string;
    number: string;
    /** Epoch ms of the click. */
    startedAt: number;
}

/** Slack for clocks: the call's start may be stamped a little before the click was recorded. */
const START_SLACK_MS = 2000;

/** The due time in epoch ms, or null when there is none or it cannot be read. */
export function callbackDueMs(callback: OpenCallback): number | null {
    const { dueAt } = callback;
    if (typeof dueAt === 'number') return Number.isFinite(dueAt) ? dueAt : null;
    if (typeof dueAt !== 'string' || dueAt === '') return null;
    const parsed = Date.parse(dueAt);
    return Number.isFinite(parsed) ? parsed : null;
}

/** Whether the callback is due now or late. */
export function isCallbackDue(callback: OpenCallback, nowMs: number): boolean {
    const due = callbackDueMs(callback);
    return due === null || due <= nowMs;
}

/** Callbacks the phone can show, the most urgent first (undated last); ones without a number are dropped. */
export function sortCallbacks(callbacks: readonly OpenCallback[] | null | undefined): OpenCallback[] {
    return (callbacks ?? [])
        .filter((callback) => typeof callback?.id === 'string' && !!callback.phoneNumber)
        .map((callback, index) => ({ callback, index, due: callbackDueMs(callback) }))
        .sort((a, b) => {
            if (a.due === b.due) return a.index - b.index;
            if (a.due === null) return 1;
            if (b.due === null) return -1;
            return a.due - b.due;
        })
        .map(({ callback }) => callback);
}

/**
 * The answered outbound call that made the attempted call-back, or undefined while there is none. The callback's
 * number may be stored in any format (`06-12345678`) while the call's is E.164: with the org's numbering the
 * call's search keys (national forms included) are matched against the stored number's storage key.
 * @param attempt the call-back the agent started
 * @param calls the phone's recent calls (`PhoneViewState.recentCalls`)
 * @param options the org's numbering (default country, area code); without it only equal keys match
 */
export function callbackMadeBy(
    attempt: CallbackAttempt | null | undefined,
    calls: readonly RecentCall[] | null | undefined,
    options?: PhoneNumberOptions
): RecentCall | undefined {
    if (!attempt) return undefined;
    const wanted = fallbackStorageKey(attempt.number);
    if (wanted === null) return undefined;
    const keysOf = (number: string): string[] => [
        ...(options ? phoneSearchKeys(number, options) : []),
        ...[fallbackStorageKey(number)].filter((key): key is string => key !== null)
    ];
    return (calls ?? []).find(
        (call) =>
            call.direction === 'outbound' &&
            call.outcome === 'answered' &&
            call.startedAt >= attempt.startedAt - START_SLACK_MS &&
            keysOf(call.number).includes(wanted)
    );
}
