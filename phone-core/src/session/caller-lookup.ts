/**
 * `CallerLookup`: who is calling, and where the agent is taken (the screen-pop decision).
 *
 * Owns: the running lookups by call id (an unanswered call's log waits, at most {@link LOOKUP_WAIT_MS}, for
 * its lookup so the Task gets its Who/What in one write), and the rule that only a leg's latest lookup
 * decides (a result that arrives after a newer remote party change is dropped). Applying a decision sets the
 * interaction's card, candidates and relation (a relation the agent made by hand is kept) and emits the
 * `incoming-call` notification and the `screenPop` event through the journal.
 *
 * Talks to: the host's `lookupCaller`, the {@link InteractionBook} (records and legs), the
 * {@link EventJournal}, and `setError` for a failed lookup.
 *
 * @packageDocumentation
 */
import { CallState } from '../call/call-machine';
import { normalizePhoneNumber, type PhoneNumberOptions } from '../phone-number';
import {
    decideScreenPop,
    type RecordMatch,
    type ScreenPopRules,
    type TaskRelationOptions
} from '../screen-pop/screen-pop';
import type { Clock } from '../util/clock';
import { candidatesOf, cardWithDecision, matchFromRef, relatedFromDecision } from './caller-card';
import type { EventJournal } from './event-journal';
import type { InteractionRecord } from './interaction';
import { findCandidate, type CallTrack, type InteractionBook } from './interaction-book';
import { cleanMatches, errorText, isManualRelation, withTimeout } from './session-helpers';
import type { CallerLookupRequest, DialContext, LookupState, PhoneErrorCode } from './types';

/** How long an unanswered call's log waits for a lookup still running. */
const LOOKUP_WAIT_MS = 10_000;

/** The leader's stack as far as a lookup cares: a result arriving after teardown is dropped. */
export interface LookupOwner {
    readonly tearingDown: boolean;
}

/** What the lookups need from the session. */
export interface CallerLookupPorts {
    readonly clock: Clock;
    readonly numberOptions: PhoneNumberOptions;
    readonly screenPopRules: ScreenPopRules;
    readonly relationOptions: TaskRelationOptions;
    readonly book: InteractionBook;
    readonly journal: EventJournal;
    lookupCaller(request: CallerLookupRequest): Promise<RecordMatch[]>;
    setError(code: PhoneErrorCode, detail?: string, reason?: string | number, callId?: string): void;
    changed(): void;
}

/** Caller lookups and screen-pop decisions; see the module documentation. */
export class CallerLookup {
    /** Running lookups by call id. */
    private readonly running = new Map<string, Promise<void>>();

    constructor(private readonly ports: CallerLookupPorts) {}

    /** The leader's live state goes. */
    clear(): void {
        this.running.clear();
    }

    /**
     * One lookup per call, and one more per remote party change (`partyChange`): number keys + IVR case code
     * (+ the dialled-from record). Only the leg's latest lookup decides.
     */
    start(
        owner: LookupOwner,
        record: InteractionRecord,
        track: CallTrack,
        context: DialContext | undefined,
        partyChange = false
    ): void {
        const generation = ++track.lookupRun;
        const normalized = normalizePhoneNumber(record.caller.rawNumber, this.ports.numberOptions);
        const request: CallerLookupRequest = {
            searchKeys: normalized.searchKeys,
            e164: normalized.e164,
            number: record.caller.rawNumber,
            direction: record.direction,
            interactionId: record.interactionId
        };
        if (record.ivrCode) request.ivrCaseCode = record.ivrCode;
        if (context?.recordId) request.dialledFromRecordId = context.recordId;
        const decide = (matches: RecordMatch[], state: LookupState): void => {
            track.lookup = state;
            this.applyDecision(record, track, matches, normalized, context, partyChange);
        };
        const callId = track.snapshot.id;
        if (!normalized.searchable && !record.ivrCode && !context?.recordId) {
            this.running.delete(callId); // an older party's lookup still running is stale: nothing to wait for
            decide([], 'skipped');
            return;
        }
        track.lookup = 'pending';
        const run = (async () => {
            let matches: RecordMatch[] = [];
            let failed = false;
            try {
                matches = cleanMatches(await this.ports.lookupCaller(request));
            } catch (error) {
                failed = true;
                if (!owner.tearingDown && track.lookupRun === generation) {
                    this.ports.setError('lookup-failed', errorText(error), undefined, callId);
                }
            }
            if (owner.tearingDown || this.ports.book.get(record.interactionId) !== record) return;
            if (track.lookupRun !== generation) return; // the remote party changed meanwhile: stale
            decide(matches, failed ? 'failed' : 'done');
            this.ports.changed();
        })();
        this.running.set(callId, run);
        void run.finally(() => {
            if (this.running.get(callId) === run) this.running.delete(callId);
        });
    }

