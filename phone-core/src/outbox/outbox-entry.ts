/**
 * One call-log outbox entry: what a call's log is ({@link CallLogEntry}), what the server answers, the entry's
 * state machine ({@link transitionOutboxEntry}), the retry delay, and the stored record format with its
 * parsing and cleaning. Pure: no storage, no timers; {@link CallLogOutbox} (call-log-outbox.ts) owns those.
 *
 * @packageDocumentation
 */

import { refusalCode } from './final-refusals';

/** Result of the call, as Task.CallDisposition-independent outcome (F10, F11). */
export type CallLogOutcome = 'answered' | 'missed' | 'busy' | 'rejected' | 'failed' | 'no-answer';

/**
 * One call's log, shaped after the Task the server writes (TaskSubtype Call). Plain and serialisable.
 * Times are ISO 8601 strings.
 */
export interface CallLogEntry {
    /** The contact centre's interaction id: Task.CallObject and the idempotency key. */
    interactionId: string;
    /** Task.CallType Inbound / Outbound. */
    direction: 'inbound' | 'outbound';
    fromNumber: string;
    toNumber: string;
    /** Extension split off the number (FAULT-CASES 8). */
    extension?: string;
    /** Caller or callee name as shown (plain text). */
    displayName?: string;
    startedAt: string;
    answeredAt?: string;
    endedAt: string;
    /** Task.CallDurationInSeconds (talk time). */
    durationSeconds: number;
    outcome: CallLogOutcome;
    /** Task.CallDisposition (the wrap-up call result). */
    disposition?: string;
    /** Task.Description. */
    notes?: string;
    recordingUrl?: string;
    whoId?: string;
    whatId?: string;
    campaign?: string;
    queue?: string;
    ivrCode?: string;
    callbackRequested?: boolean;
    /** Salesforce user who handled the call (Task.OwnerId). */
    agentUserId?: string;
    /**
     * SIP Call-ID of this agent's leg: with a generated interaction id, the contact centre's push of the leg
     * finds this log by it (one Task per leg).
     */
    sipCallId?: string;
    /** Call quality (B4): the lowest MOS sample, Task.Mos_Lowest__c. */
    mosLowest?: number;
    /** The average MOS of the samples, Task.Mos_Average__c. */
    mosAverage?: number;
    /** The worst packet loss of a sample interval in percent, Task.Packet_Loss_Max__c. */
    packetLossMaxPct?: number;
    /** The worst jitter in ms, Task.Jitter_Max__c. */
    jitterMaxMs?: number;
    /** The caller's recording consent (F21): unknown, announced, accepted, declined; Task.Recording_Consent__c. */
    recordingConsent?: string;
    /** Time the recording was paused, seconds; Task.Recording_Paused_Seconds__c. */
    recordingPausedSeconds?: number;
    /** Every pause, resume, stop and consent change with its time, one per line; Task.Recording_Audit__c. */
    recordingAudit?: string;
}

/** What the server said about one send. */
export type CallLogSendResult =
    | { status: 'saved'; taskId: string }
    | {
          status: 'rejected';
          /** True for network errors, 5xx, 429, row locks; false for validation rules, FLS, required fields. */
          retryable: boolean;
          message: string;
          /** Server's Retry-After, in milliseconds. */
          retryAfterMs?: number;
          /** A stable reason, e.g. `interaction-not-issued` (final-refusals.ts). */
          code?: string;
      };

/** Port: sends one entry to the server (Apex), which upserts the Task by interaction id. */
export interface CallLogSender {
    /** May reject (treated as a retryable failure). */
    send(entry: CallLogEntry): Promise<CallLogSendResult>;
}

/** Port shaped like `localStorage`; `length`/`key` are optional and used to find orphaned entries. */
export interface KeyValueStorage {
    getItem(key: string): string | null;
    setItem(key: string, value: string): void;
    removeItem(key: string): void;
    readonly length?: number;
    key?(index: number): string | null;
}

/**
 * Entry states; see the diagram in the module documentation.
 */
export enum OutboxEntryState {
    Pending = 'pending',
    Sending = 'sending',
    RetryWait = 'retry-wait',
    NeedsAttention = 'needs-attention',
    Confirmed = 'confirmed'
}

