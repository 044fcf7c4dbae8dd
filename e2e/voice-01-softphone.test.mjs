// Salesforce Voice: the shipped voiceConnector.js in the softphone's frame, driven through the base
// library's message protocol by the workbench's softphone stand-in, with real calls over Kamailio to JsSIP
// customers and other agents' shipped phones. VoiceCall records come from the simulator through the
// telephony integration API. Screenshots of each step under e2e/screenshots/voice-*/.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { waitFor } from './lib/harness.mjs';
import { nextCustomerNumber, onlyReady } from './lib/calls.mjs';
import { startVoiceEnvironment } from './lib/voice.mjs';

let voiceEnv;
let env;
before(async () => {
    voiceEnv = await startVoiceEnvironment();
    env = voiceEnv.env;
});
after(async () => {
    await voiceEnv?.close();
});

/** Runs a scenario; on failure adds the softphone's console, the Voice log and the simulator output. */
async function scenario(softphoneRef, body) {
    try {
        await body();
    } catch (error) {
        const parts = [];
        if (softphoneRef.current) {
            parts.push(
                `--- softphone state ---\n${JSON.stringify(await softphoneRef.current.state().catch(() => null), null, 1)}`
            );
            parts.push(`--- softphone console ---\n${softphoneRef.current.consoleLines.join('\n')}`);
        }
        parts.push(`--- voice/org log ---\n${voiceEnv.log.slice(-60).join('\n')}`);
        parts.push(`--- simulator ---\n${env.simulatorOutput.join('').slice(-3000)}`);
        error.message = `${error.message}\n\n${parts.join('\n')}`;
        throw error;
    }
}

describe('Salesforce Voice: inbound call through the connector', () => {
    afterEach(() => env.closePhones());

    test('go Ready, accept, hold / resume, DTMF, end, wrap-up; the VoiceCall with duration and recording', async () => {
        const ref = {};
        await scenario(ref, async () => {
            const softphone = await voiceEnv.openSoftphone({ scenario: 'voice-01-inbound' });
            ref.current = softphone;
            const ready = await softphone.state();
            assert.equal(ready.capabilities.RECORD, false, 'the contact centre cannot pause recordings');
            assert.equal(ready.capabilities.SIGNED_RECORDING_URL, true);
            assert.equal(ready.capabilities.BLIND_TRANSFER, true);
            await softphone.screenshot('connector-ready');

            await onlyReady(env, [], ['agt-102', 'agt-103']);
            await softphone.setPresence('Available');
            await waitFor(async () => ((await env.status('agt-101')).status === 'Ready' ? true : null), {
                what: 'agt-101 Ready at the contact centre'
            });
            await softphone.screenshot('ready');

            const customer = await env.newCustomer({ user: nextCustomerNumber(), simulatorUrl: env.sim.url });
            const session = await customer.call({ campaign: 'cmp-support', callerNumber: customer.user });
            const ringing = await softphone.waitForState(
                (s) => s.calls.some((c) => c.state === 'ringing' && c.callType === 'Inbound'),
                'the call rings in the softphone'
            );
            const call = ringing.calls[0];
            assert.equal(call.phoneNumber, customer.user);
            assert.match(call.callId, /^int-/, 'the softphone knows the call by the interaction id');
            await softphone.screenshot('ringing');

            await softphone.click('[data-action="accept"]');
            await softphone.waitForState((s) => s.calls[0]?.state === 'connected', 'CALL_CONNECTED');
            await customer.waitForStatus(['confirmed']);
            const audio = await waitFor(
                async () => {
                    const stats = await customer.stats(session.id);
                    return stats && stats.bytesReceived > 0 && stats.bytesSent > 0 ? stats : null;
                },
                { what: 'audio both ways at the customer' }
            );
            assert.ok(audio.bytesReceived > 0);
            assert.equal((await env.status('agt-101')).status, 'Busy');
            await softphone.screenshot('connected');

            await softphone.click('[data-action="hold"]');
            await softphone.waitForState((s) => s.customerOnHold, 'HOLD_TOGGLE on hold');
            await waitFor(
                async () => ((await customer.stats(session.id)).directions[0] === 'recvonly' ? true : null),
                { what: 'the customer is held (recvonly)' }
            );
            await softphone.screenshot('on-hold');
            await softphone.click('[data-action="resume"]');
            await softphone.waitForState((s) => !s.customerOnHold, 'HOLD_TOGGLE resumed');
            await waitFor(
                async () => ((await customer.stats(session.id)).directions[0] === 'sendrecv' ? true : null),
                { what: 'the customer is back (sendrecv)' }
            );

            for (const digit of ['4', '2', '#']) await softphone.click(`[data-action="digit-${digit}"]`);
            await waitFor(async () => ((await customer.dtmfReceived()) === '42#' ? true : null), {
                what: 'DTMF 42# at the customer'
            });
            await softphone.screenshot('dtmf');

            await softphone.click('[data-action="end"]');
            await softphone.waitForState((s) => s.calls.length === 0, 'HANGUP');
            const wrap = await softphone.waitForState(
                (s) => s.afterCallWork === call.callId,
                'after-call work'
            );
            assert.equal(wrap.afterCallWork, call.callId);
            assert.equal((await env.status('agt-101')).status, 'Wrap');
            await softphone.screenshot('after-call-work');
            await softphone.click('#wrap-up');
            await softphone.waitForState((s) => s.afterCallWork === null, 'WRAP_UP_ENDED');
            await waitFor(async () => ((await env.status('agt-101')).status === 'Ready' ? true : null), {
                what: 'agt-101 Ready again after the wrap-up'
            });

            const voiceCall = await waitFor(
                async () => {
                    const calls = await softphone.voiceCalls();
                    const found = calls.find((c) => c.VendorCallKey === call.callId);
                    return found && found.CallEndDateTime && found.RecordingLocation ? found : null;
                },
                { what: 'the VoiceCall with its end and recording', timeoutMs: 20000 }
            );
            assert.equal(voiceCall.CallType, 'Inbound');
            assert.equal(voiceCall.FromPhoneNumber, customer.user);
            assert.ok(voiceCall.CallDurationInSeconds >= 0);
            assert.ok(voiceCall.CallAcceptDateTime, 'accepted');
            assert.match(voiceCall.RecordingLocation, /\/v1\/recordings\/[^/]+\/audio$/);
            await softphone.click(`tr[data-vendor-call-key="${call.callId}"] button`);
            const played = await softphone.waitForState((s) => s.recordingUrl, 'a signed recording URL');
            assert.match(played.recordingUrl, /signature=/);
            await softphone.screenshot('voice-call-record');
        });
    });
});

