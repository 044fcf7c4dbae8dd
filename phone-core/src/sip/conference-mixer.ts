/**
 * Three-way conference by local mixing (F8): the agent's browser is the bridge.
 *
 * ```text
 *   mic ──► micGain ──┬──► destA ──► sender of leg A   (A hears: agent + B)
 *                     └──► destB ──► sender of leg B   (B hears: agent + A)
 *   remote A ────────────► destB
 *   remote B ────────────► destA
 * ```
 * The agent hears both parties through each call's own audio output. Each leg's sender track is swapped with
 * `RTCRtpSender.replaceTrack` (no renegotiation) and put back when the conference ends.
 */
import type { AudioContextLike } from './media';

/** What the mixer needs of one call leg. */
export interface ConferenceLeg {
    /** The remote party's audio (sip.js: `sessionDescriptionHandler.remoteMediaStream`). */
    remoteStream: MediaStream;
    /** The leg's audio sender. */
    sender: Pick<RTCRtpSender, 'replaceTrack' | 'track'>;
}

/** Builds a MediaStream around a track (a port so node tests need no MediaStream global). */
export type StreamFromTrack = (track: MediaStreamTrack) => MediaStream;

const defaultStreamFromTrack: StreamFromTrack = (track) => new MediaStream([track]);

/** A running local mix of two legs; see the module documentation. */
export class ConferenceMixer {
    private readonly ctx: AudioContextLike;
    private readonly legA: ConferenceLeg;
    private readonly legB: ConferenceLeg;
    private readonly streamFromTrack: StreamFromTrack;
    private micGain: GainNode | undefined;
    private nodes: AudioNode[] = [];
    private originalA: MediaStreamTrack | null = null;
    private originalB: MediaStreamTrack | null = null;
    private active = false;

    constructor(
        ctx: AudioContextLike,
        legA: ConferenceLeg,
        legB: ConferenceLeg,
        streamFromTrack?: StreamFromTrack
    ) {
        this.ctx = ctx;
        this.legA = legA;
        this.legB = legB;
        this.streamFromTrack = streamFromTrack ?? defaultStreamFromTrack;
    }

    /** True between start() and stop(). */
    get isActive(): boolean {
        return this.active;
    }

    /**
     * Build the graph and swap both senders to the mixed tracks.
     * @param muted - start with the agent muted in both legs
     * @throws Error when a leg has no microphone track to mix
     */
    async start(muted = false): Promise<void> {
        if (this.active) {
            return;
        }
        this.originalA = this.legA.sender.track;
        this.originalB = this.legB.sender.track;
        const micTrack = this.originalA ?? this.originalB;
        if (!micTrack) {
            throw new Error('No microphone track to mix into the conference');
        }
        if (this.ctx.state === 'suspended' && this.ctx.resume) {
            await this.ctx.resume();
        }
        // mute moves from the track to the gain node: a disabled track would feed silence to the mix
        micTrack.enabled = true;
        const mic = this.ctx.createMediaStreamSource(this.streamFromTrack(micTrack));
        const micGain = this.ctx.createGain();
        micGain.gain.value = muted ? 0 : 1;
        const remoteA = this.ctx.createMediaStreamSource(this.legA.remoteStream);
        const remoteB = this.ctx.createMediaStreamSource(this.legB.remoteStream);
        const destA = this.ctx.createMediaStreamDestination();
        const destB = this.ctx.createMediaStreamDestination();
        mic.connect(micGain);
        micGain.connect(destA);
        micGain.connect(destB);
        remoteB.connect(destA);
        remoteA.connect(destB);
        this.micGain = micGain;
        this.nodes = [mic, micGain, remoteA, remoteB, destA, destB];
        const [mixA] = destA.stream.getAudioTracks();
        const [mixB] = destB.stream.getAudioTracks();
        if (!mixA || !mixB) {
            throw new Error('Web Audio produced no track');
        }
        this.active = true;
        await Promise.all([this.legA.sender.replaceTrack(mixA), this.legB.sender.replaceTrack(mixB)]);
    }

    /** Mute or unmute the agent in both legs (the senders carry mixes, so their tracks must stay enabled). */
    setMuted(muted: boolean): void {
        if (this.micGain) {
            this.micGain.gain.value = muted ? 0 : 1;
        }
    }

    /** Put the original microphone tracks back and release the graph. Safe to call twice. */
    async stop(): Promise<void> {
        if (!this.active) {
            return;
        }
        this.active = false;
        const restores = [
            this.legA.sender.replaceTrack(this.originalA).catch(() => undefined),
            this.legB.sender.replaceTrack(this.originalB).catch(() => undefined)
        ];
        for (const node of this.nodes) {
            try {
                node.disconnect();
            } catch {
                // already disconnected
            }
        }
        this.nodes = [];
        this.micGain = undefined;
        await Promise.all(restores);
        await this.ctx.close().catch(() => undefined);
    }
}
