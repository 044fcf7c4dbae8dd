/**
 * Media port: microphone, audio output routing and tones (B6 device selection), behind an interface so the
 * SIP adapter runs in node tests with a fake, and in the browser with {@link browserMediaPort}.
 *
 * - microphone: `getUserMedia` with the selected input device, falling back to the default device when the
 *   selected one disappeared; a permission preflight that says what to fix (FAULT-CASES: "Microphone denied
 *   or blocked by Permissions-Policy: check before registering and say what to fix");
 * - output: one audio element per call, routed with `setSinkId` to the speaker device;
 * - tones: ringtone on the ring device, local ringback on the speaker device.
 */
import type { Web } from 'sip.js';

/** Why the microphone cannot be used. */
export type MicrophoneProblem =
    'insecure-context' | 'unsupported' | 'denied' | 'blocked-by-policy' | 'not-found' | 'in-use' | 'unknown';

const ADVICE: Readonly<Record<MicrophoneProblem, string>> = {
    'insecure-context':
        'The page is not served over HTTPS; the browser only gives the microphone to secure pages.',
    unsupported: 'This browser does not offer microphone access (navigator.mediaDevices is missing).',
    denied: 'Microphone access was denied. Allow the microphone for this site in the browser (lock icon in the address bar) and reload.',
    'blocked-by-policy':
        'The microphone is blocked by the page\u2019s Permissions-Policy. An admin must allow the microphone for the SIP host (CSP Trusted Site with microphone enabled).',
    'not-found':
        'No microphone was found. Connect a headset or microphone and choose it in the phone settings.',
    'in-use':
        'The microphone is in use by another application or cannot be opened. Close the other application or pick another device.',
    unknown: 'The microphone could not be opened.'
};

/** A microphone failure with a code the UI can branch on and advice an agent can follow. */
export class MicrophoneError extends Error {
    readonly code: MicrophoneProblem;
    readonly advice: string;

    constructor(code: MicrophoneProblem, detail?: string) {
        super(detail ? `${ADVICE[code]} (${detail})` : ADVICE[code]);
        this.name = 'MicrophoneError';
        this.code = code;
        this.advice = ADVICE[code];
    }
}

/** Maps a getUserMedia rejection to a {@link MicrophoneError}. */
export function microphoneErrorFrom(error: unknown): MicrophoneError {
    if (error instanceof MicrophoneError) {
        return error;
    }
    const name = (error as { name?: unknown } | undefined)?.name;
    const message = (error as { message?: unknown } | undefined)?.message;
    const detail = typeof message === 'string' ? message : undefined;
    switch (name) {
        case 'NotAllowedError':
        case 'PermissionDeniedError':
            return new MicrophoneError('denied', detail);
        case 'SecurityError':
            return new MicrophoneError('blocked-by-policy', detail);
        case 'NotFoundError':
        case 'DevicesNotFoundError':
        case 'OverconstrainedError':
            return new MicrophoneError('not-found', detail);
        case 'NotReadableError':
        case 'TrackStartError':
        case 'AbortError':
            return new MicrophoneError('in-use', detail);
        default:
            return new MicrophoneError('unknown', detail);
    }
}

/** Plays one call's remote audio. */
export interface AudioOutput {
    /** Start playing `stream`. */
    play(stream: MediaStream): void;
    /** Route to an output device; '' or undefined = system default. Resolves false when not supported. */
    setSinkId(deviceId: string | undefined): Promise<boolean>;
    /** Stop playing and release the element. */
    stop(): void;
}

/** Local tones. */
export type ToneKind = 'ring' | 'ringback';

/** Subset of the Web Audio API the conference mixer uses (a real AudioContext satisfies it). */
export interface AudioContextLike {
    createMediaStreamSource(stream: MediaStream): AudioNode;
    createMediaStreamDestination(): MediaStreamAudioDestinationNode;
    createGain(): GainNode;
    close(): Promise<void>;
    readonly state: string;
    resume?(): Promise<void>;
}

