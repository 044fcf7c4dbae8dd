#!/usr/bin/env node
// `npm run bench`: prints figures; asserts nothing about time (shared machines make that flaky).
// Runs after `scripts/build.mjs --core-only`, which produces the static resource and the Node bundle.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STATIC_RESOURCE } from '../scripts/build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const core = require(path.join(root, 'build/phone-core.node.cjs'));

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
if (process.argv.includes('--json')) console.log(JSON.stringify(results, null, 2));
