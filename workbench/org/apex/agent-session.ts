/**
 * AgentSessionController / AgentSessionService / AgentDirectoryService: the running user's agent (found by
 * the user's e-mail, never by an id from the browser) and new short-lived SIP credentials from
 * POST /v1/agents/{id}/webrtc-session.
 */
import { ContactCentreClient } from '../contact-centre-client';
import { ContactCentreError, PhoneError } from '../errors';
import { label } from '../labels';
import { isBlank, type ApexContext } from './context';
import type { IceServer, SipCredentials } from './types';

/** ContactCentreModels.Agent (the members Apex reads). */
export interface Agent {
    id: string;
    displayName?: string | null;
    extension?: string | null;
    active?: boolean | null;
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

/** AgentDirectoryService.currentAgent: GET /v1/agents/by-email/{email}. */
export async function currentAgent(context: ApexContext): Promise<Agent> {
    const email = context.user.Email;
    let agent: Agent | null;
    try {
        agent = await context.contactCentre.get<Agent>(
            `/v1/agents/by-email/${ContactCentreClient.pathSegment(email)}`
        );
    } catch (error) {
        if (error instanceof ContactCentreError && error.status === 404) {
            throw new PhoneError(label(context.labels, 'Phone_Error_AgentNotFound', email));
        }
        throw error;
    }
    if (!agent || isBlank(agent.id))
        throw new PhoneError(label(context.labels, 'Phone_Error_AgentNotFound', email));
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
