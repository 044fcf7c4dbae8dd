// Test instrumentation for the ui-* files: remember the agent page's peer connections (an init script, run on
// every load) so getStats can prove audio flows, and read the audio bytes both ways from them.

/** The init script: every RTCPeerConnection the page makes is kept in `window.__e2ePeerConnections`. */
export const PEER_CONNECTIONS = `(() => {
    const Native = window.RTCPeerConnection;
    window.__e2ePeerConnections = [];
    window.RTCPeerConnection = function (...args) {
        const pc = new Native(...args);
        window.__e2ePeerConnections.push(pc);
        return pc;
    };
    window.RTCPeerConnection.prototype = Native.prototype;
    Object.setPrototypeOf(window.RTCPeerConnection, Native);
})();`;

/**
 * Audio bytes received and sent on the page's live peer connections (getStats inbound-rtp / outbound-rtp).
 * @param {import('playwright-core').Page} page a page loaded with {@link PEER_CONNECTIONS}
 */
export function audioBytes(page) {
    return page.evaluate(async () => {
        let received = 0;
        let sent = 0;
        for (const pc of window.__e2ePeerConnections ?? []) {
            if (pc.connectionState === 'closed') continue;
            (await pc.getStats()).forEach((item) => {
                if (item.kind !== 'audio') return;
                if (item.type === 'inbound-rtp') received += item.bytesReceived ?? 0;
                if (item.type === 'outbound-rtp') sent += item.bytesSent ?? 0;
            });
        }
        return { received, sent };
    });
}
