import {
    addQualitySample,
    CallQualityMonitor,
    parseQualitySummary,
    qualityFigures,
    computeMos,
    extractQuality,
    qualityLevel,
    scoreQuality,
    type QualityScore
} from '../../src/sip/call-quality';
import { systemClock } from '../../src/util/clock';

describe('computeMos (simplified E-model)', () => {
    it.each([
        // loss %, jitter ms, rtt ms, MOS, level
        [0, 0, 0, 4.4, 'good'],
        [0, 5, 40, 4.39, 'good'],
        [5, 0, 0, 4.04, 'good'],
        [10, 0, 0, 3.5, 'fair'],
        [0, 30, 400, 3.95, 'fair'],
        [20, 0, 0, 2.21, 'poor'],
        [50, 100, 1000, 1, 'poor']
    ])('loss %p%%, jitter %pms, rtt %pms -> MOS %p (%s)', (packetLossPct, jitterMs, rttMs, mos, level) => {
        const score = scoreQuality({ packetLossPct, jitterMs, rttMs });
        expect(score.mos).toBeCloseTo(mos, 2);
        expect(score.level).toBe(level);
    });

    it('gets worse as loss, jitter or delay grow', () => {
        expect(computeMos({ packetLossPct: 1, jitterMs: 0, rttMs: 0 })).toBeLessThan(
            computeMos({ packetLossPct: 0, jitterMs: 0, rttMs: 0 })
        );
        expect(computeMos({ packetLossPct: 0, jitterMs: 80, rttMs: 0 })).toBeLessThan(
            computeMos({ packetLossPct: 0, jitterMs: 10, rttMs: 0 })
        );
        expect(computeMos({ packetLossPct: 0, jitterMs: 0, rttMs: 600 })).toBeLessThan(
            computeMos({ packetLossPct: 0, jitterMs: 0, rttMs: 100 })
        );
    });

    it('stays within 1..4.5 for absurd inputs', () => {
        for (const input of [
            { packetLossPct: -5, jitterMs: -1, rttMs: -1 },
            { packetLossPct: 500, jitterMs: 1e9, rttMs: 1e9 },
            { packetLossPct: Number.NaN, jitterMs: Number.NaN, rttMs: Number.NaN }
        ]) {
            const mos = computeMos(input);
            expect(mos).toBeGreaterThanOrEqual(1);
            expect(mos).toBeLessThanOrEqual(4.5);
        }
    });

    it.each([
        [4.0, 'good'],
        [3.99, 'fair'],
        [3.1, 'fair'],
        [3.09, 'poor']
    ])('level of %p is %s', (mos, level) => {
        expect(qualityLevel(mos)).toBe(level);
    });
});

describe('extractQuality', () => {
    const report = (entries: Array<Record<string, unknown>>) =>
        new Map(entries.map((e, i) => [String(i), e]));

    it('computes loss over the interval, takes the worse jitter and the RTCP round trip', () => {
        const first = extractQuality(
            report([
                { type: 'inbound-rtp', kind: 'audio', packetsReceived: 1000, packetsLost: 0, jitter: 0.01 },
                {
                    type: 'remote-inbound-rtp',
                    kind: 'audio',
                    roundTripTime: 0.08,
                    fractionLost: 0,
                    jitter: 0.002
                }
            ]),
            undefined
        );
        expect(first?.inputs).toEqual({ packetLossPct: 0, jitterMs: 10, rttMs: 80 });
        const second = extractQuality(
            report([
                { type: 'inbound-rtp', kind: 'audio', packetsReceived: 1450, packetsLost: 50, jitter: 0.004 },
                {
                    type: 'remote-inbound-rtp',
                    kind: 'audio',
                    roundTripTime: 0.12,
                    fractionLost: 0.02,
                    jitter: 0.03
                }
            ]),
            first?.counters
        );
        // 50 lost of 500 expected in the interval = 10 %, worse than the 2 % upstream
        expect(second?.inputs).toEqual({ packetLossPct: 10, jitterMs: 30, rttMs: 120 });
    });

    it('falls back to the selected candidate pair for the round trip', () => {
        const result = extractQuality(
            report([
                { type: 'inbound-rtp', kind: 'audio', packetsReceived: 10, packetsLost: 0, jitter: 0 },
                { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.05 }
            ]),
            undefined
        );
        expect(result?.inputs.rttMs).toBe(50);
    });

    it('returns undefined before any inbound audio exists', () => {
        expect(extractQuality(report([{ type: 'outbound-rtp', kind: 'audio' }]), undefined)).toBeUndefined();
    });
});

