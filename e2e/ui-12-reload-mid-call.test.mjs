// UI (B7): the call survives a page reload. A known customer (a JsSIP phone in its own page, so the reload
// does not take the customer with it) calls; the agent answers in the workbench and types notes during the
// call; the agent's page reloads. The reloaded phone registers, asks the contact centre for its calls in
// progress and dials the rejoin URI; the contact centre bridges it to the held customer (Replaces). Audio flows
// both ways again (getStats bytes on the agent's new peer connection and on the customer's new leg), the caller
// card, related record and notes are back, and the call ends with exactly one Task holding those notes.
// Screenshots: e2e/screenshots/ui-12-reload-mid-call/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startUiEnvironment, waitFor } from '../workbench/test/ui-harness.mjs';
import { audioBytes, PEER_CONNECTIONS } from './lib/peer-connections.mjs';

const CUSTOMER = '+48600700800'; // Jan Kowalski, a Contact of the local org
const NOTES = 'Typed during the call, before the reload.';

let ui;
let agent;
before(async () => {
    ui = await startUiEnvironment();
    agent = await ui.openAgent('ui-12-reload-mid-call', { initScripts: [{ content: PEER_CONNECTIONS }] });
});
after(async () => {
    await ui?.close();
});

/** Audio bytes both ways on the agent page's live peer connections. */
function agentAudio() {
    return audioBytes(agent.page);
}

async function audioBothWays(customer, what) {
    await waitFor(
        async () => {
            const audio = await agentAudio();
            return audio.received > 0 && audio.sent > 0;
        },
        { what: `audio at the agent ${what}` }
    );
    await waitFor(
        async () => {
            const stats = await customer.stats();
            return stats && stats.bytesReceived > 0 && stats.bytesSent > 0;
        },
        { what: `audio at the customer ${what}` }
    );
}

test('a reload mid-call: the customer talks to the agent again on the same interaction, one Task with the notes', () =>
    agent.run(async () => {
        await agent.openPhone();
        await agent.waitForRegistered();
        const customer = await ui.env.newCustomer({ user: CUSTOMER });
        await agent.chooseStatus('Ready');
        await waitFor(async () => (await ui.env.status('agt-101')).status === 'Ready', {
            what: 'agt-101 Ready in the contact centre'
        });

        await customer.call({ campaign: 'cmp-support', callerNumber: CUSTOMER });
        await agent.phone.locator('[data-id="incoming"]').waitFor({ timeout: 20000 });
        await agent.clickPhone('answer');
        await customer.waitForStatus(['confirmed']);
        const active = agent.phone.locator('[data-id="active"]');
        await active.locator('[data-id="state"]', { hasText: 'Connected' }).waitFor();
        await active.locator('[data-id="name"]', { hasText: 'Jan Kowalski' }).waitFor();
        await audioBothWays(customer, 'before the reload');
        await active.locator('[data-id="call-notes"] textarea').fill(NOTES);
        // the draft is stored as it is typed: wait until the phone shows it back
        await waitFor(
            async () => (await active.locator('[data-id="call-notes"] textarea').inputValue()) === NOTES,
            { what: 'the notes in the draft' }
        );
        const interactionId = (await ui.env.api('GET', '/v1/agents/agt-101/interactions')).items[0]
            ?.interactionId;
        assert.ok(interactionId, 'the contact centre lists the call in progress');
        await agent.screenshot('connected-with-notes');

        const reloadedAt = Date.now();
        await agent.page.reload();
        await agent.page.locator('c-web-phone').waitFor({ state: 'attached' });
        await agent.openPhone();
        await agent.waitForRegistered();
        // the customer's UA swapped its dead leg for the rejoin leg: a new confirmed session
        await waitFor(
            async () => {
                const snapshot = await customer.snapshot();
                const sessions = snapshot.sessions ?? [];
                return sessions.some((s) => s.rejoinOf && s.status === 'confirmed');
            },
            { what: 'the customer on the rejoin leg', timeoutMs: 30000 }
        );
        await active.locator('[data-id="state"]', { hasText: 'Connected' }).waitFor({ timeout: 20000 });
        await audioBothWays(customer, 'after the reload');
        const backAfterMs = Date.now() - reloadedAt;
        console.log(`reload -> audio both ways again: ${backAfterMs} ms`);
        await active.locator('[data-id="name"]', { hasText: 'Jan Kowalski' }).waitFor();
        assert.equal(
            await active.locator('[data-id="call-notes"] textarea').inputValue(),
            NOTES,
            'the notes came back'
        );
        assert.equal(
            (await ui.env.api('GET', '/v1/agents/agt-101/interactions')).items[0]?.interactionId,
            interactionId,
            'the same interaction'
        );
        await agent.screenshot('after-reload');

        await customer.hangup();
        const form = agent.phone.locator('c-wrap-up-form');
        await form.locator('[data-id="caller"]', { hasText: 'Jan Kowalski' }).waitFor({ timeout: 20000 });
        assert.equal(await form.locator('[data-id="notes"] textarea').inputValue(), NOTES);
        await agent.clickPhone('save');
        await waitFor(() => ui.org.db.all('Task').some((task) => task.Interaction_Id__c === interactionId), {
            what: 'the Task of the call'
        });
        const tasks = ui.org.db.all('Task').filter((task) => task.Interaction_Id__c === interactionId);
        assert.equal(tasks.length, 1, 'exactly one Task for the call');
        assert.equal(tasks[0].Description, NOTES, 'with the notes typed before the reload');
        const call = await ui.env.call(interactionId);
        assert.equal(call.outcome, 'answered', 'one answered call at the contact centre');
        await agent.screenshot('logged');
        assert.deepEqual(agent.pageErrors(), [], 'no uncaught errors in the page');
    }));
