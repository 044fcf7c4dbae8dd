/**
 * `CallFlow`: what the leader does when SIP or the agent status reports something about a call.
 *
 * Owns no state of its own: it turns the stack's events into interactions (open on offer or dial, wrap-up
 * on an answered end, logged at once when not answered), call events and notifications, agent status inputs
 * (offered, answered, missed, ended) and lookups (one per call, one more per remote party change). The
 * rules are the session's module documentation ("Only Ready takes calls", "Interactions", "Remote party
 * changes").
 *
 * Talks to: the {@link InteractionBook}, {@link CallerLookup} and {@link EventJournal}; the pending dial
 * (number and context of the dial in flight) comes from the commands through `pendingDial`.
 *
 * @packageDocumentation
 */
import { queuedCallbackDialContext } from '../callbacks/queued-callback';
import { AgentStatus, type AgentStatusChange } from '../agent-status';
import { CallDirection, type CallSnapshot } from '../call/call-machine';
import type { PhoneNumberOptions } from '../phone-number';
import { addQualitySample, type QualityScore } from '../sip/call-quality';
import type { Clock } from '../util/clock';
import { callerCardFor } from './caller-card';
import type { CallerLookup } from './caller-lookup';
import type { EventJournal } from './event-journal';
import {
    callLogOutcomeOf,
    InteractionState,
    transitionInteraction,
    type InteractionRecord
} from './interaction';
import { findCandidate, type CallTrack, type InteractionBook } from './interaction-book';
import type { LeaderStack, LeaderStackEvents } from './leader-stack';
import {
    isManualRelation,
    matchOfRelated,
    mergeCallData,
    missedCause,
    partyNumberKey
} from './session-helpers';
import type { DialContext } from './types';

/** What the call flow needs from the session. */
export interface CallFlowPorts {
    readonly clock: Clock;
    readonly numberOptions: PhoneNumberOptions;
    readonly callWaiting: boolean;
    readonly book: InteractionBook;
    readonly lookup: CallerLookup;
    readonly journal: EventJournal;
    /** The dial in flight (SipPhone emits the first update of an outbound leg inside dial()). */
    pendingDial(): { number: string; context?: DialContext } | undefined;
    /** B7: the held interaction the dial in flight takes back (see call-rejoin.ts). */
    rejoining(): InteractionRecord | undefined;
    changed(): void;
}

/** The leader's reactions to call and agent events; see the module documentation. */
export class CallFlow implements LeaderStackEvents {
    constructor(private readonly ports: CallFlowPorts) {}

    quality(callId: string, score: QualityScore): void {
        const track = this.ports.book.tracks.get(callId);
        if (track) track.quality = { mos: score.mos, level: score.level };
        const record = track?.interactionId ? this.ports.book.get(track.interactionId) : undefined;
        if (record && record.state === InteractionState.InCall) {
            // the summary goes to the Task (B4); persisted so a reload keeps the samples taken so far
            record.quality = addQualitySample(record.quality, score);
            this.ports.book.touch(record);
        }
        this.ports.changed();
    }

    incomingCall(stack: LeaderStack, snapshot: CallSnapshot): void {
        if (stack.tearingDown) return;
        const { book, journal } = this.ports;
        const agent = stack.agent;
        const others = stack.phone.activeCalls().filter((c) => c.id !== snapshot.id).length;
        const waiting = this.ports.callWaiting && others > 0 && agent.status === AgentStatus.Busy;
        if (!agent.canOfferCall() && !waiting) {
            // only Ready takes calls (agent-status.ts): 486, the contact centre routes it elsewhere
            book.markAutoRejected(snapshot.id);
            void stack.phone.reject(snapshot.id);
            return;
        }
        // a queued callback (callbacks/queued-callback.ts): an outbound call to the customer, related to its record
        const callback = snapshot.callData?.callback;
        const record = callback
            ? book.open(snapshot, 'outbound', callback.customerNumber ?? snapshot.remote.number, undefined)
            : book.open(snapshot, 'inbound', snapshot.remote.number, snapshot.remote.displayName);
        const track = book.addTrack(snapshot, record);
        // the lookup first (the notification follows it): the Ringing publish below waits for it
        this.ports.lookup.start(stack, record, track, queuedCallbackDialContext(callback));
        if (agent.status === AgentStatus.Ready) {
            agent.send({ type: 'callOffered', interactionId: record.interactionId });
        }
        journal.pushCallEvent('ringing', record);
        this.ports.changed();
    }

