// Transfers and conferences between two agents' shipped phones and a JsSIP customer: blind transfer
// (REFER), consultation then transfer (REFER with Replaces), and a three-way conference mixed at the
// first agent, with audio checked on every leg.
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

/**
 * The contact centre's record of a transferred call lists a leg per agent, each with the SIP Call-ID that
 * agent's phone saw (what the phone's log carries too: Salesforce logs one Task per leg and joins the phone's
 * log and the push on it, issue 11 findings 1 and 9).
 */
async function legsOnceEnded(interactionId) {
    return waitFor(
        async () => {
            const record = await env.call(interactionId);
            return record.legs.length === 2 && record.legs.every((leg) => leg.endedAt !== null)
                ? record.legs
                : null;
        },
        { what: `both legs of ${interactionId} in the call record` }
    );
}

/** Customer calls, agt-101 answers, audio flows. */
async function connectedCall() {
    const first = await env.newAgent({ agentId: 'agt-101' });
    const second = await env.newAgent({ agentId: 'agt-102' });
    await first.waitForRegistration();
    await second.waitForRegistration();
    const customer = await env.newCustomer({ user: nextCustomerNumber() });
    await onlyReady(env, ['agt-101']);
    const call = await callRingsAt(customer, first);
    assert.equal((await first.command('answer', call.ringing.id)).ok, true);
    await customer.waitForStatus(['confirmed']);
    await audioBothWays(first, customer, call.session.callId);
    return { first, second, customer, call };
}

