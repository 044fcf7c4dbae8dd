import { renderNotificationTemplate } from '../../../../../../phone-core/src/notification-template';
import { DoctorLog } from '../../../../../../phone-core/src/doctor/doctor-log';
import { readFileSync } from 'fs';
import { join } from 'path';
import { createElement } from 'lwc';
import { loadScript } from 'lightning/platformResourceLoader';
import {
    CurrentPageReference,
    getNavigateCalledWith,
    getNavigations,
    resetNavigations
} from 'lightning/navigation';
import { deliverMessage, publish, resetMessageService } from 'lightning/messageService';
import {
    getEnclosingUtilityId,
    open as openUtility,
    setUtilityHighlighted,
    setUtilityLabel,
    UTILITY_ID
} from 'lightning/platformUtilityBarApi';
import WEBPHONE_CHANNEL from '@salesforce/messageChannel/WebPhone__c';
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
    agentView,
    callerCard,
    callView,
    flushPromises,
    HOSTILE_NAME,
    interactionView,
    record,
    recentCall,
    viewState,
    type TestElement
} from '../../../../../test/jest-fixtures/phoneState';

const APEX = [
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

const SETTINGS = {
    defaultCountry: 'PL',
    defaultAreaCode: '',
    phoneEnabled: true,
    autoCreateCase: false,
    callWaiting: true,
    defaultWrapSeconds: 30,
    personAccountsEnabled: true
};

const mocked = (fn: unknown): jest.Mock => fn as jest.Mock;

function mount(): TestElement {
    const element = createElement('c-web-phone', { is: WebPhone }) as TestElement;
    document.body.appendChild(element);
    return element;
}

/** Lets the start-up chain (loadScript, Apex, session) and the re-renders settle. */
async function settle(): Promise<void> {
    await flushPromises();
    await flushPromises();
    await flushPromises();
    await flushPromises();
}

/** Puts a page on "screen" (the test wire adapter of CurrentPageReference). */
function showPage(pageReference: Record<string, unknown>): void {
    // eslint-disable-next-line @lwc/lwc/no-unexpected-wire-adapter-usages -- emit() of the Jest test adapter
    CurrentPageReference.emit(pageReference);
}

/** A started phone: the component, its fake session, and a helper to publish a state. */
async function ready(state: Partial<PhoneViewState> = {}) {
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

const shadow = (element: HTMLElement): ShadowRoot => element.shadowRoot as ShadowRoot;
const query = (element: HTMLElement, id: string): any => shadow(element).querySelector(`[data-id="${id}"]`);
const child = (element: HTMLElement, selector: string): any => shadow(element).querySelector(selector);

/** Every element matching `selector` in the component and the shadow trees of its children. */
function deepQueryAll(root: ParentNode, selector: string): Element[] {
    const found = Array.from(root.querySelectorAll(selector));
    for (const node of Array.from(root.querySelectorAll('*'))) {
        if ((node as HTMLElement).shadowRoot)
            found.push(...deepQueryAll((node as HTMLElement).shadowRoot as ShadowRoot, selector));
    }
    return found;
}

function deepText(root: ParentNode): string {
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

function toasts(element: HTMLElement): Array<{ message: string; variant: string }> {
    const details: Array<{ message: string; variant: string }> = [];
    element.addEventListener('lightning__showtoast', (event) => details.push((event as CustomEvent).detail));
    return details;
}

function setVisibility(state: 'visible' | 'hidden'): void {
    Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
}

function screenPop(decision: ScreenPopEvent['decision']): ScreenPopEvent {
    return { callId: 'call-1', interactionId: 'ia-1', direction: 'inbound', decision, caller: callerCard() };
}

describe('c-web-phone', () => {
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

    describe('Phone Doctor (B8)', () => {
        it("keeps the recent log: sip.js lines through the session's SIP options and the state changes", async () => {
            installFakeCore({ DoctorLog });
            const { element, session, publishState } = await ready({ agent: agentView('Ready') });
            const sipOptions = session.options.sipOptions ?? {};
            expect(sipOptions.logLevel).toBe('log');
            sipOptions.logConnector?.(
                'log',
                'sip.Transport',
                undefined,
                'Sending WebSocket message: REGISTER'
            );
            await publishState({ agent: agentView('Busy') });
            const doctor = child(element, 'c-phone-doctor');
            expect(doctor).not.toBeNull();
            expect(doctor.lightningWebSecurity).toBe(true);
            const lines: string[] = doctor.log.lines();
            expect(lines.some((line) => line.endsWith('Sending WebSocket message: REGISTER'))).toBe(true);
            expect(lines.some((line) => line.endsWith('state agent Ready'))).toBe(true);
            expect(lines.some((line) => line.endsWith('state agent Busy'))).toBe(true);
        });

        it('without the log in the core (an older static resource) sip.js keeps its default logging', async () => {
            const { session } = await ready();
            expect(session.options.sipOptions?.logConnector).toBeUndefined();
            expect(session.options.sipOptions?.allowInsecureWebSocket).toBe(false);
        });
    });

    describe('start-up', () => {
        it('refuses to run under Lightning Locker: a clear message, no core, no registration', async () => {
            jest.spyOn(window, 'toString').mockReturnValue(
                'SecureWindow: [object Window]{ key: {"namespace":"ccphone"} }'
            );
            const element = mount();
            await settle();
            expect(query(element, 'unsupported-text').textContent).toBe('c.Phone_Locker_Body');
            expect(loadScript).not.toHaveBeenCalled();
            expect(FakePhoneSession.instances).toHaveLength(0);
            await expect(element).toBeAccessible();
        });

        it('explains a browser without WebRTC', async () => {
            delete (window as unknown as Record<string, unknown>).RTCPeerConnection;
            const element = mount();
            await settle();
            expect(query(element, 'unsupported-text').textContent).toBe('c.Phone_WebRtc_Unavailable');
            expect(FakePhoneSession.instances).toHaveLength(0);
        });

        it('loads the static resource once and starts a session with Apex host ports', async () => {
            const { session } = await ready();
            expect(loadScript).toHaveBeenCalledTimes(1);
            expect(mocked(loadScript).mock.calls[0][1]).toBe('/resource/webphoneCore');
            expect(session.start).toHaveBeenCalledTimes(1);
            expect(session.options.userId).toEqual(expect.any(String));
            expect(session.options.orgId).toBe(window.location.hostname);
            expect(session.options.settings).toEqual({
                defaultCountry: 'PL',
                defaultAreaCode: undefined,
                callWaiting: true,
                autoCreateCase: false,
                defaultWrapSeconds: 30,
                screenPop: {
                    personAccountsEnabled: true,
                    createOptions: ['Contact', 'PersonAccount', 'Lead', 'Case']
                },
                unknownCallerName: 'c.Phone_Label_UnknownCaller'
            });
            expect(Object.keys(session.options.host).sort()).toEqual([
                'controlRecording',
                'getActiveInteractions',
                'getPauseReasons',
                'getSipSession',
                'lookupCaller',
                'publishAgentStatus',
                'saveCallLog'
            ]);
        });

        it("ranks screen-pop matches in the admin's object order (unknown names dropped)", async () => {
            mocked(getSettings).mockResolvedValue({
                ...SETTINGS,
                screenPopOrder: ['Case', 'Opportunity', 'Lead']
            });
            const { session } = await ready();
            expect(session.options.settings.screenPop?.objectOrder).toEqual(['Case', 'Lead']);
        });

        it('shows an error and retries when the static resource fails to load', async () => {
            mocked(loadScript).mockRejectedValueOnce(new Error('404'));
            jest.spyOn(console, 'error').mockImplementation(() => undefined);
            const element = mount();
            await settle();
            expect(query(element, 'failed-text').textContent).toBe('c.Phone_Load_Failed');
            expect(FakePhoneSession.instances).toHaveLength(0);
            query(element, 'retry-load').click();
            await settle();
            expect(FakePhoneSession.instances).toHaveLength(1);
            expect(query(element, 'failed')).toBeNull();
        });

        it.each([
            ['missing', undefined],
            ['of another API version', { CORE_API_VERSION: 2, PhoneSession: FakePhoneSession }]
        ])('fails cleanly when the core is %s', async (_name, core) => {
            (window as unknown as Record<string, unknown>).WebphoneCore = core;
            jest.spyOn(console, 'error').mockImplementation(() => undefined);
            const element = mount();
            await settle();
            expect(query(element, 'failed-text').textContent).toBe('c.Phone_Load_Failed');
        });

        it('shows the Apex message when the settings cannot be read', async () => {
            mocked(getSettings).mockRejectedValue({ body: { message: 'No seat' }, status: 500 });
            jest.spyOn(console, 'error').mockImplementation(() => undefined);
            const element = mount();
            await settle();
            expect(query(element, 'failed-text').textContent).toBe('Settings failed: No seat');
            expect(FakePhoneSession.instances).toHaveLength(0);
        });

        it('stays off when the phone is disabled for the user', async () => {
            mocked(getSettings).mockResolvedValue({ ...SETTINGS, phoneEnabled: false });
            const element = mount();
            await settle();
            expect(query(element, 'disabled').textContent).toBe('c.Phone_Disabled');
            expect(FakePhoneSession.instances).toHaveLength(0);
        });

        it('disposes the session and its listeners when removed', async () => {
            const { element, session } = await ready();
            expect(session.listenerCount).toBe(4);
            document.body.removeChild(element);
            expect(session.dispose).toHaveBeenCalledTimes(1);
            expect(session.listenerCount).toBe(0);
        });
    });

    describe('binding the state', () => {
        it('passes the agent status and pause reasons to c-phone-status and its commands to the session', async () => {
            const { element, session } = await ready({ agent: agentView('Paused') });
            const status = child(element, 'c-phone-status');
            expect(status.agent.status).toBe('Paused');
            expect(status.pauseReasons).toEqual([
                { id: 'lunch', label: 'Lunch' },
                { id: 'training', label: 'Training' }
            ]);
            status.dispatchEvent(
                new CustomEvent('phonecommand', {
                    detail: { type: 'setStatus', request: { status: 'Ready' } }
                })
            );
            await settle();
            expect(session.calls).toEqual([['setStatus', { status: 'Ready' }]]);
        });

        it('shows the dial pad when idle and dials through the session', async () => {
            const { element, session } = await ready({ lastDialled: '+48600700800' });
            const pad = child(element, 'c-dial-pad');
            expect(pad.lastDialled).toBe('+48600700800');
            expect(pad.numberInspector('600 700 800')).toEqual({ dialable: true, display: '+600700800' });
            expect(pad.numberInspector('112')).toEqual({ dialable: false, display: '' });
            pad.dispatchEvent(
                new CustomEvent('phonecommand', { detail: { type: 'dial', number: '600700800' } })
            );
            await settle();
            expect(session.calls).toEqual([['dial', '600700800', undefined]]);
        });

        it('shows a ringing call with its caller and answer/reject', async () => {
            const incoming = callView('Ringing');
            const { element, session } = await ready({
                agent: agentView('Ringing'),
                calls: [incoming],
                incoming
            });
            const section = query(element, 'incoming');
            expect(section.querySelector('c-caller-card').caller.name).toBe('Jan Kowalski');
            const controls = section.querySelector('c-call-controls');
            expect(controls.call.id).toBe('call-1');
            expect(child(element, 'c-dial-pad')).toBeNull();
            controls.dispatchEvent(
                new CustomEvent('phonecommand', { detail: { type: 'answer', callId: 'call-1' } })
            );
            await settle();
            expect(session.calls).toEqual([['answer', 'call-1']]);
        });

        it('shows an active call with controls, consultation and "related to"', async () => {
            const primary = callView('OnHold', { consultActive: true });
            const consult = callView('Connected', { id: 'consult-1', role: 'consultation' });
            const { element } = await ready({ agent: agentView('Busy'), calls: [primary, consult] });
            const active = query(element, 'active');
            const controls = active.querySelector('c-call-controls');
            expect(controls.call.id).toBe('call-1');
            expect(controls.consultCall.id).toBe('consult-1');
            expect(active.querySelector('c-related-to').call.id).toBe('call-1');
        });

        it('gives "related to" the record on screen (F7)', async () => {
            const { element } = await ready({ agent: agentView('Busy'), calls: [callView('Connected')] });
            showPage({
                type: 'standard__recordPage',
                attributes: { recordId: '500000000000001AAA', objectApiName: 'Case', actionName: 'view' }
            });
            await settle();
            expect(child(element, 'c-related-to').screenRecord).toEqual({
                recordId: '500000000000001AAA',
                objectApiName: 'Case'
            });
            showPage({
                type: 'standard__objectPage',
                attributes: { objectApiName: 'Case', actionName: 'list' }
            });
            await settle();
            expect(child(element, 'c-related-to').screenRecord).toBeNull();
        });

        it('shows the chooser for several matches until the call is related', async () => {
            const decision = {
                action: 'choose' as const,
                candidates: [record(), record({ id: '00Q000000000001AAA', objectType: 'Lead' as const })],
                collapsed: [],
                autoCreateCase: null
            };
            const { element, publishState } = await ready({
                agent: agentView('Busy'),
                calls: [callView('Connected', { screenPop: decision })]
            });
            const chooser = child(element, 'c-screen-pop-chooser');
            expect(chooser.decision).toEqual(decision);
            expect(chooser.callId).toBe('call-1');
            await publishState({
                agent: agentView('Busy'),
                calls: [
                    callView('Connected', {
                        screenPop: decision,
                        related: {
                            id: '003000000000001AAA',
                            objectType: 'Contact',
                            name: 'Jan',
                            source: 'chosen'
                        }
                    })
                ]
            });
            expect(child(element, 'c-screen-pop-chooser')).toBeNull();
        });

        it('shows the wrap-up form with its chooser after the call', async () => {
            const decision = {
                action: 'create' as const,
                options: [{ kind: 'attach-number' as const, e164: '+48600700800' }],
                autoCreateCase: null
            };
            const wrapUp = interactionView({ screenPop: decision });
            const { element, session } = await ready({
                agent: agentView('Wrap'),
                interactions: [wrapUp],
                wrapUp
            });
            const form = child(element, 'c-wrap-up-form');
            expect(form.wrapUp.interactionId).toBe('ia-1');
            expect(form.agentInWrap).toBe(true);
            expect(child(element, 'c-screen-pop-chooser').decision).toEqual(decision);
            expect(child(element, 'c-dial-pad')).toBeNull();
            form.dispatchEvent(
                new CustomEvent('phonecommand', {
                    detail: { type: 'submitWrapUp', interactionId: 'ia-1', form: { notes: 'x' } }
                })
            );
            await settle();
            expect(session.calls).toEqual([['submitWrapUp', { notes: 'x' }, 'ia-1']]);
        });

        it('shows recent calls and device settings in their tabs', async () => {
            const { element } = await ready({
                recentCalls: [recentCall()],
                audioDevices: { input: 'mic-1' },
                microphone: { problem: 'denied' }
            });
            const tabs = Array.from(shadow(element).querySelectorAll('[role="tab"]')) as HTMLElement[];
            const panel = (id: string): HTMLElement => query(element, `panel-${id}`);
            expect(tabs.map((tab) => tab.getAttribute('aria-selected'))).toEqual(['true', 'false', 'false']);
            expect(panel('phone').className).toContain('slds-show');
            expect(panel('recent').className).toContain('slds-hide');
            tabs[1].click();
            await settle();
            expect(panel('recent').className).toContain('slds-show');
            expect(panel('phone').className).toContain('slds-hide');
            expect((panel('recent').querySelector('c-recent-calls') as any).calls).toHaveLength(1);
            expect(shadow(element).querySelectorAll('[role="tab"]')[1].getAttribute('aria-selected')).toBe(
                'true'
            );
            tabs[2].click();
            await settle();
            const devices = panel('settings').querySelector('c-device-settings') as any;
            expect(devices.devices).toEqual({ input: 'mic-1' });
            expect(devices.microphone).toEqual({ problem: 'denied' });
        });

        it('moves between tabs with the arrow keys', async () => {
            const { element } = await ready();
            const tab = (index: number): HTMLElement =>
                shadow(element).querySelectorAll('[role="tab"]')[index] as HTMLElement;
            tab(0).dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight' }));
            await settle();
            expect(tab(1).getAttribute('aria-selected')).toBe('true');
            expect(tab(1).getAttribute('tabindex')).toBe('0');
            tab(1).dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft' }));
            tab(0).dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft' }));
            await settle();
            expect(tab(2).getAttribute('aria-selected')).toBe('true');
        });

        it('says which line state the phone is in', async () => {
            const { element, publishState } = await ready();
            expect(query(element, 'line').textContent).toBe('c.Phone_Line_Registered');
            await publishState({
                registration: { state: 'Registering' as never },
                connection: { state: 'Connecting' as never }
            });
            expect(query(element, 'line').textContent).toBe('c.Phone_Line_Registering');
            await publishState({
                registration: { state: 'Unregistered' as never },
                connection: { state: 'WaitingToReconnect' as never }
            });
            expect(query(element, 'line').textContent).toBe('c.Phone_Line_Reconnecting');
            await publishState({ connection: { state: 'Disconnected' as never, offline: true } });
            expect(query(element, 'line').textContent).toBe('c.Phone_Line_Offline');
        });

        it('lets a follower tab take the phone over', async () => {
            const { element, session } = await ready({
                role: 'follower',
                leader: { tabId: 'other', kind: 'tab', responsive: true, self: false }
            });
            expect(query(element, 'line').textContent).toBe('c.Phone_Line_Follower');
            query(element, 'use-here').click();
            expect(session.calls).toEqual([['requestLeadership']]);
        });
    });

    describe('errors and warnings', () => {
        it('shows the error code as a translated message and dismisses it', async () => {
            const { element, session } = await ready({
                error: {
                    code: 'credentials',
                    messageKey: 'PhoneError_Credentials',
                    detail: 'HTTP 401',
                    at: 1
                }
            });
            expect(query(element, 'error-text').textContent).toBe('c.PhoneError_Credentials');
            expect(query(element, 'error-detail').textContent).toBe('HTTP 401');
            query(element, 'dismiss-error').click();
            await settle();
            expect(session.calls).toEqual([['clearError']]);
        });

        it.each([
            ['credentials-unauthorized', 'c.PhoneError_CredentialsUnauthorized'],
            ['credentials-no-seat', 'c.PhoneError_CredentialsNoSeat'],
            ['credentials-unknown-agent', 'c.PhoneError_CredentialsUnknownAgent'],
            ['credentials-refused', 'c.PhoneError_CredentialsRefused']
        ] as const)(
            'a %s refusal says what to do and offers Try again (the phone stopped retrying)',
            async (code, label) => {
                const { element, session } = await ready({
                    error: { code, messageKey: label.slice(2), at: 1 }
                });
                expect(query(element, 'error-text').textContent).toBe(label);
                query(element, 'restart-after-error').click();
                await settle();
                expect(session.calls).toEqual([['restartPhone']]);
            }
        );

        it('a transient credentials failure offers no Try again: the phone retries by itself', async () => {
            const { element } = await ready({
                error: { code: 'credentials', messageKey: 'PhoneError_Credentials', at: 1 }
            });
            expect(element.shadowRoot?.querySelector('[data-id="restart-after-error"]')).toBeNull();
        });

        it('explains a denied microphone and restarts the phone on request', async () => {
            const { element, session } = await ready({
                microphone: { problem: 'denied' },
                error: { code: 'microphone', messageKey: 'PhoneError_Microphone', at: 1 }
            });
            expect(query(element, 'microphone').textContent).toContain('c.Phone_Mic_Denied');
            query(element, 'restart').click();
            await settle();
            expect(session.calls).toEqual([['restartPhone']]);
        });

        it('shows standing warnings', async () => {
            const { element } = await ready({
                warnings: ['multiple-tabs-may-register', 'status-not-synced']
            });
            expect(
                Array.from(shadow(element).querySelectorAll('[data-id="warning"]')).map(
                    (node) => node.textContent
                )
            ).toEqual(['c.Phone_Warning_MultipleTabs', 'c.Phone_Warning_StatusNotSynced']);
        });

        it('lists refused call logs with retry and dismiss', async () => {
            const { element, session } = await ready({
                outbox: {
                    unsent: 1,
                    needsAttention: 1,
                    durable: true,
                    attention: [
                        {
                            interactionId: 'ia-9',
                            message: 'Subject is required',
                            attempts: 2,
                            name: HOSTILE_NAME,
                            number: '600 700 800',
                            startedAt: 1
                        }
                    ]
                }
            });
            expect(query(element, 'attention-message').textContent).toBe('Subject is required');
            expect(query(element, 'unsent').textContent).toBe('c.Phone_Outbox_Unsent');
            query(element, 'retry-log').click();
            query(element, 'dismiss-log').click();
            await settle();
            expect(session.calls).toEqual([
                ['retryCallLog', 'ia-9', undefined],
                ['dismissCallLog', 'ia-9']
            ]);
            expect(shadow(element).querySelector('img')).toBeNull();
        });
    });

    describe('utility bar', () => {
        it('labels, highlights and opens the utility for an incoming call, once per call', async () => {
            const incoming = callView('Ringing', { caller: callerCard({ name: HOSTILE_NAME }) });
            const { publishState } = await ready({ calls: [incoming], incoming });
            expect(getEnclosingUtilityId).toHaveBeenCalled();
            expect(setUtilityLabel).toHaveBeenLastCalledWith(UTILITY_ID, `Incoming: ${HOSTILE_NAME}`);
            expect(setUtilityHighlighted).toHaveBeenLastCalledWith(UTILITY_ID, true);
            expect(openUtility).toHaveBeenCalledTimes(1);
            await publishState({ calls: [incoming], incoming, revision: 2 });
            expect(openUtility).toHaveBeenCalledTimes(1);

            const answered = callView('Connected', { caller: callerCard({ name: 'Jan Kowalski' }) });
            await publishState({ calls: [answered], incoming: null });
            expect(setUtilityLabel).toHaveBeenLastCalledWith(UTILITY_ID, 'On call: Jan Kowalski');
            expect(setUtilityHighlighted).toHaveBeenLastCalledWith(UTILITY_ID, false);

            await publishState({ calls: [] });
            expect(setUtilityLabel).toHaveBeenLastCalledWith(UTILITY_ID, 'Phone');
        });

        it('works outside a utility bar (app page)', async () => {
            mocked(getEnclosingUtilityId).mockRejectedValueOnce(new Error('not in a utility bar'));
            const incoming = callView('Ringing');
            const { element } = await ready({ calls: [incoming], incoming });
            expect(setUtilityLabel).not.toHaveBeenCalled();
            expect(query(element, 'incoming')).not.toBeNull();
        });
    });

    describe('screen pop', () => {
        it('opens the matched record (a workspace tab in a console app)', async () => {
            const { session } = await ready();
            session.emit(
                'screenPop',
                screenPop({
                    action: 'open',
                    record: record(),
                    source: 'single-match',
                    alternatives: [],
                    collapsed: [],
                    autoCreateCase: null
                })
            );
            expect(getNavigateCalledWith().pageReference).toEqual({
                type: 'standard__recordPage',
                attributes: { recordId: '003000000000001AAA', objectApiName: 'Contact', actionName: 'view' }
            });
        });

        it('opens a Person Account as an Account page', async () => {
            const { session } = await ready();
            session.emit(
                'screenPop',
                screenPop({
                    action: 'open',
                    record: record({ id: '001000000000001AAA', objectType: 'PersonAccount' }),
                    source: 'single-match',
                    alternatives: [],
                    collapsed: [],
                    autoCreateCase: null
                })
            );
            expect(getNavigateCalledWith().pageReference.attributes.objectApiName).toBe('Account');
        });

        it('does not navigate in a hidden tab that does not hold the phone', async () => {
            const { session } = await ready();
            session.isLeader = false;
            setVisibility('hidden');
            session.emit(
                'screenPop',
                screenPop({
                    action: 'open',
                    record: record(),
                    source: 'single-match',
                    alternatives: [],
                    collapsed: [],
                    autoCreateCase: null
                })
            );
            expect(getNavigations()).toEqual([]);
        });

        it('does not reopen the record already on screen (dialled from it)', async () => {
            const { session } = await ready();
            showPage({
                type: 'standard__recordPage',
                attributes: { recordId: '003000000000001AAA', objectApiName: 'Contact' }
            });
            await settle();
            session.emit(
                'screenPop',
                screenPop({
                    action: 'open',
                    record: record(),
                    source: 'dialled-from',
                    alternatives: [],
                    collapsed: [],
                    autoCreateCase: null
                })
            );
            expect(getNavigations()).toEqual([]);
        });

        it('opens the panel for a choice instead of navigating', async () => {
            const { session } = await ready();
            session.emit(
                'screenPop',
                screenPop({ action: 'choose', candidates: [record()], collapsed: [], autoCreateCase: null })
            );
            expect(getNavigations()).toEqual([]);
            expect(openUtility).toHaveBeenCalledWith(UTILITY_ID);
        });

        it('creates the automatic Case (F6) in the tab holding the phone and relates the call', async () => {
            mocked(createRecord).mockResolvedValue('500000000000077AAA');
            const { session } = await ready();
            session.emit(
                'screenPop',
                screenPop({
                    action: 'create',
                    options: [],
                    autoCreateCase: {
                        objectApiName: 'Case',
                        defaultFieldValues: {
                            SuppliedPhone: '+48600700800',
                            Origin: 'Phone',
                            ContactId: '003000000000001AAA'
                        }
                    }
                })
            );
            await settle();
            expect(createRecord).toHaveBeenCalledWith({
                request: {
                    objectType: 'Case',
                    phone: '+48600700800',
                    subject: null,
                    description: null,
                    accountId: null,
                    contactId: '003000000000001AAA'
                }
            });
            expect(session.calls).toEqual([
                ['relateToRecord', { id: '500000000000077AAA', objectType: 'Case' }, 'call-1']
            ]);
        });

        it('leaves the automatic Case to the leader tab', async () => {
            const { session } = await ready();
            session.isLeader = false;
            session.emit(
                'screenPop',
                screenPop({
                    action: 'none',
                    reason: 'anonymous',
                    autoCreateCase: { objectApiName: 'Case', defaultFieldValues: {} }
                })
            );
            await settle();
            expect(createRecord).not.toHaveBeenCalled();
        });

        it('reports a failed automatic Case', async () => {
            mocked(createRecord).mockRejectedValue({ body: { message: 'Subject required' } });
            const { element, session } = await ready();
            const shown = toasts(element);
            session.emit(
                'screenPop',
                screenPop({
                    action: 'none',
                    reason: 'anonymous',
                    autoCreateCase: { objectApiName: 'Case', defaultFieldValues: {} }
                })
            );
            await settle();
            expect(shown).toEqual([{ message: 'No case: Subject required', variant: 'error' }]);
        });
    });

    describe('navigation and records', () => {
        it('opens a new record page prefilled with the number (F4)', async () => {
            const decision = { action: 'create' as const, options: [], autoCreateCase: null };
            const { element } = await ready({
                agent: agentView('Busy'),
                calls: [callView('Connected', { screenPop: decision })]
            });
            child(element, 'c-screen-pop-chooser').dispatchEvent(
                new CustomEvent('createrecord', {
                    detail: {
                        objectApiName: 'Account',
                        defaultFieldValues: { Phone: '+48600700800' },
                        chooseRecordType: true
                    }
                })
            );
            expect(getNavigateCalledWith().pageReference).toEqual({
                type: 'standard__objectPage',
                attributes: { objectApiName: 'Account', actionName: 'new' },
                state: { defaultFieldValues: 'Phone=%2B48600700800', useRecordTypeCheck: 1 }
            });
        });

        it('opens records and URLs from the caller card', async () => {
            const { element } = await ready({ agent: agentView('Busy'), calls: [callView('Connected')] });
            const card = child(element, 'c-caller-card');
            card.dispatchEvent(
                new CustomEvent('openrecord', {
                    detail: { recordId: '003000000000001AAA', objectApiName: 'Contact' }
                })
            );
            expect(getNavigateCalledWith().pageReference.type).toBe('standard__recordPage');
            card.dispatchEvent(
                new CustomEvent('openurl', { detail: { url: 'https://erp.example.com/c?id=1' } })
            );
            expect(getNavigateCalledWith().pageReference).toEqual({
                type: 'standard__webPage',
                attributes: { url: 'https://erp.example.com/c?id=1' }
            });
        });

        it('adds the number to an existing record and relates the call', async () => {
            mocked(attachNumber).mockResolvedValue('MobilePhone');
            const decision = {
                action: 'create' as const,
                options: [{ kind: 'attach-number' as const, e164: '+48600700800' }],
                autoCreateCase: null
            };
            const { element, session } = await ready({
                agent: agentView('Busy'),
                calls: [callView('Connected', { screenPop: decision })]
            });
            const shown = toasts(element);
            child(element, 'c-screen-pop-chooser').dispatchEvent(
                new CustomEvent('attachnumber', {
                    detail: { recordId: '00Q000000000001AAA', e164: '+48600700800' }
                })
            );
            await settle();
            expect(attachNumber).toHaveBeenCalledWith({
                recordId: '00Q000000000001AAA',
                phone: '+48600700800',
                fieldName: null
            });
            expect(shown).toEqual([{ message: 'c.Phone_Attach_Done', variant: 'success' }]);
            expect(session.calls).toEqual([
                ['relateToRecord', { id: '00Q000000000001AAA', objectType: 'Lead' }, 'call-1']
            ]);
        });

        it('shows the Apex message when the number cannot be added', async () => {
            mocked(attachNumber).mockRejectedValue({ body: { message: 'No empty phone field' } });
            const decision = {
                action: 'create' as const,
                options: [{ kind: 'attach-number' as const, e164: '+48600700800' }],
                autoCreateCase: null
            };
            const { element, session } = await ready({
                agent: agentView('Busy'),
                calls: [callView('Connected', { screenPop: decision })]
            });
            const shown = toasts(element);
            child(element, 'c-screen-pop-chooser').dispatchEvent(
                new CustomEvent('attachnumber', {
                    detail: { recordId: '003000000000001AAA', e164: '+48600700800' }
                })
            );
            await settle();
            expect(shown).toEqual([{ message: 'Not added: No empty phone field', variant: 'error' }]);
            expect(session.calls).toEqual([]);
        });
    });

    describe('message channel (click-to-dial, F9/F19)', () => {
        it('dials a click-to-dial number with its record and opens the panel', async () => {
            const { session } = await ready();
            deliverMessage(WEBPHONE_CHANNEL, {
                type: 'dial',
                source: 'openCti',
                number: '+48 600 700 800',
                recordId: '001000000000001AAA',
                objectApiName: 'Account',
                recordName: 'Acme'
            });
            await settle();
            expect(session.calls).toEqual([
                [
                    'dial',
                    '+48 600 700 800',
                    { recordId: '001000000000001AAA', objectType: 'Account', name: 'Acme' }
                ]
            ]);
            expect(openUtility).toHaveBeenCalledWith(UTILITY_ID);
        });

        it('republishes call events and the phone state', async () => {
            const { session, publishState } = await ready();
            session.emit('callEvent', {
                kind: 'answered',
                interactionId: 'ia-1',
                callId: 'call-1',
                direction: 'inbound',
                number: '+48600700800',
                name: 'Jan'
            });
            const messages = (publish as jest.Mock).mock.calls.map((call) => call[2]);
            expect(messages).toContainEqual(
                expect.objectContaining({ type: 'callEvent', event: 'answered', interactionId: 'ia-1' })
            );
            expect(messages).toContainEqual(
                expect.objectContaining({ type: 'phoneState', status: 'Ready', clickToDialEnabled: true })
            );
            await publishState({ agent: agentView('Busy'), calls: [callView('Connected')] });
            const last = (publish as jest.Mock).mock.calls
                .map((call) => call[2])
                .filter((message) => message.type === 'phoneState')
                .pop();
            expect(last).toEqual(expect.objectContaining({ status: 'Busy', clickToDialEnabled: false }));
        });
    });

    describe('browser notifications (F3)', () => {
        class FakeNotification {
            static permission = 'granted';
            static requestPermission = jest.fn(() => Promise.resolve('granted'));
            static shown: FakeNotification[] = [];
            onclick: (() => void) | null = null;
            close = jest.fn();
            constructor(
                public title: string,
                public options: { body: string; tag: string }
            ) {
                FakeNotification.shown.push(this);
            }
        }

        beforeEach(() => {
            FakeNotification.shown = [];
            FakeNotification.permission = 'granted';
            (window as unknown as Record<string, unknown>).Notification = FakeNotification;
        });

        const incomingNotification = {
            kind: 'incoming-call' as const,
            tag: 'ia-1',
            interactionId: 'ia-1',
            name: HOSTILE_NAME,
            company: 'Acme',
            numberDisplay: '600 700 800'
        };

        it('notifies an incoming call while the page is hidden; a click opens the phone', async () => {
            const { session } = await ready();
            setVisibility('hidden');
            jest.spyOn(window, 'focus').mockImplementation(() => undefined);
            session.emit('notification', incomingNotification);
            expect(FakeNotification.shown).toHaveLength(1);
            const [shown] = FakeNotification.shown;
            expect(shown.title).toBe('c.Phone_Notify_IncomingTitle');
            expect(shown.options).toEqual({ body: `${HOSTILE_NAME}\nAcme\n600 700 800`, tag: 'ia-1' });
            shown.onclick!();
            expect(window.focus).toHaveBeenCalled();
            expect(openUtility).toHaveBeenCalledWith(UTILITY_ID);
            expect(shown.close).toHaveBeenCalled();
        });

        it("writes the notification with the admin's template (call and CRM fields, plain text)", async () => {
            installFakeCore({ renderNotificationTemplate });
            mocked(getSettings).mockResolvedValue({
                ...SETTINGS,
                notificationTemplate: '{name} · {company}\n{number} ({campaign})'
            });
            const { session } = await ready();
            setVisibility('hidden');
            session.emit('notification', { ...incomingNotification, campaign: 'Sales' });
            expect(FakeNotification.shown[0].options).toEqual({
                body: `${HOSTILE_NAME} · Acme\n600 700 800 (Sales)`,
                tag: 'ia-1'
            });
        });

        it('does not notify while the page is visible or without permission', async () => {
            const { session } = await ready();
            session.emit('notification', incomingNotification);
            setVisibility('hidden');
            FakeNotification.permission = 'denied';
            session.emit('notification', incomingNotification);
            expect(FakeNotification.shown).toHaveLength(0);
        });

        it('toasts a refused call log while visible', async () => {
            const { element, session } = await ready();
            const shown = toasts(element);
            session.emit('notification', { ...incomingNotification, kind: 'call-log-needs-attention' });
            expect(shown).toEqual([{ message: 'c.PhoneError_CallLogNeedsAttention', variant: 'warning' }]);
        });

        it('asks for permission only from the button (a user gesture), never on load', async () => {
            FakeNotification.permission = 'default';
            const { element } = await ready();
            expect(FakeNotification.requestPermission).not.toHaveBeenCalled();
            (shadow(element).querySelectorAll('[role="tab"]')[2] as HTMLElement).click();
            await settle();
            query(element, 'enable-notifications').click();
            await settle();
            expect(FakeNotification.requestPermission).toHaveBeenCalledTimes(1);
            expect(query(element, 'enable-notifications')).toBeNull();
            expect(query(element, 'notification-status').textContent).toBe('c.Phone_Notify_Enabled');
        });
    });

    it('renders hostile caller names as text everywhere in the phone', async () => {
        const hostile = callerCard({ name: HOSTILE_NAME, displayName: HOSTILE_NAME, company: HOSTILE_NAME });
        const incoming = callView('Ringing', { id: 'call-2', caller: hostile });
        const { element } = await ready({
            agent: agentView('Busy'),
            calls: [callView('Connected', { caller: hostile }), incoming],
            incoming,
            recentCalls: [recentCall({ name: HOSTILE_NAME })]
        });
        expect(deepText(shadow(element))).toContain(HOSTILE_NAME);
        expect(deepQueryAll(shadow(element), 'img')).toHaveLength(0);
    });

    it('is accessible with a call in progress', async () => {
        const { element } = await ready({
            agent: agentView('Busy'),
            calls: [callView('Connected')],
            recentCalls: [recentCall()]
        });
        await expect(element).toBeAccessible();
    });

    it('imports only @AuraEnabled methods that exist in the Apex controllers', () => {
        // a renamed or removed controller method must fail here, not at deploy time
        const source = readFileSync(join(__dirname, '..', 'webPhone.ts'), 'utf8');
        const imported = [...source.matchAll(/@salesforce\/apex\/([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)/g)].map(
            (m) => `${m[1]}.${m[2]}`
        );
        expect(imported.sort()).toEqual([...APEX].sort());
        for (const name of imported) {
            const [className, method] = name.split('.');
            const apex = readFileSync(
                join(__dirname, '../../../classes/controllers', `${className}.cls`),
                'utf8'
            );
            expect(apex).toMatch(new RegExp(`@AuraEnabled[^\\n]*\\n\\s*public static [^(]+\\b${method}\\(`));
        }
    });
    it('notes typed during the call go into its wrap-up draft and show what the draft holds (B7)', async () => {
        const { element, session } = await ready({
            calls: [callView('Connected')],
            interactions: [
                interactionView({
                    interactionId: 'ia-1',
                    draft: { ...interactionView().draft, notes: 'Kept' }
                })
            ]
        });
        const notes = query(element, 'call-notes');
        expect(notes.value).toBe('Kept');
        notes.dispatchEvent(new CustomEvent('change', { detail: { value: 'Kept and more' } }));
        await settle();
        expect(session.calls).toContainEqual(['updateWrapUp', { notes: 'Kept and more' }, 'ia-1']);
    });

    describe('sign out of the phone (issue 11, finding 5)', () => {
        const signOut = (element: HTMLElement): any =>
            panel(element, 'settings').querySelector('c-phone-sign-out') as any;
        const panel = (element: HTMLElement, name: string): HTMLElement =>
            query(element, `panel-${name}`) as HTMLElement;
        const signOutButton = (element: HTMLElement): any =>
            signOut(element).shadowRoot.querySelector('[data-id="sign-out"]');

        it('sends the signOut command from the settings tab and shows the signed-out panel when the phone ends', async () => {
            const { element, session, publishState } = await ready();
            expect(signOutButton(element).disabled).toBe(false);
            signOutButton(element).click();
            await settle();
            expect(session.calls).toContainEqual(['signOut']);

            await publishState({ started: false, role: 'stopped' });
            const signedOut = child(element, 'c-phone-sign-out') as any;
            expect(signedOut.signedOut).toBe(true);
            expect(signedOut.shadowRoot.querySelector('[data-id="signed-out"]')).not.toBeNull();
            expect(child(element, 'c-phone-status')).toBeNull();
        });

        it('is off during a call: phone-core refuses a sign-out in a call', async () => {
            const { element, publishState } = await ready({ calls: [callView('Connected')] });
            expect(signOut(element).inCall).toBe(true);
            expect(signOutButton(element).disabled).toBe(true);
            await publishState({ calls: [], incoming: callView('Ringing') });
            expect(signOutButton(element).disabled).toBe(true);
            await publishState({ calls: [], incoming: null });
            expect(signOutButton(element).disabled).toBe(false);
        });

        it('keeps the phone when the sign-out is refused (unsent logs): the error banner says why', async () => {
            const { element, session, publishState } = await ready();
            (session.signOut as jest.Mock).mockResolvedValueOnce({ ok: false, error: 'call-logs-unsent' });
            signOutButton(element).click();
            await settle();
            await publishState({
                error: { code: 'call-logs-unsent', at: 1, detail: '1 call log(s) not saved yet' } as any
            });
            expect(child(element, 'c-phone-sign-out').signedOut).toBe(false);
            expect(query(element, 'error')).not.toBeNull();
            expect(signOutButton(element).disabled).toBe(false);
        });

        it('a signed-out phone starts again with a new session', async () => {
            const { element, publishState } = await ready();
            await publishState({ started: false, role: 'stopped' });
            const before = FakePhoneSession.instances.length;
            (child(element, 'c-phone-sign-out') as any).shadowRoot
                .querySelector('[data-id="start-phone"]')
                .click();
            await settle();
            expect(FakePhoneSession.instances.length).toBe(before + 1);
            expect(FakePhoneSession.instances[before].start).toHaveBeenCalled();
            expect(child(element, 'c-phone-sign-out').signedOut).toBeFalsy();
        });

        it('is not "signed out" before the phone ever started', async () => {
            const { element } = await ready({ started: false, role: 'starting' });
            expect(child(element, 'c-phone-sign-out')?.signedOut ?? false).toBe(false);
            expect(child(element, 'c-phone-status')).not.toBeNull();
        });
    });
});
