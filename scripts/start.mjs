#!/usr/bin/env node
// `npm start`: builds the package, then starts the local workbench (workbench/start.mjs): the real phone
// against the simulator, Kamailio and a local org, no Salesforce org needed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const workbench = path.join(root, 'workbench/start.mjs');
if (existsSync(workbench)) {
    // Ctrl+C reaches the workbench too: wait for its orderly shutdown instead of dying first
    process.on('SIGINT', () => {});
    process.on('SIGTERM', () => {});
    const result = spawnSync(process.execPath, [workbench, ...process.argv.slice(2)], {
        cwd: root,
        stdio: 'inherit'
    });
    process.exit(result.status ?? 1);
}

console.log(`
The package is built (force-app/ is ready to deploy).

  Deploy it to an org:   npx sf org login web --alias myorg && npm run deploy -- --target-org myorg
  Or a scratch org:      npm run scratch-org -- --alias ccphone-dev
  Run every test:        npm test

The local workbench (the phone without an org) is not part of this checkout yet.`);
