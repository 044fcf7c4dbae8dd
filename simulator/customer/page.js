// The customer's phone: a browser page on JsSIP (a different SIP stack than the agent's sip.js) that
// registers a customer SIP account, calls campaigns with a caller number (P-Asserted-Identity) and an
// IVR code (X-IVR-Code), answers agents' outbound calls, follows REFERs (transfers), plays the agent's
// audio, records each answered call (both voices, recorder.js) for the simulator and reports SIP and
// media facts. Bundled with esbuild by customer.mjs; driven through `window.customer` (Node API and
// tests), and by a form for people when the page has a `#customer-app` element (ui.js, the simulator's
// `/customer` page).
import JsSIP from 'jssip';
import { analyseAudio, CallRecorder } from './recorder.js';
import { mountCustomerApp } from './ui.js';

/** Everything the Node side reads back. */
const state = {
    registered: false,
    registrationFailures: [],
    responses: [],
    lastResponseCode: null,
    sessions: [],
    dtmf: [],
    infos: [],
    log: []
};
let ua = null;
let config = null;
/** Incoming calls not answered yet, oldest first. */
const incoming = [];
/** Recording uploads in flight (stop() waits for them). */
const uploads = new Set();

/** Tells the form (ui.js) and anyone listening that the phone's state changed. */
function changed() {
    window.dispatchEvent(new Event('customerchange'));
}

function note(line) {
    state.log.push(`${new Date().toISOString()} ${line}`);
    if (state.log.length > 500) state.log.shift();
    changed();
}

function sessionInfo(session) {
    return state.sessions.find((info) => info.session === session);
}

function track(session, originator) {
    const info = {
        id: state.sessions.length + 1,
        session,
        originator,
        status: 'new',
        responses: [],
        endCause: null,
        failedCode: null,
        remoteIdentity: session.remote_identity ? session.remote_identity.toString() : null,
        remoteName: session.remote_identity ? session.remote_identity.display_name || null : null,
        remoteUser:
            session.remote_identity && session.remote_identity.uri ? session.remote_identity.uri.user : null,
        dtmfSent: '',
        callId: session._request ? session._request.call_id : null,
        requestHeaders: null,
        startedAt: Date.now(),
        confirmedAt: null,
        endedAt: null,
        /** CallRecorder of the answered call (null: not recorded). */
        recorder: null,
        /** <audio> playing the agent's voice. */
        audio: null
    };
    state.sessions.push(info);
    session.on('progress', (event) => {
        info.status = 'progress';
        if (event.response) record(info, event.response.status_code);
        changed();
    });
    session.on('accepted', (event) => {
        info.status = 'accepted';
        if (event.response) record(info, event.response.status_code);
        changed();
    });
    session.on('confirmed', () => {
        info.status = 'confirmed';
        info.confirmedAt = Date.now();
        playRemote(info);
        startRecording(info);
        changed();
    });
    session.on('ended', (event) => {
        info.status = 'ended';
        info.endCause = event.cause;
        info.endedAt = Date.now();
        finishCall(info);
        note(`session ${info.id} ended: ${event.originator} ${event.cause}`);
    });
    session.on('failed', (event) => {
        info.status = 'failed';
        info.endCause = event.cause;
        info.endedAt = Date.now();
        if (event.message && event.message.status_code) {
            info.failedCode = event.message.status_code;
            record(info, event.message.status_code);
        }
        finishCall(info);
        note(`session ${info.id} failed: ${event.originator} ${event.cause} ${info.failedCode ?? ''}`);
    });
    session.on('newDTMF', (event) => {
        if (event.originator === 'remote') state.dtmf.push(event.dtmf.tone);
        changed();
    });
    session.on('newInfo', (event) => {
        if (event.originator === 'remote') {
            state.infos.push({ contentType: event.info.contentType, body: event.info.body });
        }
    });
    session.on('replaces', (event) => {
        // The contact centre puts the agent back on this call (the agent's page reloaded mid-call): the call
        // goes on over a new leg without ringing. A real contact centre's media anchor does this; the simulator
        // has none, so the customer's UA plays that part (sip/kamailio-signalling.ts, "Rejoin").
        note(`replaces: the agent rejoins call ${info.id}`);
        event.accept((next) => {
            const continued = track(next, 'remote');
            continued.callId = event.request.call_id;
            continued.rejoinOf = info.id;
            continued.target = info.target;
            // after JsSIP's newRTCSession for it (the accept callback runs just before)
            void Promise.resolve().then(() =>
                next.answer({
                    mediaConstraints: { audio: true, video: false },
                    pcConfig: { iceServers: [] }
                })
            );
        });
    });
    session.on('refer', (event) => {
        // A transfer: call the target, and tell the contact centre which call this continues.
        note(`refer to ${event.request.refer_to.uri.toString()}`);
        event.accept(
            (newSession) => {
                note(
                    `refer: calling ${newSession.remote_identity ? newSession.remote_identity.toString() : '?'}`
                );
            },
            {
                mediaConstraints: { audio: true, video: false },
                extraHeaders: [`X-Transfer-Of: ${info.callId}`],
                pcConfig: { iceServers: [] }
            }
        );
    });
    return info;
}

