/**
 * `InteractionBook`: the leader's calls and interactions, and the one place a call log is written.
 *
 * Owns: the call legs followed ({@link CallTrack}), the open interactions (call summary + wrap-up draft,
 * written to storage on every change), the call id -> interaction id map (kept after a leg ended: command
 * results name the interaction), the calls answered 486 because the agent was not Ready, the timers of
 * wrap-ups that keep their own deadline, the recent-calls list, and {@link InteractionBook.log}: the single
 * transition into Logged that hands the log to the outbox, exactly once per interaction.
 *
 * Talks to: the session store and the outbox through {@link InteractionBookPorts}; `logged` tells the event
 * journal that a `logged` event waits for the server. It never touches SIP or the agent status.
 *
 * @packageDocumentation
 */
import { CallState, createCallId, type CallSnapshot } from '../call/call-machine';
import type { CallData } from '../call/call-data';
import type { CallLogEntry, OutboxItem } from '../outbox/call-log-outbox';
import { isDialable, type PhoneNumberOptions } from '../phone-number';
import type { RecordMatch } from '../screen-pop/screen-pop';
import type { QualityLevel } from '../sip/call-quality';
import type { Clock, TimerHandle } from '../util/clock';
import { callerCardFor } from './caller-card';
import {
    buildCallLogEntry,
    canTransitionInteraction,
    emptyWrapUpForm,
    InteractionState,
    transitionInteraction,
    type InteractionRecord
} from './interaction';
import type { PhoneSessionStore } from './session-store';
import { clampWrap, mergeCallData } from './session-helpers';
import type { CampaignInfo, CallerCard, LookupState, RecentCall } from './types';

/** One call leg the leader follows. */
export interface CallTrack {
    snapshot: CallSnapshot;
    /** Primary legs: the interaction; consultation legs: none. */
    interactionId: string | undefined;
    caller: CallerCard;
    quality: { mos: number; level: QualityLevel } | null;
    lookup: LookupState;
    /** Bumped by every lookup started for this leg: a result of any other run is stale and ignored. */
    lookupRun: number;
    /** B7: this leg took a held call back after a reload; the interaction keeps its own answer and party. */
    rejoined?: boolean;
}

/** What the book needs from the session. */
export interface InteractionBookPorts {
    readonly clock: Clock;
    readonly store: PhoneSessionStore;
    readonly outbox: {
        enqueue(entry: CallLogEntry): unknown;
        get(interactionId: string): OutboxItem | undefined;
    };
    readonly numberOptions: PhoneNumberOptions;
    readonly agentUserId: string;
    readonly unknownCallerName: string;
    readonly recentLimit: number;
    readonly defaultWrapSeconds: number;
    /** This tab may write the interactions (leader, or a leader handing over). */
    mayPersist(): boolean;
    /** This tab leads (writes the recent-calls list). */
    isLeading(): boolean;
    /** The agent's own number (from the SIP URI), stamped on new interactions. */
    agentNumber(): string;
    /** The agent's campaigns (wrap times). */
    campaigns(): readonly CampaignInfo[];
    /** An interaction went to the outbox. */
    logged(record: InteractionRecord): void;
    changed(): void;
}

/** The leader's calls and interactions; see the module documentation. */
export class InteractionBook {
    readonly tracks = new Map<string, CallTrack>();
    private readonly interactions = new Map<string, InteractionRecord>();
    private readonly ownTimers = new Map<string, TimerHandle>();
    private readonly autoRejected = new Set<string>();
    /** Call id -> interaction id, also after the leg ended (command results name the interaction). */
    private readonly interactionOfCall = new Map<string, string>();
    private recentCalls: RecentCall[] = [];

    constructor(private readonly ports: InteractionBookPorts) {}

    get recent(): RecentCall[] {
        return this.recentCalls;
    }

    /** The open interaction with this id (the very record: callers compare identity to detect staleness). */
    get(interactionId: string): InteractionRecord | undefined {
        return this.interactions.get(interactionId);
    }

    interactionIdOfCall(callId: string): string | undefined {
        return this.interactionOfCall.get(callId);
    }

    /** A call answered 486 (agent not Ready): its updates and end are not ours. */
    markAutoRejected(callId: string): void {
        this.autoRejected.add(callId);
    }

    isAutoRejected(callId: string): boolean {
        return this.autoRejected.has(callId);
    }

    /** True (and forgotten) when the call was auto-rejected. */
    takeAutoRejected(callId: string): boolean {
        return this.autoRejected.delete(callId);
    }

