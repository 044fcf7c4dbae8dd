/**
 * The local "org": what the phone's Apex and Lightning's record pages would reach in Salesforce, on an
 * embedded database (org/database.ts) seeded with sample records (org/seed.ts).
 *
 * - {@link LocalOrg.invokeApex} runs the package's `@AuraEnabled` methods as their TypeScript ports
 *   (org/apex/*), with the same parameter names and return shapes, as the running user; failures become the
 *   user-safe message the Apex would throw (AuraHandledException).
 * - The record methods serve the workbench's record pages, list views, record pickers and "new record"
 *   form (what the platform's UI API does).
 */
import { getActiveInteractions } from './apex/active-interactions';
import { getSipCredentials } from './apex/agent-session';
import { getPlaybackUrl } from './apex/recording-playback';
import { getCampaigns, getPauseReasons, setStatus } from './apex/agent-status';
import { controlRecording } from './apex/recording-control';
import { findCallers } from './apex/caller-lookup';
import { saveCallLog, saveCallLogs } from './apex/call-log';
import { completeCallback, openCallbacks } from './apex/callbacks';
import { writeIvr, type IvrWriteAnswer } from './apex/ivr-writes';
import { pushCallRecords, type CallRecordPushAnswer } from './apex/call-record-push';
import { getConversation, saveConversation, type ConversationAnswer } from './apex/conversations';
import type { ApexContext, RunningUser } from './apex/context';
import type { ApexMethodName } from './apex/methods';
import { APEX_METHODS } from './apex/methods';
import { getOmniPresenceMapping } from './apex/omni-presence';
import { checkMe, checkUser } from './apex/phone-doctor';
import { getSettings, type PhoneSettingsRecord } from './apex/phone-settings';
import * as setup from './apex/phone-setup';
import { attachNumber, createRecord } from './apex/record-creation';
import { ContactCentreClient, type ContactCentreConnection } from './contact-centre-client';
import { OrgDatabase } from './database';
import { PhoneError, toAuraMessage } from './errors';
import { checkLanguage, label, loadLabels, OBJECT_LABELS, type Labels, type PackageLabels } from './labels';
import {
    OBJECTS,
    objectOfId,
    phoneFieldsOf,
    sameId,
    type FieldDescribe,
    type FieldType,
    type ObjectName,
    type SObject
} from './schema';
import { DEFAULT_USER_EMAIL, seedLocalOrg } from './seed';

/** One Apex method: the transaction's context and the parameters the component passed. */
type ApexImplementation = (context: ApexContext, params: Record<string, unknown>) => unknown;

/** Every method of APEX_METHODS, implemented (the type makes a missing one a compile error). */
const APEX: Readonly<Record<ApexMethodName, ApexImplementation>> = {
    'AgentSessionController.getSipCredentials': (context) => getSipCredentials(context),
    'AgentSessionController.getActiveInteractions': (context) => getActiveInteractions(context),
    'AgentStatusController.setStatus': setStatus,
    'AgentStatusController.getPauseReasons': (context) => getPauseReasons(context),
    'AgentStatusController.getCampaigns': (context) => getCampaigns(context),
    'CallerLookupController.findCallers': findCallers,
    'CallLogController.saveCallLog': saveCallLog,
    'CallLogController.saveCallLogs': saveCallLogs,
    'CallbackController.openCallbacks': (context) => openCallbacks(context),
    'CallbackController.completeCallback': completeCallback,
    'ConversationController.getConversation': getConversation,
    'RecordingControlController.controlRecording': controlRecording,
    'RecordCreationController.createRecord': createRecord,
    'RecordCreationController.attachNumber': attachNumber,
    'PhoneSettingsController.getSettings': (context) => getSettings(context),
    'PhoneAdminController.startKeyBackfill': (context) => setup.startKeyBackfill(context),
    'PhoneSetupController.getConnection': (context) => setup.getConnection(context),
    'PhoneSetupController.saveConnection': setup.saveConnection,
    'PhoneSetupController.testConnection': (context) => setup.testConnection(context),
    'PhoneSetupController.getUsers': (context) => setup.getUsers(context),
    'PhoneSetupController.grantSeat': setup.grantSeat,
    'PhoneSetupController.removeSeat': setup.removeSeat,
    'PhoneSetupController.provisionAgent': setup.provisionAgent,
    'PhoneSetupController.deactivateAgent': setup.deactivateAgent,
    'PhoneSetupController.getOptions': (context) => setup.getOptions(context),
    'PhoneSetupController.saveOptions': setup.saveOptions,
    'PhoneSetupController.setPhoneEnabled': setup.setPhoneEnabled,
    'PhoneSetupController.getJobProgress': setup.getJobProgress,
    'PhoneSetupController.getContactCentre': (context) => setup.getContactCentre(context),
    'PhoneSetupController.getChecklist': (context) => setup.getChecklist(context),
    'OmniPresenceController.getMapping': (context) => getOmniPresenceMapping(context),
    'PhoneDoctorController.checkMe': (context) => checkMe(context),
    'PhoneDoctorController.checkUser': checkUser,
    'RecordingPlaybackController.getPlaybackUrl': getPlaybackUrl
};

