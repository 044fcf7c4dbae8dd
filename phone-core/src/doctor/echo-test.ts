/**
 * The Phone Doctor's echo test (B8): a few seconds of the agent's microphone sent from one peer connection to
 * a second one in the same page, with the contact centre's configured ICE servers, then round-trip time and
 * packet loss read from `getStats()`.
 *
 * Why a loopback and not a call to an echo extension: when the contact centre configures TURN (the path
 * agents behind strict firewalls depend on) the loopback is forced through it (`iceTransportPolicy:
 * 'relay'`), so the audio goes browser -> TURN server -> browser over the same network path as a call, and
 * the candidate pair's `currentRoundTripTime` (ICE consent checks through the relay) is the round trip to
 * the contact centre's media edge and back. It needs no registration, no seat and no agent status change,
 * so it also runs while the phone is broken (which is when the Doctor is opened), and places no call the
 * contact centre would record. Without TURN it measures the browser's own media stack only (the detail
 * says `local`); the WebSocket and ICE checks cover reachability then.
 *
 * @packageDocumentation
 */
import type { Clock } from '../util/clock';

/** Creates a peer connection (the browser's `RTCPeerConnection`; a test passes a fake). */
export type PeerConnectionFactory = (config: RTCConfiguration) => RTCPeerConnection;

/** Options of {@link runEchoTest}. */
export interface EchoTestOptions {
    clock: Clock;
    /** How long audio flows before the statistics are read. */
    durationMs: number;
    /** The wait for the two ends to connect. */
    connectTimeoutMs: number;
    /** Force the TURN relay (TURN is configured). */
    relayOnly: boolean;
}

/** Round trip (ms) and packet loss (%), and whether the path went through TURN. */
export interface EchoResult {
    rttMs: number;
    lossPct: number;
    path: 'relay' | 'local';
}

/** `promise`, or `fallback` after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, clock: Clock, fallback: T): Promise<T> {
    return new Promise<T>((resolve) => {
        const timer = clock.setTimeout(() => resolve(fallback), ms);
        promise.then(
            (value) => {
                clock.clearTimeout(timer);
                resolve(value);
            },
            () => {
                clock.clearTimeout(timer);
                resolve(fallback);
            }
        );
    });
}

/** Runs the echo test; null when the two ends did not connect or no statistics came. */
export async function runEchoTest(
    createPeerConnection: PeerConnectionFactory,
    stream: MediaStream,
    iceServers: readonly RTCIceServer[],
    options: EchoTestOptions
): Promise<EchoResult | null> {
    const config: RTCConfiguration = {
        iceServers: [...iceServers],
        iceTransportPolicy: options.relayOnly ? 'relay' : 'all'
    };
    let sender: RTCPeerConnection | null = null;
    let receiver: RTCPeerConnection | null = null;
    try {
        sender = createPeerConnection(config);
        receiver = createPeerConnection(config);
        const a = sender;
        const b = receiver;
        a.onicecandidate = (event) => {
            if (event.candidate) void b.addIceCandidate(event.candidate).catch(() => undefined);
        };
        b.onicecandidate = (event) => {
            if (event.candidate) void a.addIceCandidate(event.candidate).catch(() => undefined);
        };
        for (const track of stream.getAudioTracks()) a.addTrack(track, stream);
        const connected = new Promise<boolean>((resolve) => {
            a.onconnectionstatechange = () => {
                if (a.connectionState === 'connected') resolve(true);
                if (a.connectionState === 'failed') resolve(false);
            };
        });
        await a.setLocalDescription(await a.createOffer());
        await b.setRemoteDescription(a.localDescription as RTCSessionDescriptionInit);
        await b.setLocalDescription(await b.createAnswer());
        await a.setRemoteDescription(b.localDescription as RTCSessionDescriptionInit);
        if (!(await withTimeout(connected, options.connectTimeoutMs, options.clock, false))) return null;
        await new Promise<void>((resolve) => options.clock.setTimeout(resolve, options.durationMs));
        return echoOfStats(await a.getStats(), await b.getStats(), options.relayOnly);
    } catch {
        return null;
    } finally {
        sender?.close();
        receiver?.close();
    }
}

type Stat = Record<string, unknown> & { type?: string; id?: string };

/** Round trip from the sender's selected candidate pair, loss from the receiver's inbound RTP. */
export function echoOfStats(
    senderStats: RTCStatsReport | Iterable<[string, Stat]>,
    receiverStats: RTCStatsReport | Iterable<[string, Stat]>,
    relay: boolean
): EchoResult | null {
    const sent = [...(senderStats as Iterable<[string, Stat]>)].map(([, stat]) => stat);
    const received = [...(receiverStats as Iterable<[string, Stat]>)].map(([, stat]) => stat);
    const transport = sent.find((stat) => stat.type === 'transport' && stat.selectedCandidatePairId);
    const pair =
        sent.find(
            (stat) => stat.type === 'candidate-pair' && stat.id === transport?.selectedCandidatePairId
        ) ??
        sent.find(
            (stat) => stat.type === 'candidate-pair' && stat.nominated === true && stat.state === 'succeeded'
        );
    const rtt = typeof pair?.currentRoundTripTime === 'number' ? pair.currentRoundTripTime : undefined;
    const inbound = received.find((stat) => stat.type === 'inbound-rtp' && stat.kind === 'audio');
    const got = typeof inbound?.packetsReceived === 'number' ? inbound.packetsReceived : undefined;
    const lost = typeof inbound?.packetsLost === 'number' ? Math.max(0, inbound.packetsLost) : 0;
    if (rtt === undefined || got === undefined || got === 0) return null;
    return { rttMs: rtt * 1000, lossPct: (lost / (got + lost)) * 100, path: relay ? 'relay' : 'local' };
}
