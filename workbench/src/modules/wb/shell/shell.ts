/**
 * The state of the Lightning-like page, shared by the platform module implementations (lightning/navigation,
 * lightning/platformUtilityBarApi, lightning/platformShowToastEvent) and the workbench's own components:
 *
 * - navigation: the current page reference, console workspace tabs (a record opens or focuses its tab, as a
 *   Console app does with screen pops), the "new record" modal, and the URL (`#/lightning/r/Contact/003.../view`,
 *   so a page can be reloaded or opened directly);
 * - the utility bar: its items (from the app's utility bar flexipage), label, icon, highlight, open panel;
 * - toasts.
 *
 * Listeners get the whole state after every change; it is replaced, never mutated, so components can keep it.
 */

/** A page reference (the platform's `PageReference`). */
export interface PageReference {
    type: string;
    attributes?: Record<string, unknown>;
    state?: Record<string, unknown>;
}

export interface WorkspaceTab {
    key: string;
    pageReference: PageReference;
    label: string;
    icon: string;
}

export interface UtilityItemState {
    id: string;
    componentName: string;
    label: string;
    defaultLabel: string;
    icon: string;
    highlighted: boolean;
    open: boolean;
    panelHeaderLabel: string;
    panelHeaderIcon: string;
    width: number;
    height: number;
    eager: boolean;
    /** The workbench renders this item's component (a package component). */
    hostsComponent: string | null;
    popOutDisabled: boolean;
}

export interface Toast {
    id: number;
    title: string;
    message: string;
    variant: 'info' | 'success' | 'warning' | 'error';
    sticky: boolean;
}

export interface NewRecordModal {
    objectApiName: string;
    defaultFieldValues: Record<string, string>;
    useRecordTypeCheck: boolean;
}

export interface ShellState {
    /** The page the agent looks at (CurrentPageReference). */
    page: PageReference;
    tabs: WorkspaceTab[];
    activeTabKey: string | null;
    modal: NewRecordModal | null;
    utilityItems: UtilityItemState[];
    toasts: Toast[];
}

type Listener = (state: ShellState) => void;

const HOME: PageReference = { type: 'standard__namedPage', attributes: { pageName: 'home' } };
const listeners = new Set<Listener>();
const utilityClickHandlers = new Map<string, Set<(event: unknown) => void>>();
let toastSeq = 0;
let state: ShellState = {
    page: HOME,
    tabs: [],
    activeTabKey: null,
    modal: null,
    utilityItems: [],
    toasts: []
};
let pageBeforeModal: PageReference | null = null;

function setState(patch: Partial<ShellState>): void {
    state = { ...state, ...patch };
    for (const listener of [...listeners]) listener(state);
}

/** The state now. */
export function shellState(): ShellState {
    return state;
}

/** Calls `listener` now and after every change; returns the unsubscribe function. */
export function subscribeShell(listener: Listener): () => void {
    listeners.add(listener);
    listener(state);
    return () => listeners.delete(listener);
}

// ---------------------------------------------------------------------------------------------------------
// Navigation
// ---------------------------------------------------------------------------------------------------------

function attribute(reference: PageReference, name: string): string {
    const value = reference.attributes?.[name];
    return typeof value === 'string' ? value : '';
}

/** A workspace tab's key for a page (records and object pages get tabs; home does not). */
function tabKeyOf(reference: PageReference): string | null {
    if (reference.type === 'standard__recordPage')
        return `r:${attribute(reference, 'recordId').slice(0, 15)}`;
    if (reference.type === 'standard__objectPage') return `o:${attribute(reference, 'objectApiName')}`;
    if (reference.type === 'standard__navItemPage') return `n:${attribute(reference, 'apiName')}`;
    return null;
}

