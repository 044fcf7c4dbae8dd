/**
 * c-web-phone: errors and warnings, and the utility bar.
 */
import {
    getEnclosingUtilityId,
    open as openUtility,
    setUtilityHighlighted,
    setUtilityLabel,
    UTILITY_ID
} from 'lightning/platformUtilityBarApi';
import { callerCard, callView, HOSTILE_NAME } from '../../../../../test/jest-fixtures/phoneState';
import { mocked, query, ready, settle, shadow, useWebPhoneFixture } from './webPhoneHarness';

describe('c-web-phone', () => {
    useWebPhoneFixture();

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
});
