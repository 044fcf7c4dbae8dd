#!/usr/bin/env node
// Adds or updates Custom Labels with their nl_NL, pl, cs and ru translations in one step.
// Usage: node scripts/labels.mjs merge FILE.json   (FILE: an array of
//   { "name", "value", "shortDescription"?, "categories"?, "translations": { "nl_NL", "pl", "cs", "ru" } })
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeLabels } from './lib/labels.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [command, file] = process.argv.slice(2);
if (command !== 'merge' || !file) {
    console.error('usage: node scripts/labels.mjs merge FILE.json');
    process.exit(2);
}
const entries = JSON.parse(readFileSync(file, 'utf8'));
const total = await mergeLabels(path.join(root, 'force-app'), entries);
console.log(`merged ${entries.length} labels; ${total} labels in CustomLabels.labels-meta.xml`);
