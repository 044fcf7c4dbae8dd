/**
 * Media loss of an established call: the SIP dialog is up but no audio flows, so the phone would show
 * "Connected" while the agent sits in silence. Seen through a media gateway (rtpengine) when a re-INVITE's
 * answer rejected the audio stream (m=audio 0) and when the media path failed mid-call.
 *
 * Detected from the peer connection, polled on the phone's clock:
 * - ICE connection state `failed` at once, `disconnected` for longer than the grace period;
 * - the audio transceiver stopped (a rejected m-line, RFC 3264 6: port 0), or a re-INVITE answer with port 0;
 * - nothing heard from the far end (getStats: inbound RTP packets and its RTCP reports not growing) for longer
 *   than the grace period while audio is expected (connected, not on hold either way). Without any inbound-rtp
 *   stats (no packet ever arrived) only ICE's state counts.
 *
 * Recovery: one ICE restart re-INVITE (a new offer, so a gateway can also re-accept a rejected stream). When media
 * still does not flow one grace period later, or the re-INVITE fails, the call's media is `lost`: the agent is
 * told and can end the call. Media that flows again later makes the call `ok` again.
 */
import type { MediaHealth, MediaLossReason } from '../call/call-machine';
import type { Clock, TimerHandle } from '../util/clock';
import type { StatsLike } from './call-quality';

export type { MediaHealth, MediaLossReason };

/** What the watch reads from an RTCPeerConnection. */
export interface WatchedPeerConnection {
    readonly iceConnectionState?: string;
    getTransceivers?(): Array<{ stopped?: boolean; currentDirection?: string | null; receiver?: unknown }>;
    getStats(): Promise<StatsLike>;
}

/** Options of {@link MediaWatch}. */
export interface MediaWatchOptions {
    clock: Clock;
    /** Poll interval. */
    intervalMs: number;
    /** How long ICE may stay disconnected, or inbound audio stay silent, before media counts as lost. */
    graceMs: number;
    peerConnection: () => WatchedPeerConnection | undefined;
    /** False while audio is not expected from the remote side (either side holds). */
    expectsInbound: () => boolean;
    /** One recovery attempt (an ICE restart re-INVITE); resolves true when the peer accepted it with audio. */
    recover: () => Promise<boolean>;
    /**
     * False while the SIP connection is down. A re-INVITE sent then only waits for its transaction timeout
     * (32 s) and ends the call; the reconnect path restarts ICE once registered, so the watch waits too.
     * Default: always up.
     */
    signallingUp?: () => boolean;
    onHealth: (health: MediaHealth, reason: MediaLossReason | undefined) => void;
}

/**
 * Default poll interval and grace period: longer than the longest RTCP interval (RFC 3550 6.2: 5 s x 1.5 at most)
 * plus one poll, so a silent caller behind silence suppression is not taken for lost media.
 */
export const MEDIA_WATCH_INTERVAL_MS = 2000;
export const MEDIA_LOSS_GRACE_MS = 10000;

/** True when an SDP's first audio m-line has port 0 (the stream was rejected or removed). */
export function audioRejected(sdp: string | undefined): boolean {
    return /^m=audio 0 /m.test(sdp ?? '');
}

/**
 * How much the far end has been heard from on the audio stream: inbound RTP packets plus its RTCP reports
 * (sender reports and the receiver reports that give a round-trip time). RTCP counts because a gateway with
 * silence suppression sends no RTP while the caller says nothing, but still reports. Undefined when the report has
 * no inbound audio stream yet.
 */
export function inboundAudioActivity(report: StatsLike): number | undefined {
    let packets: number | undefined;
    let rtcp = 0;
    report.forEach((stat) => {
        const kind = stat.kind ?? stat.mediaType;
        if (kind !== 'audio') return;
        if (stat.type === 'inbound-rtp' && typeof stat.packetsReceived === 'number') {
            packets = (packets ?? 0) + stat.packetsReceived;
        } else if (stat.type === 'remote-outbound-rtp' && typeof stat.reportsSent === 'number') {
            rtcp += stat.reportsSent;
        } else if (stat.type === 'remote-inbound-rtp' && typeof stat.roundTripTimeMeasurements === 'number') {
            rtcp += stat.roundTripTimeMeasurements;
        }
    });
    return packets === undefined ? undefined : packets + rtcp;
}

export class MediaWatch {
    private readonly options: MediaWatchOptions;
    private timer: TimerHandle | undefined;
    private running = false;
    private polling = false;
    /** The ICE restart re-INVITE is in flight: polls wait for its outcome. */
    private restarting = false;
    private health: MediaHealth = 'ok';
    private reason: MediaLossReason | undefined;
    /** Last time inbound packets grew (or audio was not expected): the silence clock starts here. */
    private lastInboundAt = 0;
    private lastPackets: number | undefined;
    private disconnectedSince: number | undefined;
    /** Set by a port-0 answer; cleared when audio flows again. */
    private rejected = false;
    /** When the recovery attempt ended (undefined: none since media was last ok). */
    private recoveredAt: number | undefined;

