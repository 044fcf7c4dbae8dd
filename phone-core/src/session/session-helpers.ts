/**
 * Pure helpers of the phone session: error views, input cleaning (dial context, devices, pause reasons, lookup
 * matches), status requests, call-data merging and small utilities. No state: every room may import them.
 *
 * @packageDocumentation
 */
import { AgentStatus, type MissedCallCause, type NextStatus, type PauseReason } from '../agent-status';
import { CallOutcome, type CallSnapshot } from '../call/call-machine';
import type { CallData } from '../call/call-data';
import type { CallLogEntry, KeyValueStorage } from '../outbox/call-log-outbox';
import type { MatchObjectType, RecordMatch } from '../screen-pop/screen-pop';
import type { AudioDevices } from '../sip/media';
import type { Clock, TimerHandle } from '../util/clock';
import { isRecordId } from './caller-card';
import { emptyWrapUpForm, mergeWrapUpForm, type InteractionRecord } from './interaction';
import {
    PHONE_ERROR_MESSAGE_KEYS,
    type CallerCard,
    type CampaignInfo,
    type DialContext,
    type PhoneErrorCode,
    type PhoneErrorView,
    type PhoneViewState,
    type RelatedRecord,
    type SessionResult,
    type SipSessionFailure,
    type StatusRequest,
    type WrapUpForm
} from './types';

const MATCH_OBJECT_TYPES: readonly MatchObjectType[] = [
    'PersonAccount',
    'Contact',
    'Lead',
    'Account',
    'Case',
    'Custom'
];

/** Waits for `work` (its failure counts as done), at most `ms` on `clock`. */
export async function withTimeout(clock: Clock, work: Promise<unknown>, ms: number): Promise<void> {
    let timer: TimerHandle | undefined;
    const budget = new Promise<void>((resolve) => {
        timer = clock.setTimeout(resolve, ms);
    });
    await Promise.race([
        work.then(
            () => undefined,
            () => undefined
        ),
        budget
    ]);
    clock.clearTimeout(timer);
}

export function errorView(
    code: PhoneErrorCode,
    at: number,
    detail?: string,
    reason?: string | number,
    callId?: string
): PhoneErrorView {
    const view: PhoneErrorView = { code, messageKey: PHONE_ERROR_MESSAGE_KEYS[code], at };
    if (detail) view.detail = String(detail).slice(0, 500);
    if (reason !== undefined) view.reason = reason;
    if (callId) view.callId = callId;
    return view;
}

export function asSessionResult(value: unknown): SessionResult {
    if (value && typeof value === 'object' && typeof (value as { ok?: unknown }).ok === 'boolean') {
        return value as SessionResult;
    }
    return { ok: false, error: 'unknown' };
}

export function nextStatusOf(request: StatusRequest | undefined): NextStatus | undefined {
    if (!request || typeof request !== 'object') return undefined;
    switch (request.status) {
        case 'Ready':
            return { status: AgentStatus.Ready };
        case 'NotReady':
            return { status: AgentStatus.NotReady };
        case 'Paused':
            return request.reason && typeof request.reason.id === 'string' && request.reason.id !== ''
                ? {
                      status: AgentStatus.Paused,
                      reason: { id: request.reason.id, label: String(request.reason.label ?? '') }
                  }
                : undefined;
        default:
            return undefined;
    }
}

/** The previous leader's status worth taking again (a call it had died with it: Not ready). */
export function restorableStatus(state: PhoneViewState | undefined): StatusRequest | undefined {
    const agent = state?.agent;
    if (!agent) return undefined;
    if (agent.status === AgentStatus.Ready) return { status: 'Ready' };
    if (agent.status === AgentStatus.Paused && agent.pauseReason)
        return { status: 'Paused', reason: agent.pauseReason };
    return undefined;
}

export function missedCause(snapshot: CallSnapshot): MissedCallCause {
    if (snapshot.outcome === CallOutcome.Rejected) return 'rejected';
    if (snapshot.outcome === CallOutcome.Missed && snapshot.endedBy === 'timeout') return 'timeout';
    return 'cancelled';
}

/** Call data the network sent (or sent later, outbound) into the interaction. */
export function mergeCallData(
    record: InteractionRecord,
    data: CallData | undefined,
    wrapSeconds: number
): void {
    if (!data) return;
    if (data.campaignId) record.campaignId = data.campaignId;
    if (data.campaignName) record.campaignName = data.campaignName;
    if (data.queue) record.queue = data.queue;
    if (data.ivrCode) record.ivrCode = data.ivrCode;
    if (data.recordingUrl) record.recordingUrl = data.recordingUrl;
    record.wrapSeconds = wrapSeconds;
}

