#!/usr/bin/env node
// Screen pop in the workbench (the real LWC phone, the local org, real calls through the simulator and
// Kamailio into Chromium): from the INVITE reaching the browser to the caller card painted with the matched
// record (Jan Kowalski, stored as 600-700-800), p50 and p95 over N calls, and the Apex calls made per pop.
// Each call is cancelled by the caller once the card is painted. Prints figures, asserts nothing about time.
// Run alone: node bench/screen-pop.mjs [--calls N] [--json]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

export async function run({ calls = 50, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
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
        const pops = await agent.page.evaluate(() => window.popClock.pops());
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
    } finally {
        await ui.close();
    }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
    const args = process.argv.slice(2);
    const index = args.indexOf('--calls');
    const result = await run({ calls: index >= 0 ? Number(args[index + 1]) : 50 });
    console.log(
        `screen pop (workbench, ${result.calls} calls): p50 ${result.p50} ms, p95 ${result.p95} ms, max ${result.max} ms; ` +
            `Apex round trips per pop ${result.apexPerPop.min}-${result.apexPerPop.max} (${result.apexMethods.join(', ')})`
    );
    if (args.includes('--json')) console.log(JSON.stringify(result, null, 2));
}
