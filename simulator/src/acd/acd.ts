/**
 * The ACD (automatic call distributor) of the simulated contact centre.
 *
 * Routing rules (documented for the package and the workbench):
 * - An inbound call joins its queue (given, else the campaign's first queue; the campaign is given,
 *   else the integration's campaign for calls outside campaigns) and is offered to the **longest-idle
 *   Ready** member of that queue (idle since the agent last became Ready), one agent at a time.
 *   Agents in NotReady, Paused, Busy or Wrap, and agents already ringing, are never offered a call.
 * - An offer rings for the queue's ring timeout (default 20 s). When it runs out the offer is a
 *   `timeout`, the agent is set **NotReady** (an agent who does not answer is not at the desk) and
 *   the call goes back to the head of the queue for the next longest-idle Ready agent. A `rejected`
 *   offer re-queues the call too, but the agent stays Ready. No agent is offered the same call twice.
 * - A call nobody answers waits until an agent becomes Ready, the caller hangs up, or the queue's
 *   maximum wait (default 120 s) runs out. It then ends `missed` (offered at least once, or the
 *   queue gave up), `rejected` (every agent declined it) or `abandoned` (the caller hung up before
 *   any agent was offered it), and is logged against the integration's default user.
 * - An answered call makes the agent Busy; after the hang-up the agent is held in Wrap for the
 *   campaign's wrap time (0: straight back to Ready), then Ready. The agent may end Wrap early.
 * - Every call yields a call record; an answered one a recording (a synthetic WAV until the
 *   customer's side uploads the call's audio, see `recording/library.ts`).
 *
 * Time comes from an injected {@link Clock}; SIP from the {@link CallSignalling} port. This class routes (queue
 * order, offers, ring and max-wait timers); the agents' statuses and Wrap timers live in {@link AgentRoster}
 * (agent-roster.ts), the calls in progress with their records, legs and recordings in {@link CallBook}
 * (call-book.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../phone-core/src/util/clock';
import {
    blockingProblems,
    configurationProblems,
    newCallRecord,
    type Agent,
    type CallOutcome,
    type CallRecordData,
    type HangupBy,
    type IvrData,
    type OfferResult,
    type Tenant
} from '../model';
import type { RecordingFiles } from '../recording/wav';
import type { Store } from '../store/store';
import { AcdError, invalid } from './acd-error';
import { cut, endpointOf, MAX_CALLER_NAME, MAX_CALLER_NUMBER, offeredCallOf, refs } from './acd-views';
import { AgentRoster, type AgentRuntime, type AgentStatusView } from './agent-roster';
import { AgentStatusName, transitionAgentStatus } from './agent-status';
import { callbackCallRecord, type CallbackDialler, type CallbackQueue } from './callback-queue';
import { CallBook, newActiveCall, type ActiveCall } from './call-book';
import type { EventLog } from './events';
import type {
    CallSignalling,
    HangupParty,
    OfferedCall,
    IncomingCall,
    OutgoingCall,
    OutgoingProgress,
    SignallingListener
} from './signalling';

export { AcdError, type AcdErrorCode } from './acd-error';
export type { AgentStatusView } from './agent-roster';

/** A status change asked for by the agent. */
export interface StatusRequest {
    status: AgentStatusName;
    pauseReasonId?: string;
    campaignId?: string;
}

/** Settings of the ACD. */
export interface AcdOptions {
    store: Store;
    clock: Clock;
    signalling: CallSignalling;
    recordings: RecordingFiles;
    events: EventLog;
    /** Ring timeout of queues that set none (seconds). */
    ringTimeoutSeconds: number;
    /** Maximum queue wait of queues that set none (seconds). */
    maxWaitSeconds: number;
}

