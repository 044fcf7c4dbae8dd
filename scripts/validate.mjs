#!/usr/bin/env node
// `npm run validate`: the offline stand-in for what a deploy and the AppExchange security review reject.
// Each stage lives in scripts/validate/<name>.mjs and exports { name, description, run(ctx) -> { problems } }.
// Usage: node scripts/validate.mjs [--only a,b] [--source DIR] [--json FILE]
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAGE_NAMES, loadStage } from './validate/stages.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
    const args = { only: undefined, source: path.join(root, 'force-app'), json: null };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === '--only') args.only = argv[++i].split(',').filter(Boolean);
        else if (arg === '--source') args.source = path.resolve(argv[++i]);
        else if (arg === '--json') args.json = path.resolve(argv[++i]);
        else throw new Error(`unknown argument ${arg}`);
    }
    return args;
}

/** Runs the named stages on one source tree; never throws for a stage failure, it reports it. */
export async function runStages({ names = STAGE_NAMES, source = path.join(root, 'force-app') } = {}) {
    const results = [];
    for (const name of names) {
        const stage = await loadStage(name);
        const workDir = await fs.mkdtemp(path.join(os.tmpdir(), `validate-${name}-`));
        const started = Date.now();
        let problems;
        try {
            ({ problems } = await stage.run({ root, sourceDir: source, namespace: 'ccphone', workDir }));
        } catch (error) {
            problems = [`stage crashed: ${error && error.stack ? error.stack : error}`];
        } finally {
            await fs.rm(workDir, { recursive: true, force: true });
        }
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        const ok = problems.length === 0;
        console.log(`${ok ? 'PASS' : 'FAIL'}  ${name.padEnd(18)} ${seconds}s  ${stage.description}`);
        for (const problem of problems.slice(0, 50)) console.log(`      - ${problem}`);
        if (problems.length > 50) console.log(`      ... and ${problems.length - 50} more`);
        results.push({ name, ok, problems, seconds: Number(seconds) });
    }
    return results;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
    const args = parseArgs(process.argv.slice(2));
    const results = await runStages({ names: args.only, source: args.source });
    const failed = results.filter((r) => !r.ok).length;
    console.log(`validate: ${results.length - failed} passed, ${failed} failed`);
    if (args.json) await fs.writeFile(args.json, JSON.stringify(results, null, 2));
    process.exitCode = failed === 0 ? 0 : 1;
}
