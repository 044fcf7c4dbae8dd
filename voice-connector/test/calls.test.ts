/**
 * Calls through the softphone's requests: inbound accept / decline / end, mute, hold, DTMF, outbound from a
 * record, blind and attended transfer, swap, conference; and the SIP server going away mid-call.
 */
import { advance, connected, consultation, loggedInRig, ring, type VoiceRig } from './harness';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

interface CallEvent {
    callId: string;
    callType: string;
    state: string;
    phoneNumber: string;
    reason?: string;
    contact: { phoneNumber: string; name?: string; recordId?: string };
    callAttributes: { participantType: string; parentId?: string };
    callInfo: { isOnHold: boolean; isMuted: boolean; queueName?: string };
}

async function readyRig(): Promise<VoiceRig> {
    const rig = await loggedInRig();
    await rig.request('SET_AGENT_STATUS', {
        agentStatus: 'Online',
        statusInfo: { statusApiName: 'Available' }
    });
    return rig;
}

function finalStatuses(rig: VoiceRig, sipCallId: string): number[] {
    return rig.sip.server.finalResponsesTo(sipCallId).map((r) => r.statusCode ?? 0);
}

describe('inbound', () => {
    it('an INVITE is CALL_STARTED with the interaction id; ACCEPT_CALL answers (200 OK) and is CALL_CONNECTED', async () => {
        const rig = await readyRig();
        const fake = await ring(rig, 'int-1');
        const [started] = rig.softphone.events<CallEvent>('CALL_STARTED');
        expect(started).toMatchObject({
            callId: 'int-1',
            callType: 'Inbound',
            state: 'ringing',
            phoneNumber: '+48600700800',
            contact: { phoneNumber: '+48600700800', name: 'Jan Kowalski', type: 'PhoneNumber' },
            callAttributes: { participantType: 'Initial_Caller' },
            callInfo: {
                isOnHold: false,
                isMuted: false,
                queueName: 'Support',
                queueId: 'cmp-support',
                isReplayable: false
            }
        });
        await rig.request('ACCEPT_CALL', { call: started });
        expect(finalStatuses(rig, fake.callId)).toEqual([200]);
        expect(rig.softphone.events<CallEvent>('CALL_CONNECTED')).toEqual([
            expect.objectContaining({ callId: 'int-1', state: 'connected' })
        ]);
        expect(rig.statuses()).toEqual(['NotReady', 'Ready', 'Ringing', 'Busy']);
        const active = await rig.connector.getActiveCalls();
        expect(active.activeCalls.map((c) => c.callId)).toEqual(['int-1']);
        await rig.connector.logout();
    });

    it('DECLINE_CALL sends 486 Busy Here; HANGUP exactly once; the agent is back to Ready', async () => {
        const rig = await readyRig();
        const fake = await ring(rig, 'int-2');
        await rig.request('DECLINE_CALL', { call: { callId: 'int-2' } });
        expect(finalStatuses(rig, fake.callId)).toEqual([486]);
        expect(rig.softphone.events<CallEvent>('HANGUP').map((c) => c.callId)).toEqual(['int-2']);
        expect(rig.statuses().at(-1)).toBe('Ready');
        await rig.connector.logout();
    });

    it('a caller who gives up while it rings: one HANGUP, no CALL_CONNECTED', async () => {
        const rig = await readyRig();
        const fake = await ring(rig, 'int-3');
        rig.sip.server.sendCancel(rig.sip.server.inboundCalls.get(fake.callId)!);
        await advance(rig);
        expect(rig.softphone.events<CallEvent[]>('HANGUP')).toEqual([
            [expect.objectContaining({ callId: 'int-3', state: 'ended', reason: 'ended' })]
        ]);
        expect(rig.softphone.events('CALL_CONNECTED')).toEqual([]);
        await rig.connector.logout();
    });

    it('accepting a call that is gone is refused (CAN_NOT_ACCEPT_THE_CALL), nothing on the wire', async () => {
        const rig = await readyRig();
        await rig.request('ACCEPT_CALL', { call: { callId: 'int-unknown', callType: 'Inbound' } });
        expect(rig.softphone.events<{ message: string }>('INFO')).toEqual([
            { message: 'CAN_NOT_ACCEPT_THE_CALL' }
        ]);
        expect(rig.sip.server.responses('INVITE')).toEqual([]);
        await rig.connector.logout();
    });

    it('END_CALL sends BYE; HANGUP once (the base library announces it); the caller hanging up later cannot repeat it', async () => {
        const rig = await readyRig();
        const fake = await connected(rig, 'int-4');
        await rig.request('END_CALL', { call: { callId: 'int-4' }, agentStatus: 'AfterCallWork' });
        expect(rig.sip.server.requests('BYE').map((b) => b.callId)).toEqual([fake.callId]);
        expect(rig.softphone.events<CallEvent[]>('HANGUP')).toEqual([
            [expect.objectContaining({ callId: 'int-4', state: 'ended' })]
        ]);
        await rig.connector.logout();
    });

    it('the caller hangs up: HANGUP with the ended call', async () => {
        const rig = await readyRig();
        const fake = await connected(rig, 'int-5');
        rig.sip.server.sendBye(fake.callId);
        await advance(rig);
        expect(rig.softphone.events<CallEvent[]>('HANGUP')).toEqual([
            [expect.objectContaining({ callId: 'int-5', state: 'ended' })]
        ]);
        await rig.connector.logout();
    });
});

