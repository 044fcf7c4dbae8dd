// UI: an inbound call driven through the workbench like an agent would - the real phone components in a
// Lightning-like page against the simulator, Kamailio and the local org. Go Ready, a customer calls (the
// simulator's customer phone beside the app), the caller card shows the right record, the screen pop opens it, answer,
// hold, resume, hang up, fill the wrap-up form, and the Task appears in the record's call history.
// Screenshots of each step: e2e/screenshots/ui-01-inbound-call/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startUiEnvironment, waitFor } from '../workbench/test/ui-harness.mjs';

let ui;
let agent;
before(async () => {
    ui = await startUiEnvironment();
    agent = await ui.openAgent('ui-01-inbound-call');
});
after(async () => {
    await ui?.close();
});

test('an agent goes Ready, takes a call from a known customer, and the call is logged on the record', () =>
    agent.run(async () => {
        await agent.openPhone();
        await agent.waitForRegistered();
        await agent.customerConnect('+48600700800');
        await agent.screenshot('phone-open-not-ready');

        await agent.chooseStatus('Ready');
        await agent.waitForStatus('Ready');
        await waitFor(async () => (await ui.env.status('agt-101')).status === 'Ready', {
            what: 'agt-101 Ready in the contact centre'
        });
        await agent.screenshot('ready');

        // Jan Kowalski's mobile is stored as 600-700-800 (national, dashes): the lookup must find him
        await agent.customerCall({
            campaign: 'cmp-support',
            callerNumber: '+48600700800',
            callerName: 'Jan'
        });
        const incoming = agent.phone.locator('[data-id="incoming"]');
        await incoming.waitFor({ timeout: 20000 });
        await incoming.locator('[data-id="name"]', { hasText: 'Jan Kowalski' }).waitFor();
        assert.match(await incoming.locator('[data-id="company"]').innerText(), /Kowalski Logistics/);
        assert.equal(
            await agent.page.locator('[data-id="utility-item"][data-highlighted="true"]').count(),
            1,
            'the utility item is highlighted while ringing'
        );
        assert.match(
            await agent.utilityItem().innerText(),
            /Jan Kowalski/,
            'the utility label names the caller'
        );

        // the screen pop opens the contact in a workspace tab without the agent doing anything
        const record = await agent.waitForRecordPage('Jan Kowalski');
        assert.match(record.id, /^003/, 'a Contact');
        await agent.screenshot('ringing-screen-pop');

        await agent.clickPhone('answer');
        await agent.customerCallState('confirmed');
        await agent.waitForStatus('Busy');
        await agent.phone.locator('[data-id="active"] [data-id="state"]', { hasText: 'Connected' }).waitFor();
        await agent.screenshot('connected');

        await agent.clickPhone('hold');
        await agent.phone.locator('[data-id="active"] [data-id="state"]', { hasText: 'On hold' }).waitFor();
        await agent.screenshot('on-hold');
        await agent.clickPhone('hold');
        await agent.phone.locator('[data-id="active"] [data-id="state"]', { hasText: 'Connected' }).waitFor();

        await agent.clickPhone('hangup');
        await agent.customerEnded();
        const form = agent.phone.locator('c-wrap-up-form');
        await form.locator('[data-id="caller"]', { hasText: 'Jan Kowalski' }).waitFor();
        await agent.waitForStatus('Wrap-up');
        await agent.screenshot('wrap-up');

        await form
            .locator('[data-id="notes"] textarea')
            .fill('Asked when the pallets arrive. Promised a call back tomorrow.');
        await form.locator('[data-id="disposition"] button').first().click();
        await form
            .locator('[data-id="disposition"] lightning-base-combobox-item', { hasText: 'Resolved' })
            .click();
        await agent.screenshot('wrap-up-filled');
        await agent.clickPhone('save');

        // exactly one Task for the call, on Jan's record, with the notes and result
        const history = agent.activities().filter({ hasText: 'Asked when the pallets arrive' });
        await history.first().waitFor({ timeout: 20000 });
        const tasks = ui.org
            .activities(record.id)
            .filter((task) => task.description.startsWith('Asked when the pallets arrive'));
        assert.equal(tasks.length, 1, 'one Task for the call');
        assert.equal(tasks[0].disposition, 'Resolved');
        assert.equal(tasks[0].outcome, 'answered');
        assert.equal(tasks[0].callType, 'Inbound');
        assert.equal(tasks[0].whoId.slice(0, 15), record.id.slice(0, 15), 'WhoId is the contact');
        assert.match(tasks[0].interactionId, /^int-/);
        assert.match(
            await history.first().locator('[data-id="activity-disposition"]').innerText(),
            /Resolved/
        );
        await agent.screenshot('call-history');

        assert.deepEqual(agent.pageErrors(), [], 'no uncaught errors in the page');
    }));
