// UI: the Phone Doctor (issue 16 point 3, B8) in the workbench like an agent and an admin would. After a call
// from a known customer (number, name and wrap-up notes the test plants), the agent runs the Doctor in the
// phone's Settings: every check green, with the echo test's measured round trip; the diagnostics file it
// downloads holds the phone's SIP log and the results, but none of the customer's number, name, the notes, the
// SIP password or the contact centre's API key. A page whose CSP connect-src leaves out the SIP server turns the
// trusted-site check red with its fix; a browser with the microphone denied turns the microphone red with its
// fix. On the Phone Setup tab an admin sees a user's server checks and the note that the browser checks run in
// the agent's own browser. Screenshots of each step: e2e/screenshots/ui-17-phone-doctor/.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { SEED, SIP_SECRET } from './lib/harness.mjs';
import { AgentPage, SCREENSHOT_DIR, startUiEnvironment, waitFor } from '../workbench/test/ui-harness.mjs';

const SCENARIO = 'ui-17-phone-doctor';
const CUSTOMER_NUMBER = '+48600700800';
const CUSTOMER_NAME = 'Jan Kowalski';
const NOTES = 'Planted note: gate code 4711, allergic to peanuts';
const ALL_CHECKS = 12;

let ui;
let agent;
/** The SIP passwords the org handed to the agent's page (read from its Apex answers). */
const sipPasswords = new Set();

before(async () => {
    ui = await startUiEnvironment();
    agent = await ui.openAgent(SCENARIO);
    agent.page.on('response', async (response) => {
        if (!response.url().includes('getSipCredentials')) return;
        const text = await response.text().catch(() => '');
        for (const match of text.matchAll(/"authorizationPassword"\s*:\s*"([^"]+)"/g))
            sipPasswords.add(match[1]);
    });
});
after(async () => {
    await ui?.close();
});

/** Opens the phone's Settings tab and runs the Doctor; returns each check's id, status, detail and fix. */
async function runDoctor(page) {
    await page.phone.locator('[data-tab="settings"]').click();
    const doctor = page.phone.locator('c-phone-doctor');
    await doctor.locator('[data-id="doctor-run"] button').click();
    const rows = doctor.locator('[data-id="doctor-check"]');
    await waitFor(async () => (await rows.count()) === ALL_CHECKS || null, {
        what: 'the Doctor shows every check',
        timeoutMs: 60000
    });
    await waitFor(async () => !(await doctor.locator('[data-id="doctor-run"] button').isDisabled()) || null, {
        what: 'the Doctor finished'
    });
    return rows.evaluateAll((elements) =>
        elements.map((row) => ({
            id: row.dataset.check,
            status: row.dataset.status,
            detail: row.querySelector('[data-id="check-detail"]')?.textContent ?? '',
            fix: row.querySelector('[data-id="check-fix"]')?.textContent ?? ''
        }))
    );
}

/** Scrolls the phone's panel to a check (or the download button) for the next screenshot. */
async function showCheck(page, id) {
    const target =
        id === 'download'
            ? page.phone.locator('c-phone-doctor [data-id="doctor-download"]')
            : page.phone.locator(`c-phone-doctor [data-check="${id}"]`);
    await target.scrollIntoViewIfNeeded();
}

