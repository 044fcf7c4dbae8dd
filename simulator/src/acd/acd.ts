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
 * Time comes from an injected {@link Clock}; SIP from the {@link CallSignalling} port.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../../../phone-core/src/util/clock';
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
import { generateToneWav, recordingLengthMs, type RecordingFiles } from '../recording/wav';
import type { Store } from '../store/store';
import { callbackCallRecord, type CallbackDialler, type CallbackQueue } from './callback-queue';
import { AgentStatusName, transitionAgentStatus, type StatusActor } from './agent-status';
import type { EventLog } from './events';
import type {
    AgentEndpoint,
    CallSignalling,
    HangupParty,
    IncomingCall,
    OfferedCall,
    OutgoingCall,
    OutgoingProgress,
    SignallingListener
} from './signalling';

/** Why the ACD refused a request; the API maps each code to an HTTP status. */
export type AcdErrorCode =
    | 'not-found'
    | 'validation-failed'
    | 'illegal-status-transition'
    | 'call-in-progress'
    | 'call-not-pending'
    | 'agent-cannot-work'
    | 'no-seat'
    | 'licence-limit-exceeded';

/** A refused request. */
export class AcdError extends Error {
    constructor(
        readonly code: AcdErrorCode,
        message: string,
        readonly extra: Record<string, unknown> = {}
    ) {
        super(message);
        this.name = 'AcdError';
    }
}

/** An agent's status as the API shows it (times in epoch ms). */
export interface AgentStatusView {
    agentId: string;
    status: AgentStatusName;
    pauseReasonId: string | null;
    since: number;
    changedBy: StatusActor;
    wrapEndsAt: number | null;
    interactionId: string | null;
    offeredInteractionId: string | null;
}

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

interface AgentRuntime {
    agentId: string;
    tenantId: string;
    status: AgentStatusName;
    pauseReasonId: string | null;
    since: number;
    changedBy: StatusActor;
    /** When the agent last became Ready: the longest-idle rule sorts on it. */
    readySince: number;
    wrapEndsAt: number | null;
    wrapTimer: TimerHandle | undefined;
    interactionId: string | null;
    offeredInteractionId: string | null;
    lastCampaignId: string | null;
}

interface ActiveOffer {
    agentId: string;
    token: number;
    abort: AbortController;
    ringTimer: TimerHandle;
}

interface ActiveCall {
    record: CallRecordData;
    offer: ActiveOffer | undefined;
    maxWaitTimer: TimerHandle | undefined;
    triedAgentIds: Set<string>;
}

const MAX_CALLER_NUMBER = 64;
const MAX_CALLER_NAME = 128;

function cut(value: string | null | undefined, max: number): string | null {
    if (value === null || value === undefined) return null;
    return value.length > max ? value.slice(0, max) : value;
}

/** See the module documentation. */
export class Acd implements SignallingListener, CallbackDialler {
    private readonly agents = new Map<string, AgentRuntime>();
    private readonly calls = new Map<string, ActiveCall>();
    /** Queued (and ringing) calls in arrival order. */
    private readonly queueOrder: string[] = [];
    private readonly callEndedListeners = new Set<(record: CallRecordData) => void>();
    private offerSeq = 0;
    private dispatching = false;
    private dispatchAgain = false;
    private closed = false;
    /** Queued callbacks the ACD places when an agent is Ready (callback-queue.ts), when connected. */
    private callbackQueue: CallbackQueue | undefined;

    constructor(private readonly options: AcdOptions) {
        options.signalling.setListener(this);
        this.recoverUnendedCalls();
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
        return this.view(this.runtime(this.requireAgent(tenantId, agentId)));
    }

    /** Statuses of every agent of a tenant that has one other than the start-up NotReady. */
    statuses(tenantId: string): AgentStatusView[] {
        return [...this.agents.values()].filter((rt) => rt.tenantId === tenantId).map((rt) => this.view(rt));
    }

