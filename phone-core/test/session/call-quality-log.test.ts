/**
 * Call quality on the Task (B4): the leader sums up the quality samples of a call and its call log carries
 * the lowest and average MOS and the worst loss and jitter.
 */
import { computeMos } from '../../src/sip/call-quality';
import { PL_SETTINGS, SimWorld, ccHeaders, lastSipCall } from './session-world';

beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2024, 4, 1, 9, 0, 0) }));
afterEach(() => jest.useRealTimers());

function inboundStats(packetsReceived: number, packetsLost: number, jitterSeconds: number) {
    return new Map<string, Record<string, unknown>>([
        ['in', { type: 'inbound-rtp', kind: 'audio', packetsReceived, packetsLost, jitter: jitterSeconds }],
        ['rr', { type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.05, fractionLost: 0 }]
    ]);
}

it('a call with one bad interval logs its lowest and average MOS and the worst loss and jitter', async () => {
    const world = new SimWorld();
    const tab = world.open('A', { settings: PL_SETTINGS });
    await world.advance(100);
    expect(await tab.session.setStatus({ status: 'Ready' })).toEqual({ ok: true });
    await world.advance();
    await world.ring({ headers: ccHeaders('int-q') });
    expect(await tab.session.answer()).toMatchObject({ ok: true });
    await world.advance(10);

    const peer = tab.sdh.last!.peerConnection;
    peer.stats = inboundStats(250, 0, 0.004); // a clean first interval
    await world.advance(5000);
    peer.stats = inboundStats(475, 25, 0.06); // 10 % lost, 60 ms jitter
    await world.advance(5000);
    peer.stats = inboundStats(725, 25, 0.004);
    await world.advance(5000);
    expect(tab.state().calls[0]?.quality).toMatchObject({ level: 'good' });

    world.server.sendBye(lastSipCall(world));
    await world.advance(10);
    expect(await tab.session.submitWrapUp({})).toMatchObject({ ok: true });
    await world.advance(10);

    expect(world.host.sent).toHaveLength(1);
    const entry = world.host.sent[0]!;
    const clean = computeMos({ packetLossPct: 0, jitterMs: 4, rttMs: 50 });
    const bad = computeMos({ packetLossPct: 10, jitterMs: 60, rttMs: 50 });
    expect(bad).toBeLessThan(clean);
    expect(entry.mosLowest).toBe(bad);
    expect(entry.mosAverage).toBe(Math.round(((2 * clean + bad) / 3) * 100) / 100);
    expect(entry.packetLossMaxPct).toBe(10);
    expect(entry.jitterMaxMs).toBe(60);
});

it('a call that ended before the first sample logs no quality figures', async () => {
    const world = new SimWorld();
    const tab = world.open('A', { settings: PL_SETTINGS });
    await world.advance(100);
    await tab.session.setStatus({ status: 'Ready' });
    await world.advance();
    await world.ring({ headers: ccHeaders('int-short') });
    await tab.session.answer();
    await world.advance(1000);
    world.server.sendBye(lastSipCall(world));
    await world.advance(10);
    await tab.session.submitWrapUp({});
    await world.advance(10);
    expect(world.host.sent).toHaveLength(1);
    expect(world.host.sent[0]).not.toHaveProperty('mosLowest');
    expect(world.host.sent[0]).not.toHaveProperty('jitterMaxMs');
});