function record(info, code) {
    info.responses.push(code);
    state.responses.push(code);
    state.lastResponseCode = code;
}

function audioTracks(pc, side) {
    const list = side === 'remote' ? pc.getReceivers() : pc.getSenders();
    return list.map((item) => item.track).filter((track) => track && track.kind === 'audio');
}

/**
 * Plays the agent's voice. Chromium versions have fed WebAudio silence from a remote WebRTC track that no
 * media element plays, so this also keeps the recording's remote side alive.
 */
function playRemote(info) {
    const pc = info.session.connection;
    if (!pc || info.audio) return;
    const tracks = audioTracks(pc, 'remote');
    if (tracks.length === 0) return;
    const audio = document.createElement('audio');
    audio.autoplay = true;
    audio.srcObject = new MediaStream(tracks);
    void audio.play().catch(() => undefined);
    info.audio = audio;
}

/** Records the answered call (both voices) when there is a simulator to hand the file to. */
function startRecording(info) {
    const pc = info.session.connection;
    if (!pc || info.recorder || !config || config.record === false || !config.simulatorUrl) return;
    info.recorder = new CallRecorder({
        pc,
        callId: info.callId,
        uploadBase: config.simulatorUrl,
        onChange: changed,
        note
    });
    info.recorder.start();
}

/** The call is over: stop the agent's audio, stop the recording and upload it. */
function finishCall(info) {
    if (info.audio) {
        info.audio.pause();
        info.audio.srcObject = null;
        info.audio = null;
    }
    if (!info.recorder) return;
    const upload = info.recorder.finish().catch((error) => note(`recording: ${error.message}`));
    uploads.add(upload);
    void upload.finally(() => uploads.delete(upload));
}

function recordingFacts(info) {
    if (!info || !info.recorder) return null;
    const facts = info.recorder.facts;
    // `now`: this page's clock, so a caller can measure recorder times (startedAt, pausedSince) against it
    return {
        ...facts,
        levels: { ...facts.levels },
        upload: facts.upload ? { ...facts.upload } : null,
        now: Date.now()
    };
}

function activeSession() {
    for (let i = state.sessions.length - 1; i >= 0; i--) {
        const info = state.sessions[i];
        if (info.status !== 'ended' && info.status !== 'failed') return info;
    }
    return null;
}

function waitFor(predicate, timeoutMs, what) {
    return new Promise((resolve, reject) => {
        const started = Date.now();
        const poll = () => {
            let value;
            try {
                value = predicate();
            } catch (error) {
                reject(error);
                return;
            }
            if (value) resolve(value);
            else if (Date.now() - started > timeoutMs)
                reject(new Error(`customer: timed out waiting for ${what}`));
            else setTimeout(poll, 20);
        };
        poll();
    });
}

async function rtpStats(session) {
    const pc = session.connection;
    if (!pc) return null;
    const report = await pc.getStats();
    const result = {
        bytesReceived: 0,
        packetsReceived: 0,
        bytesSent: 0,
        packetsSent: 0,
        audioLevel: null,
        directions: pc.getTransceivers().map((t) => t.currentDirection),
        localTrackEnabled: pc.getSenders().map((s) => (s.track ? s.track.enabled : null)),
        iceState: pc.iceConnectionState
    };
    report.forEach((entry) => {
        if (entry.type === 'inbound-rtp' && entry.kind === 'audio') {
            result.bytesReceived += entry.bytesReceived || 0;
            result.packetsReceived += entry.packetsReceived || 0;
            if (typeof entry.audioLevel === 'number') result.audioLevel = entry.audioLevel;
        }
        if (entry.type === 'outbound-rtp' && entry.kind === 'audio') {
            result.bytesSent += entry.bytesSent || 0;
            result.packetsSent += entry.packetsSent || 0;
        }
    });
    return result;
}

