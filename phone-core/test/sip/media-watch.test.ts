/**
 * Media loss of an established call (media-watch.ts): the watch on a fake peer connection and the manual clock,
 * then through the SipPhone on the fake transport (a port-0 re-INVITE answer, ICE failing mid-call).
 */
import {
    audioRejected,
    inboundAudioActivity,
    MediaWatch,
    type MediaHealth,
    type MediaLossReason
} from '../../src/sip/media-watch';
import { ManualClock } from '../fakes/manual-clock';
import { createSipRig, type SipRig } from '../fakes/fake-sip-harness';
import { FakePeerConnection } from '../fakes/fake-sip-sdh';

const INTERVAL = 1000;
const GRACE = 4000;

/** Lets the watch's getStats promises settle. */
async function settle(): Promise<void> {
    for (let i = 0; i < 10; i++) await Promise.resolve();
}

function watchRig(options: { recover?: () => Promise<boolean>; signallingUp?: () => boolean } = {}) {
    const clock = new ManualClock();
    const pc = new FakePeerConnection('pc');
    const health: Array<[MediaHealth, MediaLossReason | undefined]> = [];
    let holding = false;
    let recoveries = 0;
    const watch = new MediaWatch({
        clock,
        intervalMs: INTERVAL,
        graceMs: GRACE,
        peerConnection: () => pc,
        expectsInbound: () => !holding,
        recover: () => {
            recoveries++;
            return options.recover ? options.recover() : Promise.resolve(true);
        },
        signallingUp: options.signallingUp,
        onHealth: (state, reason) => health.push([state, reason])
    });
    let packets = 0;
    /** `ms` of time in poll steps; audio flows (packets grow each poll) when `flowing`. */
    const run = async (ms: number, flowing: boolean) => {
        for (let t = 0; t < ms; t += INTERVAL) {
            if (flowing) pc.receiving((packets += 50));
            clock.advance(INTERVAL);
            await settle();
        }
    };
    watch.start();
    return {
        clock,
        pc,
        watch,
        health,
        run,
        recoveries: () => recoveries,
        hold: (on: boolean) => {
            holding = on;
        }
    };
}

