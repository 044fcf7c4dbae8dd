#!/usr/bin/env node
// `npm run deploy -- --target-org ALIAS [more sf flags]`: builds, then deploys force-app with the Salesforce CLI.
// The build must come first: the platform compiles the generated .js, never the .ts (.forceignore'd).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
if (!args.includes('--target-org') && !args.includes('-o')) {
    console.error(
        'usage: npm run deploy -- --target-org ALIAS   (authorise first: npx sf org login web --alias ALIAS)'
    );
    process.exit(2);
}
const step = (command, commandArgs) => {
    const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
};
step(process.execPath, ['scripts/build.mjs']);
step(path.join(root, 'node_modules/.bin/sf'), [
    'project',
    'deploy',
    'start',
    '--source-dir',
    'force-app',
    '--wait',
    '30',
    ...args
]);
