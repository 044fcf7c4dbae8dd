/**
 * SipPhone call handling on the fake transport: what goes on the wire and what the host sees.
 */
import { MicrophoneError } from '../../src/sip/media';
import { BLIND_TRANSFER_ANSWER_TIMEOUT_MS } from '../../src/sip/in-dialog-requests';
import { createSipRig, type SipRig } from '../fakes/fake-sip-harness';
import { directionOf } from '../fakes/fake-sip-wire';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

async function registeredRig(options: Parameters<typeof createSipRig>[0] = {}): Promise<SipRig> {
    const rig = createSipRig(options);
    await rig.startRegistered();
    return rig;
}

async function ring(rig: SipRig, options: Parameters<SipRig['server']['sendInvite']>[0] = {}) {
    const fake = rig.server.sendInvite(options);
    await rig.advance(10);
    const snapshot = rig.events.incoming[rig.events.incoming.length - 1];
    return { fake, callId: snapshot.id, snapshot };
}

async function connectedInbound(rig: SipRig) {
    const r = await ring(rig);
    await rig.phone.answer(r.callId);
    await rig.advance(10);
    expect(rig.phone.call(r.callId)?.state).toBe('Connected');
    return r;
}

async function connectedOutbound(rig: SipRig, target = '+48600700800') {
    const dialled = await rig.phone.dial(target);
    expect(dialled.ok).toBe(true);
    const callId = dialled.ok ? dialled.snapshot.id : '';
    await rig.advance(10);
    const invite = rig.server.lastRequest('INVITE');
    if (!invite) throw new Error('no INVITE');
    rig.server.answer(invite);
    await rig.advance(10);
    expect(rig.phone.call(callId)?.state).toBe('Connected');
    return { callId, invite };
}

function finalStatuses(rig: SipRig, sipCallId: string): number[] {
    return rig.server.finalResponsesTo(sipCallId).map((r) => r.statusCode ?? 0);
}

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