    /** New leader: recent calls from storage. */
    loadRecent(): void {
        this.recentCalls = this.ports.store.loadRecent().slice(0, this.ports.recentLimit);
    }

    /** The leader's live state goes (everything open is in storage). */
    clearLive(): void {
        this.tracks.clear();
        this.interactions.clear();
        this.autoRejected.clear();
    }

    /** Teardown: no own-deadline timer fires in a tab that lets go. */
    cancelOwnTimers(): void {
        for (const timer of this.ownTimers.values()) this.ports.clock.clearTimeout(timer);
        this.ownTimers.clear();
    }

    /** Teardown: wrap-ups bound to the agent's Wrap keep its deadline on their own; the next leader logs them. */
    detachAgentBoundWrapUps(wrapDeadline: number | undefined): void {
        const now = this.ports.clock.now();
        for (const record of this.openRecords()) {
            if (record.state === InteractionState.WrapUp && !record.ownDeadline) {
                record.ownDeadline = true;
                record.deadline = wrapDeadline ?? now + record.wrapSeconds * 1000;
            }
        }
        this.persist();
    }

    /**
     * New leader: interactions a previous leader (or page) left in storage. Calls that were in progress are
     * logged as they were, unless `holdInCall` (the contact centre can give them back, B7): then they stay open
     * InCall and are returned, for {@link attachRejoined} or {@link giveUp}.
     */
    recover(holdInCall = false): InteractionRecord[] {
        const held: InteractionRecord[] = [];
        const now = this.ports.clock.now();
        for (const record of this.ports.store.loadInteractions()) {
            if (record.state === InteractionState.Logged) continue;
            if (this.ports.outbox.get(record.interactionId)) continue; // logged meanwhile: never twice
            this.interactions.set(record.interactionId, record);
        }
        for (const record of this.openRecords()) {
            if (record.state === InteractionState.InCall && holdInCall) {
                held.push(record);
            } else if (record.state === InteractionState.InCall) {
                // the call died with the page that had it: log what is known
                record.endedAt ??= now;
                this.addRecent(record);
                this.log(record);
            } else {
                record.ownDeadline = true;
                record.deadline ??= now + record.wrapSeconds * 1000;
                if (record.deadline <= now) this.log(record);
                else this.scheduleOwnDeadline(record);
            }
        }
        this.persist();
        return held;
    }

    /** B7: a held call could not be taken back (the contact centre ended it, or the rejoin failed): log it. */
    giveUp(record: InteractionRecord): void {
        if (this.interactions.get(record.interactionId) !== record) return;
        if (record.state !== InteractionState.InCall) return;
        record.endedAt ??= this.ports.clock.now();
        if (record.answeredAt !== undefined && record.durationSeconds === undefined)
            record.durationSeconds = Math.max(0, Math.round((record.endedAt - record.answeredAt) / 1000));
        this.addRecent(record);
        this.log(record);
    }

    /**
     * B7: the rejoin leg `snapshot` continues the held interaction `record` (same id, card, draft, relation and
     * start time); the leg's track is marked so its own answer and remote party never rewrite the record.
     */
    attachRejoined(record: InteractionRecord, snapshot: CallSnapshot): CallTrack {
        record.callId = snapshot.id;
        this.noteInteractionOfCall(snapshot.id, record.interactionId);
        const track = this.addTrack(snapshot, record);
        track.rejoined = true;
        this.touch(record);
        return track;
    }

    open(
        snapshot: CallSnapshot,
        direction: 'inbound' | 'outbound',
        rawNumber: string,
        displayName: string | undefined
    ): InteractionRecord {
        let id = snapshot.interactionId ?? snapshot.callData?.interactionId ?? createCallId();
        if (this.interactions.has(id)) id = `${id}#${snapshot.id}`; // never two open interactions on one key
        const now = this.ports.clock.now();
        const record: InteractionRecord = {
            v: 1,
            interactionId: id,
            callId: snapshot.id,
            state: InteractionState.InCall,
            direction,
            caller: callerCardFor(rawNumber, displayName, this.ports.numberOptions),
            agentNumber: this.ports.agentNumber(),
            startedAt: snapshot.startedAt ?? now,
            draft: emptyWrapUpForm(),
            related: null,
            candidates: [],
            screenPop: null,
            ownDeadline: false,
            wrapSeconds: this.wrapSecondsFor(snapshot.callData),
            updatedAt: now
        };
        mergeCallData(record, snapshot.callData, record.wrapSeconds);
        if (snapshot.sipCallId) record.sipCallId = snapshot.sipCallId;
        this.interactions.set(id, record);
        this.noteInteractionOfCall(snapshot.id, id);
        this.persist();
        return record;
    }

