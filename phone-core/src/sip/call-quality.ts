/**
 * Call quality indicator (B4) from WebRTC statistics: a MOS-like score (1..4.5) from packet loss, jitter and
 * round-trip time, with the simplified ITU-T G.107 E-model that VoIP monitors commonly use:
 *
 * ```text
 * effectiveLatency = rtt / 2 + 2 * jitter + 10          (ms)
 * R = 93.2 - effectiveLatency / 40                       (effectiveLatency < 160)
 *   = 93.2 - (effectiveLatency - 120) / 10               (otherwise)
 * R = R - 2.5 * packetLoss%
 * MOS = 1 + 0.035 R + 0.000007 R (R - 60) (100 - R)      (clamped to 1..4.5)
 * ```
 */
import type { Clock, TimerHandle } from '../util/clock';

/** Network measurements over one sampling interval. */
export interface QualityInputs {
    /** Packet loss in percent (0..100), the worse of the two directions. */
    packetLossPct: number;
    /** Interarrival jitter in ms. */
    jitterMs: number;
    /** Round-trip time in ms (0 when unknown). */
    rttMs: number;
}

/** Coarse level for the UI (e.g. green / amber / red bars). */
export type QualityLevel = 'good' | 'fair' | 'poor';

/** One quality sample. */
export interface QualityScore extends QualityInputs {
    /** Mean opinion score estimate, 1 (bad) .. 4.5 (best narrowband/opus over a clean network). */
    mos: number;
    level: QualityLevel;
}

/** MOS estimate from loss, jitter and RTT; see the module documentation. */
export function computeMos(inputs: QualityInputs): number {
    const loss = clamp(finite(inputs.packetLossPct), 0, 100);
    const jitter = Math.max(0, finite(inputs.jitterMs));
    const rtt = Math.max(0, finite(inputs.rttMs));
    const effectiveLatency = rtt / 2 + 2 * jitter + 10;
    let r = effectiveLatency < 160 ? 93.2 - effectiveLatency / 40 : 93.2 - (effectiveLatency - 120) / 10;
    r -= 2.5 * loss;
    if (r <= 0) {
        return 1;
    }
    const mos = 1 + 0.035 * r + 0.000007 * r * (r - 60) * (100 - r);
    return Math.round(clamp(mos, 1, 4.5) * 100) / 100;
}

/** Level thresholds: >= 4.0 good, >= 3.1 fair (some users dissatisfied), below poor. */
export function qualityLevel(mos: number): QualityLevel {
    if (mos >= 4.0) {
        return 'good';
    }
    return mos >= 3.1 ? 'fair' : 'poor';
}

/** Score for a set of inputs. */
export function scoreQuality(inputs: QualityInputs): QualityScore {
    const mos = computeMos(inputs);
    return { ...inputs, mos, level: qualityLevel(mos) };
}

/** Cumulative counters kept between two getStats() calls. */
export interface StatsCounters {
    packetsReceived: number;
    packetsLost: number;
}

/** Anything shaped like an RTCStatsReport (a Map of stats by id). */
export type StatsLike = { forEach(callback: (value: Record<string, unknown>) => void): void };

/**
 * Turns one getStats() report into quality inputs, using `previous` counters to compute loss over the interval
 * (cumulative loss since the call started would hide a bad minute in a long good call).
 * Returns undefined when the report has no inbound audio yet.
 */
export function extractQuality(
    report: StatsLike,
    previous: StatsCounters | undefined
): { inputs: QualityInputs; counters: StatsCounters } | undefined {
    let inbound: Record<string, unknown> | undefined;
    let remoteInbound: Record<string, unknown> | undefined;
    let pairRtt: number | undefined;
    report.forEach((stat) => {
        const kind = stat.kind ?? stat.mediaType;
        if (stat.type === 'inbound-rtp' && kind === 'audio') {
            inbound = stat;
        } else if (stat.type === 'remote-inbound-rtp' && kind === 'audio') {
            remoteInbound = stat;
        } else if (stat.type === 'candidate-pair' && (stat.nominated === true || stat.selected === true)) {
            if (stat.state === 'succeeded' && typeof stat.currentRoundTripTime === 'number') {
                pairRtt = stat.currentRoundTripTime;
            }
        }
    });
    if (!inbound) {
        return undefined;
    }
    const counters: StatsCounters = {
        packetsReceived: num(inbound.packetsReceived),
        packetsLost: Math.max(0, num(inbound.packetsLost))
    };
    const receivedDelta = counters.packetsReceived - (previous?.packetsReceived ?? 0);
    const lostDelta = counters.packetsLost - (previous?.packetsLost ?? 0);
    const expected = Math.max(0, receivedDelta) + Math.max(0, lostDelta);
    const downLossPct = expected > 0 ? (Math.max(0, lostDelta) / expected) * 100 : 0;
    // fractionLost is the remote's view of what we send (RTCP RR), 0..1
    const upLossPct = remoteInbound ? clamp(num(remoteInbound.fractionLost), 0, 1) * 100 : 0;
    const jitterS = Math.max(num(inbound.jitter), remoteInbound ? num(remoteInbound.jitter) : 0);
    const rttS =
        remoteInbound && typeof remoteInbound.roundTripTime === 'number'
            ? remoteInbound.roundTripTime
            : (pairRtt ?? 0);
    return {
        inputs: {
            packetLossPct: Math.round(Math.max(downLossPct, upLossPct) * 100) / 100,
            jitterMs: Math.round(jitterS * 1000 * 10) / 10,
            rttMs: Math.round(rttS * 1000)
        },
        counters
    };
}