/** An Apex call that failed: what the component receives (`error.body.message`). */
export class ApexFailure extends Error {
    constructor(
        message: string,
        readonly status: number,
        readonly exceptionType: string
    ) {
        super(message);
    }
}

export interface LocalOrgOptions {
    /** The repository root (the package's labels are read from force-app). */
    root: string;
    /** Directory of the database file; null: in memory, seeded fresh. */
    dataDir: string | null;
    /** The contact centre the Named Credential points at (the simulator). */
    contactCentre: ContactCentreConnection;
    /** The running user, by e-mail (one of the sample users). */
    userEmail?: string;
    /** Phone_Settings__c for a new database (default country PL, wrap 15 s). */
    settings?: PhoneSettingsRecord;
    /** The org's default language and the running user's (en_US, nl_NL, pl, cs, ru; default en_US). */
    language?: string;
    /** Logs one line per Apex call. */
    log?: (line: string) => void;
}

/** A field of a record as the record page shows it. */
export interface RecordFieldView {
    apiName: string;
    label: string;
    type: string;
    value: unknown;
    displayValue: string;
    /** reference: the referenced record's id and object, for a link. */
    referenceId?: string;
    referenceObject?: string;
    /** A phone field the phone indexes (click-to-dial). */
    isPhone?: boolean;
}

/** A record as the record page shows it. */
export interface RecordView {
    id: string;
    objectApiName: ObjectName;
    objectLabel: string;
    /** PersonAccount for a Person Account. */
    recordType: string;
    name: string;
    fields: RecordFieldView[];
}

/** One row of a list or a search. */
export interface RecordSummary {
    id: string;
    objectApiName: ObjectName;
    recordType: string;
    name: string;
    subtitle: string;
    phones: string[];
}

/** A Task in a record's call history. */
/** A custom object's standard new-record form (LocalOrg.formFields). */
export interface CustomForm {
    objectApiName: string;
    label: string;
    fields: Array<{ apiName: string; label: string; type: FieldType; required: boolean }>;
}

export interface ActivityView {
    id: string;
    subject: string;
    activityDate: string;
    callType: string;
    outcome: string;
    durationSeconds: number;
    disposition: string;
    description: string;
    /** Task.Ivr_Answers__c: what the caller told the IVR and voicebot (the contact centre writes it). */
    ivrAnswers: string;
    phoneNumber: string;
    recordingUrl: string;
    callbackRequested: boolean;
    interactionId: string;
    whoId: string;
    whoName: string;
    whatId: string;
    whatName: string;
    startedAt: string;
    lastModifiedDate: string;
    /** The contact centre's summary and suggested result (F22). */
    summary: string;
    suggestedResult: string;
    /** Titles of the files attached to the Task (the transcript). */
    files: string[];
}

