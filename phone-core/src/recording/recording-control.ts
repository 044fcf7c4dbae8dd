/**
 * Recording control with consent (F21): one call's recording state, the contact-centre request each agent
 * or page event needs, and the audit trail that goes to the call's Task.
 *
 * ```text
 *                  pause (agent / sensitive page)
 *   recording ─────────────────────────────────────► paused ──┐ another pause reason: stays paused
 *       ▲                                               │  ◄───┘
 *       └──── resume: the LAST pause reason is gone ────┘
 *   recording | paused ── consent declined ──► stopped   (terminal: nothing resumes it)
 * ```
 *
 * Pause reasons are a set: the agent pausing on a payment page and then leaving the page keeps the
 * recording paused until the agent resumes too, and the agent's resume on a sensitive page does not
 * resume it either (the page still forbids it). Consent is announced -> accepted | declined; declined
 * stops the recording for the rest of the call. Every change that took effect is one audit event with its
 * time; the events and the paused time go to the Task (`recordingAuditText`, `recordingPausedSeconds`).
 * Pure: the caller sends {@link RecordingTransition.request} to the contact centre and applies the new
 * state only when that succeeded.
 *
 * @packageDocumentation
 */

/** Where the recording is. */
export type RecordingMode = 'recording' | 'paused' | 'stopped';
/** Why it is paused. */
export type RecordingPauseReason = 'agent' | 'sensitive-page';
/** The caller's consent, as the agent recorded it. */
export type ConsentState = 'unknown' | 'announced' | 'accepted' | 'declined';

/** One audit event: what took effect, when (epoch ms), why. */
export interface RecordingAuditEvent {
    at: number;
    action: 'pause' | 'resume' | 'stop' | 'consent';
    /** pause/resume: the reason; consent: the new consent state; stop: `consent-declined`. */
    detail: string;
}

/** One call's recording state (plain JSON: persisted with the interaction, so a reload keeps it). */
export interface RecordingState {
    mode: RecordingMode;
    consent: ConsentState;
    pausedBy: RecordingPauseReason[];
    /** When the current pause began (epoch ms), while paused. */
    pausedSince?: number;
    /** Paused time of the pauses that ended (ms). */
    pausedMs: number;
    events: RecordingAuditEvent[];
}

/** What the agent or the page did. */
export type RecordingInput =
    | { type: 'pause'; reason: RecordingPauseReason }
    | { type: 'resume'; reason: RecordingPauseReason }
    | { type: 'consent'; consent: Exclude<ConsentState, 'unknown'> };

/** True when `value` is a well-formed {@link RecordingInput} (commands forwarded by other tabs are checked). */
export function isRecordingInput(value: unknown): value is RecordingInput {
    if (!value || typeof value !== 'object') return false;
    const input = value as Record<string, unknown>;
    if (input.type === 'pause' || input.type === 'resume')
        return input.reason === 'agent' || input.reason === 'sensitive-page';
    return (
        input.type === 'consent' &&
        (input.consent === 'announced' || input.consent === 'accepted' || input.consent === 'declined')
    );
}

/** The contact centre's recording operation (contract: POST /v1/calls/{interactionId}/recording). */
export type RecordingRequest = { action: 'pause' | 'resume' | 'stop'; reason: string };

/** The outcome of an input: the next state and the request that must succeed first (none: local only). */
export interface RecordingTransition {
    next: RecordingState;
    request?: RecordingRequest;
    /** False when the input changed nothing (no request, no audit event). */
    changed: boolean;
}

/** Most audit events kept per call (a stuck sensitive-page toggle must not grow the Task without end). */
export const MAX_RECORDING_EVENTS = 200;

/** Consent only moves forward; accepted -> declined is allowed (the caller changed their mind), back is not. */
const CONSENT_ORDER: Record<ConsentState, number> = { unknown: 0, announced: 1, accepted: 2, declined: 3 };

/** A call's state when it is answered: recording, consent not asked yet. */
export function initialRecordingState(): RecordingState {
    return { mode: 'recording', consent: 'unknown', pausedBy: [], pausedMs: 0, events: [] };
}

/** Applies one input at `now`; see the module documentation. Never changes `state`. */
export function applyRecordingInput(
    state: RecordingState,
    input: RecordingInput,
    now: number
): RecordingTransition {
    const unchanged: RecordingTransition = { next: state, changed: false };
    if (input.type === 'consent') {
        if (CONSENT_ORDER[input.consent] <= CONSENT_ORDER[state.consent]) return unchanged;
        const withConsent = withEvent({ ...state, consent: input.consent }, now, 'consent', input.consent);
        if (input.consent !== 'declined' || state.mode === 'stopped')
            return { next: withConsent, changed: true };
        const stopped = closePause(withConsent, now);
        return {
            next: withEvent({ ...stopped, mode: 'stopped', pausedBy: [] }, now, 'stop', 'consent-declined'),
            request: { action: 'stop', reason: 'consent-declined' },
            changed: true
        };
    }
    if (state.mode === 'stopped') return unchanged;
    if (input.type === 'pause') {
        if (state.pausedBy.includes(input.reason)) return unchanged;
        const pausedBy = [...state.pausedBy, input.reason];
        if (state.mode === 'paused') {
            return { next: withEvent({ ...state, pausedBy }, now, 'pause', input.reason), changed: true };
        }
        return {
            next: withEvent(
                { ...state, mode: 'paused', pausedBy, pausedSince: now },
                now,
                'pause',
                input.reason
            ),
            request: { action: 'pause', reason: input.reason },
            changed: true
        };
    }
    if (!state.pausedBy.includes(input.reason)) return unchanged;
    const pausedBy = state.pausedBy.filter((reason) => reason !== input.reason);
    if (pausedBy.length > 0) {
        return { next: withEvent({ ...state, pausedBy }, now, 'resume', input.reason), changed: true };
    }
    const resumed = closePause({ ...state, pausedBy }, now);
    return {
        next: withEvent({ ...resumed, mode: 'recording' }, now, 'resume', input.reason),
        request: { action: 'resume', reason: input.reason },
        changed: true
    };
}

