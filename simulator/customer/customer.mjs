// Node API of the customer's phone (page.js on JsSIP) for tests and benchmarks: the page is bundled with
// esbuild, served by whoever hosts it (see `customerAssets()`), opened in a Playwright browser context
// and driven through `window.customer`. The same bundle is the simulator's page for people (`/customer`,
// customer-app.html + ui.js).
//
//   const customer = await Customer.open(context, { pageUrl, wsUrl, user: '+48600700800', secret, simulatorUrl });
//   await customer.call({ campaign: 'cmp-support', callerNumber: '+48600700800', ivrCode: '123' });
//   await customer.waitForStatus(['confirmed']);  (await customer.stats()).bytesReceived > 0
//   await customer.hangup();  (await customer.recording()).state === 'uploaded'  (with simulatorUrl)
import { build } from 'esbuild';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

/**
 * Ephemeral SIP credentials in Kamailio auth_ephemeral's scheme: username `<expiry unix s>:<user>`,
 * password base64(HMAC-SHA1(secret, username)).
 * @param {string} secret
 * @param {string} user
 * @param {number} expiresAtMs
 */
export function ephemeralCredentials(secret, user, expiresAtMs) {
    const username = `${Math.floor(expiresAtMs / 1000)}:${user}`;
    return { username, password: createHmac('sha1', secret).update(username).digest('base64') };
}

let assets;

/**
 * The customer page's files as `Map<path, { type, body }>`, built once per process: `customer.html`
 * (the bare page tests drive), `customer.js` (page.js with JsSIP, bundled) and `customer-app.html` (the
 * form for people; it loads the bundle from `/customer/customer.js`, where the simulator serves it).
 */
export async function customerAssets() {
    if (!assets) {
        const result = await build({
            entryPoints: [path.join(here, 'page.js')],
            bundle: true,
            write: false,
            format: 'iife',
            platform: 'browser',
            target: ['chrome110'],
            absWorkingDir: root,
            logLevel: 'error',
            define: { 'process.env.NODE_ENV': '"production"' }
        });
        const js = result.outputFiles[0].text;
        const html =
            '<!doctype html><html><head><meta charset="utf-8"><title>Customer phone</title></head>' +
            '<body><h1>Customer phone (JsSIP)</h1><script src="customer.js"></script></body></html>';
        const app = readFileSync(path.join(here, 'customer-app.html'), 'utf8');
        assets = new Map([
            ['/customer.html', { type: 'text/html; charset=utf-8', body: html }],
            ['/customer.js', { type: 'text/javascript; charset=utf-8', body: js }],
            ['/customer-app.html', { type: 'text/html; charset=utf-8', body: app }]
        ]);
    }
    return assets;
}

/** A customer's phone in one browser page. */
export class Customer {
    /** @param {import('playwright-core').Page} page @param {string} domain */
    constructor(page, domain, user) {
        this.page = page;
        this.domain = domain;
        this.user = user;
    }

    /**
     * Opens the page in `context` and starts the phone.
     * @param {import('playwright-core').BrowserContext} context
     * @param {{ pageUrl: string, wsUrl: string, user: string, secret: string, domain?: string,
     *   displayName?: string, register?: boolean, ttlSeconds?: number, simulatorUrl?: string,
     *   record?: boolean, onPage?: (page: import('playwright-core').Page) => void }} options
     *   `simulatorUrl`: the simulator's base URL; answered calls are then recorded in the page (both
     *   voices) and uploaded there when they end (`record: false` turns it off). `onPage` sees the page
     *   before it loads (e.g. to trace its WebSocket frames)
     */
    static async open(context, options) {
        const domain = options.domain ?? '127.0.0.1';
        const page = await context.newPage();
        options.onPage?.(page);
        await page.goto(options.pageUrl);
        await page.waitForFunction(() => window.customerReady === true);
        const credentials = ephemeralCredentials(
            options.secret,
            options.user,
            Date.now() + (options.ttlSeconds ?? 900) * 1000
        );
        await page.evaluate((start) => window.customer.start(start), {
            wsUrl: options.wsUrl,
            uri: `sip:${options.user}@${domain}`,
            username: credentials.username,
            password: credentials.password,
            displayName: options.displayName ?? null,
            register: options.register !== false,
            domain,
            simulatorUrl: options.simulatorUrl ?? null,
            record: options.record !== false
        });
        return new Customer(page, domain, options.user);
    }

