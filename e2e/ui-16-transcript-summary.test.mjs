// UI: the contact centre's transcript and summary after a recorded call (F22), with real calls. The simulator
// pushes the call record (the Task exists right after the hang-up), then PUTs the call's conversation to the
// org's conversation endpoint (the workbench answers it as ConversationRestResource): a transcript built from
// the call's data (not speech recognition), a summary and a suggested result. While the agent wraps up, the
// wrap-up form asks for it (ConversationController.getConversation) and shows it; "Use summary" appends it after
// what the agent typed and sets the suggested result; the saved Task holds the agent's notes with the summary,
// Call_Summary__c, Suggested_Result__c and the transcript file. Then: a conversation that arrives after the
// agent saved (held by the simulator until released) lands on the Task and changes nothing on the phone; an
// empty conversation writes nothing; an oversized transcript is cut at a million characters and marked.
// Screenshots: e2e/screenshots/ui-16-transcript-summary/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startUiEnvironment, waitFor } from '../workbench/test/ui-harness.mjs';

const CUSTOMER = '+48609000111'; // nobody in the sample org
const CASE_CODE = '1027'; // Case 00001027: the IVR's case code, the screen pop and the Task's What
const MAX_TRANSCRIPT = 1_000_000;

let ui;
let agent;
before(async () => {
    ui = await startUiEnvironment({ salesforcePush: true });
    agent = await ui.openAgent('ui-16-transcript-summary');
    await agent.goReadyWithCustomer(CUSTOMER);
});
after(async () => {
    await ui?.close();
});

const form = () => agent.phone.locator('c-wrap-up-form');
const tasksOf = (interactionId) =>
    ui.org.db.all('Task').filter((task) => task.Interaction_Id__c === interactionId);

/** Interaction ids of the calls this file has made so far. */
const seen = new Set();

/** The agent (Ready) takes a call from the customer with the IVR's case code, talks, and hangs up. */
async function recordedCallEnded() {
    if ((await ui.env.status('agt-101')).status !== 'Ready') {
        await agent.chooseStatus('Ready');
        await agent.waitForStatus('Ready');
        await waitFor(async () => (await ui.env.status('agt-101')).status === 'Ready', {
            what: 'agt-101 Ready again'
        });
    }
    await agent.customerCall({ campaign: 'cmp-support', ivrCode: CASE_CODE });
    await agent.phone.locator('[data-id="incoming"]').waitFor({ timeout: 20000 });
    await agent.clickPhone('answer');
    await agent.customerCallState('confirmed');
    await agent.phone.locator('[data-id="active"] [data-id="state"]', { hasText: 'Connected' }).waitFor();
    await agent.clickPhone('hangup');
    await agent.customerEnded();
    const ended = await waitFor(
        async () => {
            const { items } = await ui.env.control('GET', '/events?type=call-ended');
            return items.find((event) => !seen.has(event.interactionId)) ?? null;
        },
        { what: 'the call ended at the contact centre' }
    );
    seen.add(ended.interactionId);
    await form().locator('[data-id="caller"]').waitFor();
    return ended.interactionId;
}

/** The conversation's final answer from the org (after any 202 pending). */
function conversationAnswered(interactionId) {
    return waitFor(
        async () => {
            const { items } = await ui.env.control(
                'GET',
                `/events?type=conversation-sent&interactionId=${encodeURIComponent(interactionId)}`
            );
            return items.find((event) => event.data.response?.status !== 'pending') ?? null;
        },
        { what: `the conversation of ${interactionId} answered by the org`, timeoutMs: 90000 }
    );
}

async function typeNotesAndSave(notes) {
    await form().locator('[data-id="notes"] textarea').fill(notes);
    await agent.clickPhone('save');
    await form().locator('section').waitFor({ state: 'detached', timeout: 20000 });
}