/** See the module documentation. */
export class Acd implements SignallingListener, CallbackDialler {
    /** The agents' statuses, Wrap timers and offers (agent-roster.ts). */
    private readonly roster: AgentRoster;
    /** The calls in progress, their records, legs and recordings (call-book.ts). */
    private readonly book: CallBook;
    /** Queued (and ringing) calls in arrival order. */
    private readonly queueOrder: string[] = [];
    private offerSeq = 0;
    private dispatching = false;
    private dispatchAgain = false;
    private closed = false;
    /** Queued callbacks the ACD places when an agent is Ready (callback-queue.ts), when connected. */
    private callbackQueue: CallbackQueue | undefined;

    constructor(private readonly options: AcdOptions) {
        this.roster = new AgentRoster(options.clock, options.events, {
            leftReadyWhileOffered: (rt) => this.withdrawOffer(rt),
            wrapEnded: () => this.dispatch()
        });
        this.book = new CallBook({
            store: options.store,
            clock: options.clock,
            events: options.events,
            recordings: options.recordings,
            sipCallIdOf: (interactionId) => options.signalling.sipCallIdOf?.(interactionId)
        });
        options.signalling.setListener(this);
        this.book.recoverUnended();
    }

    private get store(): Store {
        return this.options.store;
    }

    private get clock(): Clock {
        return this.options.clock;
    }

    // ------------------------------------------------------------------ agent status

    /** The agent's current status. */
    status(tenantId: string, agentId: string): AgentStatusView {
        return this.roster.view(this.roster.runtime(this.requireAgent(tenantId, agentId)));
    }

    /** Statuses of every agent of a tenant that has one other than the start-up NotReady. */
    statuses(tenantId: string): AgentStatusView[] {
        return this.roster.views(tenantId);
    }

    /** Applies a status change the agent asked for; see the OpenAPI `setAgentStatus` table. */
    setStatus(tenantId: string, agentId: string, request: StatusRequest): AgentStatusView {
        const agent = this.requireAgent(tenantId, agentId);
        const rt = this.roster.runtime(agent);
        const to = request.status;
        if (request.pauseReasonId !== undefined && to !== AgentStatusName.Paused) {
            throw invalid('/pauseReasonId', 'only allowed when status is Paused');
        }
        if (to === AgentStatusName.Paused) {
            if (!request.pauseReasonId) throw invalid('/pauseReasonId', 'required when status is Paused');
            if (!this.store.getPauseReason(tenantId, request.pauseReasonId)) {
                throw invalid('/pauseReasonId', `unknown pause reason "${request.pauseReasonId}"`);
            }
        }
        if (request.campaignId !== undefined && !this.store.getCampaign(tenantId, request.campaignId)) {
            throw invalid('/campaignId', `unknown campaign "${request.campaignId}"`);
        }
        if (
            to === rt.status &&
            (to !== AgentStatusName.Paused || request.pauseReasonId === rt.pauseReasonId)
        ) {
            return this.roster.view(rt); // same status again: a safe retry
        }
        if (to === AgentStatusName.Ready || to === AgentStatusName.Busy) this.assertCanWork(agent);
        if (rt.status === AgentStatusName.Busy && rt.interactionId && this.book.get(rt.interactionId)) {
            throw new AcdError(
                'call-in-progress',
                `Agent ${agentId} is on call ${rt.interactionId}; its hang-up moves the agent to Wrap.`,
                { currentStatus: rt.status }
            );
        }
        const check = transitionAgentStatus(rt.status, to, 'agent');
        if (!check.ok)
            throw new AcdError('illegal-status-transition', check.reason, { currentStatus: rt.status });
        if (to === AgentStatusName.Wrap) {
            const campaignId =
                request.campaignId ?? rt.lastCampaignId ?? this.tenant(tenantId).settings.outsideCampaignId;
            const wrapSeconds =
                (campaignId && this.store.getCampaign(tenantId, campaignId)?.wrapSeconds) || 0;
            this.roster.apply(rt, AgentStatusName.Wrap, 'agent', { interactionId: rt.interactionId });
            if (wrapSeconds > 0) this.roster.holdInWrap(rt, wrapSeconds);
            else this.roster.apply(rt, AgentStatusName.Ready, 'system');
        } else {
            this.roster.apply(rt, to, 'agent', { pauseReasonId: request.pauseReasonId ?? null });
        }
        this.dispatch();
        return this.roster.view(rt);
    }

