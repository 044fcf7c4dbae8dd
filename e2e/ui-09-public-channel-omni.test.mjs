// UI: the phone's public API (F19) and Omni-Channel presence (F23). An external component (any org component:
// here the page publishes on the PhonePublic message channel as one would) sends commands; the phone validates
// them like user input, refuses what the agent's state forbids, dials, and publishes ringing, answered, ended
// and logged with the Task id. The workbench's fake Omni stands in for the Aura bridge: the phone shows its
// status beside the phone status and, as master, blocks Omni work during the call.
// Screenshots: e2e/screenshots/ui-09-public-channel-omni/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startUiEnvironment, waitFor } from '../workbench/test/ui-harness.mjs';

let ui;
let agent;
let interactionId;
before(async () => {
    ui = await startUiEnvironment();
    agent = await ui.openAgent('ui-09-public-channel-omni');
});
after(async () => {
    await ui?.close();
});

/** Publishes on the public channel as an external component would. */
const publishCommand = (fields) =>
    agent.page.evaluate(
        (message) => window.workbench.publish('PhonePublic__c', message),
        { version: 1, kind: 'command', ...fields }
    );

/** The phone's events on the public channel so far. */
const publicEvents = () =>
    agent.page.evaluate(() =>
        window.workbench
            .messages()
            .filter((entry) => entry.channel === 'PhonePublic__c' && entry.message.kind === 'event')
            .map((entry) => entry.message)
    );

const waitForEvent = (predicate, what) =>
    waitFor(async () => (await publicEvents()).find(predicate) ?? null, { what, timeoutMs: 20000 });

const omniBadge = () => agent.phone.locator('c-omni-presence [data-id="omni-status"]');

test('the Omni status shows beside the phone status, and follows the phone (phone master)', () =>
    agent.run(async () => {
        await agent.openPhone();
        await agent.waitForRegistered();
        await agent.customerConnect('+31612345678');
        await agent.chooseStatus('Ready');
        await agent.waitForStatus('Ready');
        await omniBadge().filter({ hasText: 'Omni-Channel: Available' }).waitFor({ timeout: 15000 });
        assert.equal(await agent.page.locator('[data-id="fake-omni-status"]').inputValue(), 'Available');
        await agent.screenshot('omni-beside-phone-status');
    }));

test('a command that is not valid gets a clear error event and changes nothing', () =>
    agent.run(async () => {
        await publishCommand({ command: 'setStatus', status: 'Lunch', requestId: 'bad-status' });
        const refused = await waitForEvent((m) => m.requestId === 'bad-status', 'the refusal');
        assert.equal(refused.event, 'error');
        assert.equal(refused.errorCode, 'unknown-status');
        assert.equal(refused.message, 'Unknown status. Use Ready, NotReady or Paused.');
        await publishCommand({ command: 'dial', number: 'call me maybe', requestId: 'bad-number' });
        const badNumber = await waitForEvent((m) => m.requestId === 'bad-number', 'the refused number');
        assert.equal(badNumber.errorCode, 'invalid-number');
        await agent.waitForStatus('Ready');
    }));

test('an external component dials a number in any format and hears ringing and answered', () =>
    agent.run(async () => {
        await publishCommand({ command: 'dial', number: '+31 (0)6 1234 5678', requestId: 'ext-dial' });
        const accepted = await waitForEvent((m) => m.requestId === 'ext-dial', 'the dial answered');
        assert.equal(accepted.event, 'accepted', JSON.stringify(accepted));
        const ringing = await waitForEvent((m) => m.event === 'ringing', 'ringing');
        assert.equal(ringing.direction, 'outbound');
        assert.equal(ringing.number, '+31612345678', 'dialled as E.164');
        interactionId = ringing.interactionId;
        assert.ok(interactionId, 'the interaction id');

        await agent.customerAnswer();
        const answered = await waitForEvent((m) => m.event === 'answered', 'answered');
        assert.equal(answered.interactionId, interactionId);
        await agent.waitForStatus('Busy');
        // calls block Omni work: the phone set the fake Omni to its busy status
        await omniBadge().filter({ hasText: 'Omni-Channel: On a Call' }).waitFor({ timeout: 15000 });
        assert.equal(await agent.page.locator('[data-id="fake-omni-status"]').inputValue(), 'On_Phone');
        const status = await waitForEvent((m) => m.event === 'status' && m.status === 'Busy', 'status Busy');
        assert.ok(status.previousStatus, 'with the status before');
        await agent.screenshot('external-dial-connected');
    }));

test('the state guard refuses a second dial during the call', () =>
    agent.run(async () => {
        await publishCommand({ command: 'dial', number: '+31612345678', requestId: 'during-call' });
        const refused = await waitForEvent((m) => m.requestId === 'during-call', 'the refusal');
        assert.equal(refused.errorCode, 'not-allowed-now');
    }));

test('the external component hangs up; after the wrap-up it hears logged with the Task id', () =>
    agent.run(async () => {
        await publishCommand({ command: 'hangup', requestId: 'ext-hangup' });
        await waitForEvent((m) => m.requestId === 'ext-hangup' && m.event === 'accepted', 'hangup accepted');
        await agent.customerEnded();
        const ended = await waitForEvent((m) => m.event === 'ended', 'ended');
        assert.equal(ended.interactionId, interactionId);
        const form = agent.phone.locator('c-wrap-up-form');
        await form.locator('[data-id="notes"] textarea').fill('Called from an external component.');
        await agent.clickPhone('save');
        const logged = await waitForEvent((m) => m.event === 'logged', 'logged');
        assert.equal(logged.interactionId, interactionId);
        assert.match(logged.taskId, /^00T[A-Za-z0-9]{12,15}$/, 'the Task id');
        await omniBadge().filter({ hasText: 'Omni-Channel: Available' }).waitFor({ timeout: 15000 });
        await agent.screenshot('logged-omni-available-again');
        assert.deepEqual(agent.pageErrors(), [], 'no uncaught errors in the page');
    }));
