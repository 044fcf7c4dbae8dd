// The UI e2e environment (e2e/ui-*.test.mjs): the e2e harness's simulator with Kamailio and Chromium
// (e2e/lib/harness.mjs, real clock), plus the workbench (its bundle, a fresh in-memory local org, its web
// server) and one agent page driven like an agent would: clicks and typing in the real components. The
// customer is the simulator's customer phone page in the iframe beside the app. Every step can be
// screenshotted into e2e/screenshots/<scenario>/ (kept by CI as artifacts).
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { summarizeTrace, traceWebSockets } from '../../e2e/lib/agent.mjs';
import { Environment, SIP_SECRET, waitFor } from '../../e2e/lib/harness.mjs';
import { buildWorkbench, OUT_DIR, ROOT } from '../build.mjs';

export { waitFor };

/** Where the screenshots go (CI uploads the directory). */
export const SCREENSHOT_DIR = path.join(ROOT, 'e2e/screenshots');

const VIEWPORT = { width: 1440, height: 900 };
/** The WebPhone's utility item (its identifier in the app's utility bar flexipage). */
const PHONE_UTILITY = 'ccphone_webPhone';

/**
 * Starts everything for one test file.
 * @param {{ language?: string }} [options] the org's and the user's language (`npm start -- --language`)
 * @returns {Promise<UiEnvironment>}
 */
export async function startUiEnvironment({ language, salesforcePush = false } = {}) {
    const build = await buildWorkbench({ log: () => undefined });
    // With salesforcePush the simulator posts its call records and IVR writes to the workbench, as the
    // contact centre does to the org's Apex REST endpoints: the workbench's port is chosen first.
    const port = salesforcePush ? await freePort() : 0;
    const simulatorEnv = salesforcePush
        ? { SF_INSTANCE_URL: `http://127.0.0.1:${port}`, SF_ACCESS_TOKEN: 'workbench-local' }
        : {};
    // the real clock: ring and wrap timers run as they do for a person at the workbench
    const env = await Environment.start({ simulatorArgs: [], simulatorEnv });
    const orgLog = [];
    try {
        const { startWorkbenchStack } = await tsImport('../server/stack.ts', import.meta.url);
        const stack = await startWorkbenchStack({
            root: ROOT,
            port,
            simulator: env.sim,
            orgDataDir: null,
            sipSecret: SIP_SECRET,
            language,
            bundleDir: OUT_DIR,
            log: (line) => {
                orgLog.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
                if (orgLog.length > 300) orgLog.shift();
            }
        });
        return new UiEnvironment(env, stack, build, orgLog);
    } catch (error) {
        await env.close();
        throw error;
    }
}

/** A free TCP port on 127.0.0.1 (released again before use). */
function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

export class UiEnvironment {
    constructor(env, stack, build, orgLog) {
        this.env = env;
        /** The local org's log: every Apex call, with the cause of each failure. */
        this.orgLog = orgLog;
        this.stack = stack;
        this.build = build;
        this.pages = [];
    }

    /** The local org (direct reads for assertions: Tasks, records). */
    get org() {
        return this.stack.org;
    }

    /**
     * Opens the workbench page as the agent, with the phone started.
     * @param {string} scenario screenshot folder name
     * @param {{ initScripts?: Array<{ path: string } | { content: string }>, userEmail?: string }} [options]
     *   scripts evaluated in the page before its own (bench instrumentation); the sample user this page runs
     *   as (default the org's running user, agt-101), e.g. a second agent for a transfer
     */
    async openAgent(scenario, { initScripts = [], userEmail } = {}) {
        // the folder holds this run's steps only
        await fs.rm(path.join(SCREENSHOT_DIR, scenario), { recursive: true, force: true });
        const context = await this.env.browser.newContext({
            viewport: VIEWPORT,
            permissions: ['microphone']
        });
        this.env.contexts.push(context);
        if (userEmail)
            await context.addCookies([
                { name: 'wb-user', value: encodeURIComponent(userEmail), url: this.stack.url }
            ]);
        for (const script of initScripts) await context.addInitScript(script);
        const page = await context.newPage();
        const agent = new AgentPage(page, scenario, this);
        page.on('pageerror', (error) => agent.errors.push(error.message));
        page.on('request', (request) => {
            const url = new URL(request.url());
            if (url.pathname.startsWith('/org/') || url.pathname.startsWith('/apex/')) {
                agent.requests.push(
                    `${new Date().toISOString().slice(11, 23)} ${request.method()} ${url.pathname}`
                );
                if (agent.requests.length > 200) agent.requests.shift();
            }
        });
        page.on('console', (message) => {
            if (message.type() === 'error') agent.consoleErrors.push(message.text());
        });
        await page.goto(this.stack.url);
        await page.locator('c-web-phone').waitFor({ state: 'attached' });
        this.pages.push(agent);
        return agent;
    }