const ALLOWED: Readonly<Record<OutboxEntryState, readonly OutboxEntryState[]>> = {
    // Pending -> Confirmed: the late answer of a send that had timed out (the entry was not changed since).
    [OutboxEntryState.Pending]: [OutboxEntryState.Sending, OutboxEntryState.Confirmed],
    [OutboxEntryState.Sending]: [
        OutboxEntryState.Confirmed,
        OutboxEntryState.RetryWait,
        OutboxEntryState.NeedsAttention,
        OutboxEntryState.Pending
    ],
    [OutboxEntryState.RetryWait]: [
        OutboxEntryState.Sending,
        OutboxEntryState.Pending,
        OutboxEntryState.Confirmed
    ],
    [OutboxEntryState.NeedsAttention]: [OutboxEntryState.Pending],
    [OutboxEntryState.Confirmed]: [OutboxEntryState.Pending]
};

/** True when `from -> to` is a legal entry transition. */
export function canTransitionOutboxEntry(from: OutboxEntryState, to: OutboxEntryState): boolean {
    return ALLOWED[from].includes(to);
}

/**
 * The one guarded transition of {@link OutboxEntryState}.
 * @throws Error on an illegal transition (a programming error)
 */
export function transitionOutboxEntry(from: OutboxEntryState, to: OutboxEntryState): OutboxEntryState {
    if (!canTransitionOutboxEntry(from, to)) {
        throw new Error(`Illegal outbox entry transition ${from} -> ${to}`);
    }
    return to;
}

/** A read-only view of one stored entry. */
export interface OutboxItem {
    readonly interactionId: string;
    /** A copy of the entry as it will be (or was) sent. */
    readonly entry: CallLogEntry;
    readonly state: OutboxEntryState;
    /** Sends made so far (including the one in flight). */
    readonly attempts: number;
    /** Retry-wait: when the next send is due (epoch ms). */
    readonly nextAttemptAt: number;
    /** The last rejection's message. */
    readonly lastError?: string;
    /** The last rejection's code (e.g. `interaction-not-issued`). */
    readonly lastErrorCode?: string;
    /** Id of the Task the server saved. */
    readonly taskId?: string;
    readonly enqueuedAt: number;
    readonly updatedAt: number;
    /** False while the entry exists only in memory (storage full or unavailable). */
    readonly durable: boolean;
}

/** Inputs of {@link retryDelayMs}. */
export interface RetryDelayOptions {
    baseDelayMs: number;
    maxDelayMs: number;
    maxRetryAfterMs: number;
    random: () => number;
    retryAfterMs?: number;
}

/**
 * Backoff before the next attempt after `failures` consecutive failures (1 = first failure): exponential,
 * capped at `maxDelayMs`, with equal jitter (half fixed, half random, so retries of many tabs or entries spread
 * out but never fire at once); at least the server's Retry-After (capped at `maxRetryAfterMs`); at least 1 ms.
 */
export function retryDelayMs(failures: number, options: RetryDelayOptions): number {
    const exponent = Math.max(0, Math.min(failures, 64) - 1);
    const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exponent);
    const jitter = Math.min(Math.max(options.random(), 0), 1);
    let delay = ceiling / 2 + (jitter * ceiling) / 2;
    const retryAfter = options.retryAfterMs;
    if (typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter > 0) {
        delay = Math.max(delay, Math.min(retryAfter, options.maxRetryAfterMs));
    }
    return Math.max(1, Math.round(delay));
}

/** What is stored per entry (version 1). */
export interface StoredRecord {
    v: 1;
    entry: CallLogEntry;
    state: OutboxEntryState;
    attempts: number;
    /** Consecutive failed sends (drives the backoff). */
    failures: number;
    nextAttemptAt: number;
    /** Bumped by every merge that changed the entry. */
    revision: number;
    enqueuedAt: number;
    updatedAt: number;
    lastError?: string;
    /** The last rejection's code, when the server gave one (final-refusals.ts). */
    lastErrorCode?: string;
    taskId?: string;
    /** Sending: until when the sender owns it. */
    leaseUntil?: number;
}

export interface MemoryRecord extends StoredRecord {
    durable: boolean;
    /** Present in the stored index. */
    indexed: boolean;
}

export const STATES = new Set<string>(Object.values(OutboxEntryState));
export const OUTSTANDING = new Set<OutboxEntryState>([
    OutboxEntryState.Pending,
    OutboxEntryState.Sending,
    OutboxEntryState.RetryWait
]);