/** A Ready softphone with an accepted inbound call from a fresh customer, audio flowing. */
async function connectedCall(scenarioName, ref) {
    const softphone = await voiceEnv.openSoftphone({ scenario: scenarioName });
    ref.current = softphone;
    await onlyReady(env, [], ['agt-102', 'agt-103']);
    await softphone.setPresence('Available');
    await waitFor(async () => ((await env.status('agt-101')).status === 'Ready' ? true : null), {
        what: 'agt-101 Ready'
    });
    const customer = await env.newCustomer({ user: nextCustomerNumber(), simulatorUrl: env.sim.url });
    const session = await customer.call({ campaign: 'cmp-support', callerNumber: customer.user });
    const ringing = await softphone.waitForState((s) => s.calls[0]?.state === 'ringing', 'ringing');
    await softphone.click('[data-action="accept"]');
    await softphone.waitForState((s) => s.calls[0]?.state === 'connected', 'connected');
    await customer.waitForStatus(['confirmed']);
    return { softphone, customer, session, call: ringing.calls[0] };
}

/** The customer's leg `sessionId` sends and receives audio (bytes grow past what they were). */
async function customerAudio(customer, sessionId, what) {
    const before = await customer.stats(sessionId);
    return waitFor(
        async () => {
            const now = await customer.stats(sessionId);
            return now &&
                now.bytesReceived > (before?.bytesReceived ?? 0) &&
                now.bytesSent > (before?.bytesSent ?? 0)
                ? now
                : null;
        },
        { what }
    );
}

/**
 * The VoiceCalls of the interaction `parentKey` once it has `count` child legs: the parent and its children
 * (one VoiceCall per consultation or transfer leg, parentVoiceCallId = the interaction's VoiceCall).
 */
async function legsOf(softphone, parentKey, count) {
    return waitFor(
        async () => {
            const calls = await softphone.voiceCalls();
            const parent = calls.find((c) => c.VendorCallKey === parentKey);
            const children = parent ? calls.filter((c) => c.ParentVoiceCallId === parent.Id) : [];
            return parent && children.length >= count ? { parent, children } : null;
        },
        { what: `${count} leg VoiceCall(s) of ${parentKey}` }
    );
}