    /**
     * Throws unless the agent may work: active PBX user (409 `agent-cannot-work`), the tenant within
     * its seats (403 `licence-limit-exceeded`) and a seat of its own (403 `no-seat`).
     */
    assertCanWork(agent: Agent): void {
        const blocking = blockingProblems(agent);
        if (blocking.length > 0) {
            throw new AcdError(
                'agent-cannot-work',
                `Agent ${agent.id} cannot work: ${blocking.join(', ')}.`,
                {
                    configurationProblems: configurationProblems(agent).filter((p) =>
                        blocking.includes(p.code)
                    )
                }
            );
        }
        const licence = this.store.getLicence(agent.tenantId);
        const assignments = this.store.listAssignments(agent.tenantId);
        if (licence && assignments.length > licence.seatsBought) {
            throw new AcdError(
                'licence-limit-exceeded',
                `The tenant uses ${assignments.length} seats but bought ${licence.seatsBought}: nobody can work until seats are removed.`
            );
        }
        if (!assignments.some((assignment) => assignment.agentId === agent.id)) {
            throw new AcdError(
                'no-seat',
                `Agent ${agent.id} has no seat of the Salesforce integration licence.`
            );
        }
    }

    // ------------------------------------------------------------------ calls: queries and IVR data

    /** The live record of a call in progress, or the stored one. */
    call(tenantId: string, interactionId: string): CallRecordData | undefined {
        return this.book.record(tenantId, interactionId);
    }

    /** Calls in progress (all tenants). */
    activeCalls(): CallRecordData[] {
        return this.book.all().map((call) => call.record);
    }

    /**
     * The answered calls of `agentId` that have not ended, oldest first: the calls its phone takes back after a
     * page reload (the customer's leg stays up meanwhile).
     */
    agentInteractions(tenantId: string, agentId: string): CallRecordData[] {
        this.requireAgent(tenantId, agentId);
        return this.book.agentInteractions(tenantId, agentId);
    }

    /** Live counters of a queue. */
    queueCounters(tenantId: string, queueId: string): { callsWaiting: number; agentsReady: number } {
        const queue = this.store.getQueue(tenantId, queueId);
        return {
            callsWaiting: this.book.callsWaiting(tenantId, queueId),
            agentsReady: this.roster.readyCount(queue?.memberAgentIds ?? [])
        };
    }

    /** Merges IVR / voicebot data into a call that no agent has answered yet. */
    attachIvrData(
        tenantId: string,
        interactionId: string,
        patch: {
            digits?: string;
            caseCode?: string;
            voicebotAnswers?: IvrData['voicebotAnswers'];
            data?: Record<string, string>;
        }
    ): CallRecordData {
        const active = this.book.get(interactionId);
        if (!active || active.record.tenantId !== tenantId) {
            if (this.store.getCall(tenantId, interactionId)) {
                throw new AcdError('call-not-pending', `Call ${interactionId} has ended.`);
            }
            throw new AcdError('not-found', `Call ${interactionId} does not exist.`);
        }
        const record = active.record;
        if (record.state === 'connected' || record.direction !== 'inbound') {
            throw new AcdError('call-not-pending', `Call ${interactionId} is already connected to an agent.`);
        }
        if (patch.digits !== undefined) record.ivr.digits = patch.digits;
        if (patch.caseCode !== undefined) record.ivr.caseCode = patch.caseCode;
        if (patch.voicebotAnswers) record.ivr.voicebotAnswers.push(...patch.voicebotAnswers);
        if (patch.data) Object.assign(record.ivr.data, patch.data);
        this.book.touch(record);
        this.options.events.add('call-ivr-data', { tenantId, interactionId }, { keys: Object.keys(patch) });
        return record;
    }

