#!/usr/bin/env node
// `npm run build`: everything deployable that is generated from source.
//  1. phone-core -> the `webphoneCore` static resource (one IIFE file, global `WebphoneCore`), esbuild.
//  2. phone-core -> build/phone-core.node.cjs, the same code for Node (benchmarks, tooling).
//  3. every LWC `.ts` -> `.js` beside it (Babel, decorators kept); `.forceignore` keeps the `.ts` out of deploys.
//  4. voice-connector (+ phone-core from source, + scv-connector-base) -> the `voiceConnector` static resource
//     (one IIFE file, global `WebphoneVoice`): the Salesforce Voice connector, see voice-connector/README.md.
// Flags: --core-only (steps 1, 2 and 4), --lwc-only (step 3).
import { build } from 'esbuild';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripTree } from './lib/strip-types.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const STATIC_RESOURCE = path.join(root, 'force-app/main/default/staticresources/webphoneCore.js');
export const NODE_BUNDLE = path.join(root, 'build/phone-core.node.cjs');
const ENTRY = path.join(root, 'phone-core/src/index.ts');

/** The global the static resource defines; LWC reads `window.WebphoneCore` after loadScript. */
export const GLOBAL_NAME = 'WebphoneCore';

export async function buildCore() {
    const common = {
        entryPoints: [ENTRY],
        bundle: true,
        // Keep third-party licence headers (sip.js, libphonenumber-js: MIT) in the shipped file.
        legalComments: 'eof',
        logLevel: 'warning',
        define: { 'process.env.NODE_ENV': '"production"' }
    };
    await build({
        ...common,
        outfile: STATIC_RESOURCE,
        format: 'iife',
        globalName: GLOBAL_NAME,
        platform: 'browser',
        target: ['es2020', 'chrome100', 'firefox100', 'safari15', 'edge100'],
        minify: true,
        // Lightning Web Security evaluates static resources in a sandbox: publish the namespace
        // object on the (sandboxed) window explicitly instead of relying on a top-level `var`.
        footer: { js: `if(typeof window!=="undefined"){window.${GLOBAL_NAME}=${GLOBAL_NAME};}` }
    });
    await build({
        ...common,
        outfile: NODE_BUNDLE,
        format: 'cjs',
        platform: 'node',
        target: 'node20',
        sourcemap: 'inline'
    });
    return [STATIC_RESOURCE, NODE_BUNDLE];
}

export const VOICE_CONNECTOR = path.join(root, 'force-app/main/default/staticresources/voiceConnector.js');
/** The global the Voice connector bundle defines; the connector page calls `WebphoneVoice.start(...)`. */
export const VOICE_GLOBAL_NAME = 'WebphoneVoice';

/** The Voice connector: phone-core is compiled in from its source (one core, two hosts), not copied. */
export async function buildVoiceConnector() {
    await build({
        entryPoints: [path.join(root, 'voice-connector/src/index.ts')],
        bundle: true,
        legalComments: 'eof',
        logLevel: 'warning',
        define: { 'process.env.NODE_ENV': '"production"' },
        outfile: VOICE_CONNECTOR,
        format: 'iife',
        globalName: VOICE_GLOBAL_NAME,
        platform: 'browser',
        target: ['es2020', 'chrome100', 'firefox100', 'safari15', 'edge100'],
        minify: true,
        footer: { js: `if(typeof window!=="undefined"){window.${VOICE_GLOBAL_NAME}=${VOICE_GLOBAL_NAME};}` }
    });
    return [VOICE_CONNECTOR];
}

export async function buildLwc() {
    return stripTree(path.join(root, 'force-app/main/default/lwc'));
}

async function main() {
    const args = new Set(process.argv.slice(2));
    const started = Date.now();
    const outputs = [];
    if (!args.has('--lwc-only')) outputs.push(...(await buildCore()), ...(await buildVoiceConnector()));
    if (!args.has('--core-only')) outputs.push(...(await buildLwc()));
    const sizes = await Promise.all(
        outputs.map(async (file) => `${path.relative(root, file)} (${(await fs.stat(file)).size} bytes)`)
    );
    console.log(`build: ${outputs.length} files in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    for (const line of sizes) console.log(`  ${line}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
    main().catch((error) => {
        console.error(error);
        process.exitCode = 1;
    });
}