/** agt-102 on the shipped utility-bar core (the e2e agent page), registered: the transfer target. */
async function secondAgent() {
    const second = await env.newAgent({ agentId: 'agt-102' });
    await second.waitForRegistration();
    return second;
}

/** Consults agt-102, who answers: the customer is held, the third party connected. */
async function consultAnswered(softphone, second) {
    await softphone.page.fill('#target', 'agt-102');
    await softphone.click('#consult');
    const ringing = await second.waitForRinging();
    await softphone.waitForState((s) => s.customerOnHold, 'the customer is held for the consultation');
    assert.equal((await second.command('answer', ringing.id)).ok, true);
    await softphone.waitForState(
        (s) => s.calls.some((c) => c.callType === 'AddParticipant' && c.state === 'transferred'),
        'PARTICIPANT_CONNECTED'
    );
}

describe('Salesforce Voice: transfers and conference through the connector', () => {
    afterEach(() => env.closePhones());

    test('blind transfer: the customer follows the REFER to another agent; the softphone hangs up once', async () => {
        const ref = {};
        await scenario(ref, async () => {
            const second = await env.newAgent({ agentId: 'agt-102' });
            await second.waitForRegistration();
            const { softphone, customer, session, call } = await connectedCall(
                'voice-02-blind-transfer',
                ref
            );
            await softphone.page.fill('#target', 'agt-102');
            await softphone.screenshot('before-transfer');
            await softphone.click('#blind-transfer');
            const ringing = await second.waitForRinging();
            assert.equal(ringing.remote.number, customer.user);
            assert.equal(ringing.interactionId, call.callId, 'the transfer carries the interaction');
            // the caller stays on the softphone's call while the target rings; it leaves once agt-102 answers
            assert.equal((await softphone.telephonyEvents('HANGUP')).length, 0, 'no HANGUP while it rings');
            assert.equal((await second.command('answer', ringing.id)).ok, true);
            await softphone.waitForState((s) => s.calls.length === 0, 'the softphone call ended');
            const added = await softphone.telephonyEvents('PARTICIPANT_ADDED');
            assert.equal(added.length, 1);
            assert.equal(added[0].initialCallHasEnded, true);
            assert.equal((await softphone.telephonyEvents('HANGUP')).length, 1, 'one HANGUP');
            const newSession = await customer.waitForStatus(['confirmed'], 15000);
            assert.notEqual(newSession.id, session.id, 'the customer is on a new call');
            await customerAudio(customer, newSession.id, 'audio between the customer and agt-102');
            await softphone.screenshot('transferred');
            // the contact centre made the transfer leg a VoiceCall of its own, child of the interaction's
            const { parent, children } = await legsOf(softphone, call.callId, 1);
            assert.equal(children.length, 1, 'one VoiceCall for the one transfer leg');
            assert.deepEqual(
                [
                    children[0].VendorCallKey,
                    children[0].CallType,
                    children[0].ToPhoneNumber,
                    children[0].FromPhoneNumber
                ],
                [`${call.callId}.t1`, 'Transfer', 'agt-102', customer.user]
            );
            assert.equal(parent.CallType, 'Inbound');
            await customer.hangup();
        });
    });

    test('attended transfer: consult, swap both ways, then complete: the customer talks to the consulted agent', async () => {
        const ref = {};
        await scenario(ref, async () => {
            const second = await secondAgent();
            const { softphone, customer, session, call } = await connectedCall(
                'voice-03-attended-transfer',
                ref
            );
            await consultAnswered(softphone, second);
            const [consultation] = await softphone.telephonyEvents('PARTICIPANT_ADDED');
            assert.notEqual(consultation.callId, call.callId, 'the consultation is a leg of its own');
            await waitFor(
                async () => ((await customer.stats(session.id)).directions[0] === 'recvonly' ? true : null),
                { what: 'the customer hears hold (recvonly)' }
            );
            await softphone.screenshot('consulting');

            await softphone.click('#swap');
            await softphone.waitForState(
                (s) => !s.customerOnHold && s.thirdPartyOnHold,
                'swapped to the customer'
            );
            await waitFor(
                async () => ((await customer.stats(session.id)).directions[0] === 'sendrecv' ? true : null),
                { what: 'the customer is back' }
            );
            await softphone.screenshot('swapped-to-customer');
            await softphone.click('#swap');
            await softphone.waitForState(
                (s) => s.customerOnHold && !s.thirdPartyOnHold,
                'swapped to the agent'
            );
            await waitFor(
                async () => ((await customer.stats(session.id)).directions[0] === 'recvonly' ? true : null),
                { what: 'the customer is held again' }
            );

            await softphone.click('#leave');
            await softphone.waitForState((s) => s.calls.length === 0, 'the agent left the call');
            const newSession = await customer.waitForStatus(['confirmed'], 15000);
            await customerAudio(customer, newSession.id, 'audio between the customer and agt-102');
            assert.equal((await softphone.telephonyEvents('HANGUP')).length, 1, 'one HANGUP for both legs');
            await softphone.screenshot('transfer-completed');
            // the consultation leg is the interaction's child VoiceCall, keyed as the connector knows it;
            // completing the transfer continues that leg (no second child)
            const { children } = await legsOf(softphone, call.callId, 1);
            assert.deepEqual(
                children.map((c) => [c.VendorCallKey, c.CallType, c.ToPhoneNumber]),
                [[consultation.callId, 'Transfer', 'agt-102']]
            );
            await customer.hangup();
        });
    });

    test('conference: consult, merge: customer, agent and consulted agent together; end', async () => {
        const ref = {};
        await scenario(ref, async () => {
            const second = await secondAgent();
            const { softphone, customer, session } = await connectedCall('voice-04-conference', ref);
            await consultAnswered(softphone, second);
            await softphone.click('#merge');
            await softphone.waitForState((s) => !s.customerOnHold && !s.thirdPartyOnHold, 'conferenced');
            await waitFor(
                async () => ((await customer.stats(session.id)).directions[0] === 'sendrecv' ? true : null),
                { what: 'the customer is in the conference' }
            );
            await customerAudio(customer, session.id, 'conference audio at the customer');
            const legs = await softphone.phoneCalls();
            assert.equal(legs.length, 2, 'two legs mixed in the connector');
            await softphone.screenshot('conference');
            await softphone.click('[data-call-id] [data-action="end"]');
            await softphone.waitForState((s) => s.calls.length === 0, 'everyone hung up');
            await customer.waitForStatus(['terminated', 'ended', 'failed'], 15000).catch(() => undefined);
        });
    });
});

