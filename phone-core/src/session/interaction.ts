/**
 * One interaction (one primary call) from the first ring or dial until its call log is in the outbox
 * (F10, F12, B2). The session keeps one {@link InteractionRecord} per interaction id, persists it on every
 * change (so a reload or a crashed leader tab loses nothing the agent typed), and writes the call log exactly
 * once: on the single transition into {@link InteractionState.Logged}.
 *
 * ```text
 *                 call ended, answered (wrap-up form)
 *   InCall ───────────────────────────────────────────► WrapUp
 *     │                                                    │  submitWrapUp / wrap ended (timer, endWrap,
 *     │ call ended, not answered (missed, rejected, busy,  │  status change, dial) / own deadline after
 *     │ no answer, failed); answered with 0 s wrap;        │  a reload
 *     │ interrupted (found InCall after a reload)          ▼
 *     └──────────────────────────────────────────────► Logged   (terminal: the log is in the outbox)
 * ```
 *
 * Mermaid (same machine):
 * ```mermaid
 * stateDiagram-v2
 *   [*] --> InCall: ringing / dialling
 *   InCall --> WrapUp: ended (answered)
 *   InCall --> Logged: ended (not answered, 0 s wrap, interrupted)
 *   WrapUp --> Logged: submit / wrap ended / deadline
 *   Logged --> [*]
 * ```
 *
 * @packageDocumentation
 */
import type { CallLogEntry, CallLogOutcome } from '../outbox/call-log-outbox';
import { CallDirection, CallOutcome, type CallSnapshot } from '../call/call-machine';
import type { RecordMatch, ScreenPopDecision } from '../screen-pop/screen-pop';
import { parseQualitySummary, qualityFigures, type QualitySummary } from '../sip/call-quality';
import {
    parseRecordingState,
    recordingAuditText,
    recordingPausedMs,
    type RecordingState
} from '../recording/recording-control';
import type { CallerCard, InteractionView, RelatedRecord, WrapUpForm } from './types';

/** State of an interaction's log; see the module diagram. */
export enum InteractionState {
    InCall = 'InCall',
    WrapUp = 'WrapUp',
    Logged = 'Logged'
}

const INTERACTION_TRANSITIONS: Readonly<Record<InteractionState, readonly InteractionState[]>> = {
    [InteractionState.InCall]: [InteractionState.WrapUp, InteractionState.Logged],
    [InteractionState.WrapUp]: [InteractionState.Logged],
    [InteractionState.Logged]: []
};

/** True when `from -> to` is a legal interaction transition. */
export function canTransitionInteraction(from: InteractionState, to: InteractionState): boolean {
    return INTERACTION_TRANSITIONS[from].includes(to);
}

/**
 * The one guarded transition of {@link InteractionState}.
 * @throws Error on an illegal transition (a programming error: the session checks first)
 */
export function transitionInteraction(from: InteractionState, to: InteractionState): InteractionState {
    if (!canTransitionInteraction(from, to)) {
        throw new Error(`Illegal interaction transition ${from} -> ${to}`);
    }
    return to;
}

/** An empty wrap-up form. */
export function emptyWrapUpForm(): WrapUpForm {
    return { notes: '', disposition: '', relatedRecordId: null, callbackRequested: false };
}

/** Longest notes kept (Task.Description holds 32k). */
export const MAX_WRAP_UP_NOTES = 32000;
/** Longest disposition kept (Task.CallDisposition holds 255). */
export const MAX_DISPOSITION = 255;

/**
 * Applies a partial form to a form; unknown or mistyped fields are ignored, text is capped at the Task
 * field limits (never split inside a surrogate pair).
 */
export function mergeWrapUpForm(form: WrapUpForm, patch: Partial<WrapUpForm> | undefined): WrapUpForm {
    const next: WrapUpForm = { ...form };
    if (!patch || typeof patch !== 'object') return next;
    if (typeof patch.notes === 'string') next.notes = capText(patch.notes, MAX_WRAP_UP_NOTES);
    if (typeof patch.disposition === 'string') next.disposition = capText(patch.disposition, MAX_DISPOSITION);
    if (patch.relatedRecordId === null || typeof patch.relatedRecordId === 'string') {
        next.relatedRecordId = patch.relatedRecordId === '' ? null : patch.relatedRecordId;
    }
    if (typeof patch.callbackRequested === 'boolean') next.callbackRequested = patch.callbackRequested;
    return next;
}

