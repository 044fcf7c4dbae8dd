#!/usr/bin/env node
// `npm run workbench:build`: compiles the package's real LWC components (the deployable `.js` that
// `npm run build` writes beside each `.ts`, with their `.html` and `.css`) with LWC OSS into one page bundle,
// together with Salesforce's base components (lightning-base-components) and the workbench's own
// implementations of the platform modules (workbench/src/modules/lightning/*, workbench/bundler/platform-modules.mjs).
// Unresolved imports fail the build, like a deploy. Output: build/workbench/ (app.js + manifest).
//
// The build is skipped when nothing it read changed since the last one (`--force` rebuilds). LWC `.js` older
// than their `.ts` are regenerated first (scripts/build.mjs --lwc-only): the workbench never runs stale code.
import { createRequire } from 'node:module';
import { existsSync, promises as fs, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import lwc from '@lwc/rollup-plugin';
import replace from '@rollup/plugin-replace';
import { transformAsync } from '@babel/core';
import { tsImport } from 'tsx/esm/api';
import { buildLwc } from '../scripts/build.mjs';
import { stripOptions } from '../scripts/lib/strip-types.mjs';
import { lightningApp, lwcBundles, setupTabComponent } from './bundler/package-metadata.mjs';
import platformModules from './bundler/platform-modules.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..');
export const OUT_DIR = path.join(ROOT, 'build/workbench');
const MANIFEST = path.join(OUT_DIR, 'manifest.json');
/** Salesforce API version the components are compiled for (the meta files say 65.0; LWC OSS needs it explicitly). */
const API_VERSION = 65;

/** The LWC engine, synthetic shadow and wire service of the `lwc` package (one version for everything). */
function lwcRuntimeModules() {
    // `lwc` does not export its package.json; its main file sits at the package root
    const fromLwc = createRequire(createRequire(import.meta.url).resolve('lwc'));
    const dist = (pkg) => path.join(path.dirname(fromLwc.resolve(`${pkg}/package.json`)), 'dist/index.js');
    return [
        { name: 'lwc', path: dist('@lwc/engine-dom') },
        { name: '@lwc/synthetic-shadow', path: dist('@lwc/synthetic-shadow') },
        { name: '@lwc/wire-service', path: dist('@lwc/wire-service') }
    ];
}

/** Babel strips the types of the workbench's own TypeScript modules (decorators kept, as for the package). */
function stripTypeScript() {
    const workbenchSrc = path.join(ROOT, 'workbench/src') + path.sep;
    return {
        name: 'workbench-strip-types',
        async transform(code, id) {
            const file = id.split('?')[0];
            if (!file.endsWith('.ts') || !file.startsWith(workbenchSrc)) return null;
            const result = await transformAsync(code, {
                ...stripOptions(file),
                retainLines: false,
                sourceMaps: true
            });
            return { code: result.code, map: result.map };
        }
    };
}

/** Modules generated from the package metadata: the app and its utility bar, the package's components by name. */
function generatedModules(bundles) {
    const app = lightningApp(ROOT);
    const setup = setupTabComponent(ROOT, bundles);
    const names = new Set(bundles.map((bundle) => bundle.name));
    // utility items that are package components (`ccphone:webPhone`) become live components
    const utilityComponents = app.utilityItems
        .map((item) => /^(?:c|ccphone):(\w+)$/.exec(item.componentName)?.[1])
        .filter((name) => name && names.has(name));
    const componentNames = [...new Set([...utilityComponents, ...(setup ? [setup.name] : [])])];
    const imports = componentNames.map((name, i) => `import C${i} from 'c/${name}';`).join('\n');
    const table = componentNames.map((name, i) => `${JSON.stringify(name)}: C${i}`).join(', ');
    return new Map([
        ['wb/appConfig', `export default ${JSON.stringify({ app, setup }, null, 1)};`],
        ['wb/packageComponents', `${imports}\nexport default { ${table} };`]
    ]);
}

/**
 * Files the build reads besides the modules rollup sees: the bundler itself, the local org's Apex list, and
 * the package metadata that becomes generated modules or checks (labels, app, utility bar, tabs, channels,
 * Apex classes, static resources). node_modules counts as one input: the lock file.
 */
function metadataInputs() {
    const base = path.join(ROOT, 'force-app/main/default');
    const dirs = [
        'labels',
        'translations',
        'applications',
        'flexipages',
        'tabs',
        'messageChannels',
        'staticresources',
        'classes/controllers'
    ];
    const files = [
        path.join(ROOT, 'workbench/build.mjs'),
        path.join(ROOT, 'workbench/bundler/package-metadata.mjs'),
        path.join(ROOT, 'workbench/bundler/platform-modules.mjs'),
        path.join(ROOT, 'workbench/org/apex/methods.ts'),
        path.join(ROOT, 'package-lock.json')
    ];
    for (const dir of dirs) {
        const full = path.join(base, dir);
        if (!existsSync(full)) continue;
        for (const name of readdirSync(full)) if (!name.endsWith('.js')) files.push(path.join(full, name));
    }
    return files;
}

