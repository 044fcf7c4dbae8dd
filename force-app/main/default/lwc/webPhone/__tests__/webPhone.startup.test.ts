/**
 * c-web-phone: the Phone Doctor's log and start-up (settings, the core, the session).
 */
import { DoctorLog } from '../../../../../../phone-core/src/doctor/doctor-log';
import { loadScript } from 'lightning/platformResourceLoader';
import { FakePhoneSession, installFakeCore } from '../../../../../test/jest-fixtures/fakePhoneSession';
import { agentView } from '../../../../../test/jest-fixtures/phoneState';
import {
    child,
    getSettings,
    mocked,
    mount,
    query,
    ready,
    settle,
    SETTINGS,
    useWebPhoneFixture
} from './webPhoneHarness';

describe('c-web-phone', () => {
    useWebPhoneFixture();

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
});
