// The connector page of the workbench's Voice mode: starts the shipped connector (window.WebphoneVoice)
// with its ports. In an org the page is force-app's Visualforce page ccphoneVoiceConnector and every port is
// a remoting call to VoiceConnectorController; here the SIP session and statuses are the local org's Apex
// ports (the utility-bar phone's methods) and the directory and recording links the Voice server's stand-ins
// (they also accept the simulator's http: links and show agents' availability, which the Apex does not).
// The API key never reaches this page.
const statusLine = document.getElementById('status');

async function call(method, url, body) {
    const response = await fetch(url, {
        method,
        headers: { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body)
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.message || `${url}: HTTP ${response.status}`);
    return data;
}

const apex = (name, params = {}) => call('POST', `/apex/${name}`, params);

const contactCentre = {
    async getSipSession() {
        const [credentials, pauseReasons] = await Promise.all([
            apex('AgentSessionController/getSipCredentials'),
            apex('AgentStatusController/getPauseReasons').catch(() => [])
        ]);
        return { ...credentials, pauseReasons };
    },
    async publishAgentStatus(change) {
        await apex('AgentStatusController/setStatus', {
            status: change.to,
            pauseReasonId: change.reason ? change.reason.id : null
        });
    },
    listTransferTargets: () => call('GET', '/voice/api/directory'),
    // the Voice server reads every agent's status: the directory says who is available
    agentAvailability: true,
    getSignedRecording: (vendorCallKey) =>
        call('GET', `/voice/api/recordings/${encodeURIComponent(vendorCallKey)}`)
    // no setRecordingPaused: the contact centre's API cannot pause a recording, so RECORD is not offered
};

if (window.WebphoneVoice && typeof window.WebphoneVoice.start === 'function') {
    // exposed for the e2e tests and the browser console (diagnostics only)
    // the workbench's Kamailio listens on ws://127.0.0.1 without TLS
    window.voiceConnector = window.WebphoneVoice.start({
        contactCentre,
        phoneOptions: { allowInsecureWebSocket: true }
    });
    statusLine.textContent = 'connector waiting for the softphone';
} else {
    statusLine.textContent = 'the voiceConnector static resource did not load';
}
