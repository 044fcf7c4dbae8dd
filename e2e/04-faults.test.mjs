// Faults the phone must survive (FAULT-CASES.md 13, 14, 19, 20): Kamailio crashing while the phone is
// idle and while a REGISTER is in flight, three tabs of one agent (one registration, one ringing tab,
// a new leader when the leader closes), and hostile caller data rendered as text.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { Environment, waitFor, withDiagnostics } from './lib/harness.mjs';
import { audioBothWays, callRingsAt, nextCustomerNumber, onlyReady } from './lib/calls.mjs';

let env;
before(async () => {
    env = await Environment.start();
});
after(async () => {
    await env?.close();
});

/** Registration changes recorded after index `from`. */
async function registrationsSince(agent, from) {
    return (await agent.state()).registrations.slice(from);
}

async function ringsAndConnects(agent) {
    const customer = await env.newCustomer({ user: nextCustomerNumber() });
    const call = await callRingsAt(customer, agent);
    assert.equal((await agent.command('answer', call.ringing.id)).ok, true);
    await customer.waitForStatus(['confirmed']);
    await audioBothWays(agent, customer, call.session.callId);
    await customer.hangup();
    await agent.waitForCallState(call.ringing.id, 'Ended');
    await env.setStatus(agent.agentId, 'Ready'); // end Wrap early
}

describe('Kamailio crashes', () => {
    afterEach(() => env.closePhones());

    test('killed and restarted while the phone is idle: the phone re-registers and the next call rings', () =>
        withDiagnostics(env, async () => {
            const agent = await env.newAgent({ agentId: 'agt-101' });
            await agent.waitForRegistration();
            await onlyReady(env, ['agt-101']);
            const before = (await agent.state()).registrations.length;

            await env.kamailio('kill');
            await waitFor(async () => (await agent.state()).connectionState !== 'Connected', {
                what: 'the phone to notice the lost WebSocket'
            });
            await env.kamailio('start');
            await waitFor(
                async () => {
                    const changes = await registrationsSince(agent, before);
                    return changes.some((change) => change.state === 'Registered');
                },
                { what: 're-registration after the restart', timeoutMs: 45000 }
            );
            assert.equal((await env.contacts('agt-101')).length, 1, 'one binding in the restarted registrar');
            await ringsAndConnects(agent);
        }));

    test('killed while a REGISTER is in flight: the phone recovers and the next call rings', () =>
        withDiagnostics(env, async () => {
            const agent = await env.newAgent({ agentId: 'agt-102' });
            await agent.waitForRegistration();
            await onlyReady(env, ['agt-102']);

            await env.kamailio('kill');
            await waitFor(async () => (await agent.state()).connectionState !== 'Connected', {
                what: 'the phone to notice the lost WebSocket'
            });
            // The restarted Kamailio holds every REGISTER for 5 s: the crash below hits one in flight.
            await env.kamailio('start?registerDelayMs=5000');
            const before = (await agent.state()).registrations.length;
            await waitFor(
                async () => {
                    const state = await agent.state();
                    return state.connectionState === 'Connected' && state.registrationState === 'Registering';
                },
                { what: 'a REGISTER in flight after the reconnect', timeoutMs: 45000 }
            );
            await env.kamailio('kill');
            await env.kamailio('start');
            await waitFor(
                async () => {
                    const changes = await registrationsSince(agent, before);
                    return changes.some((change) => change.state === 'Registered');
                },
                { what: 'registration after the second restart', timeoutMs: 60000 }
            );
            assert.equal((await env.contacts('agt-102')).length, 1, 'one binding');
            await ringsAndConnects(agent);
        }));
});

