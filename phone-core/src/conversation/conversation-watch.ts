/**
 * The contact centre's conversation in the wrap-up form (F22). After a recorded call the contact centre sends
 * its summary, a suggested call result and the transcript to Salesforce, which writes them to the call's Task
 * (`PUT .../conversations/v1/{interactionId}`). While the agent wraps up, the form asks Salesforce now and then
 * whether the summary has arrived (`ConversationController.getConversation`) and offers it with one click.
 *
 * Why asking and not a push to the browser: the summary lands on a Task that may not exist until the agent saves
 * (then it simply stays on the Task, in the Activity Timeline); asking costs a few reads per call and only during
 * wrap-up, and needs no extra permission. A platform event read with lightning/empApi would hold a CometD client
 * per logged-in agent (shared with every other streaming client of the org: 1,000 concurrent in Enterprise
 * Edition, 20 in Developer Edition) and count every delivery against the org's daily event delivery allocation
 * (Salesforce: "Platform Event Allocations", "Subscribe to Platform Event Notifications in a Lightning
 * Component"); a contact centre with many agents would reach them.
 *
 * The waits grow (see {@link CONVERSATION_POLL_DELAYS_MS}); asking stops when the summary arrives, when the
 * wrap-up ends (the form goes away: {@link ConversationWatch.stop}), after the last wait, or after
 * {@link MAX_FAILURES_IN_A_ROW} failed asks (e.g. no access: nothing changes on the phone).
 *
 * ```text
 *  Idle ──start──► Waiting ──timer──► Asking ──nothing yet──► Waiting ... (last wait passed) ──► GaveUp
 *                                       │ ──failed (MAX in a row)──────────────────────────────► GaveUp
 *                                       └──arrived──► Arrived
 *  Waiting / Asking ──stop──► Stopped            (Arrived, GaveUp and Stopped are final)
 * ```
 */
import type { Clock, TimerHandle } from '../util/clock';

/** What Salesforce answers (ConversationService.ConversationView). */
export interface ConversationView {
    interactionId?: string | null;
    arrived?: boolean | null;
    taskId?: string | null;
    summary?: string | null;
    suggestedResult?: string | null;
}

/** A summary the form can offer. */
export interface ConversationOffer {
    interactionId: string;
    summary: string | null;
    suggestedResult: string | null;
}

/** Where the watch is (see the module diagram). */
export enum ConversationWatchState {
    Idle = 'idle',
    Waiting = 'waiting',
    Asking = 'asking',
    Arrived = 'arrived',
    GaveUp = 'gave-up',
    Stopped = 'stopped'
}

const TRANSITIONS: Readonly<Record<ConversationWatchState, readonly ConversationWatchState[]>> = {
    [ConversationWatchState.Idle]: [
        ConversationWatchState.Waiting,
        ConversationWatchState.GaveUp,
        ConversationWatchState.Stopped
    ],
    [ConversationWatchState.Waiting]: [
        ConversationWatchState.Asking,
        ConversationWatchState.GaveUp,
        ConversationWatchState.Stopped
    ],
    [ConversationWatchState.Asking]: [
        ConversationWatchState.Waiting,
        ConversationWatchState.Arrived,
        ConversationWatchState.GaveUp,
        ConversationWatchState.Stopped
    ],
    [ConversationWatchState.Arrived]: [],
    [ConversationWatchState.GaveUp]: [],
    [ConversationWatchState.Stopped]: []
};

/**
 * Waits before each ask (ms): soon after the call (the contact centre's analysis takes seconds), then less
 * often; about ten minutes in all, longer than a usual wrap-up.
 */
export const CONVERSATION_POLL_DELAYS_MS: readonly number[] = [
    2000, 3000, 4000, 5000, 8000, 10_000, 15_000, 20_000, 30_000, 30_000, 60_000, 60_000, 60_000, 120_000,
    180_000
];

/** Failed asks in a row after which the watch gives up. */
export const MAX_FAILURES_IN_A_ROW = 3;

/** Options of {@link ConversationWatch}. */
export interface ConversationWatchOptions {
    interactionId: string;
    /** Asks Salesforce (the host's Apex call). */
    fetch: (interactionId: string) => Promise<ConversationView | null | undefined>;
    clock: Clock;
    /** Called once when a summary or suggested result has arrived. */
    onArrived: (offer: ConversationOffer) => void;
    delaysMs?: readonly number[];
}

