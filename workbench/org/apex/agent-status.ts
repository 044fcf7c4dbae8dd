/**
 * AgentStatusController / AgentStatusService: the phone publishes every status change (phone-core's
 * statuses mapped onto the API's), reads the pause reasons and the campaigns with their wrap times.
 */
import { ContactCentreClient } from '../contact-centre-client';
import { PhoneError } from '../errors';
import { label } from '../labels';
import { currentAgent } from './agent-session';
import { isBlank, text, type ApexContext } from './context';
import type { AgentStatusView, CampaignView, PauseReasonView } from './types';

/** phone-core AgentStatus -> API status (AgentStatusService.API_STATUS). */
const API_STATUS: Readonly<Record<string, string>> = {
    NotReady: 'NotReady',
    Offline: 'NotReady',
    Error: 'NotReady',
    Ready: 'Ready',
    Ringing: 'Ready',
    Busy: 'Busy',
    Wrap: 'Wrap',
    Paused: 'Paused'
};
const MAX_CAMPAIGN_PAGES = 5;

interface ApiAgentStatus {
    status?: string | null;
    pauseReasonId?: string | null;
    since?: string | null;
    wrapEndsAt?: string | null;
    interactionId?: string | null;
}

const epoch = (iso: string | null | undefined): number | null => {
    const value = iso ? Date.parse(iso) : NaN;
    return Number.isFinite(value) ? value : null;
};

/** AgentStatusController.setStatus(status, pauseReasonId, campaignId) */
export async function setStatus(
    context: ApexContext,
    params: Record<string, unknown>
): Promise<AgentStatusView> {
    const status = text(params.status);
    const apiStatus = status === null ? undefined : API_STATUS[status.trim()];
    if (!apiStatus) throw new PhoneError(label(context.labels, 'Phone_Error_InvalidStatus'));
    const body: Record<string, string> = { status: apiStatus };
    if (apiStatus === 'Paused') {
        const reason = text(params.pauseReasonId);
        if (reason === null || isBlank(reason) || reason.trim().length > 64) {
            throw new PhoneError(label(context.labels, 'Phone_Error_InvalidStatus'));
        }
        body.pauseReasonId = reason.trim();
    }
    const campaignId = text(params.campaignId);
    if (apiStatus === 'Wrap' && campaignId !== null && !isBlank(campaignId))
        body.campaignId = campaignId.trim();
    const agent = await currentAgent(context);
    const result = await context.contactCentre.put<ApiAgentStatus | null>(
        `/v1/agents/${ContactCentreClient.pathSegment(agent.id)}/status`,
        body
    );
    return {
        status: result?.status ?? null,
        pauseReasonId: result?.pauseReasonId ?? null,
        since: epoch(result?.since),
        wrapEndsAt: epoch(result?.wrapEndsAt),
        interactionId: result?.interactionId ?? null
    };
}

/** AgentStatusController.getPauseReasons: GET /v1/pause-reasons. */
export async function getPauseReasons(context: ApexContext): Promise<PauseReasonView[]> {
    const list = await context.contactCentre.get<{
        items?: Array<{ id?: string; name?: string; maxSeconds?: number | null } | null>;
    } | null>('/v1/pause-reasons');
    return (list?.items ?? [])
        .filter((reason) => reason && !isBlank(reason.id ?? null))
        .map((reason) => ({
            id: reason!.id as string,
            label: isBlank(reason!.name ?? null) ? (reason!.id as string) : (reason!.name as string),
            maxSeconds: reason!.maxSeconds ?? null
        }));
}

/** AgentStatusController.getCampaigns: GET /v1/campaigns, following nextCursor for at most 5 pages. */
export async function getCampaigns(context: ApexContext): Promise<CampaignView[]> {
    const views: CampaignView[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < MAX_CAMPAIGN_PAGES; page++) {
        const path: string = `/v1/campaigns?limit=200${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
        const result: { items?: Array<Record<string, unknown> | null>; nextCursor?: string | null } | null =
            await context.contactCentre.get(path);
        for (const campaign of result?.items ?? []) {
            if (!campaign || isBlank(text(campaign.id))) continue;
            views.push({
                id: campaign.id as string,
                name: text(campaign.name),
                mode: text(campaign.mode),
                active: campaign.active === true,
                wrapSeconds: typeof campaign.wrapSeconds === 'number' ? Math.max(0, campaign.wrapSeconds) : 0
            });
        }
        cursor = result?.nextCursor ?? null;
        if (cursor === null || isBlank(cursor)) break;
    }
    return views;
}
