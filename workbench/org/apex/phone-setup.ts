/**
 * PhoneSetupController and its services (the setup tab): the connection kept as the External/Named Credential
 * would keep it (the key never returned), users beside the contact centre's agents with Check configuration,
 * seats within the licences bought, provisioning, options, the contact centre's configuration and the setup
 * checklist. The same rules and messages as the Apex (PhoneSeatService, PhoneUserDirectoryService, ...);
 * only the platform parts differ: persona permission sets are a map in the database, the package is not
 * licensed (no PackageLicense, like a scratch org), and the workbench's loopback simulator may be http.
 */
import { ContactCentreClient } from '../contact-centre-client';
import { ContactCentreError, PhoneError } from '../errors';
import { label, type Labels } from '../labels';
import { parseSensitivePages } from '../../../phone-core/src/recording/recording-control';
import { OBJECTS, type ObjectName } from '../schema';
import { isBlank, text, type ApexContext } from './context';
import { SETTINGS_KEY, settingsRecord, type PhoneSettingsRecord } from './phone-settings';
import {
    customCallerObjectProblems,
    customObjectOf,
    customObjectView,
    formatCustomCallerObject,
    isCustomObjectName,
    screenPopOrderOf
} from './custom-caller-object';

/** Persona permission sets, least to most privileged (PhoneSetupSelector.PERSONAS). */
export const PERSONAS = ['PhoneAgent', 'PhoneSupervisor', 'PhoneAdmin'] as const;
type Persona = (typeof PERSONAS)[number];

/** Meta keys of the local org's stand-ins for platform state. */
export const ASSIGNMENTS_KEY = 'PermissionSetAssignment';
export const CREDENTIAL_KEY = 'ExternalCredential:ContactCentre';
export const OVERRIDES_KEY = 'Phone_Settings__c:overrides';

/** The External Credential's principal and the Named Credential's URL. */
export interface StoredCredential {
    baseUrl: string;
    apiKey: string;
    tenantId: string;
    adminLogin?: string;
}

