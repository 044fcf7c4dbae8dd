/**
 * What the connector asks of the contact centre besides SIP: the directory (GET_PHONE_CONTACTS), recording
 * pause / resume, signed recording URLs; and what happens when the contact centre says no.
 */
import { advance, connected, loggedInRig } from './harness';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

interface ContactEvent {
    contacts: Array<{
        id: string;
        type: string;
        name: string;
        phoneNumber: string;
        availability: string | null;
    }>;
    contactTypes: string[];
}

describe('GET_PHONE_CONTACTS', () => {
    it('lists the contact centre agents (with availability) and queues as transfer targets', async () => {
        const rig = await loggedInRig();
        await rig.request('GET_PHONE_CONTACTS', {});
        const [result] = rig.softphone.events<ContactEvent>('PHONE_CONTACTS');
        expect(result.contactTypes).toEqual(['Agent', 'Queue']);
        expect(result.contacts.map((c) => [c.id, c.type, c.phoneNumber, c.availability])).toEqual([
            ['agt-102', 'Agent', '102', 'AVAILABLE'],
            ['agt-103', 'Agent', '103', 'BUSY'],
            ['q-sales', 'Queue', 'queue-sales', null]
        ]);
        await rig.connector.logout();
    });

    it('filters by name or number (contains), by type, and pages', async () => {
        const rig = await loggedInRig();
        await rig.request('GET_PHONE_CONTACTS', { filter: { contains: 'sales' } });
        await rig.request('GET_PHONE_CONTACTS', { filter: { type: 'AGENT', limit: 1, offset: 1 } });
        await rig.request('GET_PHONE_CONTACTS', { filter: { type: 'AVAILABLE' } });
        const results = rig.softphone
            .events<ContactEvent>('PHONE_CONTACTS')
            .map((r) => r.contacts.map((c) => c.id));
        expect(results).toEqual([['q-sales'], ['agt-103'], ['agt-102']]);
        await rig.connector.logout();
    });

    it('a directory the contact centre cannot give: CAN_NOT_GET_PHONE_CONTACTS', async () => {
        const rig = await loggedInRig({
            contactCentre: { listTransferTargets: () => Promise.reject(new Error('503 directory down')) }
        });
        await rig.request('GET_PHONE_CONTACTS', {});
        expect(rig.softphone.errors()).toEqual(['CAN_NOT_GET_PHONE_CONTACTS']);
        await rig.connector.logout();
    });
});

describe('recording', () => {
    it('PAUSE_RECORDING / RESUME_RECORDING ask the contact centre for the interaction; the call info follows', async () => {
        const rig = await loggedInRig();
        await rig.request('SET_AGENT_STATUS', {
            agentStatus: 'Online',
            statusInfo: { statusApiName: 'Available' }
        });
        await connected(rig, 'int-9');
        await rig.request('PAUSE_RECORDING', { call: { callId: 'int-9' } });
        const [paused] = (await rig.connector.getActiveCalls()).activeCalls;
        expect(paused.callInfo.isRecordingPaused).toBe(true);
        await rig.request('RESUME_RECORDING', { call: { callId: 'int-9' } });
        expect(rig.recordingCalls).toEqual([
            { interactionId: 'int-9', paused: true },
            { interactionId: 'int-9', paused: false }
        ]);
        expect(rig.softphone.events('RECORDING_TOGGLE')).toEqual([
            expect.objectContaining({ isRecordingPaused: true, contactId: 'int-9' }),
            expect.objectContaining({ isRecordingPaused: false, contactId: 'int-9' })
        ]);
        await rig.connector.logout();
    });

    it('a contact centre that refuses: CAN_NOT_PAUSE_RECORDING, the call info unchanged', async () => {
        const rig = await loggedInRig({
            contactCentre: { setRecordingPaused: () => Promise.reject(new Error('409 not recording')) }
        });
        await rig.request('SET_AGENT_STATUS', {
            agentStatus: 'Online',
            statusInfo: { statusApiName: 'Available' }
        });
        await connected(rig, 'int-10');
        await rig.request('PAUSE_RECORDING', { call: { callId: 'int-10' } });
        expect(rig.softphone.errors()).toEqual(['CAN_NOT_PAUSE_RECORDING']);
        expect((await rig.connector.getActiveCalls()).activeCalls[0].callInfo.isRecordingPaused).toBe(false);
        await rig.connector.logout();
    });

    it('a contact centre without recording control: RESUME_RECORDING is CAN_NOT_RESUME_RECORDING', async () => {
        const rig = await loggedInRig({ contactCentre: { setRecordingPaused: undefined } });
        await rig.request('SET_AGENT_STATUS', {
            agentStatus: 'Online',
            statusInfo: { statusApiName: 'Available' }
        });
        await connected(rig, 'int-11');
        await rig.request('RESUME_RECORDING', { call: { callId: 'int-11' } });
        expect(rig.softphone.errors()).toEqual(['CAN_NOT_RESUME_RECORDING']);
        await rig.connector.logout();
    });

    it('GET_SIGNED_RECORDING_URL: the contact centre signs a playback URL for the VoiceCall', async () => {
        const rig = await loggedInRig();
        await rig.request('GET_SIGNED_RECORDING_URL', {
            recordingUrl: 'https://cc.fake.test/recordings/int-9',
            vendorCallKey: 'int-9',
            callId: '0LQxx0000004CaHGAU'
        });
        expect(rig.softphone.events('SIGNED_RECORDING_URL')).toEqual([
            {
                success: true,
                url: 'https://cc.fake.test/recordings/int-9?sig=abc',
                duration: 42,
                callId: '0LQxx0000004CaHGAU'
            }
        ]);
        await rig.connector.logout();
    });

    it('a recording the contact centre cannot sign: SIGNED_RECORDING_URL success false (the player says so)', async () => {
        const rig = await loggedInRig({
            contactCentre: { getSignedRecording: () => Promise.reject(new Error('404 no recording')) }
        });
        await rig.request('GET_SIGNED_RECORDING_URL', {
            recordingUrl: '',
            vendorCallKey: 'int-0',
            callId: '0LQ'
        });
        expect(rig.softphone.events('SIGNED_RECORDING_URL')).toEqual([
            expect.objectContaining({ success: false })
        ]);
        await advance(rig);
        await rig.connector.logout();
    });
});