/** Media port: everything the SIP adapter needs from the browser's media stack. */
export interface MediaPort {
    /** `navigator.mediaDevices.getUserMedia`. */
    getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
    /** Microphone permission state without prompting; undefined when the Permissions API cannot tell. */
    queryMicrophonePermission?(): Promise<PermissionState | undefined>;
    /** False when the document's Permissions-Policy forbids the microphone; undefined when unknown. */
    microphoneAllowedByPolicy?(): boolean | undefined;
    /** False on an insecure page; undefined when unknown. */
    isSecureContext?(): boolean | undefined;
    /** `navigator.mediaDevices.enumerateDevices`. */
    enumerateDevices?(): Promise<MediaDeviceInfo[]>;
    /** A new output for one call's remote audio. */
    createAudioOutput(): AudioOutput;
    /** Play a tone on a device; returns the function that stops it. */
    playTone?(kind: ToneKind, sinkId: string | undefined): () => void;
    /** A Web Audio context (three-way conference mixing). */
    createAudioContext?(): AudioContextLike;
    /** `new MediaStream(tracks)` (conference mixing feeds a single track to Web Audio). */
    createStream?(tracks: MediaStreamTrack[]): MediaStream;
}

/** Selected devices (B6). Undefined or '' means the system default. */
export interface AudioDevices {
    input?: string;
    output?: string;
    ring?: string;
}

/** Audio constraints for a device id ('' / undefined = default device). */
export function audioConstraints(deviceId: string | undefined): MediaStreamConstraints {
    const audio: MediaTrackConstraints = {
        echoCancellation: true,
        noiseSuppression: true,
        autoGainControl: true
    };
    if (deviceId) {
        audio.deviceId = { exact: deviceId };
    }
    return { audio, video: false };
}

/**
 * Opens the microphone on `deviceId`; when that device is gone (unplugged headset) falls back to the
 * default device instead of failing the call.
 * @throws MicrophoneError
 */
export async function openMicrophone(media: MediaPort, deviceId: string | undefined): Promise<MediaStream> {
    try {
        return await media.getUserMedia(audioConstraints(deviceId));
    } catch (error) {
        const problem = microphoneErrorFrom(error);
        if (deviceId && problem.code === 'not-found') {
            try {
                return await media.getUserMedia(audioConstraints(undefined));
            } catch (fallbackError) {
                throw microphoneErrorFrom(fallbackError);
            }
        }
        throw problem;
    }
}

/** Result of {@link checkMicrophone}. */
export type MicrophoneCheck =
    { ok: true; permission: PermissionState | 'unknown' } | { ok: false; error: MicrophoneError };

/**
 * Preflight before registering: secure context, Permissions-Policy and the permission state, without
 * prompting. 'prompt' counts as ok (the browser asks on the first call).
 */
export async function checkMicrophone(media: MediaPort): Promise<MicrophoneCheck> {
    if (media.isSecureContext?.() === false) {
        return { ok: false, error: new MicrophoneError('insecure-context') };
    }
    if (media.microphoneAllowedByPolicy?.() === false) {
        return { ok: false, error: new MicrophoneError('blocked-by-policy') };
    }
    let permission: PermissionState | undefined;
    try {
        permission = await media.queryMicrophonePermission?.();
    } catch {
        permission = undefined;
    }
    if (permission === 'denied') {
        return { ok: false, error: new MicrophoneError('denied') };
    }
    return { ok: true, permission: permission ?? 'unknown' };
}

/**
 * A sip.js MediaStreamFactory that opens the currently selected input device.
 * Constraints without audio (sip.js asks for none on some re-INVITEs) yield an empty stream.
 */
export function createMediaStreamFactory(
    media: MediaPort,
    inputDevice: () => string | undefined
): Web.MediaStreamFactory {
    return (constraints: MediaStreamConstraints): Promise<MediaStream> => {
        if (!constraints.audio && !constraints.video) {
            return Promise.resolve(new MediaStream());
        }
        return openMicrophone(media, inputDevice());
    };
}

