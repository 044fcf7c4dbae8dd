#!/usr/bin/env node
// `npm start`: installs the Debian packages the workbench needs when it may (Kamailio and its modules:
// scripts/lib/system-deps.mjs), builds the package, then starts the local workbench (workbench/start.mjs):
// the real phone against the simulator, Kamailio and a local org, no Salesforce org needed. Options go to
// the workbench; `--help` lists them without building or installing anything.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemPackages } from './lib/system-deps.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const node = (script, scriptArgs = []) =>
    spawnSync(process.execPath, [script, ...scriptArgs], { cwd: root, stdio: 'inherit' });

if (args.includes('--help') || args.includes('-h')) {
    console.log(
        'npm start: installs missing Debian packages (as root or with passwordless sudo), builds the package, ' +
            'starts the workbench.\n'
    );
    process.exit(node('workbench/start.mjs', ['--help']).status ?? 1);
}

if (!ensureSystemPackages({ uses: ['workbench'] }).ok) {
    console.error('Then run npm start again.');
    process.exit(1);
}
const build = node('scripts/build.mjs');
if (build.status !== 0) process.exit(build.status ?? 1);

// Ctrl+C reaches the workbench too: wait for its orderly shutdown instead of dying first
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.exit(node('workbench/start.mjs', args).status ?? 1);
