/**
 * `verifyAgentInteractions` (issue 11 finding 3): which interaction ids and SIP Call-IDs the contact centre
 * issued to one agent. Salesforce asks before it writes the first log of an agent's leg, so a browser cannot
 * create call logs for interactions it was never given.
 *
 * An interaction is issued to the agent when the agent was offered it, took a leg of it (answered, or through a
 * transfer or conference), placed it (outbound, callback) or owns it. A SIP Call-ID is issued when it is the
 * Call-ID of one of this agent's legs (the phone's log under an id it generated meets the contact centre's call
 * by it). Pure: the lookups are passed in, so the ACD and the tests share it.
 */
import type { CallRecordData } from '../model';

/** One answer per interaction id. */
export interface InteractionAnswer {
    interactionId: string;
    issued: boolean;
}

/** One answer per SIP Call-ID, with the contact centre's interaction id of the leg when issued. */
export interface SipCallAnswer {
    sipCallId: string;
    issued: boolean;
    interactionId: string | null;
}

/** Where the calls are found. */
export interface CallLookup {
    /** A call in progress or finished, by interaction id. */
    byInteractionId(interactionId: string): CallRecordData | undefined;
    /** Calls that may hold a leg with one of these Call-IDs (in progress and recently finished). */
    candidatesForSipCalls(): Iterable<CallRecordData>;
}

/** True when the agent was offered, took, placed or owns the call. */
export function issuedTo(record: CallRecordData, agentId: string): boolean {
    return (
        record.agentId === agentId ||
        record.ownerAgentId === agentId ||
        record.offers.some((offer) => offer.agentId === agentId) ||
        (record.legs ?? []).some((leg) => leg.agentId === agentId)
    );
}

/** Distinct values in first-seen order. */
function distinct(values: readonly string[]): string[] {
    return Array.from(new Set(values));
}

/** The answers for one agent. */
export function verifyInteractions(
    lookup: CallLookup,
    agentId: string,
    interactionIds: readonly string[],
    sipCallIds: readonly string[]
): { interactions: InteractionAnswer[]; sipCalls: SipCallAnswer[] } {
    const interactions = distinct(interactionIds).map((interactionId) => {
        const record = lookup.byInteractionId(interactionId);
        return { interactionId, issued: record !== undefined && issuedTo(record, agentId) };
    });
    const wanted = distinct(sipCallIds);
    const legOwner = new Map<string, string>();
    if (wanted.length > 0) {
        const open = new Set(wanted);
        for (const record of lookup.candidatesForSipCalls()) {
            for (const leg of record.legs ?? []) {
                if (leg.agentId === agentId && leg.sipCallId !== null && open.has(leg.sipCallId)) {
                    legOwner.set(leg.sipCallId, record.interactionId);
                    open.delete(leg.sipCallId);
                }
            }
            if (open.size === 0) break;
        }
    }
    const sipCalls = wanted.map((sipCallId) => ({
        sipCallId,
        issued: legOwner.has(sipCallId),
        interactionId: legOwner.get(sipCallId) ?? null
    }));
    return { interactions, sipCalls };
}
