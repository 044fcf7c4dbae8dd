// UI: a queued callback the contact centre places when the agent is Ready (issue 15 point 4), with real calls.
// The support campaign queues callbacks in the contact centre. Nobody is Ready, so the caller waits in the queue
// and hangs up: the contact centre queues a callback and writes the abandoned call to the org (the callback Task
// records the contact centre's callback id and is not listed for agents). The agent goes Ready: the phone rings
// with the callback, marked as such and related to the caller's Contact; the agent answers, then the customer's
// phone rings and the customer answers: audio both ways. The agent hangs up and saves the wrap-up: one Task per
// call (the call-back outbound, related to the Contact), the callback Task closed by the call's record.
// Screenshots: e2e/screenshots/ui-14-queued-callback/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startUiEnvironment, waitFor } from '../workbench/test/ui-harness.mjs';
import { audioBytes, PEER_CONNECTIONS } from './lib/peer-connections.mjs';

const CALLER = '+48600700800'; // Jan Kowalski in the sample org

let ui;
let agent;
before(async () => {
    ui = await startUiEnvironment({ salesforcePush: true });
    agent = await ui.openAgent('ui-14-queued-callback', { initScripts: [{ content: PEER_CONNECTIONS }] });
});
after(async () => {
    await ui?.close();
});

const tasks = () => ui.org.db.all('Task');
const callbacks = () => tasks().filter((task) => typeof task.Callback_Of__c === 'string');

/** Audio bytes both ways at the agent (getStats of its live peer connections) and at the customer. */
async function audioBothWays() {
    await waitFor(
        async () => {
            const audio = await audioBytes(agent.page);
            return audio.received > 0 && audio.sent > 0 ? true : null;
        },
        { what: 'audio both ways at the agent' }
    );
    const customer = agent.page.frames().find((frame) => frame.url().includes('/customer'));
    assert.ok(customer, 'the customer phone frame');
    await waitFor(
        async () => {
            const stats = await customer.evaluate(() => window.customer.stats(null));
            return stats && stats.bytesReceived > 0 && stats.bytesSent > 0 ? true : null;
        },
        { what: 'audio both ways at the customer' }
    );
}

test('a caller who hangs up in the queue gets a callback queued in the contact centre', () =>
    agent.run(async () => {
        await ui.env.control('PATCH', '/campaigns/cmp-support', { queuedCallbacks: true });
        await agent.openPhone();
        await agent.waitForRegistered();
        await agent.customerHangsUpInQueue(CALLER);

        const [queued] = await waitFor(
            async () => {
                const items = (await ui.env.api('GET', '/v1/callbacks?state=waiting')).items;
                return items.length > 0 ? items : null;
            },
            { what: 'the callback queued in the contact centre' }
        );
        assert.equal(queued.phoneNumber, CALLER);
        const [callback] = await waitFor(async () => (callbacks().length > 0 ? callbacks() : null), {
            what: 'the IVR write of the abandoned call in the local org',
            timeoutMs: 20000
        });
        assert.equal(
            callback.Contact_Centre_Callback_Id__c,
            queued.id,
            'the Task records the contact centre id'
        );
        assert.equal(callback.Callback_Queued__c, true);
        assert.equal(callback.Status, 'Not Started', 'the callback is open');

        await agent.phone.locator('[data-tab="recent"]').click();
        await agent.phone.locator('c-callback-list [data-id="refresh"] button').click();
        await agent.screenshot('not-listed-for-the-agent');
        assert.equal(
            await agent.phone.locator('c-callback-list [data-id="callback"]').count(),
            0,
            'a queued callback is not listed for agents to dial'
        );
    }));

test('the agent goes Ready: the callback rings, the customer is dialled, audio both ways, one Task per call, the callback closed', () =>
    agent.run(async () => {
        const [callback] = callbacks();
        await agent.phone.locator('[data-tab="phone"]').click();
        await agent.chooseStatus('Ready');

        const incoming = agent.phone.locator('[data-id="incoming"]');
        await incoming.waitFor({ timeout: 20000 });
        await incoming.locator('[data-id="direction"]', { hasText: 'Callback (queued)' }).waitFor();
        await incoming.locator('[data-id="name"]', { hasText: 'Jan Kowalski' }).waitFor();
        await agent.screenshot('callback-ringing');

        await agent.clickPhone('answer');
        await agent.customerAnswer();
        const active = agent.phone.locator('[data-id="active"]');
        await active.locator('[data-id="state"]', { hasText: 'Connected' }).waitFor({ timeout: 15000 });
        await audioBothWays();
        await agent.screenshot('connected-to-the-customer');

        await agent.hangUpAndSave('Called back from the queue.');

        const closed = await waitFor(
            async () =>
                ui.org.db.get(callback.Id)?.Status === 'Completed' ? ui.org.db.get(callback.Id) : null,
            { what: 'the callback closed by the answered call', timeoutMs: 20000 }
        );
        assert.equal(closed.Status, 'Completed');
        const callBacks = await waitFor(
            async () => {
                const found = tasks().filter(
                    (task) =>
                        task.Description === 'Called back from the queue.' && task.Direction__c === 'outbound'
                );
                return found.length > 0 ? found : null;
            },
            { what: "the call-back's Task with the notes", timeoutMs: 20000 }
        );
        assert.equal(callBacks.length, 1, 'one Task for the call-back');
        assert.equal(callBacks[0].Outcome__c, 'answered');
        assert.equal(callBacks[0].WhoId?.slice(0, 15), callback.WhoId?.slice(0, 15), 'related to the caller');
        const calls = tasks().filter(
            (task) =>
                typeof task.Interaction_Id__c === 'string' && !task.Interaction_Id__c.startsWith('int-seed-')
        );
        assert.equal(calls.length, 2, 'one Task per call: the abandoned call and the call-back');
        const done = await ui.env.api('GET', `/v1/callbacks/${callback.Contact_Centre_Callback_Id__c}`);
        assert.equal(done.state, 'completed', 'the contact centre completed it');
        await agent.phone.locator('[data-tab="recent"]').click();
        await agent.screenshot('callback-closed');

        assert.deepEqual(agent.pageErrors(), [], 'no uncaught errors in the page');
    }));
