// UI: "Sign out of the phone" (issue 11, finding 5) in the workbench like an agent would. A call is taken and
// logged, the agent signs out from the Settings tab: the contact centre sees the agent logged out (Offline),
// the phone shows the signed-out panel, this user's call data is gone from the browser's storage and the Task
// stays in the org; "Start the phone" registers again. During a call the button is off.
// Screenshots of each step: e2e/screenshots/ui-11-sign-out/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startUiEnvironment, waitFor } from '../workbench/test/ui-harness.mjs';

let ui;
let agent;
before(async () => {
    ui = await startUiEnvironment();
    agent = await ui.openAgent('ui-11-sign-out');
});
after(async () => {
    await ui?.close();
});

/** The phone's keys in the page's localStorage (session, outbox, election secret). */
function phoneStorageKeys() {
    return agent.page.evaluate(() =>
        Object.keys(window.localStorage).filter((key) => key.startsWith('ccphone'))
    );
}

test('the agent signs out of the phone after a logged call; the phone starts again on request', () =>
    agent.run(async () => {
        await agent.goReadyWithCustomer('+48600700800');
        await agent.customerCall({ campaign: 'cmp-support', callerNumber: '+48600700800' });
        await agent.phone.locator('[data-id="incoming"]').waitFor({ timeout: 20000 });
        await agent.clickPhone('answer');
        await agent.customerCallState('confirmed');

        // no sign-out in a call
        await agent.phone.locator('[data-tab="settings"]').click();
        const signOut = agent.phone.locator('c-phone-sign-out [data-id="sign-out"] button');
        assert.equal(await signOut.isDisabled(), true, 'the button is off during the call');
        await agent.screenshot('sign-out-off-in-call');

        await agent.phone.locator('[data-tab="phone"]').click();
        await agent.hangUpAndSave('Signed out after this call.');
        await waitFor(
            () =>
                ui.org.db.all('Task').filter((task) => task.Description === 'Signed out after this call.')
                    .length === 1,
            { what: 'the Task of the call in the org' }
        );
        assert.ok((await phoneStorageKeys()).length > 0, 'the phone keeps its data while signed in');

        await agent.phone.locator('[data-tab="settings"]').click();
        await waitFor(async () => !(await signOut.isDisabled()), {
            what: 'the sign-out button on after the call'
        });
        await agent.screenshot('before-sign-out');
        await signOut.click();
        await agent.phone.locator('c-phone-sign-out [data-id="signed-out"]').waitFor({ timeout: 20000 });
        await agent.screenshot('signed-out');
        await waitFor(async () => (await ui.env.status('agt-101')).status === 'NotReady', {
            what: 'agt-101 not taking calls any more in the contact centre'
        });
        assert.deepEqual(await phoneStorageKeys(), [], 'no call data of this user left in the browser');
        assert.equal(
            ui.org.db.all('Task').filter((task) => task.Description === 'Signed out after this call.').length,
            1,
            'the Task stays, once'
        );

        await agent.phone.locator('c-phone-sign-out [data-id="start-phone"] button').click();
        await agent.waitForRegistered();
        await agent.screenshot('started-again');
        assert.deepEqual(agent.pageErrors(), [], 'no uncaught errors in the page');
    }));
