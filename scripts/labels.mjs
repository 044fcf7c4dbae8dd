#!/usr/bin/env node
// Adds, updates or removes Custom Labels with their nl_NL, pl, cs and ru translations in one step.
// Usage: node scripts/labels.mjs merge FILE.json   (FILE: an array of
//   { "name", "value", "shortDescription"?, "categories"?, "translations": { "nl_NL", "pl", "cs", "ru" } })
//        node scripts/labels.mjs remove NAME...    (labels no code uses any more)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeLabels, removeLabels } from './lib/labels.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = path.join(root, 'force-app');
const [command, ...args] = process.argv.slice(2);
if (command === 'merge' && args.length === 1) {
    const entries = JSON.parse(readFileSync(args[0], 'utf8'));
    const total = await mergeLabels(sourceDir, entries);
    console.log(`merged ${entries.length} labels; ${total} labels in CustomLabels.labels-meta.xml`);
} else if (command === 'remove' && args.length > 0) {
    const total = await removeLabels(sourceDir, args);
    console.log(`removed ${args.length} labels; ${total} labels in CustomLabels.labels-meta.xml`);
} else {
    console.error('usage: node scripts/labels.mjs merge FILE.json | remove NAME...');
    process.exit(2);
}
