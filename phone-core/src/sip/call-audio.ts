/**
 * The media of one call leg as the agent hears it (`CallAudio`): the remote audio output, the ringtone or
 * ringback, and the quality and media-loss monitors (call-quality.ts, media-watch.ts) of the established call.
 * It owns those four; the {@link CallSession} it belongs to decides when they start and stop, and reads the media
 * health for the call's snapshot.
 */
import type { Session } from 'sip.js';
import type { Clock } from '../util/clock';
import { CallQualityMonitor, type QualityScore, type StatsLike } from './call-quality';
import type { AudioDevices, AudioOutput, MediaPort } from './media';
import { MediaWatch, type WatchedPeerConnection } from './media-watch';
import { peerConnectionOf, remoteStreamOf } from './session-access';
import type { SipPhoneError } from './types';

/** What a call's media needs from the phone around it (part of `CallSessionContext`). */
export interface CallAudioContext {
    clock: Clock;
    media: MediaPort;
    devices: () => AudioDevices;
    playTones: boolean;
    qualityIntervalMs: number;
    /** Media loss detection (media-watch.ts): poll interval and grace period. */
    mediaWatch: { intervalMs: number; graceMs: number };
    /** True while the SIP connection is up (media recovery waits for it). */
    signallingUp: () => boolean;
    onQuality: (callId: string, score: QualityScore) => void;
    onError: (error: SipPhoneError) => void;
}

/** What the media-loss watch asks of the call (see {@link MediaWatch}). */
export interface CallAudioWatchHooks {
    /** Inbound audio is expected now (connected, not held either way). */
    expectsInbound: () => boolean;
    /** Try to get media back (an ICE restart re-INVITE). */
    recover: () => Promise<boolean>;
    /** The media health changed. */
    onHealth: () => void;
}

/** The media of one call; see the module documentation. */
export class CallAudio {
    private readonly ctx: CallAudioContext;
    private readonly callId: string;
    private readonly session: () => Session | undefined;
    private output: AudioOutput | undefined;
    private stopTone: (() => void) | undefined;
    private quality: CallQualityMonitor | undefined;
    private mediaWatch: MediaWatch | undefined;

    constructor(ctx: CallAudioContext, callId: string, session: () => Session | undefined) {
        this.ctx = ctx;
        this.callId = callId;
        this.session = session;
    }

    /** The media-loss watch, once the call was established. */
    get watch(): MediaWatch | undefined {
        return this.mediaWatch;
    }

    /** True while a ringtone or ringback plays. */
    get tonePlaying(): boolean {
        return this.stopTone !== undefined;
    }

    /** Play the remote audio of the bound session (once: a second call finds the output in place). */
    attachRemote(): void {
        const stream = remoteStreamOf(this.session());
        if (!stream || this.output) {
            return;
        }
        try {
            const output = this.ctx.media.createAudioOutput();
            this.output = output;
            output.setSinkId(this.ctx.devices().output).catch((error: unknown) => {
                this.ctx.onError({
                    kind: 'media',
                    message: `speaker selection failed: ${errorText(error)}`,
                    callId: this.callId
                });
            });
            output.play(stream);
        } catch (error) {
            this.ctx.onError({
                kind: 'media',
                message: `remote audio failed: ${errorText(error)}`,
                callId: this.callId
            });
        }
    }

    /** Route this call's audio to another output device (B6). */
    async setOutputDevice(deviceId: string | undefined): Promise<void> {
        await this.output?.setSinkId(deviceId);
    }

    /** Ringtone (`ring`) or local ringback on `sinkId`, replacing any tone playing. */
    startTone(kind: 'ring' | 'ringback', sinkId: string | undefined): void {
        this.stopTones();
        try {
            this.stopTone = this.ctx.media.playTone?.(kind, sinkId);
        } catch {
            this.stopTone = undefined;
        }
    }

    /** Stop the tone playing, if any. */
    stopTones(): void {
        const stop = this.stopTone;
        this.stopTone = undefined;
        stop?.();
    }

    /** Start the quality sampling and the media-loss watch of the established call (once). */
    startMonitors(hooks: CallAudioWatchHooks): void {
        if (this.quality) {
            return;
        }
        this.quality = new CallQualityMonitor({
            clock: this.ctx.clock,
            intervalMs: this.ctx.qualityIntervalMs,
            getStats: () => peerConnectionOf(this.session())?.getStats() as Promise<StatsLike> | undefined,
            onScore: (score) => this.ctx.onQuality(this.callId, score)
        });
        this.quality.start();
        this.mediaWatch = new MediaWatch({
            clock: this.ctx.clock,
            ...this.ctx.mediaWatch,
            peerConnection: () => peerConnectionOf(this.session()) as WatchedPeerConnection | undefined,
            expectsInbound: hooks.expectsInbound,
            recover: hooks.recover,
            signallingUp: () => this.ctx.signallingUp(),
            onHealth: hooks.onHealth
        });
        this.mediaWatch.start();
    }

    /** Stop the tones and the monitors; the output stays while the call plays on (a replaced session). */
    stop(): void {
        this.stopTones();
        this.quality?.stop();
        this.mediaWatch?.stop();
    }

    /** Stop and drop the remote audio output (the call ended or its session was replaced). */
    dropOutput(): void {
        this.output?.stop();
        this.output = undefined;
    }
}

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
