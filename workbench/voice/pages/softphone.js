// The Omni-Channel softphone's side of the connector protocol, as scv-connector-base 3.6.2 expects it
// (src/main/baseConnector.js): the connector page runs in a frame; the host posts SETUP_CONNECTOR with the
// contact center's configuration and a MessageChannel port, then sends requests (ACCEPT_CALL, HOLD, DIAL...)
// on the port and receives CONNECTOR_READY, TELEPHONY_EVENT_DISPATCHED and LOG messages. The base library
// accepts SETUP_CONNECTOR only from a Salesforce origin, so this page must be served from one (the e2e tests
// route https://*.lightning.force.com to the workbench). Everything shown comes from the connector's events.
const params = new URLSearchParams(location.search);
const connectorUrl = new URL(params.get('connector') || '/voice/connector.html', location.href);
const CONNECTOR_CONFIG = {
    '/reqGeneralInfo/reqAdapterUrl': connectorUrl.href,
    '/reqGeneralInfo/reqVendorInfoApiName': 'ccphoneVoice',
    '/reqCcphone/reqDefaultCountry': params.get('country') || 'PL',
    // the simulator's customer phone hears DTMF as SIP INFO
    '/reqCcphone/reqDtmfMode': 'info'
};
/** Omni-Channel presence statuses of this org: API name -> what setAgentStatus receives. */
const PRESENCE = {
    '': { agentStatus: 'Offline', statusInfo: { statusId: '0N5000000000000', statusApiName: 'Offline' } },
    Available: {
        agentStatus: 'Online',
        statusInfo: { statusId: '0N5000000000001', statusApiName: 'Available', statusName: 'Available' }
    },
    Break: {
        agentStatus: 'Offline',
        statusInfo: { statusId: '0N5000000000002', statusApiName: 'Break', statusName: 'Break' }
    },
    Busy_Backoffice: {
        agentStatus: 'Offline',
        statusInfo: { statusId: '0N5000000000003', statusApiName: 'Busy_Backoffice', statusName: 'Busy' }
    }
};

const $ = (id) => document.getElementById(id);
const state = {
    connector: 'loading',
    capabilities: null,
    /** callId -> PhoneCall as the connector sent it, plus what the events told since */
    calls: new Map(),
    customerOnHold: false,
    thirdPartyOnHold: false,
    muted: false,
    afterCallWork: null,
    contacts: [],
    errors: [],
    recordingUrl: null
};
/** Every message the connector posted, for the tests and the console. */
const events = [];
const channel = new MessageChannel();

function send(type, data = {}) {
    channel.port1.postMessage({ type, ...data });
}

function callsOf(payload) {
    if (Array.isArray(payload)) return payload;
    return payload ? [payload] : [];
}

function initialCall() {
    return Array.from(state.calls.values()).find((c) => c.callType !== 'AddParticipant');
}

function thirdParty() {
    return Array.from(state.calls.values()).find((c) => c.callType === 'AddParticipant');
}

function onTelephonyEvent(type, payload) {
    switch (type) {
        case 'CALL_STARTED':
            state.calls.set(payload.callId, { ...payload });
            if (payload.callType === 'Outbound' && payload.contact && payload.contact.recordId) {
                // Salesforce relates a call placed from a record to it
                void fetch('/voice/api/voice-calls/relate', {
                    method: 'POST',
                    headers: { 'Content-Type': 'application/json' },
                    body: JSON.stringify({ number: payload.phoneNumber, recordId: payload.contact.recordId })
                });
            }
            break;
        case 'CALL_CONNECTED': {
            const known = state.calls.get(payload.callId) || {};
            state.calls.set(payload.callId, { ...known, ...payload, state: 'connected' });
            break;
        }
        case 'HANGUP':
            for (const call of callsOf(payload)) state.calls.delete(call.callId);
            if (state.calls.size === 0) {
                state.customerOnHold = false;
                state.thirdPartyOnHold = false;
                state.muted = false;
            }
            break;
        case 'HOLD_TOGGLE':
            state.customerOnHold = !!payload.isCustomerOnHold;
            state.thirdPartyOnHold = !!payload.isThirdPartyOnHold;
            break;
        case 'MUTE_TOGGLE':
            state.muted = !!payload.isMuted;
            break;
        case 'PARTICIPANT_ADDED':
            if (!payload.initialCallHasEnded && payload.callId) {
                // adding a participant holds the customer (the connector did: addParticipant)
                state.customerOnHold = true;
                state.calls.set(payload.callId, {
                    callId: payload.callId,
                    callType: 'AddParticipant',
                    phoneNumber: payload.phoneNumber,
                    state: 'transferring'
                });
            }
            break;
        case 'PARTICIPANT_CONNECTED': {
            const third = thirdParty();
            if (third) third.state = 'transferred';
            break;
        }
        case 'PARTICIPANT_REMOVED': {
            const third = thirdParty();
            if (third) state.calls.delete(third.callId);
            state.thirdPartyOnHold = false;
            break;
        }
        case 'AFTER_CALL_WORK_STARTED':
            state.afterCallWork = payload.callId;
            break;
        case 'WRAP_UP_ENDED':
            state.afterCallWork = null;
            break;
        case 'PHONE_CONTACTS':
            state.contacts = payload.contacts || [];
            break;
        case 'SIGNED_RECORDING_URL':
            state.recordingUrl = payload.success ? payload.url : null;
            if (!payload.success) state.errors.push('the recording cannot be played');
            break;
        case 'ERROR':
            state.errors.push(
                payload.message || (payload.customError && payload.customError.message) || 'error'
            );
            break;
        default:
            break;
    }
}

