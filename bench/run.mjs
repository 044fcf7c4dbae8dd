#!/usr/bin/env node
// `npm run bench`: prints figures; asserts nothing about time (shared machines make that flaky).
// Runs after `scripts/build.mjs`, which produces the static resource, the Node bundle and the LWC .js.
// Ends with ONE table: each figure beside its anchor measured in the same run, the ratio and the target.
// The real-call figures (bench/calls.mjs, bench/screen-pop.mjs: simulator + Kamailio + Chromium) run too
// unless --skip-calls; --calls N (timed calls per phone, 20), --heap-calls N (200), --pops N (50), --json.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STATIC_RESOURCE } from '../scripts/build.mjs';
import { checkPrerequisites } from '../e2e/lib/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const core = require(path.join(root, 'build/phone-core.node.cjs'));
const args = process.argv.slice(2);
const option = (name, fallback) => {
    const index = args.indexOf(`--${name}`);
    return index >= 0 ? Number(args[index + 1]) : fallback;
};

const benches = [
    ['phone-number normalisation', './phone-number.bench.mjs'],
    ['state machines', './machines.bench.mjs'],
    ['static resource size', './bundle-size.bench.mjs']
];

console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
const results = {};
for (const [title, file] of benches) {
    console.log(`\n## ${title}`);
    const module = await import(file);
    results[title] = await module.run({ core, root, staticResource: STATIC_RESOURCE });
}

const missing = checkPrerequisites();
const runCalls = !args.includes('--skip-calls') && missing.length === 0;
if (runCalls) {
    const calls = await import('./calls.mjs');
    console.log('\n## real calls (bench/calls.mjs)');
    results.calls = await calls.run({ calls: option('calls', 20), heapCalls: option('heap-calls', 200) });
    calls.print(results.calls);
    const pops = await import('./screen-pop.mjs');
    console.log('\n## screen pop (bench/screen-pop.mjs)');
    results.screenPop = {
        workbench: await pops.runWorkbench({ calls: option('pops', 50) }),
        e2ePage: await pops.runE2ePage({ calls: option('pops', 50) })
    };
    for (const [name, result] of Object.entries(results.screenPop)) console.log(pops.describe(name, result));
}

printTable(results, runCalls ? null : missing.length ? missing.join('; ') : '--skip-calls');
if (args.includes('--json')) console.log(JSON.stringify(results, null, 2));

/** The summary table: figure | value | anchor (same run) | ratio | target | met. */
function printTable(r, callsSkipped) {
    const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
    const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? a / b : null);
    const rows = [];
    const row = (figure, value, anchor, ratioValue, target, met) =>
        rows.push([
            figure,
            value,
            anchor,
            ratioValue === null ? '-' : `${ratioValue.toFixed(2)}x`,
            target,
            met
        ]);
    const yes = (ok) => (ok === null ? '-' : ok ? 'yes' : 'NO');

    const size = r['static resource size'];
    row(
        'webphoneCore static resource, gzipped',
        kib(size.shipped.gzip),
        `${kib(size.libsOnly.gzip)} (sip.js + libphonenumber-js/${size.metadata} alone)`,
        ratio(size.shipped.gzip, size.libsOnly.gzip),
        '<= 115 KiB',
        yes(size.shipped.gzip <= 115 * 1024)
    );
    if (size.voice) {
        row(
            'voiceConnector static resource, gzipped',
            `${kib(size.voice.gzip)} (${kib(size.voice.raw)} raw)`,
            `${kib(size.shipped.gzip)} (${kib(size.shipped.raw)} raw, webphoneCore)`,
            ratio(size.voice.gzip, size.shipped.gzip),
            '-',
            '-'
        );
    }
    const numbers = r['phone-number normalisation'];
    row(
        'phone-number normalisation, numbers/s',
        numbers.ourPerSecond.toLocaleString('en'),
        `${numbers.googlePerSecond.toLocaleString('en')} (google-libphonenumber)`,
        numbers.ratio,
        '>= 1.0x',
        yes(numbers.ratio >= 1)
    );
    row(
        '  (context: google doing the same work)',
        numbers.ourPerSecond.toLocaleString('en'),
        `${numbers.googleSameWorkPerSecond.toLocaleString('en')} (+ national, international, search keys)`,
        ratio(numbers.ourPerSecond, numbers.googleSameWorkPerSecond),
        '-',
        '-'
    );
    row(
        'normalisation: disagreements not deliberate',
        String(numbers.unexplained),
        `${numbers.disagreements} disagreements in all`,
        null,
        '0',
        yes(numbers.unexplained === 0)
    );
    if (callsSkipped) {
        row('real-call figures', `not run (${callsSkipped})`, '-', null, '-', '-');
    } else {
        const calls = r.calls;
        const ms = (value) => (value === null ? '-' : `${value} ms`);
        const shipped = calls.calls.shipped;
        const bare = calls.calls.bareSipJs;
        for (const [figure, key, limit] of [
            ['INVITE -> established, median', 'established', 1.2],
            ['answer -> first audio packet, median', 'firstAudio', 1.05]
        ]) {
            const value = ratio(shipped[key].median, bare[key].median);
            row(
                figure,
                ms(shipped[key].median),
                `${ms(bare[key].median)} (bare sip.js page)`,
                value,
                `<= ${limit}x`,
                yes(value !== null && value <= limit)
            );
        }
        const load = calls.loadToRegistered;
        row(
            'load -> registered, median',
            ms(load.resourceLoadToRegisteredMs.median),
            `${ms(load.bareSipJsLoadToRegisteredMs.median)} (bare sip.js page)`,
            ratio(load.resourceLoadToRegisteredMs.median, load.bareSipJsLoadToRegisteredMs.median),
            'keep (156 ms last release)',
            '-'
        );
        const heap = calls.heap;
        row(
            'JS heap growth per call',
            `${heap.shipped.growthPerCallKiB} KiB`,
            `${heap.bareSipJs.growthPerCallKiB} KiB (bare sip.js page)`,
            ratio(heap.shipped.growthPerCallKiB, heap.bareSipJs.growthPerCallKiB),
            'keep (<= bare page)',
            yes(heap.shipped.growthPerCallKiB <= heap.bareSipJs.growthPerCallKiB)
        );
        for (const [name, label] of [
            ['workbench', 'workbench, local org'],
            ['e2ePage', 'real-call e2e page']
        ]) {
            const pop = r.screenPop[name];
            row(
                `screen pop p50 / p95 (${label}, ${pop.calls} calls)`,
                `${pop.p50} / ${pop.p95} ms`,
                '-',
                null,
                'p95 < 300 ms',
                yes(pop.p95 !== null && pop.p95 < 300)
            );
            row(
                `Apex round trips per pop (${label})`,
                pop.apexPerPop.min === pop.apexPerPop.max
                    ? String(pop.apexPerPop.max)
                    : `${pop.apexPerPop.min}-${pop.apexPerPop.max}`,
                pop.apexMethods.join(', '),
                null,
                '1',
                yes(pop.apexPerPop.max === 1)
            );
        }
    }
    const header = ['figure', 'value', 'anchor (same run)', 'ratio', 'target', 'met'];
    const widths = header.map((title, i) => Math.max(title.length, ...rows.map((cells) => cells[i].length)));
    const line = (cells) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
    console.log('\n## summary\n');
    console.log(line(header));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const cells of rows) console.log(line(cells));
}