describe('media watch', () => {
    it('while the SIP connection is down, no re-INVITE is sent (it would time out and end the call); once up, one', async () => {
        let up = false;
        const rig = watchRig({ signallingUp: () => up });
        await rig.run(3 * INTERVAL, true);
        rig.pc.iceConnectionState = 'failed';
        await rig.run(GRACE * 3, false);
        expect(rig.recoveries()).toBe(0);
        expect(rig.health).toEqual([['recovering', 'ice-failed']]);
        up = true;
        await rig.run(2 * INTERVAL, false);
        expect(rig.recoveries()).toBe(1);
        rig.watch.stop();
    });

    it('stays quiet while audio flows and while ICE is disconnected for less than the grace period', async () => {
        const rig = watchRig();
        await rig.run(10 * INTERVAL, true);
        rig.pc.iceConnectionState = 'disconnected';
        await rig.run(GRACE - 2 * INTERVAL, true);
        rig.pc.iceConnectionState = 'connected';
        await rig.run(10 * INTERVAL, true);
        expect(rig.health).toEqual([]);
        expect(rig.recoveries()).toBe(0);
        rig.watch.stop();
        expect(rig.clock.pendingTimers).toBe(0);
    });

    it('inbound audio stops: one ICE restart; audio back -> ok again', async () => {
        const rig = watchRig();
        await rig.run(3 * INTERVAL, true);
        await rig.run(GRACE, false);
        expect(rig.recoveries()).toBe(1);
        expect(rig.watch.state).toBe('recovering');
        await rig.run(2 * INTERVAL, true);
        expect(rig.health).toEqual([
            ['recovering', 'no-inbound-audio'],
            ['ok', undefined]
        ]);
        // a later loss is tried again
        await rig.run(GRACE, false);
        expect(rig.recoveries()).toBe(2);
    });

    it('no audio one grace period after an accepted restart: lost, and the call is left to the agent', async () => {
        const rig = watchRig();
        await rig.run(2 * INTERVAL, true);
        await rig.run(GRACE + 2 * GRACE, false);
        expect(rig.recoveries()).toBe(1);
        expect(rig.health).toEqual([
            ['recovering', 'no-inbound-audio'],
            ['lost', 'no-inbound-audio']
        ]);
        // audio that comes back by itself clears it
        await rig.run(2 * INTERVAL, true);
        expect(rig.watch.state).toBe('ok');
    });

    it('ICE failed: restart at once; a refused restart means lost without waiting', async () => {
        const rig = watchRig({ recover: () => Promise.resolve(false) });
        await rig.run(2 * INTERVAL, true);
        rig.pc.iceConnectionState = 'failed';
        await rig.run(INTERVAL, false);
        expect(rig.recoveries()).toBe(1);
        expect(rig.health).toEqual([
            ['recovering', 'ice-failed'],
            ['lost', 'ice-failed']
        ]);
    });

    it('ICE still failed right after an accepted restart gets one grace period before lost', async () => {
        const rig = watchRig();
        await rig.run(2 * INTERVAL, true);
        rig.pc.iceConnectionState = 'failed';
        await rig.run(INTERVAL, false);
        expect(rig.recoveries()).toBe(1);
        await rig.run(GRACE - INTERVAL, false);
        expect(rig.health).toEqual([['recovering', 'ice-failed']]);
        await rig.run(2 * INTERVAL, false);
        expect(rig.health).toEqual([
            ['recovering', 'ice-failed'],
            ['lost', 'ice-failed']
        ]);
    });

    it('ICE disconnected beyond the grace period counts as lost media', async () => {
        const rig = watchRig({ recover: () => Promise.resolve(false) });
        await rig.run(2 * INTERVAL, true);
        rig.pc.iceConnectionState = 'disconnected';
        // packets still counted (a stale counter can still grow on a few late packets)
        await rig.run(GRACE + INTERVAL, true);
        expect(rig.health[0]).toEqual(['recovering', 'ice-disconnected']);
    });

    it('a stopped audio transceiver (rejected m-line) and a port-0 answer are media loss', async () => {
        const stopped = watchRig({ recover: () => Promise.resolve(false) });
        await stopped.run(2 * INTERVAL, true);
        stopped.pc.transceivers[0].currentDirection = 'stopped';
        await stopped.run(INTERVAL, true);
        expect(stopped.health[0]).toEqual(['recovering', 'media-rejected']);

        const answered = watchRig({ recover: () => Promise.resolve(false) });
        await answered.run(2 * INTERVAL, true);
        answered.watch.reportRejected();
        await settle();
        expect(answered.health).toEqual([
            ['recovering', 'media-rejected'],
            ['lost', 'media-rejected']
        ]);
    });

    it('silence while on hold (either side) is expected, and resuming gives a full grace period', async () => {
        const rig = watchRig();
        await rig.run(2 * INTERVAL, true);
        rig.hold(true);
        await rig.run(5 * GRACE, false);
        rig.hold(false);
        await rig.run(GRACE - INTERVAL, false);
        expect(rig.health).toEqual([]);
        await rig.run(2 * INTERVAL, false);
        expect(rig.health).toEqual([['recovering', 'no-inbound-audio']]);
    });

    it('a caller silent behind silence suppression (RTCP only) is not media loss', async () => {
        const rig = watchRig();
        await rig.run(2 * INTERVAL, true);
        for (let reports = 1; reports <= 6; reports++) {
            rig.pc.stats.set('sr', { type: 'remote-outbound-rtp', kind: 'audio', reportsSent: reports });
            await rig.run(GRACE / 2, false);
        }
        expect(rig.health).toEqual([]);
        expect(rig.recoveries()).toBe(0);
    });

    it('before any packet arrived (no inbound-rtp stats) only ICE counts', async () => {
        const rig = watchRig();
        await rig.run(3 * GRACE, false);
        expect(rig.health).toEqual([]);
    });

    it('reads port 0, and what was heard from the far end', () => {
        expect(audioRejected('v=0\r\nm=audio 0 RTP/AVP 0\r\n')).toBe(true);
        expect(audioRejected('v=0\r\nm=audio 4000 RTP/AVP 0\r\n')).toBe(false);
        expect(audioRejected(undefined)).toBe(false);
        const report = new Map<string, Record<string, unknown>>([
            ['a', { type: 'inbound-rtp', kind: 'audio', packetsReceived: 7 }],
            ['v', { type: 'inbound-rtp', kind: 'video', packetsReceived: 100 }],
            ['o', { type: 'outbound-rtp', kind: 'audio', packetsSent: 9 }]
        ]);
        expect(inboundAudioActivity(report)).toBe(7);
        // RTCP from the far end counts too (silence suppression sends no RTP but still reports)
        report.set('sr', { type: 'remote-outbound-rtp', kind: 'audio', reportsSent: 3 });
        report.set('rr', { type: 'remote-inbound-rtp', kind: 'audio', roundTripTimeMeasurements: 2 });
        expect(inboundAudioActivity(report)).toBe(12);
        expect(inboundAudioActivity(new Map())).toBeUndefined();
    });
});

