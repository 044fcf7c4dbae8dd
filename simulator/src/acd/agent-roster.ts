/**
 * The ACD's agents at run time: each agent's status (through the guarded {@link transitionAgentStatus}), since
 * when it is Ready (the longest-idle rule), its Wrap timer and the call it is on or is being offered. The
 * roster owns these and their timers; the ACD asks it for candidates and hears back through
 * {@link RosterHooks} when an agent leaves Ready while rung or its Wrap ends.
 */
import type { Clock, TimerHandle } from '../../../phone-core/src/util/clock';
import type { Agent } from '../model';
import { AcdError } from './acd-error';
import { AgentStatusName, transitionAgentStatus, type StatusActor } from './agent-status';
import type { EventLog } from './events';

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

/** One agent's run-time state. */
export interface AgentRuntime {
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

/** What the roster tells its owner. */
export interface RosterHooks {
    /** The agent left Ready while a call was offered to it (`rt.offeredInteractionId`): withdraw the offer. */
    leftReadyWhileOffered(rt: AgentRuntime): void;
    /** An agent's Wrap ran out: it is Ready again. */
    wrapEnded(): void;
}

/** See the module documentation. */
export class AgentRoster {
    private readonly agents = new Map<string, AgentRuntime>();

    constructor(
        private readonly clock: Clock,
        private readonly events: EventLog,
        private readonly hooks: RosterHooks
    ) {}

    /** The run-time state of an agent that has one. */
    get(agentId: string): AgentRuntime | undefined {
        return this.agents.get(agentId);
    }

    /** The run-time state of `agent`, made (NotReady) on first use. */
    runtime(agent: Agent): AgentRuntime {
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

    /** Views of every agent of a tenant that has run-time state. */
    views(tenantId: string): AgentStatusView[] {
        return [...this.agents.values()].filter((rt) => rt.tenantId === tenantId).map((rt) => this.view(rt));
    }

    /** How many of `agentIds` are Ready. */
    readyCount(agentIds: readonly string[]): number {
        return agentIds.filter((id) => this.agents.get(id)?.status === AgentStatusName.Ready).length;
    }

    /**
     * The longest-idle Ready agent of the tenant that is not being rung, passes `eligible` (queue membership,
     * not tried before).
     */
    longestIdleReady(tenantId: string, eligible: (agentId: string) => boolean): AgentRuntime | undefined {
        const candidates = [...this.agents.values()].filter(
            (rt) =>
                rt.tenantId === tenantId &&
                rt.status === AgentStatusName.Ready &&
                rt.offeredInteractionId === null &&
                eligible(rt.agentId)
        );
        candidates.sort((a, b) => a.readySince - b.readySince || a.agentId.localeCompare(b.agentId));
        return candidates[0];
    }

    /** Moves an agent to `to` through the guarded transition; a refused system move is a bug. */
    apply(
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
        this.events.add(
            'agent-status',
            { tenantId: rt.tenantId, agentId: rt.agentId, interactionId: rt.interactionId },
            { from, to, actor, pauseReasonId: rt.pauseReasonId }
        );
        // Leaving Ready while a call rings at the agent: the call goes to the next agent.
        if (to !== AgentStatusName.Ready && rt.offeredInteractionId) this.hooks.leftReadyWhileOffered(rt);
    }

    /** Holds an agent (already in Wrap) there for `wrapSeconds`, then makes it Ready. */
    holdInWrap(rt: AgentRuntime, wrapSeconds: number): void {
        rt.wrapEndsAt = this.clock.now() + wrapSeconds * 1000;
        const timer = this.clock.setTimeout(() => {
            if (rt.wrapTimer !== timer || rt.status !== AgentStatusName.Wrap) return;
            rt.wrapTimer = undefined;
            this.apply(rt, AgentStatusName.Ready, 'system');
            this.hooks.wrapEnded();
        }, wrapSeconds * 1000);
        rt.wrapTimer = timer;
    }

    /** Stops every Wrap timer (shutdown). */
    stopTimers(): void {
        for (const rt of this.agents.values()) {
            if (rt.wrapTimer !== undefined) this.clock.clearTimeout(rt.wrapTimer);
            rt.wrapTimer = undefined;
        }
    }

    /** The API's view of an agent's state. */
    view(rt: AgentRuntime): AgentStatusView {
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
}