/** Options of {@link CallQualityMonitor}. */
export interface CallQualityMonitorOptions {
    clock: Clock;
    /** `RTCPeerConnection.getStats()` of the call (undefined when the peer connection is gone). */
    getStats: () => Promise<StatsLike> | undefined;
    onScore: (score: QualityScore) => void;
    /** Sampling period (default 5000 ms). */
    intervalMs?: number;
}

/** Polls getStats() every `intervalMs` while started and reports a {@link QualityScore}. */
export class CallQualityMonitor {
    private readonly options: CallQualityMonitorOptions;
    private timer: TimerHandle | undefined;
    private previous: StatsCounters | undefined;
    private running = false;

    constructor(options: CallQualityMonitorOptions) {
        this.options = options;
    }

    /** Start sampling (first sample after one interval). */
    start(): void {
        if (this.running) {
            return;
        }
        this.running = true;
        this.schedule();
    }

    /** Stop sampling. */
    stop(): void {
        this.running = false;
        if (this.timer !== undefined) {
            this.options.clock.clearTimeout(this.timer);
            this.timer = undefined;
        }
    }

    /** Take one sample now (also used by the timer). */
    async sample(): Promise<QualityScore | undefined> {
        let report: StatsLike | undefined;
        try {
            report = await this.options.getStats();
        } catch {
            report = undefined;
        }
        if (!report) {
            return undefined;
        }
        const extracted = extractQuality(report, this.previous);
        if (!extracted) {
            return undefined;
        }
        this.previous = extracted.counters;
        const score = scoreQuality(extracted.inputs);
        this.options.onScore(score);
        return score;
    }

    private schedule(): void {
        this.timer = this.options.clock.setTimeout(() => {
            this.timer = undefined;
            void this.sample().finally(() => {
                if (this.running) {
                    this.schedule();
                }
            });
        }, this.options.intervalMs ?? 5000);
    }
}

function finite(value: number): number {
    return Number.isFinite(value) ? value : 0;
}

function num(value: unknown): number {
    return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function clamp(value: number, low: number, high: number): number {
    return Math.min(high, Math.max(low, value));
}

/**
 * What a call's quality samples add up to (B4), kept on the interaction and written to the Task so reports
 * show which agents, networks or hours have bad calls. Plain JSON (persisted with the interaction).
 */
export interface QualitySummary {
    samples: number;
    /** Sum of the samples' MOS (the average is `mosSum / samples`). */
    mosSum: number;
    mosLowest: number;
    packetLossMaxPct: number;
    jitterMaxMs: number;
}

/** The summary with one more sample (a new object; `summary` is left as it is). */
export function addQualitySample(summary: QualitySummary | undefined, score: QualityScore): QualitySummary {
    const mos = clamp(finite(score.mos), 1, 4.5);
    const loss = clamp(finite(score.packetLossPct), 0, 100);
    const jitter = Math.max(0, finite(score.jitterMs));
    if (!summary || summary.samples <= 0) {
        return { samples: 1, mosSum: mos, mosLowest: mos, packetLossMaxPct: loss, jitterMaxMs: jitter };
    }
    return {
        samples: summary.samples + 1,
        mosSum: summary.mosSum + mos,
        mosLowest: Math.min(summary.mosLowest, mos),
        packetLossMaxPct: Math.max(summary.packetLossMaxPct, loss),
        jitterMaxMs: Math.max(summary.jitterMaxMs, jitter)
    };
}

/** The Task's quality figures of a summary (MOS to 2 decimals, loss to 2, jitter to 1); none without samples. */
export function qualityFigures(
    summary: QualitySummary | undefined
): { mosLowest: number; mosAverage: number; packetLossMaxPct: number; jitterMaxMs: number } | undefined {
    if (!summary || !(summary.samples > 0)) return undefined;
    return {
        mosLowest: round(summary.mosLowest, 2),
        mosAverage: round(summary.mosSum / summary.samples, 2),
        packetLossMaxPct: round(summary.packetLossMaxPct, 2),
        jitterMaxMs: round(summary.jitterMaxMs, 1)
    };
}

/** A summary read from storage, checked; undefined when it is not usable. */
export function parseQualitySummary(value: unknown): QualitySummary | undefined {
    if (!value || typeof value !== 'object') return undefined;
    const s = value as Record<string, unknown>;
    const fields = ['samples', 'mosSum', 'mosLowest', 'packetLossMaxPct', 'jitterMaxMs'];
    if (!fields.every((name) => typeof s[name] === 'number' && Number.isFinite(s[name]))) return undefined;
    if ((s.samples as number) < 1) return undefined;
    return {
        samples: s.samples as number,
        mosSum: s.mosSum as number,
        mosLowest: s.mosLowest as number,
        packetLossMaxPct: s.packetLossMaxPct as number,
        jitterMaxMs: s.jitterMaxMs as number
    };
}

function round(value: number, decimals: number): number {
    const factor = 10 ** decimals;
    return Math.round(value * factor) / factor;
}