    callUpdated(stack: LeaderStack, snapshot: CallSnapshot): void {
        const book = this.ports.book;
        let track = book.tracks.get(snapshot.id);
        if (!track) {
            if (book.isAutoRejected(snapshot.id) || stack.tearingDown) return;
            if (snapshot.direction !== CallDirection.Outbound) return;
            track = this.adoptOutbound(stack, snapshot);
        }
        const previous = track.snapshot;
        const wasAnswered = previous.answeredAt !== undefined;
        track.snapshot = snapshot;
        if (track.rejoined) {
            // the interaction keeps its own answer, party and call data; the leg only carries the audio
            const held = track.interactionId ? book.get(track.interactionId) : undefined;
            if (held) book.touch(held);
            return this.ports.changed();
        }
        book.rekey(track, snapshot);
        const record = track.interactionId ? book.get(track.interactionId) : undefined;
        const partyChanged = this.remotePartyChanged(previous, snapshot, wasAnswered);
        if (partyChanged && !record) {
            // a consultation leg: no interaction, no lookup; the card follows the new party
            track.caller = callerCardFor(
                snapshot.remote.number,
                snapshot.remote.displayName,
                this.ports.numberOptions
            );
        }
        if (record) {
            mergeCallData(record, snapshot.callData, book.wrapSecondsFor(snapshot.callData));
            if (snapshot.sipCallId) record.sipCallId = snapshot.sipCallId;
            if (partyChanged && record.state === InteractionState.InCall && !stack.tearingDown) {
                this.onRemotePartyChanged(stack, record, track, snapshot);
            }
            if (!wasAnswered && snapshot.answeredAt !== undefined) {
                record.answeredAt = snapshot.answeredAt;
                this.ports.journal.pushCallEvent('answered', record);
                if (
                    !stack.tearingDown &&
                    snapshot.direction === CallDirection.Inbound &&
                    stack.agent.status === AgentStatus.Ringing
                ) {
                    stack.agent.send({ type: 'callAnswered', interactionId: record.interactionId });
                }
            }
            book.touch(record);
        }
        this.ports.changed();
    }

    callEnded(stack: LeaderStack, snapshot: CallSnapshot): void {
        const { book, journal } = this.ports;
        if (book.takeAutoRejected(snapshot.id)) return;
        const track = book.tracks.get(snapshot.id);
        book.tracks.delete(snapshot.id);
        if (!track) return this.ports.changed();
        if (track.rejoined) {
            const held = track.interactionId ? book.get(track.interactionId) : undefined;
            if (held && snapshot.answeredAt === undefined) {
                // the customer could not be reached again: log the call as it was
                book.giveUp(held);
                if (!stack.tearingDown) this.afterCallEnded(stack, snapshot);
                return this.ports.changed();
            }
            if (held) snapshot = continuedSnapshot(held, snapshot, this.ports.clock.now());
        }
        if (track.snapshot.answeredAt === undefined && snapshot.answeredAt !== undefined) {
            track.snapshot = snapshot; // answered and ended in one go
        }
        const record = track.interactionId ? book.get(track.interactionId) : undefined;
        if (record && record.state === InteractionState.InCall) {
            const now = this.ports.clock.now();
            mergeCallData(record, snapshot.callData, book.wrapSecondsFor(snapshot.callData));
            if (snapshot.sipCallId) record.sipCallId = snapshot.sipCallId;
            record.endedAt = snapshot.endedAt ?? now;
            record.outcome = callLogOutcomeOf(snapshot);
            if (snapshot.answeredAt !== undefined) record.answeredAt = snapshot.answeredAt;
            record.durationSeconds = Math.round(snapshot.talkDurationMs / 1000);
            journal.pushCallEvent('ended', record);
            book.addRecent(record);
            if (snapshot.answeredAt === undefined) {
                if (record.direction === 'inbound' && record.outcome === 'missed') {
                    journal.pushNotification('missed-call', record);
                }
                book.touch(record);
                void this.ports.lookup.logWhenLookedUp(stack, record, snapshot.id);
            } else {
                record.state = transitionInteraction(record.state, InteractionState.WrapUp);
                record.ownDeadline = stack.tearingDown;
                if (stack.tearingDown) {
                    // the page is going away: the wrap-up waits in storage for the next leader
                    record.deadline = now + record.wrapSeconds * 1000;
                    if (record.wrapSeconds <= 0) book.log(record);
                }
                book.touch(record);
            }
        }
        if (!stack.tearingDown) this.afterCallEnded(stack, snapshot);
        this.ports.changed();
    }

    agentStatusChanged(stack: LeaderStack, change: AgentStatusChange): void {
        if (stack.tearingDown) return;
        const book = this.ports.book;
        if (change.to === AgentStatus.Wrap) {
            for (const record of book.openRecords()) {
                if (record.state === InteractionState.WrapUp && !record.ownDeadline) {
                    record.deadline = change.wrapDeadline; // kept for a reload during the wrap
                    book.touch(record);
                }
            }
        } else if (change.from === AgentStatus.Wrap) {
            book.logAgentBoundWrapUps();
        }
        this.ports.changed();
    }

