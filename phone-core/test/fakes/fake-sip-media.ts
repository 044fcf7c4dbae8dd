/**
 * Fakes of the SIP adapter's host ports for node tests: media (microphone, outputs, tones, Web Audio) and
 * network events (`online` / `offline`).
 */
import type { AudioContextLike, AudioOutput, MediaPort, ToneKind } from '../../src/sip/media';
import type { NetworkEventName, NetworkEvents } from '../../src/sip/network';

/** A MediaStream stand-in with audio tracks. */
export class FakeMediaStream {
    readonly id: string;
    private readonly tracks: Array<{ kind: string; enabled: boolean; stop(): void }>;

    constructor(id: string) {
        this.id = id;
        this.tracks = [{ kind: 'audio', enabled: true, stop: () => undefined }];
    }

    getAudioTracks(): Array<{ kind: string; enabled: boolean; stop(): void }> {
        return this.tracks;
    }

    getTracks(): Array<{ kind: string; enabled: boolean; stop(): void }> {
        return this.tracks;
    }
}

/** One recorded audio output. */
export class FakeAudioOutput implements AudioOutput {
    readonly played: unknown[] = [];
    readonly sinkIds: Array<string | undefined> = [];
    stopped = false;

    play(stream: MediaStream): void {
        this.played.push(stream);
    }

    setSinkId(deviceId: string | undefined): Promise<boolean> {
        this.sinkIds.push(deviceId);
        return Promise.resolve(true);
    }

    stop(): void {
        this.stopped = true;
    }
}

/** Records a Web Audio graph. */
export class FakeAudioNode {
    readonly label: string;
    readonly connections: FakeAudioNode[] = [];
    disconnected = false;
    readonly gain = { value: 1 };
    readonly stream: { getAudioTracks(): unknown[] };

    constructor(label: string) {
        this.label = label;
        const track = { kind: 'audio', id: `${label}-track`, enabled: true, stop: () => undefined };
        this.stream = { getAudioTracks: () => [track] };
    }

    connect(node: FakeAudioNode): FakeAudioNode {
        this.connections.push(node);
        return node;
    }

    disconnect(): void {
        this.disconnected = true;
    }
}

/** A fake AudioContext for the conference mixer. */
export class FakeAudioContext {
    state = 'running';
    closed = false;
    readonly nodes: FakeAudioNode[] = [];

    createMediaStreamSource(stream: { id?: string }): FakeAudioNode {
        return this.add(new FakeAudioNode(`source:${stream.id ?? 'stream'}`));
    }

    createMediaStreamDestination(): FakeAudioNode {
        return this.add(new FakeAudioNode(`destination${this.nodes.length}`));
    }

    createGain(): FakeAudioNode {
        return this.add(new FakeAudioNode('gain'));
    }

    close(): Promise<void> {
        this.closed = true;
        this.state = 'closed';
        return Promise.resolve();
    }

    private add(node: FakeAudioNode): FakeAudioNode {
        this.nodes.push(node);
        return node;
    }
}

/** The media port fake: microphone permission and failures are settable. */
export class FakeMediaPort implements MediaPort {
    permission: PermissionState | undefined = 'granted';
    allowedByPolicy: boolean | undefined = true;
    secure: boolean | undefined = true;
    /** getUserMedia rejects with this (a DOMException-like `{ name }`). */
    getUserMediaError: { name: string; message?: string } | undefined;
    readonly constraints: MediaStreamConstraints[] = [];
    readonly outputs: FakeAudioOutput[] = [];
    readonly tones: Array<{ kind: ToneKind; sinkId: string | undefined; stopped: boolean }> = [];
    readonly audioContexts: FakeAudioContext[] = [];
    private streams = 0;

    getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
        this.constraints.push(constraints);
        if (this.getUserMediaError) {
            return Promise.reject(this.getUserMediaError);
        }
        return Promise.resolve(new FakeMediaStream(`mic${++this.streams}`) as unknown as MediaStream);
    }

    queryMicrophonePermission(): Promise<PermissionState | undefined> {
        return Promise.resolve(this.permission);
    }

    microphoneAllowedByPolicy(): boolean | undefined {
        return this.allowedByPolicy;
    }

    isSecureContext(): boolean | undefined {
        return this.secure;
    }

    createAudioOutput(): AudioOutput {
        const output = new FakeAudioOutput();
        this.outputs.push(output);
        return output;
    }

    playTone(kind: ToneKind, sinkId: string | undefined): () => void {
        const tone = { kind, sinkId, stopped: false };
        this.tones.push(tone);
        return () => {
            tone.stopped = true;
        };
    }

    createStream(tracks: MediaStreamTrack[]): MediaStream {
        return {
            id: `stream-of-${tracks.map((t) => t.id).join('+')}`,
            getAudioTracks: () => tracks
        } as unknown as MediaStream;
    }

    createAudioContext(): AudioContextLike {
        const ctx = new FakeAudioContext();
        this.audioContexts.push(ctx);
        return ctx as unknown as AudioContextLike;
    }
}

/** `online` / `offline` events under test control. */
export class FakeNetworkEvents implements NetworkEvents {
    online: boolean | undefined = true;
    private readonly listeners = new Map<NetworkEventName, Set<() => void>>();

    addEventListener(type: NetworkEventName, listener: () => void): void {
        const set = this.listeners.get(type) ?? new Set();
        set.add(listener);
        this.listeners.set(type, set);
    }

    removeEventListener(type: NetworkEventName, listener: () => void): void {
        this.listeners.get(type)?.delete(listener);
    }

    isOnline(): boolean | undefined {
        return this.online;
    }

    /** Fire an event the way the browser would. */
    fire(type: NetworkEventName): void {
        this.online = type === 'online';
        for (const listener of Array.from(this.listeners.get(type) ?? [])) {
            listener();
        }
    }

    listenerCount(): number {
        let n = 0;
        for (const set of this.listeners.values()) {
            n += set.size;
        }
        return n;
    }
}