    async close() {
        for (const agent of this.pages) await agent.page.close().catch(() => undefined);
        this.pages = [];
        await this.stack?.close().catch(() => undefined);
        await this.env?.close();
    }
}

/** The workbench page of one agent, with the customer panel beside it. */
export class AgentPage {
    constructor(page, scenario, ui) {
        this.page = page;
        this.scenario = scenario;
        this.ui = ui;
        this.step = 0;
        this.errors = [];
        this.consoleErrors = [];
        /** SIP over WebSocket of the page (the agent's phone and the customer panel). */
        this.trace = traceWebSockets(page);
        /** The page's last requests to the local org (Apex and records). */
        this.requests = [];
        /** The WebPhone utility item. */
        this.phone = page.locator('c-web-phone');
        this.customer = page.frameLocator('[data-id="customer-frame"]');
    }

    /** Saves a screenshot `NN-name.png` of the whole page. */
    async screenshot(name) {
        this.step += 1;
        const dir = path.join(SCREENSHOT_DIR, this.scenario);
        await fs.mkdir(dir, { recursive: true });
        const file = path.join(dir, `${String(this.step).padStart(2, '0')}-${name}.png`);
        await this.page.screenshot({ path: file });
        return file;
    }

    // ---------------------------------------------------------------------------------------------------
    // The utility bar and the phone
    // ---------------------------------------------------------------------------------------------------

    /** A utility bar item by its flexipage identifier (the WebPhone's is `ccphone_webPhone`). */
    utilityItem(id = PHONE_UTILITY) {
        return this.page.locator(`[data-id="utility-item"][data-utility-id="${id}"]`);
    }

    /** Opens the Phone utility (if it is not open). */
    async openPhone() {
        const item = this.utilityItem();
        if ((await item.getAttribute('aria-pressed')) !== 'true') await item.click();
        await this.phone.locator('[data-id="line"]').waitFor();
    }

    /** Minimises the Phone utility (it keeps running, as in Lightning). */
    async minimizePhone() {
        if ((await this.utilityItem().getAttribute('aria-pressed')) !== 'true') return;
        await this.page
            .locator(
                `[data-id="utility-panel"][data-utility-id="${PHONE_UTILITY}"] [data-id="utility-minimize"]`
            )
            .click();
    }

    /** Waits until the phone says it is registered (its line status turns green, in any language). */
    async waitForRegistered(timeout = 20000) {
        await this.phone.locator('[data-id="line"]').waitFor({ timeout });
        await waitFor(
            async () =>
                (await this.phone.locator('[data-id="line"]').getAttribute('class'))?.includes('success') ||
                null,
            {
                what: 'the phone registered',
                timeoutMs: timeout
            }
        );
    }

    /** The agent status badge's text. */
    statusText() {
        return this.phone.locator('[data-id="status"]').innerText();
    }

    /** Chooses a status in the phone's status picker (a lightning-combobox). */
    async chooseStatus(label) {
        const picker = this.phone.locator('[data-id="picker"]');
        await picker.locator('button').first().click();
        await picker.locator('lightning-base-combobox-item', { hasText: label }).first().click();
    }

    /** Switches the user's language with the page's switch; the page reloads in that language. */
    async switchLanguage(language) {
        await Promise.all([
            this.page.waitForEvent('load'),
            this.page.locator('[data-id="language"]').selectOption(language)
        ]);
        await this.page.locator(`html[lang="${language.replace('_', '-')}"]`).waitFor({ state: 'attached' });
        await this.phone.waitFor({ state: 'attached' });
    }

    /** Waits for the status badge to read `text`. */
    async waitForStatus(text, timeout = 15000) {
        await this.phone.locator('[data-id="status"]', { hasText: text }).waitFor({ timeout });
    }

    /**
     * The usual start of a scenario: the phone open and registered, the customer phone registered as
     * `customerNumber`, and the agent (agt-101, the default user) Ready on the phone and in the contact centre.
     */
    async goReadyWithCustomer(customerNumber) {
        await this.openPhone();
        await this.waitForRegistered();
        await this.customerConnect(customerNumber);
        await this.chooseStatus('Ready');
        await this.waitForStatus('Ready');
        await waitFor(async () => (await this.ui.env.status('agt-101')).status === 'Ready', {
            what: 'agt-101 Ready in the contact centre'
        });
    }

