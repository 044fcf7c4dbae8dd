#!/usr/bin/env node
// `npm run test:e2e`: real calls end to end — the simulator with Kamailio, the SHIPPED static resource
// (force-app/main/default/staticresources/webphoneCore.js, build it first: node scripts/build.mjs --core-only)
// in Debian's Chromium, a JsSIP customer. Runs e2e/*.test.mjs with node's test runner, one file at a
// time (each file starts its own simulator, Kamailio and browser on free 127.0.0.1 ports), and prints
// the runner's summary. Extra arguments go to `node --test` (e.g. --test-name-pattern=hold).
// E2E_DIAGNOSTICS_DIR=DIR: write each failure's SIP traces there too.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPrerequisites, Environment, ROOT } from './lib/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const problems = checkPrerequisites();
if (problems.length > 0) {
    console.error(`e2e: cannot run:\n  ${problems.join('\n  ')}`);
    process.exit(2);
}
const resource = Environment.resourceFingerprint();
console.log(`e2e: static resource webphoneCore.js ${resource.bytes} bytes sha256:${resource.sha256}`);
const files = readdirSync(here)
    .filter((name) => name.endsWith('.test.mjs'))
    .sort()
    .map((name) => path.join('e2e', name));
const args = ['--test', '--test-concurrency=1', '--test-reporter=spec', ...process.argv.slice(2), ...files];
const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
