// The e2e environment: the simulator with Kamailio (a child process on free loopback ports), a static
// server for the agent and customer pages, and Debian's Chromium through playwright-core with fake
// media devices. Everything listens on 127.0.0.1 and is torn down in `close()` (also on test failure:
// register `after(() => env.close())`, and the process-exit hook kills what is left).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promises as fs, existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { Customer, customerAssets, ephemeralCredentials } from '../../simulator/customer/customer.mjs';
import { Agent, summarizeTrace, traceWebSockets } from './agent.mjs';
import { waitFor } from './wait.mjs';

export { waitFor };

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const STATIC_RESOURCE = path.join(ROOT, 'force-app/main/default/staticresources/webphoneCore.js');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const SEED = {
    tenantId: 'acme-test',
    apiKey: 'sim_test_4f3c2a1b9d8e7f60a1b2c3d4'
};
/** The simulator's default shared SIP secret (config.sip.secret); the harness issues test credentials with it. */
export const SIP_SECRET = process.env.SIM_SIP_SECRET || 'ccphone-local-sip-secret';

/** Chromium flags from TOOLCHAIN.md ("Real calls on this machine"). */
export const CHROMIUM_ARGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    '--autoplay-policy=no-user-gesture-required',
    // Without it WebRTC ignores the loopback interface: on a machine whose only interface is lo (a CI
    // sandbox without network) no ICE candidate exists and no audio flows. Verified with `unshare -n`.
    '--allow-loopback-in-peer-connection'
];

const live = new Set();
process.once('exit', () => {
    for (const child of live) {
        try {
            process.kill(-child.pid, 'SIGKILL');
        } catch {
            // gone
        }
    }
});

/** Kills `child`'s process group when this process exits (a run interrupted before close()). */
export function killOnExit(child) {
    live.add(child);
}

/** Checks the prerequisites and says exactly what is missing. */
export function checkPrerequisites() {
    const problems = [];
    if (!existsSync(CHROMIUM))
        problems.push(
            `Chromium not found at ${CHROMIUM}: run e2e/install-deps.sh (apt-get install -y chromium)`
        );
    if (!existsSync('/usr/sbin/kamailio')) problems.push('Kamailio not installed: run e2e/install-deps.sh');
    if (!existsSync(STATIC_RESOURCE))
        problems.push(
            `${path.relative(ROOT, STATIC_RESOURCE)} is missing: run node scripts/build.mjs --core-only`
        );
    return problems;
}

/** Starts the simulator with Kamailio as a child process; resolves with its READY line. */
async function startSimulatorProcess(extraArgs, extraEnv = {}) {
    const args = [
        '--import',
        'tsx',
        path.join(ROOT, 'simulator/src/sip/main.ts'),
        '--in-memory',
        '--port',
        '0',
        '--kamailio-control',
        ...extraArgs
    ];
    const child = spawn(process.execPath, args, {
        cwd: ROOT,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, SIM_SIP_SECRET: SIP_SECRET, ...extraEnv }
    });
    live.add(child);
    const output = [];
    const ready = await new Promise((resolve, reject) => {
        const timer = setTimeout(
            () => reject(new Error(`simulator did not start:\n${output.join('')}`)),
            60000
        );
        const onData = (chunk) => {
            const text = chunk.toString('utf8');
            output.push(text);
            if (output.length > 400) output.shift();
            const line = output
                .join('')
                .split('\n')
                .find((l) => l.startsWith('SIMULATOR_READY '));
            if (line) {
                clearTimeout(timer);
                resolve(JSON.parse(line.slice('SIMULATOR_READY '.length)));
            }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', (chunk) => output.push(chunk.toString('utf8')));
        child.once('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`simulator exited with ${code}:\n${output.join('')}`));
        });
    });
    return { child, ready, output };
}

/** SIGTERM, then SIGKILL to the process group after 8 s; resolves once `child` exited. */
export async function stopProcess(child) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
        try {
            process.kill(-child.pid, 'SIGKILL');
        } catch {
            // gone
        }
    }, 8000);
    await exited;
    clearTimeout(timer);
    live.delete(child);
}

/** Serves the agent page, the shipped static resource, the customer page and extra assets. */
export async function startStaticServer(extra = new Map()) {
    const files = new Map(await customerAssets());
    files.set('/agent.html', {
        type: 'text/html; charset=utf-8',
        file: path.join(ROOT, 'e2e/agent/agent.html')
    });
    for (const script of ['agent-page.js', 'invite-clock.js']) {
        files.set(`/${script}`, {
            type: 'text/javascript; charset=utf-8',
            file: path.join(ROOT, 'e2e/agent', script)
        });
    }
    // The EXACT file that ships in the package, read as it is on disk.
    files.set('/static/webphoneCore.js', { type: 'text/javascript; charset=utf-8', file: STATIC_RESOURCE });
    for (const [key, value] of extra) files.set(key, value);
    const server = http.createServer(async (request, response) => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        const entry = files.get(url.pathname);
        if (!entry) {
            response.writeHead(404).end('not found');
            return;
        }
        try {
            const body = entry.file ? await fs.readFile(entry.file) : entry.body;
            response.writeHead(200, { 'Content-Type': entry.type, 'Cache-Control': 'no-store' }).end(body);
        } catch (error) {
            response.writeHead(500).end(String(error));
        }
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, url: `http://127.0.0.1:${server.address().port}` };
}

