// UI: options of the setup tab reach the phone (issue 10, F15, F17). With the org's default country PL the
// nationally-typed Dutch mobile `06-87654321` of Contact Sanne Jansen does not meet her call from
// +31 6 8765 4321; the admin sets the default country NL and the caller-card field Contact.Title, the phone
// starts again, and the next call finds Sanne Jansen with her title on the caller card.
// Screenshots: e2e/screenshots/ui-08-setup-options-on-the-phone/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startUiEnvironment, waitFor } from '../workbench/test/ui-harness.mjs';

const CALLER = '+31687654321';

let ui;
let agent;
before(async () => {
    ui = await startUiEnvironment();
    agent = await ui.openAgent('ui-08-setup-options-on-the-phone');
});
after(async () => {
    await ui?.close();
});

/** Rings the agent from CALLER and returns the incoming call's caller card. */
async function ring() {
    await agent.customerCall({ campaign: 'cmp-support', callerNumber: CALLER, callerName: 'Sanne' });
    const incoming = agent.phone.locator('[data-id="incoming"]');
    await incoming.waitFor({ timeout: 20000 });
    return incoming.locator('c-caller-card');
}

/** The caller hangs up before anyone answers; the phone is idle again. */
async function callerGivesUp() {
    await agent.customerHangup();
    await agent.customerEnded();
    await agent.phone.locator('[data-id="incoming"]').waitFor({ state: 'detached', timeout: 20000 });
}

test('default country NL and a caller-card field: the next call finds the national number and shows the field', () =>
    agent.run(async () => {
        await agent.goReadyWithCustomer(CALLER);
        const before = await ring();
        await before.locator('[data-id="name"]').waitFor();
        assert.doesNotMatch(
            await before.locator('[data-id="name"]').innerText(),
            /Sanne Jansen/,
            'not found as PL'
        );
        assert.equal(await before.locator('lightning-output-field').count(), 0, 'no extra fields yet');
        await agent.screenshot('before-unknown-caller');
        await callerGivesUp();

        // the phone keeps running minimised while the admin works in the setup tab
        await agent.minimizePhone();
        await agent.page.locator('[data-id="nav-tab"][data-key="Phone_Setup"]').click();
        const setup = agent.page.locator('c-phone-setup');
        await setup.locator('[role="tab"][data-section="options"]').click();
        const options = setup.locator('c-phone-setup-options');
        const country = options.locator('[data-id="defaultCountry"] input');
        // the section shows the saved options once Apex answered
        await waitFor(async () => (await country.inputValue()) === 'PL' || null, {
            what: 'the options read: default country PL'
        });
        await country.fill('NL');
        await country.dispatchEvent('change');
        const cardFields = options.locator('[data-id="callerCardFields"] input');
        await cardFields.fill('Contact:Title');
        await cardFields.dispatchEvent('change');
        await options.locator('[data-id="save"]').click();
        await options.locator('c-phone-setup-status [data-id="notice"]').waitFor({ timeout: 15000 });
        assert.equal(
            await options.locator('[data-id="defaultCountry"] input').inputValue(),
            'NL',
            'saved and read again'
        );
        await agent.screenshot('options-saved');

        // the phone reads the options when it starts (the utility bar loads it again with the app)
        await agent.page.reload();
        await agent.page.locator('c-web-phone').waitFor({ state: 'attached' });
        await agent.goReadyWithCustomer(CALLER);
        const after = await ring();
        await after.locator('[data-id="name"]', { hasText: 'Sanne Jansen' }).waitFor({ timeout: 20000 });
        const title = after.locator('lightning-output-field [data-field="Title"]');
        await title.waitFor({ timeout: 15000 });
        assert.equal((await title.innerText()).trim(), 'Planner', 'the extra field on the caller card');
        await agent.screenshot('national-number-matched-with-title');
        await callerGivesUp();
        assert.deepEqual(agent.pageErrors(), [], 'no uncaught errors in the page');
    }));
