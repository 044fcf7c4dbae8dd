/**
 * SipPhone call controls on the fake transport: hold, mute, DTMF, transfers, conference, devices, quality.
 */
import { BLIND_TRANSFER_ANSWER_TIMEOUT_MS } from '../../src/sip/in-dialog-requests';
import { directionOf } from '../fakes/fake-sip-wire';
import { connectedInbound, connectedOutbound, registeredRig, ring } from './sip-call-rig';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

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

    it('a progress NOTIFY before the REFER is accepted keeps the wait for the answer of the target', async () => {
        const rig = await registeredRig();
        rig.server.referProgressBeforeAccept = 180;
        const { fake, callId } = await connectedInbound(rig);
        const transferring = rig.phone.blindTransfer(callId, '200');
        await rig.advance(10);
        expect((await transferring).ok).toBe(true);
        await rig.advance(30_000);
        expect(rig.server.requests('BYE')).toEqual([]);
        expect(rig.phone.call(callId)).toMatchObject({ state: 'Transferring' });
        rig.server.sendReferNotify(fake.callId, 486);
        await rig.advance(10);
        expect(rig.phone.call(callId)).toMatchObject({
            state: 'Connected',
            transfer: { kind: 'blind', status: 'failed', failure: { code: 486 } }
        });
        expect(rig.server.requests('BYE')).toEqual([]);
        await rig.phone.stop();
    });

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
