/**
 * SipPhone outbound calls on the fake transport: dialling, ringback, failures, CANCEL and BYE.
 */
import { connectedOutbound, registeredRig } from './sip-call-rig';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('outbound', () => {
    it('dial -> 180 (local ringback) -> 200 -> connected', async () => {
        const rig = await registeredRig();
        const dialled = await rig.phone.dial('+48 600 700 800', { originRecordId: '001xx' });
        expect(dialled.ok).toBe(true);
        const callId = dialled.ok ? dialled.snapshot.id : '';
        await rig.advance(10);
        const invite = rig.server.lastRequest('INVITE');
        expect(invite?.ruri?.toString()).toBe('sip:+48600700800@fake.test');
        expect(rig.phone.call(callId)).toMatchObject({
            state: 'Dialing',
            originRecordId: '001xx',
            direction: 'Outbound'
        });
        rig.server.respond(invite!, 180);
        await rig.advance(10);
        expect(rig.phone.call(callId)).toMatchObject({ state: 'Progress', earlyMedia: false });
        expect(rig.media.tones).toEqual([{ kind: 'ringback', sinkId: undefined, stopped: false }]);
        rig.server.answer(invite!, ['X-CC-Interaction-Id: cc-77']);
        await rig.advance(10);
        expect(rig.phone.call(callId)).toMatchObject({ state: 'Connected', interactionId: 'cc-77' });
        expect(rig.media.tones[0].stopped).toBe(true);
        expect(rig.server.requests('ACK').some((a) => a.callId === invite!.callId)).toBe(true);
        expect(rig.events.updated.map((s) => s.state)).toEqual(['Dialing', 'Progress', 'Connected']);
        await rig.phone.stop();
    });

    it('183 with SDP is early media: no local ringback', async () => {
        const rig = await registeredRig();
        const dialled = await rig.phone.dial('600700800');
        await rig.advance(10);
        const invite = rig.server.lastRequest('INVITE')!;
        rig.server.respond(invite, 183, { sdp: true });
        await rig.advance(10);
        expect(rig.phone.call(dialled.ok ? dialled.snapshot.id : '')).toMatchObject({
            state: 'Progress',
            earlyMedia: true
        });
        expect(rig.media.tones).toEqual([]);
        await rig.phone.stop();
    });

    it('404 Not Found -> failed with the SIP code and reason, once', async () => {
        const rig = await registeredRig();
        await rig.phone.dial('999');
        await rig.advance(10);
        rig.server.respond(rig.server.lastRequest('INVITE')!, 404, { reason: 'Not Found' });
        await rig.advance(10);
        expect(rig.events.ended).toHaveLength(1);
        expect(rig.events.ended[0]).toMatchObject({
            outcome: 'Failed',
            endedBy: 'failure',
            sipFailure: { code: 404, reason: 'Not Found' }
        });
        await rig.phone.stop();
    });

    it.each([
        [486, 'Busy'],
        [603, 'Rejected'],
        [480, 'NoAnswer']
    ])('%p -> %s', async (status, outcome) => {
        const rig = await registeredRig();
        await rig.phone.dial('600700800');
        await rig.advance(10);
        rig.server.respond(rig.server.lastRequest('INVITE')!, status);
        await rig.advance(10);
        expect(rig.events.ended[0]).toMatchObject({ outcome, sipFailure: { code: status } });
        await rig.phone.stop();
    });

    it('hang up while ringing sends CANCEL', async () => {
        const rig = await registeredRig();
        const dialled = await rig.phone.dial('600700800');
        await rig.advance(10);
        const invite = rig.server.lastRequest('INVITE')!;
        rig.server.respond(invite, 180);
        await rig.advance(10);
        await rig.phone.hangup(dialled.ok ? dialled.snapshot.id : '');
        await rig.advance(10);
        expect(rig.server.requests('CANCEL').map((c) => c.callId)).toEqual([invite.callId]);
        expect(rig.events.ended).toHaveLength(1);
        expect(rig.events.ended[0]).toMatchObject({ outcome: 'Cancelled', endedBy: 'local' });
        await rig.phone.stop();
    });

    it('no answer within the dial timeout -> CANCEL, NoAnswer', async () => {
        const rig = await registeredRig({ dialTimeoutMs: 30000 });
        await rig.phone.dial('600700800');
        await rig.advance(10);
        rig.server.respond(rig.server.lastRequest('INVITE')!, 180);
        await rig.advance(30000);
        expect(rig.server.requests('CANCEL')).toHaveLength(1);
        expect(rig.events.ended[0]).toMatchObject({ outcome: 'NoAnswer', endedBy: 'timeout' });
        await rig.phone.stop();
    });

    it('refuses bad targets and a second call without consultation', async () => {
        const rig = await registeredRig();
        expect(await rig.phone.dial('')).toMatchObject({ ok: false });
        expect(await rig.phone.dial('<script>')).toMatchObject({ ok: false });
        await connectedOutbound(rig);
        expect(await rig.phone.dial('600700801')).toMatchObject({
            ok: false,
            message: expect.stringContaining('consultation')
        });
        await rig.phone.stop();
    });

    it('hang up a connected call sends BYE', async () => {
        const rig = await registeredRig();
        const { callId, invite } = await connectedOutbound(rig);
        await rig.phone.hangup(callId);
        await rig.advance(10);
        expect(rig.server.requests('BYE').map((b) => b.callId)).toEqual([invite.callId]);
        expect(rig.events.ended).toHaveLength(1);
        expect(rig.events.ended[0]).toMatchObject({ outcome: 'Answered', endedBy: 'local' });
        await rig.phone.stop();
    });
});