    /** Calls `listener` with every finished call record; returns an unsubscribe function. */
    onCallEnded(listener: (record: CallRecordData) => void): () => void {
        return this.book.onEnded(listener);
    }

    // ------------------------------------------------------------------ queued callbacks (callback-queue.ts)

    /** Routes the queue's due callbacks to Ready agents (after waiting callers) and reports their calls' ends. */
    setCallbackQueue(queue: CallbackQueue): void {
        this.callbackQueue = queue;
        queue.setDialler(this);
        this.onCallEnded((record) => queue.callEnded(record));
    }

    /** {@link CallbackDialler.callbacksChanged}: a callback became due. */
    callbacksChanged(): void {
        this.dispatch();
    }

    /** {@link CallbackDialler.callbackCallWaiting}. */
    callbackCallWaiting(interactionId: string): boolean {
        const call = this.book.get(interactionId);
        return call !== undefined && call.record.callback != null && call.record.state === 'queued';
    }

    /** {@link CallbackDialler.withdrawCallbackCall}: the call ends `missed` (hang-up by the system). */
    withdrawCallbackCall(interactionId: string): void {
        const call = this.book.get(interactionId);
        if (call && this.callbackCallWaiting(interactionId)) this.endCall(call, 'system', 'missed');
    }

    /** Offers due callbacks to the longest-idle Ready member of their queue (see callback-queue.ts). */
    private dispatchCallbacks(): void {
        for (const callback of this.callbackQueue?.waiting() ?? []) {
            const campaign = this.store.getCampaign(callback.tenantId, callback.campaignId);
            const queue = this.store.getQueue(callback.tenantId, callback.queueId);
            const record = callbackCallRecord(callback, campaign, queue, this.clock.now());
            const call = newActiveCall(record);
            const agent = this.pickAgent(call);
            if (!agent) continue;
            record.callback = this.callbackQueue!.started(callback, record.interactionId);
            this.book.add(call);
            this.queueOrder.push(record.interactionId);
            this.options.events.add(
                'call-arrived',
                { tenantId: record.tenantId, interactionId: record.interactionId },
                { direction: 'outbound', callbackId: callback.id, queueId: record.queueId }
            );
            this.offer(call, agent);
        }
    }

    // ------------------------------------------------------------------ SignallingListener

    incomingCall(input: IncomingCall): string {
        const tenant = this.tenant(input.tenantId);
        const campaignId = input.campaignId ?? tenant.settings.outsideCampaignId;
        const campaign = campaignId ? this.store.getCampaign(tenant.id, campaignId) : undefined;
        if (campaignId && !campaign) throw invalid('/campaignId', `unknown campaign "${campaignId}"`);
        const queueId = input.queueId ?? campaign?.queueIds[0] ?? null;
        const queue = queueId ? this.store.getQueue(tenant.id, queueId) : undefined;
        if (queueId && !queue) throw invalid('/queueId', `unknown queue "${queueId}"`);
        const now = this.clock.now();
        const record = newCallRecord({
            interactionId: `int-${randomUUID()}`,
            tenantId: tenant.id,
            direction: 'inbound',
            state: input.holdInIvr ? 'ivr' : 'queued',
            callerNumber: cut(input.callerNumber, MAX_CALLER_NUMBER),
            callerName: cut(input.callerName, MAX_CALLER_NAME),
            calleeNumber: cut(input.calleeNumber, MAX_CALLER_NUMBER),
            campaignId: campaign?.id ?? null,
            campaignName: campaign?.name ?? null,
            queueId: queue?.id ?? null,
            queueName: queue?.name ?? null,
            offeredAt: now,
            ivr: {
                digits: input.ivr?.digits ?? null,
                caseCode: input.ivr?.caseCode ?? null,
                voicebotAnswers: [],
                data: { ...(input.ivr?.data ?? {}) }
            }
        });
        const call = this.book.add(newActiveCall(record));
        this.options.events.add(
            'call-arrived',
            { tenantId: tenant.id, interactionId: record.interactionId },
            { campaignId: record.campaignId, queueId: record.queueId, inIvr: input.holdInIvr }
        );
        if (!input.holdInIvr) this.enqueue(call);
        return record.interactionId;
    }