const DEFAULT_SETTINGS: PhoneSettingsRecord = {
    Default_Country__c: 'PL',
    Default_Wrap_Seconds__c: 15,
    Phone_Enabled__c: true,
    Key_Index_Enabled__c: true,
    Auto_Create_Case__c: false,
    Call_Waiting__c: false
};

/** Objects the UI API of the workbench serves: the standard ones and every custom object (F20). */
const UI_OBJECTS: readonly ObjectName[] = [
    'Account',
    'Contact',
    'Lead',
    'Case',
    ...(Object.keys(OBJECTS) as ObjectName[]).filter(isCustomObject)
];

/** A custom object of the local org (`__c`): one an admin may choose for the caller lookup (F20). */
function isCustomObject(object: string): boolean {
    return object.endsWith('__c') && object in OBJECTS;
}

/** The fields a record page offers to dial: the phone's fields of a standard object, the phone fields of a custom one. */
function dialableFields(object: ObjectName, record: SObject): string[] {
    if (object === 'Task' || object === 'User') return [];
    if (isCustomObject(object))
        return OBJECTS[object].fields.filter((field) => field.type === 'phone').map((field) => field.apiName);
    return phoneFieldsOf(object, record);
}

/** Field types the standard new-record form edits on a custom object. */
const FORM_TYPES: ReadonlySet<FieldType> = new Set<FieldType>([
    'string',
    'phone',
    'email',
    'picklist',
    'textarea'
]);

export class LocalOrg {
    private constructor(
        readonly db: OrgDatabase,
        private readonly packageLabels: PackageLabels,
        /** The org's default language (Company Information): the language of the stored Task subjects. */
        readonly orgLanguage: string,
        readonly user: RunningUser,
        private readonly contactCentre: ContactCentreClient,
        private readonly log: (line: string) => void
    ) {}

    static async open(options: LocalOrgOptions): Promise<LocalOrg> {
        const db = await OrgDatabase.open(options.dataDir);
        if (db.created) seedLocalOrg(db, { ...DEFAULT_SETTINGS, ...(options.settings ?? {}) });
        else if (options.settings) {
            // a later start may change the settings (e.g. --country) without reseeding
            const stored = JSON.parse(db.getMeta('Phone_Settings__c') ?? '{}');
            db.setMeta('Phone_Settings__c', JSON.stringify({ ...stored, ...options.settings }));
        }
        const email = (options.userEmail ?? DEFAULT_USER_EMAIL).toLowerCase();
        const user = db.all('User').find((candidate) => String(candidate.Email).toLowerCase() === email);
        if (!user) {
            db.close();
            const known = [
                'anna.kowalska@acme.example',
                'piotr.nowak@acme.example',
                'jan.wisniewski@acme.example'
            ];
            throw new Error(`No user ${email} in the local org (sample users: ${known.join(', ')})`);
        }
        const labels = await loadLabels(options.root);
        // The workbench starts its own simulator: its connection is the External Credential of this run
        // (the setup tab may change it for the rest of the run).
        db.setMeta(setup.CREDENTIAL_KEY, JSON.stringify(options.contactCentre));
        const settings = JSON.parse(db.getMeta('Phone_Settings__c') ?? '{}') as PhoneSettingsRecord;
        db.setMeta(
            'Phone_Settings__c',
            JSON.stringify({
                ...settings,
                Api_Endpoint__c: options.contactCentre.baseUrl,
                Tenant_Id__c: options.contactCentre.tenantId,
                Admin_Login__c: options.contactCentre.adminLogin ?? '',
                Environment__c: settings.Environment__c || 'test',
                Credentials_Set_At__c: settings.Credentials_Set_At__c ?? new Date().toISOString(),
                Credentials_Set_By__c: settings.Credentials_Set_By__c ?? 'workbench'
            })
        );
        const language = checkLanguage(options.language ?? 'en_US');
        const org = new LocalOrg(
            db,
            labels,
            language,
            { Id: user.Id, Name: String(user.Name), Email: String(user.Email) },
            new ContactCentreClient(options.contactCentre),
            options.log ?? (() => undefined)
        );
        org.userLanguage = language;
        return org;
    }

