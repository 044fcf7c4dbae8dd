/**
 * `ViewStateBuilder`: the JSON {@link PhoneViewState} every tab renders.
 *
 * Owns: the state's revision counter, and the outbox flags only the view shows (over capacity; storage
 * trouble, from which on the view checks which entries are durable). It builds the leader's state from the
 * other rooms (read only: it never changes them), a follower's state from the leader's mirrored one plus
 * this tab's own role, leader, responsiveness warning and local error, and the empty state before either.
 *
 * Talks to: nothing; it reads through {@link ViewSources}.
 *
 * @packageDocumentation
 */
import { transferFailureReason } from '../call/transfer-failure';
import { queuedCallbackView } from '../callbacks/queued-callback';
import { AgentStatus, type AgentStatusSnapshot } from '../agent-status';
import { CallDirection, CallState } from '../call/call-machine';
import { OutboxEntryState, type CallLogOutbox } from '../outbox/call-log-outbox';
import { RegistrationState } from '../sip/registration';
import { ConnectionState } from '../sip/types';
import type { Clock } from '../util/clock';
import type { EventJournal } from './event-journal';
import { interactionView, InteractionState } from './interaction';
import type { CallTrack, InteractionBook } from './interaction-book';
import type { LeaderRuntime, LeaderStack } from './leader-stack';
import type { SessionCommands } from './session-commands';
import { cloneJson } from './session-helpers';
import type { PhoneSessionStore } from './session-store';
import {
    PHONE_VIEW_STATE_VERSION,
    type AgentView,
    type CallView,
    type LeaderView,
    type OutboxView,
    type PhoneErrorView,
    type PhoneRole,
    type PhoneViewState,
    type PhoneWarning
} from './types';

/** What the view reads. */
export interface ViewSources {
    readonly clock: Clock;
    readonly runtime: LeaderRuntime;
    readonly book: InteractionBook;
    readonly journal: EventJournal;
    readonly commands: SessionCommands;
    readonly store: PhoneSessionStore;
    readonly outbox: CallLogOutbox;
    role(): PhoneRole;
    leader(): LeaderView | null;
    /** The election could not guarantee one leader. */
    degraded(): boolean;
    error(): PhoneErrorView | null;
}

/** Builds the view state; see the module documentation. */
export class ViewStateBuilder {
    outboxOverCapacity = false;
    /** Set once the outbox reported a storage error: from then on the view checks which entries are durable. */
    outboxStorageTrouble = false;
    private revision = 0;

    constructor(private readonly sources: ViewSources) {}

    leaderState(): PhoneViewState {
        const { clock, runtime, book, journal, commands, store, outbox } = this.sources;
        const stack = runtime.current;
        const agent = stack?.agent.snapshot();
        const calls = Array.from(book.tracks.values())
            .map((track) => this.callView(track, stack))
            .sort(
                (a, b) =>
                    Number(a.role !== 'primary') - Number(b.role !== 'primary') || a.startedAt - b.startedAt
            );
        const interactions = book.openRecords().map((r) => interactionView(r, agent?.wrapDeadline));
        const warnings: PhoneWarning[] = [];
        if (this.sources.degraded()) warnings.push('multiple-tabs-may-register');
        if (!store.available || !outbox.storageAvailable) warnings.push('storage-unavailable');
        if (agent?.sync === 'failed') warnings.push('status-not-synced');
        if (this.outboxOverCapacity) warnings.push('outbox-over-capacity');
        return cloneJson<PhoneViewState>({
            version: PHONE_VIEW_STATE_VERSION,
            revision: ++this.revision,
            at: clock.now(),
            role: this.sources.role(),
            leader: this.sources.leader(),
            started: stack?.started === true,
            registration: runtime.registration,
            connection: runtime.connection,
            agent: this.agentView(stack, agent),
            pauseReasons: runtime.pauseReasons,
            calls,
            incoming: calls.find((c) => c.direction === 'inbound' && c.state === CallState.Ringing) ?? null,
            interactions,
            wrapUp: interactions.find((i) => i.state === InteractionState.WrapUp) ?? null,
            recentCalls: book.recent,
            outbox: this.outboxView(),
            error: this.sources.error(),
            microphone: runtime.microphone,
            warnings,
            audioDevices: commands.audioDevices,
            lastDialled: commands.lastDialled?.number ?? null,
            events: journal.events
        });
    }

    /** A follower: the leader's state, with this tab's role, leader view and (newer) local error. */
    followerState(mirrored: PhoneViewState | undefined, localError: PhoneErrorView | null): PhoneViewState {
        const base = mirrored ?? this.emptyState();
        const leader = this.sources.leader();
        const warnings: PhoneWarning[] = base.warnings.filter((w) => w !== 'leader-unresponsive');
        if (leader && !leader.responsive) warnings.push('leader-unresponsive');
        const error = localError && (!base.error || localError.at >= base.error.at) ? localError : base.error;
        return { ...base, role: this.sources.role(), leader, warnings, error };
    }

    emptyState(): PhoneViewState {
        return {
            version: PHONE_VIEW_STATE_VERSION,
            revision: 0,
            at: this.sources.clock.now(),
            role: this.sources.role(),
            leader: this.sources.leader(),
            started: false,
            registration: { state: RegistrationState.Unregistered },
            connection: { state: ConnectionState.Disconnected },
            agent: this.agentView(undefined, undefined),
            pauseReasons: [],
            calls: [],
            incoming: null,
            interactions: [],
            wrapUp: null,
            recentCalls: [],
            outbox: { unsent: 0, needsAttention: 0, attention: [], durable: true },
            error: null,
            microphone: null,
            warnings: [],
            audioDevices: {},
            lastDialled: null,
            events: []
        };
    }