    /** Applies a status change the agent asked for; see the OpenAPI `setAgentStatus` table. */
    setStatus(tenantId: string, agentId: string, request: StatusRequest): AgentStatusView {
        const agent = this.requireAgent(tenantId, agentId);
        const rt = this.runtime(agent);
        const to = request.status;
        if (request.pauseReasonId !== undefined && to !== AgentStatusName.Paused) {
            throw this.invalid('/pauseReasonId', 'only allowed when status is Paused');
        }
        if (to === AgentStatusName.Paused) {
            if (!request.pauseReasonId)
                throw this.invalid('/pauseReasonId', 'required when status is Paused');
            if (!this.store.getPauseReason(tenantId, request.pauseReasonId)) {
                throw this.invalid('/pauseReasonId', `unknown pause reason "${request.pauseReasonId}"`);
            }
        }
        if (request.campaignId !== undefined && !this.store.getCampaign(tenantId, request.campaignId)) {
            throw this.invalid('/campaignId', `unknown campaign "${request.campaignId}"`);
        }
        if (
            to === rt.status &&
            (to !== AgentStatusName.Paused || request.pauseReasonId === rt.pauseReasonId)
        ) {
            return this.view(rt); // same status again: a safe retry
        }
        if (to === AgentStatusName.Ready || to === AgentStatusName.Busy) this.assertCanWork(agent);
        if (rt.status === AgentStatusName.Busy && rt.interactionId && this.calls.has(rt.interactionId)) {
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
            this.applyStatus(rt, AgentStatusName.Wrap, 'agent', { interactionId: rt.interactionId });
            if (wrapSeconds > 0) this.holdInWrap(rt, wrapSeconds);
            else this.applyStatus(rt, AgentStatusName.Ready, 'system');
        } else {
            this.applyStatus(rt, to, 'agent', { pauseReasonId: request.pauseReasonId ?? null });
        }
        this.dispatch();
        return this.view(rt);
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
        const active = this.calls.get(interactionId);
        if (active && active.record.tenantId === tenantId) return active.record;
        return this.store.getCall(tenantId, interactionId);
    }

    /** Calls in progress (all tenants). */
    activeCalls(): CallRecordData[] {
        return [...this.calls.values()].map((call) => call.record);
    }

    /**
     * The answered calls of `agentId` that have not ended, oldest first: the calls its phone takes back after a
     * page reload (the customer's leg stays up meanwhile).
     */
    agentInteractions(tenantId: string, agentId: string): CallRecordData[] {
        this.requireAgent(tenantId, agentId);
        return [...this.calls.values()]
            .map((call) => call.record)
            .filter(
                (record) =>
                    record.tenantId === tenantId &&
                    record.agentId === agentId &&
                    record.answeredAt !== null &&
                    record.endedAt === null
            )
            .sort((a, b) => a.offeredAt - b.offeredAt);
    }

    /** Live counters of a queue. */
    queueCounters(tenantId: string, queueId: string): { callsWaiting: number; agentsReady: number } {
        const queue = this.store.getQueue(tenantId, queueId);
        const callsWaiting = [...this.calls.values()].filter(
            (call) =>
                call.record.tenantId === tenantId &&
                call.record.queueId === queueId &&
                (call.record.state === 'queued' || call.record.state === 'ringing')
        ).length;
        const agentsReady = (queue?.memberAgentIds ?? []).filter(
            (id) => this.agents.get(id)?.status === AgentStatusName.Ready
        ).length;
        return { callsWaiting, agentsReady };
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
        const active = this.calls.get(interactionId);
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
        this.touch(record);
        this.options.events.add('call-ivr-data', { tenantId, interactionId }, { keys: Object.keys(patch) });
        return record;
    }

    /** Calls `listener` with every finished call record; returns an unsubscribe function. */
    onCallEnded(listener: (record: CallRecordData) => void): () => void {
        this.callEndedListeners.add(listener);
        return () => this.callEndedListeners.delete(listener);
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
        const call = this.calls.get(interactionId);
        return call !== undefined && call.record.callback != null && call.record.state === 'queued';
    }

    /** {@link CallbackDialler.withdrawCallbackCall}: the call ends `missed` (hang-up by the system). */
    withdrawCallbackCall(interactionId: string): void {
        const call = this.calls.get(interactionId);
        if (call && this.callbackCallWaiting(interactionId)) this.endCall(call, 'system', 'missed');
    }

