import {
    gatherBrowserFacts,
    hostOf,
    iceConfigFacts,
    microphoneFacts,
    permissionsPolicyFacts,
    type DoctorBrowser,
    type DoctorDocument,
    type ViolationEventLike,
    type WebSocketLike
} from '../../src/doctor/browser-probes';
import { echoOfStats, runEchoTest } from '../../src/doctor/echo-test';
import { runDoctorChecks, SERVER_DOCTOR_CHECKS } from '../../src/doctor/phone-doctor';
import { ManualClock } from '../fakes/manual-clock';

/** Lets the probe's promise chains run and moves the manual clock on until `promise` settles. */
async function settle<T>(promise: Promise<T>, clock: ManualClock, stepMs = 100): Promise<T> {
    let done = false;
    const watched = promise.finally(() => {
        done = true;
    });
    for (let i = 0; i < 1000 && !done; i++) {
        await new Promise((resolve) => setImmediate(resolve));
        if (!done) clock.advance(stepMs);
    }
    return watched;
}

function track(): MediaStreamTrack & { stopped: boolean } {
    const t = { kind: 'audio', stopped: false, stop: () => (t.stopped = true) };
    return t as unknown as MediaStreamTrack & { stopped: boolean };
}

function stream(tracks = [track()]): MediaStream {
    return { getTracks: () => tracks, getAudioTracks: () => tracks } as unknown as MediaStream;
}

function namedError(name: string): Error {
    const e = new Error(name);
    e.name = name;
    return e;
}

class FakeDocument implements DoctorDocument {
    listeners = new Set<(event: ViolationEventLike) => void>();
    permissionsPolicy = { allowsFeature: (feature: string) => feature === 'microphone' && this.allowMic };
    constructor(public allowMic = true) {}
    addEventListener(_type: 'securitypolicyviolation', listener: (event: ViolationEventLike) => void): void {
        this.listeners.add(listener);
    }
    removeEventListener(
        _type: 'securitypolicyviolation',
        listener: (event: ViolationEventLike) => void
    ): void {
        this.listeners.delete(listener);
    }
    violate(blockedURI: string): void {
        for (const listener of this.listeners) listener({ blockedURI });
    }
}

class FakeSocket implements WebSocketLike {
    onopen: ((event: Event) => void) | null = null;
    onerror: ((event: Event) => void) | null = null;
    onclose: ((event: CloseEvent) => void) | null = null;
    closed = false;
    close(): void {
        this.closed = true;
    }
}

/** A peer connection pair that connects and reports fixed statistics. */
class FakePeer {
    static made: FakePeer[] = [];
    onicecandidate: ((event: { candidate: { type?: string; candidate: string } | null }) => void) | null =
        null;
    onicegatheringstatechange: (() => void) | null = null;
    onconnectionstatechange: (() => void) | null = null;
    iceGatheringState = 'new';
    connectionState = 'new';
    localDescription: unknown = null;
    closed = false;
    tracks: unknown[] = [];
    constructor(
        public config: RTCConfiguration,
        private readonly candidateTypes: string[],
        private readonly stats: Array<[string, Record<string, unknown>]>
    ) {
        FakePeer.made.push(this);
    }
    createDataChannel(): void {}
    addTrack(t: unknown): void {
        this.tracks.push(t);
    }
    async createOffer(): Promise<RTCSessionDescriptionInit> {
        return { type: 'offer', sdp: 'v=0' };
    }
    async createAnswer(): Promise<RTCSessionDescriptionInit> {
        return { type: 'answer', sdp: 'v=0' };
    }
    async setLocalDescription(description: RTCSessionDescriptionInit): Promise<void> {
        this.localDescription = description;
        setImmediate(() => {
            for (const type of this.candidateTypes) {
                this.onicecandidate?.({
                    candidate: { candidate: `candidate:1 1 udp 1 10.0.0.1 5000 typ ${type}` }
                });
            }
            this.iceGatheringState = 'complete';
            this.onicegatheringstatechange?.();
            this.onicecandidate?.({ candidate: null });
        });
    }
    async setRemoteDescription(): Promise<void> {
        setImmediate(() => {
            this.connectionState = 'connected';
            this.onconnectionstatechange?.();
        });
    }
    async addIceCandidate(): Promise<void> {}
    async getStats(): Promise<Array<[string, Record<string, unknown>]>> {
        return this.stats;
    }
    close(): void {
        this.closed = true;
    }
}

const STATS: Array<[string, Record<string, unknown>]> = [
    ['T1', { type: 'transport', id: 'T1', selectedCandidatePairId: 'CP1' }],
    ['CP1', { type: 'candidate-pair', id: 'CP1', currentRoundTripTime: 0.084 }],
    ['IN', { type: 'inbound-rtp', kind: 'audio', packetsReceived: 196, packetsLost: 4 }]
];

const TARGET = {
    wssUrl: 'wss://sip.cc.example:443/ws',
    iceServers: [
        { urls: 'stun:stun.cc.example:3478' },
        { urls: ['turns:turn.cc.example:443'], username: 'u', credential: 'c' }
    ]
};

