// UI: a call transferred between two agents ends with a Task per agent, each with its own notes, and the
// contact centre's push adds none (#11 finding 1, FAULT-CASES 18). Two workbench pages on one local org: Anna
// (agt-101, the org's running user) and Piotr (agt-102, by the page's wb-user cookie), both with the real
// webPhone and PhoneSession. The simulator pushes its call record, with a leg per agent, to the workbench's
// call-record endpoint (the CallRecordPushService port), once when the first leg ends and again when a leg
// changes after that. Anna logs her leg while the customer talks to Piotr; Piotr logs his after the last push,
// so both orders meet: the push never adds a Task nor erases notes, and the log meets the pushed Task.
// Screenshots: e2e/screenshots/ui-13-transfer-*/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startUiEnvironment, waitFor } from '../workbench/test/ui-harness.mjs';

const CALLER = '+48600700800'; // Jan Kowalski in the sample org
const ANNA = 'anna.kowalska@acme.example';
const PIOTR = 'piotr.nowak@acme.example';
const CALLS_PATH = '/ccphone/calls/v1';

let ui;
let anna;
let piotr;
before(async () => {
    ui = await startUiEnvironment({ salesforcePush: true });
    anna = await ui.openAgent('ui-13-transfer-anna');
    piotr = await ui.openAgent('ui-13-transfer-piotr', { userEmail: PIOTR });
    await anna.openPhone();
    await anna.waitForRegistered();
    await piotr.openPhone();
    await piotr.waitForRegistered();
    await anna.customerConnect(CALLER);
});
after(async () => {
    await ui?.close();
});

const userId = (email) => ui.org.sampleUser(email).Id;
const tasksOf = (interactionId) =>
    ui.org.db.all('Task').filter((task) => task.Interaction_Id__c === interactionId);

/** An agent chooses a status on the phone; resolves once the contact centre has it. */
async function choose(agent, agentId, label, status) {
    if ((await ui.env.status(agentId)).status === status) return;
    await agent.chooseStatus(label);
    await waitFor(async () => (await ui.env.status(agentId)).status === status, {
        what: `${agentId} ${status} in the contact centre`
    });
}

/** Anna alone Ready (the call rings at her); Piotr is reached by the transfer only. */
async function onlyAnnaReady() {
    await choose(piotr, 'agt-102', 'Not ready', 'NotReady');
    await choose(anna, 'agt-101', 'Ready', 'Ready');
}

/** The customer calls; Anna answers; resolves with the call's interaction id. */
async function annaAnswersACall() {
    await onlyAnnaReady();
    await anna.customerCall({ campaign: 'cmp-support' });
    await anna.phone.locator('[data-id="incoming"]').waitFor({ timeout: 20000 });
    await anna.clickPhone('answer');
    await anna.customerCallState('confirmed');
    await anna.phone.locator('[data-id="active"] [data-id="state"]', { hasText: 'Connected' }).waitFor();
    const { calls } = await ui.env.control('GET', '/state');
    const call = calls.find((candidate) => candidate.callerNumber === CALLER && candidate.state !== 'ended');
    assert.ok(call?.interactionId, 'the contact centre has the call');
    return call.interactionId;
}

/** Piotr goes Ready for the transfer (the phone answers 486 to a call while its agent is not Ready). */
async function openTransfer(target) {
    await choose(piotr, 'agt-102', 'Ready', 'Ready');
    await anna.clickPhone('transfer');
    await anna.phone.locator('[data-id="transfer-target"] input').fill(target);
}

async function piotrAnswers() {
    await piotr.phone.locator('[data-id="incoming"]').waitFor({ timeout: 20000 });
    await piotr.clickPhone('answer');
    await piotr.phone.locator('[data-id="active"] [data-id="state"]', { hasText: 'Connected' }).waitFor();
}

/** Types the notes into the agent's wrap-up form and saves; resolves with the agent's Task of the call. */
async function wrapUp(agent, interactionId, email, notes) {
    const form = agent.phone.locator('c-wrap-up-form');
    await form.locator('[data-id="notes"] textarea').fill(notes, { timeout: 20000 });
    await agent.screenshot(`wrap-up-${interactionId}`);
    await agent.clickPhone('save');
    return waitFor(
        async () =>
            tasksOf(interactionId).find(
                (task) => task.OwnerId === userId(email) && task.Description === notes
            ) ?? null,
        { what: `${email}'s Task of ${interactionId} with the notes`, timeoutMs: 20000 }
    );
}

/**
 * The contact centre's last push of the call (it pushes again whenever a leg changes after the call ended),
 * once the workbench answered it: after both legs ended, the first push answered past the last leg change.
 */
