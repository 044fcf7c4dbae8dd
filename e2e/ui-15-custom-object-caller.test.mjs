// UI: an admin-chosen custom object in the caller lookup (F20). The admin picks Service_Request__c on the setup
// tab's options (phone field Phone__c, name field Customer_Name__c, caller-card field Status__c); the phone starts
// again. A customer calls from the number stored nationally (`606 321 654`) on Service Request SR-0001: the caller
// card names her, the screen pop opens the Service Request's record page, the agent answers, hangs up, writes
// notes, and the Task is related to the Service Request (its call history). Then a number nobody has: "new
// record" offers the Service Request, the standard form is prefilled with the number in its phone field, the
// agent creates it, relates the call to it, and the Task lands on it.
// Screenshots: e2e/screenshots/ui-15-custom-object-caller/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startUiEnvironment, waitFor } from '../workbench/test/ui-harness.mjs';

const KNOWN_CALLER = '+48606321654';
const UNKNOWN_CALLER = '+48609000111';

let ui;
let agent;
before(async () => {
    ui = await startUiEnvironment();
    agent = await ui.openAgent('ui-15-custom-object-caller');
});
after(async () => {
    await ui?.close();
});

/** Types into one of the options' inputs as the admin would. */
/** The agent Ready again after a logged call (the phone goes back to Ready by itself), here and in the contact centre. */
async function readyAgain() {
    await agent.waitForStatus('Ready');
    await waitFor(async () => (await ui.env.status('agt-101')).status === 'Ready', {
        what: 'agt-101 Ready in the contact centre'
    });
}

/** Hangs up, writes the notes in the wrap-up form and saves; waits for them in the record's call history. */
async function hangUpWithNotes(notes) {
    await agent.clickPhone('hangup');
    await agent.customerEnded();
    const form = agent.phone.locator('c-wrap-up-form');
    await form.locator('[data-id="notes"] textarea').waitFor();
    await form.locator('[data-id="notes"] textarea').fill(notes);
    await agent.screenshot(`wrap-up-${notes.split(' ')[0].toLowerCase()}`);
    await agent.clickPhone('save');
    await agent.activities().filter({ hasText: notes }).first().waitFor({ timeout: 20000 });
}

test('a custom object chosen by the admin: caller card, screen pop, new record and the Task related to it', () =>
    agent.run(async () => {
        // the admin chooses the object on the setup tab's options
        const options = await agent.saveSetupOptions({
            customObjectName: 'Service_Request__c',
            customPhoneFields: 'Phone__c,Alternate_Phone__c',
            customNameFields: 'Customer_Name__c',
            customCardFields: 'Status__c'
        });
        assert.equal(
            await options.locator('[data-id="customObjectName"] input').inputValue(),
            'Service_Request__c',
            'saved and read again'
        );
        await agent.screenshot('options-custom-object');

        // the phone reads the options when it starts
        await agent.page.reload();
        await agent.page.locator('c-web-phone').waitFor({ state: 'attached' });
        await agent.goReadyWithCustomer(KNOWN_CALLER);

        // a customer whose number is on a Service Request (stored `606 321 654`)
        await agent.customerCall({ campaign: 'cmp-support', callerNumber: KNOWN_CALLER, callerName: 'Ewa' });
        const incoming = agent.phone.locator('[data-id="incoming"]');
        await incoming.waitFor({ timeout: 20000 });
        const card = incoming.locator('c-caller-card');
        await card.locator('[data-id="name"]', { hasText: 'Ewa Mazur' }).waitFor({ timeout: 15000 });
        const status = card.locator('lightning-output-field [data-field="Status__c"]');
        await status.waitFor({ timeout: 15000 });
        assert.equal((await status.innerText()).trim(), 'New', 'the caller-card field of the custom object');

        // the screen pop opens the Service Request's page
        const request = await agent.waitForRecordPage('SR-0001');
        assert.match(request.id, /^a01/, 'a Service_Request__c record');
        assert.equal(
            (await agent.page.locator('wb-record-page [data-id="record-object"]').innerText()).trim(),
            'Service Request'
        );
        await agent.screenshot('ringing-screen-pop-service-request');

        await agent.clickPhone('answer');
        await agent.customerCallState('confirmed');
        await agent.waitForStatus('Busy');
        await agent.screenshot('connected');
        await hangUpWithNotes('Engineer visit moved to Friday.');
        const known = ui.org
            .activities(request.id)
            .filter((task) => task.description === 'Engineer visit moved to Friday.');
        assert.equal(known.length, 1, 'one Task for the call');
        assert.equal(known[0].whatId.slice(0, 15), request.id.slice(0, 15), 'WhatId is the Service Request');
        assert.equal(known[0].whoId, '', 'no person');
        assert.equal(known[0].phoneNumber, KNOWN_CALLER);
        await agent.screenshot('service-request-call-history');

        // a number nobody has: the Service Request is one of the "new record" choices
        await readyAgain();
        await agent.customerCall({
            campaign: 'cmp-support',
            callerNumber: UNKNOWN_CALLER,
            callerName: 'Olga'
        });
        await incoming.waitFor({ timeout: 20000 });
        const chooser = agent.phone.locator('c-screen-pop-chooser');
        await chooser.locator('[data-id="create"]').first().waitFor({ timeout: 15000 });
        const choices = (await chooser.locator('[data-id="create"]').allInnerTexts()).map((text) =>
            text.trim().toLowerCase()
        );
        assert.equal(choices.length, 5, `the standard objects and the custom one: ${choices.join(', ')}`);
        assert.match(choices[4], /service request/, 'named as the org names the object');
        await agent.screenshot('ringing-no-match-new-service-request');

        await agent.clickPhone('answer');
        await agent.customerCallState('confirmed');
        await agent.waitForStatus('Busy');
        await chooser.locator('[data-id="create"]').nth(4).locator('button').click();
        const modal = agent.page.locator('wb-new-record-modal');
        await modal.locator('[data-id="new-record-title"]', { hasText: 'New Service Request' }).waitFor();
        const phone = modal.locator('input[data-field="Phone__c"]');
        await phone.waitFor();
        assert.equal(await phone.inputValue(), UNKNOWN_CALLER, 'the number in its first phone field');
        await modal.locator('input[data-field="Name"]').fill('SR-0003');
        await modal.locator('input[data-field="Customer_Name__c"]').fill('Olga Baran');
        await agent.screenshot('new-service-request-form');
        await modal.locator('[data-id="new-record-save"]').click();

        const created = await agent.waitForRecordPage('SR-0003');
        assert.match(created.id, /^a01/);
        assert.equal(ui.org.db.get(created.id).Phone__c, UNKNOWN_CALLER);
        await agent.screenshot('service-request-created');

        // relate the call to the record on screen, as the agent would (F7)
        await agent.openPhone();
        await agent.clickPhone('on-screen');
        await agent.phone.locator('c-related-to [data-id="related"]', { hasText: 'SR-0003' }).waitFor();
        await hangUpWithNotes('Olga asked for a boiler service.');
        const tasks = ui.org.activities(created.id);
        assert.equal(tasks.length, 1, 'one Task on the new Service Request');
        assert.equal(
            tasks[0].whatId.slice(0, 15),
            created.id.slice(0, 15),
            'WhatId is the new Service Request'
        );
        assert.equal(tasks[0].phoneNumber, UNKNOWN_CALLER);
        await agent.screenshot('new-service-request-call-history');

        assert.deepEqual(agent.pageErrors(), [], 'no uncaught errors in the page');
    }));