window.customer = {
    /**
     * Connects (and registers unless `register` is false). `simulatorUrl`: the simulator's base URL;
     * answered calls are then recorded and uploaded there (`record: false` turns that off).
     */
    async start(options) {
        config = options;
        const socket = new JsSIP.WebSocketInterface(options.wsUrl);
        ua = new JsSIP.UA({
            sockets: [socket],
            uri: options.uri,
            authorization_user: options.username,
            password: options.password,
            display_name: options.displayName || undefined,
            register: options.register !== false,
            register_expires: 300,
            session_timers: false,
            user_agent: 'ccphone-customer (JsSIP)'
        });
        ua.on('registered', () => {
            state.registered = true;
            changed();
        });
        ua.on('unregistered', () => {
            state.registered = false;
            changed();
        });
        ua.on('registrationFailed', (event) => {
            state.registered = false;
            state.registrationFailures.push(event.response ? event.response.status_code : event.cause);
            changed();
        });
        ua.on('connected', changed);
        ua.on('disconnected', changed);
        ua.on('newRTCSession', (event) => {
            if (sessionInfo(event.session)) return;
            const info = track(event.session, event.originator);
            if (event.originator === 'remote') {
                info.requestHeaders = event.request ? event.request.headers : null;
                info.callId = event.request ? event.request.call_id : null;
                incoming.push(info);
                note(`incoming call from ${info.remoteIdentity}`);
            } else if (event.request) {
                info.callId = event.request.call_id;
            }
        });
        ua.start();
        if (options.register !== false) {
            await waitFor(
                () => state.registered || state.registrationFailures.length > 0,
                15000,
                'registration'
            );
            if (!state.registered)
                throw new Error(`customer registration failed: ${state.registrationFailures.join(', ')}`);
        } else {
            await waitFor(() => ua.isConnected(), 15000, 'WebSocket connection');
        }
        return { registered: state.registered };
    },

    /** Calls `target` (a campaign id, agent or number); resolves when the INVITE is on its way. */
    call(options) {
        const headers = [];
        if (options.callerNumber) {
            const name = options.displayName
                ? `"${String(options.displayName).replace(/["\\]/g, '\\$&')}" `
                : '';
            headers.push(`P-Asserted-Identity: ${name}<sip:${options.callerNumber}@${config.domain}>`);
        }
        if (options.ivrCode !== undefined && options.ivrCode !== null)
            headers.push(`X-IVR-Code: ${options.ivrCode}`);
        for (const header of options.extraHeaders || []) headers.push(header);
        const session = ua.call(`sip:${options.target}@${config.domain}`, {
            mediaConstraints: { audio: true, video: false },
            extraHeaders: headers,
            fromDisplayName: options.displayName || undefined,
            pcConfig: { iceServers: [] }
        });
        const info = sessionInfo(session) || track(session, 'local');
        info.target = options.target;
        changed();
        return { id: info.id, callId: info.callId };
    },

    /** Waits for a call to ring here and answers it. */
    async answerNext(timeoutMs = 15000) {
        const info = await waitFor(() => incoming.shift(), timeoutMs, 'an incoming call');
        info.session.answer({
            mediaConstraints: { audio: true, video: false },
            pcConfig: { iceServers: [] }
        });
        await waitFor(
            () => info.status === 'confirmed' || info.status === 'ended' || info.status === 'failed',
            timeoutMs,
            'the answered call to be confirmed'
        );
        return { id: info.id, status: info.status, headers: info.requestHeaders };
    },

    /** Waits for a call to ring here and rejects it with `status`. */
    async rejectNext(status = 486, timeoutMs = 15000) {
        const info = await waitFor(() => incoming.shift(), timeoutMs, 'an incoming call');
        info.session.terminate({ status_code: status });
        return { id: info.id };
    },

    /** Waits until session `id` (default: the latest) reaches one of `statuses`. */
    async waitForStatus(statuses, timeoutMs = 15000, id) {
        const find = () =>
            id ? state.sessions.find((s) => s.id === id) : state.sessions[state.sessions.length - 1];
        const info = await waitFor(
            () => {
                const current = find();
                return current && statuses.includes(current.status) ? current : null;
            },
            timeoutMs,
            `a session in ${statuses.join('/')}`
        );
        return { id: info.id, status: info.status, failedCode: info.failedCode, endCause: info.endCause };
    },

    /** Ends the active call (CANCEL, BYE or reject as fits). */
    hangup(id) {
        const info = id ? state.sessions.find((s) => s.id === id) : activeSession();
        if (!info) return false;
        try {
            info.session.terminate();
        } catch (error) {
            note(`hangup: ${error.message}`);
        }
        return true;
    },

    /** Sends DTMF on the active call (SIP INFO). */
    sendDtmf(tones) {
        const info = activeSession();
        if (!info) return false;
        info.session.sendDTMF(tones, { transportType: 'INFO' });
        info.dtmfSent += tones;
        changed();
        return true;
    },

    /** Media facts of session `id` (default: the active one or the latest). */
    async stats(id) {
        const info = id
            ? state.sessions.find((s) => s.id === id)
            : activeSession() || state.sessions[state.sessions.length - 1];
        if (!info) return null;
        return rtpStats(info.session);
    },

    /**
     * The recording of session `id` (default: the latest recorded one): state (recording, uploading,
     * uploaded, failed, skipped), mimeType, durationMs, bytes, the highest level heard per side while
     * recording (`levels.local`, `levels.remote`, RMS 0..1) and the simulator's answer to the upload.
     */
    recording(id) {
        const info = id
            ? state.sessions.find((s) => s.id === id)
            : [...state.sessions].reverse().find((s) => s.recorder);
        return recordingFacts(info);
    },

    /**
     * Fetches an audio file (e.g. a recording's signed URL) and decodes it here: duration, sample rate,
     * channels, RMS and peak.
     */
    async analyseAudio(url, headers = {}) {
        const response = await fetch(url, { headers });
        if (!response.ok) throw new Error(`analyseAudio: HTTP ${response.status} for ${url}`);
        const result = await analyseAudio(await response.arrayBuffer());
        return { ...result, contentType: response.headers.get('content-type') };
    },

    /** Whether the phone is connected to Kamailio. */
    connected() {
        return Boolean(ua && ua.isConnected());
    },

    /** SIP facts. */
    snapshot() {
        return {
            registered: state.registered,
            registrationFailures: state.registrationFailures.slice(),
            responses: state.responses.slice(),
            lastResponseCode: state.lastResponseCode,
            dtmf: state.dtmf.join(''),
            infos: state.infos.slice(),
            pendingIncoming: incoming.length,
            sessions: state.sessions.map((s) => ({
                id: s.id,
                originator: s.originator,
                status: s.status,
                responses: s.responses.slice(),
                failedCode: s.failedCode,
                endCause: s.endCause,
                remoteIdentity: s.remoteIdentity,
                remoteName: s.remoteName,
                remoteUser: s.remoteUser,
                dtmfSent: s.dtmfSent,
                callId: s.callId,
                target: s.target ?? null,
                rejoinOf: s.rejoinOf ?? null,
                startedAt: s.startedAt,
                confirmedAt: s.confirmedAt,
                endedAt: s.endedAt,
                requestHeaders: s.requestHeaders ? headerValues(s.requestHeaders) : null,
                recording: recordingFacts(s)
            })),
            log: state.log.slice(-50)
        };
    },

    /** Ends calls (their recordings are uploaded first), unregisters and disconnects. */
    async stop() {
        if (!ua) return;
        for (const info of state.sessions) {
            try {
                if (info.status !== 'ended' && info.status !== 'failed') info.session.terminate();
            } catch {
                // already gone
            }
        }
        if (uploads.size > 0) {
            const timeout = new Promise((resolve) => setTimeout(resolve, 10000));
            await Promise.race([Promise.allSettled([...uploads]), timeout]);
        }
        const stopping = ua;
        stopping.stop();
        await waitFor(() => !stopping.isConnected(), 5000, 'disconnect').catch(() => undefined);
        changed();
    }
};

/** The contact-centre headers of an incoming INVITE (X-CC-*), first value each. */
function headerValues(headers) {
    const result = {};
    for (const [name, values] of Object.entries(headers)) {
        if (/^X-/i.test(name) && values && values[0]) result[name] = String(values[0].raw ?? values[0]);
    }
    return result;
}

window.customerReady = true;
const app = document.getElementById('customer-app');
if (app) mountCustomerApp(app, window.customer);
