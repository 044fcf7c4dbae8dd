// UI: a number two records share (F4): the phone does not guess, it shows "Who is calling?" with both; the
// agent picks one, the page opens it, and the call is logged on the record chosen.
// Screenshots: e2e/screenshots/ui-04-two-matches-chooser/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startUiEnvironment } from '../workbench/test/ui-harness.mjs';

// Contact Marek Zieliński stores `+48 602 111 222`, Lead Marta Zielińska `602111222`
const CALLER = '+48602111222';

let ui;
let agent;
before(async () => {
    ui = await startUiEnvironment();
    agent = await ui.openAgent('ui-04-two-matches-chooser');
});
after(async () => {
    await ui?.close();
});

test('a caller with two matching records gets the chooser; the choice opens the record and gets the call', () =>
    agent.run(async () => {
        await agent.goReadyWithCustomer(CALLER);

        await agent.customerCall({ campaign: 'cmp-support', callerName: 'Zieliński' });
        const chooser = agent.phone.locator('c-screen-pop-chooser');
        await chooser.locator('[data-id="candidate"]').nth(1).waitFor({ timeout: 20000 });
        const candidates = (await chooser.locator('[data-id="candidate"]').allInnerTexts()).map((text) =>
            text.replace(/\s+/g, ' ').trim()
        );
        assert.deepEqual(
            candidates,
            ['Contact Marek Zieliński', 'Lead Marta Zielińska'],
            'both records, Contacts first'
        );
        assert.equal(
            await agent.page.locator('wb-record-page').count(),
            0,
            'no record opened before the agent chooses'
        );
        await agent.screenshot('chooser');

        await chooser.locator('[data-id="candidate"]', { hasText: 'Marta Zielińska' }).click();
        const lead = await agent.waitForRecordPage('Marta Zielińska');
        assert.match(lead.id, /^00Q/);
        await agent.phone
            .locator('[data-id="incoming"] [data-id="name"]', { hasText: 'Marta Zielińska' })
            .waitFor();
        await agent.screenshot('chosen-lead');

        await agent.clickPhone('answer');
        await agent.customerCallState('confirmed');
        await agent.waitForStatus('Busy');
        await agent.customerHangup();
        const form = agent.phone.locator('c-wrap-up-form');
        await form.locator('[data-id="caller"]', { hasText: 'Marta Zielińska' }).waitFor({ timeout: 15000 });
        await form.locator('[data-id="notes"] textarea').fill('Catering order for 40 people, Friday.');
        await agent.screenshot('wrap-up');
        await agent.clickPhone('save');

        await agent.activities().filter({ hasText: 'Catering order' }).first().waitFor({ timeout: 20000 });
        const tasks = ui.org
            .activities(lead.id)
            .filter((task) => task.description.startsWith('Catering order'));
        assert.equal(tasks.length, 1, 'one Task on the chosen Lead');
        assert.equal(tasks[0].whoId.slice(0, 15), lead.id.slice(0, 15));
        const marek = ui.org.list('Contact').find((row) => row.name === 'Marek Zieliński');
        assert.equal(ui.org.activities(marek.id).length, 0, 'nothing logged on the record not chosen');
        await agent.screenshot('call-history');

        assert.deepEqual(agent.pageErrors(), [], 'no uncaught errors in the page');
    }));