/** What the session persists per interaction (version 1). Plain JSON. */
export interface InteractionRecord {
    v: 1;
    interactionId: string;
    callId: string;
    state: InteractionState;
    direction: 'inbound' | 'outbound';
    caller: CallerCard;
    /** The agent's own address (SIP user), the other end of the Task's from/to. */
    agentNumber: string;
    startedAt: number;
    answeredAt?: number;
    endedAt?: number;
    outcome?: CallLogOutcome;
    durationSeconds?: number;
    draft: WrapUpForm;
    related: RelatedRecord | null;
    candidates: RecordMatch[];
    screenPop: ScreenPopDecision | null;
    /**
     * WrapUp: true when the interaction is logged by its own `deadline` (restored after a reload, or ended while
     * the leader tab was closing); false when the agent status Wrap decides (timer, endWrap, status change).
     */
    ownDeadline: boolean;
    deadline?: number;
    /** Wrap time of this call (campaign, header, or default), seconds. */
    wrapSeconds: number;
    campaignId?: string;
    campaignName?: string;
    queue?: string;
    ivrCode?: string;
    recordingUrl?: string;
    /** SIP Call-ID of this agent's leg (the latest session's, after a Replaces takeover). */
    sipCallId?: string;
    /** The call's quality samples so far (B4). */
    quality?: QualitySummary;
    /** Recording control and consent (F21), from the answer on. */
    recording?: RecordingState;
    /** Last change (epoch ms). */
    updatedAt: number;
}

/** Maps a call's outcome to the log's outcome (F10, F11). */
export function callLogOutcomeOf(
    snapshot: Pick<CallSnapshot, 'outcome' | 'direction' | 'answeredAt'>
): CallLogOutcome {
    switch (snapshot.outcome) {
        case CallOutcome.Answered:
            return 'answered';
        case CallOutcome.Missed:
            return 'missed';
        case CallOutcome.Rejected:
            return 'rejected';
        case CallOutcome.Busy:
            return 'busy';
        case CallOutcome.NoAnswer:
            return 'no-answer';
        case CallOutcome.Cancelled:
            // inbound: completed elsewhere (someone else took it); outbound: the agent gave up before an answer
            return snapshot.direction === CallDirection.Inbound ? 'missed' : 'no-answer';
        case CallOutcome.Failed:
            return 'failed';
        default:
            return snapshot.answeredAt !== undefined ? 'answered' : 'failed';
    }
}

/** Options of {@link buildCallLogEntry}. */
export interface CallLogEntryOptions {
    /** Task owner. */
    agentUserId: string;
    /** Display name for withheld callers (FAULT-CASES 10). */
    unknownCallerName: string;
    /** Time to use as the end when the interaction has none (interrupted calls). */
    now: number;
}

/** The call log (Task) of an interaction, as the outbox stores and Apex upserts it. */
export function buildCallLogEntry(record: InteractionRecord, options: CallLogEntryOptions): CallLogEntry {
    const caller = record.caller;
    const other = caller.e164 ?? caller.rawNumber;
    const endedAt = record.endedAt ?? Math.max(options.now, record.startedAt);
    const answered = record.answeredAt !== undefined;
    const outcome = record.outcome ?? (answered ? 'answered' : 'missed');
    const talkMs = answered ? Math.max(0, endedAt - (record.answeredAt as number)) : 0;
    const entry: CallLogEntry = {
        interactionId: record.interactionId,
        direction: record.direction,
        fromNumber: record.direction === 'inbound' ? other : record.agentNumber,
        toNumber: record.direction === 'inbound' ? record.agentNumber : other,
        startedAt: iso(record.startedAt),
        endedAt: iso(endedAt),
        durationSeconds: record.durationSeconds ?? Math.round(talkMs / 1000),
        outcome,
        agentUserId: options.agentUserId
    };
    if (answered) entry.answeredAt = iso(record.answeredAt as number);
    if (caller.extension) entry.extension = caller.extension;
    const name = caller.name || caller.displayName;
    if (name) entry.displayName = name;
    else if (caller.numberKind !== 'valid') entry.displayName = options.unknownCallerName;
    if (record.draft.disposition) entry.disposition = record.draft.disposition;
    if (record.draft.notes) entry.notes = record.draft.notes;
    if (record.recordingUrl) entry.recordingUrl = record.recordingUrl;
    if (record.related?.whoId) entry.whoId = record.related.whoId;
    if (record.related?.whatId) entry.whatId = record.related.whatId;
    const campaign = record.campaignName ?? record.campaignId;
    if (campaign) entry.campaign = campaign;
    if (record.queue) entry.queue = record.queue;
    if (record.ivrCode) entry.ivrCode = record.ivrCode;
    if (record.draft.callbackRequested) entry.callbackRequested = true;
    if (record.sipCallId) entry.sipCallId = record.sipCallId;
    const quality = qualityFigures(record.quality);
    if (quality) Object.assign(entry, quality);
    if (record.recording) {
        const endMs = record.endedAt ?? Math.max(options.now, record.startedAt);
        entry.recordingConsent = record.recording.consent;
        entry.recordingPausedSeconds = Math.round(recordingPausedMs(record.recording, endMs) / 1000);
        const audit = recordingAuditText(record.recording);
        if (audit) entry.recordingAudit = audit;
    }
    return entry;
}