/** A page of the same agent in a browser context of its own (CSP header, microphone permission). */
async function openOtherPage(name, { microphone, csp }) {
    const context = await ui.env.browser.newContext({
        viewport: { width: 1440, height: 900 },
        permissions: microphone === 'granted' ? ['microphone'] : []
    });
    ui.env.contexts.push(context);
    if (csp) {
        // the page as served with a Content-Security-Policy whose connect-src leaves out the SIP WebSocket
        await context.route(
            (url) => url.origin === new URL(ui.stack.url).origin && url.pathname === '/',
            async (route) => {
                const response = await route.fetch();
                await route.fulfill({
                    response,
                    headers: { ...response.headers(), 'content-security-policy': csp }
                });
            }
        );
    }
    const page = await context.newPage();
    if (microphone === 'denied') {
        // the site's microphone permission set to Block, as the agent would in the address bar
        const session = await context.newCDPSession(page);
        const { targetInfo } = await session.send('Target.getTargetInfo');
        const browserSession = await ui.env.browser.newBrowserCDPSession();
        await browserSession.send('Browser.setPermission', {
            permission: { name: 'microphone' },
            setting: 'denied',
            origin: new URL(ui.stack.url).origin,
            browserContextId: targetInfo.browserContextId
        });
    }
    const other = new AgentPage(page, SCENARIO, ui);
    other.step = agent.step;
    page.on('pageerror', (error) => other.errors.push(error.message));
    await page.goto(ui.stack.url);
    await page.locator('c-web-phone').waitFor({ state: 'attached' });
    await other.openPhone();
    return { other, close: () => context.close(), name };
}

test('after a call the Doctor is green everywhere and its diagnostics file hides the customer and the secrets', () =>
    agent.run(async () => {
        await agent.goReadyWithCustomer(CUSTOMER_NUMBER);
        await agent.customerCall({
            campaign: 'cmp-support',
            callerNumber: CUSTOMER_NUMBER,
            callerName: CUSTOMER_NAME
        });
        await agent.phone.locator('[data-id="incoming"]').waitFor({ timeout: 20000 });
        await agent.clickPhone('answer');
        await agent.customerCallState('confirmed');
        await agent.clickPhone('hangup');
        await agent.customerEnded();
        const form = agent.phone.locator('c-wrap-up-form');
        await form.locator('[data-id="notes"] textarea').fill(NOTES);
        await agent.screenshot('call-done-notes-typed');

        const checks = await runDoctor(agent);
        await showCheck(agent, 'websocket');
        await agent.screenshot('healthy-green-browser-checks');
        await showCheck(agent, 'download');
        await agent.screenshot('healthy-green-org-checks');
        assert.deepEqual(
            checks.filter((check) => check.status !== 'green'),
            [],
            'every check green in a healthy set-up'
        );
        const echo = checks.find((check) => check.id === 'echo-test');
        assert.match(
            echo.detail,
            /^rtt \d+ ms, loss [\d.]+ %/,
            'the echo test measured its round trip and loss'
        );
        assert.equal(checks.filter((check) => check.fix).length, 0, 'no fix shown when all is green');

        const doctor = agent.phone.locator('c-phone-doctor');
        const [download] = await Promise.all([
            agent.page.waitForEvent('download'),
            doctor.locator('[data-id="doctor-download"] button').click()
        ]);
        assert.match(download.suggestedFilename(), /^phone-diagnostics-.*\.json$/);
        const text = await readFile(await download.path(), 'utf8');
        const file = JSON.parse(text);
        assert.equal(file.checks.length, ALL_CHECKS, 'the results are in the file');
        assert.match(
            file.versions.userAgent,
            /Chrom(e|ium)\/\d+\.\d+/,
            'the browser and its version, readable'
        );
        assert.match(file.log[0], /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z /, 'each line with its time');
        // kept beside the screenshots for a reviewer (it is the redacted file the agent would send)
        await writeFile(path.join(SCREENSHOT_DIR, SCENARIO, 'diagnostics.json'), text);
        assert.ok(
            file.log.some(
                (line) => line.includes('Received WebSocket text message') && line.includes('INVITE sip:')
            ),
            'the SIP messages of the call are in the log'
        );
        assert.ok(
            file.log.some((line) => line.includes('state agent')),
            'the state changes are in the log'
        );

        assert.ok(
            file.log.some((line) => /^Authorization: \[redacted\]\r?$/m.test(line)),
            'the REGISTER is there with its digest answer redacted'
        );
        assert.ok(!/a=ice-pwd:(?!\[redacted\])/.test(text), 'no ICE password');
        assert.ok(sipPasswords.size > 0, 'the test saw the SIP password the page was given');
        const forbidden = [
            CUSTOMER_NUMBER,
            '600700800',
            '600 700 800',
            '600-700-800',
            'Kowalski',
            'Jan ',
            NOTES,
            'gate code',
            '4711',
            SEED.apiKey,
            SIP_SECRET,
            ...sipPasswords
        ];
        for (const secret of forbidden) {
            assert.ok(!text.includes(secret), `the diagnostics file contains ${JSON.stringify(secret)}`);
        }
        await agent.screenshot('diagnostics-downloaded');

        // the call is logged as usual afterwards
        await agent.phone.locator('[data-tab="phone"]').click();
        await agent.clickPhone('save');
        await waitFor(() => ui.org.db.all('Task').filter((task) => task.Description === NOTES).length === 1, {
            what: 'the Task of the call'
        });
        assert.deepEqual(agent.pageErrors(), []);
    }));

