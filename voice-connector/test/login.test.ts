/**
 * init + login, capabilities, agent config, logout; the login's error paths (credentials refused by the
 * contact centre, refused by the SIP registrar, a bad presence mapping).
 */
import { advance, loggedInRig } from './harness';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('login (SETUP_CONNECTOR -> init)', () => {
    it('fetches SIP credentials, registers, then tells the softphone it is ready with its capabilities', async () => {
        const rig = await loggedInRig();
        expect(rig.sip.server.isRegistered).toBe(true);
        expect(rig.sessions.fetched).toBe(1);
        const [ready] = rig.softphone.messages('CONNECTOR_READY');
        expect(ready.payload).toMatchObject({
            agentConfig: { PHONES: [{ type: 'SOFT_PHONE' }], SELECTED_PHONE: { type: 'SOFT_PHONE' } },
            capabilities: {
                MUTE: true,
                RECORD: true,
                MERGE: true,
                SWAP: true,
                SIGNED_RECORDING_URL: true,
                BLIND_TRANSFER: true,
                CONTACT_SEARCH: true,
                VENDOR_PROVIDED_AVAILABILITY: true,
                DEBUG_ENABLED: false,
                VENDOR_PROVIDED_QUEUE_WAIT_TIME: false,
                SUPERVISOR_LISTEN_IN: false,
                SUPERVISOR_BARGE_IN: false,
                MOS: false,
                TRANSFER_TO_OMNI_FLOW: false,
                PENDING_STATUS_CHANGE: false,
                PHONEBOOK: false
            },
            callInProgress: null
        });
        // logged in is not Ready: Omni-Channel presence decides
        expect(rig.statuses()).toEqual(['NotReady']);
        await rig.connector.logout();
    });

    it('advertises no recording control, no recording player and no availability when the host gives none', async () => {
        const rig = await loggedInRig({
            contactCentre: {
                setRecordingPaused: undefined,
                getSignedRecording: undefined,
                agentAvailability: undefined
            }
        });
        const [ready] = rig.softphone.messages('CONNECTOR_READY');
        expect(ready.payload.capabilities).toMatchObject({
            RECORD: false,
            SIGNED_RECORDING_URL: false,
            VENDOR_PROVIDED_AVAILABILITY: false
        });
        await rig.connector.logout();
    });

    it('credentials refused by the contact centre: CAN_NOT_LOG_IN, never ready, no SIP at all', async () => {
        const rig = await loggedInRig({
            contactCentre: { getSipSession: () => Promise.reject(new Error('403 agent has no seat')) },
            expectReady: false
        });
        expect(rig.softphone.messages('CONNECTOR_READY')).toEqual([]);
        expect(rig.softphone.errors()).toEqual(['CAN_NOT_LOG_IN']);
        expect(rig.sip.server.requests('REGISTER')).toEqual([]);
        expect(rig.published).toEqual([]);
    });

    it('credentials refused by the SIP registrar (403 each time): CAN_NOT_LOG_IN, fresh credentials tried, phone stopped', async () => {
        const rig = await loggedInRig({
            expectReady: false,
            prepareSip: (sip) => {
                sip.server.registerBehaviour = 'forbidden';
            }
        });
        for (let i = 0; i < 10 && rig.softphone.errors().length === 0; i++) {
            await advance(rig, 3000);
        }
        expect(rig.softphone.errors()).toEqual(['CAN_NOT_LOG_IN']);
        expect(rig.softphone.messages('CONNECTOR_READY')).toEqual([]);
        expect(rig.sessions.fetched).toBeGreaterThanOrEqual(2);
        const registers = rig.sip.server.requests('REGISTER').length;
        await advance(rig, 60000);
        expect(rig.sip.server.requests('REGISTER').length).toBe(registers);
    });

    it('a presence map that is not JSON: INVALID_PARAMS before any SIP', async () => {
        const rig = await loggedInRig({
            expectReady: false,
            config: { '/reqCcphone/reqStatusMap': '{not json' }
        });
        expect(rig.softphone.errors()).toEqual(['INVALID_PARAMS']);
        expect(rig.sessions.fetched).toBe(0);
    });

    it('a DTMF mode the connector does not know: INVALID_PARAMS', async () => {
        const rig = await loggedInRig({ expectReady: false, config: { '/reqCcphone/reqDtmfMode': 'flash' } });
        expect(rig.softphone.errors()).toEqual(['INVALID_PARAMS']);
        expect(rig.sessions.fetched).toBe(0);
    });

    it('a registrar that never answers: the login gives up after its timeout', async () => {
        const rig = await loggedInRig({
            expectReady: false,
            prepareSip: (sip) => {
                sip.server.registerBehaviour = 'silence';
            }
        });
        await advance(rig, 21000);
        expect(rig.softphone.errors()).toEqual(['CAN_NOT_LOG_IN']);
    });
});

describe('agent config and logout', () => {
    it('only the softphone: a desk phone is refused with CAN_NOT_SET_AGENT_CONFIG', async () => {
        const rig = await loggedInRig();
        await rig.request('SET_AGENT_CONFIG', {
            config: { selectedPhone: { type: 'DESK_PHONE', number: '+48221234567' } }
        });
        expect(rig.softphone.errors()).toEqual(['CAN_NOT_SET_AGENT_CONFIG']);
        await rig.request('SET_AGENT_CONFIG', { config: { selectedPhone: { type: 'SOFT_PHONE' } } });
        expect(rig.softphone.events('AGENT_CONFIG_UPDATED')).toEqual([{ success: true }]);
        await rig.connector.logout();
    });

    it('LOGOUT: Offline published, unregistered (REGISTER Expires: 0), LOGOUT_RESULT success', async () => {
        const rig = await loggedInRig();
        await rig.request('LOGOUT');
        expect(rig.softphone.events('LOGOUT_RESULT')).toEqual([{ success: true, loginFrameHeight: 350 }]);
        expect(rig.statuses()).toEqual(['NotReady', 'Offline']);
        expect(rig.sip.server.isRegistered).toBe(false);
        expect(rig.sip.phone.isStarted).toBe(false);
    });
});