describe('transfer and conference', () => {
    afterEach(() => env.closePhones());

    test('blind transfer: the customer follows the REFER to the second agent, audio flows there', () =>
        withDiagnostics(env, async () => {
            const { first, second, customer, call } = await connectedCall();
            const transferred = await first.command('blindTransfer', call.ringing.id, 'agt-102');
            assert.equal(transferred.ok, true, transferred.message);

            const ringing = await second.waitForRinging();
            assert.equal(ringing.remote.number, customer.user);
            assert.equal(
                ringing.interactionId,
                call.ringing.interactionId,
                'the transfer carries the interaction'
            );
            assert.equal((await second.command('answer', ringing.id)).ok, true);
            const newSession = await customer.waitForStatus(['confirmed'], 15000);
            assert.notEqual(newSession.id, call.session.id, 'the customer is on a new call');
            const legs = await second.stats();
            const media = await audioBothWays(second, customer, legs[0]?.callId ?? null, newSession.id);
            assert.ok(media.agent.bytesReceived > 0 && media.customer.bytesReceived > 0);

            await first.waitForCallState(call.ringing.id, 'Ended');
            const firstEnded = (await first.state()).ended.find((e) => e.id === call.ringing.id);
            assert.equal(firstEnded.outcome, 'Answered');
            const secondCallId = (await second.state()).calls[0].sipCallId;
            assert.ok(secondCallId, 'the phone knows the Call-ID of its leg');
            await customer.hangup(); // ends the transferred call

            const recorded = await legsOnceEnded(call.ringing.interactionId);
            assert.deepEqual(
                recorded.map((leg) => [leg.agentId, leg.sipCallId, leg.outcome]),
                [
                    ['agt-101', call.session.callId, 'answered'],
                    ['agt-102', secondCallId, 'answered']
                ],
                'a leg per agent, each with the Call-ID its phone saw'
            );
        }));

    test('blind transfer the target refuses (486): the caller stays with the first agent, audio both ways', () =>
        withDiagnostics(env, async () => {
            const { first, second, customer, call } = await connectedCall();
            const transferred = await first.command('blindTransfer', call.ringing.id, 'agt-102');
            assert.equal(transferred.ok, true, transferred.message);
            assert.equal(transferred.snapshot.state, 'Transferring', 'the target rings; the caller is still ours');

            const ringing = await second.waitForRinging();
            assert.equal((await second.command('reject', ringing.id)).ok, true);
            const back = await first.waitForCallState(call.ringing.id, 'Connected');
            assert.equal(back.transfer.status, 'failed');
            assert.equal(back.transfer.failure.code, 486, 'the transferee reported the target busy');
            const before = await agentLeg(first, call.session.callId);
            await grows(
                async () => (await agentLeg(first, call.session.callId)).bytesReceived,
                before.bytesReceived,
                'audio from the customer after the refused transfer'
            );
            const customerBefore = await customer.stats(call.session.id);
            await grows(
                async () => (await customer.stats(call.session.id)).bytesReceived,
                customerBefore.bytesReceived,
                'audio from the first agent after the refused transfer'
            );
            assert.equal((await first.command('hangup', call.ringing.id)).ok, true);
            await first.waitForCallState(call.ringing.id, 'Ended');
            const ended = (await first.state()).ended.find((e) => e.id === call.ringing.id);
            assert.equal(ended.endedBy, 'local', 'the agent ended the call, not the transfer');
        }));

    test('consultation, then transfer: the customer is joined to the consulted agent (REFER with Replaces)', () =>
        withDiagnostics(env, async () => {
            const { first, second, customer, call } = await connectedCall();
            const consult = await first.command('startConsultation', call.ringing.id, 'agt-102');
            assert.equal(consult.ok, true, consult.message);
            const held = await waitFor(
                async () => {
                    const stats = await customer.stats(call.session.id);
                    return stats.directions[0] === 'recvonly' ? stats : null;
                },
                { what: 'the customer held during the consultation' }
            );
            assert.deepEqual(held.directions, ['recvonly']);

            const consultRinging = await second.waitForRinging();
            assert.equal((await second.command('answer', consultRinging.id)).ok, true);
            await first.waitForCallState(consult.snapshot.id, 'Connected');
            const consultLeg = (await first.stats()).find((leg) => leg.callId !== call.session.callId);
            assert.ok(consultLeg, 'the consultation has its own peer connection');
            await grows(
                async () => (await first.stats()).find((l) => l.callId === consultLeg.callId).bytesReceived,
                0,
                'audio from the consulted agent'
            );

            const done = await first.command('completeTransfer', consult.snapshot.id);
            assert.equal(done.ok, true, done.message);
            const joined = await waitFor(
                async () => {
                    const snapshot = await customer.snapshot();
                    return snapshot.sessions.find(
                        (s) => s.id !== call.session.id && s.status === 'confirmed'
                    );
                },
                { what: 'the customer connected to agt-102 after the transfer', timeoutMs: 10000 }
            );
            await waitFor(
                async () => {
                    const stats = await customer.stats(joined.id);
                    return stats && stats.bytesReceived > 0 ? stats : null;
                },
                { what: 'audio from agt-102 at the customer' }
            );
            await first.waitForCallState(call.ringing.id, 'Ended');
            const secondCalls = (await second.state()).calls;
            assert.equal(
                secondCalls.length,
                1,
                'agt-102 keeps one call: the consultation was replaced by the customer'
            );
            assert.equal(secondCalls[0].remote.number, customer.user);
            const secondCallId = secondCalls[0].sipCallId;
            assert.ok(secondCallId, 'the phone knows the Call-ID of the replacing session');
            await customer.hangup();

            const legs = await legsOnceEnded(call.ringing.interactionId);
            assert.deepEqual(
                legs.map((leg) => [leg.agentId, leg.sipCallId]),
                [
                    ['agt-101', call.session.callId],
                    ['agt-102', secondCallId]
                ],
                'the consulted agent has a leg of the interaction, with the Call-ID its phone saw'
            );
        }));

    test('three-way conference: audio reaches the customer and both agents', () =>
        withDiagnostics(env, async () => {
            const { first, second, customer, call } = await connectedCall();
            const consult = await first.command('startConsultation', call.ringing.id, 'agt-102');
            assert.equal(consult.ok, true, consult.message);
            const consultRinging = await second.waitForRinging();
            assert.equal((await second.command('answer', consultRinging.id)).ok, true);
            await first.waitForCallState(consult.snapshot.id, 'Connected');

            const conference = await first.command('conference', call.ringing.id, consult.snapshot.id);
            assert.equal(conference.ok, true, conference.message);
            const customerNow = await waitFor(
                async () => {
                    const stats = await customer.stats(call.session.id);
                    return stats.directions[0] === 'sendrecv' ? stats : null;
                },
                { what: 'the customer resumed into the conference' }
            );
            await grows(
                async () => (await customer.stats(call.session.id)).bytesReceived,
                customerNow.bytesReceived,
                'audio at the customer'
            );
            const secondLeg = await agentLeg(second);
            await grows(
                async () => (await agentLeg(second)).bytesReceived,
                secondLeg.bytesReceived,
                'audio at agt-102'
            );
            const firstLegs = await first.stats();
            assert.equal(firstLegs.length, 2, 'agt-101 has both legs');
            for (const leg of firstLegs) {
                await grows(
                    async () => (await agentLeg(first, leg.callId)).bytesReceived,
                    leg.bytesReceived,
                    `audio at agt-101 on ${leg.callId}`
                );
                await grows(
                    async () => (await agentLeg(first, leg.callId)).bytesSent,
                    leg.bytesSent,
                    `agt-101 sending on ${leg.callId}`
                );
            }
            await customer.hangup();
        }));
});