describe('three tabs of one agent', () => {
    afterEach(() => env.closePhones());

    test('one registration and one ringing tab; when the leader closes another tab takes over', () =>
        withDiagnostics(env, async () => {
            const context = await env.newContext();
            const tabs = [];
            for (let i = 0; i < 3; i++)
                tabs.push(await env.newAgent({ agentId: 'agt-103', context, tabElection: true }));
            const leader = await waitFor(
                async () => {
                    const states = await Promise.all(tabs.map((tab) => tab.state()));
                    const leaders = states
                        .map((state, index) => ({ state, tab: tabs[index] }))
                        .filter((entry) => entry.state.role === 'leader');
                    return leaders.length === 1 && leaders[0].state.registrationState === 'Registered'
                        ? leaders[0].tab
                        : null;
                },
                { what: 'one registered leader tab' }
            );
            const followers = tabs.filter((tab) => tab !== leader);
            for (const follower of followers)
                assert.equal((await follower.state()).hasPhone, false, 'followers run no phone');
            assert.equal((await env.contacts('agt-103')).length, 1, 'one registration for three tabs');

            await onlyReady(env, ['agt-103']);
            const customer = await env.newCustomer({ user: nextCustomerNumber() });
            const { ringing } = await callRingsAt(customer, leader);
            for (const follower of followers)
                assert.equal((await follower.state()).calls.length, 0, 'a follower tab does not ring');
            // the 180 travels customer-wards while the leader already shows the call: wait for it
            const ringbacks = await waitFor(
                async () => (await customer.snapshot()).responses.filter((code) => code === 180).length,
                { what: 'the customer hears 180 Ringing' }
            );
            assert.equal(ringbacks, 1, 'one 180 Ringing');
            await customer.hangup();
            await leader.waitForCallState(ringing.id, 'Ended');

            await leader.page.close();
            env.agents = env.agents.filter((agent) => agent !== leader);
            const successor = await waitFor(
                async () => {
                    for (const tab of followers) {
                        const state = await tab.state();
                        if (state.role === 'leader' && state.registrationState === 'Registered') return tab;
                    }
                    return null;
                },
                { what: 'a follower to become leader and register', timeoutMs: 30000 }
            );
            await waitFor(async () => (await env.contacts('agt-103')).length === 1, {
                what: 'exactly one binding after the handover'
            });
            const other = followers.find((tab) => tab !== successor);
            assert.equal((await other.state()).hasPhone, false, 'the third tab stays a follower');

            await env.setStatus('agt-103', 'Ready');
            await ringsAndConnects(successor);
        }));
});

describe('hostile caller data', () => {
    afterEach(() => env.closePhones());

    const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

    test('an HTML display name is shown as text and oversized X-CC headers still ring', () =>
        withDiagnostics(env, async () => {
            const agent = await env.newAgent({ agentId: 'agt-101' });
            const dialogs = [];
            agent.page.on('dialog', (dialog) => {
                dialogs.push(dialog.message());
                dialog.dismiss().catch(() => undefined);
            });
            await agent.waitForRegistration();
            await onlyReady(env, ['agt-101']);
            const customer = await env.newCustomer({ user: nextCustomerNumber() });
            const { ringing } = await callRingsAt(customer, agent, {
                displayName: HOSTILE_NAME,
                extraHeaders: ['X-Test-Header-Fault: oversize']
            });
            assert.equal(ringing.remote.displayName, HOSTILE_NAME);
            const state = await agent.state();
            assert.equal(state.dom.callerName, HOSTILE_NAME, 'rendered as literal text');
            assert.equal(state.dom.images, 0, 'no element was created from the name');
            assert.ok(!state.dom.callerNameHtml.includes('<img'), 'the markup is escaped in the DOM');
            assert.ok(
                ringing.callData.truncated.length > 0,
                `long values are cut (${JSON.stringify(ringing.callData.truncated)})`
            );
            assert.ok(ringing.callData.campaignName.length <= 80);
            assert.deepEqual(dialogs, [], 'no script ran');
            await customer.hangup();
            await agent.waitForCallState(ringing.id, 'Ended');
        }));

    test('a duplicated interaction id header rings and is flagged; a missing one gets a generated key', () =>
        withDiagnostics(env, async () => {
            const agent = await env.newAgent({ agentId: 'agt-102' });
            await agent.waitForRegistration();
            await onlyReady(env, ['agt-102']);
            const customer = await env.newCustomer({ user: nextCustomerNumber() });

            const duplicated = await callRingsAt(customer, agent, {
                extraHeaders: ['X-Test-Header-Fault: duplicate']
            });
            assert.ok(
                duplicated.ringing.callData.duplicated.some((name) => /interaction/i.test(name)),
                JSON.stringify(duplicated.ringing.callData)
            );
            await customer.hangup();
            await agent.waitForCallState(duplicated.ringing.id, 'Ended');

            const missing = await callRingsAt(customer, agent, {
                extraHeaders: ['X-Test-Header-Fault: missing']
            });
            assert.equal(missing.ringing.callData.generated, true, 'a generated interaction key');
            assert.ok(missing.ringing.interactionId, 'the call still has a key');
            await customer.hangup();
            await agent.waitForCallState(missing.ringing.id, 'Ended');
        }));
});
