#!/usr/bin/env node
// `npm run bench:calls`: real calls through the simulator + Kamailio into headless Chromium. Prints
// figures, asserts nothing about time (shared machines make that flaky):
//  - INVITE -> established and answer -> first audio packet (inbound-rtp) for the shipped phone
//    (force-app/.../staticresources/webphoneCore.js) beside a bare sip.js page in the same run, and the ratio;
//  - from loading the static resource to Registered;
//  - the agent page's JS heap (CDP Runtime.getHeapUsage after a forced GC) after 10 and after 200 calls.
// Options: --calls N (timed calls per phone, default 20), --heap-calls N (default 200), --json.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Environment, SEED, waitFor } from '../e2e/lib/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CAMPAIGN = 'cmp-hotline'; // wrap time 0: the agent is Ready again right after each call

async function bareSipJsAssets() {
    const result = await build({
        entryPoints: [path.join(root, 'bench/calls/sipjs-page.js')],
        bundle: true,
        write: false,
        format: 'iife',
        platform: 'browser',
        target: ['chrome110'],
        minify: true,
        absWorkingDir: root,
        logLevel: 'error'
    });
    const html =
        '<!doctype html><html><head><meta charset="utf-8"><title>bare sip.js</title></head><body>' +
        '<script src="/bench/sipjs.js"></script></body></html>';
    return new Map([
        ['/bench/sipjs.html', { type: 'text/html; charset=utf-8', body: html }],
        ['/bench/sipjs.js', { type: 'text/javascript; charset=utf-8', body: result.outputFiles[0].text }]
    ]);
}

function stats(values) {
    const sorted = values.filter((v) => typeof v === 'number').sort((a, b) => a - b);
    if (sorted.length === 0) return { n: 0, median: null, p90: null, min: null, max: null };
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    const round = (v) => +v.toFixed(1);
    return {
        n: sorted.length,
        median: round(at(0.5)),
        p90: round(at(0.9)),
        min: round(sorted[0]),
        max: round(sorted.at(-1))
    };
}

/** One call from `customer` into the campaign, answered by the agent's auto-answer; returns when it ended. */
async function oneCall(customer, readCount, expected) {
    const session = await customer.call({ campaign: CAMPAIGN, callerNumber: customer.user });
    await customer.waitForStatus(['confirmed'], 20000, session.id);
    await waitFor(async () => (await readCount()) >= expected, { what: 'the call timing', timeoutMs: 20000 });
    await customer.hangup(session.id);
    await customer.waitForStatus(['ended', 'failed'], 20000, session.id);
}

/** Sets agent statuses once the previous call's hang-up reached the ACD. */
async function route(env, ready, notReady) {
    for (const agentId of [ready, notReady]) {
        await waitFor(async () => (await env.status(agentId)).status !== 'Busy', {
            what: `${agentId} off the call`
        });
    }
    await env.setStatus(notReady, 'NotReady');
    await env.setStatus(ready, 'Ready');
}

async function heapUsage(page) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = await cdp.send('Runtime.getHeapUsage');
    await cdp.detach();
    return usage; // { usedSize, totalSize, ... } bytes
}

/** Load the bare page and register it; returns the page and its load timings (the same formula as the phone's). */
async function openBarePage(env, agentId) {
    const page = await (await env.newContext()).newPage();
    await page.goto(`${env.pagesUrl}/bench/sipjs.html`);
    await page.waitForFunction(() => window.bareReady === true);
    await page.evaluate((o) => window.bare.start(o), {
        apiUrl: env.sim.url,
        apiKey: SEED.apiKey,
        tenantId: SEED.tenantId,
        agentId
    });
    await waitFor(() => page.evaluate(() => window.bare.state().registered), {
        what: 'bare sip.js registered'
    });
    return { page, timings: await page.evaluate(() => window.bare.loadTimings()) };
}