describe('call controls', () => {
    it('hold and resume by re-INVITE (sdh hold option), negotiated direction verified, media silenced', async () => {
        const rig = await registeredRig();
        const { callId, invite } = await connectedOutbound(rig);
        const sdh = rig.sdh.last!;
        const held = await rig.phone.hold(callId);
        await rig.advance(10);
        expect(held.ok).toBe(true);
        const reInvites = () =>
            rig.server.requests('INVITE').filter((r) => r.callId === invite.callId && r.toTag);
        expect(directionOf(reInvites()[0].body)).toBe('sendonly');
        expect(rig.phone.call(callId)).toMatchObject({ state: 'OnHold', onHold: true });
        const session =
            rig.phone.userAgent &&
            Object.values(
                (
                    rig.phone.userAgent as unknown as {
                        _sessions: Record<
                            string,
                            { sessionDescriptionHandlerOptionsReInvite: { hold?: boolean } }
                        >;
                    }
                )._sessions
            )[0];
        expect(session?.sessionDescriptionHandlerOptionsReInvite.hold).toBe(true);
        expect(sdh.peerConnection.senders[0].track?.enabled).toBe(false);
        expect(sdh.peerConnection.receivers[0].track.enabled).toBe(false);
        await rig.advance(5000);
        const resumed = await rig.phone.resume(callId);
        await rig.advance(10);
        expect(resumed.ok).toBe(true);
        expect(directionOf(reInvites()[1].body)).toBe('sendrecv');
        expect(rig.phone.call(callId)).toMatchObject({
            state: 'Connected',
            onHold: false,
            holdDurationMs: 5010
        });
        expect(sdh.peerConnection.senders[0].track?.enabled).toBe(true);
        await rig.phone.stop();
    });

    it("hold right after answering waits for the caller's ACK (RFC 3261 14.1: one INVITE transaction at a time)", async () => {
        const rig = await registeredRig();
        rig.server.holdAcks = true;
        const { fake, callId } = await ring(rig);
        await rig.phone.answer(callId);
        await rig.advance(10);
        const holding = rig.phone.hold(callId);
        await rig.advance(50);
        const reInvites = () =>
            rig.server.requests('INVITE').filter((r) => r.callId === fake.callId && r.method === 'INVITE');
        // sip.js answers a late ACK that meets our re-INVITE offer with BYE 488: no re-INVITE before the ACK
        expect(rig.server.requests('INVITE').filter((r) => r.callId === fake.callId)).toHaveLength(0);
        rig.server.releaseAck(fake.callId);
        await rig.advance(10);
        expect((await holding).ok).toBe(true);
        expect(reInvites().map((r) => directionOf(r.body))).toEqual(['sendonly']);
        expect(rig.phone.call(callId)).toMatchObject({ state: 'OnHold', onHold: true });
        expect(rig.server.requests('BYE').filter((r) => r.callId === fake.callId)).toHaveLength(0);
        await rig.phone.stop();
    });

    it('hold answered with a=sendrecv is not a hold: holdFailed, media back on', async () => {
        const rig = await registeredRig();
        const { callId } = await connectedOutbound(rig);
        rig.server.reInviteBehaviour = { direction: 'sendrecv' };
        await rig.phone.hold(callId);
        await rig.advance(10);
        expect(rig.phone.call(callId)).toMatchObject({
            state: 'Connected',
            onHold: false,
            sipFailure: { reason: 'peer answered a=sendrecv to hold' }
        });
        expect(rig.sdh.last?.peerConnection.senders[0].track?.enabled).toBe(true);
        await rig.phone.stop();
    });

    it.each([
        [{ status: 491, reason: 'Request Pending' }, 3050],
        [{ status: 500, reason: 'Server Internal Error', headers: ['Retry-After: 2'] }, 2000],
        [{ status: 500, reason: 'Server Internal Error', headers: ['Retry-After: 9'] }, 3000]
    ])('a colliding re-INVITE (%p) is retried after %p ms', async (collision, delayMs) => {
        const rig = await registeredRig();
        const { callId, invite } = await connectedOutbound(rig);
        rig.server.reInviteOnce.push(collision);
        const holding = rig.phone.hold(callId);
        await rig.advance(10);
        const reInvites = () =>
            rig.server.requests('INVITE').filter((r) => r.callId === invite.callId && r.toTag);
        expect(reInvites()).toHaveLength(1);
        await rig.advance(delayMs - 20);
        expect(reInvites()).toHaveLength(1);
        await rig.advance(20);
        expect(reInvites()).toHaveLength(2);
        expect((await holding).ok).toBe(true);
        expect(rig.phone.call(callId)).toMatchObject({ state: 'OnHold', sipFailure: undefined });
        await rig.phone.stop();
    });

    it('hold rejected with 488 keeps the call connected with the failure noted', async () => {
        const rig = await registeredRig();
        const { callId } = await connectedOutbound(rig);
        rig.server.reInviteBehaviour = { status: 488, reason: 'Not Acceptable Here' };
        await rig.phone.hold(callId);
        await rig.advance(10);
        expect(rig.phone.call(callId)).toMatchObject({ state: 'Connected', sipFailure: { code: 488 } });
        expect(rig.events.ended).toEqual([]);
        await rig.phone.stop();
    });

    it('mute disables the local audio senders; unmute restores them', async () => {
        const rig = await registeredRig();
        const { callId } = await connectedInbound(rig);
        const track = rig.sdh.last!.peerConnection.senders[0].track!;
        await rig.phone.mute(callId);
        expect(track.enabled).toBe(false);
        expect(rig.phone.call(callId)?.muted).toBe(true);
        expect(await rig.phone.mute(callId)).toMatchObject({ ok: false });
        await rig.phone.unmute(callId);
        expect(track.enabled).toBe(true);
        await rig.phone.stop();
    });

    it('DTMF goes over RTP when the SDH can', async () => {
        const rig = await registeredRig();
        const { callId } = await connectedInbound(rig);
        await rig.phone.sendDtmf(callId, '12#');
        expect(rig.sdh.last?.dtmfSent).toEqual(['12#']);
        expect(rig.server.requests('INFO')).toEqual([]);
        expect(rig.phone.call(callId)?.dtmfSent).toBe('12#');
        await rig.phone.stop();
    });

    it('DTMF falls back to SIP INFO application/dtmf-relay, one digit per INFO', async () => {
        const rig = await registeredRig();
        rig.sdh.behaviour.rtpDtmf = false;
        const { callId } = await connectedInbound(rig);
        const sending = rig.phone.sendDtmf(callId, '5*a');
        await rig.advance(10);
        expect((await sending).ok).toBe(true);
        const infos = rig.server.requests('INFO');
        expect(infos.map((i) => i.getHeader('content-type'))).toEqual([
            'application/dtmf-relay',
            'application/dtmf-relay',
            'application/dtmf-relay'
        ]);
        expect(infos.map((i) => i.body)).toEqual([
            'Signal=5\r\nDuration=160\r\n',
            'Signal=*\r\nDuration=160\r\n',
            'Signal=A\r\nDuration=160\r\n'
        ]);
        expect(await rig.phone.sendDtmf(callId, 'x')).toMatchObject({ ok: false });
        await rig.phone.stop();
    });

    it('blind transfer sends REFER, then ends our leg once the target answered', async () => {
        const rig = await registeredRig();
        const { fake, callId } = await connectedInbound(rig);
        const transferring = rig.phone.blindTransfer(callId, '200');
        await rig.advance(10);
        expect((await transferring).ok).toBe(true);
        const refer = rig.server.lastRequest('REFER');
        expect(refer?.callId).toBe(fake.callId);
        expect(refer?.getHeader('refer-to')).toBe('sip:200@fake.test');
        expect(refer?.getHeader('referred-by')).toContain('sip:agent@fake.test');
        // the target rings: the caller is still ours, shown as Transferring
        rig.server.sendReferNotify(fake.callId, 100);
        rig.server.sendReferNotify(fake.callId, 180);
        await rig.advance(30_000);
        expect(rig.server.requests('BYE')).toEqual([]);
        expect(rig.phone.call(callId)).toMatchObject({ state: 'Transferring' });
        rig.server.sendReferNotify(fake.callId, 200);
        await rig.advance(10);
        expect(rig.server.requests('BYE').map((b) => b.callId)).toEqual([fake.callId]);
        expect(rig.events.ended).toHaveLength(1);
        expect(rig.events.ended[0]).toMatchObject({
            outcome: 'Answered',
            endedBy: 'transfer',
            transfer: { kind: 'blind', target: '200', status: 'completed' }
        });
        await rig.phone.stop();
    });

    it('a blind transfer the transferee reports nothing about ends our leg once its REFER was accepted', async () => {
        const rig = await registeredRig();
        const { fake, callId } = await connectedInbound(rig);
        const transferring = rig.phone.blindTransfer(callId, '200');
        await rig.advance(10);
        expect((await transferring).ok).toBe(true);
        expect(rig.server.requests('BYE')).toEqual([]);
        await rig.advance(10_000);
        expect(rig.server.requests('BYE').map((b) => b.callId)).toEqual([fake.callId]);
        expect(rig.events.ended[0]).toMatchObject({ endedBy: 'transfer', transfer: { status: 'completed' } });
        await rig.phone.stop();
    });

    it.each([486, 480, 404, 603])(
        'a blind transfer the target refuses with %i leaves the caller with the agent',
        async (status) => {
            const rig = await registeredRig();
            const { fake, callId } = await connectedInbound(rig);
            const transferring = rig.phone.blindTransfer(callId, '200');
            await rig.advance(10);
            expect((await transferring).ok).toBe(true);
            rig.server.sendReferNotify(fake.callId, 100);
            await rig.advance(10);
            rig.server.sendReferNotify(fake.callId, status);
            await rig.advance(10);
            expect(rig.server.requests('BYE')).toEqual([]);
            expect(rig.phone.call(callId)).toMatchObject({
                state: 'Connected',
                transfer: { kind: 'blind', status: 'failed', failure: { code: status } }
            });
            expect(rig.events.ended).toEqual([]);
            // still a call the agent can use: hang up ends it normally
            await rig.phone.hangup(callId);
            await rig.advance(10);
            expect(rig.events.ended[0]).toMatchObject({ outcome: 'Answered', endedBy: 'local' });
            await rig.phone.stop();
        }
    );

    it('a blind transfer whose target rings without an answer gives the caller back to the agent', async () => {
        const rig = await registeredRig();
        const { fake, callId } = await connectedInbound(rig);
        const transferring = rig.phone.blindTransfer(callId, '200');
        await rig.advance(10);
        expect((await transferring).ok).toBe(true);
        rig.server.sendReferNotify(fake.callId, 180);
        await rig.advance(BLIND_TRANSFER_ANSWER_TIMEOUT_MS);
        expect(rig.server.requests('BYE')).toEqual([]);
        expect(rig.phone.call(callId)).toMatchObject({
            state: 'Connected',
            transfer: { kind: 'blind', status: 'failed', failure: { code: 408 } }
        });
        // a late answer after that changes nothing
        rig.server.sendReferNotify(fake.callId, 200);
        await rig.advance(10);
        expect(rig.server.requests('BYE')).toEqual([]);
        expect(rig.phone.call(callId)).toMatchObject({ state: 'Connected' });
        await rig.phone.stop();
    });

    it('a refused blind transfer keeps the call', async () => {
        const rig = await registeredRig();
        rig.server.referStatus = 403;
        const { callId } = await connectedInbound(rig);
        const transferring = rig.phone.blindTransfer(callId, '200');
        await rig.advance(10);
        expect((await transferring).ok).toBe(true);
        expect(rig.server.requests('REFER')).toHaveLength(1);
        expect(rig.server.requests('BYE')).toEqual([]);
        expect(rig.phone.call(callId)).toMatchObject({
            state: 'Connected',
            transfer: { kind: 'blind', status: 'failed', failure: { code: 403 } }
        });
        expect(rig.events.ended).toEqual([]);
        await rig.phone.stop();
    });

    it('consultation + complete: REFER with Replaces to the first leg, both legs end once', async () => {
        const rig = await registeredRig();
        rig.server.referNotifyStatus = 200;
        const { fake, callId } = await connectedInbound(rig);
        const consulting = rig.phone.startConsultation(callId, '201');
        await rig.advance(10);
        const consultResult = await consulting;
        expect(consultResult.ok).toBe(true);
        const consultId = consultResult.ok ? consultResult.snapshot.id : '';
        expect(rig.phone.call(callId)).toMatchObject({
            state: 'OnHold',
            consultActive: true,
            linkedCallId: consultId
        });
        const consultInvite = rig.server
            .requests('INVITE')
            .find((r) => !r.toTag && r.callId !== fake.callId)!;
        expect(consultInvite.ruri?.toString()).toBe('sip:201@fake.test');
        // the consultation names its own leg and the interaction it belongs to (one VoiceCall per leg)
        expect(consultInvite.getHeader('x-cc-parent-interaction-id')).toBe(
            rig.phone.call(callId)!.interactionId
        );
        expect(consultInvite.getHeader('x-cc-interaction-id')).toBe(rig.phone.call(consultId)!.interactionId);
        expect(rig.phone.call(consultId)!.interactionId).not.toBe(rig.phone.call(callId)!.interactionId);
        rig.server.answer(consultInvite);
        await rig.advance(10);
        expect(rig.phone.call(consultId)).toMatchObject({
            state: 'Connected',
            role: 'consultation',
            linkedCallId: callId
        });

        const completing = rig.phone.completeTransfer(consultId);
        await rig.advance(10);
        expect((await completing).ok).toBe(true);
        const refer = rig.server.lastRequest('REFER')!;
        expect(refer.callId).toBe(fake.callId);
        // Refer-To: the consultation dialog's remote target with Replaces=<its Call-ID>;to-tag;from-tag
        const referTo = decodeURIComponent(refer.getHeader('refer-to') ?? '');
        expect(referTo).toContain('<sip:peer@fake.test;transport=ws?Replaces=');
        expect(referTo).toContain(`Replaces=${consultInvite.callId};to-tag=`);
        expect(referTo).toContain(`from-tag=${consultInvite.fromTag}`);
        expect(
            rig.server
                .requests('BYE')
                .map((b) => b.callId)
                .sort()
        ).toEqual([fake.callId, consultInvite.callId].sort());
        expect(rig.events.ended).toHaveLength(2);
        expect(rig.events.ended.find((e) => e.id === callId)).toMatchObject({
            endedBy: 'transfer',
            transfer: { kind: 'attended', status: 'completed' }
        });
        await rig.phone.stop();
        expect(rig.events.ended).toHaveLength(2);
    });

    it('consultation + return to caller: the consultation ends, the caller is resumed', async () => {
        const rig = await registeredRig();
        const { fake, callId } = await connectedInbound(rig);
        const consulting = rig.phone.startConsultation(callId, '201');
        await rig.advance(10);
        const consultResult = await consulting;
        const consultId = consultResult.ok ? consultResult.snapshot.id : '';
        const consultInvite = rig.server
            .requests('INVITE')
            .find((r) => !r.toTag && r.callId !== fake.callId)!;
        rig.server.answer(consultInvite);
        await rig.advance(10);
        const back = rig.phone.returnToCaller(consultId);
        await rig.advance(10);
        expect((await back).ok).toBe(true);
        expect(rig.server.requests('BYE').map((b) => b.callId)).toEqual([consultInvite.callId]);
        expect(rig.phone.call(callId)).toMatchObject({
            state: 'Connected',
            consultActive: false,
            onHold: false
        });
        const reInvites = rig.server.requests('INVITE').filter((r) => r.callId === fake.callId && r.toTag);
        expect(reInvites.map((r) => directionOf(r.body))).toEqual(['sendonly', 'sendrecv']);
        expect(rig.events.ended.map((e) => e.id)).toEqual([consultId]);
        await rig.phone.stop();
    });

    it('three-way conference mixes locally and unwinds when a party leaves', async () => {
        const rig = await registeredRig();
        const { fake, callId } = await connectedInbound(rig);
        const primarySdh = rig.sdh.last!;
        const consulting = rig.phone.startConsultation(callId, '201');
        await rig.advance(10);
        const consultResult = await consulting;
        const consultId = consultResult.ok ? consultResult.snapshot.id : '';
        const consultInvite = rig.server
            .requests('INVITE')
            .find((r) => !r.toTag && r.callId !== fake.callId)!;
        rig.server.answer(consultInvite);
        await rig.advance(10);
        const consultSdh = rig.sdh.last!;
        const micA = primarySdh.peerConnection.senders[0].track;
        const micB = consultSdh.peerConnection.senders[0].track;

        const joining = rig.phone.conference(callId, consultId);
        await rig.advance(10);
        expect(await joining).toMatchObject({ ok: true });
        expect(rig.phone.call(callId)).toMatchObject({
            state: 'Connected',
            conference: { active: true, legs: [callId, consultId] }
        });
        expect(rig.phone.call(consultId)?.conference).toEqual({ active: true, legs: [consultId, callId] });
        expect(rig.media.audioContexts).toHaveLength(1);
        expect(primarySdh.peerConnection.senders[0].track).not.toBe(micA);
        expect(consultSdh.peerConnection.senders[0].track).not.toBe(micB);
        // mute in a conference silences the agent in the mix, not the other party
        await rig.phone.mute(callId);
        const gain = rig.media.audioContexts[0].nodes.find((n) => n.label === 'gain');
        expect(gain?.gain.value).toBe(0);

        rig.server.sendBye(consultInvite.callId);
        await rig.advance(10);
        expect(rig.phone.call(callId)).toMatchObject({ state: 'Connected', conference: { active: false } });
        expect(primarySdh.peerConnection.senders[0].track).toBe(micA);
        // still muted after the mix is gone: the mute moved back onto the microphone track
        expect(rig.phone.call(callId)?.muted).toBe(true);
        expect(micA?.enabled).toBe(false);
        expect(rig.media.audioContexts[0].closed).toBe(true);
        expect(rig.events.ended.map((e) => e.id)).toEqual([consultId]);
        await rig.phone.stop();
    });

    it('a new microphone mid-call replaces the sender track; the old one is released', async () => {
        const rig = await registeredRig();
        const { callId } = await connectedInbound(rig);
        const sender = rig.sdh.last!.peerConnection.senders[0];
        const oldTrack = sender.track!;
        await rig.phone.mute(callId);
        await rig.phone.setAudioDevices({ input: 'usb-headset' });
        expect(rig.media.constraints[rig.media.constraints.length - 1]).toMatchObject({
            audio: { deviceId: { exact: 'usb-headset' } }
        });
        expect(sender.replaced).toHaveLength(1);
        expect(sender.track).not.toBe(oldTrack);
        expect(oldTrack.stopped).toBe(true);
        // the new track inherits the mute
        expect(sender.track?.enabled).toBe(false);
        await rig.phone.stop();
    });

    it('reports call quality from the peer connection statistics', async () => {
        const rig = await registeredRig({ qualityIntervalMs: 5000 });
        const { callId } = await connectedInbound(rig);
        rig.sdh.last!.peerConnection.stats = new Map([
            [
                'in',
                { type: 'inbound-rtp', kind: 'audio', packetsReceived: 900, packetsLost: 100, jitter: 0.02 }
            ],
            ['rr', { type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.1, fractionLost: 0 }]
        ]);
        await rig.advance(5000);
        expect(rig.events.quality).toHaveLength(1);
        expect(rig.events.quality[0]).toMatchObject({
            callId,
            score: { packetLossPct: 10, jitterMs: 20, rttMs: 100, level: 'fair' }
        });
        await rig.phone.stop();
    });

    it('commands on unknown or ended calls are refused, never thrown', async () => {
        const rig = await registeredRig();
        expect(await rig.phone.answer('nope')).toMatchObject({ ok: false });
        const { callId } = await connectedInbound(rig);
        expect(await rig.phone.answer(callId)).toMatchObject({ ok: false });
        expect(await rig.phone.resume(callId)).toMatchObject({ ok: false });
        await rig.phone.hangup(callId);
        await rig.advance(10);
        expect(await rig.phone.hold(callId)).toMatchObject({ ok: false });
        await rig.phone.stop();
    });
});