async function lastPushAnswered(interactionId) {
    await waitFor(
        async () => {
            const record = await ui.env.call(interactionId);
            return record.legs.length === 2 && record.legs.every((leg) => leg.endedAt !== null) ? true : null;
        },
        { what: `both legs of ${interactionId} ended in the call record` }
    );
    const { items: legChanges } = await ui.env.control(
        'GET',
        `/events?type=call-leg&interactionId=${encodeURIComponent(interactionId)}`
    );
    const lastChange = legChanges.at(-1).seq;
    return waitFor(
        async () => {
            const { items } = await ui.env.control('GET', `/events?type=push-sent&after=${lastChange}`);
            return (
                items.find(
                    (event) =>
                        event.data.path === CALLS_PATH && event.data.interactionIds.includes(interactionId)
                ) ?? null
            );
        },
        { what: `the last call-record push of ${interactionId} answered`, timeoutMs: 20000 }
    );
}

/** At no time more than one Task per agent for the call. */
function assertOneTaskPerAgent(interactionId) {
    const owners = tasksOf(interactionId).map((task) => task.OwnerId);
    assert.equal(new Set(owners).size, owners.length, `one Task per agent: ${owners.join(', ')}`);
}

/**
 * Anna's leg is over: she logs it while the customer talks to Piotr (the push sent when her leg ended may
 * have created her Task: her log meets it).
 */
async function annaLogsHerLeg(interactionId, notes) {
    const annaTask = await wrapUp(anna, interactionId, ANNA, notes);
    assertOneTaskPerAgent(interactionId);
    return annaTask;
}

/**
 * Piotr hangs up; the last push (both legs) keeps Anna's notes and adds no Task; Piotr's log after it meets
 * the Task the push made for his leg.
 */
async function piotrHangsUpAndLogsAfterThePush(interactionId, annaTask, piotrNotes) {
    await piotr.clickPhone('hangup');
    await anna.customerEnded();
    const push = await lastPushAnswered(interactionId);
    const [result] = push.data.response.results;
    assert.equal(result.taskIds.length, 2, 'the push wrote a leg per agent');
    let tasks = tasksOf(interactionId);
    assert.equal(tasks.length, 2, 'after the push: a Task per agent, no duplicate');
    assert.equal(ui.org.db.get(annaTask.Id).Description, annaTask.Description, "the push kept Anna's notes");
    const pushed = tasks.find((task) => task.OwnerId === userId(PIOTR));
    assert.ok(pushed, "the push created Piotr's leg");

    const piotrTask = await wrapUp(piotr, interactionId, PIOTR, piotrNotes);
    assert.equal(piotrTask.Id, pushed.Id, "Piotr's log met the pushed Task");
    tasks = tasksOf(interactionId);
    assert.equal(tasks.length, 2, 'two Tasks in the end');
    const byOwner = new Map(tasks.map((task) => [task.OwnerId, task]));
    assert.equal(byOwner.get(userId(ANNA)).Description, annaTask.Description);
    assert.equal(byOwner.get(userId(PIOTR)).Description, piotrNotes);
    for (const task of tasks) assert.equal(task.CallObject, interactionId, 'the shared interaction id');
    assert.deepEqual([...anna.pageErrors(), ...piotr.pageErrors()], [], 'no uncaught errors');
}

test('blind transfer: Anna and Piotr each end with their own Task and notes; the push adds none', () =>
    anna.run(async () => {
        const interactionId = await annaAnswersACall();
        await openTransfer('agt-102');
        await anna.clickPhone('blind-transfer');
        await piotrAnswers();
        await piotr.screenshot('blind-transfer-answered');

        const annaTask = await annaLogsHerLeg(interactionId, 'Blind: Anna took the order.');
        await piotrHangsUpAndLogsAfterThePush(interactionId, annaTask, 'Blind: Piotr confirmed delivery.');
    }));

test('attended transfer: Anna and Piotr each end with their own Task and notes; the push adds none', () =>
    anna.run(async () => {
        const interactionId = await annaAnswersACall();
        await openTransfer('agt-102');
        await anna.clickPhone('consult');
        await piotrAnswers();
        await anna.phone.locator('[data-id="consultation"]').waitFor();
        await anna.screenshot('consultation');
        await anna.clickPhone('complete-transfer');

        const annaTask = await annaLogsHerLeg(interactionId, 'Attended: Anna explained the refund.');
        await anna.customerCallState('confirmed');
        await piotrHangsUpAndLogsAfterThePush(interactionId, annaTask, 'Attended: Piotr booked the refund.');

        // the consultation between them is part of the call: no Task of its own for either agent
        const callTasks = ui.org.db
            .all('Task')
            .filter(
                (task) =>
                    typeof task.Interaction_Id__c === 'string' &&
                    !task.Interaction_Id__c.startsWith('int-seed-')
            );
        for (const email of [ANNA, PIOTR])
            assert.equal(
                callTasks.filter((task) => task.OwnerId === userId(email)).length,
                2,
                `${email}: one Task per transferred call`
            );
    }));