    /** Offers due callbacks to the longest-idle Ready member of their queue (see callback-queue.ts). */
    private dispatchCallbacks(): void {
        for (const callback of this.callbackQueue?.waiting() ?? []) {
            const campaign = this.store.getCampaign(callback.tenantId, callback.campaignId);
            const queue = this.store.getQueue(callback.tenantId, callback.queueId);
            const record = callbackCallRecord(callback, campaign, queue, this.clock.now());
            const call: ActiveCall = {
                record,
                offer: undefined,
                maxWaitTimer: undefined,
                triedAgentIds: new Set()
            };
            const agent = this.pickAgent(call);
            if (!agent) continue;
            record.callback = this.callbackQueue!.started(callback, record.interactionId);
            this.calls.set(record.interactionId, call);
            this.queueOrder.push(record.interactionId);
            this.store.putCall(record);
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
        if (campaignId && !campaign) throw this.invalid('/campaignId', `unknown campaign "${campaignId}"`);
        const queueId = input.queueId ?? campaign?.queueIds[0] ?? null;
        const queue = queueId ? this.store.getQueue(tenant.id, queueId) : undefined;
        if (queueId && !queue) throw this.invalid('/queueId', `unknown queue "${queueId}"`);
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
        const call: ActiveCall = {
            record,
            offer: undefined,
            maxWaitTimer: undefined,
            triedAgentIds: new Set()
        };
        this.calls.set(record.interactionId, call);
        this.store.putCall(record);
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
        const rt = this.runtime(agent);
        this.assertCanWork(agent);
        // A phone publishes Busy as it starts dialling, so Busy alone is no reason to refuse:
        // only a call the agent really has in progress is.
        if (rt.status === AgentStatusName.Busy && rt.interactionId && this.calls.has(rt.interactionId)) {
            throw new AcdError('call-in-progress', `Agent ${agent.id} is already on a call.`, {
                currentStatus: rt.status
            });
        }
        const campaignId = input.campaignId ?? tenant.settings.outsideCampaignId;
        const campaign = campaignId ? this.store.getCampaign(tenant.id, campaignId) : undefined;
        if (campaignId && !campaign) throw this.invalid('/campaignId', `unknown campaign "${campaignId}"`);
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
        this.calls.set(record.interactionId, {
            record,
            offer: undefined,
            maxWaitTimer: undefined,
            triedAgentIds: new Set()
        });
        this.store.putCall(record);
        if (rt.status === AgentStatusName.Busy) {
            rt.interactionId = record.interactionId; // already Busy (set by the dialling phone): attach the call
        } else {
            this.applyStatus(rt, AgentStatusName.Busy, 'agent', { interactionId: record.interactionId });
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
            if (caller) this.addLeg(call.record, caller.id, caller.email);
            if (call.record.callback) this.callbackQueue?.answered(call.record);
            this.touch(call.record);
            this.options.events.add('call-answered', this.refs(call.record), { direction: 'outbound' });
            return;
        }
        const outcome: CallOutcome =
            progress === 'busy' ? 'busy' : progress === 'no-answer' ? 'missed' : 'failed';
        this.endCall(call, progress === 'busy' ? 'callee' : 'system', outcome);
    }

    /**
     * A transfer reached another agent (see {@link SignallingListener.transferLegAnswered}). The call record
     * gets the agent's leg; when the record was already ended (the first agent's leg hung up first) it gets a
     * newer version and is reported again, so the push carries every leg.
     */
    transferLegAnswered(interactionId: string, agentId: string, sipCallId: string): void {
        const record = this.recordOf(interactionId);
        if (!record || (record.legs ?? []).some((leg) => leg.sipCallId === sipCallId)) return;
        const agent = this.store.getAgent(record.tenantId, agentId);
        (record.legs ??= []).push({
            agentId,
            agentEmail: agent?.email ?? null,
            sipCallId,
            answeredAt: this.clock.now(),
            endedAt: null,
            viaTransfer: true
        });
        this.legChanged(record);
    }

    /** A transfer leg ended: its end time; an ended record is reported again. */
    transferLegEnded(interactionId: string, sipCallId: string): void {
        const record = this.recordOf(interactionId);
        const leg = record?.legs?.find((candidate) => candidate.sipCallId === sipCallId);
        if (!record || !leg) return;
        leg.endedAt = this.clock.now();
        this.legChanged(record);
    }

    /** Hands a finished call record to the listeners (the push). */
    private reportEnded(record: CallRecordData): void {
        for (const listener of this.callEndedListeners) {
            try {
                listener(record);
            } catch {
                // A failing listener (e.g. the push) must not break routing.
            }
        }
    }

    /** The record of a call in progress, or of one that ended. */
    private recordOf(interactionId: string): CallRecordData | undefined {
        const active = this.calls.get(interactionId)?.record;
        if (active) return active;
        for (const tenant of this.store.listTenants()) {
            const ended = this.store.getCall(tenant.id, interactionId);
            if (ended) return ended;
        }
        return undefined;
    }

    private legChanged(record: CallRecordData): void {
        this.touch(record);
        this.options.events.add('call-leg', this.refs(record), { legs: record.legs?.length ?? 0 });
        if (record.state === 'ended') this.reportEnded(record);
    }

    // ------------------------------------------------------------------ lifecycle

    /** Ends every call in progress (answered ones as answered, the rest failed) and stops all timers. */
    close(): void {
        if (this.closed) return;
        this.closed = true; // first: no new offers and no new wrap timers while calls are closed
        for (const call of [...this.calls.values()]) {
            this.endCall(call, 'system', call.record.answeredAt !== null ? 'answered' : 'failed');
        }
        for (const rt of this.agents.values()) {
            if (rt.wrapTimer !== undefined) this.clock.clearTimeout(rt.wrapTimer);
            rt.wrapTimer = undefined;
        }
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
            if (this.calls.get(record.interactionId) === call && record.state !== 'connected') {
                this.endCall(call, 'system', this.unansweredOutcome(call, false));
            }
        }, maxWaitMs);
        this.touch(record);
        this.options.events.add('call-queued', this.refs(record), { queueId: record.queueId });
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
                    const call = this.calls.get(interactionId);
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
        const candidates = [...this.agents.values()].filter(
            (rt) =>
                rt.tenantId === record.tenantId &&
                rt.status === AgentStatusName.Ready &&
                rt.offeredInteractionId === null &&
                !call.triedAgentIds.has(rt.agentId) &&
                (!queue || queue.memberAgentIds.includes(rt.agentId))
        );
        candidates.sort((a, b) => a.readySince - b.readySince || a.agentId.localeCompare(b.agentId));
        return candidates[0];
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
        this.touch(record);
        this.options.events.add('call-offered', this.refs(record, rt.agentId), { ringTimeoutMs });
        this.options.signalling
            .offerToAgent(this.endpoint(agent), this.offered(record), { ringTimeoutMs, signal: abort.signal })
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
        const call = this.calls.get(interactionId);
        if (!call || !call.offer || call.offer.token !== token) return; // stale: already settled
        const { agentId, abort, ringTimer } = call.offer;
        call.offer = undefined;
        this.clock.clearTimeout(ringTimer);
        if (result !== 'answered') abort.abort(); // stop ringing (SIP CANCEL)
        const offer = call.record.offers[call.record.offers.length - 1]!;
        offer.endedAt = this.clock.now();
        offer.result = result;
        const rt = this.agents.get(agentId);
        if (rt && rt.offeredInteractionId === interactionId) rt.offeredInteractionId = null;
        this.options.events.add('offer-ended', this.refs(call.record, agentId), { result });
        if (result === 'answered' && rt) {
            this.connect(call, rt);
            return;
        }
        if (result === 'timeout' && rt && rt.status === AgentStatusName.Ready) {
            this.applyStatus(rt, AgentStatusName.NotReady, 'system');
        }
        if (requeue && call.record.state === 'ringing') {
            call.record.state = 'queued';
            this.touch(call.record);
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
        if (!dialling) this.addLeg(record, agent.id, agent.email);
        this.leaveQueue(call);
        this.applyStatus(rt, AgentStatusName.Busy, 'system', { interactionId: record.interactionId });
        rt.lastCampaignId = record.campaignId;
        this.touch(record);
        this.options.events.add('call-answered', this.refs(record, agent.id), { dialling });
        if (dialling) this.options.signalling.dialCallbackCustomer?.(record.interactionId);
    }