describe('call controls', () => {
    it('MUTE / UNMUTE toggle the microphone: MUTE_TOGGLE true then false', async () => {
        const rig = await readyRig();
        await connected(rig);
        await rig.request('MUTE');
        expect(rig.sip.phone.activeCalls()[0].muted).toBe(true);
        await rig.request('UNMUTE');
        expect(rig.softphone.events('MUTE_TOGGLE')).toEqual([{ isMuted: true }, { isMuted: false }]);
        expect(rig.sip.phone.activeCalls()[0].muted).toBe(false);
        await rig.connector.logout();
    });

    it('MUTE without a call is an error (CAN_NOT_MUTE_CALL)', async () => {
        const rig = await readyRig();
        await rig.request('MUTE');
        expect(rig.softphone.errors()).toEqual(['CAN_NOT_MUTE_CALL']);
        await rig.connector.logout();
    });

    it('HOLD / RESUME re-INVITE sendonly then sendrecv: HOLD_TOGGLE with the customer held, then not', async () => {
        const rig = await readyRig();
        const fake = await connected(rig);
        await rig.request('HOLD', { call: { callId: 'int-1' } });
        await rig.request('RESUME', { call: { callId: 'int-1' } });
        const reInvites = rig.sip.server
            .requests('INVITE')
            .filter((r) => r.callId === fake.callId && r.toTag);
        expect(reInvites.map((r) => /a=(sendonly|sendrecv)/.exec(r.body)?.[1])).toEqual([
            'sendonly',
            'sendrecv'
        ]);
        expect(
            rig.softphone
                .events<{ isCustomerOnHold: boolean; isThirdPartyOnHold: boolean }>('HOLD_TOGGLE')
                .map((e) => [e.isCustomerOnHold, e.isThirdPartyOnHold])
        ).toEqual([
            [true, false],
            [false, false]
        ]);
        await rig.connector.logout();
    });

    it('a hold the far end refuses (488) is CAN_NOT_HOLD_CALL and the call stays connected', async () => {
        const rig = await readyRig();
        await connected(rig);
        rig.sip.server.reInviteOnce.push({ status: 488, reason: 'Not Acceptable Here' });
        await rig.request('HOLD', { call: { callId: 'int-1' } });
        const [toggle] = rig.softphone.events<{ isCustomerOnHold: boolean }>('HOLD_TOGGLE');
        expect(toggle?.isCustomerOnHold ?? false).toBe(false);
        expect(rig.sip.phone.activeCalls()[0].state).toBe('Connected');
        await rig.connector.logout();
    });

    it('SEND_DIGITS: one SIP INFO per digit on the connected call; bad digits are logged, not sent', async () => {
        const rig = await readyRig();
        await connected(rig);
        await rig.request('SEND_DIGITS', { digits: '1#' });
        expect(rig.sip.server.requests('INFO').map((i) => i.body)).toEqual([
            'Signal=1\r\nDuration=160\r\n',
            'Signal=#\r\nDuration=160\r\n'
        ]);
        await rig.request('SEND_DIGITS', { digits: 'x' });
        expect(rig.sip.server.requests('INFO')).toHaveLength(2);
        await rig.connector.logout();
    });

    it('audio devices chosen through the softphone message: the call plays on the new speaker', async () => {
        const rig = await readyRig();
        await connected(rig);
        await rig.request('MESSAGE', {
            message: { type: 'ccphone.audioDevices', devices: { output: 'headset-2', input: 7 } }
        });
        expect(rig.sip.media.outputs[0].sinkIds.at(-1)).toBe('headset-2');
        await rig.connector.logout();
    });
});

