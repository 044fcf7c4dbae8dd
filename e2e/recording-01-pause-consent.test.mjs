// Recording control with consent (F21) with real calls: the agent's pause and resume go through the contact
// centre's API (POST /v1/calls/{id}/recording, what RecordingControlController sends), the customer-side
// recorder follows the contact centre's state, and the uploaded file really leaves the paused time out:
// the test decodes it and measures the gap. A declined consent stops the recording for the rest of the call.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { Environment, waitFor, withDiagnostics } from './lib/harness.mjs';
import { audioBothWays, callRingsAt, nextCustomerNumber, onlyReady } from './lib/calls.mjs';

/** How long the test keeps the recording paused (and recording afterwards), measured by the recorder. */
const PAUSE_MS = 3000;
/** Decoding, MediaRecorder's 1 s timeslices and the 200 ms control poll: the tolerance of the measurement. */
const TOLERANCE_MS = 700;

let env;
before(async () => {
    env = await Environment.start();
});
after(async () => {
    await env?.close();
});

/** An answered call with audio both ways and the customer's recorder running. */
async function answeredCall() {
    const agent = await env.newAgent({ agentId: 'agt-101' });
    await agent.waitForRegistration();
    const customer = await env.newCustomer({ user: nextCustomerNumber(), simulatorUrl: env.sim.url });
    await onlyReady(env, ['agt-101']);
    const call = await callRingsAt(customer, agent);
    const answered = await agent.command('answer', call.ringing.id);
    assert.equal(answered.ok, true, answered.message);
    await customer.waitForStatus(['confirmed']);
    await audioBothWays(agent, customer, call.session.callId);
    await waitFor(async () => ((await customer.recording())?.state === 'recording' ? true : null), {
        what: 'the customer-side recorder to run'
    });
    return { agent, customer, interactionId: call.ringing.interactionId };
}

function control(interactionId, action, reason) {
    return env.api('POST', `/v1/calls/${encodeURIComponent(interactionId)}/recording`, {
        action,
        reason,
        agentId: 'agt-101'
    });
}

/** Waits until the recorder reports `control` and, optionally, has held it for `forMs` (its own clock). */
function recorderIn(customer, state, what) {
    return waitFor(
        async () => {
            const facts = await customer.recording();
            return facts?.control === state ? facts : null;
        },
        { what }
    );
}

/** Hangs up, waits for the upload, and decodes the stored file. */
async function hangUpAndMeasure(customer, interactionId) {
    await customer.hangup();
    const uploaded = await waitFor(
        async () => {
            const facts = await customer.recording();
            return facts && ['uploaded', 'failed', 'skipped'].includes(facts.state) ? facts : null;
        },
        { what: 'the recording upload' }
    );
    assert.equal(uploaded.state, 'uploaded', uploaded.error ?? '');
    const { recording: ref } = await env.call(interactionId);
    const signed = await env.api('GET', `/v1/recordings/${ref.id}/signed-url`);
    const audio = await customer.analyseAudio(signed.url);
    return { uploaded, audioMs: audio.durationSeconds * 1000 };
}

describe('recording pause, resume and consent (F21)', () => {
    afterEach(() => env.closePhones());

    test('pause and resume leave a gap of the paused time in the recording', () =>
        withDiagnostics(env, async () => {
            const { customer, interactionId } = await answeredCall();
            const paused = await control(interactionId, 'pause', 'agent');
            assert.equal(paused.state, 'paused');
            const pausedFacts = await recorderIn(customer, 'paused', 'the recorder to pause');
            // the pause lasts PAUSE_MS on the recorder's own clock (a condition, not a fixed sleep)
            await waitFor(
                async () => {
                    const facts = await customer.recording();
                    return facts.pausedSince !== null && facts.now - facts.pausedSince >= PAUSE_MS
                        ? true
                        : null;
                },
                { what: `the recording paused for ${PAUSE_MS} ms`, timeoutMs: PAUSE_MS + 10_000 }
            );
            const resumed = await control(interactionId, 'resume', 'agent');
            assert.deepEqual(
                resumed.events.map((e) => `${e.action} ${e.reason}`),
                ['pause agent', 'resume agent']
            );
            const back = await recorderIn(customer, 'recording', 'the recorder to resume');
            assert.ok(back.pausedMs >= PAUSE_MS, `paused ${back.pausedMs} ms`);
            await waitFor(
                async () => {
                    const facts = await customer.recording();
                    return facts.now - (pausedFacts.pausedSince + facts.pausedMs) >= 1000 ? true : null;
                },
                { what: 'a second of recording after the resume' }
            );

            const { uploaded, audioMs } = await hangUpAndMeasure(customer, interactionId);
            const gapMs = uploaded.durationMs - audioMs;
            assert.ok(
                Math.abs(gapMs - uploaded.pausedMs) <= TOLERANCE_MS,
                `the file is ${Math.round(audioMs)} ms of a ${uploaded.durationMs} ms call: a gap of ` +
                    `${Math.round(gapMs)} ms, the pause was ${uploaded.pausedMs} ms`
            );
            assert.ok(gapMs >= PAUSE_MS - TOLERANCE_MS, `the gap (${Math.round(gapMs)} ms) is the pause`);
            console.log(
                `recording gap: call ${uploaded.durationMs} ms, file ${Math.round(audioMs)} ms, ` +
                    `gap ${Math.round(gapMs)} ms, paused ${uploaded.pausedMs} ms`
            );
        }));

    test('a declined consent stops the recording for the rest of the call', () =>
        withDiagnostics(env, async () => {
            const { customer, interactionId } = await answeredCall();
            const stopped = await control(interactionId, 'stop', 'consent-declined');
            assert.equal(stopped.state, 'stopped');
            const stopFacts = await recorderIn(customer, 'stopped', 'the recorder to stop');
            await assert.rejects(control(interactionId, 'resume', 'agent'), /HTTP 409 .*recording-stopped/);
            await waitFor(
                async () => {
                    const facts = await customer.recording();
                    return facts.now - stopFacts.pausedSince >= PAUSE_MS ? true : null;
                },
                { what: 'the call to go on after the stop', timeoutMs: PAUSE_MS + 10_000 }
            );
            const { uploaded, audioMs } = await hangUpAndMeasure(customer, interactionId);
            const recordedBeforeStop = stopFacts.pausedSince - uploaded.startedAt;
            assert.equal(uploaded.control, 'stopped');
            assert.ok(
                Math.abs(audioMs - recordedBeforeStop) <= TOLERANCE_MS,
                `the file (${Math.round(audioMs)} ms) holds only the ${recordedBeforeStop} ms before the stop`
            );
            assert.ok(uploaded.durationMs - audioMs >= PAUSE_MS - TOLERANCE_MS, 'nothing after the stop');
            console.log(
                `declined consent: call ${uploaded.durationMs} ms, file ${Math.round(audioMs)} ms, ` +
                    `recorded before the stop ${recordedBeforeStop} ms`
            );
        }));
});