/** The browser implementation of {@link MediaPort}. */
export function browserMediaPort(): MediaPort {
    const g = globalThis as unknown as {
        navigator?: Navigator;
        document?: Document & {
            permissionsPolicy?: { allowsFeature(feature: string): boolean };
            featurePolicy?: { allowsFeature(feature: string): boolean };
        };
        isSecureContext?: boolean;
        AudioContext?: new () => AudioContext;
    };
    const devices = (): MediaDevices => {
        const md = g.navigator?.mediaDevices;
        if (!md || typeof md.getUserMedia !== 'function') {
            throw new MicrophoneError(g.isSecureContext === false ? 'insecure-context' : 'unsupported');
        }
        return md;
    };
    return {
        getUserMedia: (constraints) => {
            try {
                return devices().getUserMedia(constraints);
            } catch (error) {
                return Promise.reject(error);
            }
        },
        queryMicrophonePermission: async () => {
            const permissions = g.navigator?.permissions;
            if (!permissions || typeof permissions.query !== 'function') {
                return undefined;
            }
            try {
                const status = await permissions.query({ name: 'microphone' as PermissionName });
                return status.state;
            } catch {
                return undefined; // Firefox before 2023 does not know the 'microphone' name
            }
        },
        microphoneAllowedByPolicy: () => {
            const policy = g.document?.permissionsPolicy ?? g.document?.featurePolicy;
            return policy ? policy.allowsFeature('microphone') : undefined;
        },
        isSecureContext: () => g.isSecureContext,
        enumerateDevices: () => devices().enumerateDevices(),
        createAudioOutput: () => new ElementAudioOutput(),
        playTone: (kind, sinkId) => playBrowserTone(g.AudioContext, kind, sinkId),
        createStream: (tracks) => new MediaStream(tracks),
        createAudioContext: () => {
            if (!g.AudioContext) {
                throw new Error('Web Audio is not available');
            }
            return new g.AudioContext();
        }
    };
}

/** One `<audio>` element (not attached to the DOM: Chromium plays detached media elements). */
class ElementAudioOutput implements AudioOutput {
    private element: HTMLAudioElement | undefined;

    play(stream: MediaStream): void {
        const element = this.ensure();
        if (!element) {
            return;
        }
        element.srcObject = stream;
        element.play().catch(() => undefined); // autoplay is allowed after the user's answer click
    }

    async setSinkId(deviceId: string | undefined): Promise<boolean> {
        const element = this.ensure();
        if (!element || typeof element.setSinkId !== 'function') {
            return false;
        }
        await element.setSinkId(deviceId ?? '');
        return true;
    }

    stop(): void {
        if (this.element) {
            this.element.pause();
            this.element.srcObject = null;
            this.element = undefined;
        }
    }

    private ensure(): HTMLAudioElement | undefined {
        if (!this.element && typeof document !== 'undefined') {
            this.element = document.createElement('audio');
            this.element.autoplay = true;
        }
        return this.element;
    }
}

/** Cadences: ring 2 s on / 4 s off (two tones), ringback 1 s on / 4 s off (425 Hz, ETSI). */
const TONES: Readonly<Record<ToneKind, { freqs: number[]; on: number; off: number }>> = {
    ring: { freqs: [440, 480], on: 2, off: 4 },
    ringback: { freqs: [425], on: 1, off: 4 }
};

function playBrowserTone(
    Ctor: (new () => AudioContext) | undefined,
    kind: ToneKind,
    sinkId: string | undefined
): () => void {
    if (!Ctor || typeof document === 'undefined') {
        return () => undefined;
    }
    const spec = TONES[kind];
    const ctx = new Ctor();
    const gain = ctx.createGain();
    gain.gain.value = 0;
    const destination = ctx.createMediaStreamDestination();
    gain.connect(destination);
    const oscillators = spec.freqs.map((frequency) => {
        const osc = ctx.createOscillator();
        osc.frequency.value = frequency;
        osc.connect(gain);
        osc.start();
        return osc;
    });
    // Schedule two minutes of cadence; a ring never lasts longer than the ring timeout.
    const start = ctx.currentTime + 0.05;
    for (let t = 0; t < 120; t += spec.on + spec.off) {
        gain.gain.setValueAtTime(0.15, start + t);
        gain.gain.setValueAtTime(0, start + t + spec.on);
    }
    const output = new ElementAudioOutput();
    output.setSinkId(sinkId).catch(() => undefined);
    output.play(destination.stream);
    let stopped = false;
    return () => {
        if (stopped) {
            return;
        }
        stopped = true;
        oscillators.forEach((osc) => {
            try {
                osc.stop();
            } catch {
                // already stopped
            }
        });
        output.stop();
        ctx.close().catch(() => undefined);
    };
}
