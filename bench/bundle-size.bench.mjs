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
        const shipped = await sizes(staticResource);
        const libs = await sizes(outfile);
        const own = await sizes(ownOutfile);
        const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
        console.log(`static resource webphoneCore.js: ${kb(shipped.raw)} raw, ${kb(shipped.gzip)} gzipped`);
        console.log(
            `sip.js + libphonenumber-js/${metadata} alone: ${kb(libs.raw)} raw, ${kb(libs.gzip)} gzipped`
        );
        console.log(
            `phone-core's own code (libraries external): ${kb(own.raw)} raw, ${kb(own.gzip)} gzipped`
        );
        console.log(
            '(the libraries alone are bundled whole; the shipped file tree-shakes what phone-core does not use)'
        );
        return { shipped, libsOnly: libs, ownOnly: own, metadata };
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