    /** Clicks a button of the phone by its data-id (call controls, wrap-up...). */
    /** The agent hangs up, types `notes` in the wrap-up form once the customer's side ended, and saves. */
    async hangUpAndSave(notes) {
        await this.clickPhone('hangup');
        await this.customerEnded();
        const form = this.phone.locator('c-wrap-up-form');
        await form.locator('[data-id="notes"] textarea').fill(notes);
        await this.clickPhone('save');
    }

    /**
     * The admin sets options on Phone Setup's options tab (`values`: the fields' data-id -> text), saves and
     * waits for the saved notice; returns the options section for the caller's own checks.
     */
    async saveSetupOptions(values) {
        await this.page.locator('[data-id="nav-tab"][data-key="Phone_Setup"]').click();
        const setup = this.page.locator('c-phone-setup');
        await setup.locator('[role="tab"][data-section="options"]').click();
        const options = setup.locator('c-phone-setup-options');
        // the section shows the saved options once Apex answered
        await waitFor(
            async () =>
                (await options.locator('[data-id="defaultCountry"] input').inputValue()) !== '' || null,
            { what: 'the options read' }
        );
        for (const [dataId, value] of Object.entries(values)) {
            const input = options.locator(`[data-id="${dataId}"] input`);
            await input.fill(value);
            await input.dispatchEvent('change');
        }
        await options.locator('[data-id="save"]').click();
        await options.locator('c-phone-setup-status [data-id="notice"]').waitFor({ timeout: 15000 });
        return options;
    }

    async clickPhone(dataId) {
        const target = this.phone.locator(`[data-id="${dataId}"]`).first();
        // lightning-button renders a <button> inside; a plain button is the element itself
        const inner = target.locator('button').first();
        if ((await inner.count()) > 0) await inner.click();
        else await target.click();
    }

    // ---------------------------------------------------------------------------------------------------
    // The page area
    // ---------------------------------------------------------------------------------------------------

    /** The record the page area shows (its id and name), waiting for `name` when given. */
    async waitForRecordPage(name, timeout = 15000) {
        const heading = this.page.locator('wb-record-page [data-id="record-name"]', { hasText: name });
        await heading.waitFor({ timeout });
        return {
            id: await this.page
                .locator('wb-record-page [data-id="record-page"]')
                .getAttribute('data-record-id'),
            name: await heading.innerText()
        };
    }

    /** Opens a record from the home page's list by its name (minimising the phone panel that covers the list). */
    async openRecordFromHome(name) {
        await this.minimizePhone();
        await this.page.locator('[data-id="nav-tab"]', { hasText: 'Home' }).click();
        await this.page.locator('wb-record-list [data-id="record-link"]', { hasText: name }).first().click();
        return this.waitForRecordPage(name);
    }

    /** The call history entries of the record page (their subjects). */
    activities() {
        return this.page.locator('wb-record-page [data-id="activity"]');
    }

    // ---------------------------------------------------------------------------------------------------
    // The customer phone (the simulator's page at <simulator>/customer, in the iframe beside the app)
    // ---------------------------------------------------------------------------------------------------

    /** Registers the customer phone as `number` (E.164). */
    async customerConnect(number) {
        await this.customer
            .locator('[data-id="campaign"] option')
            .first()
            .waitFor({ state: 'attached', timeout: 20000 });
        await this.customer.locator('[data-id="my-number"]').fill(number);
        await this.customer.locator('[data-id="connect"]').click();
        await this.customer
            .locator('[data-id="line-status"]', { hasText: `Registered as ${number}` })
            .waitFor({ timeout: 20000 });
    }

    /** The customer calls a campaign (caller number: the customer's own unless given). */
    async customerCall({ campaign = 'cmp-support', callerNumber = '', callerName = '', ivrCode = '' } = {}) {
        await this.customer.locator('[data-id="campaign"]').selectOption(campaign);
        await this.customer.locator('[data-id="caller-number"]').fill(callerNumber);
        await this.customer.locator('[data-id="caller-name"]').fill(callerName);
        await this.customer.locator('[data-id="ivr-code"]').fill(ivrCode);
        await this.customer.locator('[data-id="call"]').click();
    }