    /** The running user's language (their personal setting): the page's labels and the Apex messages. */
    userLanguage = 'en_US';

    /**
     * Another sample user by e-mail, for a second agent's page beside the first (a transfer between two
     * agents); null when the org has no such user.
     */
    sampleUser(email: string): RunningUser | null {
        const wanted = email.trim().toLowerCase();
        const user = this.db
            .all('User')
            .find((candidate) => String(candidate.Email).toLowerCase() === wanted);
        return user ? { Id: user.Id, Name: String(user.Name), Email: String(user.Email) } : null;
    }

    /** Changes the running user's language, as the user's personal settings would (the page reloads). */
    setUserLanguage(language: string): void {
        this.userLanguage = checkLanguage(language);
    }

    /** `System.Label` for the running user. */
    get labels(): Labels {
        return this.packageLabels.get(this.userLanguage)!;
    }

    /**
     * `getObjectInfos` for the workbench's UI API: one result per name, in order; objects the org does not
     * know get a 400 result, as the platform answers an unsupported object.
     */
    objectInfos(names: readonly string[]): Array<{ statusCode: number; result: Record<string, unknown> }> {
        const byLanguage = OBJECT_LABELS[this.userLanguage] ?? OBJECT_LABELS.en_US!;
        return names.map((apiName) => {
            const custom = isCustomObject(apiName) ? OBJECTS[apiName as ObjectName] : null;
            const known = custom ? [custom.label, custom.labelPlural] : byLanguage[apiName];
            return known
                ? { statusCode: 200, result: { apiName, label: known[0], labelPlural: known[1] } }
                : {
                      statusCode: 400,
                      result: { errorCode: 'INVALID_TYPE', message: `Object ${apiName} is not supported` }
                  };
        });
    }

    /** The Phone_Settings__c default country (for the page's configuration). */
    get defaultCountry(): string {
        return String(JSON.parse(this.db.getMeta('Phone_Settings__c') ?? '{}').Default_Country__c ?? '');
    }

    // ---------------------------------------------------------------------------------------------------
    // Apex
    // ---------------------------------------------------------------------------------------------------

    /** True when the local org implements `Class.method`. */
    static implements(name: string): name is ApexMethodName {
        return (APEX_METHODS as readonly string[]).includes(name);
    }

    /**
     * Runs one `@AuraEnabled` method as the running user.
     * @throws ApexFailure with the message the Apex would throw (500), or 404 for an unknown method
     */
    async invokeApex(
        className: string,
        method: string,
        params: unknown,
        user: RunningUser = this.user
    ): Promise<unknown> {
        const name = `${className}.${method}`;
        if (!LocalOrg.implements(name))
            throw new ApexFailure(
                `The local org has no Apex method ${name}`,
                404,
                'System.NoSuchMethodException'
            );
        const context = this.contextOf(user);
        const started = Date.now();
        try {
            const result = await APEX[name](
                context,
                params && typeof params === 'object' ? (params as Record<string, unknown>) : {}
            );
            this.log(`apex ${name} ok ${Date.now() - started}ms`);
            return result === undefined ? null : result;
        } catch (error) {
            const message = toAuraMessage(error, this.labels);
            // the technical cause goes to the server log only, as a debug log would hold it
            this.log(`apex ${name} failed: ${message} (${(error as Error)?.message ?? String(error)})`);
            if (!(error instanceof PhoneError) && !(error as Error)?.name?.startsWith('ContactCentre')) {
                console.error(error);
            }
            throw new ApexFailure(message, 500, 'System.AuraHandledException');
        }
    }

    /**
     * The IVR-writes REST endpoint (IvrWriteRestResource, I3): what the contact centre's IVR posts to
     * `/services/apexrest/ccphone/ivr-writes/v1`, written as the running user.
     */
    writeIvr(body: unknown): IvrWriteAnswer {
        const answer = writeIvr(this.contextOf(this.user), body);
        this.log(`apexrest ivr-writes ${answer.status}`);
        return answer;
    }

