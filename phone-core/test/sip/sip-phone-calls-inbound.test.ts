/**
 * SipPhone inbound calls on the fake transport: ringing, answering, rejecting, busy and hostile headers.
 */
import { MicrophoneError } from '../../src/sip/media';
import { directionOf } from '../fakes/fake-sip-wire';
import { connectedInbound, finalStatuses, registeredRig, ring } from './sip-call-rig';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('inbound', () => {
    it('rings with caller and call data, answers with 200 OK, plays the remote audio on the chosen speaker', async () => {
        const rig = await registeredRig();
        await rig.phone.setAudioDevices({ output: 'speaker-2', ring: 'ring-1' });
        const { fake, callId, snapshot } = await ring(rig, {
            displayName: 'Jan Kowalski',
            headers: ['X-CC-Interaction-Id: int-42', 'X-CC-Queue: Sales', 'X-CC-Ivr-Code: 12 34']
        });
        expect(snapshot).toMatchObject({
            state: 'Ringing',
            direction: 'Inbound',
            interactionId: 'int-42',
            remote: { number: '+48600700800', displayName: 'Jan Kowalski' },
            callData: { queue: 'Sales', ivrCode: '1234', generated: false }
        });
        expect(rig.server.responses('INVITE').map((r) => r.statusCode)).toEqual([100, 180]);
        expect(rig.media.tones).toEqual([{ kind: 'ring', sinkId: 'ring-1', stopped: false }]);
        const answered = await rig.phone.answer(callId);
        await rig.advance(10);
        expect(answered.ok).toBe(true);
        expect(finalStatuses(rig, fake.callId)).toEqual([200]);
        expect(rig.media.tones[0].stopped).toBe(true);
        expect(rig.phone.call(callId)).toMatchObject({ state: 'Connected', answeredAt: expect.any(Number) });
        expect(rig.media.outputs).toHaveLength(1);
        expect(rig.media.outputs[0].sinkIds).toEqual(['speaker-2']);
        expect(rig.media.outputs[0].played).toEqual([rig.sdh.last?.remoteMediaStream]);
        await rig.phone.setAudioDevices({ output: 'speaker-3' });
        expect(rig.media.outputs[0].sinkIds).toEqual(['speaker-2', 'speaker-3']);
        await rig.phone.stop();
    });

    it('the ringtone starts once the host heard of the call (its lookup goes out first)', async () => {
        const rig = await registeredRig();
        const tonesWhenAnnounced: number[] = [];
        rig.phone.on('incomingCall', () => tonesWhenAnnounced.push(rig.media.tones.length));
        await ring(rig);
        expect(tonesWhenAnnounced).toEqual([0]);
        expect(rig.media.tones).toEqual([{ kind: 'ring', sinkId: undefined, stopped: false }]);
        await rig.phone.stop();
    });

    it('reject sends 486 Busy Here (not sip.js default 480)', async () => {
        const rig = await registeredRig();
        const { fake, callId } = await ring(rig);
        const r = await rig.phone.reject(callId);
        await rig.advance(10);
        expect(r.ok).toBe(true);
        expect(finalStatuses(rig, fake.callId)).toEqual([486]);
        expect(rig.events.ended).toHaveLength(1);
        expect(rig.events.ended[0]).toMatchObject({ outcome: 'Rejected', endedBy: 'local' });
        await rig.phone.stop();
    });

    it('hangup on a ringing call rejects it with 486 as well', async () => {
        const rig = await registeredRig();
        const { fake, callId } = await ring(rig);
        await rig.phone.hangup(callId);
        await rig.advance(10);
        expect(finalStatuses(rig, fake.callId)).toEqual([486]);
        await rig.phone.stop();
    });

    it.each([
        [false, 'Missed'],
        [true, 'Cancelled']
    ])('caller CANCEL (completed elsewhere: %p) -> %s, 487 on the wire', async (elsewhere, outcome) => {
        const rig = await registeredRig();
        const { fake } = await ring(rig);
        rig.server.sendCancel(fake, elsewhere);
        await rig.advance(10);
        expect(finalStatuses(rig, fake.callId)).toEqual([487]);
        expect(rig.server.responses('CANCEL').map((r) => r.statusCode)).toEqual([200]);
        expect(rig.events.ended).toHaveLength(1);
        expect(rig.events.ended[0]).toMatchObject({ outcome, endedBy: 'remote' });
        expect(rig.media.tones[0].stopped).toBe(true);
        await rig.phone.stop();
    });

    it('ring timeout -> missed, 480 on the wire', async () => {
        const rig = await registeredRig({ ringTimeoutMs: 20000 });
        const { fake } = await ring(rig);
        await rig.advance(19980);
        expect(rig.events.ended).toHaveLength(0);
        await rig.advance(20);
        expect(finalStatuses(rig, fake.callId)).toEqual([480]);
        expect(rig.events.ended).toHaveLength(1);
        expect(rig.events.ended[0]).toMatchObject({
            outcome: 'Missed',
            endedBy: 'timeout',
            ringDurationMs: 20000
        });
        await rig.phone.stop();
    });

    it('a second inbound call while busy gets 486 and never rings', async () => {
        const rig = await registeredRig();
        const first = await connectedInbound(rig);
        const second = rig.server.sendInvite({ headers: ['X-CC-Interaction-Id: second'] });
        await rig.advance(10);
        expect(finalStatuses(rig, second.callId)).toEqual([486]);
        expect(rig.events.incoming).toHaveLength(1);
        expect(rig.events.busy).toHaveLength(1);
        expect(rig.events.busy[0].callData.interactionId).toBe('second');
        expect(rig.phone.call(first.callId)?.state).toBe('Connected');
        await rig.phone.stop();
    });

    it('call waiting offers a second call, but not a third', async () => {
        const rig = await registeredRig({ callWaiting: true });
        await connectedInbound(rig);
        const second = rig.server.sendInvite();
        await rig.advance(10);
        expect(rig.events.incoming).toHaveLength(2);
        expect(
            rig.server
                .responses('INVITE')
                .filter((r) => r.callId === second.callId)
                .map((r) => r.statusCode)
        ).toEqual([100, 180]);
        const third = rig.server.sendInvite();
        await rig.advance(10);
        expect(finalStatuses(rig, third.callId)).toEqual([486]);
        await rig.phone.stop();
    });

    it('a BYE from the remote party is answered 200 and ends the call once', async () => {
        const rig = await registeredRig();
        const { fake, callId } = await connectedInbound(rig);
        rig.server.sendBye(fake.callId);
        await rig.advance(10);
        expect(rig.server.responses('BYE').map((r) => r.statusCode)).toEqual([200]);
        expect(rig.events.ended).toHaveLength(1);
        expect(rig.events.ended[0]).toMatchObject({ id: callId, outcome: 'Answered', endedBy: 'remote' });
        expect(rig.media.outputs[0].stopped).toBe(true);
        await rig.phone.stop();
        expect(rig.events.ended).toHaveLength(1);
    });

    it('hostile, duplicated, empty and 10 kB headers: the call still rings, values cleaned and cut', async () => {
        const rig = await registeredRig();
        const huge = 'A'.repeat(10 * 1024);
        const { fake, snapshot } = await ring(rig, {
            displayName: '<img src=x onerror=alert(1)>',
            headers: [
                'X-CC-Interaction-Id: first-id',
                'X-CC-Interaction-Id: second-id',
                `X-CC-Campaign-Name: ${huge}`,
                'X-CC-Queue: <script>alert(1)</script>',
                'X-CC-Ivr-Code:',
                'X-CC-Wrap-Seconds: ninety',
                `X-Junk: ${'\u00e9\u0001'.repeat(2000)}`
            ]
        });
        expect(rig.server.responses('INVITE').map((r) => r.statusCode)).toEqual([100, 180]);
        expect(snapshot.state).toBe('Ringing');
        expect(snapshot.remote.displayName).toBe('<img src=x onerror=alert(1)>');
        expect(snapshot.interactionId).toBe('first-id');
        expect(snapshot.callData?.duplicated).toContain('X-CC-Interaction-Id');
        expect(snapshot.callData?.campaignName).toHaveLength(80);
        expect(snapshot.callData?.truncated).toContain('X-CC-Campaign-Name');
        expect(snapshot.callData?.queue).toBe('<script>alert(1)</script>');
        expect(snapshot.callData?.invalid).toContain('X-CC-Wrap-Seconds');
        expect(fake.finalStatus).toBeUndefined();
        await rig.phone.stop();
    });

    it('no call data headers at all: a generated interaction id', async () => {
        const rig = await registeredRig();
        const { snapshot } = await ring(rig, { displayName: '' });
        expect(snapshot.callData?.generated).toBe(true);
        expect(snapshot.interactionId).toMatch(/^[0-9a-f-]{36}$/);
        expect(snapshot.remote.displayName).toBeUndefined();
        await rig.phone.stop();
    });

    it('microphone denied on answer: a clear error, the call ends as failed (once)', async () => {
        const rig = await registeredRig();
        rig.sdh.behaviour.failWith = new MicrophoneError('denied');
        const { fake, callId } = await ring(rig);
        await rig.phone.answer(callId);
        await rig.advance(10);
        expect(rig.events.errors).toContainEqual(
            expect.objectContaining({ kind: 'microphone', code: 'denied', callId })
        );
        expect(rig.events.ended).toHaveLength(1);
        expect(rig.events.ended[0]).toMatchObject({ outcome: 'Failed' });
        expect(finalStatuses(rig, fake.callId)).toEqual([480]);
        // an inbound call's audio element is made once it is established, not while the answer is prepared
        expect(rig.media.outputs).toHaveLength(0);
        await rig.phone.stop();
    });

    it('the remote side holding us is reflected in the snapshot', async () => {
        const rig = await registeredRig();
        const { fake, callId } = await connectedInbound(rig);
        rig.server.sendInDialog(fake.callId, 'INVITE', {
            headers: ['Contact: <sip:caller@proxy.fake.test;transport=ws>'],
            contentType: 'application/sdp',
            body: 'v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=sendonly\r\n'
        });
        await rig.advance(10);
        expect(rig.phone.call(callId)?.remoteHold).toBe(true);
        const answer = rig.server
            .responses('INVITE')
            .filter((r) => r.callId === fake.callId)
            .pop();
        expect(answer?.statusCode).toBe(200);
        expect(directionOf(answer?.body)).toBe('recvonly');
        await rig.phone.stop();
    });
});