interface ApiAgent {
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

interface ApiLicence {
    seatsBought: number;
    seatsUsed: number;
}

const CARD_OBJECTS = ['Contact', 'Lead', 'Account', 'PersonAccount', 'Case'] as const;
const SCREEN_POP_OBJECTS = ['Case', 'Contact', 'PersonAccount', 'Account', 'Lead'];
const MAX_TEXT = 255;
const TENANT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const meta = <T>(context: ApexContext, key: string, fallback: T): T => {
    const stored = context.db.getMeta(key);
    return stored ? (JSON.parse(stored) as T) : fallback;
};
const saveMeta = (context: ApexContext, key: string, value: unknown): void =>
    context.db.setMeta(key, JSON.stringify(value));
const saveSettings = (context: ApexContext, record: PhoneSettingsRecord): void =>
    saveMeta(context, SETTINGS_KEY, record);
const fail = (labels: Labels, name: string, ...args: Array<string | number>): never => {
    throw new PhoneError(label(labels, name, ...args));
};

/** The persona permission set of each user. */
export function personas(context: Pick<ApexContext, 'db'>): Record<string, Persona> {
    const stored = context.db.getMeta(ASSIGNMENTS_KEY);
    return stored ? (JSON.parse(stored) as Record<string, Persona>) : {};
}

/** PhoneSetupAccess.requireAdmin: the custom permission Phone_Admin comes with PhoneAdmin. */
export function requireAdmin(context: ApexContext): void {
    if (personas(context)[context.user.Id] !== 'PhoneAdmin') fail(context.labels, 'Phone_Error_AdminOnly');
}

/** PhoneSetupErrors.connectionMessage */
export function connectionMessage(error: unknown, labels: Labels): string {
    if (!(error instanceof ContactCentreError)) throw error;
    const status = String(error.status);
    const wait = String(error.retryAfterSeconds ?? 30);
    if (error.timedOut) return label(labels, 'Phone_Setup_ErrorTimeout', status, wait);
    if (error.problemCode === 'invalid-response') return label(labels, 'Phone_Setup_ErrorHtml', status, wait);
    if (error.status === 0) return label(labels, 'Phone_Setup_ErrorNetwork', status, wait);
    const byStatus: Record<number, string> = {
        401: 'Phone_Setup_Error401',
        403: 'Phone_Setup_Error403',
        404: 'Phone_Setup_Error404',
        429: 'Phone_Setup_Error429'
    };
    const name = byStatus[error.status] ?? (error.status >= 500 ? 'Phone_Setup_Error5xx' : null);
    if (name) return label(labels, name, status, wait);
    throw error;
}

/** Runs a contact-centre call; its failure becomes the setup tab's message. */
async function calling<T>(context: ApexContext, call: () => Promise<T>): Promise<T> {
    try {
        return await call();
    } catch (error) {
        throw new PhoneError(connectionMessage(error, context.labels));
    }
}

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

// ---------------------------------------------------------------------------------------------------------
// Connection (PhoneConnectionService)
// ---------------------------------------------------------------------------------------------------------

/** PhoneSetupController.getConnection */
export function getConnection(context: ApexContext) {
    requireAdmin(context);
    return connectionView(settingsRecord(context));
}

function connectionView(record: PhoneSettingsRecord) {
    return {
        endpoint: record.Api_Endpoint__c ?? null,
        tenantId: record.Tenant_Id__c ?? null,
        adminLogin: record.Admin_Login__c ?? null,
        environment: record.Environment__c || 'test',
        credentialsSet: !!record.Credentials_Set_At__c,
        setAt: record.Credentials_Set_At__c ?? null,
        setBy: record.Credentials_Set_By__c ?? null,
        testedAt: record.Connection_Tested_At__c ?? null,
        testOk: record.Connection_Test_Ok__c === true
    };
}

/** https, or the workbench simulator's loopback http (an org allows https only). */
function isEndpoint(value: string): boolean {
    try {
        const url = new URL(value);
        const loopback = url.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(url.hostname);
        return (url.protocol === 'https:' || loopback) && !url.search && value.length <= MAX_TEXT;
    } catch {
        return false;
    }
}

/** PhoneSetupController.saveConnection(input) */
export function saveConnection(context: ApexContext, params: Record<string, unknown>) {
    requireAdmin(context);
    const input = (params.input ?? {}) as Record<string, unknown>;
    const endpoint = (text(input.endpoint) ?? '').trim();
    const tenantId = (text(input.tenantId) ?? '').trim();
    const adminLogin = (text(input.adminLogin) ?? '').trim();
    const environment = (text(input.environment) ?? '').trim().toLowerCase();
    const apiKey = (text(input.apiKey) ?? '').trim();
    if (!isEndpoint(endpoint)) fail(context.labels, 'Phone_Setup_EndpointInvalid');
    if (!TENANT.test(tenantId)) fail(context.labels, 'Phone_Setup_TenantInvalid');
    if (adminLogin.length > 254 || !['test', 'production'].includes(environment))
        fail(context.labels, 'Phone_Setup_AdminLoginInvalid');
    const record = settingsRecord(context);
    const principalChanged =
        !record.Credentials_Set_At__c ||
        tenantId !== record.Tenant_Id__c ||
        adminLogin !== (record.Admin_Login__c ?? '');
    if ((isBlank(apiKey) && principalChanged) || apiKey.length > 512)
        fail(context.labels, 'Phone_Setup_ApiKeyRequired');
    const stored = meta<StoredCredential | null>(context, CREDENTIAL_KEY, null);
    const credential: StoredCredential = {
        baseUrl: endpoint.replace(/\/+$/, ''),
        apiKey: apiKey || stored?.apiKey || '',
        tenantId,
        ...(adminLogin ? { adminLogin } : {})
    };
    saveMeta(context, CREDENTIAL_KEY, credential);
    context.contactCentre.reconfigure(credential);
    const updated: PhoneSettingsRecord = {
        ...record,
        Api_Endpoint__c: endpoint,
        Tenant_Id__c: tenantId,
        Admin_Login__c: adminLogin,
        Environment__c: environment,
        Connection_Tested_At__c: null,
        Connection_Test_Ok__c: false
    };
    if (apiKey) {
        updated.Credentials_Set_At__c = new Date().toISOString();
        updated.Credentials_Set_By__c = context.user.Name;
    }
    saveSettings(context, updated);
    return connectionView(updated);
}

/** PhoneSetupController.testConnection */
export async function testConnection(context: ApexContext) {
    requireAdmin(context);
    let result: Record<string, unknown>;
    try {
        const connection = await context.contactCentre.get<Record<string, unknown>>('/v1/connection');
        result = {
            ok: true,
            statusCode: 200,
            tenantId: connection.tenantId,
            tenantName: connection.tenantName,
            environment: connection.environment,
            adminLoginValid: connection.adminLoginValid ?? null,
            adminUrl: connection.adminUrl,
            agents: (await allAgents(context)).length
        };
        if (connection.adminLoginValid === true) {
            const licence = await context.contactCentre.get<ApiLicence>('/v1/licences');
            result.seatsBought = licence.seatsBought;
            result.seatsUsed = licence.seatsUsed;
        }
    } catch (error) {
        result = {
            ok: false,
            statusCode: error instanceof ContactCentreError ? error.status : 0,
            message: connectionMessage(error, context.labels)
        };
    }
    saveSettings(context, {
        ...settingsRecord(context),
        Connection_Tested_At__c: new Date().toISOString(),
        Connection_Test_Ok__c: result.ok === true
    });
    return result;
}

// ---------------------------------------------------------------------------------------------------------
// Users and licences (PhoneUserDirectoryService, PhoneSeatService)
// ---------------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------------
// Options (PhoneSetupOptionsService, PhoneOptionCodec)
// ---------------------------------------------------------------------------------------------------------

/** PhoneOptionCodec.parseCardFields */
export function parseCardFields(value: string | null | undefined): Record<string, string[]> {
    const byObject: Record<string, string[]> = {};
    for (const entry of (value ?? '').split(';')) {
        if (!entry.includes(':')) continue;
        const object = entry.split(':')[0]!.trim();
        if (!object) continue;
        byObject[object] = entry
            .slice(entry.indexOf(':') + 1)
            .split(',')
            .map((field) => field.trim())
            .filter(Boolean);
    }
    return byObject;
}

function fieldsOf(object: string): Map<string, string> | null {
    if (!(CARD_OBJECTS as readonly string[]).includes(object)) return null;
    const name = (object === 'PersonAccount' ? 'Account' : object) as ObjectName;
    return new Map(OBJECTS[name].fields.map((field) => [field.apiName.toLowerCase(), field.apiName]));
}

/** PhoneOptionCodec.readableCardFields (the local org's user reads every field). */
export function readableCardFields(value: string | null | undefined): Record<string, string[]> {
    const readable: Record<string, string[]> = {};
    for (const [object, fields] of Object.entries(parseCardFields(value))) {
        const known = fieldsOf(object);
        const names = known
            ? fields.map((field) => known.get(field.toLowerCase())).filter((f): f is string => !!f)
            : [];
        if (names.length > 0) readable[object] = names;
    }
    return readable;
}

/** PhoneOptionCodec.parseDispositions */
export function parseDispositions(value: string | null | undefined): string[] {
    const seen = new Set<string>();
    return (value ?? '')
        .split(';')
        .map((entry) => entry.trim())
        .filter((entry) => entry && !seen.has(entry.toLowerCase()) && seen.add(entry.toLowerCase()));
}

/** PhoneOptionCodec.isValidUrlTemplate */
export function isValidUrlTemplate(value: string | null | undefined): boolean {
    const template = (value ?? '').trim();
    return (
        !template ||
        (template.length <= MAX_TEXT &&
            template.toLowerCase().startsWith('https://') &&
            !template.includes(' '))
    );
}

function optionProblems(labels: Labels, options: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const value = (name: string) => (text(options[name]) ?? '').trim();
    if (value('defaultCountry') && !/^[A-Za-z]{2}$/.test(value('defaultCountry')))
        problems.push(label(labels, 'Phone_Setup_CountryInvalid'));
    if (value('defaultAreaCode') && !/^[0-9]{1,6}$/.test(value('defaultAreaCode')))
        problems.push(label(labels, 'Phone_Setup_AreaCodeInvalid'));
    const cardFields = value('callerCardFields');
    if (cardFields.length > MAX_TEXT) problems.push(label(labels, 'Phone_Setup_TooLong', MAX_TEXT));
    else
        for (const [object, fields] of Object.entries(parseCardFields(cardFields))) {
            const known = fieldsOf(object);
            if (!known) problems.push(label(labels, 'Phone_Setup_UnknownObject', object.slice(0, 40)));
            else
                for (const field of fields)
                    if (!known.has(field.toLowerCase()))
                        problems.push(label(labels, 'Phone_Setup_UnknownField', object, field.slice(0, 80)));
        }
    const custom = customObjectOf(options);
    if (custom) problems.push(...customCallerObjectProblems(labels, custom));
    else if (value('customObjectName')) problems.push(label(labels, 'Phone_Setup_CustomObjectNoPhoneField'));
    if (!isValidUrlTemplate(value('clickUrlTemplate')))
        problems.push(label(labels, 'Phone_Setup_UrlTemplateInvalid'));
    for (const object of value('screenPopOrder') ? value('screenPopOrder').split(',') : [])
        if (!SCREEN_POP_OBJECTS.includes(object.trim()) && !isCustomObjectName(options, object))
            problems.push(label(labels, 'Phone_Setup_UnknownObject', object.trim().slice(0, 40)));
    for (const entry of value('sensitivePages') ? value('sensitivePages').split(/[,;]/) : []) {
        const page = entry.trim();
        if (page !== '' && parseSensitivePages(page).length === 0)
            problems.push(label(labels, 'Phone_Setup_SensitivePageInvalid', page.slice(0, 60)));
    }
    for (const name of ['dispositions', 'notificationTemplate', 'screenPopOrder', 'sensitivePages'])
        if (value(name).length > MAX_TEXT) problems.push(label(labels, 'Phone_Setup_TooLong', MAX_TEXT));
    return problems;
}

/** PhoneSetupController.getOptions */
export async function getOptions(context: ApexContext) {
    requireAdmin(context);
    const record = settingsRecord(context);
    const view: Record<string, unknown> = {
        defaultCountry: record.Default_Country__c ?? null,
        defaultAreaCode: record.Default_Area_Code__c ?? null,
        phoneEnabled: record.Phone_Enabled__c !== false,
        autoCreateCase: record.Auto_Create_Case__c === true,
        queuedCallbacks: record.Queued_Callbacks__c === true,
        defaultCallOwner: record.Default_Call_Owner__c ?? null,
        screenPopOrder: record.Screen_Pop_Order__c || SCREEN_POP_OBJECTS.join(','),
        callerCardFields: record.Caller_Card_Fields__c ?? null,
        ...customObjectView(record.Custom_Caller_Object__c),
        clickUrlTemplate: record.Click_Url_Template__c ?? null,
        notificationTemplate: record.Notification_Template__c ?? null,
        sensitivePages: record.Sensitive_Pages__c ?? null,
        dispositions: record.Dispositions__c ?? null,
        personAccountsEnabled: true,
        campaigns: [],
        agents: [],
        contactCentre: null,
        contactCentreError: null
    };
    try {
        const remote = await context.contactCentre.get<Record<string, unknown>>('/v1/integration/salesforce');
        const campaigns = await context.contactCentre.get<{ items?: Array<{ id: string; name: string }> }>(
            '/v1/campaigns?limit=200'
        );
        view.campaigns = (campaigns.items ?? []).map((campaign) => ({
            value: campaign.id,
            label: campaign.name
        }));
        view.agents = (await allAgents(context)).map((agent) => ({
            value: agent.id,
            label: agent.displayName ?? agent.id
        }));
        view.contactCentre = {
            defaultAgentId: remote.defaultAgentId ?? null,
            outsideCampaignId: remote.outsideCampaignId ?? null,
            logNonWebPhoneCalls: remote.logNonWebPhoneCalls === true,
            ivrCaseLookup: remote.ivrCaseLookup === true,
            syncCampaignIds: remote.syncCampaignIds ?? []
        };
    } catch (error) {
        view.contactCentreError = connectionMessage(error, context.labels);
    }
    const users = context.db.all('User');
    view.users = users.map((user) => ({ value: user.Id, label: user.Name }));
    view.profiles = [];
    view.overrides = Object.entries(meta<Record<string, boolean>>(context, OVERRIDES_KEY, {})).map(
        ([scopeId, enabled]) => ({
            scopeId,
            name: String(users.find((user) => user.Id === scopeId)?.Name ?? scopeId),
            kind: scopeId.startsWith('005') ? 'user' : 'profile',
            enabled
        })
    );
    return view;
}

/** PhoneSetupController.saveOptions(options) */
export async function saveOptions(context: ApexContext, params: Record<string, unknown>): Promise<void> {
    requireAdmin(context);
    const options = (params.options ?? {}) as Record<string, unknown>;
    const problems = optionProblems(context.labels, options);
    if (problems.length > 0) throw new PhoneError(problems.join(' '));
    const value = (name: string): string | null => {
        const typed = (text(options[name]) ?? '').trim();
        return typed ? typed : null;
    };
    const cc = options.contactCentre as Record<string, unknown> | null | undefined;
    if (cc) {
        const remote = await calling(context, () =>
            context.contactCentre.get<Record<string, unknown>>('/v1/integration/salesforce')
        );
        try {
            await context.contactCentre.put('/v1/integration/salesforce', {
                ...remote,
                defaultAgentId: (text(cc.defaultAgentId) ?? '').trim() || null,
                outsideCampaignId: (text(cc.outsideCampaignId) ?? '').trim() || null,
                logNonWebPhoneCalls: cc.logNonWebPhoneCalls === true,
                ivrCaseLookup: cc.ivrCaseLookup === true,
                syncCampaignIds: Array.isArray(cc.syncCampaignIds) ? cc.syncCampaignIds : [],
                autoCreateCase: options.autoCreateCase === true,
                personAccounts: true
            });
        } catch (error) {
            if (error instanceof ContactCentreError && error.status === 422)
                fail(context.labels, 'Phone_Setup_ContactCentreRejected');
            throw new PhoneError(connectionMessage(error, context.labels));
        }
    }
    saveSettings(context, {
        ...settingsRecord(context),
        Default_Country__c: value('defaultCountry')?.toUpperCase() ?? null,
        Default_Area_Code__c: value('defaultAreaCode'),
        Phone_Enabled__c: options.phoneEnabled !== false,
        Auto_Create_Case__c: options.autoCreateCase === true,
        Queued_Callbacks__c: options.queuedCallbacks === true,
        Default_Call_Owner__c: value('defaultCallOwner'),
        Screen_Pop_Order__c: screenPopOrderOf(options),
        Caller_Card_Fields__c: value('callerCardFields'),
        Custom_Caller_Object__c: ((custom) => (custom ? formatCustomCallerObject(custom) : null))(
            customObjectOf(options)
        ),
        Click_Url_Template__c: value('clickUrlTemplate'),
        Notification_Template__c: value('notificationTemplate'),
        Sensitive_Pages__c: value('sensitivePages'),
        Dispositions__c: value('dispositions')
    });
}

/** PhoneSetupController.setPhoneEnabled(scopeId, enabled) */
export function setPhoneEnabled(context: ApexContext, params: Record<string, unknown>): void {
    requireAdmin(context);
    const scopeId = text(params.scopeId) ?? '';
    if (!scopeId.startsWith('005') && !scopeId.startsWith('00e'))
        fail(context.labels, 'Phone_Setup_ScopeInvalid');
    const overrides = { ...meta<Record<string, boolean>>(context, OVERRIDES_KEY, {}) };
    if (typeof params.enabled === 'boolean') overrides[scopeId] = params.enabled;
    else delete overrides[scopeId];
    saveMeta(context, OVERRIDES_KEY, overrides);
}

/** The phone switch of a user: theirs, else the org's (the local org has no profiles). */
export function phoneEnabledFor(
    context: Pick<ApexContext, 'db'>,
    userId: string,
    orgValue: boolean
): boolean {
    const stored = context.db.getMeta(OVERRIDES_KEY);
    const overrides = stored ? (JSON.parse(stored) as Record<string, boolean>) : {};
    return typeof overrides[userId] === 'boolean' ? overrides[userId]! : orgValue;
}

/**
 * PhoneAdminController.startKeyBackfill(rewriteToE164): the local org's phone keys are always current, so
 * the job has nothing to add; it completes at once (one batch per object) and reports that.
 */
export function startKeyBackfill(context: ApexContext): string {
    requireAdmin(context);
    const jobId = `707${String(Date.now()).slice(-12).padStart(12, '0')}`;
    saveMeta(context, `job:${jobId}`, { status: 'Completed', processed: 4, total: 4, errors: 0 });
    return jobId;
}

/** PhoneSetupController.getJobProgress(jobId) */
export function getJobProgress(context: ApexContext, params: Record<string, unknown>) {
    requireAdmin(context);
    const jobId = text(params.jobId) ?? '';
    const job = meta<{ status: string; processed: number; total: number; errors: number } | null>(
        context,
        `job:${jobId}`,
        null
    );
    if (!job) return fail(context.labels, 'Phone_Error_NotFound');
    return { jobId, ...job, done: true };
}

// ---------------------------------------------------------------------------------------------------------
// Contact centre (ContactCentreAdminService.overview) and the checklist (PhoneSetupChecklistService)
// ---------------------------------------------------------------------------------------------------------

/** PhoneSetupController.getContactCentre */
export async function getContactCentre(context: ApexContext) {
    requireAdmin(context);
    return calling(context, async () => {
        const connection = await context.contactCentre.get<{ adminUrl?: string }>('/v1/connection');
        const agents = await allAgents(context);
        const campaigns = await context.contactCentre.get<{ items?: Array<Record<string, unknown>> }>(
            '/v1/campaigns?limit=200'
        );
        const queues = await context.contactCentre.get<{ items?: Array<Record<string, unknown>> }>(
            '/v1/queues?limit=200'
        );
        return {
            adminUrl: connection.adminUrl ?? null,
            agents: agents.map((agent) => ({
                id: agent.id,
                name: agent.displayName,
                email: agent.email,
                extension: agent.extension ?? null,
                lines: (agent.lines ?? []).map((line) => `${line.label} (${line.kind})`).join(', '),
                active: agent.active === true,
                licensed: agent.licensed === true,
                adminUrl: agent.adminUrl ?? null
            })),
            campaigns: (campaigns.items ?? []).map((campaign) => ({
                id: campaign.id,
                name: campaign.name,
                mode: campaign.mode,
                active: campaign.active === true,
                wrapSeconds: campaign.wrapSeconds
            })),
            queues: (queues.items ?? []).map((queue) => ({
                id: queue.id,
                name: queue.name,
                members: Array.isArray(queue.memberAgentIds) ? queue.memberAgentIds.length : 0,
                ringTimeoutSeconds: queue.ringTimeoutSeconds,
                maxWaitSeconds: queue.maxWaitSeconds,
                callsWaiting: queue.callsWaiting,
                agentsReady: queue.agentsReady,
                adminUrl: queue.adminUrl
            }))
        };
    });
}

/** PhoneSetupController.getChecklist(sipHost): the workbench needs no CSP Trusted Site or call center. */
export function getChecklist(context: ApexContext) {
    requireAdmin(context);
    const { labels } = context;
    const record = settingsRecord(context);
    const set = !!record.Credentials_Set_At__c;
    const assigned = Object.keys(personas(context)).length;
    const item = (key: string, name: string, ok: boolean, detail: string | null, fixUrl: string | null) => ({
        key,
        label: label(labels, name),
        ok,
        detail,
        fixUrl
    });
    return [
        item(
            'credentials',
            'Phone_Setup_Check_Credentials',
            set && record.Connection_Test_Ok__c === true,
            !set
                ? label(labels, 'Phone_Setup_Check_CredentialsMissing')
                : record.Connection_Test_Ok__c === true
                  ? null
                  : label(labels, 'Phone_Setup_Check_NotTested'),
            '#connection'
        ),
        item('csp', 'Phone_Setup_Check_Csp', true, null, '/lightning/setup/SecurityCspTrustedSite/home'),
        item('app', 'Phone_Setup_Check_App', true, null, '/lightning/setup/NavigationMenus/home'),
        item(
            'callCenter',
            'Phone_Setup_Check_CallCenter',
            true,
            label(labels, 'Phone_Setup_Check_Count', assigned),
            '/lightning/setup/CallCenters/home'
        ),
        item(
            'permissionSets',
            'Phone_Setup_Check_PermissionSets',
            assigned > 0,
            label(labels, 'Phone_Setup_Check_Count', assigned),
            '#users'
        ),
        item(
            'personAccounts',
            'Phone_Setup_Check_PersonAccounts',
            true,
            label(labels, 'Phone_Setup_Check_PersonAccountsOn'),
            null
        )
    ];
}