    /**
     * Resolves when the running lookup of `interactionId`'s call is over, or after `maxWaitMs`; at once when
     * none runs.
     */
    settled(interactionId: string | undefined, maxWaitMs: number): Promise<void> {
        if (interactionId === undefined) return Promise.resolve();
        let lookup: Promise<void> | undefined;
        for (const [callId, track] of this.ports.book.tracks) {
            if (track.interactionId === interactionId) lookup = this.running.get(callId) ?? lookup;
        }
        return lookup ? withTimeout(this.ports.clock, lookup, maxWaitMs) : Promise.resolve();
    }

    /** Not answered: log once the lookup (if still running) answered, so the Task gets its Who/What. */
    async logWhenLookedUp(owner: LookupOwner, record: InteractionRecord, callId: string): Promise<void> {
        const pending = this.running.get(callId);
        if (pending && !owner.tearingDown) await withTimeout(this.ports.clock, pending, LOOKUP_WAIT_MS);
        if (this.ports.book.get(record.interactionId) !== record) return; // the next leader logs it
        this.ports.book.log(record);
    }

    private applyDecision(
        record: InteractionRecord,
        track: CallTrack,
        matches: RecordMatch[],
        normalized: ReturnType<typeof normalizePhoneNumber>,
        context: DialContext | undefined,
        partyChange: boolean
    ): void {
        const decision = decideScreenPop(
            {
                matches,
                number: {
                    e164: normalized.e164,
                    searchable: normalized.searchable,
                    anonymous: normalized.kind === 'anonymous' || normalized.kind === 'empty'
                },
                direction: record.direction,
                ivrCaseCode: record.ivrCode,
                dialledFromRecordId: context?.recordId,
                dialledFromRecord: context?.recordId
                    ? matchFromRef({ ...context, id: context.recordId })
                    : undefined
            },
            this.ports.screenPopRules
        );
        const chosenByAgent = isManualRelation(record.related);
        // the agent's own record stays pickable in the wrap-up form whatever the lookup found
        const kept = chosenByAgent && record.related ? findCandidate(record, record.related.id) : undefined;
        record.screenPop = decision;
        record.candidates = candidatesOf(decision);
        if (kept && !record.candidates.some((c) => c.id === kept.id)) {
            record.candidates = [...record.candidates, kept];
        }
        if (!chosenByAgent) {
            record.caller = cardWithDecision(record.caller, decision);
            const related = relatedFromDecision(decision, this.ports.relationOptions);
            if (related && context && (context.whoId || context.whatId)) {
                // the click-to-dial source said who and what explicitly (F9)
                if (context.whoId) related.whoId = context.whoId;
                else delete related.whoId;
                if (context.whatId) related.whatId = context.whatId;
                else delete related.whatId;
            }
            record.related = related;
            if (related) record.draft = { ...record.draft, relatedRecordId: related.id };
        } else if (partyChange) {
            // the agent's relation stays; the card is about the party on the line now
            record.caller = cardWithDecision(record.caller, decision);
        }
        track.caller = record.caller;
        const book = this.ports.book;
        book.touch(record);
        if (book.tracks.get(track.snapshot.id) === track) {
            // ringing here: an inbound call, or a queued callback the contact centre rings the agent with
            const ringsHere =
                record.direction === 'inbound' || track.snapshot.callData?.callback !== undefined;
            if (ringsHere && track.snapshot.state === CallState.Ringing) {
                this.ports.journal.pushNotification('incoming-call', record);
            }
            // the agent related the call by hand: a new party must not navigate them away from that record
            if (partyChange && chosenByAgent) return;
            this.ports.journal.push('screenPop', {
                callId: track.snapshot.id,
                interactionId: record.interactionId,
                direction: record.direction,
                decision,
                caller: record.caller
            });
        }
    }
}