    /**
     * Calls a campaign (or any SIP user with `target`).
     * @param {{ campaign?: string, target?: string, callerNumber?: string, ivrCode?: string,
     *   displayName?: string, extraHeaders?: string[] }} options
     * @returns {Promise<{ id: number, callId: string | null }>}
     */
    call(options) {
        const target = options.target ?? options.campaign;
        if (!target) throw new Error('customer.call needs campaign or target');
        return this.page.evaluate((call) => window.customer.call(call), {
            target,
            callerNumber: options.callerNumber ?? null,
            ivrCode: options.ivrCode ?? null,
            displayName: options.displayName ?? null,
            extraHeaders: options.extraHeaders ?? []
        });
    }

    /** Answers the next call that rings here (an agent's outbound call, a transfer back). */
    answerNext(timeoutMs = 15000) {
        return this.page.evaluate((ms) => window.customer.answerNext(ms), timeoutMs);
    }

    /** Rejects the next call that rings here with `status` (default 486). */
    rejectNext(status = 486, timeoutMs = 15000) {
        return this.page.evaluate(([code, ms]) => window.customer.rejectNext(code, ms), [status, timeoutMs]);
    }

    /**
     * Waits until a session (default: the latest) is in one of `statuses`
     * (new, progress, accepted, confirmed, ended, failed).
     */
    waitForStatus(statuses, timeoutMs = 15000, id) {
        return this.page.evaluate(
            ([list, ms, sessionId]) => window.customer.waitForStatus(list, ms, sessionId),
            [statuses, timeoutMs, id ?? null]
        );
    }

    /** Hangs up the active call (or session `id`). */
    hangup(id) {
        return this.page.evaluate((sessionId) => window.customer.hangup(sessionId), id ?? null);
    }

    /** Sends DTMF (SIP INFO) on the active call. */
    sendDtmf(tones) {
        return this.page.evaluate((digits) => window.customer.sendDtmf(digits), tones);
    }

    /** getStats facts of the active/latest call: bytes and packets both ways, transceiver directions. */
    stats(id) {
        return this.page.evaluate((sessionId) => window.customer.stats(sessionId), id ?? null);
    }

    /**
     * The customer-side recording of session `id` (default: the latest recorded call), or null:
     * `{ state: recording|stopping|uploading|uploaded|failed|skipped, mimeType, durationMs, bytes,
     * levels: { local, remote } (highest RMS heard per side), upload: the simulator's answer, error }`.
     */
    recording(id) {
        return this.page.evaluate((sessionId) => window.customer.recording(sessionId), id ?? null);
    }

    /**
     * Fetches an audio file in the page and decodes it there (AudioContext.decodeAudioData):
     * `{ durationSeconds, sampleRate, channels, rms, peak, contentType }`.
     */
    analyseAudio(url, headers = {}) {
        return this.page.evaluate(
            ([audioUrl, audioHeaders]) => window.customer.analyseAudio(audioUrl, audioHeaders),
            [url, headers]
        );
    }

    /** SIP facts: responses, sessions, received DTMF, registration. */
    snapshot() {
        return this.page.evaluate(() => window.customer.snapshot());
    }

    /** The status code of the last SIP response to one of our requests. */
    async lastResponseCode() {
        return (await this.snapshot()).lastResponseCode;
    }

    /** Received DTMF tones (SIP INFO), concatenated. */
    async dtmfReceived() {
        return (await this.snapshot()).dtmf;
    }

    /** Stops the phone and closes the page. */
    async close() {
        try {
            await this.page.evaluate(() => window.customer.stop());
        } catch {
            // page already gone
        }
        await this.page.close().catch(() => undefined);
    }
}
