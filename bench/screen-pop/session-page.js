// The real-call e2e page of bench/screen-pop.mjs: the SHIPPED static resource's PhoneSession (the orchestrator
// the LWC binds to: election, agent status, caller lookup, screen-pop decision, caller card state) with its
// host ports done the way the package's Apex does them, straight against the simulator: SIP credentials from
// webrtc-session, statuses mapped as AgentStatusService maps them, and the caller lookup as one POST to
// /apex/CallerLookupController/findCallers, which the e2e page server answers with one Contact (a stand-in
// for the org on loopback). The caller card is rendered as text from the session's view state.
/* global WebphoneCore */
(function () {
    'use strict';

    // AgentStatusService.cls: the contact centre's status for each phone status
    const API_STATUS = {
        NotReady: 'NotReady',
        Offline: 'NotReady',
        Error: 'NotReady',
        Ready: 'Ready',
        Ringing: 'Ready',
        Busy: 'Busy',
        Wrap: 'Wrap'
    };
    let session = null;
    let config = null;
    let latest = null;

    async function api(method, apiPath, body) {
        const response = await fetch(`${config.apiUrl}${apiPath}`, {
            method,
            headers: {
                'Content-Type': 'application/json',
                'X-Api-Key': config.apiKey,
                'X-Tenant-Id': config.tenantId
            },
            body: body === undefined ? undefined : JSON.stringify(body)
        });
        if (!response.ok) throw new Error(`${method} ${apiPath}: HTTP ${response.status}`);
        const text = await response.text();
        return text ? JSON.parse(text) : null;
    }

    const agentPath = () => `/v1/agents/${encodeURIComponent(config.agentId)}`;

    const host = {
        async getSipSession() {
            const body = await api('POST', `${agentPath()}/webrtc-session`, {});
            return {
                wssUrl: body.wssUrl,
                sipUri: body.sipUri,
                authorizationUsername: body.authorizationUsername,
                authorizationPassword: body.authorizationPassword,
                displayName: body.displayName,
                expiresAt: body.expiresAt ? Date.parse(body.expiresAt) : undefined,
                iceServers: body.iceServers || [],
                campaigns: [],
                pauseReasons: []
            };
        },
        async publishAgentStatus(change) {
            const status = API_STATUS[change.to];
            if (status) await api('PUT', `${agentPath()}/status`, { status });
        },
        async lookupCaller(request) {
            const response = await fetch('/apex/CallerLookupController/findCallers', {
                method: 'POST',
                headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify(request)
            });
            if (!response.ok) throw new Error(`findCallers: HTTP ${response.status}`);
            return response.json();
        },
        async saveCallLog(entry) {
            return { status: 'saved', taskId: `00T${entry.interactionId}`.slice(0, 18) };
        }
    };

    function render(state) {
        latest = state;
        const incoming = state.incoming;
        const card = document.querySelector('[data-id="incoming"]');
        card.hidden = !incoming;
        document.querySelector('[data-id="name"]').textContent = incoming
            ? incoming.caller.name || incoming.caller.numberDisplay || ''
            : '';
    }

    window.sessionPage = {
        async start(options) {
            config = options;
            session = new WebphoneCore.PhoneSession({
                host,
                orgId: 'bench-org',
                userId: options.agentId,
                settings: { defaultCountry: 'PL', missedCallSetsNotReady: false },
                sipOptions: { logLevel: 'error', playTones: false, allowInsecureWebSocket: true }
            });
            session.on('stateChanged', render);
            await session.start();
            return true;
        },
        setStatus(status) {
            return session.setStatus({ status });
        },
        state() {
            return latest
                ? {
                      registration: latest.registration && latest.registration.state,
                      agent: latest.agent && latest.agent.status,
                      incoming: latest.incoming ? latest.incoming.caller.name || null : null
                  }
                : null;
        }
    };
    window.sessionPageReady = true;
})();