    /** Agent status after a leg ended, and the wrap-ups that no Wrap will follow. */
    private afterCallEnded(stack: LeaderStack, snapshot: CallSnapshot): void {
        const book = this.ports.book;
        const agent = stack.agent;
        const others = stack.phone.activeCalls().length;
        if (
            agent.status === AgentStatus.Ringing &&
            snapshot.direction === CallDirection.Inbound &&
            snapshot.answeredAt === undefined
        ) {
            agent.send({
                type: 'callMissed',
                cause: missedCause(snapshot),
                interactionId: snapshot.interactionId
            });
        } else if (others === 0 && agent.status === AgentStatus.Busy) {
            const wrapSeconds = Math.max(
                0,
                ...book
                    .openRecords()
                    .filter((r) => r.state === InteractionState.WrapUp && !r.ownDeadline)
                    .map((r) => r.wrapSeconds)
            );
            agent.send({ type: 'callEnded', wrapSeconds, interactionId: snapshot.interactionId });
        }
        if (others === 0 && agent.status !== AgentStatus.Wrap) book.logAgentBoundWrapUps();
    }

    /**
     * True when `next` names another remote party than `previous`: another number (compared normalised), or
     * another display name on a call that was answered before this update. The answer of an outbound call may
     * bring the callee's asserted name: that is the party dialled, not a new one.
     */
    private remotePartyChanged(previous: CallSnapshot, next: CallSnapshot, wasAnswered: boolean): boolean {
        const a = previous.remote;
        const b = next.remote;
        if (a.number === b.number && (a.displayName ?? '') === (b.displayName ?? '')) return false;
        const before = callerCardFor(a.number, a.displayName, this.ports.numberOptions);
        const after = callerCardFor(b.number, b.displayName, this.ports.numberOptions);
        if (partyNumberKey(before) !== partyNumberKey(after)) return true;
        return wasAnswered && before.displayName !== after.displayName;
    }

    /**
     * The call now talks to someone else (see the module documentation): a new card at once, the old party's
     * screen-pop relation dropped (a relation the agent made by hand kept), and one new lookup.
     */
    private onRemotePartyChanged(
        stack: LeaderStack,
        record: InteractionRecord,
        track: CallTrack,
        snapshot: CallSnapshot
    ): void {
        const manual = isManualRelation(record.related) ? record.related : null;
        const kept = manual ? (findCandidate(record, manual.id) ?? matchOfRelated(manual)) : undefined;
        record.caller = callerCardFor(
            snapshot.remote.number,
            snapshot.remote.displayName,
            this.ports.numberOptions
        );
        record.screenPop = null;
        record.candidates = kept ? [kept] : [];
        if (!manual) {
            record.related = null;
            record.draft = { ...record.draft, relatedRecordId: null };
        }
        this.ports.book.touch(record);
        this.ports.lookup.start(stack, record, track, undefined, true);
    }

    /** First sight of an outbound leg (SipPhone emits its first update inside dial()). */
    private adoptOutbound(stack: LeaderStack, snapshot: CallSnapshot): CallTrack {
        const book = this.ports.book;
        if (snapshot.role === 'consultation') return book.addTrack(snapshot, undefined);
        const held = this.ports.rejoining();
        if (held) {
            const track = book.attachRejoined(held, snapshot);
            if (stack.agent.can({ type: 'callStarted' })) {
                stack.agent.send({ type: 'callStarted', interactionId: held.interactionId });
            }
            return track;
        }
        const pending = this.ports.pendingDial();
        const raw = pending?.number ?? snapshot.remote.number;
        const record = book.open(
            snapshot,
            'outbound',
            raw,
            pending?.context?.name ?? snapshot.remote.displayName
        );
        const track = book.addTrack(snapshot, record);
        if (stack.agent.can({ type: 'callStarted' })) {
            stack.agent.send({ type: 'callStarted', interactionId: record.interactionId });
        }
        this.ports.journal.pushCallEvent('dialing', record);
        this.ports.lookup.start(stack, record, track, pending?.context);
        return track;
    }
}

/**
 * The ended rejoin leg as the interaction saw the call (B7): answered when the customer first was, talking
 * since then, in the interaction's direction, with the interaction's call data.
 */
function continuedSnapshot(record: InteractionRecord, leg: CallSnapshot, now: number): CallSnapshot {
    const answeredAt = record.answeredAt ?? leg.answeredAt;
    const endedAt = leg.endedAt ?? now;
    return {
        ...leg,
        callData: undefined, // the leg's own call data is generated: the interaction's (campaign, wrap) stands
        answeredAt,
        direction: record.direction === 'inbound' ? CallDirection.Inbound : CallDirection.Outbound,
        talkDurationMs: answeredAt === undefined ? leg.talkDurationMs : Math.max(0, endedAt - answeredAt)
    };
}