/** From fetching the script to Registered, without the test driver's pause between evaluating it and start(). */
function loadPhases(t) {
    return {
        fetch: t.resourceResponseEnd - t.resourceFetchStart,
        evaluate: t.coreEvaluated - t.resourceResponseEnd,
        startToRegistered: t.registered - t.startCalled,
        loadToRegistered: t.registered - t.resourceFetchStart - (t.startCalled - t.coreEvaluated)
    };
}

/**
 * Runs the real-call figures. `calls`: timed calls per phone; `heapCalls`: calls between the two heap readings.
 * @returns the results printed by {@link print}
 */
export async function run({ calls: TIMED_CALLS = 20, heapCalls: HEAP_CALLS = 200 } = {}) {
    const env = await Environment.start({ extraAssets: await bareSipJsAssets() });
    const results = { machine: `node ${process.version}`, resource: Environment.resourceFingerprint() };
    try {
        // ---- load -> registered (5 cold page loads, a new browser context each) ------------------------------
        const loads = [];
        // alternating with the bare sip.js page (its bundle fetched, evaluated, started, registered) as the anchor
        const bareLoads = [];
        for (let i = 0; i < 5; i++) {
            const agent = await env.newAgent({ agentId: 'agt-103' });
            await agent.waitForRegistration();
            loads.push(loadPhases(await agent.page.evaluate(() => window.agent.loadTimings())));
            await env.closePhones();
            const bare = await openBarePage(env, 'agt-103');
            bareLoads.push(loadPhases(bare.timings));
            await bare.page.context().close();
        }
        results.loadToRegistered = {
            resourceFetchMs: stats(loads.map((l) => l.fetch)),
            evaluateMs: stats(loads.map((l) => l.evaluate)),
            startToRegisteredMs: stats(loads.map((l) => l.startToRegistered)),
            resourceLoadToRegisteredMs: stats(loads.map((l) => l.loadToRegistered)),
            bareSipJsLoadToRegisteredMs: stats(bareLoads.map((l) => l.loadToRegistered))
        };

        // ---- shipped phone vs bare sip.js: INVITE -> established, answer -> first audio ----------------------
        const shipped = await env.newAgent({ agentId: 'agt-101', logLevel: 'error' });
        await shipped.waitForRegistration();
        await shipped.page.evaluate(() => window.agent.benchAutoAnswer());
        const { page: barePage } = await openBarePage(env, 'agt-102');
        const customer = await env.newCustomer({ user: '+48600799001' });

        const shippedCount = async () =>
            (await shipped.page.evaluate(() => window.agent.benchTimings())).filter(
                (t) => t.firstAudio !== null
            ).length;
        const bareCount = async () =>
            (await barePage.evaluate(() => window.bare.state().timings)).filter((t) => t.firstAudio !== null)
                .length;
        // Alternate the two phones call by call so both see the same machine load.
        for (let i = 0; i < TIMED_CALLS; i++) {
            await route(env, 'agt-101', 'agt-102');
            await oneCall(customer, shippedCount, i + 1);
            await route(env, 'agt-102', 'agt-101');
            await oneCall(customer, bareCount, i + 1);
        }
        const shippedTimings = await shipped.page.evaluate(() => window.agent.benchTimings());
        const bareTimings = (await barePage.evaluate(() => window.bare.state())).timings;
        const s = {
            established: stats(shippedTimings.map((t) => t.established)),
            firstAudio: stats(shippedTimings.map((t) => t.firstAudio))
        };
        const b = {
            established: stats(bareTimings.map((t) => t.established)),
            firstAudio: stats(bareTimings.map((t) => t.firstAudio))
        };
        const ratio = (x, y) => (x && y ? +(x / y).toFixed(2) : null);
        results.calls = {
            timedCallsPerPhone: TIMED_CALLS,
            shipped: s,
            bareSipJs: b,
            ratioShippedToBare: {
                inviteToEstablished: ratio(s.established.median, b.established.median),
                answerToFirstAudio: ratio(s.firstAudio.median, b.firstAudio.median)
            }
        };

        // ---- JS heap after 10 and after HEAP_CALLS calls: the shipped page, and bare sip.js as a baseline -------
        const mib = (bytes) => +(bytes / 1024 / 1024).toFixed(2);
        const heapRun = async (page, agentId, otherId, count) => {
            await route(env, agentId, otherId);
            const heap = { before: await heapUsage(page) };
            let done = TIMED_CALLS;
            for (const target of [10, HEAP_CALLS]) {
                while (done < TIMED_CALLS + target) {
                    done += 1;
                    await oneCall(customer, count, done);
                }
                heap[target] = await heapUsage(page);
                process.stderr.write(`  ${agentId}: heap after ${target} calls measured\n`);
            }
            return {
                beforeMiB: mib(heap.before.usedSize),
                after10MiB: mib(heap[10].usedSize),
                [`after${HEAP_CALLS}MiB`]: mib(heap[HEAP_CALLS].usedSize),
                growthPerCallKiB: +(
                    (heap[HEAP_CALLS].usedSize - heap[10].usedSize) /
                    1024 /
                    (HEAP_CALLS - 10)
                ).toFixed(2)
            };
        };
        results.heap = {
            note: `used JS heap after a forced GC (CDP); ${TIMED_CALLS} timed calls came first`,
            shipped: await heapRun(shipped.page, 'agt-101', 'agt-102', shippedCount),
            bareSipJs: await heapRun(barePage, 'agt-102', 'agt-101', bareCount)
        };
    } finally {
        await env.close();
    }
    results.heapCalls = HEAP_CALLS;
    return results;
}