channel.port1.onmessage = (event) => {
    const message = event.data || {};
    events.push(message);
    if (message.type === 'CONNECTOR_READY') {
        state.connector = 'ready';
        state.capabilities = message.payload.capabilities || null;
        send('GET_PHONE_CONTACTS', { filter: {} });
    } else if (message.type === 'TELEPHONY_EVENT_DISPATCHED') {
        onTelephonyEvent(message.payload.telephonyEventType, message.payload.telephonyEventPayload);
    }
    render();
};

function button(label, onClick, name) {
    const element = document.createElement('button');
    element.textContent = label;
    if (name) element.dataset.action = name;
    element.addEventListener('click', onClick);
    return element;
}

function renderCalls() {
    const list = $('calls');
    list.replaceChildren();
    if (state.calls.size === 0) {
        const empty = document.createElement('p');
        empty.className = 'muted';
        empty.textContent = 'No call.';
        list.append(empty);
    }
    for (const call of state.calls.values()) {
        const card = document.createElement('div');
        card.className = 'call';
        card.dataset.callId = call.callId;
        card.dataset.state = call.state;
        const third = call.callType === 'AddParticipant';
        const held = third ? state.thirdPartyOnHold : state.customerOnHold;
        const title = document.createElement('div');
        title.textContent = `${third ? 'Third party' : call.callType || 'Call'} ${call.phoneNumber || ''}`;
        const detail = document.createElement('div');
        detail.className = 'muted';
        detail.dataset.role = 'status';
        detail.textContent = `${call.state}${held ? ' · on hold' : ''}`;
        card.append(title, detail);
        if (call.state === 'ringing' && call.callType === 'Inbound') {
            card.append(
                button('Accept', () => send('ACCEPT_CALL', { call }), 'accept'),
                button('Decline', () => send('DECLINE_CALL', { call }), 'decline')
            );
        } else {
            card.append(
                held
                    ? button('Resume', () => send('RESUME', { call }), 'resume')
                    : button('Hold', () => send('HOLD', { call }), 'hold'),
                button('End', () => send('END_CALL', { call, agentStatus: 'AfterCallWork' }), 'end')
            );
        }
        list.append(card);
    }
}

function render() {
    $('connector-state').textContent = state.connector;
    $('presence').disabled = state.connector !== 'ready';
    renderCalls();
    const talking = Array.from(state.calls.values()).some((c) => c.state !== 'ringing');
    $('controls').hidden = !talking;
    $('mute').textContent = state.muted ? 'Unmute' : 'Mute';
    const third = thirdParty();
    $('swap').hidden = !third || third.state !== 'transferred';
    $('merge').hidden = !third || third.state !== 'transferred';
    $('leave').hidden = !third || third.state !== 'transferred';
    $('wrap').hidden = state.afterCallWork === null;
    const errors = $('errors');
    errors.replaceChildren(
        ...state.errors.slice(-5).map((text) => {
            const item = document.createElement('li');
            item.textContent = text;
            return item;
        })
    );
    const contacts = $('contacts');
    if (contacts.options.length !== state.contacts.length + 1) {
        contacts.replaceChildren(new Option('Directory…', ''));
        for (const contact of state.contacts) {
            contacts.append(new Option(`${contact.name} (${contact.type})`, contact.phoneNumber));
        }
    }
}

function target() {
    return $('target').value.trim() || $('contacts').value;
}

