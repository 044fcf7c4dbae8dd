import { LightningElement } from 'lwc';
import { errorMessage, formatLabel, runAction } from 'c/phoneUtils';
import getOptions from '@salesforce/apex/PhoneSetupController.getOptions';
import saveOptions from '@salesforce/apex/PhoneSetupController.saveOptions';
import setPhoneEnabled from '@salesforce/apex/PhoneSetupController.setPhoneEnabled';
import getJobProgress from '@salesforce/apex/PhoneSetupController.getJobProgress';
import startKeyBackfill from '@salesforce/apex/PhoneAdminController.startKeyBackfill';

import TITLE from '@salesforce/label/c.Phone_Setup_Options_Title';
import SF_TITLE from '@salesforce/label/c.Phone_Setup_Options_Salesforce';
import CC_TITLE from '@salesforce/label/c.Phone_Setup_Options_ContactCentre';
import COUNTRY from '@salesforce/label/c.Phone_Setup_Options_Country';
import AREA_CODE from '@salesforce/label/c.Phone_Setup_Options_AreaCode';
import PHONE_ENABLED from '@salesforce/label/c.Phone_Setup_Options_PhoneEnabled';
import AUTO_CASE from '@salesforce/label/c.Phone_Setup_Options_AutoCase';
import QUEUED_CALLBACKS from '@salesforce/label/c.Phone_Setup_Options_QueuedCallbacks';
import QUEUED_CALLBACKS_HELP from '@salesforce/label/c.Phone_Setup_Options_QueuedCallbacksHelp';
import CALL_OWNER from '@salesforce/label/c.Phone_Setup_Options_CallOwner';
import POP_ORDER from '@salesforce/label/c.Phone_Setup_Options_PopOrder';
import CARD_FIELDS from '@salesforce/label/c.Phone_Setup_Options_CardFields';
import CARD_FIELDS_HELP from '@salesforce/label/c.Phone_Setup_Options_CardFieldsHelp';
import CUSTOM_OBJECT from '@salesforce/label/c.Phone_Setup_Options_CustomObject';
import CUSTOM_OBJECT_HELP from '@salesforce/label/c.Phone_Setup_Options_CustomObjectHelp';
import CUSTOM_PHONE_FIELDS from '@salesforce/label/c.Phone_Setup_Options_CustomPhoneFields';
import CUSTOM_NAME_FIELDS from '@salesforce/label/c.Phone_Setup_Options_CustomNameFields';
import CUSTOM_CARD_FIELDS from '@salesforce/label/c.Phone_Setup_Options_CustomCardFields';
import URL_TEMPLATE from '@salesforce/label/c.Phone_Setup_Options_UrlTemplate';
import URL_TEMPLATE_HELP from '@salesforce/label/c.Phone_Setup_Options_UrlTemplateHelp';
import NOTIFICATION from '@salesforce/label/c.Phone_Setup_Options_Notification';
import SENSITIVE_PAGES from '@salesforce/label/c.Phone_Setup_Options_SensitivePages';
import SENSITIVE_PAGES_HELP from '@salesforce/label/c.Phone_Setup_Options_SensitivePagesHelp';
import DISPOSITIONS from '@salesforce/label/c.Phone_Setup_Options_Dispositions';
import PERSON_ACCOUNTS from '@salesforce/label/c.Phone_Setup_Options_PersonAccounts';
import DETECTED_ON from '@salesforce/label/c.Phone_Setup_Options_DetectedOn';
import DETECTED_OFF from '@salesforce/label/c.Phone_Setup_Options_DetectedOff';
import DEFAULT_AGENT from '@salesforce/label/c.Phone_Setup_Options_DefaultAgent';
import OUTSIDE_CAMPAIGN from '@salesforce/label/c.Phone_Setup_Options_OutsideCampaign';
import LOG_OTHER from '@salesforce/label/c.Phone_Setup_Options_LogOther';
import IVR_LOOKUP from '@salesforce/label/c.Phone_Setup_Options_IvrLookup';
import SYNC_CAMPAIGNS from '@salesforce/label/c.Phone_Setup_Options_SyncCampaigns';
import NONE from '@salesforce/label/c.Phone_Setup_Options_None';
import SWITCH_TITLE from '@salesforce/label/c.Phone_Setup_Options_SwitchTitle';
import SWITCH_SCOPE from '@salesforce/label/c.Phone_Setup_Options_SwitchScope';
import SWITCH_ON from '@salesforce/label/c.Phone_Setup_Options_SwitchOn';
import SWITCH_OFF from '@salesforce/label/c.Phone_Setup_Options_SwitchOff';
import SWITCH_INHERIT from '@salesforce/label/c.Phone_Setup_Options_SwitchInherit';
import CLEANUP_TITLE from '@salesforce/label/c.Phone_Setup_Options_CleanupTitle';
import CLEANUP_REWRITE from '@salesforce/label/c.Phone_Setup_Options_CleanupRewrite';
import CLEANUP_START from '@salesforce/label/c.Phone_Setup_Options_CleanupStart';
import CLEANUP_PROGRESS from '@salesforce/label/c.Phone_Setup_Options_CleanupProgress';
import REFRESH from '@salesforce/label/c.Phone_Setup_Refresh';
import SAVE from '@salesforce/label/c.Phone_Setup_Save';
import SAVED from '@salesforce/label/c.Phone_Setup_Saved';

