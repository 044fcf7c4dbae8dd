// The inbound call flow of ui-01 in another language (ui-05 Polish, ui-06 Russian): go Ready, a known
// customer calls, the caller card (the object named as the org names it), answer, hold, resume, hang up,
// wrap-up with a translated result, and the Task whose subject is in the org's language. Every text the test
// looks for comes from the package's translations, so a label that falls back to English fails the run.
import assert from 'node:assert/strict';
import path from 'node:path';
import { readTranslation } from '../../scripts/lib/labels.mjs';
import { ROOT } from './harness.mjs';
import { waitFor } from '../../workbench/test/ui-harness.mjs';

/** The package's labels in `language`: name -> text. */
export async function labelsIn(language) {
    const { labels } = await readTranslation(path.join(ROOT, 'force-app'), language);
    return labels;
}

/**
 * Runs the flow on an agent page already in `language`; screenshots in e2e/screenshots/<scenario>/.
 * @param {{ ui: import('../../workbench/test/ui-harness.mjs').UiEnvironment, agent: any, language: string,
 *   expected: { ready: string, busy: string, wrap: string, contact: string, subject: string } }} run
 *   `expected`: a few texts written out by hand, so the run also proves the translation is the chosen one
 */
export async function inboundCallIn({ ui, agent, language, expected }) {
    const text = await labelsIn(language);
    assert.equal(text.get('Phone_Status_Ready'), expected.ready, 'the glossary term for Ready');
    const state = (label) =>
        agent.phone.locator('[data-id="active"] [data-id="state"]', { hasText: text.get(label) });

    await agent.openPhone();
    await agent.waitForRegistered();
    await agent.customerConnect('+48600700800');
    await agent.screenshot('phone-open-not-ready');

    await agent.chooseStatus(expected.ready);
    await agent.waitForStatus(expected.ready);
    await waitFor(async () => (await ui.env.status('agt-101')).status === 'Ready', {
        what: 'agt-101 Ready in the contact centre'
    });
    await agent.screenshot('ready');

    await agent.customerCall({ campaign: 'cmp-support', callerNumber: '+48600700800', callerName: 'Jan' });
    const incoming = agent.phone.locator('[data-id="incoming"]');
    await incoming.waitFor({ timeout: 20000 });
    await incoming.locator('[data-id="name"]', { hasText: 'Jan Kowalski' }).waitFor();
    // the org's own name of the object (getObjectInfos), not the package's fallback label
    await incoming.locator('[data-id="object-type"]', { hasText: expected.contact }).waitFor();
    assert.match(
        await agent.utilityItem().innerText(),
        new RegExp(text.get('Phone_Utility_Ringing').replace('{0}', 'Jan Kowalski')),
        'the utility label in the language'
    );
    const record = await agent.waitForRecordPage('Jan Kowalski');
    await agent.screenshot('ringing-screen-pop');

    await agent.clickPhone('answer');
    await agent.customerCallState('confirmed');
    await agent.waitForStatus(expected.busy);
    await state('Phone_CallState_Connected').waitFor();
    await agent.screenshot('connected');

    await agent.clickPhone('hold');
    await state('Phone_CallState_OnHold').waitFor();
    await agent.screenshot('on-hold');
    await agent.clickPhone('hold');
    await state('Phone_CallState_Connected').waitFor();

    await agent.clickPhone('hangup');
    await agent.customerEnded();
    const form = agent.phone.locator('c-wrap-up-form');
    await form.locator('[data-id="caller"]', { hasText: 'Jan Kowalski' }).waitFor();
    await agent.waitForStatus(expected.wrap);
    await agent.screenshot('wrap-up');

    await form.locator('[data-id="notes"] textarea').fill('Notes of a localized call');
    await form.locator('[data-id="disposition"] button').first().click();
    await form
        .locator('[data-id="disposition"] lightning-base-combobox-item', {
            hasText: text.get('Phone_Result_Resolved')
        })
        .click();
    await agent.screenshot('wrap-up-filled');
    await agent.clickPhone('save');

    const history = agent.activities().filter({ hasText: 'Notes of a localized call' });
    await history.first().waitFor({ timeout: 20000 });
    const tasks = ui.org
        .activities(record.id)
        .filter((task) => task.description === 'Notes of a localized call');
    assert.equal(tasks.length, 1, 'one Task for the call');
    assert.equal(tasks[0].disposition, 'Resolved', 'the disposition is stored as its value, not translated');
    assert.equal(tasks[0].subject, expected.subject, "the subject in the org's language");
    await agent.screenshot('call-history');

    assert.deepEqual(agent.pageErrors(), [], 'no uncaught errors in the page');
}