    transferFromIvr(interactionId: string): void {
        const call = this.requireActive(interactionId);
        if (call.record.state !== 'ivr')
            throw new AcdError('call-not-pending', `Call ${interactionId} is not in the IVR.`);
        this.enqueue(call);
    }

    hangup(interactionId: string, by: HangupParty): void {
        const call = this.requireActive(interactionId);
        const record = call.record;
        const customerSide: HangupBy = record.direction === 'inbound' ? 'caller' : 'callee';
        if (record.callback && call.offer && by === 'agent') {
            // An agent hanging up a ringing callback declines it (the customer is not dialled yet).
            this.settleOffer(interactionId, call.offer.token, 'rejected');
            return;
        }
        if (record.state === 'connected') {
            this.endCall(call, by === 'agent' ? 'agent' : customerSide, 'answered');
            return;
        }
        if (record.direction === 'outbound') {
            // The agent gave up before the callee answered (or the callee's side dropped).
            this.endCall(call, by === 'agent' ? 'agent' : customerSide, by === 'agent' ? 'missed' : 'failed');
            return;
        }
        if (by === 'agent') {
            // An agent hanging up a ringing call declines it.
            if (record.state === 'ringing' && call.offer) {
                this.settleOffer(interactionId, call.offer.token, 'rejected');
                return;
            }
            throw new AcdError('call-not-pending', `Call ${interactionId} is not connected to an agent.`);
        }
        this.endCall(call, 'caller', this.unansweredOutcome(call, true));
    }

    outgoingCall(input: OutgoingCall): string {
        const tenant = this.tenant(input.tenantId);
        const agent = this.requireAgent(tenant.id, input.agentId);
        const rt = this.roster.runtime(agent);
        this.assertCanWork(agent);
        // A phone publishes Busy as it starts dialling, so Busy alone is no reason to refuse:
        // only a call the agent really has in progress is.
        if (rt.status === AgentStatusName.Busy && rt.interactionId && this.book.get(rt.interactionId)) {
            throw new AcdError('call-in-progress', `Agent ${agent.id} is already on a call.`, {
                currentStatus: rt.status
            });
        }
        const campaignId = input.campaignId ?? tenant.settings.outsideCampaignId;
        const campaign = campaignId ? this.store.getCampaign(tenant.id, campaignId) : undefined;
        if (campaignId && !campaign) throw invalid('/campaignId', `unknown campaign "${campaignId}"`);
        const now = this.clock.now();
        const record = newCallRecord({
            interactionId: `int-${randomUUID()}`,
            tenantId: tenant.id,
            direction: 'outbound',
            state: 'ringing',
            callerNumber: agent.presentation ?? campaign?.outboundPresentationNumber ?? agent.outboundNumber,
            callerName: `${agent.firstName} ${agent.lastName}`,
            calleeNumber: cut(input.calleeNumber, MAX_CALLER_NUMBER),
            agentId: agent.id,
            agentEmail: agent.email,
            agentPhoneType: agent.phoneType,
            ownerAgentId: agent.id,
            ownerEmail: agent.email,
            campaignId: campaign?.id ?? null,
            campaignName: campaign?.name ?? null,
            offeredAt: now
        });
        this.book.add(newActiveCall(record));
        if (rt.status === AgentStatusName.Busy) {
            rt.interactionId = record.interactionId; // already Busy (set by the dialling phone): attach the call
        } else {
            this.roster.apply(rt, AgentStatusName.Busy, 'agent', { interactionId: record.interactionId });
        }
        rt.lastCampaignId = record.campaignId;
        this.options.events.add(
            'call-arrived',
            { tenantId: tenant.id, interactionId: record.interactionId, agentId: agent.id },
            { direction: 'outbound', campaignId: record.campaignId }
        );
        return record.interactionId;
    }