    addTrack(snapshot: CallSnapshot, record: InteractionRecord | undefined): CallTrack {
        const track: CallTrack = {
            snapshot,
            interactionId: record?.interactionId,
            caller:
                record?.caller ??
                callerCardFor(snapshot.remote.number, snapshot.remote.displayName, this.ports.numberOptions),
            quality: null,
            lookup: 'skipped',
            lookupRun: 0
        };
        this.tracks.set(snapshot.id, track);
        return track;
    }

    /** Outbound: the contact centre's interaction id may arrive with 18x/2xx and replaces the generated one. */
    rekey(track: CallTrack, snapshot: CallSnapshot): void {
        const next = snapshot.interactionId;
        const previous = track.interactionId;
        if (!previous || !next || next === previous || snapshot.callData?.generated !== false) return;
        const record = this.interactions.get(previous);
        if (!record || record.state !== InteractionState.InCall || this.interactions.has(next)) return;
        this.interactions.delete(previous);
        record.interactionId = next;
        this.interactions.set(next, record);
        track.interactionId = next;
        this.noteInteractionOfCall(snapshot.id, next);
        this.persist();
    }

    /** THE place a call log is written: the single transition into Logged. */
    log(record: InteractionRecord): boolean {
        if (!canTransitionInteraction(record.state, InteractionState.Logged)) return false;
        record.state = transitionInteraction(record.state, InteractionState.Logged);
        const timer = this.ownTimers.get(record.interactionId);
        if (timer !== undefined) this.ports.clock.clearTimeout(timer);
        this.ownTimers.delete(record.interactionId);
        const entry = buildCallLogEntry(record, {
            agentUserId: this.ports.agentUserId,
            unknownCallerName: this.ports.unknownCallerName,
            now: this.ports.clock.now()
        });
        this.ports.outbox.enqueue(entry);
        this.interactions.delete(record.interactionId);
        this.persist();
        this.addRecent(record);
        // `logged` means the Task exists: it waits for the outbox's `sent`
        this.ports.logged(record);
        this.ports.changed();
        return true;
    }

    /** Sign-out: every open wrap-up is logged now (the agent is leaving). */
    logAllWrapUps(): void {
        for (const record of this.openRecords()) {
            if (record.state === InteractionState.WrapUp) this.log(record);
        }
    }

    logAgentBoundWrapUps(): void {
        for (const record of this.openRecords()) {
            if (record.state === InteractionState.WrapUp && !record.ownDeadline) this.log(record);
        }
    }

    /** The record changed: stamp it, refresh its leg's card, store it. */
    touch(record: InteractionRecord): void {
        record.updatedAt = this.ports.clock.now();
        const track = this.tracks.get(record.callId);
        if (track) track.caller = record.caller;
        if (this.interactions.get(record.interactionId) === record) this.persist();
        this.ports.changed();
    }

    openRecords(): InteractionRecord[] {
        return Array.from(this.interactions.values())
            .filter((r) => r.state !== InteractionState.Logged)
            .sort((a, b) => a.startedAt - b.startedAt);
    }

    addRecent(record: InteractionRecord): void {
        const caller = record.caller;
        const withheld = caller.numberKind === 'anonymous' || caller.numberKind === 'empty';
        const line: RecentCall = {
            interactionId: record.interactionId,
            direction: record.direction,
            number: withheld ? '' : (caller.e164 ?? caller.rawNumber),
            numberDisplay: caller.numberDisplay,
            name: caller.name,
            outcome: record.outcome ?? (record.answeredAt !== undefined ? 'answered' : 'missed'),
            missed: record.direction === 'inbound' && (record.outcome ?? 'missed') === 'missed',
            startedAt: record.startedAt,
            durationSeconds: record.durationSeconds ?? 0,
            callbackRequested: record.draft.callbackRequested,
            dialable: !withheld && isDialable(caller.e164 ?? caller.rawNumber, this.ports.numberOptions)
        };
        if (record.recordingUrl) line.recordingUrl = record.recordingUrl;
        if (record.related) line.recordId = record.related.id;
        const index = this.recentCalls.findIndex((r) => r.interactionId === line.interactionId);
        if (index >= 0) this.recentCalls[index] = line;
        else this.recentCalls = [line, ...this.recentCalls].slice(0, this.ports.recentLimit);
        if (this.ports.isLeading()) this.ports.store.saveRecent(this.recentCalls);
    }

    /** The recent-calls line of an interaction shows the callback flag. */
    markRecentCallback(interactionId: string, requested: boolean): void {
        const line = this.recentCalls.find((r) => r.interactionId === interactionId);
        if (line) {
            line.callbackRequested = requested;
            this.ports.store.saveRecent(this.recentCalls);
        }
    }

