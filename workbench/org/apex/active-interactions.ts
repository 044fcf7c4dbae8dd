/**
 * AgentSessionController.getActiveInteractions / ActiveInteractionService (B7: a call taken back after a page
 * reload): the running user's agent's calls in progress from GET /v1/agents/{id}/interactions, well-formed SIP
 * entries only, at most 10.
 */
import { ContactCentreClient } from '../contact-centre-client';
import { currentAgent } from './agent-session';
import type { ApexContext } from './context';

/** ActiveInteractionService.ActiveInteraction */
export interface ActiveInteraction {
    interactionId: string;
    rejoinUri: string;
    answeredAt: number | null;
}

interface AgentInteractionList {
    items?: Array<{
        interactionId?: string | null;
        rejoinUri?: string | null;
        answeredAt?: string | null;
    } | null> | null;
}

const INTERACTION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** AgentSessionController.getActiveInteractions */
export async function getActiveInteractions(context: ApexContext): Promise<ActiveInteraction[]> {
    const agent = await currentAgent(context);
    const list = await context.contactCentre.get<AgentInteractionList | null>(
        `/v1/agents/${ContactCentreClient.pathSegment(agent.id)}/interactions`
    );
    const result: ActiveInteraction[] = [];
    for (const item of list?.items ?? []) {
        if (result.length === 10) break;
        const uri = item?.rejoinUri ?? '';
        if (
            !item?.interactionId ||
            !INTERACTION_ID.test(item.interactionId) ||
            uri.length > 255 ||
            !/^sips?:/i.test(uri) ||
            /[\r\n<>"]/.test(uri)
        )
            continue;
        const answeredAt = item.answeredAt ? Date.parse(item.answeredAt) : NaN;
        result.push({
            interactionId: item.interactionId,
            rejoinUri: uri,
            answeredAt: Number.isFinite(answeredAt) ? answeredAt : null
        });
    }
    return result;
}
