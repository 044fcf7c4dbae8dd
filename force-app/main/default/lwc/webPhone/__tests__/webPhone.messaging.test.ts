/**
 * c-web-phone: the message channel (click-to-dial) and browser notifications.
 */
import { renderNotificationTemplate } from '../../../../../../phone-core/src/notification-template';
import { deliverMessage, publish } from 'lightning/messageService';
import { open as openUtility, UTILITY_ID } from 'lightning/platformUtilityBarApi';
import WEBPHONE_CHANNEL from '@salesforce/messageChannel/WebPhone__c';
import { installFakeCore } from '../../../../../test/jest-fixtures/fakePhoneSession';
import { agentView, callView, HOSTILE_NAME } from '../../../../../test/jest-fixtures/phoneState';
import {
    getSettings,
    mocked,
    query,
    ready,
    settle,
    setVisibility,
    SETTINGS,
    shadow,
    toasts,
    useWebPhoneFixture
} from './webPhoneHarness';

describe('c-web-phone', () => {
    useWebPhoneFixture();

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
});
