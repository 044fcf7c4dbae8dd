// UI: a caller nobody in the org matches (F4): the phone offers "new Contact / Lead / Person Account / Case"
// prefilled with the number. The agent answers, creates a Lead from the standard new-record form, relates the
// call to the Lead now on screen (F7), hangs up, wraps up, and the Task lands on the new Lead.
// Screenshots: e2e/screenshots/ui-03-unknown-caller-new-lead/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startUiEnvironment } from '../workbench/test/ui-harness.mjs';

const CALLER = '+48609000111';

let ui;
let agent;
before(async () => {
    ui = await startUiEnvironment();
    agent = await ui.openAgent('ui-03-unknown-caller-new-lead');
});
after(async () => {
    await ui?.close();
});

test('a caller with no match creates a Lead prefilled with the number, and the call is logged on it', () =>
    agent.run(async () => {
        await agent.goReadyWithCustomer(CALLER);

        await agent.customerCall({ campaign: 'cmp-support' });
        const incoming = agent.phone.locator('[data-id="incoming"]');
        await incoming.waitFor({ timeout: 20000 });
        const chooser = agent.phone.locator('c-screen-pop-chooser');
        await chooser.locator('[data-id="create"]').first().waitFor({ timeout: 15000 });
        const options = await chooser.locator('[data-id="create"]').allInnerTexts();
        assert.deepEqual(
            options.map((text) => text.trim().toLowerCase()),
            ['new contact', 'new person account', 'new lead', 'new case'],
            'create options (the org has Person Accounts)'
        );
        assert.equal(
            await agent.page.locator('wb-record-page').count(),
            0,
            'no screen pop navigation without a match'
        );
        await agent.screenshot('ringing-no-match');

        await agent.clickPhone('answer');
        await agent.customerCallState('confirmed');
        await agent.waitForStatus('Busy');
        await chooser.locator('[data-id="create"]', { hasText: 'New Lead' }).locator('button').click();

        const modal = agent.page.locator('wb-new-record-modal');
        await modal.locator('[data-id="new-record-title"]', { hasText: 'New Lead' }).waitFor();
        assert.equal(
            await modal.locator('input[data-field="Phone"]').inputValue(),
            CALLER,
            'the number is prefilled'
        );
        await modal.locator('input[data-field="FirstName"]').fill('Ewa');
        await modal.locator('input[data-field="LastName"]').fill('Kaczmarek');
        await modal.locator('input[data-field="Company"]').fill('Kaczmarek Transport');
        await agent.screenshot('new-lead-form');
        await modal.locator('[data-id="new-record-save"]').click();

        const lead = await agent.waitForRecordPage('Ewa Kaczmarek');
        assert.match(lead.id, /^00Q/, 'a Lead');
        const stored = ui.org.db.get(lead.id);
        assert.equal(stored.Phone, CALLER);
        assert.equal(stored.Company, 'Kaczmarek Transport');
        await agent.screenshot('lead-created');

        // relate the call to the record on screen, as the agent would (F7)
        await agent.openPhone();
        await agent.clickPhone('on-screen');
        // the phone names the record (read from the page's record) in the related text and on the caller card
        await agent.phone
            .locator('c-related-to [data-id="related"]', { hasText: 'Ewa Kaczmarek (Lead)' })
            .waitFor();
        await agent.phone.locator('c-caller-card [data-id="name"]', { hasText: 'Ewa Kaczmarek' }).waitFor();
        await agent.screenshot('related-to-lead');

        await agent.clickPhone('hangup');
        await agent.customerEnded();
        const form = agent.phone.locator('c-wrap-up-form');
        await form.locator('[data-id="notes"] textarea').waitFor();
        await form.locator('[data-id="notes"] textarea').fill('New prospect: two trucks a week from Gdańsk.');
        await agent.clickPhone('save');

        await agent.activities().filter({ hasText: 'New prospect' }).first().waitFor({ timeout: 20000 });
        const tasks = ui.org.activities(lead.id);
        assert.equal(tasks.length, 1, 'one Task on the new Lead');
        assert.equal(tasks[0].whoId.slice(0, 15), lead.id.slice(0, 15), 'WhoId is the Lead');
        assert.equal(tasks[0].whatId, '', 'a Lead as WhoId forbids a WhatId');
        assert.equal(tasks[0].phoneNumber, CALLER);
        await agent.screenshot('call-history');

        assert.deepEqual(agent.pageErrors(), [], 'no uncaught errors in the page');
    }));
