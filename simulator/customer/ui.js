// The customer page for people (the simulator's `/customer`): a form over `window.customer` (page.js).
// Connect registers a customer SIP account (credentials from the simulator's POST /customer/credentials);
// Call dials a campaign with a caller number, display name and IVR code; Answer / Reject take an agent's
// outbound call; the keypad sends DTMF (SIP INFO). Everything the phone reports is rendered as text
// (caller data is untrusted), re-rendered on the page's `customerchange` events.

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
const NUMBER_KEY = 'ccphone.customer.number';
const LIVE = new Set(['new', 'progress', 'accepted', 'confirmed']);

/** A random Polish mobile-looking number for a first visit. */
function randomNumber() {
    return `+48600${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
}

async function json(url, init) {
    const response = await fetch(url, init);
    const body = await response.json().catch(() => null);
    if (!response.ok) throw new Error(body?.detail ?? `HTTP ${response.status}`);
    return body;
}

function clock(ms) {
    return ms ? new Date(ms).toLocaleTimeString() : '';
}

function seconds(from, to) {
    return from && to ? `${Math.max(0, Math.round((to - from) / 1000))} s` : '';
}

/** A short text for one session's state. */
function describeCall(session) {
    const code = session.responses.length > 0 ? session.responses[session.responses.length - 1] : null;
    switch (session.status) {
        case 'new':
            return session.originator === 'remote' ? 'Ringing here' : 'Calling…';
        case 'progress':
            return session.originator === 'remote' ? 'Ringing here' : `Ringing${code ? ` (${code})` : ''}`;
        case 'accepted':
            return 'Answered, connecting…';
        case 'confirmed':
            return 'In call';
        case 'ended':
            return `Ended (${session.endCause ?? 'hung up'})`;
        case 'failed':
            return `Failed: ${session.failedCode ?? ''} ${session.endCause ?? ''}`.trim();
        default:
            return session.status;
    }
}

/** Who the call is with: the campaign dialled, or the caller's name and SIP user. */
function party(session) {
    if (session.originator !== 'remote') return `to ${session.target ?? session.remoteUser ?? '?'}`;
    const user = session.remoteUser ?? '?';
    return `from ${session.remoteName ? `${session.remoteName} (${user})` : user}`;
}

function describeRecording(recording) {
    if (!recording) return '—';
    const size = recording.bytes !== null ? ` ${Math.round(recording.bytes / 102.4) / 10} kB` : '';
    const stored = recording.upload?.recording
        ? ` → ${recording.upload.recording.id} (${recording.upload.interactionId})`
        : recording.upload?.state === 'pending'
          ? ` → ${recording.upload.interactionId} (kept when the contact centre sees the hang-up)`
          : '';
    return `${recording.state}${size}${stored}${recording.error ? ` — ${recording.error}` : ''}`;
}

/**
 * Builds the form inside `root` (the markup of customer-app.html) and wires it to `phone`.
 * @param {HTMLElement} root
 * @param {typeof window.customer} phone
 */
export function mountCustomerApp(root, phone) {
    const $ = (id) => root.querySelector(`[data-id="${id}"]`);
    const ui = {
        number: $('my-number'),
        name: $('my-name'),
        register: $('register'),
        connect: $('connect'),
        disconnect: $('disconnect'),
        lineStatus: $('line-status'),
        campaign: $('campaign'),
        callerNumber: $('caller-number'),
        callerName: $('caller-name'),
        ivrCode: $('ivr-code'),
        call: $('call'),
        hangup: $('hangup'),
        answer: $('answer'),
        reject: $('reject'),
        incoming: $('incoming'),
        callStatus: $('call-status'),
        keypad: $('keypad'),
        recordingStatus: $('recording-status'),
        log: $('call-log')
    };
    let config = null;
    let connectedAs = null;
    let busy = null; // what the page is doing right now (connecting...)
    let problem = null;

    ui.number.value = window.localStorage.getItem(NUMBER_KEY) || randomNumber();
    ui.callerNumber.placeholder = 'my number';

    for (const key of KEYS) {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = key;
        button.dataset.id = `dtmf-${key}`;
        button.addEventListener('click', () => {
            if (phone.sendDtmf(key)) problem = null;
            render();
        });
        ui.keypad.append(button);
    }

    async function loadConfig() {
        config = await json('/customer/config');
        ui.campaign.replaceChildren();
        for (const tenant of config.tenants) {
            const group = document.createElement('optgroup');
            group.label = `${tenant.name} (${tenant.id})`;
            for (const campaign of tenant.campaigns) {
                const option = document.createElement('option');
                option.value = campaign.id;
                option.textContent = `${campaign.name} — ${campaign.id} (${campaign.mode}${campaign.active ? '' : ', inactive'})`;
                group.append(option);
            }
            ui.campaign.append(group);
        }
    }

    async function connect() {
        const number = ui.number.value.trim();
        busy = `Connecting as ${number}…`;
        problem = null;
        render();
        try {
            if (!config) await loadConfig();
            const credentials = await json('/customer/credentials', {
                method: 'POST',
                headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ user: number })
            });
            if (phone.connected()) await phone.stop();
            await phone.start({
                wsUrl: config.wsUrl,
                uri: credentials.uri,
                username: credentials.username,
                password: credentials.password,
                displayName: ui.name.value.trim() || null,
                register: ui.register.checked,
                domain: config.domain,
                simulatorUrl: window.location.origin
            });
            connectedAs = number;
            window.localStorage.setItem(NUMBER_KEY, number);
        } catch (error) {
            problem = `Could not connect: ${error.message}`;
        } finally {
            busy = null;
            render();
        }
    }

    async function disconnect() {
        busy = 'Disconnecting…';
        render();
        await phone.stop().catch(() => undefined);
        connectedAs = null;
        busy = null;
        render();
    }

    async function call() {
        problem = null;
        if (!phone.connected() || connectedAs !== ui.number.value.trim()) await connect();
        if (!phone.connected()) return;
        try {
            phone.call({
                target: ui.campaign.value,
                callerNumber: ui.callerNumber.value.trim() || connectedAs,
                displayName: ui.callerName.value.trim() || null,
                ivrCode: ui.ivrCode.value.trim() || null
            });
        } catch (error) {
            problem = `Could not call: ${error.message}`;
        }
        render();
    }

    async function answer() {
        problem = null;
        try {
            await phone.answerNext(15000);
        } catch (error) {
            problem = error.message;
        }
        render();
    }

    async function reject() {
        problem = null;
        try {
            await phone.rejectNext(486, 15000);
        } catch (error) {
            problem = error.message;
        }
        render();
    }

    function render() {
        const snapshot = phone.snapshot();
        const connected = phone.connected();
        const sessions = snapshot.sessions;
        const live = sessions.filter((session) => LIVE.has(session.status));
        const latest = sessions[sessions.length - 1] ?? null;

        let line;
        if (busy) line = busy;
        else if (!connected) line = connectedAs ? 'Disconnected' : 'Not connected';
        else if (snapshot.registered) line = `Registered as ${connectedAs}`;
        else if (ui.register.checked && snapshot.registrationFailures.length > 0)
            line = `Connected as ${connectedAs}, registration failed: ${snapshot.registrationFailures.at(-1)}`;
        else line = `Connected as ${connectedAs} (not registered)`;
        ui.lineStatus.textContent = problem ? `${line} — ${problem}` : line;

        const current = live[live.length - 1] ?? latest;
        ui.callStatus.dataset.callState = current ? current.status : 'idle';
        ui.callStatus.textContent = current
            ? `#${current.id} ${party(current)}: ${describeCall(current)}${current.dtmfSent ? ` — DTMF sent ${current.dtmfSent}` : ''}`
            : 'No call';

        ui.incoming.hidden = snapshot.pendingIncoming === 0;
        const ringing = sessions.find(
            (session) =>
                session.originator === 'remote' && (session.status === 'new' || session.status === 'progress')
        );
        if (ringing) {
            const interaction =
                ringing.requestHeaders?.['X-Cc-Interaction-Id'] ??
                ringing.requestHeaders?.['X-CC-Interaction-Id'];
            ui.incoming.textContent = `Incoming call ${party(ringing)}${interaction ? `, interaction ${interaction}` : ''}`;
        }

        const recorded = [...sessions].reverse().find((session) => session.recording);
        ui.recordingStatus.textContent = recorded
            ? `Recording of #${recorded.id}: ${describeRecording(recorded.recording)}${
                  recorded.recording.state === 'recording'
                      ? ` — levels me ${recorded.recording.levels.local.toFixed(3)}, agent ${recorded.recording.levels.remote.toFixed(3)}`
                      : ''
              }`
            : '';

        const inCall = live.some((session) => session.status === 'confirmed');
        ui.connect.disabled = Boolean(busy);
        ui.disconnect.disabled = Boolean(busy) || !connected;
        ui.call.disabled = Boolean(busy) || live.length > 0 || !ui.campaign.value;
        ui.hangup.disabled = live.length === 0;
        ui.answer.disabled = snapshot.pendingIncoming === 0;
        ui.reject.disabled = snapshot.pendingIncoming === 0;
        for (const button of ui.keypad.querySelectorAll('button')) button.disabled = !inCall;

        ui.log.replaceChildren(
            ...[...sessions].reverse().map((session) => {
                const row = document.createElement('tr');
                row.dataset.sessionId = String(session.id);
                const cells = [
                    String(session.id),
                    `${clock(session.startedAt)} ${party(session)}`,
                    `${describeCall(session)}${session.responses.length > 0 ? ` [${session.responses.join(', ')}]` : ''}${session.dtmfSent ? `, DTMF ${session.dtmfSent}` : ''}`,
                    seconds(
                        session.confirmedAt,
                        session.endedAt ?? (session.confirmedAt ? Date.now() : null)
                    ),
                    describeRecording(session.recording)
                ];
                for (const text of cells) {
                    const cell = document.createElement('td');
                    cell.textContent = text;
                    row.append(cell);
                }
                return row;
            })
        );
    }

    ui.connect.addEventListener('click', () => void connect());
    ui.disconnect.addEventListener('click', () => void disconnect());
    ui.call.addEventListener('click', () => void call());
    ui.hangup.addEventListener('click', () => {
        phone.hangup();
        render();
    });
    ui.answer.addEventListener('click', () => void answer());
    ui.reject.addEventListener('click', () => void reject());
    ui.campaign.addEventListener('change', render);
    window.addEventListener('customerchange', render);
    window.addEventListener('beforeunload', () => void phone.stop());
    // The talk time column moves on.
    setInterval(render, 1000);

    loadConfig()
        .catch((error) => {
            problem = `No configuration from the simulator: ${error.message}`;
        })
        .finally(render);
    render();
}