    constructor(options: MediaWatchOptions) {
        this.options = options;
    }

    get state(): MediaHealth {
        return this.health;
    }

    get lossReason(): MediaLossReason | undefined {
        return this.reason;
    }

    start(): void {
        if (this.running) return;
        this.running = true;
        this.lastInboundAt = this.options.clock.now();
        this.schedule();
    }

    stop(): void {
        this.running = false;
        if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
        this.timer = undefined;
    }

    /** A re-INVITE answer rejected the audio stream (port 0): no grace, media is gone. */
    reportRejected(): void {
        if (!this.running || this.restarting) return;
        this.rejected = true;
        this.judge('media-rejected');
    }

    private schedule(): void {
        if (!this.running) return;
        this.timer = this.options.clock.setTimeout(() => {
            this.timer = undefined;
            void this.poll().finally(() => this.schedule());
        }, this.options.intervalMs);
    }

    private async poll(): Promise<void> {
        const pc = this.options.peerConnection();
        if (!pc || this.polling || this.restarting) return;
        this.polling = true;
        try {
            let packets: number | undefined;
            try {
                packets = inboundAudioActivity(await pc.getStats());
            } catch {
                packets = undefined; // a closing peer connection; judged on the other facts
            }
            if (!this.running || this.restarting) return;
            const { loss, flowing } = this.observe(pc, packets);
            if (loss) this.judge(loss);
            else if (flowing && this.health !== 'ok') this.setHealth('ok', undefined);
        } finally {
            this.polling = false;
        }
    }

    /** Updates the counters from one poll: the loss reason when media is lost now, and whether audio flows. */
    private observe(
        pc: WatchedPeerConnection,
        packets: number | undefined
    ): { loss: MediaLossReason | undefined; flowing: boolean } {
        const now = this.options.clock.now();
        const grew = packets !== undefined && packets > (this.lastPackets ?? 0);
        if (packets !== undefined) this.lastPackets = packets;
        if (grew) this.rejected = false;
        if (grew || !this.options.expectsInbound()) this.lastInboundAt = now;
        const ice = pc.iceConnectionState;
        this.disconnectedSince = ice === 'disconnected' ? (this.disconnectedSince ?? now) : undefined;
        // after a recovery attempt, the silence and disconnection clocks restart at its end
        const since = (at: number) => Math.max(at, this.recoveredAt ?? at);
        let loss: MediaLossReason | undefined;
        // right after a restart ICE may still say `failed` until its new checks start: that gets the grace period
        const restartSettled =
            this.recoveredAt === undefined || now - this.recoveredAt >= this.options.graceMs;
        if (ice === 'failed' && !grew && restartSettled) loss = 'ice-failed';
        else if (this.rejected || audioTransceiverStopped(pc)) loss = 'media-rejected';
        else if (
            this.disconnectedSince !== undefined &&
            now - since(this.disconnectedSince) >= this.options.graceMs
        )
            loss = 'ice-disconnected';
        // no inbound-rtp stats at all: no packet ever arrived, which ICE's own state reports
        else if (packets !== undefined && now - since(this.lastInboundAt) >= this.options.graceMs)
            loss = 'no-inbound-audio';
        return { loss, flowing: grew && loss === undefined };
    }

    /** Media is lost now: the first time, try to recover; after a recovery attempt, tell the agent. */
    private judge(reason: MediaLossReason): void {
        if (this.recoveredAt === undefined && this.options.signallingUp?.() === false) {
            // the agent sees "Reconnecting audio"; the attempt waits for the SIP connection
            if (this.health !== 'recovering') this.setHealth('recovering', reason);
            return;
        }
        if (this.recoveredAt === undefined) void this.recover(reason);
        else if (this.health !== 'lost') this.setHealth('lost', reason);
    }

    private async recover(reason: MediaLossReason): Promise<void> {
        this.restarting = true;
        this.setHealth('recovering', reason);
        let accepted = false;
        try {
            accepted = await this.options.recover();
        } catch {
            accepted = false;
        }
        this.restarting = false;
        if (!this.running) return;
        const now = this.options.clock.now();
        this.recoveredAt = now;
        this.disconnectedSince = undefined;
        if (accepted) {
            // `recovering` until a poll sees audio (ok) or one more grace period passes without it (lost)
            this.rejected = false;
        } else {
            this.setHealth('lost', reason);
        }
    }

    private setHealth(health: MediaHealth, reason: MediaLossReason | undefined): void {
        if (health === this.health && reason === this.reason) return;
        this.health = health;
        this.reason = reason;
        if (health === 'ok') this.recoveredAt = undefined;
        this.options.onHealth(health, reason);
    }
}

/** The (first) audio transceiver was stopped: its m-line was rejected or removed. */
function audioTransceiverStopped(pc: WatchedPeerConnection): boolean {
    const transceivers = pc.getTransceivers?.() ?? [];
    const first = transceivers[0];
    return !!first && (first.stopped === true || first.currentDirection === 'stopped');
}
