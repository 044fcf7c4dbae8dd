// UI: a caller hangs up in the queue and is called back (I3, F11, F24), with real calls. Nobody is Ready, so
// the caller waits in the queue and hangs up; the contact centre (simulator) writes the abandoned call to the
// org's IVR-writes endpoint (the workbench answers it as the Apex REST resource would); the callback appears
// in the phone's Recent tab, related to the caller's Contact; one click calls back, the customer answers,
// the agent wraps up; the call-back has its own Task and the callback is closed.
// Screenshots: e2e/screenshots/ui-10-callback-after-abandoned-call/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startUiEnvironment, waitFor } from '../workbench/test/ui-harness.mjs';

const CALLER = '+48600700800'; // Jan Kowalski in the sample org

let ui;
let agent;
before(async () => {
    ui = await startUiEnvironment({ salesforcePush: true });
    agent = await ui.openAgent('ui-10-callback-after-abandoned-call');
});
after(async () => {
    await ui?.close();
});

const tasks = () => ui.org.db.all('Task');
const callbacks = () => tasks().filter((task) => typeof task.Callback_Of__c === 'string');

test('a caller who hangs up in the queue becomes a callback in the phone', () =>
    agent.run(async () => {
        await agent.openPhone();
        await agent.waitForRegistered();
        await agent.customerHangsUpInQueue(CALLER);

        const [callback] = await waitFor(async () => (callbacks().length > 0 ? callbacks() : null), {
            what: 'the IVR write of the abandoned call in the local org',
            timeoutMs: 20000
        });
        const original = tasks().filter((task) => task.Interaction_Id__c === callback.Callback_Of__c);
        assert.equal(original.length, 1, 'one Task for the abandoned call');
        assert.equal(original[0].Outcome__c, 'abandoned');
        assert.equal(callback.Status, 'Not Started', 'the callback is open');
        assert.equal(callback.Phone_Number__c, CALLER);

        await agent.phone.locator('[data-tab="recent"]').click();
        await agent.phone.locator('c-callback-list [data-id="refresh"] button').click();
        const row = agent.phone.locator('c-callback-list [data-id="callback"]');
        await row.locator('[data-id="name"]', { hasText: 'Jan Kowalski' }).waitFor({ timeout: 15000 });
        assert.equal(await row.locator('[data-id="number"]').innerText(), CALLER);
        await agent.screenshot('callback-in-recent');
    }));

test('one click calls back; the call-back has its own Task and the callback is closed', () =>
    agent.run(async () => {
        const [callback] = callbacks();
        await agent.phone.locator('c-callback-list [data-id="call-back"] button').click();
        await agent.customerAnswer();
        await agent.phone.locator('[data-tab="phone"]').click();
        const active = agent.phone.locator('[data-id="active"]');
        await active.locator('[data-id="state"]', { hasText: 'Connected' }).waitFor({ timeout: 15000 });
        await agent.screenshot('calling-back');

        await agent.hangUpAndSave('Called back about the queue wait.');

        const closed = await waitFor(
            async () =>
                ui.org.db.get(callback.Id)?.Status === 'Completed' ? ui.org.db.get(callback.Id) : null,
            { what: 'the callback closed after the answered call-back', timeoutMs: 20000 }
        );
        assert.equal(closed.Status, 'Completed');
        const callBacks = tasks().filter(
            (task) =>
                task.Direction__c === 'outbound' && task.Description === 'Called back about the queue wait.'
        );
        assert.equal(callBacks.length, 1, 'one Task for the call-back');
        assert.equal(callBacks[0].Outcome__c, 'answered');
        assert.equal(callBacks[0].WhoId?.slice(0, 15), callback.WhoId?.slice(0, 15), 'related to the caller');
        // the sample org's own call history aside
        const calls = tasks().filter(
            (task) =>
                typeof task.Interaction_Id__c === 'string' && !task.Interaction_Id__c.startsWith('int-seed-')
        );
        assert.equal(calls.length, 2, 'one Task per call: the abandoned call and the call-back');
        await agent.phone
            .locator('c-callback-list [data-id="callback"]')
            .waitFor({ state: 'detached', timeout: 15000 });
        await agent.phone.locator('[data-tab="recent"]').click();
        await agent.screenshot('callback-closed');

        assert.deepEqual(agent.pageErrors(), [], 'no uncaught errors in the page');
    }));
