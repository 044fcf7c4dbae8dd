// Registration with short-lived credentials, and an inbound call through the ACD with real media:
// answer, audio both ways, hold/resume, mute, DTMF, and the call's recording (made on the customer's
// side, uploaded to the simulator). The agent runs the shipped webphoneCore.js (sip.js), the customer
// JsSIP; Kamailio sits between them.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { Environment, waitFor, withDiagnostics } from './lib/harness.mjs';
import { agentLeg, audioBothWays, callRingsAt, grows, nextCustomerNumber, onlyReady } from './lib/calls.mjs';

let env;
before(async () => {
    env = await Environment.start();
});
after(async () => {
    await env?.close();
});

describe('registration with short-lived credentials', () => {
    afterEach(() => env.closePhones());

    test('registers with the credentials the webrtc-session endpoint issues', () =>
        withDiagnostics(env, async () => {
            const agent = await env.newAgent({ agentId: 'agt-101' });
            const state = await agent.waitForRegistration();
            assert.ok(state.credentialFetches >= 1, 'credentials were fetched');
            assert.equal((await env.contacts('agt-101')).length, 1, 'Kamailio holds one binding');
        }));

    test('a wrong secret is refused (401) and fresh credentials register', () =>
        withDiagnostics(env, async () => {
            const wrong = env.credentials('agt-102', { secret: 'not-the-shared-secret' });
            const agent = await env.newAgent({ agentId: 'agt-102', presetCredentials: [wrong] });
            const state = await agent.waitForRegistration();
            const refused = state.registrations.find((change) => change.state === 'Failed');
            assert.ok(refused, 'the first REGISTER failed');
            assert.equal(refused.code, 401, 'refused with 401 after the digest answer');
            assert.ok(state.credentialFetches >= 2, 'fresh credentials were fetched after the refusal');
        }));

    test('expired credentials are refused (403) and renewed credentials register', () =>
        withDiagnostics(env, async () => {
            const expired = env.credentials('agt-103', { expiresAtMs: Date.now() - 60_000 });
            const agent = await env.newAgent({
                agentId: 'agt-103',
                presetCredentials: [{ ...expired, expiresAt: 0 }]
            });
            const state = await agent.waitForRegistration('Registered', 10000);
            const refused = state.registrations.find((change) => change.state === 'Failed');
            assert.ok(refused, 'the first REGISTER failed');
            assert.equal(refused.code, 403, 'expired credentials get 403');
            assert.ok(state.credentialFetches >= 2, 'credentials were renewed');
        }));
});