interface Choice {
    value: string;
    label: string;
}

interface ContactCentreOptions {
    defaultAgentId?: string | null;
    outsideCampaignId?: string | null;
    logNonWebPhoneCalls?: boolean;
    ivrCaseLookup?: boolean;
    syncCampaignIds?: string[];
}

interface PhoneOverride extends Record<'name', string> {
    scopeId: string;
    kind: 'user' | 'profile';
    enabled: boolean;
}

/** PhoneSetupViews.OptionsView. */
interface OptionsView {
    defaultCountry?: string | null;
    defaultAreaCode?: string | null;
    phoneEnabled?: boolean;
    autoCreateCase?: boolean;
    queuedCallbacks?: boolean;
    defaultCallOwner?: string | null;
    screenPopOrder?: string | null;
    callerCardFields?: string | null;
    /** The custom object the caller lookup also searches (F20) and its fields, comma-separated. */
    customObjectName?: string | null;
    customPhoneFields?: string | null;
    customNameFields?: string | null;
    customCardFields?: string | null;
    clickUrlTemplate?: string | null;
    notificationTemplate?: string | null;
    sensitivePages?: string | null;
    dispositions?: string | null;
    personAccountsEnabled?: boolean;
    contactCentre?: ContactCentreOptions | null;
    contactCentreError?: string | null;
    campaigns?: Choice[];
    agents?: Choice[];
    profiles?: Choice[];
    users?: Choice[];
    overrides?: PhoneOverride[];
}

/** PhoneSetupViews.JobProgress. */
interface JobProgress extends Record<'status', string> {
    jobId: string;
    processed: number;
    total: number;
    errors: number;
    done: boolean;
}

/** How often the clean-up job's progress is read while it runs. */
const PROGRESS_INTERVAL_MS = 3000;

const TEXT_FIELDS = [
    'defaultCountry',
    'defaultAreaCode',
    'defaultCallOwner',
    'screenPopOrder',
    'callerCardFields',
    'customObjectName',
    'customPhoneFields',
    'customNameFields',
    'customCardFields',
    'clickUrlTemplate',
    'notificationTemplate',
    'sensitivePages',
    'dispositions'
] as const;

/**
 * Options (A4, A5, F15, F16, F17, F20): the Salesforce-side options the phone reads (country and area code, caller
 * card fields, the custom object the lookup also searches, click action, dispositions, screen-pop order, ...) and the contact centre's integration options,
 * saved together and validated by Apex; the phone switched on or off per profile or user; and the number
 * clean-up job with its progress.
 */
export default class PhoneSetupOptions extends LightningElement {
    labels = {
        TITLE,
        SF_TITLE,
        CC_TITLE,
        COUNTRY,
        AREA_CODE,
        PHONE_ENABLED,
        AUTO_CASE,
        QUEUED_CALLBACKS,
        QUEUED_CALLBACKS_HELP,
        CALL_OWNER,
        POP_ORDER,
        CARD_FIELDS,
        CARD_FIELDS_HELP,
        CUSTOM_OBJECT,
        CUSTOM_OBJECT_HELP,
        CUSTOM_PHONE_FIELDS,
        CUSTOM_NAME_FIELDS,
        CUSTOM_CARD_FIELDS,
        URL_TEMPLATE,
        URL_TEMPLATE_HELP,
        NOTIFICATION,
        SENSITIVE_PAGES,
        SENSITIVE_PAGES_HELP,
        DISPOSITIONS,
        PERSON_ACCOUNTS,
        DEFAULT_AGENT,
        OUTSIDE_CAMPAIGN,
        LOG_OTHER,
        IVR_LOOKUP,
        SYNC_CAMPAIGNS,
        SWITCH_TITLE,
        SWITCH_SCOPE,
        SWITCH_ON,
        SWITCH_OFF,
        SWITCH_INHERIT,
        CLEANUP_TITLE,
        CLEANUP_REWRITE,
        CLEANUP_START,
        REFRESH,
        SAVE
    };

    loading = true;
    busy = false;
    error = '';
    notice = '';
    options: OptionsView = {};
    scopeId = '';
    rewrite = false;
    job: JobProgress | null = null;
    private timer: ReturnType<typeof setTimeout> | undefined;

    override connectedCallback(): void {
        void this.load();
    }

    override disconnectedCallback(): void {
        clearTimeout(this.timer);
    }

    get personAccountsText(): string {
        return this.options.personAccountsEnabled ? DETECTED_ON : DETECTED_OFF;
    }

    get hasContactCentre(): boolean {
        return !!this.options.contactCentre;
    }

    get contactCentre(): ContactCentreOptions {
        return this.options.contactCentre ?? {};
    }