    private endCall(call: ActiveCall, hangupBy: HangupBy, outcome: CallOutcome): void {
        const record = call.record;
        if (call.offer) this.settleOffer(record.interactionId, call.offer.token, 'cancelled', false);
        this.leaveQueue(call);
        this.calls.delete(record.interactionId);
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
        if (record.answeredAt !== null) this.record(record);
        const rt = record.agentId ? this.agents.get(record.agentId) : undefined;
        if (rt && rt.interactionId === record.interactionId && rt.status === AgentStatusName.Busy) {
            const campaign = record.campaignId
                ? this.store.getCampaign(tenant.id, record.campaignId)
                : undefined;
            const wrapSeconds = campaign?.wrapSeconds ?? 0;
            record.wrapSeconds = wrapSeconds;
            if (wrapSeconds > 0 && !this.closed) {
                this.applyStatus(rt, AgentStatusName.Wrap, 'system', { interactionId: record.interactionId });
                this.holdInWrap(rt, wrapSeconds);
            } else {
                this.applyStatus(rt, AgentStatusName.Ready, 'system');
            }
        }
        this.touch(record);
        this.options.events.add('call-ended', this.refs(record, record.agentId), { outcome, hangupBy });
        if (hangupBy === 'system') this.options.signalling.hangup(record.interactionId, 'system');
        this.reportEnded(record);
        this.dispatch();
    }

