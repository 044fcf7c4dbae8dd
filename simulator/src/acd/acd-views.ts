/**
 * Stateless views the ACD's modules share of a call and an agent: the references of an event, what the
 * signalling port is told about an agent and a call, and the length limits of a caller's data.
 */
import type { Agent, CallRecordData } from '../model';
import type { AgentEndpoint, OfferedCall } from './signalling';

export const MAX_CALLER_NUMBER = 64;
export const MAX_CALLER_NAME = 128;

/** `value` cut to `max` characters (null stays null). */
export function cut(value: string | null | undefined, max: number): string | null {
    if (value === null || value === undefined) return null;
    return value.length > max ? value.slice(0, max) : value;
}

/** The references of an event about a call. */
export function refs(record: CallRecordData, agentId: string | null = null) {
    return { tenantId: record.tenantId, interactionId: record.interactionId, agentId };
}

/** Who the signalling rings for an agent. */
export function endpointOf(agent: Agent): AgentEndpoint {
    return {
        agentId: agent.id,
        tenantId: agent.tenantId,
        sipUser: agent.id,
        extension: agent.extension,
        displayName: `${agent.firstName} ${agent.lastName}`
    };
}

/** What the agent's phone learns about a call (its campaign's wrap time, when it has a campaign). */
export function offeredCallOf(record: CallRecordData, wrapSeconds: number | null): OfferedCall {
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
        wrapSeconds,
        ivrDigits: record.ivr.digits,
        ivrCaseCode: record.ivr.caseCode,
        ivrData: { ...record.ivr.data },
        callback: record.callback ? { ...record.callback } : null
    };
}
