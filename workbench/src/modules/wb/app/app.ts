/**
 * The workbench page, laid out like a Lightning console app: the global header, the app's navigation bar
 * (its tabs from the package's app metadata, plus the setup tab), console workspace tabs, the page area
 * (home, list views, record pages, the setup tab), the utility bar with the package's WebPhone, and the
 * customer phone of the simulator docked on the right. Toasts from any component are shown here, as
 * Lightning Experience does.
 */
import { LightningElement } from 'lwc';
import appConfig from 'wb/appConfig';
import { workbenchConfig } from 'wb/config';
import { LANGUAGES, switchUserLanguage } from 'wb/language';
import { messageChannel, messageLog, publishMessage } from 'wb/messageBus';
import {
    closeTab,
    dismissToast,
    focusTab,
    navigate,
    pluralLabel,
    shellState,
    showToast,
    startUrlRouting,
    subscribeShell,
    type PageReference,
    type ShellState
} from 'wb/shell';

/** Nav item api name of the setup tab. */
export const SETUP_TAB = 'Phone_Setup';

interface NavTab {
    key: string;
    label: string;
    className: string;
    pageReference: PageReference;
}

export default class App extends LightningElement {
    state: ShellState = shellState();
    customerOpen = true;
    private unsubscribe: (() => void) | null = null;

    readonly appLabel = appConfig.app.label;
    readonly userName = workbenchConfig().userName;
    readonly orgName = workbenchConfig().orgName;
    /** The language switch: the user's language (the components' Custom Labels), as in personal settings. */
    readonly languageOptions = LANGUAGES.map((language) => ({
        ...language,
        selected: language.value === workbenchConfig().language
    }));

    handleLanguageChange(event: Event): void {
        void switchUserLanguage((event.target as HTMLSelectElement).value);
    }
    readonly customerPanelUrl = workbenchConfig().customerPanelUrl;

    constructor() {
        super();
        this.addEventListener('lightning__showtoast', (event: Event) => {
            const detail = (
                event as CustomEvent<{ title?: string; message?: string; variant?: string; mode?: string }>
            ).detail ?? { message: '' };
            showToast(detail);
        });
    }

    override connectedCallback(): void {
        this.unsubscribe = subscribeShell((state) => {
            this.state = state;
        });
        startUrlRouting();
        // a handle for developers and the UI tests (read-only views and navigation)
        (window as unknown as { workbench: unknown }).workbench = {
            state: () => shellState(),
            messages: () => messageLog(),
            /** Publishes on a message channel as another component of the org would (`WebPhone__c`). */
            publish: (channelName: string, message: unknown) =>
                publishMessage(messageChannel(channelName), message),
            navigate
        };
    }

    override disconnectedCallback(): void {
        this.unsubscribe?.();
    }

    get headerStyle(): string {
        return `background-color: ${appConfig.app.headerColor};`;
    }

    get navTabs(): NavTab[] {
        const page = this.state.page;
        const activeObject =
            page.type === 'standard__objectPage' || page.type === 'standard__recordPage'
                ? String(page.attributes?.objectApiName ?? '')
                : '';
        const tabs: NavTab[] = [];
        for (const tab of appConfig.app.tabs) {
            const [, name] = /^standard-(\w+)$/.exec(tab) ?? [];
            if (!name || name === 'report') continue;
            if (name === 'home') {
                tabs.push({
                    key: 'home',
                    label: 'Home',
                    className: '',
                    pageReference: { type: 'standard__namedPage', attributes: { pageName: 'home' } }
                });
            } else {
                tabs.push({
                    key: name,
                    label: pluralLabel(name),
                    className: '',
                    pageReference: {
                        type: 'standard__objectPage',
                        attributes: { objectApiName: name, actionName: 'list' }
                    }
                });
            }
        }
        tabs.push({
            key: SETUP_TAB,
            label: appConfig.setup?.label ?? 'Phone Setup',
            className: '',
            pageReference: { type: 'standard__navItemPage', attributes: { apiName: SETUP_TAB } }
        });
        return tabs.map((tab) => {
            const active =
                (tab.key === 'home' && page.type === 'standard__namedPage') ||
                (tab.key === activeObject && page.type === 'standard__objectPage') ||
                (tab.key === SETUP_TAB && page.type === 'standard__navItemPage');
            return { ...tab, className: `slds-context-bar__item${active ? ' slds-is-active' : ''}` };
        });
    }

    get workspaceTabs() {
        return this.state.tabs
            .filter((tab) => tab.pageReference.type === 'standard__recordPage')
            .map((tab) => ({
                ...tab,
                className: `slds-tabs_default__item workspace-tab${tab.key === this.state.activeTabKey ? ' slds-is-active' : ''}`,
                selected: tab.key === this.state.activeTabKey ? 'true' : 'false'
            }));
    }

    get hasWorkspaceTabs(): boolean {
        return this.workspaceTabs.length > 0;
    }

    private get visiblePage(): PageReference {
        // the new-record modal opens over the page that was there
        if (this.state.modal) {
            const active = this.state.tabs.find((tab) => tab.key === this.state.activeTabKey);
            return active
                ? active.pageReference
                : { type: 'standard__namedPage', attributes: { pageName: 'home' } };
        }
        return this.state.page;
    }

    get isList(): boolean {
        return this.visiblePage.type === 'standard__objectPage';
    }

    get isRecord(): boolean {
        return this.visiblePage.type === 'standard__recordPage';
    }

    get isSetup(): boolean {
        return this.visiblePage.type === 'standard__navItemPage';
    }

    get listObject(): string {
        return String(this.visiblePage.attributes?.objectApiName ?? '');
    }

    get recordId(): string {
        return String(this.visiblePage.attributes?.recordId ?? '');
    }

    get recordObject(): string {
        return String(this.visiblePage.attributes?.objectApiName ?? '');
    }

    get modal() {
        return this.state.modal;
    }

    get toasts() {
        return this.state.toasts.map((toast) => ({
            ...toast,
            className: `slds-notify slds-notify_toast slds-theme_${toast.variant}`,
            icon: `utility:${toast.variant === 'error' ? 'error' : toast.variant === 'warning' ? 'warning' : toast.variant === 'success' ? 'success' : 'info'}`
        }));
    }

    get customerDockClass(): string {
        return `customer-dock${this.customerOpen ? '' : ' customer-dock_closed'}`;
    }

    get customerToggleLabel(): string {
        return this.customerOpen ? 'Hide the customer phone' : 'Show the customer phone';
    }

    get customerToggleIcon(): string {
        return this.customerOpen ? 'utility:chevronright' : 'utility:chevronleft';
    }

    handleNav(event: Event): void {
        event.preventDefault();
        const key = (event.currentTarget as HTMLElement).dataset.key;
        const tab = this.navTabs.find((candidate) => candidate.key === key);
        if (tab) navigate(tab.pageReference);
    }

    handleWorkspaceTab(event: Event): void {
        event.preventDefault();
        const key = (event.currentTarget as HTMLElement).dataset.key;
        if (key) focusTab(key);
    }

    handleCloseTab(event: Event): void {
        event.stopPropagation();
        const key = (event.currentTarget as HTMLElement).dataset.key;
        if (key) closeTab(key);
    }

    handleDismissToast(event: Event): void {
        const id = Number((event.currentTarget as HTMLElement).dataset.toastId);
        dismissToast(id);
    }

    handleToggleCustomer(): void {
        this.customerOpen = !this.customerOpen;
    }
}
