// Node side of the agent test page (e2e/agent/agent-page.js): opens it, starts the shipped SipPhone and
// reads SIP and media facts back.
import { waitFor } from './wait.mjs';

/**
 * Records every WebSocket frame of `page` (SIP messages) in a bounded list.
 * @param {import('playwright-core').Page} page
 */
export function traceWebSockets(page, max = 400) {
    const frames = [];
    const add = (direction, payload) => {
        const text = typeof payload === 'string' ? payload : payload.toString('utf8');
        frames.push(`${new Date().toISOString()} ${direction}\n${text}`);
        if (frames.length > max) frames.shift();
    };
    page.on('websocket', (socket) => {
        add('OPEN', socket.url());
        socket.on('framesent', (frame) => add('SENT', frame.payload));
        socket.on('framereceived', (frame) => add('RECV', frame.payload));
        socket.on('close', () => add('CLOSE', socket.url()));
    });
    return frames;
}

/** The first lines of each traced SIP message (start line + key headers), newest last. */
export function summarizeTrace(frames, last = 40) {
    return frames.slice(-last).map((frame) => {
        const lines = frame.split(/\r?\n/);
        const keep = lines.filter(
            (line, index) =>
                index <= 1 ||
                /^(Call-ID|CSeq|From|To|Authorization|Proxy-Authorization|WWW-Authenticate|Contact|Refer-To|Replaces|X-CC-[^:]+|Reason):/i.test(
                    line
                )
        );
        return keep.map((line) => (line.length > 300 ? `${line.slice(0, 300)}...` : line)).join('\n');
    });
}

export class Agent {
    constructor(page, agentId) {
        this.page = page;
        this.agentId = agentId;
        /** SIP over the WebSocket as the browser sent and received it (the trace for reports). */
        this.trace = traceWebSockets(page);
    }

    /**
     * @param {import('playwright-core').BrowserContext} context
     * @param {{ pageUrl: string, apiUrl: string, apiKey: string, tenantId: string, agentId: string,
     *   phoneOptions?: object, presetCredentials?: object[], tabElection?: boolean, start?: boolean,
     *   logLevel?: string }} options
     */
    static async open(context, options) {
        const page = await context.newPage();
        await page.goto(options.pageUrl);
        await page.waitForFunction(
            () => window.agentReady === true && typeof window.WebphoneCore === 'object'
        );
        const agent = new Agent(page, options.agentId);
        agent.options = options;
        if (options.start !== false) await agent.start();
        return agent;
    }

    start() {
        const { pageUrl: _pageUrl, context: _context, start: _start, ...options } = this.options;
        return this.page.evaluate((startOptions) => window.agent.start(startOptions), options);
    }

    state() {
        return this.page.evaluate(() => window.agent.state());
    }

    stats() {
        return this.page.evaluate(() => window.agent.stats());
    }

    sipLog(lines = 120) {
        return this.page.evaluate((n) => window.agent.sipLog(n), lines);
    }

    /** Runs a SipPhone command (here or, in a follower tab, through the leader). */
    command(name, ...args) {
        return this.page.evaluate(
            ([commandName, commandArgs]) => window.agent.command(commandName, ...commandArgs),
            [name, args]
        );
    }

    async waitForRegistration(state = 'Registered', timeoutMs = 20000) {
        return waitFor(
            async () => {
                const current = await this.state();
                return current.registrationState === state ? current : null;
            },
            { what: `${this.agentId} registration ${state}`, timeoutMs }
        );
    }

    /** Waits for a ringing inbound call; resolves with its snapshot. */
    async waitForRinging(timeoutMs = 20000) {
        return waitFor(
            async () =>
                (await this.state()).calls.find(
                    (call) => call.state === 'Ringing' && call.direction === 'Inbound'
                ),
            { what: `a call ringing at ${this.agentId}`, timeoutMs }
        );
    }

    /** Waits until call `id` reaches `state` (or, with `state` 'Ended', is gone). */
    async waitForCallState(id, state, timeoutMs = 20000) {
        return waitFor(
            async () => {
                const current = await this.state();
                const call = current.calls.find((c) => c.id === id);
                if (state === 'Ended')
                    return call ? null : (current.ended.find((e) => e.id === id) ?? { id });
                return call && call.state === state ? call : null;
            },
            { what: `call ${id} at ${this.agentId} in ${state}`, timeoutMs }
        );
    }

    async close() {
        try {
            await this.page.evaluate(() => window.agent.stop());
        } catch {
            // page gone
        }
        await this.page.close().catch(() => undefined);
    }
}
