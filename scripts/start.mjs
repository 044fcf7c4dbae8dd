#!/usr/bin/env node
// `npm start`: builds the package, then starts the local workbench (workbench/start.mjs): the real phone
// against the simulator, Kamailio and a local org, no Salesforce org needed. Options go to the workbench.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// Ctrl+C reaches the workbench too: wait for its orderly shutdown instead of dying first
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
const workbench = spawnSync(process.execPath, ['workbench/start.mjs', ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit'
});
process.exit(workbench.status ?? 1);
