// FAULT-CASES 19: Kamailio (the WebSocket and SIP edge) killed in the middle of a connected call, down while
// the phone tries to reconnect, then started again. The phone must re-REGISTER and send an ICE-restart
// re-INVITE for the call; the call recovers (still connected, audio growing both ways) or ends cleanly at both
// ends; the contact centre has exactly one call record for it. Every wait is on an event: the outage lasts
// until the phone's failed reconnect attempts span 10 s (their own event times), not a fixed sleep. Here the
// customer is a WebSocket client of the same Kamailio, so its connection dies too and the re-INVITE cannot
// reach it (Kamailio answers 410 Gone): the phone ends the call cleanly. Behind a real contact centre the
// customer's leg ends on its media server and the ICE restart recovers the call; both outcomes are accepted.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { Environment, waitFor, withDiagnostics } from './lib/harness.mjs';
import { agentLeg, audioBothWays, callRingsAt, grows, nextCustomerNumber, onlyReady } from './lib/calls.mjs';

let env;
before(async () => {
    env = await Environment.start();
});
after(async () => {
    await env?.close();
});
afterEach(() => env.closePhones());

/** SIP requests the agent sent for `callId` after trace index `from` (start lines). */
function sentInDialog(agent, callId, method, from) {
    return agent.trace
        .slice(from)
        .filter((frame) => frame.includes(' SENT\n') && frame.includes(`Call-ID: ${callId}`))
        .map((frame) => frame.split('\n')[1] ?? '')
        .filter((line) => line.startsWith(`${method} `));
}

test('Kamailio killed mid-call: re-REGISTER, ICE-restart re-INVITE, the call recovers or ends cleanly, one call record', () =>
    withDiagnostics(env, async () => {
        const agent = await env.newAgent({ agentId: 'agt-101' });
        await agent.waitForRegistration();
        await onlyReady(env, ['agt-101']);
        const customer = await env.newCustomer({ user: nextCustomerNumber() });
        const { ringing, session } = await callRingsAt(customer, agent);
        assert.equal((await agent.command('answer', ringing.id)).ok, true);
        await customer.waitForStatus(['confirmed']);
        await audioBothWays(agent, customer, session.callId);
        const interactionId = ringing.interactionId;

        const traceMark = agent.trace.length;
        const connectionsMark = (await agent.state()).connections.length;
        const registrationsMark = (await agent.state()).registrations.length;
        await env.kamailio('kill');
        const killedAt = Date.now();
        // down until the phone's own failed reconnects span 10 s (their event times; no sleep here)
        await waitFor(
            async () => {
                const changes = (await agent.state()).connections.slice(connectionsMark);
                const down = changes.find((change) => change.state !== 'Connected');
                return (
                    down &&
                    changes.some(
                        (change) => change.state === 'WaitingToReconnect' && change.at - down.at >= 10000
                    )
                );
            },
            { what: 'failed reconnects over 10 s while Kamailio is down', timeoutMs: 90000 }
        );
        assert.ok(
            (await agent.state()).calls.some((call) => call.id === ringing.id),
            'the call is not dropped while the edge is down'
        );
        const outageMs = Date.now() - killedAt;
        await env.kamailio('start');
        await waitFor(
            async () =>
                (await agent.state()).registrations
                    .slice(registrationsMark)
                    .some((change) => change.state === 'Registered'),
            { what: 're-REGISTER after the restart', timeoutMs: 45000 }
        );
        assert.equal((await env.contacts('agt-101')).length, 1, 'one binding in the restarted registrar');
        const reinvites = await waitFor(
            () => {
                const sent = sentInDialog(agent, session.callId, 'INVITE', traceMark);
                return sent.length > 0 ? sent : null;
            },
            { what: 'the ICE-restart re-INVITE of the call', timeoutMs: 30000 }
        );
        const iceRestart = agent.trace
            .slice(traceMark)
            .find(
                (frame) => frame.includes(' SENT\nINVITE ') && frame.includes(`Call-ID: ${session.callId}`)
            );
        assert.ok(reinvites.length >= 1 && /a=ice-ufrag:/.test(iceRestart), 'a re-INVITE with a new offer');

        const answer = await waitFor(
            () =>
                agent.trace
                    .slice(traceMark)
                    .filter(
                        (frame) =>
                            frame.includes(' RECV\nSIP/2.0 ') && frame.includes(`Call-ID: ${session.callId}`)
                    )
                    .map((frame) => Number(/SIP\/2\.0 (\d{3})/.exec(frame)?.[1]))
                    .find((code) => code >= 200),
            { what: 'the final answer to the re-INVITE', timeoutMs: 30000 }
        );
        console.log(`ICE-restart re-INVITE answered ${answer}`);
        // recovered (connected, audio still growing at both ends) or ended cleanly at both ends
        const outcome = await waitFor(
            async () => {
                const state = await agent.state();
                const live = state.calls.find((call) => call.id === ringing.id);
                if (live && live.state === 'Connected' && answer < 300) return 'connected';
                if (!live && state.ended.some((e) => e.id === ringing.id)) return 'ended';
                return null;
            },
            { what: 'the call recovered or ended', timeoutMs: 30000 }
        );
        if (outcome === 'connected') {
            const leg = await agentLeg(agent, session.callId);
            await grows(
                async () => (await agentLeg(agent, session.callId))?.bytesReceived ?? 0,
                leg.bytesReceived,
                'audio still arriving at the agent'
            );
            const customerSide = await customer.stats();
            await grows(
                async () => (await customer.stats())?.bytesReceived ?? 0,
                customerSide.bytesReceived,
                'audio still arriving at the customer'
            );
            await customer.hangup();
            await agent.waitForCallState(ringing.id, 'Ended');
        } else {
            // the agent's BYE could not reach the customer's dead connection either: its hang-up ends its leg
            await customer.hangup();
            await customer.waitForStatus(['ended', 'failed'], 30000);
            const ended = (await agent.state()).ended.find((e) => e.id === ringing.id);
            assert.ok(ended.sipFailure, `ended with the SIP failure recorded (${JSON.stringify(ended)})`);
        }
        console.log(`Kamailio killed mid-call for ${outageMs} ms: the call ${outcome}`);
        const record = await waitFor(
            async () => {
                const call = await env.call(interactionId).catch(() => null);
                return call && call.state === 'ended' ? call : null;
            },
            { what: 'the call record ended at the contact centre' }
        );
        assert.equal(record.outcome, 'answered', 'one answered call');
        assert.equal(
            (await env.calls()).filter((call) => call.interactionId === interactionId).length,
            1,
            'exactly one call record'
        );
    }));