describe('media loss on a call (SipPhone, fake transport)', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    async function connectedCall(): Promise<{ rig: SipRig; callId: string; sipCallId: string }> {
        const rig = createSipRig({ mediaWatch: { intervalMs: INTERVAL, graceMs: GRACE } });
        await rig.startRegistered();
        const fake = rig.server.sendInvite();
        await rig.advance(10);
        const callId = rig.events.incoming[rig.events.incoming.length - 1].id;
        await rig.phone.answer(callId);
        await rig.advance(10);
        expect(rig.phone.call(callId)?.state).toBe('Connected');
        return { rig, callId, sipCallId: fake.callId };
    }

    const reInvites = (rig: SipRig, sipCallId: string) =>
        rig.server.requests('INVITE').filter((r) => r.callId === sipCallId && r.toTag);

    it('a re-INVITE answered with m=audio 0: ICE restart tried, then the agent is told; the call can be ended', async () => {
        const { rig, callId, sipCallId } = await connectedCall();
        rig.server.reInviteRejectsAudio = true;
        await rig.phone.hold(callId);
        await rig.advance(10);
        const restarts = reInvites(rig, sipCallId).slice(1);
        expect(restarts).toHaveLength(1);
        expect(rig.sdh.last?.descriptionOptions.some((o) => o?.offerOptions?.iceRestart === true)).toBe(true);
        expect(rig.events.updated.map((s) => s.mediaHealth)).toContain('recovering');
        const snapshot = rig.phone.call(callId);
        expect(snapshot).toMatchObject({ mediaHealth: 'lost', mediaLossReason: 'media-rejected' });
        expect(rig.events.updated[rig.events.updated.length - 1].mediaHealth).toBe('lost');
        expect(rig.events.ended).toEqual([]);
        expect((await rig.phone.hangup(callId)).ok).toBe(true);
        await rig.advance(10);
        expect(rig.events.ended).toHaveLength(1);
        expect(rig.events.ended[0].mediaHealth).toBeUndefined();
        await rig.phone.stop();
    });

    it('ICE fails mid-call: an ICE restart re-INVITE; media back -> the call is plain Connected again', async () => {
        const { rig, callId, sipCallId } = await connectedCall();
        const pc = rig.sdh.last!.peerConnection;
        pc.receiving(100);
        await rig.advance(INTERVAL);
        pc.iceConnectionState = 'failed';
        await rig.advance(INTERVAL);
        await rig.advance(10);
        expect(reInvites(rig, sipCallId)).toHaveLength(1);
        expect(rig.phone.call(callId)).toMatchObject({ state: 'Connected', mediaHealth: 'recovering' });
        pc.iceConnectionState = 'connected';
        pc.receiving(200);
        await rig.advance(INTERVAL);
        expect(rig.phone.call(callId)?.mediaHealth).toBeUndefined();
        expect(rig.events.updated[rig.events.updated.length - 1].mediaHealth).toBeUndefined();
        await rig.phone.stop();
    });

    it('media that never comes back after the restart: lost, shown on the snapshot', async () => {
        const { rig, callId } = await connectedCall();
        const pc = rig.sdh.last!.peerConnection;
        pc.receiving(100);
        await rig.advance(INTERVAL);
        await rig.advance(GRACE + INTERVAL);
        await rig.advance(10);
        expect(rig.phone.call(callId)?.mediaHealth).toBe('recovering');
        await rig.advance(GRACE + INTERVAL);
        expect(rig.phone.call(callId)).toMatchObject({
            mediaHealth: 'lost',
            mediaLossReason: 'no-inbound-audio'
        });
        await rig.phone.stop();
    });
});