    private agentView(stack: LeaderStack | undefined, snapshot: AgentStatusSnapshot | undefined): AgentView {
        if (!stack || !snapshot) {
            return {
                status: AgentStatus.Offline,
                since: this.sources.clock.now(),
                pauseReason: null,
                nextStatus: null,
                wrap: null,
                sync: 'synced',
                allowed: []
            };
        }
        const agent = stack.agent;
        const inCall = snapshot.status === AgentStatus.Ringing || snapshot.status === AgentStatus.Busy;
        const allowed: AgentView['allowed'] = inCall
            ? ['Ready', 'NotReady', 'Paused']
            : [
                  ...(agent.can('setReady') ? (['Ready'] as const) : []),
                  ...(agent.can('setNotReady') ? (['NotReady'] as const) : []),
                  ...(agent.can('pause') ? (['Paused'] as const) : [])
              ];
        const wrap =
            snapshot.wrapDeadline !== undefined &&
            snapshot.wrapSeconds !== undefined &&
            snapshot.wrapStartedAt !== undefined
                ? {
                      seconds: snapshot.wrapSeconds,
                      startedAt: snapshot.wrapStartedAt,
                      deadline: snapshot.wrapDeadline
                  }
                : null;
        return {
            status: snapshot.status,
            since: snapshot.since,
            pauseReason: snapshot.pauseReason ?? null,
            nextStatus: snapshot.nextStatus ?? null,
            wrap,
            sync: snapshot.sync,
            allowed
        };
    }

    private callView(track: CallTrack, stack: LeaderStack | undefined): CallView {
        const s = stack?.phone.call(track.snapshot.id) ?? track.snapshot; // fresh durations
        const record = track.interactionId ? this.sources.book.get(track.interactionId) : undefined;
        const data = s.callData;
        const view: CallView = {
            id: s.id,
            interactionId: track.interactionId ?? s.interactionId ?? '',
            role: s.role,
            direction: s.direction === CallDirection.Inbound ? 'inbound' : 'outbound',
            state: s.state,
            caller: record?.caller ?? track.caller,
            startedAt: s.startedAt ?? this.sources.clock.now(),
            talkDurationMs: s.talkDurationMs,
            holdDurationMs: s.holdDurationMs,
            muted: s.muted,
            onHold: s.onHold,
            remoteHold: s.remoteHold,
            holdPending: s.holdPending ?? null,
            answering: s.answering,
            earlyMedia: s.earlyMedia,
            consultActive: s.consultActive,
            conference: s.conference?.active === true,
            quality: track.quality,
            lookup: track.lookup,
            screenPop: record?.screenPop ?? null,
            related: record?.related ?? null
        };
        if (s.answeredAt !== undefined) view.answeredAt = s.answeredAt;
        if (s.mediaHealth === 'recovering' || s.mediaHealth === 'lost') view.mediaHealth = s.mediaHealth;
        if (track.rejoined && record) {
            // B7: the call as the agent took it first (timer from the first answer), not the rejoin leg
            view.direction = record.direction;
            view.startedAt = record.startedAt;
            if (record.answeredAt !== undefined && s.answeredAt !== undefined) {
                view.answeredAt = record.answeredAt;
                view.talkDurationMs = Math.max(0, this.sources.clock.now() - record.answeredAt);
            }
        }
        if (s.linkedCallId) view.linkedCallId = s.linkedCallId;
        if (s.transfer) {
            view.transfer = { kind: s.transfer.kind, target: s.transfer.target, status: s.transfer.status };
            if (s.transfer.status === 'failed')
                view.transfer.failureReason = transferFailureReason(s.transfer.failure?.code);
        }
        if (data?.campaignId) view.campaignId = data.campaignId;
        if (data?.campaignName) view.campaignName = data.campaignName;
        if (data?.queue) view.queue = data.queue;
        if (data?.ivrCode) view.ivrCode = data.ivrCode;
        if (data?.recordingUrl) view.recordingUrl = data.recordingUrl;
        if (data?.callback) view.callback = queuedCallbackView(data.callback);
        if (record && s.answeredAt !== undefined) {
            const recording = record.recording;
            view.recording = recording
                ? { mode: recording.mode, consent: recording.consent, pausedBy: [...recording.pausedBy] }
                : { mode: 'recording', consent: 'unknown', pausedBy: [] };
        }
        return view;
    }

    private outboxView(): OutboxView {
        const outbox = this.sources.outbox;
        const counts = outbox.counts();
        // items() copies every entry: only read them when something needs showing
        const needsItems = counts[OutboxEntryState.NeedsAttention] > 0 || this.outboxStorageTrouble;
        const items = needsItems ? outbox.items() : [];
        return {
            unsent:
                counts[OutboxEntryState.Pending] +
                counts[OutboxEntryState.Sending] +
                counts[OutboxEntryState.RetryWait],
            needsAttention: counts[OutboxEntryState.NeedsAttention],
            attention: items
                .filter((item) => item.state === OutboxEntryState.NeedsAttention)
                .map((item) => ({
                    interactionId: item.interactionId,
                    message: item.lastError ?? '',
                    attempts: item.attempts,
                    name: item.entry.displayName ?? '',
                    number: item.entry.direction === 'inbound' ? item.entry.fromNumber : item.entry.toNumber,
                    startedAt: Date.parse(item.entry.startedAt) || item.enqueuedAt
                })),
            durable: items.every((item) => item.durable)
        };
    }
}