    outgoingProgress(interactionId: string, progress: OutgoingProgress): void {
        const call = this.requireActive(interactionId);
        if (call.record.direction !== 'outbound' || call.record.state !== 'ringing') {
            throw new AcdError(
                'call-not-pending',
                `Call ${interactionId} is not an outbound call being dialled.`
            );
        }
        if (progress === 'answered') {
            call.record.state = 'connected';
            call.record.answeredAt = this.clock.now();
            const caller = call.record.agentId
                ? this.store.getAgent(call.record.tenantId, call.record.agentId)
                : undefined;
            if (caller) this.book.addLeg(call.record, caller.id, caller.email);
            if (call.record.callback) this.callbackQueue?.answered(call.record);
            this.book.touch(call.record);
            this.options.events.add('call-answered', refs(call.record), { direction: 'outbound' });
            return;
        }
        const outcome: CallOutcome =
            progress === 'busy' ? 'busy' : progress === 'no-answer' ? 'missed' : 'failed';
        this.endCall(call, progress === 'busy' ? 'callee' : 'system', outcome);
    }

    /**
     * A transfer reached another agent (see {@link SignallingListener.transferLegAnswered}): a leg of the call
     * record (call-book.ts; an ended record is reported again, so the push carries every leg).
     */
    transferLegAnswered(interactionId: string, agentId: string, sipCallId: string): void {
        this.book.transferLegAnswered(interactionId, agentId, sipCallId);
    }

    /** A transfer leg ended: its end time; an ended record is reported again. */
    transferLegEnded(interactionId: string, sipCallId: string): void {
        this.book.transferLegEnded(interactionId, sipCallId);
    }

    // ------------------------------------------------------------------ lifecycle

    /** Ends every call in progress (answered ones as answered, the rest failed) and stops all timers. */
    close(): void {
        if (this.closed) return;
        this.closed = true; // first: no new offers and no new wrap timers while calls are closed
        for (const call of this.book.all()) {
            this.endCall(call, 'system', call.record.answeredAt !== null ? 'answered' : 'failed');
        }
        this.roster.stopTimers();
    }

    // ------------------------------------------------------------------ routing internals

    private enqueue(call: ActiveCall): void {
        const record = call.record;
        record.state = 'queued';
        this.queueOrder.push(record.interactionId);
        const queue = record.queueId ? this.store.getQueue(record.tenantId, record.queueId) : undefined;
        const maxWaitMs = (queue?.maxWaitSeconds ?? this.options.maxWaitSeconds) * 1000;
        call.maxWaitTimer = this.clock.setTimeout(() => {
            call.maxWaitTimer = undefined;
            if (this.book.get(record.interactionId) === call && record.state !== 'connected') {
                this.endCall(call, 'system', this.unansweredOutcome(call, false));
            }
        }, maxWaitMs);
        this.book.touch(record);
        this.options.events.add('call-queued', refs(record), { queueId: record.queueId });
        this.dispatch();
    }

    /** Offers every waiting call to the longest-idle eligible agent, oldest call first. */
    private dispatch(): void {
        if (this.closed) return;
        if (this.dispatching) {
            this.dispatchAgain = true;
            return;
        }
        this.dispatching = true;
        try {
            do {
                this.dispatchAgain = false;
                for (const interactionId of [...this.queueOrder]) {
                    const call = this.book.get(interactionId);
                    if (!call || call.record.state !== 'queued') continue;
                    const agent = this.pickAgent(call);
                    if (agent) this.offer(call, agent);
                }
                this.dispatchCallbacks();
            } while (this.dispatchAgain);
        } finally {
            this.dispatching = false;
        }
    }

    private pickAgent(call: ActiveCall): AgentRuntime | undefined {
        const record = call.record;
        const queue = record.queueId ? this.store.getQueue(record.tenantId, record.queueId) : undefined;
        return this.roster.longestIdleReady(
            record.tenantId,
            (agentId) =>
                !call.triedAgentIds.has(agentId) && (!queue || queue.memberAgentIds.includes(agentId))
        );
    }

