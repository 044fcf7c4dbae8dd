#!/usr/bin/env node
// `npm test`: every test and check, in one run, with one closing line of totals:
//   system packages -> build -> Jest (LWC, phone-core, simulator, tooling) -> validate stages
//   -> generated-files freshness -> the node:test tooling tests -> the workbench's local-org tests
//   -> e2e (real calls and the workbench UI: simulator + Kamailio + Debian Chromium).
// System packages (scripts/lib/system-deps.mjs): Java 17 for validate, Chromium and Kamailio for e2e are
// installed when missing, as root or with a sudo that needs no password; otherwise it stops with the command.
// Each runner prints its own summary; the last line is `N passed, N failed` over all of them.
// Flags: --skip-validate, --skip-e2e (quick local loops); any other args are passed to Jest.
import { spawn, spawnSync } from 'node:child_process';
import { promises as fs, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemPackages } from './lib/system-deps.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules/.bin', name);
const totals = { passed: 0, failed: 0 };
const failures = [];

function run(label, command, args) {
    console.log(`\n=== ${label}: ${[path.basename(command), ...args].join(' ')}`);
    const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
    if (result.error) throw result.error;
    return result.status ?? 1;
}

function count(label, ok) {
    if (ok) totals.passed += 1;
    else {
        totals.failed += 1;
        failures.push(label);
    }
}

async function main() {
    const args = process.argv.slice(2);
    const skipValidate = args.includes('--skip-validate');
    const skipE2e = args.includes('--skip-e2e');
    const jestArgs = args.filter((a) => a !== '--skip-validate' && a !== '--skip-e2e');
    await fs.mkdir(path.join(root, 'build'), { recursive: true });

    const uses = [...(skipValidate ? [] : ['validate']), ...(skipE2e ? [] : ['e2e'])];
    if (uses.length > 0) {
        console.log(`\n=== system packages for ${uses.join(', ')}`);
        const packages = ensureSystemPackages({ uses });
        if (!packages.ok) {
            console.log(`\nfailed: system packages (install them, then run npm test again)`);
            console.log('0 passed, 1 failed');
            process.exitCode = 1;
            return;
        }
        if (packages.installed.length === 0) console.log('all installed');
    }

    count('build', run('build', process.execPath, ['scripts/build.mjs']) === 0);

    const jestJson = path.join(root, 'build/jest-results.json');
    await fs.rm(jestJson, { force: true });
    const jestStatus = run('jest', bin('jest'), ['--ci', '--json', `--outputFile=${jestJson}`, ...jestArgs]);
    try {
        const report = JSON.parse(await fs.readFile(jestJson, 'utf8'));
        totals.passed += report.numPassedTests;
        totals.failed += report.numFailedTests;
        // A suite that fails to load has no failed tests of its own: count it, or it would vanish.
        const brokenSuites = report.testResults.filter(
            (s) => s.status === 'failed' && s.assertionResults.length === 0
        );
        totals.failed += brokenSuites.length;
        if (report.numFailedTests > 0 || brokenSuites.length > 0) failures.push('jest');
        if (report.numTotalTests === 0) count('jest ran no test', false);
        // skipped or todo tests are not passes
        const notRun = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
        if (notRun > 0) {
            totals.failed += notRun;
            failures.push(`jest: ${notRun} skipped/todo`);
        }
    } catch (error) {
        count(`jest (no report: exit ${jestStatus}: ${error.message})`, false);
    }

    if (!skipValidate) {
        const validateJson = path.join(root, 'build/validate-results.json');
        const status = run('validate', process.execPath, ['scripts/validate.mjs', '--json', validateJson]);
        try {
            const results = JSON.parse(await fs.readFile(validateJson, 'utf8'));
            for (const stage of results) count(`validate ${stage.name}`, stage.ok);
        } catch (error) {
            count(`validate (no report: exit ${status}: ${error.message})`, false);
        }

        // Generated files that are committed must match what the build/validate just produced.
        console.log('\n=== generated files are fresh: git diff --exit-code manifest/');
        const diff = spawnSync('git', ['diff', '--exit-code', '--stat', '--', 'manifest/'], {
            cwd: root,
            stdio: 'inherit'
        });
        const fresh = diff.error ? true : diff.status === 0; // outside a git checkout there is nothing to compare
        if (!fresh) console.log('manifest/package.xml is stale: run `npm run validate` and commit it.');
        count('generated files fresh', fresh);
    }

    // tooling tests written for node:test (ES modules that Jest's CommonJS transform cannot load)
    const nodeTests = readdirSync(path.join(root, 'scripts/test'))
        .filter((name) => name.endsWith('.test.mjs'))
        .sort()
        .map((name) => path.join('scripts/test', name));
    if (nodeTests.length > 0) await runNodeTests('tooling', ['--test', '--test-reporter=spec', ...nodeTests]);

    // the workbench's local org (node:test: it imports phone-core through tsx, which Jest cannot host)
    await runNodeTests('workbench', [
        '--test',
        '--test-reporter=spec',
        'workbench/test/local-org-callbacks.test.mjs',
        'workbench/test/local-org-callers.test.mjs',
        'workbench/test/local-org-conversation.test.mjs',
        'workbench/test/local-org-records.test.mjs',
        'workbench/test/local-org-settings.test.mjs',
        'workbench/test/phone-setup.test.mjs'
    ]);
    if (!skipE2e) {
        await runNodeTests(
            'e2e',
            ['e2e/run.mjs'],
            'prerequisites: node scripts/lib/system-deps.mjs --for e2e'
        );
    }

    console.log('');
    if (failures.length > 0) console.log(`failed: ${failures.join(', ')}`);
    console.log(`${totals.passed} passed, ${totals.failed} failed`);
    process.exitCode = totals.failed === 0 ? 0 : 1;
}

