/**
 * A sip.js SessionDescriptionHandler without WebRTC, for node tests: it produces SDP with the direction the
 * options ask for (hold -> sendonly), a new ICE ufrag on `offerOptions.iceRestart`, records what it was given,
 * and exposes a fake peer connection (senders with tracks, getStats) so mute, DTMF and quality can be checked.
 */
import type { Session, SessionDescriptionHandler, SessionDescriptionHandlerFactory, Web } from 'sip.js';
import { answerDirection, directionOf, fakeSdp, type Direction } from './fake-sip-wire';

/** A MediaStreamTrack stand-in. */
export class FakeTrack {
    enabled = true;
    stopped = false;
    readonly kind = 'audio';
    readonly id: string;

    constructor(id: string) {
        this.id = id;
    }

    stop(): void {
        this.stopped = true;
    }
}

/** An RTCRtpSender stand-in. */
export class FakeSender {
    track: FakeTrack | null;
    readonly replaced: Array<FakeTrack | null> = [];
    readonly dtmf = null;

    constructor(track: FakeTrack) {
        this.track = track;
    }

    replaceTrack(track: FakeTrack | null): Promise<void> {
        this.replaced.push(track);
        this.track = track;
        return Promise.resolve();
    }
}

/** An RTCPeerConnection stand-in with what the adapter touches. */
export class FakePeerConnection {
    readonly senders: FakeSender[];
    readonly receivers: Array<{ track: FakeTrack }>;
    configuration: RTCConfiguration = { iceServers: [] };
    readonly configurations: RTCConfiguration[] = [];
    /** Stats returned by getStats() (a Map like RTCStatsReport). */
    stats = new Map<string, Record<string, unknown>>();
    /** What the media watch reads: ICE state and the audio transceiver (stopped: its m-line was rejected). */
    iceConnectionState: RTCIceConnectionState = 'connected';
    readonly transceivers = [{ stopped: false, currentDirection: 'sendrecv' as string | null }];

    constructor(id: string) {
        this.senders = [new FakeSender(new FakeTrack(`${id}-mic`))];
        this.receivers = [{ track: new FakeTrack(`${id}-remote`) }];
    }

    getSenders(): FakeSender[] {
        return this.senders;
    }

    getReceivers(): Array<{ track: FakeTrack }> {
        return this.receivers;
    }

    getTransceivers(): Array<{ stopped: boolean; currentDirection: string | null }> {
        return this.transceivers;
    }

    /** Inbound audio as getStats reports it: `packets` received so far. */
    receiving(packets: number): void {
        this.stats = new Map([['in', { type: 'inbound-rtp', kind: 'audio', packetsReceived: packets }]]);
    }

    getConfiguration(): RTCConfiguration {
        return this.configuration;
    }

    setConfiguration(configuration: RTCConfiguration): void {
        this.configuration = configuration;
        this.configurations.push(configuration);
    }

    getStats(): Promise<Map<string, Record<string, unknown>>> {
        return Promise.resolve(this.stats);
    }
}

/** Options of the fake SDH factory. */
export interface FakeSdhBehaviour {
    /** sendDtmf() succeeds (RTP telephone-events); false forces the SIP INFO fallback. */
    rtpDtmf: boolean;
    /** getDescription() rejects with this error (e.g. a MicrophoneError). */
    failWith?: Error;
}

/** Fake SDH; see the module documentation. */
export class FakeSessionDescriptionHandler implements SessionDescriptionHandler {
    readonly id: string;
    readonly session: Session;
    readonly peerConnection: FakePeerConnection;
    readonly remoteMediaStream: { id: string };
    readonly descriptionOptions: Array<Web.SessionDescriptionHandlerOptions | undefined> = [];
    readonly remoteDescriptions: string[] = [];
    readonly dtmfSent: string[] = [];
    readonly localDescriptions: string[] = [];
    closed = false;
    private ufragGeneration = 0;
    private readonly behaviour: FakeSdhBehaviour;

    constructor(id: string, session: Session, behaviour: FakeSdhBehaviour) {
        this.id = id;
        this.session = session;
        this.behaviour = behaviour;
        this.peerConnection = new FakePeerConnection(id);
        this.remoteMediaStream = { id: `${id}-remote-stream` };
    }

    getDescription(
        options?: Web.SessionDescriptionHandlerOptions
    ): Promise<{ body: string; contentType: string }> {
        if (this.closed) {
            return Promise.reject(new Error('Peer connection closed.'));
        }
        if (this.behaviour.failWith) {
            return Promise.reject(this.behaviour.failWith);
        }
        this.descriptionOptions.push(options);
        if (options?.offerOptions?.iceRestart) {
            this.ufragGeneration++;
        }
        const lastRemote = this.remoteDescriptions[this.remoteDescriptions.length - 1];
        const answering = this.remoteDescriptions.length > this.localDescriptions.length;
        let direction: Direction = options?.hold ? 'sendonly' : 'sendrecv';
        if (answering && lastRemote) {
            const offered = answerDirection(directionOf(lastRemote));
            direction = options?.hold && offered === 'sendrecv' ? 'sendonly' : offered;
        }
        const sdp = fakeSdp(direction, `${this.id}-u${this.ufragGeneration}`);
        this.localDescriptions.push(sdp);
        return Promise.resolve({ body: sdp, contentType: 'application/sdp' });
    }

    setDescription(sdp: string): Promise<void> {
        if (this.closed) {
            return Promise.reject(new Error('Peer connection closed.'));
        }
        this.remoteDescriptions.push(sdp);
        return Promise.resolve();
    }

    hasDescription(contentType: string): boolean {
        return contentType === 'application/sdp';
    }

    rollbackDescription(): Promise<void> {
        return Promise.resolve();
    }

    sendDtmf(tones: string): boolean {
        if (!this.behaviour.rtpDtmf) {
            return false;
        }
        this.dtmfSent.push(tones);
        return true;
    }

    close(): void {
        this.closed = true;
    }
}

/** Creates fake SDHs and keeps them for assertions. */
export class FakeSdhFactory {
    readonly behaviour: FakeSdhBehaviour = { rtpDtmf: true };
    readonly created: FakeSessionDescriptionHandler[] = [];

    /** The factory to pass as `sessionDescriptionHandlerFactory`. */
    readonly factory: SessionDescriptionHandlerFactory = (session: Session) => {
        const sdh = new FakeSessionDescriptionHandler(
            `sdh${this.created.length + 1}`,
            session,
            this.behaviour
        );
        this.created.push(sdh);
        return sdh;
    };

    /** The SDH of a session. */
    of(session: Session | undefined): FakeSessionDescriptionHandler | undefined {
        return this.created.find((s) => s.session === session);
    }

    /** The most recent SDH. */
    get last(): FakeSessionDescriptionHandler | undefined {
        return this.created[this.created.length - 1];
    }
}
