// Bench instrumentation shared by the agent page (agent-page.js) and the bare sip.js baseline of
// bench/calls.mjs (bench/calls/sipjs-page.js), so both phones are timed from the same moment:
// `window.inviteClock.lastAt` is when the last initial INVITE frame arrived on a WebSocket
// (performance.now(), before the SIP stack saw it), null before the first one. Load it before any socket opens.
(function () {
    'use strict';

    const clock = { lastAt: null };
    window.inviteClock = clock;
    const NativeWebSocket = window.WebSocket;
    window.WebSocket = function (...args) {
        const socket = new NativeWebSocket(...args);
        socket.addEventListener('message', (event) => {
            if (
                typeof event.data === 'string' &&
                event.data.startsWith('INVITE ') &&
                !/\r\nTo:[^\r]*;tag=/i.test(event.data)
            ) {
                clock.lastAt = performance.now();
            }
        });
        return socket;
    };
    window.WebSocket.prototype = NativeWebSocket.prototype;
    Object.setPrototypeOf(window.WebSocket, NativeWebSocket);
})();
