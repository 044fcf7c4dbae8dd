// The connector page of the workbench's Voice mode: starts the shipped connector (window.WebphoneVoice)
// with its ports. In an org these ports are the package's Apex (the same methods the utility-bar phone
// calls); here the local org's Apex through the Voice server, plus two contact-centre services the
// package has no Apex for yet (directory, recording links). The API key never reaches this page.
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