    private offer(call: ActiveCall, rt: AgentRuntime): void {
        const record = call.record;
        const agent = this.requireAgent(record.tenantId, rt.agentId);
        const queue = record.queueId ? this.store.getQueue(record.tenantId, record.queueId) : undefined;
        const ringTimeoutMs = (queue?.ringTimeoutSeconds ?? this.options.ringTimeoutSeconds) * 1000;
        const token = ++this.offerSeq;
        const abort = new AbortController();
        record.state = 'ringing';
        record.offers.push({ agentId: rt.agentId, ringingAt: this.clock.now(), endedAt: null, result: null });
        call.triedAgentIds.add(rt.agentId);
        rt.offeredInteractionId = record.interactionId;
        const ringTimer = this.clock.setTimeout(
            () => this.settleOffer(record.interactionId, token, 'timeout'),
            ringTimeoutMs
        );
        call.offer = { agentId: rt.agentId, token, abort, ringTimer };
        this.book.touch(record);
        this.options.events.add('call-offered', refs(record, rt.agentId), { ringTimeoutMs });
        this.options.signalling
            .offerToAgent(endpointOf(agent), this.offered(record), { ringTimeoutMs, signal: abort.signal })
            .then(
                (result) => this.settleOffer(record.interactionId, token, result),
                () => this.settleOffer(record.interactionId, token, 'failed')
            );
    }

    /**
     * Ends the current offer of a call (whichever comes first wins: the agent's answer, the ring timer,
     * a cancel). Unless `requeue` is false, an unanswered call goes back to waiting.
     */
    private settleOffer(interactionId: string, token: number, result: OfferResult, requeue = true): void {
        const call = this.book.get(interactionId);
        if (!call || !call.offer || call.offer.token !== token) return; // stale: already settled
        const { agentId, abort, ringTimer } = call.offer;
        call.offer = undefined;
        this.clock.clearTimeout(ringTimer);
        if (result !== 'answered') abort.abort(); // stop ringing (SIP CANCEL)
        const offer = call.record.offers[call.record.offers.length - 1]!;
        offer.endedAt = this.clock.now();
        offer.result = result;
        const rt = this.roster.get(agentId);
        if (rt && rt.offeredInteractionId === interactionId) rt.offeredInteractionId = null;
        this.options.events.add('offer-ended', refs(call.record, agentId), { result });
        if (result === 'answered' && rt) {
            this.connect(call, rt);
            return;
        }
        if (result === 'timeout' && rt && rt.status === AgentStatusName.Ready) {
            this.roster.apply(rt, AgentStatusName.NotReady, 'system');
        }
        if (requeue && call.record.state === 'ringing') {
            call.record.state = 'queued';
            this.book.touch(call.record);
            this.dispatch();
        }
    }

    private connect(call: ActiveCall, rt: AgentRuntime): void {
        const record = call.record;
        const agent = this.requireAgent(record.tenantId, rt.agentId);
        // A queued callback: the agent answered, now the contact centre dials the customer (outgoingProgress).
        const dialling = record.callback != null;
        record.state = dialling ? 'ringing' : 'connected';
        if (!dialling) record.answeredAt = this.clock.now();
        record.agentId = agent.id;
        record.agentEmail = agent.email;
        record.agentPhoneType = agent.phoneType;
        if (!dialling) this.book.addLeg(record, agent.id, agent.email);
        this.leaveQueue(call);
        this.roster.apply(rt, AgentStatusName.Busy, 'system', { interactionId: record.interactionId });
        rt.lastCampaignId = record.campaignId;
        this.book.touch(record);
        this.options.events.add('call-answered', refs(record, agent.id), { dialling });
        if (dialling) this.options.signalling.dialCallbackCustomer?.(record.interactionId);
    }

