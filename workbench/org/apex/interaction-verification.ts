/**
 * InteractionVerificationService (issue 11 finding 3) for the local org: before the phone's first log of a leg
 * is written, the contact centre (the simulator) is asked in ONE call whether it issued those interaction ids
 * or SIP Call-IDs to the running user's agent: POST /v1/agents/{agentId}/interactions/verification. Issued by
 * either id: saved; neither: refused, not retryable; no usable answer (unreachable, timeout, 4xx/5xx, 429): saved
 * and the Task flagged Interaction_Unverified__c. No linked agent (or an inactive one): refused with its message.
 */
import { ContactCentreClient } from '../contact-centre-client';
import { ContactCentreError, PhoneError } from '../errors';
import { label } from '../labels';
import { currentAgent } from './agent-session';
import type { ApexContext } from './context';

/** InteractionVerificationService.Verdict */
export type Verdict = 'issued' | 'not-issued' | 'unverified';

/** One leg the phone claims (InteractionVerificationService.Claim). */
export interface Claim {
    key: string;
    interactionId: string;
    sipCallId: string | null;
}

interface Answer {
    interactions?: Array<{ interactionId?: unknown; issued?: unknown } | null> | null;
    sipCalls?: Array<{ sipCallId?: unknown; issued?: unknown } | null> | null;
}

/** The verdict per claim key, and the translated reason of the refusals. */
export async function verifyClaims(
    context: ApexContext,
    claims: readonly Claim[]
): Promise<{ verdicts: Map<string, Verdict>; refusal: string }> {
    const verdicts = new Map<string, Verdict>();
    let refusal = label(context.labels, 'Phone_Error_InteractionNotIssued');
    if (claims.length === 0) return { verdicts, refusal };
    const all = (verdict: Verdict) => {
        for (const claim of claims) verdicts.set(claim.key, verdict);
        return { verdicts, refusal };
    };
    let answer: Answer | null;
    try {
        const agent = await currentAgent(context);
        answer = await context.contactCentre.post<Answer | null>(
            `/v1/agents/${ContactCentreClient.pathSegment(agent.id)}/interactions/verification`,
            {
                interactionIds: Array.from(new Set(claims.map((claim) => claim.interactionId))),
                sipCallIds: Array.from(
                    new Set(claims.flatMap((claim) => (claim.sipCallId === null ? [] : [claim.sipCallId])))
                )
            }
        );
    } catch (error) {
        if (error instanceof PhoneError) {
            refusal = error.message; // no agent, several, or an inactive one: nothing was issued to this user
            return all('not-issued');
        }
        if (error instanceof ContactCentreError) return all('unverified');
        throw error;
    }
    const answered = (items: Array<Record<string, unknown> | null> | null | undefined, id: string) => {
        const map = new Map<string, boolean>();
        for (const item of items ?? []) {
            if (typeof item?.[id] === 'string') map.set(item[id] as string, item.issued === true);
        }
        return map;
    };
    const interactions = answered(answer?.interactions, 'interactionId');
    const sipCalls = answered(answer?.sipCalls, 'sipCallId');
    for (const claim of claims) {
        const byInteraction = interactions.get(claim.interactionId);
        const bySipCall = claim.sipCallId === null ? false : sipCalls.get(claim.sipCallId);
        verdicts.set(
            claim.key,
            byInteraction === true || bySipCall === true
                ? 'issued'
                : byInteraction === undefined || bySipCall === undefined
                  ? 'unverified'
                  : 'not-issued'
        );
    }
    return { verdicts, refusal };
}
