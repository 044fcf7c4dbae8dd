/**
 * PhoneUserDirectoryService and PhoneSeatService: users beside the contact centre's agents (matched by user id,
 * else Federation ID; never the e-mail) with Check configuration, seats within the licences bought (no
 * PackageLicense in the local org, like a scratch org), provisioning and deactivating agents.
 */
import { ContactCentreClient } from '../contact-centre-client';
import { ContactCentreError, PhoneError } from '../errors';
import { label, type Labels } from '../labels';
import { text, type ApexContext } from './context';
import {
    ASSIGNMENTS_KEY,
    PERSONAS,
    fail,
    personas,
    requireAdmin,
    saveMeta,
    type Persona
} from './phone-setup-access';
import { calling, connectionMessage } from './phone-setup-errors';

/** An agent of the contact centre's API. */
export interface ApiAgent {
    id: string;
    email?: string | null;
    displayName?: string | null;
    firstName?: string | null;
    lastName?: string | null;
    ssoId?: string | null;
    salesforceUserId?: string | null;
    active?: boolean;
    extension?: string | null;
    lines?: Array<{ label?: string; kind?: string }> | null;
    licensed?: boolean;
    configurationProblems?: Array<{ code: string }> | null;
    adminUrl?: string | null;
}

/** The contact centre's licence: seats bought and used. */
export interface ApiLicence {
    seatsBought: number;
    seatsUsed: number;
}

/** PhoneUserDirectoryService: the contact centre's agents, up to five pages of 200. */
export async function allAgents(context: ApexContext): Promise<ApiAgent[]> {
    const agents: ApiAgent[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page++) {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const result: { items?: ApiAgent[]; nextCursor?: string | null } = await context.contactCentre.get(
            `/v1/agents?limit=200${query}`
        );
        agents.push(...(result?.items ?? []));
        cursor = result?.nextCursor ?? null;
        if (!cursor) break;
    }
    return agents;
}

/** PhoneUserDirectoryService.matchOf: Salesforce user id, else Federation ID; never the e-mail. */
export function matchOf(user: Record<string, unknown>, agents: ApiAgent[]): ApiAgent | null {
    return matchesOf(user, agents)[0] ?? null;
}

/**
 * PhoneUserDirectoryService.matchesOf: every agent of the first rule that matches anything (the user id's
 * first 15 characters, else the Federation ID, case-insensitive); more than one is ambiguous.
 */
export function matchesOf<T extends Pick<ApiAgent, 'salesforceUserId' | 'ssoId'>>(
    user: Record<string, unknown>,
    agents: T[]
): T[] {
    const id15 = String(user.Id).slice(0, 15);
    const federation = String(user.FederationIdentifier ?? '').toLowerCase();
    const byId = agents.filter(
        (agent) => agent.salesforceUserId && agent.salesforceUserId.slice(0, 15) === id15
    );
    if (byId.length > 0) return byId;
    return federation ? agents.filter((agent) => (agent.ssoId ?? '').toLowerCase() === federation) : [];
}

/** PhoneSeatService.limitReason (no PackageLicense in the local org). */
function limitReason(labels: Labels, licence: ApiLicence | null): string | null {
    if (!licence) return label(labels, 'Phone_Setup_Limit_Unknown');
    if (licence.seatsUsed >= licence.seatsBought)
        return label(labels, 'Phone_Setup_Limit_ContactCentre', String(licence.seatsBought));
    return null;
}

const AGENT_PROBLEMS: Record<string, string> = {
    'not-pbx-user': 'Phone_Setup_Problem_NotPbxUser',
    'no-outbound-number': 'Phone_Setup_Problem_NoOutboundNumber',
    'no-presentation': 'Phone_Setup_Problem_NoPresentation'
};

