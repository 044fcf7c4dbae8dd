/**
 * The panel's own chrome, computed from plain values: the line status text and colour, the three tabs
 * (WAI-ARIA tabs pattern) and which panel shows. No platform imports but labels.
 */
import type { PhoneViewState } from 'webphone-core';

import TAB_PHONE from '@salesforce/label/c.Phone_Tab_Phone';
import TAB_RECENT from '@salesforce/label/c.Phone_Tab_Recent';
import TAB_SETTINGS from '@salesforce/label/c.Phone_Tab_Settings';
import LINE_REGISTERED from '@salesforce/label/c.Phone_Line_Registered';
import LINE_REGISTERING from '@salesforce/label/c.Phone_Line_Registering';
import LINE_RECONNECTING from '@salesforce/label/c.Phone_Line_Reconnecting';
import LINE_OFFLINE from '@salesforce/label/c.Phone_Line_Offline';
import LINE_NOT_CONNECTED from '@salesforce/label/c.Phone_Line_NotConnected';
import LINE_FOLLOWER from '@salesforce/label/c.Phone_Line_Follower';

export type PanelTab = 'phone' | 'recent' | 'settings';

export const TABS: ReadonlyArray<{ id: PanelTab; label: string }> = [
    { id: 'phone', label: TAB_PHONE },
    { id: 'recent', label: TAB_RECENT },
    { id: 'settings', label: TAB_SETTINGS }
];

/** What the line status says: follower, offline, registered, reconnecting, registering or not connected. */
export function lineTextOf(state: PhoneViewState | null): string {
    if (!state) return '';
    if (state.role === 'follower') return LINE_FOLLOWER;
    if (state.connection.offline) return LINE_OFFLINE;
    if (state.registration.state === 'Registered') return LINE_REGISTERED;
    if (state.connection.state === 'WaitingToReconnect') return LINE_RECONNECTING;
    if (state.registration.state === 'Registering' || state.connection.state === 'Connecting')
        return LINE_REGISTERING;
    return LINE_NOT_CONNECTED;
}

/** Green when registered. */
export function lineClassOf(state: PhoneViewState | null): string {
    return `slds-text-body_small ${state?.registration.state === 'Registered' ? 'slds-text-color_success' : 'slds-text-color_weak'}`;
}

/** The tab buttons with their ARIA attributes for `active`. */
export function tabsOf(active: PanelTab) {
    return TABS.map((tab) => ({
        ...tab,
        tabId: `tab-${tab.id}`,
        panelId: `panel-${tab.id}`,
        selected: tab.id === active ? 'true' : 'false',
        tabIndex: tab.id === active ? '0' : '-1',
        className: `slds-tabs_default__item${tab.id === active ? ' slds-is-active' : ''}`
    }));
}

/** Every panel stays rendered (tabs reference them, the device list stays current); only one shows. */
export function panelClassOf(active: PanelTab): Record<PanelTab, string> {
    const panel = (tab: PanelTab): string =>
        `slds-tabs_default__content slds-p-vertical_none ${tab === active ? 'slds-show' : 'slds-hide'}`;
    return { phone: panel('phone'), recent: panel('recent'), settings: panel('settings') };
}
