// The agent's test page: drives the SHIPPED static resource (window.WebphoneCore from
// force-app/main/default/staticresources/webphoneCore.js, loaded by agent.html) the way the utility-bar
// LWC does: credentials from the contact centre's webrtc-session endpoint, one SipPhone, optionally
// behind the TabElection (one registration per agent across tabs). Caller data is rendered as text.
// Node drives it through `window.agent` (see e2e/lib/agent.mjs).
/* global WebphoneCore */
(function () {
    'use strict';

    const peerConnections = [];
    const NativePeerConnection = window.RTCPeerConnection;
    // Test instrumentation only: remember every peer connection so getStats can be read per call.
    window.RTCPeerConnection = function (...args) {
        const pc = new NativePeerConnection(...args);
        // Drop closed ones so the instrumentation does not keep them alive (heap figures of bench:calls).
        for (let i = peerConnections.length - 1; i >= 0; i--) {
            if (peerConnections[i].signalingState === 'closed') peerConnections.splice(i, 1);
        }
        peerConnections.push(pc);
        return pc;
    };
    window.RTCPeerConnection.prototype = NativePeerConnection.prototype;
    Object.setPrototypeOf(window.RTCPeerConnection, NativePeerConnection);

    const state = {
        // This script runs right after the static resource was evaluated.
        loadedAt: performance.now(),
        startCalledAt: null,
        bench: null,
        registeredAt: null,
        credentialFetches: 0,
        credentialFailures: [],
        events: [],
        registrations: [],
        connections: [],
        errors: [],
        incoming: [],
        ended: [],
        sipLog: [],
        role: null,
        leaderEvents: [],
        mirrored: null
    };
    let phone = null;
    let election = null;
    let config = null;
    const presetCredentials = [];

    function push(list, item, max = 300) {
        list.push(item);
        if (list.length > max) list.shift();
    }

    async function fetchSession() {
        const response = await fetch(
            `${config.apiUrl}/v1/agents/${encodeURIComponent(config.agentId)}/webrtc-session`,
            {
                method: 'POST',
                headers: {
                    'Content-Type': 'application/json',
                    'X-Api-Key': config.apiKey,
                    'X-Tenant-Id': config.tenantId
                },
                body: '{}'
            }
        );
        if (!response.ok) throw new Error(`webrtc-session: HTTP ${response.status}`);
        const body = await response.json();
        return {
            wssUrl: body.wssUrl,
            sipUri: body.sipUri,
            authorizationUsername: body.authorizationUsername,
            authorizationPassword: body.authorizationPassword,
            displayName: body.displayName,
            expiresAt: body.expiresAt ? Date.parse(body.expiresAt) : 0,
            iceServers: body.iceServers || []
        };
    }

    async function getCredentials() {
        state.credentialFetches += 1;
        const preset = presetCredentials.shift();
        if (preset) {
            const fresh = await fetchSession();
            return { ...fresh, ...preset };
        }
        return fetchSession();
    }

    // ---- rendering: caller data as text only (FAULT-CASES 13, 14) -----------------------------------------------
    function render(snapshot) {
        const box = document.getElementById('call');
        if (!snapshot) {
            box.hidden = true;
            return;
        }
        box.hidden = false;
        const remote = snapshot.remote || {};
        document.getElementById('caller-name').textContent = remote.displayName || '';
        document.getElementById('caller-number').textContent = remote.number || '';
        const data = snapshot.callData || {};
        document.getElementById('campaign-name').textContent = data.campaignName || '';
        document.getElementById('interaction-id').textContent = snapshot.interactionId || '';
        document.getElementById('ivr-code').textContent = data.ivrCode || '';
        document.getElementById('call-state').textContent = snapshot.state;
    }

    function latestActive() {
        if (!phone) return undefined;
        const calls = phone.activeCalls();
        return calls[calls.length - 1];
    }

    function attachPhoneEvents() {
        phone.on('registrationChanged', (change) => {
            push(state.registrations, {
                at: Date.now(),
                state: change.state,
                code: change.statusCode ?? change.code ?? null,
                reason: change.reason ?? null
            });
            if (String(change.state) === 'Registered' && state.registeredAt === null)
                state.registeredAt = performance.now();
        });
        phone.on('connectionChanged', (change) =>
            push(state.connections, { at: Date.now(), state: change.state, reason: change.reason ?? null })
        );
        phone.on('incomingCall', (snapshot) => {
            if (state.bench) benchAnswer(snapshot);
            push(
                state.incoming,
                {
                    at: Date.now(),
                    id: snapshot.id,
                    remote: snapshot.remote,
                    interactionId: snapshot.interactionId,
                    callData: snapshot.callData
                },
                20
            );
            render(snapshot);
            publish();
        });
        phone.on('callUpdated', (snapshot) => {
            if (state.bench) benchUpdate(snapshot);
            render(snapshot);
            publish();
        });
        phone.on('callEnded', (snapshot) => {
            push(
                state.ended,
                {
                    at: Date.now(),
                    id: snapshot.id,
                    outcome: snapshot.outcome,
                    endedBy: snapshot.endedBy,
                    sipFailure: snapshot.sipFailure ?? null,
                    interactionId: snapshot.interactionId
                },
                20
            );
            render(latestActive());
            publish();
        });
        phone.on('error', (error) =>
            push(state.errors, {
                at: Date.now(),
                kind: error.kind,
                message: error.message,
                code: error.code ?? null
            })
        );
    }

    // ---- bench mode: answer at once and time INVITE -> established, answer -> first audio packet ----------
    function benchAnswer(snapshot) {
        const entry = {
            id: snapshot.id,
            // when the INVITE frame arrived (invite-clock.js, loaded before this page)
            invitedAt: window.inviteClock.lastAt ?? performance.now(),
            answeredAt: null,
            established: null,
            firstAudio: null,
            pcCount: peerConnections.length
        };
        state.bench.calls.push(entry);
        entry.answeredAt = performance.now();
        phone.answer(snapshot.id);
    }

    function benchUpdate(snapshot) {
        const entry = state.bench.calls.find((e) => e.id === snapshot.id);
        if (!entry || entry.established !== null || snapshot.state !== 'Connected') return;
        entry.established = performance.now() - entry.invitedAt;
        const pc = peerConnections[peerConnections.length - 1];
        const poll = async () => {
            const report = await pc.getStats();
            let packets = 0;
            report.forEach((item) => {
                if (item.type === 'inbound-rtp' && item.kind === 'audio')
                    packets += item.packetsReceived || 0;
            });
            if (packets > 0) entry.firstAudio = performance.now() - entry.answeredAt;
            else setTimeout(poll, 2);
        };
        poll();
    }

    function phoneOptions() {
        const options = {
            getCredentials,
            logLevel: config.logLevel || 'warn',
            logConnector: (level, category, label, content) => {
                push(
                    state.sipLog,
                    `${new Date().toISOString()} ${level} ${category} ${typeof content === 'string' ? content : ''}`,
                    400
                );
            },
            playTones: false,
            // the test Kamailio listens on ws://127.0.0.1 without TLS
            allowInsecureWebSocket: true,
            ...config.phoneOptions
        };
        return options;
    }

    async function startPhone() {
        phone = new WebphoneCore.SipPhone(phoneOptions());
        attachPhoneEvents();
        await phone.start();
    }

    function publish() {
        if (election && election.isLeader) election.publishState(summary());
    }

    function summary() {
        return {
            registrationState: phone ? String(phone.registrationState) : null,
            calls: phone
                ? phone.activeCalls().map((c) => ({ id: c.id, state: c.state, remote: c.remote }))
                : []
        };
    }

    async function run(command) {
        if (!phone) throw new Error('this tab has no phone (not the leader)');
        const [name, ...args] = command;
        const result = await phone[name](...args);
        return JSON.parse(JSON.stringify(result === undefined ? null : result));
    }

    window.agent = {
        /**
         * Starts the phone. `options`: apiUrl, apiKey, tenantId, agentId, phoneOptions, logLevel,
         * presetCredentials (objects merged over the first fetched credentials, e.g. a wrong password),
         * tabElection (true: only the elected leader tab starts a phone).
         */
        async start(options) {
            config = options;
            state.startCalledAt = performance.now();
            for (const preset of options.presetCredentials || []) presetCredentials.push(preset);
            if (!options.tabElection) {
                state.role = 'single';
                await startPhone();
                return true;
            }
            const ports = WebphoneCore.browserTabElectionPorts();
            election = new WebphoneCore.TabElection({
                orgId: 'e2e-org',
                userId: options.agentId,
                // the agent's tabs share the secret through localStorage, as PhoneSession's do
                secret: WebphoneCore.loadElectionSecret(localStorage, `e2e-org:${options.agentId}`),
                ...ports,
                heartbeatMs: 500,
                leaderStaleAfterMs: 3000,
                handleCommand: (command) => run(command),
                resign: async () => {
                    if (phone) await phone.stop();
                    phone = null;
                }
            });
            election.on('becameLeader', (event) => {
                state.role = 'leader';
                push(state.leaderEvents, {
                    at: Date.now(),
                    type: 'becameLeader',
                    reason: event.reason,
                    degraded: event.degraded
                });
                startPhone().catch((error) =>
                    push(state.errors, { at: Date.now(), kind: 'start', message: String(error) })
                );
            });
            election.on('lostLeadership', (event) => {
                state.role = 'follower';
                push(state.leaderEvents, { at: Date.now(), type: 'lostLeadership', reason: event.reason });
            });
            election.on('stateMirrored', (event) => {
                state.mirrored = event.state;
                if (state.role !== 'leader') state.role = 'follower';
            });
            election.start();
            if (!election.isLeader && state.role === null) state.role = 'follower';
            return true;
        },

        /** Runs a SipPhone command here (leader) or forwards it to the leader tab. */
        async command(name, ...args) {
            if (phone) return run([name, ...args]);
            if (election) return election.sendCommand([name, ...args]);
            throw new Error('phone not started');
        },

        state() {
            const calls = phone ? phone.activeCalls() : [];
            return {
                role: state.role,
                hasPhone: phone !== null,
                registrationState: phone ? String(phone.registrationState) : null,
                connectionState: phone ? String(phone.connectionState) : null,
                credentialFetches: state.credentialFetches,
                registrations: state.registrations.slice(-30),
                connections: state.connections.slice(-30),
                errors: state.errors.slice(-30),
                incoming: state.incoming.slice(-10),
                ended: state.ended.slice(-10),
                calls: JSON.parse(JSON.stringify(calls)),
                leaderEvents: state.leaderEvents.slice(),
                mirrored: state.mirrored,
                loadToRegisteredMs: state.registeredAt === null ? null : state.registeredAt - state.loadedAt,
                dom: {
                    callerName: document.getElementById('caller-name').textContent,
                    callerNameHtml: document.getElementById('caller-name').innerHTML,
                    callerNumber: document.getElementById('caller-number').textContent,
                    campaignName: document.getElementById('campaign-name').textContent,
                    interactionId: document.getElementById('interaction-id').textContent,
                    ivrCode: document.getElementById('ivr-code').textContent,
                    images: document.querySelectorAll('img').length
                }
            };
        },

        /** getStats facts of every live peer connection, with the SIP Call-ID of its session. */
        async stats() {
            const sessions = phone && phone.userAgent ? Object.values(phone.userAgent._sessions || {}) : [];
            const callIdOf = new Map();
            for (const session of sessions) {
                const sdh = session.sessionDescriptionHandler;
                if (sdh && sdh.peerConnection)
                    callIdOf.set(sdh.peerConnection, session.request ? session.request.callId : null);
            }
            const result = [];
            for (const pc of peerConnections) {
                if (pc.connectionState === 'closed' || pc.signalingState === 'closed') continue;
                const report = await pc.getStats();
                const entry = {
                    callId: callIdOf.get(pc) || null,
                    bytesReceived: 0,
                    bytesSent: 0,
                    packetsReceived: 0,
                    packetsSent: 0,
                    directions: pc.getTransceivers().map((t) => t.currentDirection),
                    senderTrackEnabled: pc.getSenders().map((s) => (s.track ? s.track.enabled : null)),
                    iceState: pc.iceConnectionState
                };
                report.forEach((item) => {
                    if (item.type === 'inbound-rtp' && item.kind === 'audio') {
                        entry.bytesReceived += item.bytesReceived || 0;
                        entry.packetsReceived += item.packetsReceived || 0;
                    }
                    if (item.type === 'outbound-rtp' && item.kind === 'audio') {
                        entry.bytesSent += item.bytesSent || 0;
                        entry.packetsSent += item.packetsSent || 0;
                    }
                });
                // The media route in use (which addresses the ICE pair picked).
                report.forEach((item) => {
                    if (item.type === 'transport' && item.selectedCandidatePairId) {
                        const pair = report.get(item.selectedCandidatePairId);
                        const local = pair && report.get(pair.localCandidateId);
                        const remote = pair && report.get(pair.remoteCandidateId);
                        if (local && remote)
                            entry.route = `${local.address}:${local.port} -> ${remote.address}:${remote.port}`;
                    }
                });
                result.push(entry);
            }
            return result;
        },

        /** Bench mode on: every incoming call is answered at once and timed. */
        benchAutoAnswer() {
            state.bench = { calls: [] };
            return true;
        },

        benchTimings() {
            return state.bench
                ? state.bench.calls.map(({ established, firstAudio }) => ({ established, firstAudio }))
                : [];
        },

        /** Load and registration times (ms since navigation start). */
        loadTimings() {
            const resource = performance
                .getEntriesByType('resource')
                .find((entry) => entry.name.endsWith('/static/webphoneCore.js'));
            return {
                resourceFetchStart: resource ? resource.fetchStart : null,
                resourceResponseEnd: resource ? resource.responseEnd : null,
                resourceBytes: resource ? resource.encodedBodySize : null,
                coreEvaluated: state.loadedAt,
                startCalled: state.startCalledAt,
                registered: state.registeredAt
            };
        },

        /** The last sip.js log lines (SIP traces at logLevel 'debug'). */
        sipLog(lines = 120) {
            return state.sipLog.slice(-lines);
        },

        async stop() {
            if (election) election.stop();
            if (phone) await phone.stop();
            phone = null;
        }
    };
    window.agentReady = true;
})();