/** PhoneSetupController.getUsers */
export async function getUsers(context: ApexContext) {
    requireAdmin(context);
    const { labels } = context;
    let agents: ApiAgent[] = [];
    let licence: ApiLicence | null = null;
    let contactCentreError: string | null = null;
    try {
        agents = await allAgents(context);
        licence = await context.contactCentre.get<ApiLicence>('/v1/licences');
    } catch (error) {
        contactCentreError = connectionMessage(error, labels);
    }
    const assigned = personas(context);
    const users = context.db.all('User').sort((a, b) => String(a.Name).localeCompare(String(b.Name)));
    const byEmail = new Map<string, number>();
    for (const user of users) {
        const email = String(user.Email ?? '').toLowerCase();
        if (email) byEmail.set(email, (byEmail.get(email) ?? 0) + 1);
    }
    const rows = users.map((user) => {
        const problems: Array<[string, string]> = [];
        const agent = matchOf(user, agents);
        const email = String(user.Email ?? '');
        let suggestedAgentId: string | null = null;
        if (!agent && email) {
            if ((byEmail.get(email.toLowerCase()) ?? 0) > 1)
                problems.push(['shared-email', label(labels, 'Phone_Setup_Problem_SharedEmail')]);
            else
                suggestedAgentId =
                    agents.find((candidate) => (candidate.email ?? '').toLowerCase() === email.toLowerCase())
                        ?.id ?? null;
        }
        if (!contactCentreError && !agent)
            problems.push([
                'no-agent',
                suggestedAgentId
                    ? label(labels, 'Phone_Setup_Problem_EmailOnly', suggestedAgentId)
                    : label(labels, 'Phone_Setup_Problem_NoAgent')
            ]);
        if (agent) {
            if ((agent.email ?? '').toLowerCase() !== email.toLowerCase())
                problems.push([
                    'email-differs',
                    label(labels, 'Phone_Setup_Problem_EmailDiffers', agent.email ?? '')
                ]);
            for (const problem of agent.configurationProblems ?? [])
                problems.push([
                    problem.code,
                    label(labels, AGENT_PROBLEMS[problem.code] ?? 'Phone_Setup_Problem_Inactive')
                ]);
            if (agent.licensed !== true)
                problems.push(['no-seat', label(labels, 'Phone_Setup_Problem_NoSeat')]);
        }
        const persona = assigned[user.Id] ?? null;
        if (!persona) {
            problems.push(['no-permission-set', label(labels, 'Phone_Setup_Problem_NoPermissionSet')]);
            // the persona permission sets are what grant the Task call fields
            problems.push(['no-task-access', label(labels, 'Phone_Setup_Problem_NoTaskAccess')]);
        }
        return {
            userId: user.Id,
            name: user.Name,
            email,
            federationId: user.FederationIdentifier ?? null,
            profileName: 'Standard User',
            agentId: agent?.id ?? null,
            agentName: agent?.displayName ?? null,
            agentEmail: agent?.email ?? null,
            extension: agent?.extension ?? null,
            matchedBy: agent
                ? agent.salesforceUserId
                    ? 'salesforceUserId'
                    : 'federationId'
                : suggestedAgentId
                  ? 'emailSuggestion'
                  : null,
            suggestedAgentId,
            persona,
            hasSeat: !!persona && agent?.licensed === true,
            ok: problems.length === 0 && !contactCentreError,
            problems: problems.map(([, message]) => message),
            problemCodes: problems.map(([code]) => code),
            adminUrl: agent?.adminUrl ?? null
        };
    });
    const reason = limitReason(labels, licence);
    return {
        packageLicensed: false,
        packageSeats: null,
        packageSeatsUsed: null,
        contactCentreSeats: licence?.seatsBought ?? null,
        contactCentreSeatsUsed: licence?.seatsUsed ?? null,
        canGrant: reason === null,
        limitReason: reason,
        contactCentreError,
        users: rows
    };
}

function userOf(context: ApexContext, userId: unknown): Record<string, unknown> & { Id: string } {
    const id = text(userId);
    const user = id ? context.db.get(id) : null;
    if (!user || !String(user.Id).startsWith('005')) return fail(context.labels, 'Phone_Setup_UserInactive');
    return user;
}