    /** What an Apex transaction of this org sees, as `user`. */
    private contextOf(user: RunningUser): ApexContext {
        return {
            db: this.db,
            labels: this.labels,
            orgLabels: this.packageLabels.get(this.orgLanguage)!,
            user,
            contactCentre: this.contactCentre
        };
    }

    /**
     * The call-record REST endpoint (CallRecordRestResource, I2): what the contact centre pushes to
     * `/services/apexrest/ccphone/calls/v1`, one Task per agent leg, met by the agents' own logs.
     */
    pushCallRecords(body: unknown): CallRecordPushAnswer {
        const answer = pushCallRecords(this.contextOf(this.user), body);
        this.log(`apexrest calls ${answer.status}`);
        return answer;
    }

    /**
     * The conversation REST endpoint (ConversationRestResource, F22): what the contact centre PUTs to
     * `/services/apexrest/ccphone/conversations/v1/{interactionId}` after a recorded call.
     */
    saveConversation(
        interactionId: string,
        tenantHeader: string | undefined,
        body: unknown
    ): ConversationAnswer {
        const answer = saveConversation(this.contextOf(this.user), interactionId, tenantHeader, body);
        this.log(`apexrest conversations ${answer.status}`);
        return answer;
    }

    // ---------------------------------------------------------------------------------------------------
    // Records (the workbench's record pages, lists, pickers, new-record form)
    // ---------------------------------------------------------------------------------------------------

    /** A record with its fields for display, or null. */
    record(id: string): RecordView | null {
        const object = objectOfId(id);
        const record = this.db.get(id);
        if (!object || !record) return null;
        const describe = OBJECTS[object];
        const phones = new Set(dialableFields(object, record));
        const isPerson = object === 'Account' && record.IsPersonAccount === true;
        const fields = describe.fields
            .filter((field) => this.showField(object, field, isPerson, record))
            .map((field) => this.fieldView(field, record[field.apiName], phones.has(field.apiName)));
        return {
            id: record.Id,
            objectApiName: object,
            objectLabel: isPerson ? 'Person Account' : describe.label,
            recordType: isPerson ? 'PersonAccount' : object,
            name: this.nameOf(record.Id) ?? record.Id,
            fields
        };
    }

    private showField(object: ObjectName, field: FieldDescribe, isPerson: boolean, record: SObject): boolean {
        if (
            [
                'Id',
                'IsPersonAccount',
                'PersonContactId',
                'FirstName',
                'LastName',
                'IsConverted',
                'IsClosed'
            ].includes(field.apiName)
        )
            return false;
        if (object === 'Account' && !isPerson && field.apiName.startsWith('Person')) return false;
        if (object === 'Contact' && record.IsPersonAccount === true && field.apiName.endsWith('Phone'))
            return false;
        return true;
    }

    private fieldView(field: FieldDescribe, value: unknown, isPhone: boolean): RecordFieldView {
        const view: RecordFieldView = {
            apiName: field.apiName,
            label: field.label,
            type: field.type,
            value: value ?? null,
            displayValue: ''
        };
        if (isPhone) view.isPhone = true;
        if (value === null || value === undefined || value === '') return view;
        if (field.type === 'reference' && typeof value === 'string') {
            view.referenceId = value;
            view.referenceObject = objectOfId(value) ?? undefined;
            view.displayValue = this.nameOf(value) ?? value;
        } else if (field.type === 'boolean') {
            view.displayValue = value === true ? 'Yes' : 'No';
        } else if (field.type === 'datetime' && typeof value === 'string') {
            view.displayValue =
                new Date(value).toLocaleString('en-GB', {
                    dateStyle: 'medium',
                    timeStyle: 'short',
                    timeZone: 'UTC'
                }) + ' UTC';
        } else {
            view.displayValue = String(value);
        }
        return view;
    }

