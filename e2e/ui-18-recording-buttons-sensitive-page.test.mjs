// UI: recording control with consent (F21, issue 16 point 1) through the real LWC in the workbench. The admin
// marks Case pages sensitive in the Phone Setup tab. In a recorded call the agent clicks Pause, then Resume:
// the customer-side recording (the customer phone in the iframe records the call and follows the contact
// centre's recording control) really leaves the paused time out, measured by decoding the uploaded file as
// e2e/recording-01 does; then the agent marks the consent declined with the buttons: the recording stops for
// the rest of the call. In a second call the agent opens a Case: the phone shows the recording paused on a
// sensitive page and the contact centre's recording is paused; back on a page that is not sensitive it runs
// again. Each call's Task lists the pause / resume / consent events with their times (Recording_Audit__c).
// Screenshots: e2e/screenshots/ui-18-recording-buttons-sensitive-page/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startUiEnvironment, waitFor } from '../workbench/test/ui-harness.mjs';

const CALLER = '+48600700800';
/** How long the agent keeps the recording paused (and recording afterwards), on the recorder's clock. */
const PAUSE_MS = 3000;
/** Decoding, MediaRecorder's 1 s timeslices and the 200 ms control poll: the tolerance of the measurement. */
const TOLERANCE_MS = 700;
/** An audit line: ISO time, action, detail (phone-core's recordingAuditText). */
const AUDIT_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (pause|resume|stop|consent) (\S+)$/;

let ui;
let agent;
before(async () => {
    ui = await startUiEnvironment();
    agent = await ui.openAgent('ui-18-recording-buttons-sensitive-page');
});
after(async () => {
    await ui?.close();
});

/** The customer phone's page (the iframe beside the app): `window.customer` of the simulator's /customer. */
function customerFrame() {
    const frame = agent.page.frames().find((candidate) => new URL(candidate.url()).pathname === '/customer');
    assert.ok(frame, 'the customer phone frame');
    return frame;
}

/** The customer-side recorder's facts of the latest recorded call. */
function recorder() {
    return customerFrame().evaluate(() => window.customer.recording());
}

/** The SIP Call-ID of the customer's latest call. */
async function customerCallId() {
    const snapshot = await customerFrame().evaluate(() => window.customer.snapshot());
    return snapshot.sessions.at(-1).callId;
}

/** The contact centre's recording control of the customer's call (the simulator's view of the API state). */
async function contactCentreRecording() {
    const callId = await customerCallId();
    return ui.env.control('GET', `/recordings/by-call-id/${encodeURIComponent(callId)}/control`);
}

/** Waits until the recorder follows the contact centre to `state`. */
function recorderIn(state, what) {
    return waitFor(
        async () => {
            const facts = await recorder();
            return facts?.control === state ? facts : null;
        },
        { what }
    );
}

/** Waits until the recorder's own clock says `ms` passed since `since` (a condition, never a sleep). */
function recorderClockPast(since, ms, what) {
    return waitFor(async () => ((await recorder()).now - since >= ms ? true : null), {
        what,
        timeoutMs: ms + 10_000
    });
}

/** The phone's recording state line. */
const recordingState = () => agent.phone.locator('[data-id="recording-state"]');

/** Waits for the phone's recording state line to read exactly `text`. */
async function phoneShows(text) {
    await waitFor(async () => ((await recordingState().innerText()).trim() === text ? true : null), {
        what: `the phone to show "${text}"`
    });
}

/** The customer calls, the agent answers on the phone, the customer-side recorder runs. */
async function recordedCall() {
    await agent.customerCall({ campaign: 'cmp-support', callerNumber: CALLER });
    await agent.phone.locator('[data-id="incoming"]').waitFor({ timeout: 20000 });
    await agent.clickPhone('answer');
    await agent.customerCallState('confirmed');
    await phoneShows('Recording');
    await waitFor(async () => ((await recorder())?.state === 'recording' ? true : null), {
        what: 'the customer-side recorder to run'
    });
    const control = await contactCentreRecording();
    assert.equal(control.state, 'recording', 'the contact centre records the call');
    return control.interactionId;
}

