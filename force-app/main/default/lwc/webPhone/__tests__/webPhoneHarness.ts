/**
 * The shared setup of the c-web-phone tests (webPhone*.test.ts): the Apex and label mocks, the default settings,
 * a mounted component started on a fake phone session, and the queries into its shadow trees.
 */
import { createElement } from 'lwc';
import { CurrentPageReference, resetNavigations } from 'lightning/navigation';
import { resetMessageService } from 'lightning/messageService';
import getSettings from '@salesforce/apex/PhoneSettingsController.getSettings';
import createRecord from '@salesforce/apex/RecordCreationController.createRecord';
import attachNumber from '@salesforce/apex/RecordCreationController.attachNumber';
import type { PhoneViewState, ScreenPopEvent } from 'webphone-core';
import WebPhone from '../webPhone';
import {
    FakePhoneSession,
    installFakeCore,
    removeFakeCore
} from '../../../../../test/jest-fixtures/fakePhoneSession';
import {
    callerCard,
    flushPromises,
    viewState,
    type TestElement
} from '../../../../../test/jest-fixtures/phoneState';

export const APEX = [
    'PhoneSettingsController.getSettings',
    'AgentSessionController.getSipCredentials',
    'AgentSessionController.getActiveInteractions',
    'AgentStatusController.getCampaigns',
    'AgentStatusController.getPauseReasons',
    'AgentStatusController.setStatus',
    'CallerLookupController.findCallers',
    'CallLogController.saveCallLog',
    'RecordingControlController.controlRecording',
    'RecordCreationController.createRecord',
    'RecordCreationController.attachNumber'
];
jest.mock('@salesforce/apex/PhoneSettingsController.getSettings', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/AgentSessionController.getSipCredentials', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/AgentSessionController.getActiveInteractions', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/AgentStatusController.getCampaigns', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/AgentStatusController.getPauseReasons', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/AgentStatusController.setStatus', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/CallerLookupController.findCallers', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/CallLogController.saveCallLog', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/RecordingControlController.controlRecording', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/RecordCreationController.createRecord', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/RecordCreationController.attachNumber', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Phone_Utility_Ringing', () => ({ default: 'Incoming: {0}' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Phone_Utility_OnCall', () => ({ default: 'On call: {0}' }), { virtual: true });
jest.mock('@salesforce/label/c.Phone_Utility_Label', () => ({ default: 'Phone' }), { virtual: true });
jest.mock('@salesforce/label/c.Phone_Settings_Failed', () => ({ default: 'Settings failed: {0}' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Phone_Attach_Failed', () => ({ default: 'Not added: {0}' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Phone_AutoCase_Failed', () => ({ default: 'No case: {0}' }), {
    virtual: true
});

export const SETTINGS = {
    defaultCountry: 'PL',
    defaultAreaCode: '',
    phoneEnabled: true,
    autoCreateCase: false,
    callWaiting: true,
    defaultWrapSeconds: 30,
    personAccountsEnabled: true
};

export const mocked = (fn: unknown): jest.Mock => fn as jest.Mock;

export function mount(): TestElement {
    const element = createElement('c-web-phone', { is: WebPhone }) as TestElement;
    document.body.appendChild(element);
    return element;
}

/** Lets the start-up chain (loadScript, Apex, session) and the re-renders settle. */
export async function settle(): Promise<void> {
    await flushPromises();
    await flushPromises();
    await flushPromises();
    await flushPromises();
}

/** Puts a page on "screen" (the test wire adapter of CurrentPageReference). */
export function showPage(pageReference: Record<string, unknown>): void {
    // eslint-disable-next-line @lwc/lwc/no-unexpected-wire-adapter-usages -- emit() of the Jest test adapter
    CurrentPageReference.emit(pageReference);
}

/** A started phone: the component, its fake session, and a helper to publish a state. */
export async function ready(state: Partial<PhoneViewState> = {}) {
    const element = mount();
    await settle();
    const session = FakePhoneSession.instances[FakePhoneSession.instances.length - 1];
    const publishState = async (overrides: Partial<PhoneViewState>): Promise<void> => {
        session.emit('stateChanged', viewState(overrides));
        await settle();
    };
    await publishState(state);
    return { element, session, publishState };
}

export const shadow = (element: HTMLElement): ShadowRoot => element.shadowRoot as ShadowRoot;
export const query = (element: HTMLElement, id: string): any =>
    shadow(element).querySelector(`[data-id="${id}"]`);
export const child = (element: HTMLElement, selector: string): any => shadow(element).querySelector(selector);

/** Every element matching `selector` in the component and the shadow trees of its children. */
export function deepQueryAll(root: ParentNode, selector: string): Element[] {
    const found = Array.from(root.querySelectorAll(selector));
    for (const node of Array.from(root.querySelectorAll('*'))) {
        if ((node as HTMLElement).shadowRoot)
            found.push(...deepQueryAll((node as HTMLElement).shadowRoot as ShadowRoot, selector));
    }
    return found;
}

export function deepText(root: ParentNode): string {
    let text = '';
    for (const node of Array.from(root.childNodes)) {
        if (node.nodeType === Node.TEXT_NODE) text += node.textContent;
        else {
            const shadowRoot = (node as HTMLElement).shadowRoot;
            if (shadowRoot) text += deepText(shadowRoot);
            text += deepText(node as unknown as ParentNode);
        }
    }
    return text;
}

export function toasts(element: HTMLElement): Array<{ message: string; variant: string }> {
    const details: Array<{ message: string; variant: string }> = [];
    element.addEventListener('lightning__showtoast', (event) => details.push((event as CustomEvent).detail));
    return details;
}

export function setVisibility(state: 'visible' | 'hidden'): void {
    Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
}

export function screenPop(decision: ScreenPopEvent['decision']): ScreenPopEvent {
    return { callId: 'call-1', interactionId: 'ia-1', direction: 'inbound', decision, caller: callerCard() };
}

/**
 * The component's world for each test of a `describe('c-web-phone')`: a fake core and settings before, an empty
 * page, navigations, messages and mocks after.
 */
export function useWebPhoneFixture(): void {
    beforeEach(() => {
        (window as unknown as Record<string, unknown>).RTCPeerConnection = class {};
        installFakeCore();
        mocked(getSettings).mockResolvedValue(SETTINGS);
        setVisibility('visible');
    });

    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        removeFakeCore();
        resetNavigations();
        resetMessageService();
        jest.clearAllMocks();
        jest.restoreAllMocks();
        delete (window as unknown as Record<string, unknown>).RTCPeerConnection;
        delete (window as unknown as Record<string, unknown>).Notification;
    });
}

/** The mocked Apex methods the tests drive. */
export { attachNumber, createRecord, getSettings };