$('presence').addEventListener('change', (event) => {
    const choice = PRESENCE[event.target.value] || PRESENCE[''];
    send('SET_AGENT_STATUS', { agentStatus: choice.agentStatus, statusInfo: choice.statusInfo });
});
$('mute').addEventListener('click', () => send(state.muted ? 'UNMUTE' : 'MUTE'));
for (const digit of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#']) {
    $('pad').append(button(digit, () => send('SEND_DIGITS', { digits: digit }), `digit-${digit}`));
}
$('blind-transfer').addEventListener('click', () =>
    send('ADD_PARTICIPANT', {
        contact: { phoneNumber: target() },
        call: initialCall(),
        isBlindTransfer: true
    })
);
$('consult').addEventListener('click', () =>
    send('ADD_PARTICIPANT', {
        contact: { phoneNumber: target() },
        call: initialCall(),
        isBlindTransfer: false
    })
);
$('swap').addEventListener('click', () => {
    const customer = initialCall();
    const third = thirdParty();
    const [callToHold, callToResume] = state.customerOnHold ? [third, customer] : [customer, third];
    send('SWAP_PARTICIPANTS', {
        callToHold: { ...callToHold, callAttributes: { participantType: participantOf(callToHold) } },
        callToResume: { ...callToResume, callAttributes: { participantType: participantOf(callToResume) } }
    });
});
$('merge').addEventListener('click', () => send('CONFERENCE', { calls: [initialCall(), thirdParty()] }));
$('leave').addEventListener('click', () =>
    send('END_CALL', { call: initialCall(), agentStatus: 'AfterCallWork' })
);
$('wrap-up').addEventListener('click', () => send('WRAP_UP_CALL', { call: { callId: state.afterCallWork } }));

function participantOf(call) {
    return call && call.callType === 'AddParticipant' ? 'Third_Party' : 'Initial_Caller';
}

async function showRecord() {
    const wanted = params.get('record');
    const response = await fetch('/org/records?object=Contact');
    const records = response.ok ? await response.json() : [];
    const record = records.find((r) => (wanted ? r.id === wanted : r.phones.length > 0));
    const panel = $('record');
    panel.replaceChildren();
    if (!record) {
        panel.textContent = 'No record with a phone number.';
        return;
    }
    const name = document.createElement('div');
    name.textContent = `${record.name} · ${record.subtitle}`;
    name.dataset.recordId = record.id;
    panel.append(name);
    for (const phone of record.phones) {
        panel.append(
            button(
                `Call ${phone}`,
                () =>
                    send('DIAL', { contact: { phoneNumber: phone, recordId: record.id, name: record.name } }),
                'dial-record'
            )
        );
    }
}

async function refreshVoiceCalls() {
    const response = await fetch('/voice/api/voice-calls');
    if (!response.ok) return;
    const rows = await response.json();
    $('voice-calls').replaceChildren(
        ...rows.map((call) => {
            const row = document.createElement('tr');
            row.dataset.vendorCallKey = call.VendorCallKey;
            for (const value of [
                call.Id,
                call.VendorCallKey,
                call.CallType,
                call.FromPhoneNumber,
                call.ToPhoneNumber,
                call.CallDurationInSeconds === null ? '' : String(call.CallDurationInSeconds),
                call.RelatedRecordId || '',
                call.ParentVoiceCallId || ''
            ]) {
                const cell = document.createElement('td');
                cell.textContent = value;
                row.append(cell);
            }
            const recording = document.createElement('td');
            if (call.RecordingLocation) {
                recording.append(
                    button('Play', () =>
                        send('GET_SIGNED_RECORDING_URL', {
                            recordingUrl: call.RecordingLocation,
                            vendorCallKey: call.VendorCallKey,
                            callId: call.Id
                        })
                    )
                );
            }
            row.append(recording);
            return row;
        })
    );
}

window.voiceHost = {
    events,
    send,
    state: () => ({
        connector: state.connector,
        capabilities: state.capabilities,
        calls: Array.from(state.calls.values()),
        customerOnHold: state.customerOnHold,
        thirdPartyOnHold: state.thirdPartyOnHold,
        muted: state.muted,
        afterCallWork: state.afterCallWork,
        contacts: state.contacts,
        errors: state.errors.slice(),
        recordingUrl: state.recordingUrl
    }),
    telephonyEvents: (type) =>
        events
            .filter((m) => m.type === 'TELEPHONY_EVENT_DISPATCHED' && m.payload.telephonyEventType === type)
            .map((m) => m.payload.telephonyEventPayload),
    voiceCalls: async () => (await fetch('/voice/api/voice-calls')).json()
};

const frame = $('connector');
frame.addEventListener(
    'load',
    () =>
        frame.contentWindow.postMessage(
            { type: 'SETUP_CONNECTOR', connectorConfig: CONNECTOR_CONFIG },
            connectorUrl.origin,
            [channel.port2]
        ),
    { once: true }
);
frame.src = connectorUrl.href;
void showRecord();
setInterval(() => void refreshVoiceCalls(), 1000);
render();