/** Navigates like NavigationMixin.Navigate. */
export function navigate(reference: PageReference, replace = false): void {
    if (!reference || typeof reference.type !== 'string') throw new Error('navigate: not a page reference');
    if (reference.type === 'standard__webPage') {
        const url = attribute(reference, 'url');
        if (/^https?:\/\//i.test(url)) window.open(url, '_blank', 'noopener');
        return;
    }
    if (reference.type === 'standard__objectPage' && attribute(reference, 'actionName') === 'new') {
        pageBeforeModal = state.modal ? pageBeforeModal : state.page;
        setState({
            page: reference,
            modal: {
                objectApiName: attribute(reference, 'objectApiName'),
                defaultFieldValues: decodeFieldValues(reference.state?.defaultFieldValues),
                useRecordTypeCheck: Boolean(reference.state?.useRecordTypeCheck)
            }
        });
        writeUrl(reference, replace);
        return;
    }
    const key = tabKeyOf(reference);
    let tabs = state.tabs;
    if (key) {
        const existing = tabs.find((tab) => tab.key === key);
        if (existing) {
            tabs = tabs.map((tab) => (tab.key === key ? { ...tab, pageReference: reference } : tab));
        } else {
            tabs = [
                ...tabs,
                { key, pageReference: reference, label: defaultTabLabel(reference), icon: tabIcon(reference) }
            ];
        }
    }
    setState({ page: reference, tabs, activeTabKey: key, modal: null });
    pageBeforeModal = null;
    writeUrl(reference, replace);
}

/** Closes the "new record" modal without saving: back to the page under it. */
export function closeModal(): void {
    const back = pageBeforeModal ?? HOME;
    pageBeforeModal = null;
    setState({ modal: null });
    navigate(back, true);
}

/** Focuses a workspace tab. */
export function focusTab(key: string): void {
    const tab = state.tabs.find((candidate) => candidate.key === key);
    if (tab) navigate(tab.pageReference);
}

/** Closes a workspace tab; the one before it (or home) becomes active. */
export function closeTab(key: string): void {
    const index = state.tabs.findIndex((tab) => tab.key === key);
    if (index < 0) return;
    const tabs = state.tabs.filter((tab) => tab.key !== key);
    if (state.activeTabKey !== key) {
        setState({ tabs });
        return;
    }
    const next = tabs[Math.max(0, index - 1)];
    setState({ tabs });
    navigate(next ? next.pageReference : HOME);
}

/** The record page shows its record's name in its tab. */
export function setTabLabel(reference: PageReference, label: string): void {
    const key = tabKeyOf(reference);
    if (!key || !label) return;
    if (!state.tabs.some((tab) => tab.key === key && tab.label !== label)) return;
    setState({ tabs: state.tabs.map((tab) => (tab.key === key ? { ...tab, label } : tab)) });
}

function defaultTabLabel(reference: PageReference): string {
    if (reference.type === 'standard__recordPage') return attribute(reference, 'objectApiName') || 'Record';
    if (reference.type === 'standard__objectPage') return pluralLabel(attribute(reference, 'objectApiName'));
    if (reference.type === 'standard__navItemPage') return attribute(reference, 'apiName').replace(/_/g, ' ');
    return 'Home';
}

const OBJECT_ICONS: Record<string, string> = {
    Account: 'standard:account',
    PersonAccount: 'standard:person_account',
    Contact: 'standard:contact',
    Lead: 'standard:lead',
    Case: 'standard:case'
};

/** The SLDS icon of an object or record type (`PersonAccount` too), else `fallback`. */
export function objectIcon(objectOrRecordType: string, fallback = 'standard:record'): string {
    return OBJECT_ICONS[objectOrRecordType] ?? fallback;
}

function tabIcon(reference: PageReference): string {
    if (reference.type === 'standard__navItemPage') return 'standard:settings';
    return objectIcon(attribute(reference, 'objectApiName'));
}

/** Plural label of a standard object. */
export function pluralLabel(objectApiName: string): string {
    const labels: Record<string, string> = {
        Account: 'Accounts',
        Contact: 'Contacts',
        Lead: 'Leads',
        Case: 'Cases'
    };
    return labels[objectApiName] ?? objectApiName;
}

/** `defaultFieldValues` as lightning/pageReferenceUtils encodes them (`k=v,k2=v2`, parts URI-encoded). */
export function decodeFieldValues(encoded: unknown): Record<string, string> {
    if (encoded && typeof encoded === 'object') return { ...(encoded as Record<string, string>) };
    if (typeof encoded !== 'string' || encoded === '') return {};
    const values: Record<string, string> = {};
    for (const pair of encoded.split(',')) {
        const at = pair.indexOf('=');
        if (at <= 0) continue;
        values[decodeURIComponent(pair.slice(0, at))] = decodeURIComponent(pair.slice(at + 1));
    }
    return values;
}

// URL <-> page reference (Lightning's URL shapes, after the #)

/** The URL of a page (`#/lightning/r/Contact/003.../view`). */
export function urlOf(reference: PageReference): string {
    const objectName = encodeURIComponent(attribute(reference, 'objectApiName'));
    switch (reference.type) {
        case 'standard__recordPage':
            return `#/lightning/r/${objectName || 'Record'}/${encodeURIComponent(attribute(reference, 'recordId'))}/${attribute(reference, 'actionName') || 'view'}`;
        case 'standard__objectPage': {
            const action = attribute(reference, 'actionName') || 'home';
            const fields = reference.state?.defaultFieldValues;
            const query =
                action === 'new' && typeof fields === 'string' && fields
                    ? `?defaultFieldValues=${encodeURIComponent(fields)}`
                    : '';
            return `#/lightning/o/${objectName}/${action}${query}`;
        }
        case 'standard__navItemPage':
            return `#/lightning/n/${encodeURIComponent(attribute(reference, 'apiName'))}`;
        default:
            return '#/lightning/page/home';
    }
}

/** The page of a URL hash (home for anything unknown). */
export function pageOfUrl(hash: string): PageReference {
    const [pathPart, query = ''] = hash.replace(/^#/, '').split('?');
    const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'lightning') return HOME;
    if (parts[1] === 'r' && parts[3]) {
        return {
            type: 'standard__recordPage',
            attributes: { objectApiName: parts[2], recordId: parts[3], actionName: parts[4] || 'view' }
        };
    }
    if (parts[1] === 'o' && parts[2]) {
        const action = parts[3] || 'home';
        const params = new URLSearchParams(query);
        const reference: PageReference = {
            type: 'standard__objectPage',
            attributes: { objectApiName: parts[2], actionName: action }
        };
        if (action === 'new' && params.get('defaultFieldValues'))
            reference.state = { defaultFieldValues: params.get('defaultFieldValues') };
        return reference;
    }
    if (parts[1] === 'n' && parts[2])
        return { type: 'standard__navItemPage', attributes: { apiName: parts[2] } };
    return HOME;
}

let writingUrl = false;

function writeUrl(reference: PageReference, replace: boolean): void {
    const url = urlOf(reference);
    if (window.location.hash === url) return;
    writingUrl = true;
    if (replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    writingUrl = false;
}

/** Follows the URL: at start-up and on back/forward. */
export function startUrlRouting(): void {
    const follow = () => {
        if (!writingUrl) navigate(pageOfUrl(window.location.hash), true);
    };
    window.addEventListener('popstate', follow);
    follow();
}

// ---------------------------------------------------------------------------------------------------------
// Utility bar
// ---------------------------------------------------------------------------------------------------------

/** Sets the items at start-up (from the app's utility bar). */
export function initUtilityBar(
    items: Array<
        Omit<
            UtilityItemState,
            'label' | 'highlighted' | 'open' | 'panelHeaderLabel' | 'panelHeaderIcon' | 'popOutDisabled'
        > & { label: string }
    >
): void {
    setState({
        utilityItems: items.map((item) => ({
            ...item,
            defaultLabel: item.label,
            highlighted: false,
            open: false,
            panelHeaderLabel: item.label,
            panelHeaderIcon: item.icon,
            popOutDisabled: false
        }))
    });
}

/** The utility item that hosts a package component (`webPhone`), or the first item. */
export function utilityItemHosting(componentName?: string): UtilityItemState | undefined {
    return (
        state.utilityItems.find(
            (item) => item.hostsComponent && (!componentName || item.hostsComponent === componentName)
        ) ?? state.utilityItems[0]
    );
}

function updateItem(utilityId: string, patch: Partial<UtilityItemState>): boolean {
    if (!state.utilityItems.some((item) => item.id === utilityId)) return false;
    setState({
        utilityItems: state.utilityItems.map((item) => (item.id === utilityId ? { ...item, ...patch } : item))
    });
    return true;
}

/** Opens a utility panel (one at a time, as in Lightning). */
export function openUtility(utilityId: string): boolean {
    if (!state.utilityItems.some((item) => item.id === utilityId)) return false;
    setState({ utilityItems: state.utilityItems.map((item) => ({ ...item, open: item.id === utilityId })) });
    return true;
}

export function minimizeUtility(utilityId: string): boolean {
    return updateItem(utilityId, { open: false });
}

/** The agent clicked an item in the bar: toggle it, and tell the component's onUtilityClick handlers. */
export function clickUtility(utilityId: string): void {
    const item = state.utilityItems.find((candidate) => candidate.id === utilityId);
    if (!item) return;
    if (item.open) minimizeUtility(utilityId);
    else openUtility(utilityId);
    for (const handler of utilityClickHandlers.get(utilityId) ?? []) {
        try {
            handler({ utilityId, panelVisible: !item.open });
        } catch (error) {
            console.error('onUtilityClick handler threw', error);
        }
    }
}

export function setUtilityLabel(utilityId: string, label: string): boolean {
    return updateItem(utilityId, { label: String(label ?? '') });
}

export function setUtilityHighlighted(utilityId: string, highlighted: boolean): boolean {
    return updateItem(utilityId, { highlighted: Boolean(highlighted) });
}

export function setUtilityIcon(utilityId: string, icon: string): boolean {
    return updateItem(utilityId, { icon: String(icon ?? '') });
}

export function setPanelHeaderLabel(utilityId: string, label: string): boolean {
    return updateItem(utilityId, { panelHeaderLabel: String(label ?? '') });
}

export function setPanelHeaderIcon(utilityId: string, icon: string): boolean {
    return updateItem(utilityId, { panelHeaderIcon: String(icon ?? '') });
}

export function setPanelSize(utilityId: string, size: { width?: number; height?: number }): boolean {
    const patch: Partial<UtilityItemState> = {};
    if (Number.isFinite(size.width)) patch.width = Number(size.width);
    if (Number.isFinite(size.height)) patch.height = Number(size.height);
    return updateItem(utilityId, patch);
}

export function disablePopOut(utilityId: string, disabled: boolean): boolean {
    return updateItem(utilityId, { popOutDisabled: Boolean(disabled) });
}

export function addUtilityClickHandler(utilityId: string, handler: (event: unknown) => void): boolean {
    if (!state.utilityItems.some((item) => item.id === utilityId)) return false;
    const handlers = utilityClickHandlers.get(utilityId) ?? new Set();
    handlers.add(handler);
    utilityClickHandlers.set(utilityId, handlers);
    return true;
}

// ---------------------------------------------------------------------------------------------------------
// Toasts
// ---------------------------------------------------------------------------------------------------------

const TOAST_MS = 4800;

/** Shows a toast (lightning/platformShowToastEvent). */
export function showToast(toast: {
    title?: string;
    message?: string;
    variant?: string;
    mode?: string;
}): void {
    const variant =
        (['info', 'success', 'warning', 'error'] as const).find((v) => v === toast.variant) ?? 'info';
    const entry: Toast = {
        id: ++toastSeq,
        title: String(toast.title ?? ''),
        message: String(toast.message ?? ''),
        variant,
        sticky: toast.mode === 'sticky'
    };
    setState({ toasts: [...state.toasts, entry] });
    if (!entry.sticky) setTimeout(() => dismissToast(entry.id), TOAST_MS);
}

export function dismissToast(id: number): void {
    if (state.toasts.some((toast) => toast.id === id))
        setState({ toasts: state.toasts.filter((toast) => toast.id !== id) });
}