describe('inbound call to a Ready agent', () => {
    let agent;
    let customer;
    let call; // { ringing, session }

    before(async () => {
        agent = await env.newAgent({ agentId: 'agt-101', phoneOptions: { dtmfMode: 'info' } });
        await agent.waitForRegistration();
        // simulatorUrl: the customer page records answered calls and uploads them there.
        customer = await env.newCustomer({ user: nextCustomerNumber(), simulatorUrl: env.sim.url });
        await onlyReady(env, ['agt-101']);
    });
    after(async () => {
        await env.closePhones();
    });

    test('rings with the contact centre data, is answered, audio flows both ways', () =>
        withDiagnostics(env, async () => {
            call = await callRingsAt(customer, agent, { ivrCode: '4711', displayName: 'Jan Kowalski' });
            assert.equal(call.ringing.remote.number, customer.user, 'caller number from P-Asserted-Identity');
            assert.equal(call.ringing.callData.campaignId, 'cmp-support');
            assert.equal(call.ringing.callData.campaignName, 'Customer support');
            assert.equal(call.ringing.callData.ivrCode, '4711');
            assert.match(call.ringing.interactionId, /^int-/);
            assert.equal(
                call.ringing.callData.generated,
                false,
                'the interaction id came from X-CC-Interaction-Id'
            );
            // The agent's page sees the INVITE before the customer's page sees the 180 it answers with:
            // under load that gap is long, so wait for the 180 rather than read it once.
            const heardRinging = await waitFor(
                async () => (await customer.snapshot()).responses.includes(180),
                { what: 'the customer to hear 180 Ringing' }
            );
            assert.ok(heardRinging, 'the customer heard 180 Ringing');

            const answered = await agent.command('answer', call.ringing.id);
            assert.equal(answered.ok, true, answered.message);
            await customer.waitForStatus(['confirmed']);
            const media = await audioBothWays(agent, customer, call.session.callId);
            assert.ok(media.agent.bytesReceived > 0 && media.customer.bytesReceived > 0);
            assert.deepEqual(media.agent.directions, ['sendrecv']);

            const record = await env.call(call.ringing.interactionId);
            assert.equal(record.state, 'connected');
            assert.equal(record.agentId, 'agt-101');
            assert.equal((await env.status('agt-101')).status, 'Busy');
        }));

    test('hold makes the agent sendonly and the customer recvonly; resume makes both sendrecv again', () =>
        withDiagnostics(env, async () => {
            const held = await agent.command('hold', call.ringing.id);
            assert.equal(held.ok, true, held.message);
            const agentHeld = await waitFor(
                async () => {
                    const leg = await agentLeg(agent, call.session.callId);
                    return leg && leg.directions[0] === 'sendonly' ? leg : null;
                },
                { what: 'agent transceiver sendonly' }
            );
            assert.deepEqual(agentHeld.directions, ['sendonly']);
            const customerHeld = await waitFor(
                async () => {
                    const stats = await customer.stats();
                    return stats.directions[0] === 'recvonly' ? stats : null;
                },
                { what: 'customer transceiver recvonly' }
            );
            assert.deepEqual(customerHeld.directions, ['recvonly']);

            const resumed = await agent.command('resume', call.ringing.id);
            assert.equal(resumed.ok, true, resumed.message);
            const agentBack = await waitFor(
                async () => {
                    const leg = await agentLeg(agent, call.session.callId);
                    return leg && leg.directions[0] === 'sendrecv' ? leg : null;
                },
                { what: 'agent transceiver sendrecv after resume' }
            );
            const customerBack = await waitFor(
                async () => {
                    const stats = await customer.stats();
                    return stats.directions[0] === 'sendrecv' ? stats : null;
                },
                { what: 'customer transceiver sendrecv after resume' }
            );
            // Audio flows again both ways after the resume.
            await grows(
                async () => (await agentLeg(agent, call.session.callId)).bytesReceived,
                agentBack.bytesReceived,
                'agent receiving after resume'
            );
            await grows(
                async () => (await customer.stats()).bytesReceived,
                customerBack.bytesReceived,
                'customer receiving after resume'
            );
        }));

    test('mute disables the agent microphone track; unmute enables it', () =>
        withDiagnostics(env, async () => {
            const muted = await agent.command('mute', call.ringing.id);
            assert.equal(muted.ok, true, muted.message);
            assert.equal(muted.snapshot.muted, true);
            const leg = await agentLeg(agent, call.session.callId);
            assert.deepEqual(leg.senderTrackEnabled, [false], 'the microphone track is disabled while muted');
            const unmuted = await agent.command('unmute', call.ringing.id);
            assert.equal(unmuted.ok, true, unmuted.message);
            assert.deepEqual((await agentLeg(agent, call.session.callId)).senderTrackEnabled, [true]);
        }));

    test('DTMF from the agent reaches the customer (SIP INFO)', () =>
        withDiagnostics(env, async () => {
            const sent = await agent.command('sendDtmf', call.ringing.id, '12#');
            assert.equal(sent.ok, true, sent.message);
            const received = await waitFor(
                async () => {
                    const tones = await customer.dtmfReceived();
                    return tones.length >= 3 ? tones : null;
                },
                { what: 'DTMF at the customer' }
            );
            assert.equal(received, '12#');
        }));

    test("the customer's recording hears both voices (microphone and agent)", () =>
        withDiagnostics(env, async () => {
            const heard = await waitFor(
                async () => {
                    const recording = await customer.recording();
                    return recording && recording.levels.local > 0.01 && recording.levels.remote > 0.01
                        ? recording
                        : null;
                },
                { what: 'both voices in the customer-side recording' }
            );
            assert.equal(heard.state, 'recording');
            assert.match(heard.mimeType, /^audio\/webm/);
        }));

    test('the customer hangs up: the call record is answered, hung up by the caller, agent in Wrap', () =>
        withDiagnostics(env, async () => {
            await customer.hangup();
            await agent.waitForCallState(call.ringing.id, 'Ended');
            const record = await waitFor(
                async () => {
                    const current = await env.call(call.ringing.interactionId);
                    return current.state === 'ended' ? current : null;
                },
                { what: 'the call record to end' }
            );
            assert.equal(record.outcome, 'answered');
            assert.equal(record.hangupBy, 'caller');
            assert.equal((await env.status('agt-101')).status, 'Wrap', 'cmp-support has 15 s wrap');
        }));

    test("the answered call's recording is the customer-side audio: WebM, non-silent", () =>
        withDiagnostics(env, async () => {
            const uploaded = await waitFor(
                async () => {
                    const recording = await customer.recording();
                    return recording && ['uploaded', 'failed', 'skipped'].includes(recording.state)
                        ? recording
                        : null;
                },
                { what: 'the recording upload' }
            );
            assert.equal(uploaded.state, 'uploaded', uploaded.error ?? '');
            assert.equal(uploaded.upload.interactionId, call.ringing.interactionId, 'matched by SIP Call-ID');
            const { recording: ref } = await env.call(call.ringing.interactionId);
            assert.equal(ref.contentType, 'audio/webm');
            const facts = await env.control('GET', `/recordings/${ref.id}`);
            assert.equal(facts.source, 'customer-leg');
            assert.equal(facts.sizeBytes, uploaded.bytes);
            assert.ok(
                facts.sizeBytes > 500 && facts.sizeBytes < 5_000_000,
                `plausible size ${facts.sizeBytes}`
            );
            const signed = await env.api('GET', `/v1/recordings/${ref.id}/signed-url`);
            const audio = await customer.analyseAudio(signed.url);
            assert.equal(audio.contentType, 'audio/webm');
            assert.ok(audio.durationSeconds > 0, 'decodes to audio');
            assert.ok(audio.rms > 0.001, `not silent (RMS ${audio.rms})`);
        }));
});
