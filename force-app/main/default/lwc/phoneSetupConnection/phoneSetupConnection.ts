import { LightningElement } from 'lwc';
import { errorMessage, formatLabel, runAction } from 'c/phoneUtils';
import getConnection from '@salesforce/apex/PhoneSetupController.getConnection';
import saveConnection from '@salesforce/apex/PhoneSetupController.saveConnection';
import testConnection from '@salesforce/apex/PhoneSetupController.testConnection';

import TITLE from '@salesforce/label/c.Phone_Setup_Connection_Title';
import ENDPOINT from '@salesforce/label/c.Phone_Setup_Connection_Endpoint';
import API_KEY from '@salesforce/label/c.Phone_Setup_Connection_ApiKey';
import TENANT from '@salesforce/label/c.Phone_Setup_Connection_Tenant';
import ADMIN_LOGIN from '@salesforce/label/c.Phone_Setup_Connection_AdminLogin';
import ENVIRONMENT from '@salesforce/label/c.Phone_Setup_Connection_Environment';
import ENV_TEST from '@salesforce/label/c.Phone_Setup_Connection_EnvTest';
import ENV_PRODUCTION from '@salesforce/label/c.Phone_Setup_Connection_EnvProduction';
import SAVE from '@salesforce/label/c.Phone_Setup_Save';
import TEST from '@salesforce/label/c.Phone_Setup_Connection_Test';
import SET_ON from '@salesforce/label/c.Phone_Setup_Connection_SetOn';
import NOT_SET from '@salesforce/label/c.Phone_Setup_Connection_NotSet';
import KEEP_KEY from '@salesforce/label/c.Phone_Setup_Connection_KeepKey';
import SAVED from '@salesforce/label/c.Phone_Setup_Saved';
import TEST_OK from '@salesforce/label/c.Phone_Setup_Connection_TestOk';
import TEST_SEATS from '@salesforce/label/c.Phone_Setup_Connection_TestSeats';
import ADMIN_INVALID from '@salesforce/label/c.Phone_Setup_Connection_AdminInvalid';
import OPEN_ADMIN from '@salesforce/label/c.Phone_Setup_OpenAdmin';

/** The detail of a lightning-input or lightning-combobox change. */
interface InputDetail {
    value?: string;
}

/** PhoneSetupController.getConnection (PhoneSetupViews.ConnectionView). */
interface ConnectionView {
    endpoint?: string | null;
    tenantId?: string | null;
    adminLogin?: string | null;
    environment?: string | null;
    credentialsSet?: boolean;
    setAt?: string | null;
    setBy?: string | null;
    testedAt?: string | null;
    testOk?: boolean;
}

/** PhoneSetupController.testConnection (PhoneSetupViews.ConnectionTest). */
interface ConnectionTest {
    ok: boolean;
    message?: string | null;
    statusCode?: number | null;
    tenantName?: string | null;
    tenantId?: string | null;
    environment?: string | null;
    adminLoginValid?: boolean | null;
    agents?: number | null;
    seatsBought?: number | null;
    seatsUsed?: number | null;
    adminUrl?: string | null;
}

/**
 * Connection section of the setup tab (A1): endpoint, API key, tenant, admin login and environment, saved
 * into the packaged credentials by Apex. The key is write-only: the field stays empty and the page says when
 * and by whom it was set. Test connection shows what the contact centre answered or what to fix.
 */
export default class PhoneSetupConnection extends LightningElement {
    labels = {
        TITLE,
        ENDPOINT,
        API_KEY,
        TENANT,
        ADMIN_LOGIN,
        ENVIRONMENT,
        SAVE,
        TEST,
        OPEN_ADMIN
    };

    loading = true;
    busy = false;
    endpoint = '';
    apiKey = '';
    tenantId = '';
    adminLogin = '';
    environment = 'test';
    view: ConnectionView = {};
    error = '';
    notice = '';
    result: ConnectionTest | null = null;

    override connectedCallback(): void {
        void this.load();
    }

    get environmentOptions(): Array<{ label: string; value: string }> {
        return [
            { label: ENV_TEST, value: 'test' },
            { label: ENV_PRODUCTION, value: 'production' }
        ];
    }

    get keyStatus(): string {
        if (!this.view.credentialsSet) return NOT_SET;
        return formatLabel(SET_ON, formatDate(this.view.setAt), this.view.setBy ?? '');
    }

    get keyPlaceholder(): string {
        return this.view.credentialsSet ? KEEP_KEY : '';
    }

    get disabled(): boolean {
        return this.busy || this.loading;
    }

    get testOk(): boolean {
        return this.result?.ok === true;
    }

    get testFailed(): boolean {
        return this.result?.ok === false;
    }

    get testSummary(): string {
        const result = this.result;
        if (!result?.ok) return '';
        return formatLabel(TEST_OK, result.tenantName ?? '', result.environment ?? '', result.agents ?? 0);
    }

    get seatSummary(): string {
        const result = this.result;
        if (!result?.ok) return '';
        if (result.seatsBought === null || result.seatsBought === undefined) {
            return result.adminLoginValid === false ? ADMIN_INVALID : '';
        }
        return formatLabel(TEST_SEATS, result.seatsUsed ?? 0, result.seatsBought);
    }

    get adminUrl(): string {
        const url = this.result?.adminUrl ?? '';
        return url.startsWith('https://') ? url : '';
    }

    handleChange(event: Event): void {
        const target = event.target as HTMLInputElement;
        const value = (event as CustomEvent<InputDetail>).detail?.value ?? target.value ?? '';
        switch (target.name) {
            case 'endpoint':
                this.endpoint = value;
                break;
            case 'apiKey':
                this.apiKey = value;
                break;
            case 'tenantId':
                this.tenantId = value;
                break;
            case 'adminLogin':
                this.adminLogin = value;
                break;
            case 'environment':
                this.environment = value;
                break;
            default:
                break;
        }
    }

    async handleSave(): Promise<void> {
        await this.run(async () => {
            const view = (await saveConnection({
                input: {
                    endpoint: this.endpoint,
                    apiKey: this.apiKey,
                    tenantId: this.tenantId,
                    adminLogin: this.adminLogin,
                    environment: this.environment
                }
            })) as ConnectionView;
            this.apply(view);
            // The key never stays in the page once Apex has it.
            this.apiKey = '';
            this.result = null;
            this.notice = SAVED;
        });
    }

    async handleTest(): Promise<void> {
        await this.run(async () => {
            this.result = (await testConnection()) as ConnectionTest;
        });
    }

    private async load(): Promise<void> {
        try {
            this.apply((await getConnection()) as ConnectionView);
        } catch (error) {
            this.error = errorMessage(error);
        } finally {
            this.loading = false;
        }
    }

    private run(action: () => Promise<void>): Promise<void> {
        return runAction(this, action);
    }

    private apply(view: ConnectionView): void {
        this.view = view ?? {};
        this.endpoint = this.view.endpoint ?? '';
        this.tenantId = this.view.tenantId ?? '';
        this.adminLogin = this.view.adminLogin ?? '';
        this.environment = this.view.environment || 'test';
    }
}

/** A date and time in the user's locale, '' when unknown. */
function formatDate(value: string | null | undefined): string {
    if (!value) return '';
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
}
