// What the ACD sees from real SIP: a rejected call (the caller finally gets 486), a call nobody answers
// (a missed call record, the caller gets 480), and Wrap keeping the next call away for the campaign's
// wrap time. The simulator runs on a manual clock: ring, queue and wrap timers move only when the
// test advances it, so nothing here depends on wall-clock timing.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { Environment, waitFor, withDiagnostics } from './lib/harness.mjs';
import { audioBothWays, callRingsAt, nextCustomerNumber, onlyReady } from './lib/calls.mjs';

const RING_TIMEOUT_MS = 20_000; // simulator default (--ring-timeout)
const MAX_WAIT_MS = 120_000; // simulator default (--max-wait)
const SUPPORT_WRAP_MS = 15_000; // cmp-support's wrap time in the seed

let env;
before(async () => {
    env = await Environment.start();
});
after(async () => {
    await env?.close();
});

async function activeCall(interactionId) {
    const state = await env.control('GET', '/state');
    return state.calls.find((call) => call.interactionId === interactionId);
}

describe('ACD outcomes over SIP', () => {
    afterEach(() => env.closePhones());

    test('the agent rejects: 486 from the phone, the call waits, the caller finally gets 486 Busy Here', () =>
        withDiagnostics(env, async () => {
            const agent = await env.newAgent({ agentId: 'agt-101' });
            await agent.waitForRegistration();
            const customer = await env.newCustomer({ user: nextCustomerNumber() });
            await onlyReady(env, ['agt-101']);

            const { ringing } = await callRingsAt(customer, agent);
            const rejected = await agent.command('reject', ringing.id);
            assert.equal(rejected.ok, true, rejected.message);
            await agent.waitForCallState(ringing.id, 'Ended');
            const queued = await waitFor(
                async () => {
                    const call = await activeCall(ringing.interactionId);
                    return call && call.state === 'queued' ? call : null;
                },
                { what: 'the rejected call back in the queue' }
            );
            assert.equal(queued.offers[0].result, 'rejected');
            assert.equal((await env.status('agt-101')).status, 'Ready', 'a rejecting agent stays Ready');
            assert.equal(
                (await customer.snapshot()).sessions.at(-1).status,
                'progress',
                'the caller still waits'
            );

            await env.advanceClock(MAX_WAIT_MS);
            const failed = await customer.waitForStatus(['failed']);
            assert.equal(failed.failedCode, 486);
            const record = await env.call(ringing.interactionId);
            assert.equal(record.outcome, 'rejected');
            assert.equal(record.state, 'ended');
        }));

    test('nobody answers: the ACD cancels the ringing phone, the caller gets 480, a missed call is recorded', () =>
        withDiagnostics(env, async () => {
            const agent = await env.newAgent({ agentId: 'agt-102' });
            await agent.waitForRegistration();
            const customer = await env.newCustomer({ user: nextCustomerNumber() });
            await onlyReady(env, ['agt-102']);

            const { ringing } = await callRingsAt(customer, agent);
            await env.advanceClock(RING_TIMEOUT_MS);
            const ended = await agent.waitForCallState(ringing.id, 'Ended');
            assert.equal(ended.outcome, 'Missed', 'the phone saw CANCEL: a missed call');
            assert.equal(
                (await env.status('agt-102')).status,
                'NotReady',
                'an agent who does not answer is set NotReady'
            );

            await env.advanceClock(MAX_WAIT_MS);
            const failed = await customer.waitForStatus(['failed']);
            assert.equal(failed.failedCode, 480);
            const missed = await env.calls('?outcome=missed');
            const record = missed.find((call) => call.interactionId === ringing.interactionId);
            assert.ok(record, 'GET /v1/calls lists the missed call');
            assert.equal(record.offers[0].agentId, 'agt-102');
            assert.equal(record.offers[0].result, 'timeout');
        }));

    test('an agent dials a customer: an outbound call of the contact centre, answered, audio both ways', () =>
        withDiagnostics(env, async () => {
            const agent = await env.newAgent({ agentId: 'agt-102' });
            await agent.waitForRegistration();
            const customer = await env.newCustomer({ user: nextCustomerNumber() });
            await onlyReady(env, []);

            const dialled = await agent.command('dial', customer.user);
            assert.equal(dialled.ok, true, dialled.message);
            const answered = await customer.answerNext();
            assert.equal(answered.status, 'confirmed');
            const connected = await agent.waitForCallState(dialled.snapshot.id, 'Connected');
            assert.equal(connected.direction, 'Outbound');
            const legs = await agent.stats();
            await audioBothWays(agent, customer, legs[0].callId);
            const live = (await env.control('GET', '/state')).calls.find(
                (call) => call.calleeNumber === customer.user
            );
            assert.equal(live.direction, 'outbound');
            assert.equal(live.state, 'connected');
            assert.equal((await env.status('agt-102')).status, 'Busy');

            assert.equal((await agent.command('hangup', dialled.snapshot.id)).ok, true);
            await customer.waitForStatus(['ended']);
            const record = await waitFor(
                async () => {
                    const current = await env.call(live.interactionId);
                    return current.state === 'ended' ? current : null;
                },
                { what: 'the outbound call record to end' }
            );
            assert.equal(record.outcome, 'answered');
            assert.equal(record.hangupBy, 'agent');
        }));

    test('Wrap keeps the next call away for the campaign wrap time, then the agent gets it', () =>
        withDiagnostics(env, async () => {
            const agent = await env.newAgent({ agentId: 'agt-103' });
            await agent.waitForRegistration();
            const first = await env.newCustomer({ user: nextCustomerNumber() });
            const second = await env.newCustomer({ user: nextCustomerNumber() });
            await onlyReady(env, ['agt-103']);

            const call1 = await callRingsAt(first, agent);
            assert.equal((await agent.command('answer', call1.ringing.id)).ok, true);
            await first.waitForStatus(['confirmed']);
            await first.hangup();
            await agent.waitForCallState(call1.ringing.id, 'Ended');
            const wrap = await waitFor(
                async () => {
                    const status = await env.status('agt-103');
                    return status.status === 'Wrap' ? status : null;
                },
                { what: 'agt-103 in Wrap' }
            );
            assert.equal(wrap.status, 'Wrap');

            const session2 = await second.call({ campaign: 'cmp-support', callerNumber: second.user });
            const queued = await waitFor(
                async () => {
                    const state = await env.control('GET', '/state');
                    return state.calls.find(
                        (call) => call.callerNumber === second.user && call.state === 'queued'
                    );
                },
                { what: 'the second call queued' }
            );
            assert.equal((await agent.state()).calls.length, 0, 'nothing rings during Wrap');
            assert.ok(!(await second.snapshot()).responses.includes(180), 'the caller hears no ringing yet');

            await env.advanceClock(SUPPORT_WRAP_MS - 1000);
            assert.equal((await env.status('agt-103')).status, 'Wrap');
            assert.equal((await activeCall(queued.interactionId)).state, 'queued');
            assert.equal((await agent.state()).calls.length, 0, 'still nothing rings 1 s before Wrap ends');

            await env.advanceClock(1000);
            const ringing = await agent.waitForRinging();
            assert.equal(ringing.interactionId, queued.interactionId);
            assert.equal((await agent.command('answer', ringing.id)).ok, true);
            await second.waitForStatus(['confirmed']);
            await audioBothWays(agent, second, session2.callId);
            await second.hangup();
            await agent.waitForCallState(ringing.id, 'Ended');
        }));
});
