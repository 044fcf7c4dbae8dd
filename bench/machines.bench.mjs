// Per-event overhead of the two state machines (agent status, call). Prints figures, asserts nothing:
// timings on shared machines vary. `run({ core })` gets the CommonJS bundle of phone-core/src/index.ts.

/** A clock that never fires timers: time is driven by the bench, wrap timers are cancelled by endWrap. */
function benchClock() {
    let now = 1_700_000_000_000;
    let id = 0;
    return {
        now: () => now,
        tick: (ms) => (now += ms),
        setTimeout: () => ++id,
        clearTimeout: () => undefined
    };
}

const gc = typeof globalThis.gc === 'function' ? globalThis.gc : undefined;

function heapUsed() {
    gc?.();
    return process.memoryUsage().heapUsed;
}

async function measure(label, events, body) {
    const heapBefore = heapUsed();
    const start = process.hrtime.bigint();
    await body();
    const elapsedNs = Number(process.hrtime.bigint() - start);
    const heapDeltaBytes = heapUsed() - heapBefore;
    const nsPerEvent = elapsedNs / events;
    const figures = {
        events,
        totalMs: +(elapsedNs / 1e6).toFixed(1),
        nsPerEvent: +nsPerEvent.toFixed(1),
        eventsPerSecond: Math.round(1e9 / nsPerEvent),
        heapDeltaKiB: +(heapDeltaBytes / 1024).toFixed(1)
    };
    console.log(
        `${label.padEnd(62)} ${String(figures.nsPerEvent).padStart(8)} ns/event  ` +
            `${String(figures.eventsPerSecond).padStart(10)} events/s  heap ${figures.heapDeltaKiB} KiB`
    );
    return figures;
}

/** Ready -> Ringing -> Busy -> Wrap -> Ready, published through a port that resolves at once. */
async function agentCycles(core, cycles, { publishEvery }) {
    const clock = benchClock();
    let published = 0;
    const port = { publish: () => ((published += 1), Promise.resolve()) };
    const agent = new core.AgentStatusMachine({ port, clock });
    agent.send({ type: 'registered' });
    agent.send({ type: 'setReady' });
    await agent.flush();
    const offered = { type: 'callOffered', interactionId: 'INT-1' };
    const answered = { type: 'callAnswered' };
    const ended = { type: 'callEnded', wrapSeconds: 30 };
    const endWrap = { type: 'endWrap' };
    for (let i = 0; i < cycles; i++) {
        agent.send(offered);
        agent.send(answered);
        clock.tick(1000);
        agent.send(ended);
        agent.send(endWrap);
        if ((i + 1) % publishEvery === 0) await agent.flush();
    }
    await agent.flush();
    if (agent.status !== 'Ready' || published !== cycles * 4 + 2) throw new Error('agent bench went wrong');
}

/** A whole inbound call with hold, mute and DTMF: 10 events per call, one machine per call. */
function callCycles(core, calls, { withListener }) {
    const clock = benchClock();
    const offered = { type: 'offered', remote: { number: '+48600700800', displayName: 'Jan' } };
    const script = [
        offered,
        { type: 'answer' },
        { type: 'accepted' },
        { type: 'hold' },
        { type: 'holdConfirmed' },
        { type: 'resume' },
        { type: 'resumeConfirmed' },
        { type: 'mute' },
        { type: 'dtmf', digits: '1#' },
        { type: 'hangup' }
    ];
    let seen = 0;
    const listener = () => (seen += 1);
    for (let i = 0; i < calls; i++) {
        const call = new core.CallMachine({ id: `c${i}`, clock });
        if (withListener) call.on('transition', listener);
        for (const input of script) {
            if (!call.send(input).ok) throw new Error(`call bench: ${input.type} rejected`);
            clock.tick(10);
        }
    }
    if (withListener && seen !== calls * script.length) throw new Error('call bench listener count');
    return script.length;
}

/** Rejected inputs (double clicks): the guard plus the rejection result and event. */
function rejectedInputs(core, count) {
    const call = new core.CallMachine({ clock: benchClock() });
    call.send({ type: 'dial', remote: { number: '+31612345678' } });
    const resume = { type: 'resume' };
    for (let i = 0; i < count; i++) if (call.send(resume).ok) throw new Error('should be rejected');
}

export async function run({ core }) {
    const cycles = 1e5;
    const results = {};
    // Warm-up so the JIT has seen every path before timing.
    await agentCycles(core, 2_000, { publishEvery: 100 });
    callCycles(core, 2_000, { withListener: true });
    rejectedInputs(core, 10_000);

    results.agentStatus = await measure(
        `agent status: ${cycles} cycles x 4 events + publish`,
        cycles * 4,
        () => agentCycles(core, cycles, { publishEvery: 1_000 })
    );
    results.callNoListener = await measure(
        `call: ${cycles} calls x 10 events, no listener`,
        cycles * 10,
        () => callCycles(core, cycles, { withListener: false })
    );
    results.callWithListener = await measure(
        `call: ${cycles} calls x 10 events, listener (snapshot/event)`,
        cycles * 10,
        () => callCycles(core, cycles, { withListener: true })
    );
    results.callRejected = await measure(`call: ${cycles * 10} rejected inputs`, cycles * 10, () =>
        rejectedInputs(core, cycles * 10)
    );
    const snapshotCall = new core.CallMachine({ clock: benchClock() });
    snapshotCall.send({ type: 'offered', remote: { number: '+48600700800' } });
    results.callSnapshot = await measure(`call: ${cycles} snapshots`, cycles, () => {
        for (let i = 0; i < cycles; i++) snapshotCall.snapshot();
    });
    if (!gc) console.log('(heap figures without --expose-gc include garbage not yet collected)');
    return results;
}