/** A relation the agent made: picked a candidate, related the record on screen, set it in the wrap-up form. */
export function isManualRelation(related: RelatedRecord | null): related is RelatedRecord {
    return !!related && (related.source === 'chosen' || related.source === 'on-screen');
}

/** A related record as a candidate, when the candidate it came from is gone. */
export function matchOfRelated(related: RelatedRecord): RecordMatch {
    return { id: related.id, objectType: related.objectType, name: related.name };
}

/** Who a card's number is: the E.164 when valid, else the number as received, plus any extension. */
export function partyNumberKey(card: CallerCard): string {
    return `${card.e164 ?? card.rawNumber.trim()};${card.extension ?? ''}`;
}

export function clampWrap(seconds: number): number {
    return Number.isFinite(seconds) ? Math.min(3600, Math.max(0, Math.round(seconds))) : 0;
}

export function cleanMatches(value: unknown): RecordMatch[] {
    if (!Array.isArray(value)) return [];
    return value.filter(
        (m): m is RecordMatch =>
            !!m &&
            typeof m === 'object' &&
            typeof (m as RecordMatch).id === 'string' &&
            typeof (m as RecordMatch).objectType === 'string' &&
            typeof (m as RecordMatch).name === 'string'
    );
}

export function cleanPauseReasons(value: unknown[]): PauseReason[] {
    return value
        .filter(
            (r): r is PauseReason =>
                !!r && typeof (r as PauseReason).id === 'string' && (r as PauseReason).id !== ''
        )
        .map((r) => ({ id: r.id, label: typeof r.label === 'string' ? r.label : r.id }));
}

export function isCampaign(value: unknown): value is CampaignInfo {
    return (
        !!value &&
        typeof (value as CampaignInfo).id === 'string' &&
        typeof (value as CampaignInfo).wrapSeconds === 'number'
    );
}

export function cleanDialContext(context: DialContext | undefined): DialContext | undefined {
    if (!context || typeof context !== 'object') return undefined;
    const clean: DialContext = {};
    if (isRecordId(context.recordId)) clean.recordId = context.recordId;
    if (MATCH_OBJECT_TYPES.includes(context.objectType as MatchObjectType)) {
        clean.objectType = context.objectType as MatchObjectType;
    }
    if (typeof context.name === 'string' && context.name.trim()) clean.name = context.name;
    if (isRecordId(context.whoId)) clean.whoId = context.whoId;
    if (isRecordId(context.whatId)) clean.whatId = context.whatId;
    if (isRecordId(context.accountId)) clean.accountId = context.accountId;
    if (isRecordId(context.contactId)) clean.contactId = context.contactId;
    return Object.keys(clean).length > 0 ? clean : undefined;
}

export function cleanDevices(devices: AudioDevices | undefined): AudioDevices {
    const clean: AudioDevices = {};
    if (!devices || typeof devices !== 'object') return clean;
    for (const key of ['input', 'output', 'ring'] as const) {
        if (typeof devices[key] === 'string') clean[key] = devices[key];
    }
    return clean;
}

export function entryPatchOf(
    patch: Partial<WrapUpForm> | undefined
): Partial<Omit<CallLogEntry, 'interactionId'>> {
    const result: Partial<Omit<CallLogEntry, 'interactionId'>> = {};
    if (!patch) return result;
    const form = mergeWrapUpForm(emptyWrapUpForm(), patch);
    if (typeof patch.notes === 'string') result.notes = form.notes;
    if (typeof patch.disposition === 'string') result.disposition = form.disposition;
    if (typeof patch.callbackRequested === 'boolean') result.callbackRequested = form.callbackRequested;
    return result;
}

export function sipUserOf(sipUri: string): string {
    const match = /^sips?:([^@;>\s]+)@/i.exec(sipUri.trim());
    return match ? decodeURIComponent(match[1]) : '';
}

export function defaultStorage(): KeyValueStorage | null {
    try {
        const storage = (globalThis as { localStorage?: KeyValueStorage }).localStorage;
        return storage && typeof storage.getItem === 'function' ? storage : null;
    } catch {
        return null; // access itself throws where storage is disabled
    }
}

export function errorText(error: unknown): string {
    if (error instanceof Error) return error.message || error.name;
    return typeof error === 'string' ? error : 'unknown error';
}

export function cloneJson<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