describe('CallQualityMonitor', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('samples every interval until stopped', async () => {
        const scores: QualityScore[] = [];
        let received = 0;
        const monitor = new CallQualityMonitor({
            clock: systemClock,
            intervalMs: 5000,
            getStats: () => {
                received += 250;
                return Promise.resolve(
                    new Map([
                        [
                            'in',
                            {
                                type: 'inbound-rtp',
                                kind: 'audio',
                                packetsReceived: received,
                                packetsLost: 0,
                                jitter: 0.005
                            }
                        ]
                    ])
                );
            },
            onScore: (s) => scores.push(s)
        });
        monitor.start();
        await jest.advanceTimersByTimeAsync(15000);
        expect(scores).toHaveLength(3);
        expect(scores[0]).toMatchObject({ packetLossPct: 0, jitterMs: 5, level: 'good' });
        monitor.stop();
        await jest.advanceTimersByTimeAsync(15000);
        expect(scores).toHaveLength(3);
    });

    it('skips a sample when the peer connection is gone', async () => {
        const monitor = new CallQualityMonitor({
            clock: systemClock,
            getStats: () => undefined,
            onScore: () => {
                throw new Error('must not be called');
            }
        });
        await expect(monitor.sample()).resolves.toBeUndefined();
    });
});

describe('quality summary (B4)', () => {
    const sample = (mos: number, packetLossPct: number, jitterMs: number) => ({
        mos,
        packetLossPct,
        jitterMs,
        rttMs: 40,
        level: qualityLevel(mos)
    });

    it('keeps the lowest and average MOS and the worst loss and jitter over the samples', () => {
        let summary = addQualitySample(undefined, sample(4.4, 0, 3));
        summary = addQualitySample(summary, sample(2.1, 12.5, 48.26));
        summary = addQualitySample(summary, sample(4.0, 1, 7));
        expect(summary).toEqual({
            samples: 3,
            mosSum: 4.4 + 2.1 + 4.0,
            mosLowest: 2.1,
            packetLossMaxPct: 12.5,
            jitterMaxMs: 48.26
        });
        expect(qualityFigures(summary)).toEqual({
            mosLowest: 2.1,
            mosAverage: 3.5,
            packetLossMaxPct: 12.5,
            jitterMaxMs: 48.3
        });
    });

    it('never changes the summary it is given, and clamps values a broken sample may carry', () => {
        const first = addQualitySample(undefined, sample(4.2, 0, 1));
        const copy = { ...first };
        const next = addQualitySample(first, sample(Number.NaN, 250, -3));
        expect(first).toEqual(copy);
        expect(next).toMatchObject({ samples: 2, mosLowest: 1, packetLossMaxPct: 100, jitterMaxMs: 1 });
    });

    it('has no figures without samples; a stored summary is checked before use', () => {
        expect(qualityFigures(undefined)).toBeUndefined();
        expect(
            qualityFigures({ samples: 0, mosSum: 0, mosLowest: 0, packetLossMaxPct: 0, jitterMaxMs: 0 })
        ).toBeUndefined();
        const good = { samples: 2, mosSum: 8, mosLowest: 3.9, packetLossMaxPct: 1, jitterMaxMs: 4 };
        expect(parseQualitySummary(good)).toEqual(good);
        expect(parseQualitySummary({ ...good, samples: 0 })).toBeUndefined();
        expect(parseQualitySummary({ ...good, mosLowest: '3' })).toBeUndefined();
        expect(parseQualitySummary('x')).toBeUndefined();
    });
});
