/**
 * The Phone Doctor's browser facts (B8): what only the agent's own browser can measure, gathered through
 * injected browser APIs (a test passes fakes) and returned as {@link DoctorFacts} for `runDoctorChecks`.
 *
 * - Microphone: `navigator.permissions.query({ name: 'microphone' })`, then `getUserMedia({ audio: true })`
 *   (NotAllowedError / SecurityError: denied; NotFoundError: no device) and `enumerateDevices()` (audio inputs).
 * - Permissions-Policy: `document.permissionsPolicy.allowsFeature('microphone')` (the older
 *   `document.featurePolicy` where that is what the browser has).
 * - CSP trusted site: a WebSocket to the SIP host; the page's CSP `connect-src` (fed by the org's CSP trusted
 *   sites) refuses it with a `SecurityError` from the constructor or a `securitypolicyviolation` event naming
 *   the host.
 * - WebSocket: the same socket opens (subprotocol `sip`), time to open, then closed.
 * - STUN/TURN: ICE gathering on a peer connection with the configured servers: the candidate types seen.
 * - Echo test: see {@link runEchoTest}.
 *
 * Every probe has a bounded wait; a probe that cannot run leaves its facts out (the check is then `unknown`).
 *
 * @packageDocumentation
 */
import type { Clock } from '../util/clock';
import type { DoctorFacts } from './phone-doctor';
import { runEchoTest, withTimeout, type PeerConnectionFactory } from './echo-test';

/** The `securitypolicyviolation` event's part read here. */
export interface ViolationEventLike {
    blockedURI?: string;
}

/** A Permissions-Policy object (`document.permissionsPolicy` / `document.featurePolicy`). */
export interface PolicyLike {
    allowsFeature(feature: string): boolean;
}

/** The document's part the probes use. */
export interface DoctorDocument {
    permissionsPolicy?: PolicyLike;
    featurePolicy?: PolicyLike;
    addEventListener(type: 'securitypolicyviolation', listener: (event: ViolationEventLike) => void): void;
    removeEventListener(type: 'securitypolicyviolation', listener: (event: ViolationEventLike) => void): void;
}

/** The WebSocket's part the probe uses. */
export interface WebSocketLike {
    onopen: ((event: Event) => void) | null;
    onerror: ((event: Event) => void) | null;
    onclose: ((event: CloseEvent) => void) | null;
    close(): void;
}

/** The browser APIs the probes read; each one missing leaves its facts out. */
export interface DoctorBrowser {
    clock: Clock;
    permissions?: { query(descriptor: { name: string }): Promise<{ state: string }> };
    mediaDevices?: {
        getUserMedia(constraints: { audio: boolean }): Promise<MediaStream>;
        enumerateDevices(): Promise<ReadonlyArray<{ kind: string }>>;
    };
    document?: DoctorDocument;
    createWebSocket?: (url: string, protocol: string) => WebSocketLike;
    createPeerConnection?: PeerConnectionFactory;
}

/** Where the phone connects: from the SIP credentials (wssUrl, iceServers); the password is not needed. */
export interface DoctorTarget {
    wssUrl: string;
    iceServers: readonly RTCIceServer[];
}

/** Bounded waits (ms). */
export interface DoctorProbeOptions {
    websocketTimeoutMs?: number;
    iceTimeoutMs?: number;
    echoMs?: number;
    /** The wait for a `securitypolicyviolation` event after the socket failed (it may come after the error). */
    violationGraceMs?: number;
}

const DEFAULTS: Required<DoctorProbeOptions> = {
    websocketTimeoutMs: 8000,
    iceTimeoutMs: 8000,
    echoMs: 4000,
    violationGraceMs: 500
};

/** Gathers every browser fact; never rejects. */
export async function gatherBrowserFacts(
    browser: DoctorBrowser,
    target: DoctorTarget | null,
    options: DoctorProbeOptions = {}
): Promise<DoctorFacts> {
    const limits = { ...DEFAULTS, ...options };
    const facts: DoctorFacts = { ...permissionsPolicyFacts(browser.document) };
    const microphone = await microphoneFacts(browser);
    Object.assign(facts, microphone.facts);
    try {
        if (!target) return facts;
        Object.assign(facts, iceConfigFacts(target.iceServers));
        Object.assign(facts, await websocketFacts(browser, target.wssUrl, limits));
        if (browser.createPeerConnection) {
            const types = await gatherCandidateTypes(
                browser.createPeerConnection,
                target,
                browser.clock,
                limits
            );
            if (types) facts.iceCandidateTypes = types;
            if (microphone.stream) {
                const echo = await runEchoTest(
                    browser.createPeerConnection,
                    microphone.stream,
                    target.iceServers,
                    {
                        clock: browser.clock,
                        durationMs: limits.echoMs,
                        connectTimeoutMs: limits.iceTimeoutMs,
                        relayOnly: facts.turnConfigured === true
                    }
                );
                if (echo) facts.echo = echo;
            }
        }
        return facts;
    } finally {
        for (const track of microphone.stream?.getTracks() ?? []) track.stop();
    }
}