describe('outbound', () => {
    it('DIAL from a record: INVITE to the number, CALL_STARTED with the record id, CALL_CONNECTED on answer', async () => {
        const rig = await readyRig();
        await rig.request('DIAL', {
            contact: { phoneNumber: '+48601234567', recordId: '003xx000004TmiQAAS', name: 'Agnieszka Nowak' }
        });
        const invite = rig.sip.server.lastRequest('INVITE')!;
        expect(invite.ruri?.toString()).toBe('sip:+48601234567@fake.test');
        const [started] = rig.softphone.events<CallEvent>('CALL_STARTED');
        expect(started).toMatchObject({
            callType: 'Outbound',
            state: 'ringing',
            contact: { phoneNumber: '+48601234567', recordId: '003xx000004TmiQAAS' }
        });
        expect(rig.statuses().at(-1)).toBe('Busy');
        rig.sip.server.answer(invite);
        await advance(rig);
        expect(rig.softphone.events<CallEvent>('CALL_CONNECTED')).toEqual([
            expect.objectContaining({ callId: started.callId, state: 'connected' })
        ]);
        await rig.request('END_CALL', { call: { callId: started.callId } });
        expect(rig.softphone.events('HANGUP')).toHaveLength(1);
        await rig.connector.logout();
    });

    it('a contact without a number: CALL_FAILED and INVALID_DESTINATION, nothing dialled', async () => {
        const rig = await readyRig();
        await rig.request('DIAL', { contact: { name: 'Nobody' } });
        expect(rig.softphone.eventTypes()).toContain('CALL_FAILED');
        expect(rig.softphone.errors()).toEqual(['INVALID_DESTINATION']);
        expect(rig.sip.server.requests('INVITE')).toEqual([]);
        await rig.connector.logout();
    });

    it('a record phone in any format is dialled as E.164 with the org country from the contact center', async () => {
        const rig = await loggedInRig({ config: { '/reqCcphone/reqDefaultCountry': 'PL' } });
        await rig.request('DIAL', {
            contact: { phoneNumber: '600-700-800', recordId: '003xx000004TmiQAAS' }
        });
        expect(rig.sip.server.lastRequest('INVITE')?.ruri?.toString()).toBe('sip:+48600700800@fake.test');
        expect(rig.softphone.errors()).toEqual([]);
        await rig.connector.logout();
    });

    it('a number that cannot be dialled: INVALID_DESTINATION', async () => {
        const rig = await readyRig();
        await rig.request('DIAL', { contact: { phoneNumber: 'call me maybe' } });
        expect(rig.softphone.errors()).toEqual(['INVALID_DESTINATION']);
        expect(rig.sip.server.requests('INVITE')).toEqual([]);
        await rig.connector.logout();
    });

    it('dialling a directory contact (agent id) uses its number', async () => {
        const rig = await readyRig();
        await rig.request('DIAL', { contact: { id: 'agt-102', type: 'Agent' } });
        expect(rig.sip.server.lastRequest('INVITE')?.ruri?.toString()).toBe('sip:102@fake.test');
        await rig.connector.logout();
    });
});

