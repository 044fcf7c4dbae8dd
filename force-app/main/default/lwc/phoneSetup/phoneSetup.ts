import { LightningElement } from 'lwc';

import TITLE from '@salesforce/label/c.Phone_Setup_Title';
import TAB_CONNECTION from '@salesforce/label/c.Phone_Setup_Tab_Connection';
import TAB_USERS from '@salesforce/label/c.Phone_Setup_Tab_Users';
import TAB_OPTIONS from '@salesforce/label/c.Phone_Setup_Tab_Options';
import TAB_CONTACT_CENTRE from '@salesforce/label/c.Phone_Setup_Tab_ContactCentre';
import TAB_CHECKLIST from '@salesforce/label/c.Phone_Setup_Tab_Checklist';

type Section = 'connection' | 'users' | 'options' | 'contactCentre' | 'checklist';

const SECTIONS: ReadonlyArray<{ id: Section; label: string }> = [
    { id: 'checklist', label: TAB_CHECKLIST },
    { id: 'connection', label: TAB_CONNECTION },
    { id: 'users', label: TAB_USERS },
    { id: 'options', label: TAB_OPTIONS },
    { id: 'contactCentre', label: TAB_CONTACT_CENTRE }
];

/**
 * The package's setup tab (Lightning tab Phone_Setup, in the Contact_Centre app; the post-install URL opens
 * it): one section at a time, so each reads the org and the contact centre only when opened. Every Apex
 * method behind it checks the custom permission Phone_Admin; the tab itself is granted by PhoneAdmin.
 */
export default class PhoneSetup extends LightningElement {
    heading = TITLE;
    active: Section = 'checklist';

    get tabs() {
        return SECTIONS.map((section) => {
            const selected = section.id === this.active;
            return {
                ...section,
                selected,
                tabIndex: selected ? 0 : -1,
                itemClass: selected ? 'slds-tabs_default__item slds-is-active' : 'slds-tabs_default__item',
                tabId: `tab-${section.id}`,
                panelId: `panel-${section.id}`
            };
        });
    }

    get panelId(): string {
        return `panel-${this.active}`;
    }

    get labelledBy(): string {
        return `tab-${this.active}`;
    }

    get showConnection(): boolean {
        return this.active === 'connection';
    }

    get showUsers(): boolean {
        return this.active === 'users';
    }

    get showOptions(): boolean {
        return this.active === 'options';
    }

    get showContactCentre(): boolean {
        return this.active === 'contactCentre';
    }

    get showChecklist(): boolean {
        return this.active === 'checklist';
    }

    handleTab(event: Event): void {
        // the tab is a link for SLDS and the keyboard, never a navigation
        event.preventDefault();
        this.select((event.currentTarget as HTMLElement).dataset.section);
    }

    handleTabKey(event: KeyboardEvent): void {
        if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
        const index = SECTIONS.findIndex((section) => section.id === this.active);
        const step = event.key === 'ArrowRight' ? 1 : SECTIONS.length - 1;
        this.select(SECTIONS[(index + step) % SECTIONS.length]!.id);
    }

    handleNavigate(event: CustomEvent<{ section?: string }>): void {
        this.select(event.detail?.section);
    }

    private select(section: string | undefined): void {
        if (SECTIONS.some((candidate) => candidate.id === section)) this.active = section as Section;
    }
}