/** The customer hangs up; the recording's upload; the file decoded: its length against the call's. */
async function hangUpAndMeasure(interactionId) {
    await agent.customerHangup();
    await agent.customerEnded();
    const uploaded = await waitFor(
        async () => {
            const facts = await recorder();
            return facts && ['uploaded', 'failed', 'skipped'].includes(facts.state) ? facts : null;
        },
        { what: 'the recording upload' }
    );
    assert.equal(uploaded.state, 'uploaded', uploaded.error ?? '');
    const { recording: ref } = await ui.env.call(interactionId);
    const signed = await ui.env.api('GET', `/v1/recordings/${ref.id}/signed-url`);
    const audio = await customerFrame().evaluate((url) => window.customer.analyseAudio(url), signed.url);
    return { uploaded, audioMs: audio.durationSeconds * 1000 };
}

/** The agent saves the wrap-up; the call's Task in the org. */
async function wrapUpAndTask(interactionId, notes) {
    const form = agent.phone.locator('c-wrap-up-form');
    await form.locator('[data-id="notes"] textarea').fill(notes);
    await agent.clickPhone('save');
    return waitFor(
        () =>
            ui.org.db
                .all('Task')
                .find((task) => task.Interaction_Id__c === interactionId && task.Description === notes) ??
            null,
        { what: `the Task of ${interactionId}` }
    );
}

/** The Task's audit trail as `action detail` lines, each with a parsable time (checked). */
function auditOf(task) {
    assert.ok(task.Recording_Audit__c, 'the Task has a recording audit trail');
    return task.Recording_Audit__c.split('\n').map((line) => {
        const match = AUDIT_LINE.exec(line);
        assert.ok(match, `an audit line with its time: ${JSON.stringify(line)}`);
        assert.ok(!Number.isNaN(Date.parse(match[1])), `a real time: ${match[1]}`);
        return { at: Date.parse(match[1]), event: `${match[2]} ${match[3]}` };
    });
}