    /**
     * Waits for the customer's latest call to be in one of `states` (JsSIP's session states as the page shows
     * them: new, progress, accepted, confirmed, ended, failed).
     */
    async customerCallState(states, timeout = 20000) {
        const wanted = Array.isArray(states) ? states : [states];
        const status = this.customer.locator('[data-id="call-status"]');
        await waitFor(async () => wanted.includes(await status.getAttribute('data-call-state')) || null, {
            what: `the customer's call ${wanted.join('/')}`,
            timeoutMs: timeout
        });
    }

    /**
     * Nobody is Ready: the customer (registered as `number`) calls `campaign`, the call waits in the queue (a
     * screenshot `screenshot` of it), and the customer hangs up there.
     */
    async customerHangsUpInQueue(
        number,
        { campaign = 'cmp-support', screenshot = 'caller-waiting-in-queue' } = {}
    ) {
        await this.customerConnect(number);
        await this.customerCall({ campaign });
        await waitFor(
            async () =>
                (await this.ui.env.control('GET', '/state')).calls.find(
                    (call) => call.callerNumber === number && call.state === 'queued'
                ) ?? null,
            { what: 'the call waiting in the queue (nobody is Ready)' }
        );
        await this.screenshot(screenshot);
        await this.customerHangup();
        await this.customerEnded();
    }

    /** Waits for an agent's call to ring at the customer. */
    async customerRinging(timeout = 20000) {
        await this.customer.locator('[data-id="incoming"]').waitFor({ state: 'visible', timeout });
    }

    /** The customer answers the call ringing there. */
    async customerAnswer() {
        await this.customerRinging();
        await this.customer.locator('[data-id="answer"]').click();
        await this.customerCallState('confirmed');
    }

    async customerHangup() {
        await this.customer.locator('[data-id="hangup"]').click();
    }

    /** Waits until the customer's call is over. */
    customerEnded(timeout = 20000) {
        return this.customerCallState(['ended', 'failed'], timeout);
    }

    /** What helps after a failure: the page's message-channel log, errors, the local org's Tasks. */
    async diagnostics() {
        const parts = [];
        try {
            const messages = await this.page.evaluate(() => window.workbench.messages());
            parts.push(
                `--- WebPhone channel messages ---\n${messages.map((m) => `${new Date(m.at).toISOString().slice(11, 23)} ${JSON.stringify(m.message)}`).join('\n')}`
            );
            const state = await this.page.evaluate(() => window.workbench.state());
            parts.push(
                `--- page ---\n${JSON.stringify(state.page)} tabs: ${state.tabs.map((t) => t.label).join(', ')}`
            );
        } catch (error) {
            parts.push(`(page state unavailable: ${error.message})`);
        }
        parts.push(`--- requests to the local org ---\n${this.requests.join('\n')}`);
        parts.push(
            `--- SIP over WebSocket (agent phone and customer panel) ---\n${summarizeTrace(this.trace, 30).join('\n\n')}`
        );
        parts.push(`--- page errors ---\n${this.errors.join('\n')}`);
        parts.push(`--- console errors ---\n${this.consoleErrors.slice(-30).join('\n')}`);
        const tasks = this.ui.org.db
            .all('Task')
            .map(
                (task) =>
                    `${task.Id} ${task.Subject} who=${task.WhoId} what=${task.WhatId} ${task.Interaction_Id__c} result=${task.CallDisposition} notes=${JSON.stringify(task.Description)}`
            );
        parts.push(`--- Tasks in the local org ---\n${tasks.join('\n')}`);
        parts.push(`--- local org log ---\n${this.ui.orgLog.slice(-40).join('\n')}`);
        return parts.join('\n');
    }

    /**
     * Runs a scenario; on failure a screenshot `failure.png` is saved and the diagnostics are appended to the
     * error (the simulator's SIP traces too, through the e2e harness).
     */
    async run(body) {
        try {
            await body();
        } catch (error) {
            await this.screenshot('failure').catch(() => undefined);
            let details = await this.diagnostics().catch((inner) => `(diagnostics failed: ${inner.message})`);
            details += `\n${await this.ui.env.diagnostics().catch(() => '')}`;
            // a new error: Playwright's keep their own message
            const failure = new Error(`${error.message}\n\n${details}`, { cause: error });
            failure.stack = `${failure.message}\n${(error.stack ?? '').split('\n').slice(1).join('\n')}`;
            throw failure;
        }
    }

    /** Errors the page threw (uncaught): a scenario ends by asserting there were none. */
    pageErrors() {
        return [...this.errors];
    }
}