test('a page whose CSP leaves out the SIP server: the trusted-site check is red with its fix', () =>
    agent.run(async () => {
        const wsOrigin = new URL(ui.stack.url).origin;
        const { other, close } = await openOtherPage('csp', {
            microphone: 'granted',
            csp: `connect-src 'self' ${wsOrigin}`
        });
        try {
            const checks = await runDoctor(other);
            await showCheck(other, 'websocket');
            await other.screenshot('csp-trusted-site-red');
            const csp = checks.find((check) => check.id === 'csp-trusted-site');
            assert.equal(csp.status, 'red', JSON.stringify(checks));
            assert.match(csp.fix, /trusted site/i, 'the fix names the CSP trusted site');
            assert.equal(csp.detail, '127.0.0.1', 'the SIP host');
            assert.equal(checks.find((check) => check.id === 'microphone-permission').status, 'green');
        } finally {
            agent.step = other.step;
            await close();
        }
    }));

test('a browser with the microphone blocked: the microphone check is red with its fix', () =>
    agent.run(async () => {
        const { other, close } = await openOtherPage('microphone', { microphone: 'denied' });
        try {
            const checks = await runDoctor(other);
            await showCheck(other, 'permissions-policy');
            await other.screenshot('microphone-blocked-red');
            const microphone = checks.find((check) => check.id === 'microphone-permission');
            assert.equal(microphone.status, 'red', JSON.stringify(checks));
            assert.match(microphone.fix, /Allow/, 'the fix says how to allow the microphone');
            assert.equal(checks.find((check) => check.id === 'csp-trusted-site').status, 'green');
            assert.equal(
                checks.find((check) => check.id === 'echo-test').status,
                'unknown',
                'no echo without a microphone'
            );
        } finally {
            agent.step = other.step;
            await close();
        }
    }));

test('an admin runs the Doctor for a user on the Phone Setup tab: the server checks, the browser ones explained', () =>
    agent.run(async () => {
        await agent.minimizePhone();
        await agent.page.locator('[data-id="nav-tab"][data-key="Phone_Setup"]').click();
        const setup = agent.page.locator('c-phone-setup');
        await setup.waitFor();
        await setup.locator('[role="tab"][data-section="users"]').click();
        const users = agent.page.locator('c-phone-setup-users');
        const eva = users.locator('tr', { hasText: 'Eva Dvořáková' });
        await eva.locator('[data-id="doctor"]').click();
        const panel = users.locator('c-phone-user-doctor');
        await panel.locator('[data-id="doctor-check"]').first().waitFor({ timeout: 20000 });
        assert.equal(
            await panel.locator('[data-id="user-doctor-title"]').innerText(),
            'Phone Doctor for Eva Dvořáková'
        );
        assert.match(await panel.locator('[data-id="user-doctor-note"]').innerText(), /agent's own browser/);
        const checks = await panel
            .locator('[data-id="doctor-check"]')
            .evaluateAll((rows) => rows.map((row) => [row.dataset.check, row.dataset.status]));
        assert.deepEqual(checks, [
            ['task-fields', 'red'],
            ['seat', 'red'],
            ['permission-set', 'red'],
            ['call-center', 'green']
        ]);
        await panel.scrollIntoViewIfNeeded();
        await agent.screenshot('setup-user-doctor');
    }));