/** Runs a node:test suite (spec reporter), echoing it and counting its tests. */
async function runNodeTests(label, args, hint) {
    console.log(`\n=== ${label}: node ${args.join(' ')}`);
    const child = spawn(process.execPath, args, {
        cwd: root,
        env: process.env,
        stdio: ['ignore', 'pipe', 'pipe']
    });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
        stream.on('data', (chunk) => {
            output += chunk;
            (stream === child.stdout ? process.stdout : process.stderr).write(chunk);
        });
    }
    const code = await new Promise((resolve) => child.on('close', (status) => resolve(status ?? 1)));
    // the spec reporter closes with `ℹ pass N` / `ℹ fail N` (TAP: `# pass N`)
    const figure = (name) => {
        const matches = [...output.matchAll(new RegExp(`^[ℹ#] ${name} (\\d+)$`, 'gm'))];
        return matches.length > 0 ? Number(matches[matches.length - 1][1]) : null;
    };
    const passed = figure('pass');
    const failed = figure('fail');
    if (passed === null || failed === null) {
        count(`${label} (no test summary, exit ${code}; see above${hint ? ` — ${hint}` : ''})`, false);
        return;
    }
    // a scenario that did not run is not a pass: todo, skipped and cancelled count as failed
    const notRun = (figure('todo') ?? 0) + (figure('skipped') ?? 0) + (figure('cancelled') ?? 0);
    totals.passed += passed;
    totals.failed += failed + notRun;
    if (notRun > 0) console.log(`${label}: ${notRun} test(s) todo, skipped or cancelled: counted as failed`);
    if (failed + notRun > 0 || code !== 0) failures.push(label);
    if (failed === 0 && code !== 0) count(`${label} runner exit ${code}`, false);
    if (passed + failed === 0) count(`${label} ran no test`, false);
}

main().catch((error) => {
    console.error(error);
    console.log(`${totals.passed} passed, ${totals.failed + 1} failed`);
    process.exitCode = 1;
});