test('the summary appears in the wrap-up form, one click puts it in the notes, the Task holds it all', () =>
    agent.run(async () => {
        const interactionId = await recordedCallEnded();
        const typed = 'Typed by the agent: the customer wants a refund.';
        await form().locator('[data-id="notes"] textarea').fill(typed);
        await agent.screenshot('wrap-up-typing');

        const summaryText = form().locator('[data-id="summary"]');
        await summaryText.waitFor({ timeout: 90000 });
        const summary = await summaryText.innerText();
        assert.match(summary, /Inbound call from \+48609000111/);
        assert.match(summary, /entered 1027 in the IVR/);
        assert.match(await form().locator('[data-id="suggested-result"]').innerText(), /Follow-up needed/);
        await form().locator('[data-id="conversation"]').scrollIntoViewIfNeeded();
        await agent.screenshot('summary-in-wrap-up');

        await agent.clickPhone('use-summary');
        const notes = form().locator('[data-id="notes"] textarea');
        await waitFor(async () => ((await notes.inputValue()).includes(summary) ? true : null), {
            what: 'the summary in the notes'
        });
        assert.equal(await notes.inputValue(), `${typed}\n\n${summary}`, 'after what was typed, not instead');
        await form().locator('[data-id="summary-used"]').waitFor();
        await form().locator('[data-id="disposition"]').scrollIntoViewIfNeeded();
        await agent.screenshot('summary-accepted');
        await agent.clickPhone('save');

        const task = await waitFor(
            async () => {
                const [saved] = tasksOf(interactionId);
                return saved?.Description?.startsWith(typed) ? saved : null;
            },
            { what: "the agent's log on the call's Task", timeoutMs: 20000 }
        );
        assert.equal(tasksOf(interactionId).length, 1, 'one Task for the call');
        assert.equal(
            task.Description,
            `${typed}\n\n${summary}`,
            "the agent's notes with the accepted summary"
        );
        assert.equal(task.Call_Summary__c, summary, 'the summary on the Task');
        assert.equal(task.Suggested_Result__c, 'Follow-up needed', 'the suggested result on the Task');
        assert.equal(task.CallDisposition, 'Follow-up needed', 'accepted as the call result');
        const files = ui.org.db.filesOf(task.Id);
        assert.deepEqual(
            files.map((file) => file.title),
            [`Transcript ${interactionId}`],
            'the transcript attached once'
        );
        assert.match(files[0].data, /not speech recognition/);
        assert.match(files[0].data, /IVR: Welcome to /);
        assert.match(files[0].data, /Call ended by agent\.$/);

        const history = agent.activities().filter({ hasText: typed });
        await history.first().locator('[data-id="activity-summary"]').waitFor({ timeout: 20000 });
        await agent.screenshot('task-with-summary-and-transcript');
        assert.deepEqual(agent.pageErrors(), [], 'no uncaught errors in the page');
    }));

test('late: the conversation arrives after the agent saved; it lands on the Task, the phone does not change', () =>
    agent.run(async () => {
        await ui.env.control('PUT', '/conversations', { mode: 'late' });
        const interactionId = await recordedCallEnded();
        const typed = 'Saved before the summary came.';
        await typeNotesAndSave(typed);
        const saved = await waitFor(
            async () => (tasksOf(interactionId)[0]?.Description === typed ? tasksOf(interactionId)[0] : null),
            { what: "the agent's log", timeoutMs: 20000 }
        );
        assert.equal(saved.Call_Summary__c, undefined, 'no summary yet');
        assert.deepEqual((await ui.env.control('GET', '/conversations')).held, [interactionId]);
        await agent.screenshot('saved-before-the-summary');

        await ui.env.control('POST', `/conversations/${encodeURIComponent(interactionId)}/send`);
        const answer = await conversationAnswered(interactionId);
        assert.equal(answer.data.response.status, 'saved');
        const [task] = tasksOf(interactionId);
        assert.equal(tasksOf(interactionId).length, 1, 'still one Task');
        assert.equal(task.Description, typed, "the agent's notes untouched");
        assert.match(task.Call_Summary__c, /entered 1027 in the IVR/);
        assert.equal(task.Suggested_Result__c, 'Follow-up needed');
        assert.equal(ui.org.db.filesOf(task.Id).length, 1, 'the transcript attached');
        assert.equal(await form().locator('section').count(), 0, 'no wrap-up form came back');
        await agent
            .activities()
            .filter({ hasText: typed })
            .first()
            .locator('[data-id="activity-summary"]')
            .waitFor({
                timeout: 20000
            });
        await agent.screenshot('late-summary-on-the-task');
    }));

test('empty and oversized conversations', () =>
    agent.run(async () => {
        await ui.env.control('PUT', '/conversations', { mode: 'empty' });
        const empty = await recordedCallEnded();
        await typeNotesAndSave('Nothing from the contact centre.');
        assert.equal((await conversationAnswered(empty)).data.response.status, 'empty');
        const [emptyTask] = tasksOf(empty);
        assert.equal(emptyTask.Call_Summary__c, undefined, 'no summary');
        assert.equal(emptyTask.Suggested_Result__c, undefined, 'no suggested result');
        assert.equal(ui.org.db.filesOf(emptyTask.Id).length, 0, 'no transcript file');
        assert.equal(emptyTask.Description, 'Nothing from the contact centre.');

        await ui.env.control('PUT', '/conversations', { mode: 'oversized' });
        const oversized = await recordedCallEnded();
        assert.equal((await conversationAnswered(oversized)).data.response.status, 'saved');
        await typeNotesAndSave('A long call.');
        const [task] = tasksOf(oversized);
        const [file] = ui.org.db.filesOf(task.Id);
        assert.equal(file.data.length, MAX_TRANSCRIPT + '\n[...]'.length, 'cut at a million characters');
        assert.ok(file.data.endsWith('\n[...]'), 'and marked as cut');
        assert.match(task.Call_Summary__c, /entered 1027 in the IVR/, 'the summary kept');
        assert.equal(task.Description, 'A long call.', "the agent's notes are theirs");
        await agent.screenshot('oversized-transcript-cut');
        await ui.env.control('PUT', '/conversations', { mode: 'normal' });
        assert.deepEqual(agent.pageErrors(), [], 'no uncaught errors in the page');
    }));