/** True when every file of the last build is unchanged (and no LWC bundle appeared or went away). */
async function upToDate(bundles) {
    if (!existsSync(MANIFEST)) return false;
    try {
        const manifest = JSON.parse(await fs.readFile(MANIFEST, 'utf8'));
        const names = bundles.map((bundle) => bundle.name).join(',');
        if (manifest.bundles !== names || !existsSync(path.join(OUT_DIR, 'app.js'))) return false;
        return manifest.inputs.every(
            (file) => existsSync(file) && statSync(file).mtimeMs <= manifest.builtAt
        );
    } catch {
        return false;
    }
}

/**
 * Builds the page bundle.
 * @param {{ force?: boolean, log?: (line: string) => void }} [options]
 * @returns {Promise<{ skipped: boolean, file: string, seconds: number }>}
 */
export async function buildWorkbench(options = {}) {
    const log = options.log ?? ((line) => console.log(line));
    const started = Date.now();
    let bundles = lwcBundles(ROOT);
    const stale = bundles.filter((bundle) => bundle.stale).map((bundle) => bundle.name);
    if (stale.length > 0) {
        log(
            `workbench: LWC .js missing or older than .ts (${stale.join(', ')}): running the LWC build first`
        );
        await buildLwc();
        bundles = lwcBundles(ROOT);
    }
    const file = path.join(OUT_DIR, 'app.js');
    if (!options.force && (await upToDate(bundles))) {
        return { skipped: true, file, seconds: (Date.now() - started) / 1000 };
    }

    const { APEX_METHODS } = await tsImport('./org/apex/methods.ts', import.meta.url);
    const warnings = [];
    // every module of the bundle (rollup's watchFiles misses those a plugin loads itself, like LWC aliases)
    const moduleIds = [];
    const collectModules = {
        name: 'workbench-collect-modules',
        buildEnd() {
            moduleIds.push(...this.getModuleIds());
        }
    };
    const platform = platformModules({
        root: ROOT,
        apexImplemented: new Set(APEX_METHODS),
        generated: generatedModules(bundles)
    });
    const build = await rollup({
        input: path.join(ROOT, 'workbench/src/main.ts'),
        preserveEntrySignatures: false,
        plugins: [
            collectModules,
            platform,
            replace({
                preventAssignment: true,
                values: {
                    'process.env.NODE_ENV': JSON.stringify('development'),
                    'import.meta.env.SSR': 'false'
                }
            }),
            stripTypeScript(),
            lwc({
                rootDir: path.join(ROOT, 'workbench/src'),
                apiVersion: API_VERSION,
                enableDynamicComponents: true,
                enableSyntheticElementInternals: true,
                defaultModules: lwcRuntimeModules(),
                modules: [
                    // the workbench's own modules first: its lightning/* replace the platform-only ones
                    { dir: path.join(ROOT, 'workbench/src/modules') },
                    ...bundles.map((bundle) => ({ name: `c/${bundle.name}`, path: bundle.entry })),
                    { npm: 'lightning-base-components' }
                ]
            })
        ],
        onwarn(warning, warn) {
            if (warning.code === 'UNRESOLVED_IMPORT') {
                throw new Error(`workbench build: unresolved import "${warning.exporter}" in ${warning.id}`);
            }
            if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
            // the base components' own template warnings (LWC1057 in primitiveInputSimple) are not ours to fix
            if (String(warning.id ?? '').includes(`${path.sep}node_modules${path.sep}`)) return;
            warnings.push(warning);
            warn(warning);
        }
    });
    await fs.mkdir(OUT_DIR, { recursive: true });
    await build.write({
        file,
        format: 'iife',
        sourcemap: false,
        name: 'workbenchApp',
        inlineDynamicImports: true
    });
    const modules = [...moduleIds, ...build.watchFiles]
        .map((id) => id.split('?')[0])
        .filter((file) => !file.startsWith('\0') && !file.includes(`${path.sep}node_modules${path.sep}`));
    const inputs = [...new Set([...modules, ...metadataInputs()])].filter((file) => existsSync(file));
    await build.close();
    const builtAt = Date.now();
    await fs.writeFile(
        MANIFEST,
        JSON.stringify(
            {
                builtAt,
                bundles: bundles.map((bundle) => bundle.name).join(','),
                inputs,
                used: {
                    labels: platform.used.labels.size,
                    apex: [...platform.used.apex].sort(),
                    resources: [...platform.used.resources],
                    channels: [...platform.used.channels]
                }
            },
            null,
            1
        )
    );
    return { skipped: false, file, seconds: (builtAt - started) / 1000, warnings: warnings.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
    buildWorkbench({ force: process.argv.includes('--force') }).then(
        (result) => {
            console.log(
                result.skipped
                    ? `workbench: bundle up to date (${path.relative(ROOT, result.file)})`
                    : `workbench: built ${path.relative(ROOT, result.file)} in ${result.seconds.toFixed(1)}s`
            );
        },
        (error) => {
            console.error(`workbench build failed: ${error.message}`);
            if (error.frame) console.error(error.frame);
            process.exitCode = 1;
        }
    );
}
