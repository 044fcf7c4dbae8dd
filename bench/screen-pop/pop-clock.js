// Screen-pop timing inside the workbench page (bench/screen-pop.mjs); load after e2e/agent/invite-clock.js.
// One pop: from the INVITE frame's arrival on the phone's WebSocket (window.inviteClock) to the first task
// after the frame that painted the caller card with the matched record's name, and the Apex calls
// (fetch POST /apex/<Class>/<method>) the page made in between.
(function () {
    'use strict';

    // Taken before synthetic shadow patches them: it hides components' internals from document queries.
    const nativeQueryAll = Document.prototype.querySelectorAll;
    const nativeFetch = window.fetch;
    const apexCalls = [];
    const pops = [];
    let armed = null;

    window.fetch = function (input, init) {
        const url = typeof input === 'string' ? input : input && input.url;
        const response = nativeFetch.call(this, input, init);
        if (typeof url === 'string' && url.includes('/apex/')) {
            const call = {
                at: performance.now(),
                doneAt: null,
                method: url.slice(url.indexOf('/apex/') + 6)
            };
            apexCalls.push(call);
            const done = () => (call.doneAt = performance.now());
            response.then(done, done);
        }
        return response;
    };

    function cardShows(name) {
        const nodes = nativeQueryAll.call(document, '[data-id="incoming"] [data-id="name"]');
        for (const node of nodes) if (node.textContent.includes(name)) return true;
        return false;
    }

    function onFrame() {
        const run = armed;
        if (!run) return;
        const invitedAt = window.inviteClock && window.inviteClock.lastAt;
        if (typeof invitedAt === 'number' && invitedAt > run.armedAt && cardShows(run.name)) {
            armed = null;
            // rAF runs before this frame's paint: the first task after it comes after the paint
            setTimeout(() => {
                const paintedAt = performance.now();
                const started = apexCalls.filter((c) => c.at >= invitedAt && c.at <= paintedAt);
                // the round trips in flight until the caller lookup answered: what the card waited on
                const lookup = started.find((c) => c.method.endsWith('/findCallers'));
                const lookupDone = lookup && lookup.doneAt !== null ? lookup.doneAt : paintedAt;
                pops.push({
                    ms: paintedAt - invitedAt,
                    apex: started.map((c) => c.method),
                    awaited: started.filter((c) => c.at <= lookupDone).map((c) => c.method)
                });
            }, 0);
            return;
        }
        requestAnimationFrame(onFrame);
    }

    window.popClock = {
        /** Watch for the next INVITE and a caller card naming `name`. */
        arm(name) {
            armed = { name, armedAt: performance.now() };
            requestAnimationFrame(onFrame);
            return true;
        },
        pops() {
            return pops.slice();
        }
    };
})();