describe('transfers and conference', () => {
    it('blind transfer: REFER to the target, PARTICIPANT_ADDED (initial call ended) once the target answered, HANGUP once', async () => {
        const rig = await readyRig();
        rig.sip.server.referNotifyStatus = 200;
        const fake = await connected(rig);
        await rig.request('ADD_PARTICIPANT', {
            contact: { id: 'q-sales', type: 'Queue' },
            call: { callId: 'int-1' },
            isBlindTransfer: true
        });
        expect(rig.sip.server.lastRequest('REFER')?.getHeader('refer-to')).toBe('sip:queue-sales@fake.test');
        expect(rig.softphone.events('PARTICIPANT_ADDED')).toEqual([
            expect.objectContaining({
                initialCallHasEnded: true,
                phoneNumber: 'queue-sales',
                callId: 'int-1'
            })
        ]);
        expect(rig.sip.server.requests('BYE').map((b) => b.callId)).toEqual([fake.callId]);
        expect(rig.softphone.events('HANGUP')).toHaveLength(1);
        expect(rig.statuses().at(-1)).toBe('Ready');
        await rig.connector.logout();
    });

    it('a blind transfer the target refuses (NOTIFY 486: busy or not ready) keeps the call: CAN_NOT_ADD_PARTICIPANT, no HANGUP', async () => {
        const rig = await readyRig();
        rig.sip.server.referNotifyStatus = 486;
        await connected(rig);
        await rig.request('ADD_PARTICIPANT', {
            contact: { phoneNumber: '102' },
            call: { callId: 'int-1' },
            isBlindTransfer: true
        });
        expect(rig.sip.server.requests('REFER')).toHaveLength(1);
        expect(rig.sip.server.requests('BYE')).toEqual([]);
        expect(rig.sip.phone.activeCalls()).toEqual([expect.objectContaining({ state: 'Connected' })]);
        expect(rig.softphone.errors()).toEqual(['CAN_NOT_ADD_PARTICIPANT']);
        expect(rig.softphone.events('HANGUP')).toEqual([]);
        expect(rig.softphone.events('PARTICIPANT_ADDED')).toEqual([]);
        await rig.connector.logout();
    });

    it('a refused blind transfer keeps the call (REFER 403): CAN_NOT_ADD_PARTICIPANT, no HANGUP', async () => {
        const rig = await readyRig();
        await connected(rig);
        rig.sip.server.referStatus = 403;
        await rig.request('ADD_PARTICIPANT', {
            contact: { phoneNumber: '102' },
            call: { callId: 'int-1' },
            isBlindTransfer: true
        });
        expect(rig.sip.phone.activeCalls()).toEqual([expect.objectContaining({ state: 'Connected' })]);
        expect(rig.softphone.errors()).toEqual(['CAN_NOT_ADD_PARTICIPANT']);
        expect(rig.softphone.events('HANGUP')).toEqual([]);
        expect(rig.softphone.events('PARTICIPANT_ADDED')).toEqual([]);
        await rig.connector.logout();
    });

    it('attended transfer: consultation (customer held), PARTICIPANT_CONNECTED, swap both ways, then leaving hands the customer over (REFER with Replaces)', async () => {
        const rig = await readyRig();
        rig.sip.server.referNotifyStatus = 200;
        const fake = await connected(rig);
        const consultInvite = await consultation(rig, fake.callId, '102');
        expect(consultInvite.ruri?.toString()).toBe('sip:102@fake.test');
        const [added] = rig.softphone.events<{
            callId: string;
            initialCallHasEnded: boolean;
            callInfo: { initialCallId: string };
        }>('PARTICIPANT_ADDED');
        expect(added).toMatchObject({
            initialCallHasEnded: false,
            phoneNumber: '102',
            callInfo: { initialCallId: 'int-1' }
        });
        expect(rig.softphone.events('PARTICIPANT_CONNECTED')).toEqual([
            expect.objectContaining({ callId: added.callId })
        ]);
        const third = { callId: added.callId, callAttributes: { participantType: 'Third_Party' } };
        const customer = { callId: 'int-1', callAttributes: { participantType: 'Initial_Caller' } };
        await rig.request('SWAP_PARTICIPANTS', { callToHold: third, callToResume: customer });
        await rig.request('SWAP_PARTICIPANTS', { callToHold: customer, callToResume: third });
        expect(
            rig.softphone
                .events<{ isCustomerOnHold: boolean; isThirdPartyOnHold: boolean }>('HOLD_TOGGLE')
                .map((e) => [e.isCustomerOnHold, e.isThirdPartyOnHold])
        ).toEqual([
            [false, true],
            [true, false]
        ]);
        await rig.request('END_CALL', { call: customer });
        const refer = rig.sip.server.lastRequest('REFER')!;
        expect(refer.callId).toBe(fake.callId);
        expect(decodeURIComponent(refer.getHeader('refer-to') ?? '')).toContain(
            `Replaces=${consultInvite.callId}`
        );
        const [hangup] = rig.softphone.events<CallEvent[]>('HANGUP');
        expect(hangup.map((c) => c.callId).sort()).toEqual([added.callId, 'int-1'].sort());
        expect(rig.softphone.events('PARTICIPANT_REMOVED')).toEqual([]);
        expect(rig.sip.phone.activeCalls()).toEqual([]);
        await rig.connector.logout();
    });

    it('conference: CONFERENCE mixes the customer and the third party; both off hold', async () => {
        const rig = await readyRig();
        const fake = await connected(rig);
        await consultation(rig, fake.callId, '102');
        await rig.request('CONFERENCE', { calls: [] });
        const toggles = rig.softphone.events<{ isCustomerOnHold: boolean; isThirdPartyOnHold: boolean }>(
            'HOLD_TOGGLE'
        );
        expect(toggles.at(-1)).toMatchObject({ isCustomerOnHold: false, isThirdPartyOnHold: false });
        expect(rig.sip.phone.activeCalls().map((c) => c.conference?.active)).toEqual([true, true]);
        expect(rig.sip.media.audioContexts).toHaveLength(1);
        await rig.request('END_CALL', { call: { callId: 'int-1' } });
        expect(rig.sip.phone.activeCalls()).toEqual([]);
        expect(rig.softphone.events('HANGUP')).toHaveLength(1);
        await rig.connector.logout();
    });

    it('the consulted party hangs up: PARTICIPANT_REMOVED, the customer stays (on hold)', async () => {
        const rig = await readyRig();
        const fake = await connected(rig);
        const consultInvite = await consultation(rig, fake.callId, '102');
        rig.sip.server.sendBye(consultInvite.callId);
        await advance(rig);
        expect(rig.softphone.events('PARTICIPANT_REMOVED')).toHaveLength(1);
        expect(rig.softphone.events('HANGUP')).toEqual([]);
        expect(rig.sip.phone.activeCalls()).toEqual([expect.objectContaining({ state: 'OnHold' })]);
        await rig.connector.logout();
    });

    it('removing the third party (END_CALL on its leg) hangs up only that leg', async () => {
        const rig = await readyRig();
        const fake = await connected(rig);
        const consultInvite = await consultation(rig, fake.callId, '102');
        const [added] = rig.softphone.events<{ callId: string }>('PARTICIPANT_ADDED');
        await rig.request('END_CALL', {
            call: { callId: added.callId, callAttributes: { participantType: 'Third_Party' } }
        });
        expect(rig.sip.server.requests('BYE').map((b) => b.callId)).toEqual([consultInvite.callId]);
        expect(rig.softphone.events('PARTICIPANT_REMOVED')).toHaveLength(1);
        expect(rig.sip.phone.activeCalls()).toHaveLength(1);
        await rig.connector.logout();
    });

    it('a consultation target that does not exist (404): PARTICIPANT_REMOVED, the customer stays held', async () => {
        const rig = await readyRig();
        const fake = await connected(rig);
        await rig.request('ADD_PARTICIPANT', {
            contact: { phoneNumber: '999' },
            call: { callId: 'int-1' },
            isBlindTransfer: false
        });
        const invite = rig.sip.server.requests('INVITE').find((r) => !r.toTag && r.callId !== fake.callId)!;
        rig.sip.server.respond(invite, 404, { reason: 'Not Found' });
        await advance(rig);
        expect(rig.softphone.events('PARTICIPANT_REMOVED')).toHaveLength(1);
        expect(rig.sip.phone.activeCalls()).toEqual([
            expect.objectContaining({ role: 'primary', state: 'OnHold' })
        ]);
        await rig.connector.logout();
    });
});