/** The UI view of an interaction. `agentWrapDeadline` is the agent status's wrap deadline, if any. */
export function interactionView(
    record: InteractionRecord,
    agentWrapDeadline: number | undefined
): InteractionView {
    const view: InteractionView = {
        interactionId: record.interactionId,
        callId: record.callId,
        state: record.state,
        direction: record.direction,
        caller: record.caller,
        startedAt: record.startedAt,
        draft: { ...record.draft },
        related: record.related,
        candidates: record.candidates,
        screenPop: record.screenPop
    };
    if (record.answeredAt !== undefined) view.answeredAt = record.answeredAt;
    if (record.endedAt !== undefined) view.endedAt = record.endedAt;
    if (record.outcome !== undefined) view.outcome = record.outcome;
    if (record.durationSeconds !== undefined) view.durationSeconds = record.durationSeconds;
    if (record.recordingUrl) view.recordingUrl = record.recordingUrl;
    if (record.campaignName) view.campaignName = record.campaignName;
    if (record.state === InteractionState.WrapUp) {
        const deadline = record.ownDeadline ? record.deadline : agentWrapDeadline;
        if (deadline !== undefined) view.deadline = deadline;
    }
    return view;
}

/** Checks a value read from storage; undefined when it is not a usable record. */
export function parseInteractionRecord(value: unknown): InteractionRecord | undefined {
    if (!value || typeof value !== 'object') return undefined;
    const r = value as Partial<InteractionRecord>;
    const states = Object.values(InteractionState) as string[];
    if (
        r.v !== 1 ||
        typeof r.interactionId !== 'string' ||
        r.interactionId === '' ||
        typeof r.callId !== 'string' ||
        typeof r.state !== 'string' ||
        !states.includes(r.state) ||
        (r.direction !== 'inbound' && r.direction !== 'outbound') ||
        !r.caller ||
        typeof r.caller !== 'object' ||
        typeof r.startedAt !== 'number' ||
        !r.draft ||
        typeof r.draft !== 'object'
    ) {
        return undefined;
    }
    const { quality, recording, ...rest } = r as InteractionRecord;
    const summary = parseQualitySummary(quality);
    const recordingState = parseRecordingState(recording);
    const record: InteractionRecord = {
        ...rest,
        ...(summary ? { quality: summary } : {}),
        ...(recordingState ? { recording: recordingState } : {}),
        agentNumber: typeof r.agentNumber === 'string' ? r.agentNumber : '',
        draft: mergeWrapUpForm(emptyWrapUpForm(), r.draft),
        related: r.related && typeof r.related === 'object' ? r.related : null,
        candidates: Array.isArray(r.candidates) ? r.candidates : [],
        screenPop: r.screenPop && typeof r.screenPop === 'object' ? r.screenPop : null,
        ownDeadline: r.ownDeadline === true,
        wrapSeconds: typeof r.wrapSeconds === 'number' && Number.isFinite(r.wrapSeconds) ? r.wrapSeconds : 0,
        updatedAt: typeof r.updatedAt === 'number' ? r.updatedAt : r.startedAt
    };
    if (typeof record.sipCallId !== 'string') delete record.sipCallId;
    return record;
}

function iso(epochMs: number): string {
    return new Date(epochMs).toISOString();
}

function capText(text: string, limit: number): string {
    if (text.length <= limit) return text;
    let cut = text.slice(0, limit);
    const last = cut.charCodeAt(cut.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
    return cut;
}
