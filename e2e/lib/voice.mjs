// The Salesforce Voice e2e environment: the e2e harness's simulator with Kamailio (real clock, VoiceCall
// records sent to the workbench's telephony API), the workbench's local org (its Apex, as the utility-bar
// phone uses it), the Voice mode server (workbench/voice) and a softphone page served from a Salesforce
// origin: the base library accepts SETUP_CONNECTOR only from one, so Playwright routes
// https://ccphone-workbench.lightning.force.com to the workbench. The connector page in its frame is the
// real adapter page, on an https origin of its own (routed too), loading the shipped voiceConnector.js byte
// for byte; its SIP WebSocket goes to Kamailio on 127.0.0.1.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { Environment, ROOT, SEED, SIP_SECRET, waitFor } from './harness.mjs';
import { traceWebSockets } from './agent.mjs';

export const SALESFORCE_ORIGIN = 'https://ccphone-workbench.lightning.force.com';
/** Where the contact centre hosts its connector page (the adapter URL); https like a real one. */
export const CONNECTOR_ORIGIN = 'https://voice-connector.ccphone.test';
export const VOICE_CONNECTOR = path.join(ROOT, 'force-app/main/default/staticresources/voiceConnector.js');
export const SCREENSHOT_DIR = path.join(ROOT, 'e2e/screenshots');

/** Starts everything for one Voice test file. */
export async function startVoiceEnvironment() {
    if (!existsSync(VOICE_CONNECTOR)) {
        throw new Error('voiceConnector.js is missing: run node scripts/build.mjs --core-only');
    }
    const { startVoiceServer } = await tsImport('../../workbench/voice/voice-server.ts', import.meta.url);
    const log = [];
    const contactCentre = { url: '', apiKey: SEED.apiKey, tenantId: SEED.tenantId };
    const voice = await startVoiceServer({
        root: ROOT,
        port: 0,
        contactCentre,
        log: (line) => {
            log.push(line);
            if (log.length > 200) log.shift();
        }
    });
    let env;
    try {
        env = await Environment.start({ simulatorArgs: ['--telephony-url', voice.url] });
        contactCentre.url = env.sim.url;
        const { startWorkbenchStack } = await tsImport('../../workbench/server/stack.ts', import.meta.url);
        const stack = await startWorkbenchStack({
            root: ROOT,
            port: 0,
            simulator: env.sim,
            orgDataDir: null,
            sipSecret: SIP_SECRET,
            bundleDir: path.join(ROOT, 'build/workbench'),
            log: (line) => log.push(line)
        });
        voice.setWorkbenchUrl(stack.url);
        return new VoiceEnvironment(env, voice, stack, log);
    } catch (error) {
        await env?.close();
        await voice.close();
        throw error;
    }
}

export class VoiceEnvironment {
    constructor(env, voice, stack, log) {
        this.env = env;
        this.voice = voice;
        this.stack = stack;
        this.log = log;
    }

    /**
     * Opens the softphone (the agent is the workbench's user, agt-101) and waits for CONNECTOR_READY.
     * `browser`: another Chromium than the environment's headless one (the headed launcher).
     */
    async openSoftphone({ scenario, browser = this.env.browser } = {}) {
        // The connector page is on a public (routed) origin and its SIP edge on loopback: Chromium's Local
        // Network Access check asks for this permission (a real contact centre's wss host is public).
        const context = await browser.newContext({
            permissions: ['microphone', 'local-network-access']
        });
        this.env.contexts.push(context);
        const toWorkbench = async (route) => {
            const url = new URL(route.request().url());
            const response = await fetch(`${this.voice.url}${url.pathname}${url.search}`, {
                method: route.request().method(),
                headers: { 'Content-Type': 'application/json' },
                body: route.request().postData() ?? undefined
            });
            await route.fulfill({
                status: response.status,
                headers: { 'Content-Type': response.headers.get('content-type') ?? 'text/plain' },
                body: Buffer.from(await response.arrayBuffer())
            });
        };
        await context.route(`${SALESFORCE_ORIGIN}/**`, toWorkbench);
        await context.route(`${CONNECTOR_ORIGIN}/**`, toWorkbench);
        const page = await context.newPage();
        await page.setViewportSize({ width: 1400, height: 900 });
        const consoleLines = [];
        page.on('console', (message) => {
            consoleLines.push(`${message.type()}: ${message.text()}`);
            if (consoleLines.length > 200) consoleLines.shift();
        });
        page.on('frameattached', () => undefined);
        const trace = traceWebSockets(page);
        const connector = encodeURIComponent(`${CONNECTOR_ORIGIN}/voice/connector.html`);
        await page.goto(`${SALESFORCE_ORIGIN}/voice/softphone.html?connector=${connector}`);
        const softphone = new Softphone(page, consoleLines, trace, scenario);
        try {
            await waitFor(async () => ((await softphone.state()).connector === 'ready' ? true : null), {
                what: 'CONNECTOR_READY',
                timeoutMs: 20000
            });
        } catch (error) {
            const frames = page.frames().map((f) => f.url());
            error.message = `${error.message}\nframes: ${frames.join(', ')}\nconsole:\n${consoleLines.join('\n')}`;
            throw error;
        }
        return softphone;
    }

    async close() {
        await this.env.closePhones().catch(() => undefined);
        await this.stack.close().catch(() => undefined);
        await this.env.close();
        await this.voice.close();
    }
}

/** The softphone page: the host's state, its buttons, screenshots. */
export class Softphone {
    constructor(page, consoleLines, trace, scenario) {
        this.page = page;
        this.consoleLines = consoleLines;
        this.trace = trace;
        this.scenario = scenario;
        this.shots = 0;
    }

    state() {
        return this.page.evaluate(() => window.voiceHost.state());
    }

    telephonyEvents(type) {
        return this.page.evaluate((t) => window.voiceHost.telephonyEvents(t), type);
    }

    voiceCalls() {
        return this.page.evaluate(() => window.voiceHost.voiceCalls());
    }

    /** The connector's phone-core calls inside the frame (snapshots). */
    async phoneCalls() {
        const frame = this.page.frames().find((f) => f.url().includes('/voice/connector.html'));
        return frame.evaluate(async () => (await window.voiceConnector.getActiveCalls()).activeCalls);
    }

    async click(selector) {
        await this.page.locator(selector).first().click();
    }

    async setPresence(value) {
        await this.page.selectOption('#presence', value);
    }

    /** Waits until `predicate(state)` holds; returns the state. */
    waitForState(predicate, what, timeoutMs = 15000) {
        return waitFor(
            async () => {
                const state = await this.state();
                return predicate(state) ? state : null;
            },
            { what, timeoutMs }
        );
    }

    async screenshot(step) {
        if (!this.scenario) return;
        const dir = path.join(SCREENSHOT_DIR, this.scenario);
        await fs.mkdir(dir, { recursive: true });
        this.shots += 1;
        await this.page.screenshot({
            path: path.join(dir, `${String(this.shots).padStart(2, '0')}-${step}.png`)
        });
    }
}