function healthyBrowser(clock: ManualClock, overrides: Partial<DoctorBrowser> = {}) {
    const mic = track();
    const sockets: FakeSocket[] = [];
    const document = new FakeDocument();
    const browser: DoctorBrowser = {
        clock,
        permissions: { query: async () => ({ state: 'granted' }) },
        mediaDevices: {
            getUserMedia: async () => stream([mic]),
            enumerateDevices: async () => [{ kind: 'audioinput' }, { kind: 'audiooutput' }]
        },
        document,
        createWebSocket: () => {
            const socket = new FakeSocket();
            sockets.push(socket);
            setImmediate(() => socket.onopen?.(new Event('open')));
            return socket;
        },
        createPeerConnection: (config) =>
            new FakePeer(config, ['host', 'srflx', 'relay'], STATS) as unknown as RTCPeerConnection,
        ...overrides
    };
    return { browser, mic, sockets, document };
}

beforeEach(() => {
    FakePeer.made = [];
});

describe('Phone Doctor browser facts (B8)', () => {
    it('a healthy browser gives facts that are green for every browser check, and releases what it opened', async () => {
        const clock = new ManualClock();
        const { browser, mic, sockets } = healthyBrowser(clock);
        const facts = await settle(gatherBrowserFacts(browser, TARGET), clock);
        expect(facts).toMatchObject({
            microphonePermission: 'granted',
            audioInputs: 1,
            permissionsPolicyAllowsMicrophone: true,
            sipHost: 'sip.cc.example',
            cspAllowsSipHost: true,
            websocketOpened: true,
            stunConfigured: true,
            turnConfigured: true,
            iceCandidateTypes: ['host', 'relay', 'srflx'],
            echo: { path: 'relay' }
        });
        expect(facts.echo?.rttMs).toBeCloseTo(84);
        expect(facts.echo?.lossPct).toBeCloseTo(2);
        // every check but the org's (and LWS, which the host tells) is measured here, and green
        const browserChecks = runDoctorChecks(facts).filter(
            (r) => !SERVER_DOCTOR_CHECKS.includes(r.id) && r.id !== 'lightning-web-security'
        );
        expect(browserChecks).toHaveLength(7);
        expect(browserChecks.filter((r) => r.status !== 'green')).toEqual([]);
        expect(mic.stopped).toBe(true);
        expect(sockets.every((s) => s.closed)).toBe(true);
        expect(FakePeer.made.every((p) => p.closed)).toBe(true);
        // with TURN configured the echo is forced through the relay
        expect(FakePeer.made.some((p) => p.config.iceTransportPolicy === 'relay')).toBe(true);
    });

    it('a denied microphone: permission denied, no echo test, the devices still counted', async () => {
        const clock = new ManualClock();
        const { browser } = healthyBrowser(clock, {
            permissions: { query: async () => ({ state: 'prompt' }) },
            mediaDevices: {
                getUserMedia: async () => Promise.reject(namedError('NotAllowedError')),
                enumerateDevices: async () => [{ kind: 'audioinput' }]
            }
        });
        const facts = await settle(gatherBrowserFacts(browser, TARGET), clock);
        expect(facts.microphonePermission).toBe('denied');
        expect(facts.audioInputs).toBe(1);
        expect(facts.echo).toBeUndefined();
        const mic = runDoctorChecks(facts).find((r) => r.id === 'microphone-permission');
        expect(mic).toMatchObject({ status: 'red', fix: 'Phone_Doctor_FixMicrophonePermission' });
    });

    it('no microphone: NotFoundError counts no audio input', async () => {
        const { facts } = await microphoneFacts({
            mediaDevices: {
                getUserMedia: async () => Promise.reject(namedError('NotFoundError')),
                enumerateDevices: async () => []
            }
        });
        expect(facts).toEqual({ audioInputs: 0 });
    });

    it('the permission query failing (Firefox) falls back to getUserMedia', async () => {
        const result = await microphoneFacts({
            permissions: { query: async () => Promise.reject(new TypeError('microphone')) },
            mediaDevices: {
                getUserMedia: async () => stream(),
                enumerateDevices: async () => [{ kind: 'audioinput' }]
            }
        });
        expect(result.facts).toEqual({ microphonePermission: 'granted', audioInputs: 1 });
        expect(result.stream).toBeDefined();
    });

    it('the Permissions-Policy: permissionsPolicy, else featurePolicy, else unknown', () => {
        expect(permissionsPolicyFacts(new FakeDocument(false))).toEqual({
            permissionsPolicyAllowsMicrophone: false
        });
        const legacy = { featurePolicy: { allowsFeature: () => true } } as unknown as DoctorDocument;
        expect(permissionsPolicyFacts(legacy)).toEqual({ permissionsPolicyAllowsMicrophone: true });
        expect(permissionsPolicyFacts(undefined)).toEqual({});
    });

    it('a CSP that refuses the SIP host in the constructor (SecurityError): trusted site red, WebSocket unknown', async () => {
        const clock = new ManualClock();
        const { browser } = healthyBrowser(clock, {
            createWebSocket: () => {
                throw namedError('SecurityError');
            }
        });
        const facts = await settle(gatherBrowserFacts(browser, TARGET), clock);
        expect(facts.cspAllowsSipHost).toBe(false);
        expect(facts.websocketOpened).toBeUndefined();
        const results = runDoctorChecks(facts);
        expect(results.find((r) => r.id === 'csp-trusted-site')).toMatchObject({
            status: 'red',
            fix: 'Phone_Doctor_FixTrustedSite',
            detail: 'sip.cc.example'
        });
        expect(results.find((r) => r.id === 'websocket')?.status).toBe('unknown');
    });

    it('a CSP violation event naming the host after the socket failed: trusted site red', async () => {
        const clock = new ManualClock();
        const { browser, document } = healthyBrowser(clock);
        browser.createWebSocket = () => {
            const socket = new FakeSocket();
            setImmediate(() => {
                socket.onerror?.(new Event('error'));
                setImmediate(() => document.violate('wss://sip.cc.example:443/ws'));
            });
            return socket;
        };
        const facts = await settle(gatherBrowserFacts(browser, TARGET), clock, 10);
        expect(facts.cspAllowsSipHost).toBe(false);
        expect(document.listeners.size).toBe(0);
    });

    it('a server that does not answer: WebSocket red after the bounded wait, CSP not blamed', async () => {
        const clock = new ManualClock();
        const { browser } = healthyBrowser(clock, { createWebSocket: () => new FakeSocket() });
        const facts = await settle(gatherBrowserFacts(browser, TARGET, { websocketTimeoutMs: 1000 }), clock);
        expect(facts.websocketOpened).toBe(false);
        expect(facts.cspAllowsSipHost).toBeUndefined();
        expect(runDoctorChecks(facts).find((r) => r.id === 'websocket')).toMatchObject({
            status: 'red',
            fix: 'Phone_Doctor_FixWebSocket'
        });
    });

    it('STUN/TURN: a relay missing with TURN configured is red; without servers a host candidate is enough', async () => {
        const clock = new ManualClock();
        const { browser } = healthyBrowser(clock, {
            createPeerConnection: (config) =>
                new FakePeer(config, ['host', 'srflx'], []) as unknown as RTCPeerConnection
        });
        const facts = await settle(gatherBrowserFacts(browser, TARGET), clock);
        expect(facts.echo).toBeUndefined(); // no statistics: no echo result
        expect(runDoctorChecks(facts).find((r) => r.id === 'stun-turn')).toMatchObject({
            status: 'red',
            fix: 'Phone_Doctor_FixStunTurn'
        });
        const local = { ...iceConfigFacts([]), iceCandidateTypes: ['host'] };
        expect(runDoctorChecks(local).find((r) => r.id === 'stun-turn')?.status).toBe('green');
    });

    it('no target (no credentials): only the microphone and policy facts', async () => {
        const clock = new ManualClock();
        const { browser, mic } = healthyBrowser(clock);
        const facts = await settle(gatherBrowserFacts(browser, null), clock);
        expect(Object.keys(facts).sort()).toEqual([
            'audioInputs',
            'microphonePermission',
            'permissionsPolicyAllowsMicrophone'
        ]);
        expect(mic.stopped).toBe(true);
    });

    it('hostOf and the ICE configuration', () => {
        expect(hostOf('wss://SIP.Example.com:8443/ws')).toBe('sip.example.com');
        expect(hostOf('not a url')).toBe('');
        expect(iceConfigFacts([{ urls: ['stun:a', 'turn:b'] }])).toEqual({
            stunConfigured: true,
            turnConfigured: true
        });
        expect(iceConfigFacts([{ urls: 'stuns:a' }])).toEqual({
            stunConfigured: true,
            turnConfigured: false
        });
    });
});