describe('attended transfer: this phone is the transfer target (INVITE with Replaces, RFC 3891)', () => {
    /** The consultation call as the consulted agent sees it: an inbound call from a colleague, connected. */
    async function consultationFromColleague(rig: SipRig) {
        const r = await ring(rig, { fromUser: '101', displayName: 'Agent 101' });
        await rig.phone.answer(r.callId);
        await rig.advance(10);
        expect(rig.phone.call(r.callId)?.state).toBe('Connected');
        return r;
    }

    /** The transferred customer follows the REFER: a new INVITE replacing `replaces`. */
    async function customerReplacing(rig: SipRig, replaces: string) {
        const fake = rig.server.sendInvite({
            fromUser: '+48600700800',
            displayName: 'Jan Kowalski',
            headers: [`Replaces: ${replaces}`]
        });
        await rig.advance(10);
        return fake;
    }

    function statusesTo(rig: SipRig, sipCallId: string): number[] {
        return rig.server
            .responses('INVITE')
            .filter((r) => r.callId === sipCallId)
            .map((r) => r.statusCode ?? 0);
    }

    it('replaces the matching consultation call: accepted without ringing or busy check, one continuous call', async () => {
        const rig = await registeredRig();
        const consult = await consultationFromColleague(rig);
        const before = rig.phone.call(consult.callId)!;
        const oldOutput = rig.media.outputs[0];

        const customer = await customerReplacing(rig, rig.server.replacesFor(consult.fake.callId));
        // no 180 and no 486 although a call is up (call waiting is off): 200 at once
        expect(statusesTo(rig, customer.callId)).toEqual([100, 200]);
        expect(rig.events.incoming).toHaveLength(1);
        expect(rig.events.busy).toEqual([]);
        // the recipient of the INVITE with Replaces ends the replaced dialog (RFC 3891 section 3)
        expect(rig.server.requests('BYE').map((b) => b.callId)).toEqual([consult.fake.callId]);
        expect(rig.server.dialogEnded(consult.fake.callId)).toBe(true);

        // the same call goes on with the new remote party: no callEnded for the replaced leg
        expect(rig.events.ended).toEqual([]);
        const calls = rig.phone.activeCalls();
        expect(calls).toHaveLength(1);
        expect(calls[0]).toMatchObject({
            id: consult.callId,
            state: 'Connected',
            direction: 'Inbound',
            remote: { number: '+48600700800', displayName: 'Jan Kowalski' },
            startedAt: before.startedAt,
            answeredAt: before.answeredAt,
            interactionId: before.interactionId
        });
        expect(rig.events.updated[rig.events.updated.length - 1]).toMatchObject({
            id: consult.callId,
            remote: { number: '+48600700800', displayName: 'Jan Kowalski' }
        });
        // the audio now comes from the new session
        expect(oldOutput.stopped).toBe(true);
        const output = rig.media.outputs[rig.media.outputs.length - 1];
        expect(output.played).toEqual([rig.sdh.last?.remoteMediaStream]);
        expect(output.stopped).toBe(false);

        // call controls act on the new dialog
        const held = rig.phone.hold(consult.callId);
        await rig.advance(10);
        expect((await held).ok).toBe(true);
        const reInvites = rig.server.requests('INVITE').filter((r) => r.toTag);
        expect(reInvites.map((r) => r.callId)).toEqual([customer.callId]);

        // the customer hangs up: exactly one callEnded for the whole call
        rig.server.sendBye(customer.callId);
        await rig.advance(10);
        expect(rig.events.ended).toHaveLength(1);
        expect(rig.events.ended[0]).toMatchObject({
            id: consult.callId,
            outcome: 'Answered',
            endedBy: 'remote',
            remote: { number: '+48600700800' }
        });
        await rig.phone.stop();
        expect(rig.events.ended).toHaveLength(1);
    });

    it('a call on hold stays on hold: the replacing session is answered sendonly', async () => {
        const rig = await registeredRig();
        const consult = await consultationFromColleague(rig);
        const held = rig.phone.hold(consult.callId);
        await rig.advance(10);
        expect((await held).ok).toBe(true);

        const customer = await customerReplacing(rig, rig.server.replacesFor(consult.fake.callId));
        const ok = rig.server.finalResponsesTo(customer.callId);
        expect(ok.map((r) => r.statusCode)).toEqual([200]);
        expect(directionOf(ok[0].body)).toBe('sendonly');
        expect(rig.phone.call(consult.callId)).toMatchObject({
            state: 'OnHold',
            onHold: true,
            remote: { number: '+48600700800' }
        });
        const resumed = rig.phone.resume(consult.callId);
        await rig.advance(10);
        expect((await resumed).ok).toBe(true);
        const reInvites = rig.server
            .requests('INVITE')
            .filter((r) => r.toTag && r.callId === customer.callId);
        expect(reInvites.map((r) => directionOf(r.body))).toEqual(['sendrecv']);
        expect(rig.phone.call(consult.callId)?.state).toBe('Connected');
        expect(rig.events.ended).toEqual([]);
        await rig.phone.stop();
        expect(rig.events.ended).toHaveLength(1);
    });

    const nonMatching: Array<[string, (rig: SipRig, sipCallId: string) => string]> = [
        ['an unknown Call-ID', () => 'no-such-call@elsewhere;to-tag=abc;from-tag=def'],
        [
            'the right Call-ID with the tags swapped',
            (rig, id) => rig.server.replacesFor(id, { swapTags: true })
        ],
        [
            'the right Call-ID with a foreign to-tag',
            (rig, id) => rig.server.replacesFor(id).replace(/to-tag=[^;]+/, 'to-tag=foreign')
        ]
    ];

    it.each(nonMatching)('a Replaces naming %s gets 481 and changes nothing', async (_name, replacesOf) => {
        const rig = await registeredRig();
        const consult = await consultationFromColleague(rig);
        const customer = await customerReplacing(rig, replacesOf(rig, consult.fake.callId));
        expect(finalStatuses(rig, customer.callId)).toEqual([481]);
        expect(statusesTo(rig, customer.callId)).not.toContain(180);
        expect(rig.events.incoming).toHaveLength(1);
        expect(rig.events.busy).toEqual([]);
        expect(rig.server.requests('BYE')).toEqual([]);
        expect(rig.phone.activeCalls()).toMatchObject([
            { id: consult.callId, state: 'Connected', remote: { number: '101' } }
        ]);
        await rig.phone.stop();
    });

    it('a Replaces header without its tags is a bad request (400), never a second ringing call', async () => {
        const rig = await registeredRig();
        const consult = await consultationFromColleague(rig);
        const customer = await customerReplacing(rig, consult.fake.callId);
        expect(finalStatuses(rig, customer.callId)).toEqual([400]);
        expect(rig.events.incoming).toHaveLength(1);
        expect(rig.events.busy).toEqual([]);
        expect(rig.phone.activeCalls()).toMatchObject([{ id: consult.callId, state: 'Connected' }]);
        await rig.phone.stop();
    });

    it('a Replaces naming a call that still rings (an early dialog this phone did not create) gets 481', async () => {
        const rig = await registeredRig();
        const ringing = await ring(rig, { fromUser: '101' });
        const ringingResponse = rig.server
            .responses('INVITE')
            .find((r) => r.callId === ringing.fake.callId && r.statusCode === 180)!;
        const replaces = `${ringing.fake.callId};to-tag=${ringingResponse.toTag};from-tag=${ringing.fake.fromTag}`;
        const customer = await customerReplacing(rig, replaces);
        expect(finalStatuses(rig, customer.callId)).toEqual([481]);
        expect(rig.phone.activeCalls()).toMatchObject([{ id: ringing.callId, state: 'Ringing' }]);
        expect(finalStatuses(rig, ringing.fake.callId)).toEqual([]);
        await rig.phone.stop();
    });
});