/** One e2e environment: simulator + Kamailio, pages, Chromium. */
export class Environment {
    /**
     * @param {{ simulatorArgs?: string[], simulatorEnv?: Record<string, string>, extraAssets?: Map<string, object> }} [options]
     */
    static async start(options = {}) {
        const problems = checkPrerequisites();
        if (problems.length > 0) throw new Error(`e2e prerequisites missing:\n  ${problems.join('\n  ')}`);
        const env = new Environment();
        try {
            env.staticServer = await startStaticServer(options.extraAssets);
            const simulator = await startSimulatorProcess(
                options.simulatorArgs ?? ['--manual-clock'],
                options.simulatorEnv
            );
            env.simulatorProcess = simulator.child;
            env.simulatorOutput = simulator.output;
            env.sim = simulator.ready;
            // playwright's launch() gives the browser a new empty user-data-dir of its own (removed on close).
            env.browser = await chromium.launch({
                executablePath: CHROMIUM,
                args: CHROMIUM_ARGS,
                headless: true
            });
        } catch (error) {
            await env.close();
            throw error;
        }
        return env;
    }

    constructor() {
        this.agents = [];
        this.customers = [];
        this.contexts = [];
        this.sim = null;
    }

    /** The page server's base URL. */
    get pagesUrl() {
        return this.staticServer.url;
    }

    /** sha256 of the static resource under test (printed by the runner). */
    static resourceFingerprint() {
        const data = readFileSync(STATIC_RESOURCE);
        return { bytes: data.length, sha256: createHash('sha256').update(data).digest('hex').slice(0, 16) };
    }

    /** Calls the contact-centre API with the sample tenant's key. */
    async api(method, apiPath, body) {
        const response = await fetch(`${this.sim.url}${apiPath}`, {
            method,
            headers: {
                'Content-Type': 'application/json',
                'X-Api-Key': SEED.apiKey,
                'X-Tenant-Id': SEED.tenantId
            },
            body: body === undefined ? undefined : JSON.stringify(body)
        });
        const text = await response.text();
        const json = text ? JSON.parse(text) : null;
        if (!response.ok) throw new Error(`${method} ${apiPath}: HTTP ${response.status} ${text}`);
        return json;
    }