describe('Salesforce Voice: outbound from a record', () => {
    afterEach(() => env.closePhones());

    test('click-to-dial on the record: the connector dials E.164, the VoiceCall is Outbound and related to the record', async () => {
        const ref = {};
        await scenario(ref, async () => {
            const softphone = await voiceEnv.openSoftphone({ scenario: 'voice-05-outbound' });
            ref.current = softphone;
            await softphone.setPresence('Busy_Backoffice');
            const recordId = await softphone.page.locator('[data-record-id]').getAttribute('data-record-id');
            const customer = await env.newCustomer({ user: '+48601234567' });
            const answering = customer.answerNext();
            await softphone.click('[data-action="dial-record"]');
            const started = await softphone.waitForState(
                (s) => s.calls.some((c) => c.callType === 'Outbound'),
                'CALL_STARTED outbound'
            );
            assert.equal(started.calls[0].contact.recordId, recordId);
            assert.equal(started.calls[0].phoneNumber, '+48601234567', 'dialled as E.164');
            await answering;
            await softphone.waitForState((s) => s.calls[0]?.state === 'connected', 'CALL_CONNECTED outbound');
            await softphone.screenshot('outbound-connected');
            const voiceCall = await waitFor(
                async () =>
                    (await softphone.voiceCalls()).find(
                        (c) =>
                            c.CallType === 'Outbound' &&
                            c.ToPhoneNumber === '+48601234567' &&
                            c.RelatedRecordId
                    ),
                { what: 'the outbound VoiceCall related to the record' }
            );
            assert.equal(voiceCall.RelatedRecordId, recordId);
            await softphone.click('[data-action="end"]');
            await softphone.waitForState((s) => s.calls.length === 0, 'HANGUP');
            await waitFor(
                async () =>
                    (await softphone.voiceCalls()).find((c) => c.Id === voiceCall.Id && c.CallEndDateTime),
                { what: 'the outbound VoiceCall ended' }
            );
            await softphone.screenshot('outbound-voice-call');
        });
    });
});
