#!/usr/bin/env node
// Screen pop: from the INVITE reaching the browser to the caller card painted with the matched record
// (Jan Kowalski), p50 and p95 over N calls, and the Apex round trips the card waited on; real calls through
// the simulator and Kamailio into Chromium, each cancelled by the caller once the card is painted.
//  - workbench: the real LWC phone against the local org (the caller stored as 600-700-800);
//  - e2e page: the shipped static resource's PhoneSession with Apex-like host ports (screen-pop/session-page.js).
// Timing in the page: screen-pop/pop-clock.js. Prints figures, asserts nothing about time.
// Run alone: node bench/screen-pop.mjs [--calls N] [--only workbench|e2e] [--json]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Environment, SEED } from '../e2e/lib/harness.mjs';
import { startUiEnvironment, waitFor } from '../workbench/test/ui-harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CALLER = '+48600700800';
const RECORD_NAME = 'Jan Kowalski';

export function percentile(values, q) {
    const sorted = [...values].sort((a, b) => a - b);
    if (sorted.length === 0) return null;
    return +sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)].toFixed(1);
}

/** Ready again on the phone and in the contact centre after a cancelled call. */
async function readyAgain(ui, agent) {
    await waitFor(async () => (await agent.phone.locator('[data-id="incoming"]').count()) === 0, {
        what: 'the ringing call gone from the phone'
    });
    if (!/Ready/.test(await agent.statusText())) {
        await agent.chooseStatus('Ready');
        await agent.waitForStatus('Ready');
    }
    await waitFor(async () => (await ui.env.status('agt-101')).status === 'Ready', {
        what: 'agt-101 Ready in the contact centre'
    });
}

function summary(pops) {
    const times = pops.map((p) => p.ms);
    const awaited = pops.map((p) => p.awaited.length);
    return {
        calls: pops.length,
        p50: percentile(times, 0.5),
        p95: percentile(times, 0.95),
        max: percentile(times, 1),
        // Apex calls in flight until the caller lookup answered (the round trips the card waited on)
        apexPerPop: { min: Math.min(...awaited), max: Math.max(...awaited) },
        apexMethods: [...new Set(pops.flatMap((p) => p.awaited))],
        // every Apex call started between the INVITE and the painted card
        apexStartedMethods: [...new Set(pops.flatMap((p) => p.apex))]
    };
}

const defaultLog = (line) => process.stderr.write(`${line}\n`);

/** The workbench: the real LWC phone and the local org. */
export async function runWorkbench({ calls = 50, log = defaultLog } = {}) {
    const ui = await startUiEnvironment();
    try {
        const agent = await ui.openAgent('bench-screen-pop', {
            initScripts: [
                { path: path.join(root, 'e2e/agent/invite-clock.js') },
                { path: path.join(root, 'bench/screen-pop/pop-clock.js') }
            ]
        });
        await agent.run(async () => {
            await agent.goReadyWithCustomer(CALLER);
            for (let i = 0; i < calls; i++) {
                await agent.page.evaluate((name) => window.popClock.arm(name), RECORD_NAME);
                await agent.customerCall({ campaign: 'cmp-support', callerNumber: CALLER });
                await waitFor(
                    async () => (await agent.page.evaluate(() => window.popClock.pops().length)) > i || null,
                    { what: `screen pop ${i + 1}`, timeoutMs: 20000 }
                );
                await agent.customerHangup();
                await agent.customerEnded();
                await readyAgain(ui, agent);
                if ((i + 1) % 10 === 0) log(`  screen pop: ${i + 1} of ${calls} calls`);
            }
        });
        return summary(await agent.page.evaluate(() => window.popClock.pops()));
    } finally {
        await ui.close();
    }
}

/** The real-call e2e page: the shipped PhoneSession, lookup answered by the page server. */
export async function runE2ePage({ calls = 50, log = defaultLog } = {}) {
    const file = (name) => ({ type: 'text/javascript; charset=utf-8', file: path.join(root, name) });
    const html =
        '<!doctype html><html><head><meta charset="utf-8"><title>screen pop (e2e)</title></head><body>' +
        '<div data-id="incoming" hidden><h2 data-id="name"></h2></div>' +
        '<script src="/invite-clock.js"></script><script src="/bench/pop-clock.js"></script>' +
        '<script src="/static/webphoneCore.js"></script><script src="/bench/session-page.js"></script></body></html>';
    const contact = {
        id: '003000000000001AAA',
        objectType: 'Contact',
        name: RECORD_NAME,
        subtitle: 'Kowalski Logistics'
    };
    const env = await Environment.start({
        extraAssets: new Map([
            ['/bench/session.html', { type: 'text/html; charset=utf-8', body: html }],
            ['/bench/pop-clock.js', file('bench/screen-pop/pop-clock.js')],
            ['/bench/session-page.js', file('bench/screen-pop/session-page.js')],
            [
                '/apex/CallerLookupController/findCallers',
                { type: 'application/json', body: JSON.stringify([contact]) }
            ]
        ])
    });
    try {
        const agentId = 'agt-101';
        const page = await (await env.newContext()).newPage();
        await page.goto(`${env.pagesUrl}/bench/session.html`);
        await page.waitForFunction(() => window.sessionPageReady === true);
        await page.evaluate((options) => window.sessionPage.start(options), {
            apiUrl: env.sim.url,
            apiKey: SEED.apiKey,
            tenantId: SEED.tenantId,
            agentId
        });
        const pageState = () => page.evaluate(() => window.sessionPage.state());
        await waitFor(async () => (await pageState())?.registration === 'Registered' || null, {
            what: 'the e2e page registered'
        });
        const customer = await env.newCustomer({ user: CALLER });
        for (let i = 0; i < calls; i++) {
            await page.evaluate(() => window.sessionPage.setStatus('Ready'));
            await waitFor(async () => (await env.status(agentId)).status === 'Ready', {
                what: `${agentId} Ready in the contact centre`
            });
            await page.evaluate((name) => window.popClock.arm(name), RECORD_NAME);
            const call = await customer.call({ campaign: 'cmp-hotline', callerNumber: CALLER });
            await waitFor(
                async () => (await page.evaluate(() => window.popClock.pops().length)) > i || null,
                {
                    what: `screen pop ${i + 1}`,
                    timeoutMs: 20000
                }
            );
            await customer.hangup(call.id);
            await customer.waitForStatus(['ended', 'failed'], 20000, call.id);
            await waitFor(async () => (await pageState())?.incoming === null || null, {
                what: 'the ringing call gone from the e2e page'
            });
            if ((i + 1) % 10 === 0) log(`  screen pop (e2e page): ${i + 1} of ${calls} calls`);
        }
        return summary(await page.evaluate(() => window.popClock.pops()));
    } finally {
        await env.close();
    }
}

export function describe(name, result) {
    return (
        `screen pop (${name}, ${result.calls} calls): p50 ${result.p50} ms, p95 ${result.p95} ms, max ${result.max} ms; ` +
        `Apex round trips per pop ${result.apexPerPop.min}-${result.apexPerPop.max} (${result.apexMethods.join(', ')})`
    );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
    const args = process.argv.slice(2);
    const option = (name) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
    const calls = Number(option('calls') ?? 50);
    const results = {};
    if (option('only') !== 'e2e') results.workbench = await runWorkbench({ calls });
    if (option('only') !== 'workbench') results.e2ePage = await runE2ePage({ calls });
    for (const [name, result] of Object.entries(results)) console.log(describe(name, result));
    if (args.includes('--json')) console.log(JSON.stringify(results, null, 2));
}