    /** The simulator's /_sim control API. */
    async control(method, controlPath, body) {
        const response = await fetch(`${this.sim.url}/_sim${controlPath}`, {
            method,
            headers: { 'Content-Type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body)
        });
        const text = await response.text();
        if (!response.ok) throw new Error(`${method} /_sim${controlPath}: HTTP ${response.status} ${text}`);
        return text ? JSON.parse(text) : null;
    }

    /** Moves the simulator's manual clock. */
    advanceClock(ms) {
        return this.control('POST', '/clock/advance', { ms });
    }

    setStatus(agentId, status) {
        return this.api('PUT', `/v1/agents/${agentId}/status`, { status });
    }

    status(agentId) {
        return this.api('GET', `/v1/agents/${agentId}/status`);
    }

    /** Ended calls (GET /v1/calls). */
    async calls(query = '') {
        return (await this.api('GET', `/v1/calls${query}`)).items;
    }

    call(interactionId) {
        return this.api('GET', `/v1/calls/${interactionId}`);
    }

    /** Kamailio: 'kill' (SIGKILL, a crash), 'stop', 'start', or undefined for its state. */
    async kamailio(action) {
        const response = await fetch(`${this.sim.controlUrl}${action ? `/${action}` : ''}`, {
            method: action ? 'POST' : 'GET'
        });
        if (!response.ok)
            throw new Error(`kamailio ${action}: HTTP ${response.status} ${await response.text()}`);
        return response.json();
    }

    /** Contacts Kamailio has registered for `user`. */
    async contacts(user) {
        const response = await fetch(`${this.sim.controlUrl}/contacts/${encodeURIComponent(user)}`);
        if (!response.ok)
            throw new Error(`contacts ${user}: HTTP ${response.status} ${await response.text()}`);
        return (await response.json()).contacts;
    }

    async newContext() {
        const context = await this.browser.newContext({ permissions: ['microphone'] });
        this.contexts.push(context);
        return context;
    }

    /**
     * Opens an agent page (in `context`, default: a new one) and starts its phone.
     * @param {{ agentId: string, context?: object, phoneOptions?: object, presetCredentials?: object[],
     *   tabElection?: boolean, start?: boolean }} options
     */
    async newAgent(options) {
        const context = options.context ?? (await this.newContext());
        const agent = await Agent.open(context, {
            pageUrl: `${this.pagesUrl}/agent.html`,
            apiUrl: this.sim.url,
            apiKey: SEED.apiKey,
            tenantId: SEED.tenantId,
            ...options
        });
        this.agents.push(agent);
        return agent;
    }

    /** Opens a customer phone registered as `user` (a phone number). */
    async newCustomer(options) {
        const context = options.context ?? (await this.newContext());
        let trace = [];
        const customer = await Customer.open(context, {
            pageUrl: `${this.pagesUrl}/customer.html`,
            wsUrl: this.sim.wsUrl,
            secret: SIP_SECRET,
            domain: this.sim.sipDomain,
            // every answered call uploads the customer leg's recording, as on the /customer page
            simulatorUrl: this.sim.url,
            onPage: (page) => {
                trace = traceWebSockets(page);
            },
            ...options
        });
        customer.trace = trace;
        this.customers.push(customer);
        return customer;
    }

    /** Credentials Kamailio accepts (or not: `expiresAtMs` in the past, a wrong `secret`). */
    credentials(user, { expiresAtMs = Date.now() + 600000, secret = SIP_SECRET } = {}) {
        const { username, password } = ephemeralCredentials(secret, user, expiresAtMs);
        return { authorizationUsername: username, authorizationPassword: password };
    }

    /** Everything useful after a failure: agents' SIP logs, customers' SIP facts, the simulator's output. */
    async diagnostics() {
        const parts = [];
        for (const agent of this.agents) {
            try {
                parts.push(
                    `--- agent ${agent.agentId} state ---\n${JSON.stringify(await agent.state(), null, 1).slice(0, 6000)}`
                );
                parts.push(
                    `--- agent ${agent.agentId} SIP trace (WebSocket frames) ---\n${summarizeTrace(agent.trace).join('\n\n')}`
                );
            } catch (error) {
                parts.push(`--- agent ${agent.agentId}: ${error.message}`);
            }
        }
        for (const customer of this.customers) {
            try {
                parts.push(
                    `--- customer ${customer.user} ---\n${JSON.stringify(await customer.snapshot(), null, 1).slice(0, 6000)}`
                );
                if (customer.trace)
                    parts.push(
                        `--- customer ${customer.user} SIP trace ---\n${summarizeTrace(customer.trace, 25).join('\n\n')}`
                    );
            } catch (error) {
                parts.push(`--- customer ${customer.user}: ${error.message}`);
            }
        }
        try {
            parts.push(`--- kamailio ---\n${JSON.stringify(await this.kamailio())}`);
        } catch (error) {
            parts.push(`--- kamailio: ${error.message}`);
        }
        parts.push(`--- simulator output ---\n${this.simulatorOutput.join('').slice(-4000)}`);
        return parts.join('\n');
    }

    /** Closes pages (agents unregister), then the browser, simulator + Kamailio and the page server. */
    async closePhones() {
        await Promise.all(this.agents.map((agent) => agent.close().catch(() => undefined)));
        await Promise.all(this.customers.map((customer) => customer.close().catch(() => undefined)));
        this.agents = [];
        this.customers = [];
        await Promise.all(this.contexts.map((context) => context.close().catch(() => undefined)));
        this.contexts = [];
    }

    async close() {
        await this.closePhones().catch(() => undefined);
        if (this.browser) await this.browser.close().catch(() => undefined);
        if (this.simulatorProcess) await stopProcess(this.simulatorProcess);
        if (this.staticServer) await new Promise((resolve) => this.staticServer.server.close(resolve));
    }
}

/**
 * Runs a scenario body; on failure appends the environment's diagnostics (SIP traces) to the error.
 * @param {Environment} env
 * @param {() => Promise<void>} body
 */
export async function withDiagnostics(env, body) {
    try {
        await body();
    } catch (error) {
        let diagnostics = '';
        try {
            diagnostics = await env.diagnostics();
        } catch (inner) {
            diagnostics = `(diagnostics failed: ${inner.message})`;
        }
        if (process.env.E2E_DIAGNOSTICS_DIR) {
            await fs.mkdir(process.env.E2E_DIAGNOSTICS_DIR, { recursive: true });
            const file = path.join(process.env.E2E_DIAGNOSTICS_DIR, `failure-${Date.now()}.txt`);
            await fs.writeFile(file, `${error.stack}\n\n${diagnostics}`);
        }
        error.message = `${error.message}\n\n${diagnostics}`;
        throw error;
    }
}