    /** The display name of a record (Case: its number; Task: its subject). */
    nameOf(id: string): string | null {
        const record = this.db.get(id);
        const object = objectOfId(id);
        if (!record || !object) return null;
        const value = record[OBJECTS[object].nameField];
        return typeof value === 'string' && value !== '' ? value : null;
    }

    /** Records of an object (or of every UI object), newest first. */
    list(objectApiName?: string): RecordSummary[] {
        const objects = objectApiName ? UI_OBJECTS.filter((object) => object === objectApiName) : UI_OBJECTS;
        return objects
            .flatMap((object) =>
                this.db
                    .all(object)
                    .filter((record) => !(object === 'Contact' && record.IsPersonAccount === true))
                    .map((record) => this.summary(object, record))
            )
            .sort((a, b) => a.objectApiName.localeCompare(b.objectApiName) || a.name.localeCompare(b.name));
    }

    private summary(object: ObjectName, record: SObject): RecordSummary {
        const isPerson = object === 'Account' && record.IsPersonAccount === true;
        let subtitle = '';
        if (object === 'Contact' && typeof record.AccountId === 'string')
            subtitle = this.nameOf(record.AccountId) ?? '';
        if (object === 'Lead') subtitle = String(record.Company ?? '');
        if (object === 'Case') subtitle = String(record.Subject ?? '');
        if (object === 'Account')
            subtitle = [record.BillingCity, record.BillingCountry].filter(Boolean).join(', ');
        return {
            id: record.Id,
            objectApiName: object,
            recordType: isPerson ? 'PersonAccount' : object,
            name: this.nameOf(record.Id) ?? record.Id,
            subtitle,
            phones: dialableFields(object, record)
                .map((field) => record[field])
                .filter((value): value is string => typeof value === 'string' && value !== '')
        };
    }

    /** The record picker's search: records of one object whose name (or case number, phone) contains `text`. */
    search(objectApiName: string, text: string): Array<{ id: string; name: string; subtitle: string }> {
        const object = UI_OBJECTS.find((candidate) => candidate === objectApiName);
        const needle = text.trim().toLowerCase();
        if (!object || needle.length < 2) return [];
        return this.list(object)
            .filter((row) =>
                [row.name, row.subtitle, ...row.phones].some((value) => value.toLowerCase().includes(needle))
            )
            .slice(0, 10)
            .map((row) => ({ id: row.id, name: row.name, subtitle: row.subtitle }));
    }

    /**
     * The Tasks of a record's activity timeline: those whose Who or What it is; for an Account also those of
     * its contacts (and a Person Account's person contact), as the timeline rolls them up.
     */
    activities(id: string): ActivityView[] {
        const record = this.db.get(id);
        const object = objectOfId(id);
        if (!record || !object) return [];
        const ids = [record.Id];
        if (object === 'Account') {
            ids.push(
                ...this.db
                    .all('Contact')
                    .filter((contact) => sameId(contact.AccountId, record.Id))
                    .map((contact) => contact.Id)
            );
        }
        return this.db
            .all('Task')
            .filter((task) =>
                ids.some((candidate) => sameId(task.WhoId, candidate) || sameId(task.WhatId, candidate))
            )
            .map((task) => this.activityView(task))
            .sort((a, b) =>
                (b.startedAt || b.lastModifiedDate).localeCompare(a.startedAt || a.lastModifiedDate)
            );
    }