describe('Phone Doctor echo test', () => {
    it('round trip from the selected pair, loss from inbound RTP; nothing without packets', () => {
        expect(echoOfStats(STATS, STATS, false)).toEqual({ rttMs: 84, lossPct: 2, path: 'local' });
        const nominated: Array<[string, Record<string, unknown>]> = [
            ['CP', { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.5 }]
        ];
        const none: Array<[string, Record<string, unknown>]> = [
            ['IN', { type: 'inbound-rtp', kind: 'audio', packetsReceived: 0 }]
        ];
        expect(echoOfStats(nominated, none, true)).toBeNull();
        expect(echoOfStats(nominated, STATS, true)).toEqual({ rttMs: 500, lossPct: 2, path: 'relay' });
    });

    it('two ends that never connect: null after the bounded wait, both closed', async () => {
        const clock = new ManualClock();
        const create = (config: RTCConfiguration) => {
            const peer = new FakePeer(config, [], STATS);
            peer.setRemoteDescription = async () => undefined;
            return peer as unknown as RTCPeerConnection;
        };
        const result = await settle(
            runEchoTest(create, stream(), [], {
                clock,
                durationMs: 1000,
                connectTimeoutMs: 2000,
                relayOnly: false
            }),
            clock
        );
        expect(result).toBeNull();
        expect(FakePeer.made.every((p) => p.closed)).toBe(true);
        expect(FakePeer.made[0]!.tracks).toHaveLength(1);
    });
});
