// UI: click-to-call on a record page (F9). The record page stands in for the Open CTI bridge page: a click on
// a phone field publishes `dial` on the WebPhone message channel, the utility phone dials the number as
// E.164 and shows the callee like a caller; the customer (registered as that number) answers, the agent
// hangs up and wraps up, and the Task is related to the record dialled from.
// Screenshots: e2e/screenshots/ui-02-click-to-call/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startUiEnvironment, waitFor } from '../workbench/test/ui-harness.mjs';

let ui;
let agent;
let record;
before(async () => {
    ui = await startUiEnvironment();
    agent = await ui.openAgent('ui-02-click-to-call');
});
after(async () => {
    await ui?.close();
});

test('click-to-dial on a Contact publishes dial on the WebPhone channel and the phone calls its number', () =>
    agent.run(async () => {
        await agent.openPhone();
        await agent.waitForRegistered();
        // Pieter de Vries' mobile is stored as `+31 (0)6 1234 5678`: the phone must dial +31612345678
        await agent.customerConnect('+31612345678');
        record = await agent.openRecordFromHome('Pieter de Vries');
        const dial = agent.page.locator('wb-record-page [data-id="click-to-dial"]', {
            hasText: '+31 (0)6 1234 5678'
        });
        await waitFor(async () => (await dial.isEnabled()) || null, {
            what: 'click-to-dial enabled by the phone'
        });
        await agent.screenshot('record-click-to-dial');

        await dial.click();
        const messages = () =>
            agent.page.evaluate(() => window.workbench.messages().map((entry) => entry.message));
        const dialMessage = (await messages()).find((message) => message.type === 'dial');
        assert.equal(dialMessage.source, 'openCti', 'the page published like the Open CTI bridge');
        assert.equal(dialMessage.recordId, record.id);
        assert.equal(dialMessage.objectApiName, 'Contact');
        const dialling = await waitFor(
            async () => (await messages()).find((m) => m.type === 'callEvent' && m.event === 'dialing'),
            {
                what: 'the phone dialling'
            }
        );
        assert.equal(dialling.number, '+31612345678', 'dialled as E.164');
        assert.equal(dialling.direction, 'outbound');
        // the utility opened for the call, and the callee is shown like a caller (F9)
        assert.equal(await agent.utilityItem().getAttribute('aria-pressed'), 'true');
        const active = agent.phone.locator('[data-id="active"]');
        await active.locator('[data-id="name"]', { hasText: 'Pieter de Vries' }).waitFor({ timeout: 15000 });
        assert.match(await active.locator('[data-id="direction"]').innerText(), /Outgoing call/);
        await agent.screenshot('dialling');
    }));

test('the customer answers, the agent hangs up and wraps up, the Task is on the Contact dialled from', () =>
    agent.run(async () => {
        await agent.customerAnswer();
        const active = agent.phone.locator('[data-id="active"]');
        await active.locator('[data-id="state"]', { hasText: 'Connected' }).waitFor({ timeout: 15000 });
        await agent.waitForStatus('Busy');
        await agent.screenshot('connected');

        await agent.clickPhone('hangup');
        await agent.customerEnded();
        const form = agent.phone.locator('c-wrap-up-form');
        await form.locator('[data-id="caller"]', { hasText: 'Pieter de Vries' }).waitFor();
        await form.locator('[data-id="notes"] textarea').fill('Offered the spring maintenance slot.');
        await agent.screenshot('wrap-up');
        await agent.clickPhone('save');

        await agent
            .activities()
            .filter({ hasText: 'Offered the spring maintenance slot.' })
            .first()
            .waitFor({ timeout: 20000 });
        const tasks = ui.org
            .activities(record.id)
            .filter((task) => task.description === 'Offered the spring maintenance slot.');
        assert.equal(tasks.length, 1, 'one Task for the call');
        assert.equal(tasks[0].callType, 'Outbound');
        assert.equal(tasks[0].outcome, 'answered');
        assert.equal(tasks[0].phoneNumber, '+31612345678', 'the number as dialled, E.164');
        assert.equal(
            tasks[0].whoId.slice(0, 15),
            record.id.slice(0, 15),
            'related to the Contact dialled from'
        );
        await agent.screenshot('call-history');

        assert.deepEqual(agent.pageErrors(), [], 'no uncaught errors in the page');
    }));
