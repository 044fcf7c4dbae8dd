import { LightningElement } from 'lwc';
import { errorMessage } from 'c/phoneUtils';
import getChecklist from '@salesforce/apex/PhoneSetupController.getChecklist';

import TITLE from '@salesforce/label/c.Phone_Setup_Checklist_Title';
import SIP_HOST from '@salesforce/label/c.Phone_Setup_Checklist_SipHost';
import FIX from '@salesforce/label/c.Phone_Setup_Checklist_Fix';
import DONE from '@salesforce/label/c.Phone_Setup_Users_Ok';
import TODO from '@salesforce/label/c.Phone_Setup_Users_NotOk';
import REFRESH from '@salesforce/label/c.Phone_Setup_Refresh';

/** PhoneSetupViews.ChecklistItem. */
interface ChecklistItem {
    key: string;
    label: string;
    ok: boolean;
    detail?: string | null;
    fixUrl?: string | null;
}

/**
 * The setup checklist (A6), read from the org: credentials, CSP Trusted Site for the SIP host, the app, call
 * center users, permission sets, Person Accounts; each green or red with a link to where it is fixed. Links to
 * the page's own sections (`#connection`) are raised as a `navigate` event for the setup tab.
 */
export default class PhoneSetupChecklist extends LightningElement {
    labels = { TITLE, SIP_HOST, REFRESH };

    loading = true;
    error = '';
    sipHost = '';
    items: ChecklistItem[] = [];

    override connectedCallback(): void {
        void this.load();
    }

    get rows() {
        return this.items.map((item) => {
            const url = item.fixUrl ?? '';
            return {
                ...item,
                icon: item.ok ? 'utility:success' : 'utility:error',
                variant: item.ok ? 'success' : 'error',
                stateText: item.ok ? DONE : TODO,
                section: url.startsWith('#') ? url.substring(1) : '',
                setupUrl: url.startsWith('/lightning/setup/') ? url : '',
                fixText: `${FIX}: ${item.label}`
            };
        });
    }

    handleSipHost(event: CustomEvent<{ value?: string }>): void {
        this.sipHost = (event.detail?.value ?? '').trim();
    }

    async handleRefresh(): Promise<void> {
        await this.load();
    }

    handleSection(event: Event): void {
        event.preventDefault();
        const section = (event.currentTarget as HTMLElement).dataset.section;
        this.dispatchEvent(new CustomEvent('navigate', { detail: { section } }));
    }

    private async load(): Promise<void> {
        this.loading = true;
        this.error = '';
        try {
            this.items = ((await getChecklist({ sipHost: this.sipHost })) as ChecklistItem[]) ?? [];
        } catch (error) {
            this.error = errorMessage(error);
        } finally {
            this.loading = false;
        }
    }
}