    /** A call leg: the given id, else the current one of that kind. */
    findCall(
        callId: string | undefined,
        kind: 'ringing' | 'active' | 'primary' | 'consultation'
    ): { id: string; snapshot: CallSnapshot } | undefined {
        const tracks = Array.from(this.tracks.values()).filter((t) => t.snapshot.state !== CallState.Ended);
        if (callId) {
            const track = tracks.find((t) => t.snapshot.id === callId);
            return track && { id: track.snapshot.id, snapshot: track.snapshot };
        }
        const newestFirst = tracks.sort((a, b) => (b.snapshot.startedAt ?? 0) - (a.snapshot.startedAt ?? 0));
        let found: CallTrack | undefined;
        switch (kind) {
            case 'ringing':
                found = newestFirst.find((t) => t.snapshot.state === CallState.Ringing);
                break;
            case 'consultation':
                found = newestFirst.find((t) => t.snapshot.role === 'consultation');
                break;
            case 'primary':
                found = newestFirst.find(
                    (t) => t.snapshot.role === 'primary' && t.snapshot.state !== CallState.Ringing
                );
                break;
            case 'active': {
                const live = newestFirst.filter((t) => t.snapshot.state !== CallState.Ringing);
                found = live.find((t) => !t.snapshot.onHold) ?? live[0];
                break;
            }
        }
        return found && { id: found.snapshot.id, snapshot: found.snapshot };
    }

    /** An open interaction: by id, else the current wrap-up, else the current call's. */
    findInteraction(interactionId: string | undefined): InteractionRecord | undefined {
        if (interactionId) return this.interactions.get(interactionId);
        const open = this.openRecords();
        return open.find((r) => r.state === InteractionState.WrapUp) ?? this.interactionForCall(undefined);
    }

    /** The interaction of a call leg (a consultation leg's primary), else the current wrap-up. */
    interactionForCall(callId: string | undefined): InteractionRecord | undefined {
        const call =
            this.findCall(callId, 'primary') ?? (callId ? undefined : this.findCall(undefined, 'ringing'));
        if (call) {
            const track = this.tracks.get(call.id);
            const primaryId = track?.interactionId ? call.id : call.snapshot.linkedCallId;
            const primary = primaryId ? this.tracks.get(primaryId) : undefined;
            const id = primary?.interactionId;
            if (id) return this.interactions.get(id);
        }
        if (callId) {
            const byCall = this.openRecords().find((r) => r.callId === callId || r.interactionId === callId);
            if (byCall) return byCall;
            return undefined;
        }
        return this.openRecords().find((r) => r.state === InteractionState.WrapUp);
    }

    wrapSecondsFor(callData: CallData | undefined): number {
        const header = callData?.wrapSeconds;
        if (typeof header === 'number') return clampWrap(header);
        const campaign = callData?.campaignId
            ? this.ports.campaigns().find((c) => c.id === callData.campaignId)
            : undefined;
        return clampWrap(campaign?.wrapSeconds ?? this.ports.defaultWrapSeconds);
    }

    private scheduleOwnDeadline(record: InteractionRecord): void {
        const clock = this.ports.clock;
        const deadline = record.deadline ?? clock.now();
        const timer = clock.setTimeout(
            () => {
                this.ownTimers.delete(record.interactionId);
                if (this.interactions.get(record.interactionId) === record) this.log(record);
            },
            Math.max(0, deadline - clock.now())
        );
        this.ownTimers.set(record.interactionId, timer);
    }

    private noteInteractionOfCall(callId: string, interactionId: string): void {
        this.interactionOfCall.delete(callId);
        this.interactionOfCall.set(callId, interactionId);
        if (this.interactionOfCall.size > 50) {
            const oldest = this.interactionOfCall.keys().next().value;
            if (oldest !== undefined) this.interactionOfCall.delete(oldest);
        }
    }

    private persist(): void {
        // a follower never writes; a leader handing over still stores what its teardown produced
        if (!this.ports.mayPersist()) return;
        this.ports.store.saveInteractions(this.openRecords());
    }
}

/** A record among the interaction's candidates (also those a screen pop collapsed). */
export function findCandidate(record: InteractionRecord, recordId: string): RecordMatch | undefined {
    const collapsed =
        record.screenPop && (record.screenPop.action === 'open' || record.screenPop.action === 'choose')
            ? record.screenPop.collapsed
            : [];
    return [...record.candidates, ...collapsed].find((m) => m.id === recordId);
}