/** PhoneSetupController.grantSeat(userId, persona) */
export async function grantSeat(context: ApexContext, params: Record<string, unknown>): Promise<void> {
    requireAdmin(context);
    const persona = text(params.persona) as Persona | null;
    if (!persona || !PERSONAS.includes(persona)) fail(context.labels, 'Phone_Setup_PersonaInvalid');
    const user = userOf(context, params.userId);
    const agent = matchOf(user, await calling(context, () => allAgents(context)));
    if (!agent) return fail(context.labels, 'Phone_Setup_ProvisionFirst');
    if (agent.licensed !== true) {
        const licence = await calling(context, () => context.contactCentre.get<ApiLicence>('/v1/licences'));
        const reason = limitReason(context.labels, licence);
        if (reason) throw new PhoneError(reason);
        try {
            await context.contactCentre.post('/v1/licences/assignments', { agentId: agent.id });
        } catch (error) {
            if (error instanceof ContactCentreError && error.status === 409)
                fail(context.labels, 'Phone_Setup_Limit_NoFreeSeat');
            throw new PhoneError(connectionMessage(error, context.labels));
        }
    }
    saveMeta(context, ASSIGNMENTS_KEY, { ...personas(context), [user.Id]: persona! });
}

/** PhoneSetupController.removeSeat(userId) */
export async function removeSeat(context: ApexContext, params: Record<string, unknown>): Promise<void> {
    requireAdmin(context);
    const user = userOf(context, params.userId);
    const agent = matchOf(user, await calling(context, () => allAgents(context)));
    if (agent?.licensed === true) {
        try {
            await context.contactCentre.delete(
                `/v1/licences/assignments/${ContactCentreClient.pathSegment(agent.id)}`
            );
        } catch (error) {
            if (!(error instanceof ContactCentreError && error.status === 404))
                throw new PhoneError(connectionMessage(error, context.labels));
        }
    }
    releaseSalesforceSeat(context, user.Id);
}

function releaseSalesforceSeat(context: ApexContext, userId: string): void {
    const assigned = { ...personas(context) };
    delete assigned[userId];
    saveMeta(context, ASSIGNMENTS_KEY, assigned);
}

/** PhoneSetupController.provisionAgent(userId) */
export async function provisionAgent(context: ApexContext, params: Record<string, unknown>): Promise<string> {
    requireAdmin(context);
    const user = userOf(context, params.userId);
    if (matchOf(user, await calling(context, () => allAgents(context))))
        fail(context.labels, 'Phone_Setup_AlreadyAgent');
    const [first, ...rest] = String(user.Name).split(' ');
    const lastName = rest.join(' ') || first!;
    try {
        const agent = await context.contactCentre.post<ApiAgent>('/v1/agents', {
            email: user.Email,
            firstName: first,
            lastName,
            ...(user.FederationIdentifier ? { ssoId: user.FederationIdentifier } : {}),
            salesforceUserId: user.Id
        });
        return agent.id;
    } catch (error) {
        if (error instanceof ContactCentreError && error.status === 409)
            fail(context.labels, 'Phone_Setup_EmailTaken');
        throw new PhoneError(connectionMessage(error, context.labels));
    }
}

/** PhoneSetupController.deactivateAgent(userId) */
export async function deactivateAgent(context: ApexContext, params: Record<string, unknown>): Promise<void> {
    requireAdmin(context);
    const user = userOf(context, params.userId);
    const agent = matchOf(user, await calling(context, () => allAgents(context)));
    if (!agent) return fail(context.labels, 'Phone_Setup_Problem_NoAgent');
    await calling(context, () =>
        context.contactCentre.post(
            `/v1/agents/${ContactCentreClient.pathSegment(agent.id)}/deactivation`,
            null
        )
    );
    releaseSalesforceSeat(context, user.Id);
}
