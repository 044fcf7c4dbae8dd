// Size of the shipped static resource, raw and gzipped, beside sip.js + libphonenumber-js bundled alone
// with the same esbuild settings: what phone-core itself adds on top of its two libraries.
import { build } from 'esbuild';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

async function sizes(file) {
    const bytes = await fs.readFile(file);
    return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

export async function run({ root, staticResource }) {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bundle-bench-'));
    try {
        const entry = path.join(dir, 'libs-only.mjs');
        const metadata = await detectLibphonenumberFlavour(root);
        await fs.writeFile(
            entry,
            `export * as sip from 'sip.js';\nexport * as phone from 'libphonenumber-js/${metadata}';\n`
        );
        const outfile = path.join(dir, 'libs-only.js');
        await build({
            entryPoints: [entry],
            bundle: true,
            minify: true,
            format: 'iife',
            globalName: 'LibsOnly',
            outfile,
            platform: 'browser',
            target: ['es2020'],
            legalComments: 'eof',
            nodePaths: [path.join(root, 'node_modules')],
            logLevel: 'error'
        });
        // phone-core's own code: the same entry with both libraries left out of the bundle
        const ownOutfile = path.join(dir, 'own-only.js');
        await build({
            entryPoints: [path.join(root, 'phone-core/src/index.ts')],
            bundle: true,
            minify: true,
            format: 'iife',
            globalName: 'OwnOnly',
            outfile: ownOutfile,
            platform: 'browser',
            target: ['es2020'],
            external: ['sip.js', 'libphonenumber-js', 'libphonenumber-js/*'],
            logLevel: 'error'
        });
        const where = await whereTheBytesGo(root);
        const shipped = await sizes(staticResource);
        const libs = await sizes(outfile);
        const own = await sizes(ownOutfile);
        // the Salesforce Voice connector: built beside webphoneCore.js from the same phone-core source
        const voice = await sizes(path.join(path.dirname(staticResource), 'voiceConnector.js')).catch(
            () => null
        );
        const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
        console.log(`static resource webphoneCore.js: ${kb(shipped.raw)} raw, ${kb(shipped.gzip)} gzipped`);
        console.log(
            voice
                ? `static resource voiceConnector.js: ${kb(voice.raw)} raw, ${kb(voice.gzip)} gzipped`
                : 'static resource voiceConnector.js: not built (node scripts/build.mjs --core-only)'
        );
        console.log(
            `sip.js + libphonenumber-js/${metadata} alone: ${kb(libs.raw)} raw, ${kb(libs.gzip)} gzipped`
        );
        console.log(
            `phone-core's own code (libraries external): ${kb(own.raw)} raw, ${kb(own.gzip)} gzipped`
        );
        console.log(
            '(the libraries alone are bundled whole; the shipped file tree-shakes what phone-core does not use)'
        );
        console.log(
            'where the bytes go (esbuild metafile of the shipped build; gzip share = size without it left out):'
        );
        for (const part of where.parts) {
            console.log(
                `  ${part.name.padEnd(44)} ${kb(part.raw).padStart(10)} raw  ${kb(part.gzipShare).padStart(9)} gzipped`
            );
        }
        for (const module of where.largestModules) {
            console.log(`    ${module.name.padEnd(70)} ${kb(module.raw).padStart(10)} raw`);
        }
        return { shipped, voice, libsOnly: libs, ownOnly: own, metadata, where };
    } finally {
        await fs.rm(dir, { recursive: true, force: true });
    }
}

// Compare like with like: the libphonenumber-js metadata flavour phone-core imports (min, mobile or max).
async function detectLibphonenumberFlavour(root) {
    const source = await fs
        .readFile(path.join(root, 'phone-core/src/phone-number.ts'), 'utf8')
        .catch(() => '');
    const match = source.match(/from ['"]libphonenumber-js\/(min|mobile|max|core)['"]/);
    return match ? match[1] : 'min';
}

/** The shipped build's settings (scripts/build.mjs), in memory, optionally with some packages left out. */
async function shippedBuild(root, external = []) {
    const result = await build({
        entryPoints: [path.join(root, 'phone-core/src/index.ts')],
        bundle: true,
        write: false,
        metafile: true,
        minify: true,
        format: 'iife',
        globalName: 'WebphoneCore',
        platform: 'browser',
        target: ['es2020', 'chrome100', 'firefox100', 'safari15', 'edge100'],
        legalComments: 'eof',
        define: { 'process.env.NODE_ENV': '"production"' },
        outfile: path.join(root, 'build/bundle-bench.js'),
        absWorkingDir: root,
        external,
        logLevel: 'error'
    });
    const bytes = result.outputFiles[0].contents;
    return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, metafile: result.metafile };
}

/**
 * Raw bytes per part from the metafile, and each library's gzip share as the shipped size minus the size
 * with that library left out (gzip has no per-module sizes; the shares add up to within 1 %).
 */
async function whereTheBytesGo(root) {
    const full = await shippedBuild(root);
    const inputs = Object.values(full.metafile.outputs)[0].inputs;
    const partOf = (file) => {
        if (file.includes('libphonenumber-js/metadata')) return 'libphonenumber-js max metadata (JSON)';
        if (file.includes('node_modules/libphonenumber-js/')) return 'libphonenumber-js code';
        if (file.includes('node_modules/sip.js/')) return 'sip.js';
        return `phone-core/${file
            .replace(/^phone-core\/src\//, '')
            .split('/')[0]
            .replace(/\.ts$/, '')}`;
    };
    const raw = new Map();
    for (const [file, { bytesInOutput }] of Object.entries(inputs)) {
        raw.set(partOf(file), (raw.get(partOf(file)) ?? 0) + bytesInOutput);
    }
    const withoutSip = await shippedBuild(root, ['sip.js', 'sip.js/*']);
    const withoutNumbers = await shippedBuild(root, ['libphonenumber-js', 'libphonenumber-js/*']);
    const ownOnly = await shippedBuild(root, [
        'sip.js',
        'sip.js/*',
        'libphonenumber-js',
        'libphonenumber-js/*'
    ]);
    const ownRaw = [...raw].filter(([name]) => name.startsWith('phone-core/')).reduce((n, [, b]) => n + b, 0);
    const numbersRaw =
        (raw.get('libphonenumber-js code') ?? 0) + (raw.get('libphonenumber-js max metadata (JSON)') ?? 0);
    const parts = [
        {
            name: 'sip.js (what phone-core imports)',
            raw: raw.get('sip.js') ?? 0,
            gzipShare: full.gzip - withoutSip.gzip
        },
        {
            name: 'libphonenumber-js/max (code + metadata)',
            raw: numbersRaw,
            gzipShare: full.gzip - withoutNumbers.gzip
        },
        { name: 'phone-core itself', raw: ownRaw, gzipShare: ownOnly.gzip }
    ];
    const largestModules = Object.entries(inputs)
        .map(([name, { bytesInOutput }]) => ({
            name: name.replace(/^node_modules\//, ''),
            raw: bytesInOutput
        }))
        .sort((a, b) => b.raw - a.raw)
        .slice(0, 8);
    const byPart = [...raw].map(([name, bytes]) => ({ name, raw: bytes })).sort((a, b) => b.raw - a.raw);
    return { total: { raw: full.raw, gzip: full.gzip }, parts, byPart, largestModules };
}