/** See the module documentation. */
export class ConversationWatch {
    private current = ConversationWatchState.Idle;
    private attempt = 0;
    private failures = 0;
    private timer: TimerHandle | undefined;

    constructor(private readonly options: ConversationWatchOptions) {}

    /** Where the watch is. */
    get state(): ConversationWatchState {
        return this.current;
    }

    /** Starts asking (once). */
    start(): void {
        if (this.current !== ConversationWatchState.Idle) return;
        this.waitNext();
    }

    /** Stops asking (the wrap-up ended); an answer still on its way is ignored. */
    stop(): void {
        if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
        this.timer = undefined;
        this.transition(ConversationWatchState.Stopped);
    }

    private waitNext(): void {
        const delay = (this.options.delaysMs ?? CONVERSATION_POLL_DELAYS_MS)[this.attempt];
        if (delay === undefined) {
            this.transition(ConversationWatchState.GaveUp);
            return;
        }
        if (!this.transition(ConversationWatchState.Waiting)) return;
        this.timer = this.options.clock.setTimeout(() => {
            this.timer = undefined;
            void this.ask();
        }, delay);
    }

    private async ask(): Promise<void> {
        if (!this.transition(ConversationWatchState.Asking)) return;
        this.attempt += 1;
        let view: ConversationView | null | undefined;
        try {
            view = await this.options.fetch(this.options.interactionId);
            this.failures = 0;
        } catch {
            this.failures += 1;
        }
        if (this.current !== ConversationWatchState.Asking) return; // stopped while asking
        if (this.failures >= MAX_FAILURES_IN_A_ROW) {
            this.transition(ConversationWatchState.GaveUp);
            return;
        }
        const offer = offerOf(this.options.interactionId, view);
        if (offer) {
            this.transition(ConversationWatchState.Arrived);
            this.options.onArrived(offer);
            return;
        }
        this.waitNext();
    }

    /** The one guarded transition; false (and no change) when `to` is not allowed from here. */
    private transition(to: ConversationWatchState): boolean {
        if (!TRANSITIONS[this.current].includes(to)) return false;
        this.current = to;
        return true;
    }
}

/** The offer in an answer, or null while nothing (usable) has arrived. */
export function offerOf(
    interactionId: string,
    view: ConversationView | null | undefined
): ConversationOffer | null {
    if (!view || view.arrived !== true) return null;
    const summary =
        typeof view.summary === 'string' && view.summary.trim() !== '' ? view.summary.trim() : null;
    const suggestedResult =
        typeof view.suggestedResult === 'string' && view.suggestedResult.trim() !== ''
            ? view.suggestedResult.trim()
            : null;
    if (summary === null && suggestedResult === null) return null;
    return { interactionId, summary, suggestedResult };
}

/** Longest notes the wrap-up form takes (its textarea; the Task's Description holds 32,000). */
export const MAX_NOTES_LENGTH = 32_000;

/**
 * The notes with the summary added after what the agent typed (never replacing it): on a new paragraph, once
 * (already there: unchanged), cut so the notes fit {@link MAX_NOTES_LENGTH}. The agent can edit it away.
 */
export function notesWithSummary(notes: string, summary: string | null): string {
    const typed = notes ?? '';
    const text = (summary ?? '').trim();
    if (text === '' || typed.includes(text)) return typed;
    const base = typed.trimEnd();
    const separator = base === '' ? '' : '\n\n';
    const room = MAX_NOTES_LENGTH - base.length - separator.length;
    if (room <= 0) return typed;
    return base + separator + text.slice(0, room);
}

/**
 * The call result to set from a suggestion: the option whose value or label matches it (case and spaces
 * ignored), else the suggestion as it is (the form keeps an unknown value selectable); null for none.
 */
export function suggestedDisposition(
    suggested: string | null,
    options: ReadonlyArray<{ value: string; label: string }>
): string | null {
    const wanted = (suggested ?? '').trim();
    if (wanted === '') return null;
    const key = wanted.toLowerCase().replace(/\s+/g, ' ');
    const match = options.find(
        (option) =>
            option.value.toLowerCase().replace(/\s+/g, ' ') === key ||
            option.label.toLowerCase().replace(/\s+/g, ' ') === key
    );
    return match ? match.value : wanted;
}
