/**
 * AgentSessionController / AgentSessionService / AgentDirectoryService: the running user's agent (found by
 * the Salesforce user id the contact centre holds, else the Federation ID; never by the e-mail, never by an
 * id from the browser) and new short-lived SIP credentials from POST /v1/agents/{id}/webrtc-session.
 */
import { ContactCentreClient } from '../contact-centre-client';
import { ContactCentreError, PhoneError } from '../errors';
import { label } from '../labels';
import { isBlank, type ApexContext } from './context';
import { matchesOf } from './phone-setup';
import type { IceServer, SipCredentials } from './types';

/** ContactCentreModels.Agent (the members Apex reads), with the identities the lookup matches on. */
export interface Agent {
    id: string;
    displayName?: string | null;
    extension?: string | null;
    active?: boolean | null;
    salesforceUserId?: string | null;
    ssoId?: string | null;
}

/** AgentDirectoryService.AgentMatchException: no agent, or several, linked to the user. */
export class AgentMatchError extends PhoneError {
    constructor(
        readonly code: 'agent-not-found' | 'agent-ambiguous',
        message: string
    ) {
        super(message);
    }
}

interface WebRtcSession {
    wssUrl?: string | null;
    sipUri?: string | null;
    displayName?: string | null;
    authorizationUsername?: string | null;
    authorizationPassword?: string | null;
    expiresAt?: string | null;
    iceServers?: Array<{
        urls?: string[] | null;
        username?: string | null;
        credential?: string | null;
    } | null> | null;
}

/**
 * AgentDirectoryService.currentAgent: GET /v1/agents?salesforceUserId=..., else (with a Federation ID)
 * GET /v1/agents?ssoId=...; matched with PhoneUserDirectoryService's rule.
 */
export async function currentAgent(context: ApexContext): Promise<Agent> {
    const user = context.db.all('User').find((candidate) => candidate.Id === context.user.Id) ?? {
        Id: context.user.Id
    };
    const agentsWhere = async (parameter: string, value: string): Promise<Agent[]> => {
        const page = await context.contactCentre.get<{ items?: Agent[] | null } | null>(
            `/v1/agents?limit=10&${parameter}=${encodeURIComponent(value)}`
        );
        return page?.items ?? [];
    };
    let matches = matchesOf(user, await agentsWhere('salesforceUserId', String(user.Id)));
    const federationId = typeof user.FederationIdentifier === 'string' ? user.FederationIdentifier : '';
    if (matches.length === 0 && !isBlank(federationId)) {
        matches = matchesOf(user, await agentsWhere('ssoId', federationId));
    }
    if (matches.length === 0 || isBlank(matches[0]!.id)) {
        throw new AgentMatchError('agent-not-found', label(context.labels, 'Phone_Error_AgentNotLinked'));
    }
    if (matches.length > 1) {
        throw new AgentMatchError('agent-ambiguous', label(context.labels, 'Phone_Error_AgentAmbiguous'));
    }
    const agent = matches[0]!;
    if (agent.active === false) throw new PhoneError(label(context.labels, 'Phone_Error_AgentInactive'));
    return agent;
}

/** AgentSessionController.getSipCredentials */
export async function getSipCredentials(context: ApexContext): Promise<SipCredentials> {
    const agent = await currentAgent(context);
    const session = await context.contactCentre.post<WebRtcSession | null>(
        `/v1/agents/${ContactCentreClient.pathSegment(agent.id)}/webrtc-session`,
        null
    );
    if (!session || isBlank(session.wssUrl ?? null) || isBlank(session.authorizationPassword ?? null)) {
        throw new ContactCentreError('webrtc-session without credentials', 502, 'invalid-response', null);
    }
    const iceServers: IceServer[] = (session.iceServers ?? [])
        .filter((server) => server && Array.isArray(server.urls) && server.urls.length > 0)
        .map((server) => ({
            urls: server!.urls ?? null,
            username: server!.username ?? null,
            credential: server!.credential ?? null
        }));
    const expiresAt = session.expiresAt ? Date.parse(session.expiresAt) : NaN;
    return {
        agentId: agent.id,
        extension: agent.extension ?? null,
        wssUrl: session.wssUrl ?? null,
        sipUri: session.sipUri ?? null,
        authorizationUsername: session.authorizationUsername ?? null,
        authorizationPassword: session.authorizationPassword ?? null,
        displayName: !isBlank(session.displayName ?? null)
            ? (session.displayName as string)
            : (agent.displayName ?? null),
        expiresAt: Number.isFinite(expiresAt) ? expiresAt : 0,
        iceServers
    };
}
