/**
 * The simulator's model -> the API's JSON shapes of `docs/contact-centre-api.yaml` (RFC 3339 times,
 * derived durations, absolute URLs).
 */
import type { AgentStatusView } from '../acd/acd';
import {
    configurationProblems,
    type Agent,
    type CallRecordData,
    type Campaign,
    type Licence,
    type LicenceAssignment,
    type Queue,
    type Recording
} from '../model';
import type { Store } from '../store/store';
import type { QueuedCallback } from '../acd/callback-queue';

/** Epoch ms -> RFC 3339 UTC. */
export function iso(ms: number): string {
    return new Date(ms).toISOString();
}

function isoOrNull(ms: number | null): string | null {
    return ms === null ? null : iso(ms);
}

function seconds(fromMs: number, toMs: number): number {
    return Math.max(0, Math.round((toMs - fromMs) / 1000));
}

export function agentToApi(agent: Agent, licensed: boolean, adminUrl: string) {
    return {
        id: agent.id,
        email: agent.email,
        firstName: agent.firstName,
        lastName: agent.lastName,
        displayName: `${agent.firstName} ${agent.lastName}`,
        login: agent.login,
        ssoId: agent.ssoId,
        salesforceUserId: agent.salesforceUserId,
        pbxUser: agent.pbxUser,
        active: agent.active,
        phoneType: agent.phoneType,
        extension: agent.extension,
        lines: agent.lines,
        outboundNumber: agent.outboundNumber,
        presentation: agent.presentation,
        licensed,
        configurationProblems: configurationProblems(agent),
        adminUrl: `${adminUrl}/users/${encodeURIComponent(agent.id)}`,
        createdAt: iso(agent.createdAt),
        updatedAt: iso(agent.updatedAt)
    };
}

export function campaignToApi(campaign: Campaign, adminUrl: string) {
    return {
        id: campaign.id,
        name: campaign.name,
        mode: campaign.mode,
        active: campaign.active,
        wrapSeconds: campaign.wrapSeconds,
        queueIds: campaign.queueIds,
        outboundPresentationNumber: campaign.outboundPresentationNumber,
        queuedCallbacks: campaign.queuedCallbacks === true,
        adminUrl: `${adminUrl}/campaigns/${encodeURIComponent(campaign.id)}`
    };
}

export function queueToApi(
    queue: Queue,
    counters: { callsWaiting: number; agentsReady: number },
    defaults: { ringTimeoutSeconds: number; maxWaitSeconds: number },
    adminUrl: string
) {
    return {
        id: queue.id,
        name: queue.name,
        campaignId: queue.campaignId,
        memberAgentIds: queue.memberAgentIds,
        ringTimeoutSeconds: queue.ringTimeoutSeconds ?? defaults.ringTimeoutSeconds,
        maxWaitSeconds: queue.maxWaitSeconds ?? defaults.maxWaitSeconds,
        callsWaiting: counters.callsWaiting,
        agentsReady: counters.agentsReady,
        adminUrl: `${adminUrl}/queues/${encodeURIComponent(queue.id)}`
    };
}

export function statusToApi(view: AgentStatusView) {
    return {
        agentId: view.agentId,
        status: view.status,
        pauseReasonId: view.pauseReasonId,
        since: iso(view.since),
        changedBy: view.changedBy,
        wrapEndsAt: isoOrNull(view.wrapEndsAt),
        interactionId: view.interactionId,
        offeredInteractionId: view.offeredInteractionId
    };
}

/** API URL of a recording's audio. */
export function recordingAudioUrl(baseUrl: string, recordingId: string): string {
    return `${baseUrl}/v1/recordings/${encodeURIComponent(recordingId)}/audio`;
}

export function recordingToApi(recording: Recording, baseUrl: string) {
    return {
        id: recording.id,
        interactionId: recording.interactionId,
        contentType: recording.contentType,
        durationSeconds: recording.durationMs / 1000,
        sizeBytes: recording.sizeBytes,
        createdAt: iso(recording.createdAt),
        url: recordingAudioUrl(baseUrl, recording.id)
    };
}

/** A call record as the API (and the push to Salesforce) sends it. */
export type CallRecordJson = ReturnType<typeof callToApi>;

/** Where a call record finds its agents (the store): their Salesforce user ids go with the record. */
export type CallAgents = Pick<Store, 'getAgent'>;

/**
 * A call record as the API and the push send it. The agents' Salesforce user ids are read when the record is
 * sent (the link an admin makes may come after the call): Salesforce finds each leg's owner by them first.
 */