    /** An agent took the call: a leg of theirs, with the SIP Call-ID of the INVITE their phone saw. */
    private addLeg(record: CallRecordData, agentId: string, agentEmail: string | null): void {
        (record.legs ??= []).push({
            agentId,
            agentEmail,
            sipCallId: this.options.signalling.sipCallIdOf?.(record.interactionId) ?? null,
            answeredAt: this.clock.now(),
            endedAt: null
        });
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

    private holdInWrap(rt: AgentRuntime, wrapSeconds: number): void {
        rt.wrapEndsAt = this.clock.now() + wrapSeconds * 1000;
        const timer = this.clock.setTimeout(() => {
            if (rt.wrapTimer !== timer || rt.status !== AgentStatusName.Wrap) return;
            rt.wrapTimer = undefined;
            this.applyStatus(rt, AgentStatusName.Ready, 'system');
            this.dispatch();
        }, wrapSeconds * 1000);
        rt.wrapTimer = timer;
    }

    /** Moves an agent to `to` through the guarded transition; a refused system move is a bug. */
    private applyStatus(
        rt: AgentRuntime,
        to: AgentStatusName,
        actor: StatusActor,
        extra: { interactionId?: string | null; pauseReasonId?: string | null } = {}
    ): void {
        const check = transitionAgentStatus(rt.status, to, actor);
        if (!check.ok)
            throw new AcdError('illegal-status-transition', check.reason, { currentStatus: rt.status });
        const from = rt.status;
        if (rt.wrapTimer !== undefined) this.clock.clearTimeout(rt.wrapTimer);
        rt.wrapTimer = undefined;
        rt.wrapEndsAt = null;
        const now = this.clock.now();
        rt.status = to;
        rt.since = now;
        rt.changedBy = actor;
        rt.pauseReasonId = to === AgentStatusName.Paused ? (extra.pauseReasonId ?? null) : null;
        rt.interactionId =
            to === AgentStatusName.Busy || to === AgentStatusName.Wrap ? (extra.interactionId ?? null) : null;
        if (to === AgentStatusName.Ready) rt.readySince = now;
        this.options.events.add(
            'agent-status',
            { tenantId: rt.tenantId, agentId: rt.agentId, interactionId: rt.interactionId },
            { from, to, actor, pauseReasonId: rt.pauseReasonId }
        );
        // Leaving Ready while a call rings at the agent: the call goes to the next agent.
        if (to !== AgentStatusName.Ready && rt.offeredInteractionId) {
            const call = this.calls.get(rt.offeredInteractionId);
            if (call?.offer && call.offer.agentId === rt.agentId)
                this.settleOffer(call.record.interactionId, call.offer.token, 'cancelled');
        }
    }

    private record(record: CallRecordData): void {
        const talkMs = (record.endedAt ?? this.clock.now()) - (record.answeredAt ?? this.clock.now());
        const durationMs = recordingLengthMs(talkMs);
        const digits = (record.direction === 'inbound' ? record.callerNumber : record.calleeNumber) ?? '0';
        const audio = generateToneWav(durationMs, digits);
        const id = `rec-${randomUUID()}`;
        const file = this.options.recordings.save(id, audio);
        this.store.putRecording({
            id,
            tenantId: record.tenantId,
            interactionId: record.interactionId,
            file,
            contentType: 'audio/wav',
            durationMs,
            sizeBytes: audio.length,
            createdAt: this.clock.now(),
            // A placeholder: the customer's page replaces it with the call's audio (recording/library.ts).
            source: 'synthetic'
        });
        record.recordingId = id;
        this.options.events.add('recording-created', this.refs(record), {
            recordingId: id,
            durationMs,
            source: 'synthetic'
        });
    }

    /** Calls left unfinished by a stop are closed as failed, once, at start-up. */
    private recoverUnendedCalls(): void {
        for (const record of this.store.listUnendedCalls()) {
            record.state = 'ended';
            record.endedAt = this.clock.now();
            record.outcome = record.answeredAt !== null ? 'answered' : 'failed';
            record.hangupBy = 'system';
            this.touch(record);
            this.options.events.add('call-recovered', this.refs(record), { outcome: record.outcome });
        }
    }

    // ------------------------------------------------------------------ helpers

    private touch(record: CallRecordData): void {
        record.version += 1;
        record.updatedAt = this.clock.now();
        this.store.putCall(record);
    }

    private runtime(agent: Agent): AgentRuntime {
        let rt = this.agents.get(agent.id);
        if (!rt) {
            const now = this.clock.now();
            rt = {
                agentId: agent.id,
                tenantId: agent.tenantId,
                status: AgentStatusName.NotReady,
                pauseReasonId: null,
                since: now,
                changedBy: 'system',
                readySince: now,
                wrapEndsAt: null,
                wrapTimer: undefined,
                interactionId: null,
                offeredInteractionId: null,
                lastCampaignId: null
            };
            this.agents.set(agent.id, rt);
        }
        return rt;
    }

    private view(rt: AgentRuntime): AgentStatusView {
        return {
            agentId: rt.agentId,
            status: rt.status,
            pauseReasonId: rt.pauseReasonId,
            since: rt.since,
            changedBy: rt.changedBy,
            wrapEndsAt: rt.status === AgentStatusName.Wrap ? rt.wrapEndsAt : null,
            interactionId: rt.interactionId,
            offeredInteractionId: rt.offeredInteractionId
        };
    }

    private tenant(tenantId: string): Tenant {
        const tenant = this.store.getTenant(tenantId);
        if (!tenant) throw new AcdError('not-found', `Tenant "${tenantId}" does not exist.`);
        return tenant;
    }

    private requireAgent(tenantId: string, agentId: string): Agent {
        const agent = this.store.getAgent(tenantId, agentId);
        if (!agent) throw new AcdError('not-found', `Agent "${agentId}" does not exist.`);
        return agent;
    }

    private requireActive(interactionId: string): ActiveCall {
        const call = this.calls.get(interactionId);
        if (!call) throw new AcdError('not-found', `No call ${interactionId} is in progress.`);
        return call;
    }

    private invalid(pointer: string, detail: string): AcdError {
        return new AcdError('validation-failed', `${pointer.slice(1)}: ${detail}`, {
            errors: [{ pointer, detail }]
        });
    }

    private refs(record: CallRecordData, agentId: string | null = null) {
        return { tenantId: record.tenantId, interactionId: record.interactionId, agentId };
    }

    private endpoint(agent: Agent): AgentEndpoint {
        return {
            agentId: agent.id,
            tenantId: agent.tenantId,
            sipUser: agent.id,
            extension: agent.extension,
            displayName: `${agent.firstName} ${agent.lastName}`
        };
    }

    private offered(record: CallRecordData): OfferedCall {
        const campaign = record.campaignId
            ? this.store.getCampaign(record.tenantId, record.campaignId)
            : undefined;
        return {
            interactionId: record.interactionId,
            tenantId: record.tenantId,
            callerNumber: record.callerNumber,
            callerName: record.callerName,
            calleeNumber: record.calleeNumber,
            campaignId: record.campaignId,
            campaignName: record.campaignName,
            queueId: record.queueId,
            queueName: record.queueName,
            wrapSeconds: campaign?.wrapSeconds ?? null,
            ivrDigits: record.ivr.digits,
            ivrCaseCode: record.ivr.caseCode,
            ivrData: { ...record.ivr.data },
            callback: record.callback ? { ...record.callback } : null
        };
    }
}
