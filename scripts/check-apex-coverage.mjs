#!/usr/bin/env node
// Reads `sf apex run test --result-format json` output; fails on any failing test or coverage under the minimum.
import { readFileSync } from 'node:fs';

const [file, minimumArg = '90'] = process.argv.slice(2);
const minimum = Number(minimumArg);
const parsed = JSON.parse(readFileSync(file, 'utf8'));
const summary = parsed.result?.summary;
if (!summary) {
    console.error(`no test summary in ${file}: ${parsed.message ?? 'unknown error'}`);
    process.exit(1);
}
const coverage = Number(String(summary.orgWideCoverage ?? summary.testRunCoverage ?? '0').replace('%', ''));
const failing = Number(summary.failing ?? 0);
console.log(
    `Apex tests: ${summary.passing} passed, ${failing} failed; org-wide coverage ${coverage}% (minimum ${minimum}%)`
);
for (const test of parsed.result.tests ?? []) {
    if (test.Outcome !== 'Pass') console.log(`  FAIL ${test.FullName}: ${test.Message}`);
}
if (failing > 0 || !(coverage >= minimum)) process.exit(1);