    private activityView(task: SObject): ActivityView {
        const text = (value: unknown) => (typeof value === 'string' ? value : '');
        return {
            id: task.Id,
            subject: text(task.Subject),
            activityDate: text(task.ActivityDate),
            callType: text(task.CallType),
            outcome: text(task.Outcome__c),
            durationSeconds: typeof task.CallDurationInSeconds === 'number' ? task.CallDurationInSeconds : 0,
            disposition: text(task.CallDisposition),
            description: text(task.Description),
            ivrAnswers: text(task.Ivr_Answers__c),
            phoneNumber: text(task.Phone_Number__c),
            recordingUrl: text(task.Recording_Url__c),
            callbackRequested: task.Callback_Requested__c === true,
            interactionId: text(task.Interaction_Id__c),
            whoId: text(task.WhoId),
            whoName: typeof task.WhoId === 'string' ? (this.nameOf(task.WhoId) ?? '') : '',
            whatId: text(task.WhatId),
            whatName: typeof task.WhatId === 'string' ? (this.nameOf(task.WhatId) ?? '') : '',
            startedAt: text(task.Call_Started_At__c),
            lastModifiedDate: text(task.LastModifiedDate),
            summary: text(task.Call_Summary__c),
            suggestedResult: text(task.Suggested_Result__c),
            files: this.db.filesOf(task.Id).map((file) => file.title)
        };
    }

    /**
     * The standard "new record" form's save (not Apex: the platform's record UI). Required fields as the
     * standard objects require them; a Person Account when `recordType` is PersonAccount.
     * @throws ApexFailure (400) naming the missing field
     */
    createFromForm(
        objectApiName: string,
        recordType: string | null,
        fields: Record<string, unknown>
    ): RecordView {
        const object = UI_OBJECTS.find((candidate) => candidate === objectApiName);
        if (!object) throw new ApexFailure(`Cannot create ${objectApiName} records here`, 400, 'UiApiError');
        const custom = isCustomObject(object);
        const allowed = new Set(
            custom
                ? this.formFields(object)!.fields.map((field) => field.apiName)
                : OBJECTS[object].fields.map((field) => field.apiName)
        );
        const values: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(fields)) {
            if (custom && allowed.has(name)) {
                values[name] = typeof value === 'string' ? value.trim() || null : value;
                continue;
            }
            if (
                !allowed.has(name) ||
                [
                    'Id',
                    'OwnerId',
                    'CreatedDate',
                    'LastModifiedDate',
                    'CaseNumber',
                    'Name',
                    'IsClosed'
                ].includes(name)
            )
                continue;
            values[name] = typeof value === 'string' ? value.trim() || null : value;
        }
        const person = object === 'Account' && recordType === 'PersonAccount';
        const required =
            object === 'Lead'
                ? ['LastName', 'Company']
                : object === 'Contact' || person
                  ? ['LastName']
                  : object === 'Account' || custom
                    ? ['Name']
                    : [];
        const missing = required.filter((name) => typeof values[name] !== 'string' || values[name] === '');
        if (missing.length > 0) {
            const names = missing.map(
                (name) => OBJECTS[object].fields.find((field) => field.apiName === name)?.label ?? name
            );
            throw new ApexFailure(
                label(this.labels, 'Phone_Error_RequiredField') + ` (${names.join(', ')})`,
                400,
                'UiApiError'
            );
        }
        if (person) values.IsPersonAccount = true;
        if (object === 'Case') {
            values.Status ??= 'New';
            values.Origin ??= 'Phone';
        }
        if (object === 'Lead') values.Status ??= 'Open - Not Contacted';
        const created = this.db.insert(object, values, this.user.Id);
        return this.record(created.Id)!;
    }

    /**
     * The fields of a custom object's standard new-record form (its Name and editable text, phone, e-mail and
     * picklist fields, in describe order); none for a standard object (the form knows those).
     */
    formFields(objectApiName: string): CustomForm | null {
        if (!isCustomObject(objectApiName)) return null;
        const object = OBJECTS[objectApiName as ObjectName];
        return {
            objectApiName: object.name,
            label: object.label,
            fields: object.fields
                .filter(
                    (field) =>
                        field.apiName === 'Name' ||
                        (field.apiName.endsWith('__c') && FORM_TYPES.has(field.type))
                )
                .map((field) => ({
                    apiName: field.apiName,
                    label: field.label,
                    type: field.type,
                    required: field.apiName === 'Name'
                }))
        };
    }

    /** Saves and closes the database. */
    close(): void {
        this.db.close();
    }
}