    private endCall(call: ActiveCall, hangupBy: HangupBy, outcome: CallOutcome): void {
        const record = call.record;
        if (call.offer) this.settleOffer(record.interactionId, call.offer.token, 'cancelled', false);
        this.leaveQueue(call);
        this.book.close(record.interactionId);
        const now = this.clock.now();
        record.state = 'ended';
        record.endedAt = now;
        for (const leg of record.legs ?? []) if (!leg.viaTransfer) leg.endedAt ??= now;
        record.outcome = outcome;
        record.hangupBy = hangupBy;
        const tenant = this.tenant(record.tenantId);
        if (!record.ownerAgentId) {
            const owner = record.agentId ?? tenant.settings.defaultAgentId;
            const ownerAgent = owner ? this.store.getAgent(tenant.id, owner) : undefined;
            record.ownerAgentId = ownerAgent?.id ?? null;
            record.ownerEmail = ownerAgent?.email ?? null;
        }
        if (record.answeredAt !== null) this.book.saveRecording(record);
        const rt = record.agentId ? this.roster.get(record.agentId) : undefined;
        if (rt && rt.interactionId === record.interactionId && rt.status === AgentStatusName.Busy) {
            const campaign = record.campaignId
                ? this.store.getCampaign(tenant.id, record.campaignId)
                : undefined;
            const wrapSeconds = campaign?.wrapSeconds ?? 0;
            record.wrapSeconds = wrapSeconds;
            if (wrapSeconds > 0 && !this.closed) {
                this.roster.apply(rt, AgentStatusName.Wrap, 'system', {
                    interactionId: record.interactionId
                });
                this.roster.holdInWrap(rt, wrapSeconds);
            } else {
                this.roster.apply(rt, AgentStatusName.Ready, 'system');
            }
        }
        this.book.touch(record);
        this.options.events.add('call-ended', refs(record, record.agentId), { outcome, hangupBy });
        if (hangupBy === 'system') this.options.signalling.hangup(record.interactionId, 'system');
        this.book.reportEnded(record);
        this.dispatch();
    }

    private unansweredOutcome(call: ActiveCall, callerHungUp: boolean): CallOutcome {
        const results = call.record.offers.map((offer) => offer.result);
        if (results.length === 0) return callerHungUp ? 'abandoned' : 'missed';
        if (results.every((result) => result === 'rejected')) return 'rejected';
        if (results.every((result) => result === 'failed')) return 'failed';
        return 'missed';
    }

    private leaveQueue(call: ActiveCall): void {
        const index = this.queueOrder.indexOf(call.record.interactionId);
        if (index >= 0) this.queueOrder.splice(index, 1);
        if (call.maxWaitTimer !== undefined) this.clock.clearTimeout(call.maxWaitTimer);
        call.maxWaitTimer = undefined;
    }

    // ------------------------------------------------------------------ helpers

    private tenant(tenantId: string): Tenant {
        const tenant = this.store.getTenant(tenantId);
        if (!tenant) throw new AcdError('not-found', `Tenant "${tenantId}" does not exist.`);
        return tenant;
    }

    /** The roster's hook: the agent left Ready while a call rang there; the call goes to the next agent. */
    private withdrawOffer(rt: AgentRuntime): void {
        const call = rt.offeredInteractionId ? this.book.get(rt.offeredInteractionId) : undefined;
        if (call?.offer && call.offer.agentId === rt.agentId)
            this.settleOffer(call.record.interactionId, call.offer.token, 'cancelled');
    }

    private offered(record: CallRecordData): OfferedCall {
        const campaign = record.campaignId
            ? this.store.getCampaign(record.tenantId, record.campaignId)
            : undefined;
        return offeredCallOf(record, campaign?.wrapSeconds ?? null);
    }

    private requireAgent(tenantId: string, agentId: string): Agent {
        const agent = this.store.getAgent(tenantId, agentId);
        if (!agent) throw new AcdError('not-found', `Agent "${agentId}" does not exist.`);
        return agent;
    }

    private requireActive(interactionId: string): ActiveCall {
        const call = this.book.get(interactionId);
        if (!call) throw new AcdError('not-found', `No call ${interactionId} is in progress.`);
        return call;
    }
}