/** Longest Retry-After honoured (a wrong header must not park the phone for a day). */
const MAX_RETRY_AFTER_SECONDS = 30 * 60;

/**
 * The structured failure in a `getSipSession` rejection (see {@link SipSessionFailure}), wherever the host put
 * it: the rejection itself, `body` (LWC's Apex error), or JSON in `message` / `body.message`, also with text
 * around it. HTTP statuses are understood too (401/403/404 not retryable, 429/5xx retryable). Null when none.
 */
export function parseSipSessionFailure(error: unknown): SipSessionFailure | null {
    const seen = new Set<unknown>();
    const candidates: unknown[] = [error];
    while (candidates.length > 0) {
        const candidate = candidates.shift();
        if (candidate === null || candidate === undefined || seen.has(candidate)) continue;
        seen.add(candidate);
        if (typeof candidate === 'string') {
            candidates.push(jsonIn(candidate));
            continue;
        }
        if (typeof candidate !== 'object') continue;
        const failure = failureOf(candidate as Record<string, unknown>);
        if (failure) return failure;
        const { body, message } = candidate as { body?: unknown; message?: unknown };
        candidates.push(body, message);
    }
    return null;
}

/** The error code that tells the agent what to do about a failure that retrying will not fix. */
export function sipSessionErrorCode(failure: SipSessionFailure): PhoneErrorCode {
    switch (failure.code.toLowerCase()) {
        case 'unauthorized':
        case 'invalid-api-key':
            return 'credentials-unauthorized';
        case 'no-seat':
        case 'licence-limit-exceeded':
        case 'license-limit-exceeded':
            return 'credentials-no-seat';
        case 'agent-not-found':
        case 'unknown-agent':
        case 'not-found':
            return 'credentials-unknown-agent';
        default:
            return 'credentials-refused';
    }
}

function failureOf(value: Record<string, unknown>): SipSessionFailure | null {
    const status = typeof value.status === 'number' ? value.status : value.httpStatus;
    const byStatus = typeof status === 'number' ? statusFailure(status) : undefined;
    const code = typeof value.code === 'string' && value.code.trim() ? value.code.trim() : undefined;
    // LWC's Apex error ({ status: 500, body: { message } }): the reason is in the body, not the status
    if (!code && typeof value.body === 'object' && value.body !== null) return null;
    if (!code && !byStatus) return null;
    const failure: SipSessionFailure = {
        code: code ?? (byStatus as SipSessionFailure).code,
        retryable:
            typeof value.retryable === 'boolean'
                ? value.retryable
                : (byStatus?.retryable ?? !(code && NOT_RETRYABLE_CODES.has(code.toLowerCase())))
    };
    const after = Number(value.retryAfterSeconds);
    if (value.retryAfterSeconds !== undefined && Number.isFinite(after) && after > 0) {
        failure.retryAfterSeconds = Math.min(Math.ceil(after), MAX_RETRY_AFTER_SECONDS);
    }
    return failure;
}

/** Codes that mean "retrying will not help" even when the host did not say `retryable: false`. */
const NOT_RETRYABLE_CODES = new Set([
    'unauthorized',
    'invalid-api-key',
    'forbidden',
    'no-seat',
    'licence-limit-exceeded',
    'license-limit-exceeded',
    'agent-not-found',
    'unknown-agent'
]);

function statusFailure(status: number): SipSessionFailure | undefined {
    if (status === 401) return { code: 'unauthorized', retryable: false };
    if (status === 403) return { code: 'forbidden', retryable: false };
    if (status === 404) return { code: 'agent-not-found', retryable: false };
    if (status === 429) return { code: 'rate-limited', retryable: true };
    if (status >= 500 && status < 600) return { code: 'unavailable', retryable: true };
    return undefined;
}

/** The JSON object inside a message (alone or with text around it), if any. */
function jsonIn(text: string): unknown {
    const start = text.indexOf('{');
    const end = text.lastIndexOf('}');
    if (start < 0 || end <= start) return undefined;
    try {
        return JSON.parse(text.slice(start, end + 1));
    } catch {
        return undefined;
    }
}

/** A rejection's readable text (LWC's Apex errors carry it in `body.message`). */
export function hostErrorText(error: unknown): string {
    if (error instanceof Error) return errorText(error);
    const body = (error as { body?: { message?: unknown } } | null)?.body;
    if (body && typeof body.message === 'string') return body.message;
    const message = (error as { message?: unknown } | null)?.message;
    return typeof message === 'string' ? message : errorText(error);
}