describe('faults', () => {
    it('the SIP server goes away mid-call: SOFTPHONE_ERROR, the call is kept, re-registered when it is back', async () => {
        const rig = await readyRig();
        await connected(rig);
        const registersBefore = rig.sip.server.requests('REGISTER').length;
        rig.sip.server.dropConnection();
        await advance(rig);
        expect(rig.softphone.errors()).toEqual(['GENERIC_ERROR']);
        expect(rig.softphone.events('HANGUP')).toEqual([]);
        expect((await rig.connector.getActiveCalls()).activeCalls.map((c) => c.callId)).toEqual(['int-1']);
        await advance(rig, 5000);
        expect(rig.sip.server.requests('REGISTER').length).toBeGreaterThan(registersBefore);
        expect(rig.sip.server.isRegistered).toBe(true);
        await rig.connector.logout();
    });

    it('the SIP server is gone for good: after the call the agent is in Error, not Ready', async () => {
        const rig = await readyRig();
        const fake = await connected(rig);
        rig.sip.server.connectMode = 'refuse';
        rig.sip.server.dropConnection();
        await advance(rig);
        void fake;
        await rig.request('END_CALL', { call: { callId: 'int-1' } });
        expect(rig.softphone.events('HANGUP')).toHaveLength(1);
        expect(rig.statuses().at(-1)).toBe('Error');
        await rig.connector.logout();
    });
});