    get agentOptions(): Choice[] {
        return [{ value: '', label: NONE }, ...(this.options.agents ?? [])];
    }

    get campaignOptions(): Choice[] {
        return [{ value: '', label: NONE }, ...(this.options.campaigns ?? [])];
    }

    get syncOptions(): Choice[] {
        return this.options.campaigns ?? [];
    }

    get scopeOptions(): Choice[] {
        return [...(this.options.profiles ?? []), ...(this.options.users ?? [])];
    }

    get overrides() {
        return (this.options.overrides ?? []).map((item) => ({
            ...item,
            key: item.scopeId,
            stateText: item.enabled ? SWITCH_ON : SWITCH_OFF
        }));
    }

    get scopeMissing(): boolean {
        return !this.scopeId || this.busy;
    }

    get jobText(): string {
        const job = this.job;
        return job ? formatLabel(CLEANUP_PROGRESS, job.status, job.processed, job.total, job.errors) : '';
    }

    get jobRunning(): boolean {
        return !!this.job && !this.job.done;
    }

    get cleanupDisabled(): boolean {
        return this.busy || this.jobRunning;
    }

    handleText(event: CustomEvent<{ value?: string }>): void {
        const field = (event.target as HTMLInputElement).name as (typeof TEXT_FIELDS)[number];
        if (TEXT_FIELDS.includes(field)) {
            this.options = { ...this.options, [field]: event.detail?.value ?? '' };
        }
    }

    handleToggle(event: CustomEvent<{ checked?: boolean }>): void {
        const target = event.target as HTMLInputElement;
        const checked = event.detail?.checked ?? target.checked;
        if (
            target.name === 'phoneEnabled' ||
            target.name === 'autoCreateCase' ||
            target.name === 'queuedCallbacks'
        ) {
            this.options = { ...this.options, [target.name]: checked };
        } else if (target.name === 'logNonWebPhoneCalls' || target.name === 'ivrCaseLookup') {
            this.options = {
                ...this.options,
                contactCentre: { ...this.contactCentre, [target.name]: checked }
            };
        } else if (target.name === 'rewrite') {
            this.rewrite = checked === true;
        }
    }

    handleContactCentreChoice(event: CustomEvent<{ value: string | string[] }>): void {
        const field = (event.target as HTMLInputElement).name;
        if (field === 'defaultAgentId' || field === 'outsideCampaignId' || field === 'syncCampaignIds') {
            this.options = {
                ...this.options,
                contactCentre: { ...this.contactCentre, [field]: event.detail.value }
            };
        }
    }

    handleScope(event: CustomEvent<{ value: string }>): void {
        this.scopeId = event.detail.value;
    }

    async handleSave(): Promise<void> {
        await this.run(async () => {
            const values: OptionsView = { phoneEnabled: this.options.phoneEnabled !== false };
            values.autoCreateCase = this.options.autoCreateCase === true;
            values.queuedCallbacks = this.options.queuedCallbacks === true;
            for (const name of TEXT_FIELDS) values[name] = this.options[name] ?? '';
            // The contact centre's options are sent only when they were read (it may be unreachable).
            if (this.options.contactCentre) values.contactCentre = this.options.contactCentre;
            await saveOptions({ options: values });
            this.notice = SAVED;
            await this.load();
        });
    }

    async handleSwitch(event: Event): Promise<void> {
        const value = (event.currentTarget as HTMLElement).dataset.value;
        const enabled = value === 'on' ? true : value === 'off' ? false : null;
        const scopeId = (event.currentTarget as HTMLElement).dataset.scopeId || this.scopeId;
        if (!scopeId) return;
        await this.run(async () => {
            await setPhoneEnabled({ scopeId, enabled });
            this.notice = SAVED;
            await this.load();
        });
    }

    async handleCleanup(): Promise<void> {
        await this.run(async () => {
            const jobId = (await startKeyBackfill({ rewriteToE164: this.rewrite })) as string;
            this.job = { jobId, status: 'Queued', processed: 0, total: 0, errors: 0, done: false };
            this.schedule();
        });
    }

    async handleRefreshJob(): Promise<void> {
        await this.readProgress();
    }

    private schedule(): void {
        clearTimeout(this.timer);
        // eslint-disable-next-line @lwc/lwc/no-async-operation -- polling a batch job's progress
        this.timer = setTimeout(() => {
            void this.readProgress();
        }, PROGRESS_INTERVAL_MS);
    }

    private async readProgress(): Promise<void> {
        if (!this.job) return;
        try {
            this.job = (await getJobProgress({ jobId: this.job.jobId })) as JobProgress;
            if (!this.job.done) this.schedule();
        } catch (error) {
            this.error = errorMessage(error);
        }
    }

    private run(action: () => Promise<void>): Promise<void> {
        return runAction(this, action);
    }

    private async load(): Promise<void> {
        this.loading = true;
        try {
            this.options = ((await getOptions()) as OptionsView) ?? {};
        } catch (error) {
            this.error = errorMessage(error);
        } finally {
            this.loading = false;
        }
    }
}