/** Total paused time up to `now` (an open pause counts up to `now`; a stop ends it). */
export function recordingPausedMs(state: RecordingState, now: number): number {
    const open =
        state.mode === 'paused' && state.pausedSince !== undefined ? Math.max(0, now - state.pausedSince) : 0;
    return state.pausedMs + open;
}

/**
 * The audit trail as the Task keeps it: one line per event, `ISO time action detail`, oldest first (plain
 * text: readable in the record page, exportable from a report).
 */
export function recordingAuditText(state: RecordingState): string {
    return state.events
        .map((event) => `${new Date(event.at).toISOString()} ${event.action} ${event.detail}`)
        .join('\n');
}

/** A state read from storage, checked; undefined when it is not usable. */
export function parseRecordingState(value: unknown): RecordingState | undefined {
    if (!value || typeof value !== 'object') return undefined;
    const s = value as Partial<RecordingState>;
    const modes: RecordingMode[] = ['recording', 'paused', 'stopped'];
    const consents: ConsentState[] = ['unknown', 'announced', 'accepted', 'declined'];
    if (!modes.includes(s.mode as RecordingMode) || !consents.includes(s.consent as ConsentState))
        return undefined;
    const reasons: RecordingPauseReason[] = ['agent', 'sensitive-page'];
    const pausedBy = Array.isArray(s.pausedBy) ? s.pausedBy.filter((r) => reasons.includes(r)) : [];
    const events = Array.isArray(s.events)
        ? s.events.filter(
              (e): e is RecordingAuditEvent =>
                  !!e &&
                  typeof e === 'object' &&
                  typeof e.at === 'number' &&
                  ['pause', 'resume', 'stop', 'consent'].includes(e.action) &&
                  typeof e.detail === 'string'
          )
        : [];
    const state: RecordingState = {
        mode: s.mode as RecordingMode,
        consent: s.consent as ConsentState,
        pausedBy,
        pausedMs: typeof s.pausedMs === 'number' && Number.isFinite(s.pausedMs) ? Math.max(0, s.pausedMs) : 0,
        events: events.slice(-MAX_RECORDING_EVENTS)
    };
    if (state.mode === 'paused' && typeof s.pausedSince === 'number') state.pausedSince = s.pausedSince;
    return state;
}

function withEvent(
    state: RecordingState,
    at: number,
    action: RecordingAuditEvent['action'],
    detail: string
): RecordingState {
    return { ...state, events: [...state.events, { at, action, detail }].slice(-MAX_RECORDING_EVENTS) };
}

function closePause(state: RecordingState, now: number): RecordingState {
    if (state.mode !== 'paused' || state.pausedSince === undefined) return state;
    const next: RecordingState = {
        ...state,
        pausedMs: state.pausedMs + Math.max(0, now - state.pausedSince)
    };
    delete next.pausedSince;
    return next;
}

/** A page the agent is on: its object and, for a record page, the record's record type developer name. */
export interface PageContext {
    objectApiName?: string;
    recordTypeDeveloperName?: string;
}

/**
 * True when the admin marked the page sensitive: an entry `Object` matches every page of that object, an
 * entry `Object.RecordType` only records of that record type (names compared case-insensitively).
 */
export function isSensitivePage(page: PageContext | undefined, sensitive: readonly string[]): boolean {
    const object = page?.objectApiName?.trim().toLowerCase();
    if (!object) return false;
    const recordType = page?.recordTypeDeveloperName?.trim().toLowerCase();
    return sensitive.some((raw) => {
        const [entryObject, entryType] = raw.trim().toLowerCase().split('.', 2);
        if (entryObject !== object) return false;
        return entryType === undefined || entryType === '' || entryType === recordType;
    });
}

/** The admin's list (comma, semicolon or line separated) as entries; blanks and duplicates dropped. */
export function parseSensitivePages(text: string | null | undefined): string[] {
    const entries = (text ?? '')
        .split(/[,;\n]/)
        .map((entry) => entry.trim())
        .filter((entry) => /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$/.test(entry));
    return Array.from(new Set(entries));
}

/**
 * What the page the agent is on asks of the call's recording: a pause on a sensitive page, the resume of
 * that pause on any other page, nothing when the recording already agrees (or is stopped, or there is none).
 */
export function sensitivePageInput(
    recording: Pick<RecordingState, 'mode' | 'pausedBy'> | undefined | null,
    page: PageContext | undefined,
    sensitive: readonly string[]
): RecordingInput | undefined {
    if (!recording || recording.mode === 'stopped') return undefined;
    const onSensitivePage = isSensitivePage(page, sensitive);
    const held = recording.pausedBy.includes('sensitive-page');
    if (onSensitivePage && !held) return { type: 'pause', reason: 'sensitive-page' };
    if (!onSensitivePage && held) return { type: 'resume', reason: 'sensitive-page' };
    return undefined;
}