export function callToApi(
    record: CallRecordData,
    recording: Recording | undefined,
    baseUrl: string,
    agents: CallAgents
) {
    const { offeredAt, answeredAt, endedAt } = record;
    const salesforceUserIdOf = (agentId: string | null): string | null =>
        agentId === null ? null : (agents.getAgent(record.tenantId, agentId)?.salesforceUserId ?? null);
    return {
        interactionId: record.interactionId,
        tenantId: record.tenantId,
        version: record.version,
        direction: record.direction,
        state: record.state,
        callerNumber: record.callerNumber,
        callerName: record.callerName,
        calleeNumber: record.calleeNumber,
        agentId: record.agentId,
        agentEmail: record.agentEmail,
        agentSalesforceUserId: salesforceUserIdOf(record.agentId),
        agentPhoneType: record.agentPhoneType,
        ownerAgentId: record.ownerAgentId,
        ownerEmail: record.ownerEmail,
        ownerSalesforceUserId: salesforceUserIdOf(record.ownerAgentId),
        campaignId: record.campaignId,
        campaignName: record.campaignName,
        queueId: record.queueId,
        queueName: record.queueName,
        offeredAt: iso(offeredAt),
        answeredAt: isoOrNull(answeredAt),
        endedAt: isoOrNull(endedAt),
        waitSeconds:
            answeredAt !== null
                ? seconds(offeredAt, answeredAt)
                : endedAt !== null
                  ? seconds(offeredAt, endedAt)
                  : null,
        talkSeconds: endedAt === null ? null : answeredAt !== null ? seconds(answeredAt, endedAt) : 0,
        totalSeconds: endedAt === null ? null : seconds(offeredAt, endedAt),
        wrapSeconds: record.wrapSeconds,
        outcome: record.outcome,
        hangupBy: record.hangupBy,
        ivr: {
            digits: record.ivr.digits,
            caseCode: record.ivr.caseCode,
            voicebotAnswers: record.ivr.voicebotAnswers,
            data: record.ivr.data
        },
        offers: record.offers.map((offer) => ({
            agentId: offer.agentId,
            ringingAt: iso(offer.ringingAt),
            endedAt: isoOrNull(offer.endedAt),
            result: offer.result
        })),
        callback: record.callback ? { ...record.callback } : null,
        legs: (record.legs ?? []).map((leg) => ({
            agentId: leg.agentId,
            agentEmail: leg.agentEmail,
            salesforceUserId: salesforceUserIdOf(leg.agentId),
            sipCallId: leg.sipCallId,
            answeredAt: iso(leg.answeredAt),
            endedAt: isoOrNull(leg.endedAt),
            talkSeconds: leg.endedAt === null ? null : seconds(leg.answeredAt, leg.endedAt),
            outcome: 'answered' as const
        })),
        recording: recording
            ? {
                  id: recording.id,
                  url: recordingAudioUrl(baseUrl, recording.id),
                  contentType: recording.contentType,
                  durationSeconds: recording.durationMs / 1000
              }
            : null,
        updatedAt: iso(record.updatedAt)
    };
}

export function assignmentToApi(assignment: LicenceAssignment, agent: Agent | undefined) {
    return {
        agentId: assignment.agentId,
        email: agent?.email ?? 'unknown@invalid.example',
        assignedAt: iso(assignment.assignedAt)
    };
}

export function licenceToApi(licence: Licence, assignments: ReturnType<typeof assignmentToApi>[]) {
    const seatsUsed = assignments.length;
    return {
        tenantId: licence.tenantId,
        product: licence.product,
        seatsBought: licence.seatsBought,
        seatsUsed,
        seatsAvailable: Math.max(0, licence.seatsBought - seatsUsed),
        overLimit: seatsUsed > licence.seatsBought,
        validUntil: licence.validUntil,
        assignments
    };
}

/** A queued callback as the API shows it (the contract's `QueuedCallback`). */
export function queuedCallbackToApi(callback: QueuedCallback) {
    return {
        id: callback.id,
        state: callback.state,
        phoneNumber: callback.phoneNumber,
        campaignId: callback.campaignId,
        queueId: callback.queueId,
        dueAt: iso(callback.dueAt),
        originalInteractionId: callback.originalInteractionId,
        relatedRecordId: callback.relatedRecordId,
        callbackTaskId: callback.callbackTaskId,
        note: callback.note,
        maxAttempts: callback.maxAttempts,
        retryDelaySeconds: callback.retryDelaySeconds,
        attempts: callback.attempts.map((attempt) => ({
            interactionId: attempt.interactionId,
            startedAt: iso(attempt.startedAt),
            endedAt: isoOrNull(attempt.endedAt),
            outcome: attempt.outcome
        })),
        createdAt: iso(callback.createdAt),
        updatedAt: iso(callback.updatedAt)
    };
}