/** Prints the figures of {@link run} section by section. */
export function print(results) {
    const r = results;
    const HEAP_CALLS = r.heapCalls;
    console.log(
        `# Real calls (simulator + Kamailio + Chromium), static resource ${r.resource.bytes} bytes sha256:${r.resource.sha256}`
    );
    console.log('\n## load -> registered (ms, 5 cold page loads)');
    for (const [name, value] of Object.entries(r.loadToRegistered))
        console.log(`  ${name.padEnd(30)} median ${value.median}  p90 ${value.p90}  (n=${value.n})`);
    console.log(`\n## inbound calls, ${r.calls.timedCallsPerPhone} per phone, alternating (ms)`);
    console.log(`  ${'phone'.padEnd(14)} ${'INVITE->established'.padEnd(30)} answer->first audio packet`);
    for (const [name, value] of [
        ['shipped', r.calls.shipped],
        ['bare sip.js', r.calls.bareSipJs]
    ]) {
        console.log(
            `  ${name.padEnd(14)} median ${String(value.established.median).padEnd(6)} p90 ${String(value.established.p90).padEnd(8)}` +
                `    median ${String(value.firstAudio.median).padEnd(6)} p90 ${value.firstAudio.p90}`
        );
    }
    console.log(
        `  ratio shipped/bare (medians): INVITE->established ${r.calls.ratioShippedToBare.inviteToEstablished}, ` +
            `answer->first audio ${r.calls.ratioShippedToBare.answerToFirstAudio}`
    );
    console.log('\n## agent page JS heap (MiB, after forced GC)');
    for (const name of ['shipped', 'bareSipJs']) {
        const value = r.heap[name];
        console.log(
            `  ${name.padEnd(12)} before ${value.beforeMiB}  after 10 calls ${value.after10MiB}  ` +
                `after ${HEAP_CALLS} calls ${value[`after${HEAP_CALLS}MiB`]}  growth ${value.growthPerCallKiB} KiB/call`
        );
    }
    console.log(`  (${r.heap.note})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
    const args = process.argv.slice(2);
    const option = (name, fallback) => {
        const index = args.indexOf(`--${name}`);
        return index >= 0 ? Number(args[index + 1]) : fallback;
    };
    try {
        const results = await run({ calls: option('calls', 20), heapCalls: option('heap-calls', 200) });
        print(results);
        if (args.includes('--json')) console.log(JSON.stringify(results, null, 2));
    } catch (error) {
        console.error(error);
        process.exit(1);
    }
}