/** When a record is due to be sent (infinite: not automatically). */
export function dueAt(record: StoredRecord): number {
    switch (record.state) {
        case OutboxEntryState.Pending:
            return Number.NEGATIVE_INFINITY;
        case OutboxEntryState.RetryWait:
            return record.nextAttemptAt;
        case OutboxEntryState.Sending:
            return record.leaseUntil ?? Number.NEGATIVE_INFINITY;
        default:
            return Number.POSITIVE_INFINITY;
    }
}

export function toStored(record: MemoryRecord): StoredRecord {
    const { durable: _durable, indexed: _indexed, ...stored } = record;
    return stored;
}

export function toItem(record: MemoryRecord): OutboxItem {
    const item: {
        -readonly [K in keyof OutboxItem]: OutboxItem[K];
    } = {
        interactionId: record.entry.interactionId,
        entry: cloneJson(record.entry),
        state: record.state,
        attempts: record.attempts,
        nextAttemptAt: record.nextAttemptAt,
        enqueuedAt: record.enqueuedAt,
        updatedAt: record.updatedAt,
        durable: record.durable
    };
    if (record.lastError !== undefined) item.lastError = record.lastError;
    if (record.lastErrorCode !== undefined) item.lastErrorCode = record.lastErrorCode;
    if (record.taskId !== undefined) item.taskId = record.taskId;
    return item;
}

export function cleanEntry(entry: CallLogEntry): CallLogEntry {
    if (!entry || typeof entry.interactionId !== 'string' || entry.interactionId.trim() === '') {
        throw new TypeError('A call log entry needs an interactionId');
    }
    return cloneJson(entry);
}

export function stripUndefined<T extends object>(value: T): Partial<T> {
    const result: Partial<T> = {};
    for (const [key, item] of Object.entries(value)) {
        if (item !== undefined) (result as Record<string, unknown>)[key] = item;
    }
    return result;
}

export function cloneJson<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

export function parseIndex(raw: string): string[] | undefined {
    try {
        const value: unknown = JSON.parse(raw);
        if (Array.isArray(value) && value.every((id) => typeof id === 'string' && id !== '')) {
            return Array.from(new Set(value as string[]));
        }
    } catch {
        // fall through: corrupt
    }
    return undefined;
}

/** @returns the record, or the reason it is unusable */
export function parseRecord(raw: string, id: string): StoredRecord | string {
    let value: unknown;
    try {
        value = JSON.parse(raw);
    } catch {
        return 'not valid JSON';
    }
    if (!isObject(value) || value.v !== 1) return 'unknown record format';
    const entry = value.entry;
    if (!isObject(entry) || entry.interactionId !== id)
        return 'entry missing or interaction id does not match its key';
    if (typeof value.state !== 'string' || !STATES.has(value.state)) return 'unknown state';
    for (const field of ['attempts', 'failures', 'nextAttemptAt', 'revision', 'enqueuedAt', 'updatedAt']) {
        if (typeof value[field] !== 'number' || !Number.isFinite(value[field])) return `bad ${field}`;
    }
    if (value.leaseUntil !== undefined && typeof value.leaseUntil !== 'number') return 'bad leaseUntil';
    return value as unknown as StoredRecord;
}

export function normaliseResult(result: unknown): CallLogSendResult {
    if (isObject(result)) {
        if (result.status === 'saved' && typeof result.taskId === 'string' && result.taskId !== '') {
            return { status: 'saved', taskId: result.taskId };
        }
        if (result.status === 'rejected') {
            const rejected: CallLogSendResult = {
                status: 'rejected',
                retryable: result.retryable !== false,
                message: typeof result.message === 'string' ? result.message : 'Rejected'
            };
            if (typeof result.retryAfterMs === 'number') rejected.retryAfterMs = result.retryAfterMs;
            const code = refusalCode(result.code);
            if (code !== undefined) rejected.code = code;
            return rejected;
        }
    }
    return { status: 'rejected', retryable: true, message: 'Unexpected answer from the server' };
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isQuotaError(error: unknown): boolean {
    if (!isObject(error) && !(error instanceof Error)) return false;
    const { name, code } = error as { name?: unknown; code?: unknown };
    // Chrome/Safari: QuotaExceededError (code 22); old Firefox: NS_ERROR_DOM_QUOTA_REACHED (1014).
    return (
        name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22 || code === 1014
    );
}

export function errorText(error: unknown): string {
    if (error instanceof Error) return error.message || error.name;
    return typeof error === 'string' ? error : 'Unknown error';
}
