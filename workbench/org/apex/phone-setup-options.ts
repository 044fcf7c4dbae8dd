/**
 * PhoneSetupOptionsService and PhoneOptionCodec: the phone's options (card fields, dispositions, screen pop,
 * URL templates, sensitive pages, the custom caller object), the phone switch per user, and the key backfill
 * job (PhoneAdminController), with the same rules and messages as the Apex.
 */
import { ContactCentreError, PhoneError } from '../errors';
import { label, type Labels } from '../labels';
import { parseSensitivePages } from '../../../phone-core/src/recording/recording-control';
import { OBJECTS, type ObjectName } from '../schema';
import { text, type ApexContext } from './context';
import { settingsRecord } from './phone-settings';
import {
    customCallerObjectProblems,
    customObjectOf,
    customObjectView,
    formatCustomCallerObject,
    isCustomObjectName,
    screenPopOrderOf
} from './custom-caller-object';
import {
    MAX_TEXT,
    OVERRIDES_KEY,
    fail,
    meta,
    requireAdmin,
    saveMeta,
    saveSettings
} from './phone-setup-access';
import { calling, connectionMessage } from './phone-setup-errors';
import { allAgents } from './phone-setup-users';

const CARD_OBJECTS = ['Contact', 'Lead', 'Account', 'PersonAccount', 'Case'] as const;
const SCREEN_POP_OBJECTS = ['Case', 'Contact', 'PersonAccount', 'Account', 'Lead'];
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