/** Permission state, audio inputs, and the microphone stream when it was granted (the caller stops it). */
export async function microphoneFacts(
    browser: Pick<DoctorBrowser, 'permissions' | 'mediaDevices'>
): Promise<{ facts: DoctorFacts; stream?: MediaStream }> {
    const facts: DoctorFacts = {};
    try {
        const status = await browser.permissions?.query({ name: 'microphone' });
        if (status && ['granted', 'denied', 'prompt'].includes(status.state)) {
            facts.microphonePermission = status.state as DoctorFacts['microphonePermission'];
        }
    } catch {
        // Firefox and older browsers do not know the 'microphone' permission name: getUserMedia tells
    }
    const media = browser.mediaDevices;
    if (!media) return { facts };
    let stream: MediaStream | undefined;
    if (facts.microphonePermission !== 'denied') {
        try {
            stream = await media.getUserMedia({ audio: true });
            facts.microphonePermission = 'granted';
        } catch (error) {
            const name = (error as { name?: string } | null)?.name;
            if (name === 'NotAllowedError' || name === 'SecurityError') facts.microphonePermission = 'denied';
            if (name === 'NotFoundError' || name === 'OverconstrainedError') facts.audioInputs = 0;
        }
    }
    if (facts.audioInputs === undefined) {
        try {
            const devices = await media.enumerateDevices();
            facts.audioInputs = devices.filter((device) => device.kind === 'audioinput').length;
        } catch {
            // no device list: unknown
        }
    }
    return stream ? { facts, stream } : { facts };
}

/** `allowsFeature('microphone')` of the document's Permissions-Policy. */
export function permissionsPolicyFacts(document: DoctorDocument | undefined): DoctorFacts {
    const policy = document?.permissionsPolicy ?? document?.featurePolicy;
    if (!policy || typeof policy.allowsFeature !== 'function') return {};
    try {
        return { permissionsPolicyAllowsMicrophone: policy.allowsFeature('microphone') === true };
    } catch {
        return {};
    }
}

/** Which kinds of ICE servers are configured. */
export function iceConfigFacts(servers: readonly RTCIceServer[]): DoctorFacts {
    const urls = servers.flatMap((server) => (Array.isArray(server.urls) ? server.urls : [server.urls]));
    return {
        stunConfigured: urls.some((url) => /^stuns?:/i.test(url)),
        turnConfigured: urls.some((url) => /^turns?:/i.test(url))
    };
}

/** Host of a ws(s) URL, lower case; '' when it is no URL. */
export function hostOf(url: string): string {
    try {
        return new URL(url).hostname.toLowerCase();
    } catch {
        return '';
    }
}

/** Opens and closes a WebSocket to the SIP server: opened, time to open, and whether the CSP refused it. */
export async function websocketFacts(
    browser: Pick<DoctorBrowser, 'clock' | 'document' | 'createWebSocket'>,
    wssUrl: string,
    limits: Required<DoctorProbeOptions>
): Promise<DoctorFacts & { websocketOpenMs?: number }> {
    const host = hostOf(wssUrl);
    const facts: DoctorFacts & { websocketOpenMs?: number } = { sipHost: host };
    if (!browser.createWebSocket || !host) return facts;
    const { clock, document } = browser;
    let violated = false;
    let onViolation: (() => void) | null = null;
    const violation = new Promise<void>((resolve) => (onViolation = resolve));
    const listener = (event: ViolationEventLike): void => {
        if (hostOf(event.blockedURI ?? '') === host || (event.blockedURI ?? '').includes(host)) {
            violated = true;
            onViolation?.();
        }
    };
    document?.addEventListener('securitypolicyviolation', listener);
    const startedAt = clock.now();
    try {
        let socket: WebSocketLike;
        try {
            socket = browser.createWebSocket(wssUrl, 'sip');
        } catch (error) {
            // Chromium refuses a connect-src violation in the constructor
            if ((error as { name?: string } | null)?.name === 'SecurityError') facts.cspAllowsSipHost = false;
            return facts;
        }
        const opened = await withTimeout(
            new Promise<boolean>((resolve) => {
                socket.onopen = () => resolve(true);
                socket.onerror = () => resolve(false);
                socket.onclose = () => resolve(false);
            }),
            limits.websocketTimeoutMs,
            clock,
            false
        );
        const openMs = clock.now() - startedAt;
        socket.onopen = socket.onerror = socket.onclose = null;
        try {
            socket.close();
        } catch {
            // already closed
        }
        if (!opened && !violated) await withTimeout(violation, limits.violationGraceMs, clock, undefined);
        if (violated) {
            facts.cspAllowsSipHost = false;
            return facts;
        }
        facts.websocketOpened = opened;
        if (opened) {
            facts.cspAllowsSipHost = true;
            facts.websocketOpenMs = openMs;
        }
        return facts;
    } finally {
        document?.removeEventListener('securitypolicyviolation', listener);
    }
}

/** ICE gathering with the configured servers: the candidate types seen (null when it could not run). */
export async function gatherCandidateTypes(
    createPeerConnection: PeerConnectionFactory,
    target: DoctorTarget,
    clock: Clock,
    limits: Pick<Required<DoctorProbeOptions>, 'iceTimeoutMs'>
): Promise<string[] | null> {
    let pc: RTCPeerConnection;
    try {
        pc = createPeerConnection({ iceServers: [...target.iceServers] });
    } catch {
        return null;
    }
    const types = new Set<string>();
    try {
        const done = new Promise<void>((resolve) => {
            pc.onicecandidate = (event) => {
                if (!event.candidate) return resolve();
                const type = event.candidate.type ?? / typ (\w+)/.exec(event.candidate.candidate)?.[1];
                if (type) types.add(type);
            };
            pc.onicegatheringstatechange = () => {
                if (pc.iceGatheringState === 'complete') resolve();
            };
        });
        pc.createDataChannel('doctor');
        await pc.setLocalDescription(await pc.createOffer());
        await withTimeout(done, limits.iceTimeoutMs, clock, undefined);
        return [...types].sort();
    } catch {
        return types.size > 0 ? [...types].sort() : null;
    } finally {
        pc.close();
    }
}
