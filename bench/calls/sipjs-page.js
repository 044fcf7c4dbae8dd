// A bare sip.js 0.21 agent (no phone-core): register, answer every INVITE at once, and time the same
// events the shipped phone is timed on. The baseline of bench/calls.mjs; bundled with esbuild.
import { Registerer, SessionState, UserAgent } from 'sip.js';
// When the last initial INVITE frame arrived on the WebSocket: the agent page's instrumentation
import '../../e2e/agent/invite-clock.js';

const timings = [];
// load timings, as the agent page takes them (bench/calls.mjs: load -> registered)
const evaluatedAt = performance.now();
let startCalledAt = null;
let registeredAt = null;

let ua;
let registered = false;

async function firstAudioPacket(pc, since) {
    for (;;) {
        const report = await pc.getStats();
        let packets = 0;
        report.forEach((entry) => {
            if (entry.type === 'inbound-rtp' && entry.kind === 'audio') packets += entry.packetsReceived || 0;
        });
        if (packets > 0) return performance.now() - since;
        await new Promise((resolve) => setTimeout(resolve, 2));
    }
}

window.bare = {
    async start(options) {
        startCalledAt = performance.now();
        const response = await fetch(`${options.apiUrl}/v1/agents/${options.agentId}/webrtc-session`, {
            method: 'POST',
            headers: {
                'Content-Type': 'application/json',
                'X-Api-Key': options.apiKey,
                'X-Tenant-Id': options.tenantId
            },
            body: '{}'
        });
        const session = await response.json();
        ua = new UserAgent({
            uri: UserAgent.makeURI(session.sipUri),
            transportOptions: { server: session.wssUrl },
            authorizationUsername: session.authorizationUsername,
            authorizationPassword: session.authorizationPassword,
            logLevel: 'error',
            sessionDescriptionHandlerFactoryOptions: {
                peerConnectionConfiguration: { iceServers: [] },
                iceGatheringTimeout: 2000
            },
            delegate: {
                onInvite: (invitation) => {
                    const invitedAt = window.inviteClock.lastAt ?? performance.now();
                    const entry = { established: null, firstAudio: null };
                    timings.push(entry);
                    invitation.delegate = { onBye: (bye) => bye.accept() };
                    invitation.stateChange.addListener((state) => {
                        if (state === SessionState.Established) {
                            entry.established = performance.now() - invitedAt;
                            const pc = invitation.sessionDescriptionHandler.peerConnection;
                            firstAudioPacket(pc, answeredAt).then((ms) => (entry.firstAudio = ms));
                        }
                    });
                    const answeredAt = performance.now();
                    invitation.accept({
                        sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } }
                    });
                }
            }
        });
        await ua.start();
        const registerer = new Registerer(ua, { expires: 600 });
        registerer.stateChange.addListener((state) => {
            if (state === 'Registered') {
                registered = true;
                registeredAt ??= performance.now();
            }
        });
        await registerer.register();
        return true;
    },
    state() {
        return { registered, timings: timings.slice() };
    },
    loadTimings() {
        const script = performance
            .getEntriesByType('resource')
            .find((entry) => entry.name.endsWith('/bench/sipjs.js'));
        return {
            resourceFetchStart: script ? script.fetchStart : null,
            resourceResponseEnd: script ? script.responseEnd : null,
            coreEvaluated: evaluatedAt,
            startCalled: startCalledAt,
            registered: registeredAt
        };
    }
};
window.bareReady = true;