test('the recording buttons pause, resume and stop it; a sensitive page pauses it on its own', () =>
    agent.run(async () => {
        // the admin marks Case pages sensitive in the setup tab
        const options = await agent.saveSetupOptions({ sensitivePages: 'Case' });
        const sensitive = options.locator('[data-id="sensitivePages"] input');
        assert.equal(await sensitive.inputValue(), 'Case', 'saved and read again');
        await agent.screenshot('sensitive-pages-case');
        // the phone reads the options when it starts (the utility bar loads it again with the app)
        await agent.page.reload();
        await agent.page.locator('c-web-phone').waitFor({ state: 'attached' });
        await agent.goReadyWithCustomer(CALLER);

        // --- call 1: Pause, Resume, consent declined, with the buttons ---
        const first = await recordedCall();
        await agent.screenshot('call-1-recording');
        await agent.clickPhone('recording-pause');
        await phoneShows('Recording paused');
        const pausedFacts = await recorderIn('paused', 'the recorder to pause');
        assert.equal((await contactCentreRecording()).state, 'paused', 'the contact centre paused it');
        await agent.screenshot('call-1-paused-by-agent');
        await recorderClockPast(pausedFacts.pausedSince, PAUSE_MS, `the recording paused for ${PAUSE_MS} ms`);
        await agent.clickPhone('recording-resume');
        await phoneShows('Recording');
        const back = await recorderIn('recording', 'the recorder to resume');
        assert.ok(back.pausedMs >= PAUSE_MS, `paused ${back.pausedMs} ms`);
        assert.equal((await contactCentreRecording()).state, 'recording', 'the contact centre resumed it');
        await recorderClockPast(
            pausedFacts.pausedSince + back.pausedMs,
            1000,
            'a second of recording after the resume'
        );
        await agent.screenshot('call-1-resumed');

        await agent.clickPhone('consent-announced');
        await agent.clickPhone('consent-declined');
        await phoneShows('Recording stopped: the caller declined');
        const stopFacts = await recorderIn('stopped', 'the recorder to stop');
        const stoppedAt = await contactCentreRecording();
        assert.equal(stoppedAt.state, 'stopped', 'the contact centre stopped it');
        assert.deepEqual(
            stoppedAt.events.map((e) => `${e.action} ${e.reason}`),
            ['pause agent', 'resume agent', 'stop consent-declined']
        );
        assert.equal(
            await agent.phone.locator('[data-id="recording-pause"]').count(),
            0,
            'no Pause any more'
        );
        assert.equal(
            await agent.phone.locator('[data-id="recording-resume"]').count(),
            0,
            'no Resume either'
        );
        await agent.screenshot('call-1-consent-declined-stopped');
        // the call goes on for a while without being recorded
        await recorderClockPast(stopFacts.pausedSince, PAUSE_MS, 'the call to go on after the stop');

        const { uploaded, audioMs } = await hangUpAndMeasure(first);
        const gapMs = uploaded.durationMs - audioMs;
        const notRecordedMs = uploaded.pausedMs;
        assert.ok(
            Math.abs(gapMs - notRecordedMs) <= TOLERANCE_MS,
            `the file is ${Math.round(audioMs)} ms of a ${uploaded.durationMs} ms call: a gap of ` +
                `${Math.round(gapMs)} ms, not recorded ${notRecordedMs} ms (pause ${back.pausedMs} + after the stop)`
        );
        const recordedMs = stopFacts.pausedSince - uploaded.startedAt - back.pausedMs;
        assert.ok(
            Math.abs(audioMs - recordedMs) <= TOLERANCE_MS,
            `the file (${Math.round(audioMs)} ms) holds the ${recordedMs} ms recorded before the stop, without the pause`
        );
        assert.ok(
            gapMs >= 2 * PAUSE_MS - TOLERANCE_MS,
            `the gap (${Math.round(gapMs)} ms): the pause and the stop`
        );
        console.log(
            `ui-18 call 1: call ${uploaded.durationMs} ms, file ${Math.round(audioMs)} ms, gap ${Math.round(gapMs)} ms ` +
                `(paused by the agent ${back.pausedMs} ms, not recorded after the stop the rest)`
        );
        const firstTask = await wrapUpAndTask(first, 'Consent declined, recording stopped.');
        const firstAudit = auditOf(firstTask);
        assert.deepEqual(
            firstAudit.map((line) => line.event),
            ['pause agent', 'resume agent', 'consent announced', 'consent declined', 'stop consent-declined']
        );
        assert.ok(
            firstAudit[1].at - firstAudit[0].at >= PAUSE_MS,
            'the resume comes the paused time after the pause'
        );
        assert.equal(firstTask.Recording_Consent__c, 'declined');
        assert.ok(firstTask.Recording_Paused_Seconds__c >= PAUSE_MS / 1000, 'the paused seconds on the Task');

        // --- call 2: a sensitive page pauses the recording and leaving it resumes it ---
        await agent.waitForStatus('Ready', 30000);
        const second = await recordedCall();
        await agent.screenshot('call-2-recording');
        await agent.openRecordFromHome('00001025');
        await recorderIn('paused', 'the recorder to pause on the Case page');
        const onCase = await contactCentreRecording();
        assert.equal(onCase.state, 'paused', 'the contact centre paused it on the Case page');
        assert.deepEqual(
            onCase.events.map((e) => `${e.action} ${e.reason}`),
            ['pause sensitive-page']
        );
        await agent.openPhone();
        await phoneShows('Recording paused: sensitive page');
        assert.equal(
            await agent.phone.locator('[data-id="recording-resume"]').count(),
            0,
            'the page paused it, not the agent: no Resume'
        );
        await agent.screenshot('call-2-case-page-paused');

        await agent.minimizePhone();
        await agent.page.locator('[data-id="nav-tab"]', { hasText: 'Home' }).click();
        await recorderIn('recording', 'the recorder to resume off the Case page');
        const offCase = await contactCentreRecording();
        assert.equal(offCase.state, 'recording', 'the contact centre resumed it');
        assert.deepEqual(
            offCase.events.map((e) => `${e.action} ${e.reason}`),
            ['pause sensitive-page', 'resume sensitive-page']
        );
        await agent.openPhone();
        await phoneShows('Recording');
        await agent.screenshot('call-2-home-resumed');

        await agent.customerHangup();
        await agent.customerEnded();
        const secondTask = await wrapUpAndTask(second, 'Card details taken on the Case page.');
        assert.deepEqual(
            auditOf(secondTask).map((line) => line.event),
            ['pause sensitive-page', 'resume sensitive-page']
        );
        assert.equal(secondTask.Recording_Consent__c ?? 'unknown', 'unknown', 'consent never asked');
        await agent.screenshot('call-2-logged');
        assert.deepEqual(agent.pageErrors(), [], 'no uncaught errors in the page');
    }));
