// Stage lwc-compile: every LWC bundle through @lwc/sfdc-lwc-compiler (the compiler a deploy runs), with the
// package namespace and the bundle's apiVersion, on the deployable JavaScript (types stripped by Babel exactly
// as the build does). Catches what a deploy rejects: LWC1503 dynamic imports and $A, ambiguous template
// attributes (LWC1034), template/CSS/decorator errors, missing relative files (LWC1011), explicit namespace
// imports (LWC1504); and, beyond the compiler, imports the org cannot resolve and bundles without metadata.
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { stripTree } from '../lib/strip-types.mjs';
import { listLwcBundles, readBundleApiVersion } from './lib/lwc-files.mjs';
import { formatProblem, isTestDir, lineOfOffset, walkFiles } from './lib/metadata-files.mjs';

/** Bundle files the platform compiler reads; everything else (meta xml, svg, tests) is not compiled. */
const COMPILED = /\.(js|html|css)$/;
/** DiagnosticLevel: Fatal = 0, Error = 1, Warning = 2, Log = 3. */
const MAX_FAILING_LEVEL = 1;

export default {
    name: 'lwc-compile',
    description: 'platform LWC compiler (@lwc/sfdc-lwc-compiler) on each bundle',
    async run({ root, sourceDir, namespace, workDir }) {
        const bundles = await listLwcBundles(sourceDir);
        if (bundles.length === 0) return { problems: [] };
        const { compile } = createRequire(path.join(root, 'package.json'))('@lwc/sfdc-lwc-compiler');

        const bundleNames = new Set(bundles.map((bundle) => bundle.name));
        const problems = [];
        for (const bundle of bundles) {
            if (!bundle.metaFile) {
                problems.push(formatProblem(root, bundle.dir, 0, `bundle has no ${bundle.name}.js-meta.xml`));
                continue;
            }
            const { files, origin } = await deployableFiles(bundle, workDir);
            if (!Object.keys(files).some((name) => name.endsWith('.js'))) {
                problems.push(formatProblem(root, bundle.dir, 0, `bundle has no ${bundle.name}.ts or .js`));
                continue;
            }
            const apiVersion = await readBundleApiVersion(bundle.metaFile);
            const output = await compile({
                bundle: {
                    type: 'platform',
                    namespace,
                    name: bundle.name,
                    files,
                    options: apiVersion ? { apiVersion } : {}
                }
            });
            const failing = collectDiagnostics(output).filter((d) => d.level <= MAX_FAILING_LEVEL);
            for (const diagnostic of failing) {
                const source = diagnostic.filename ? origin[diagnostic.filename] : undefined;
                const line = diagnostic.location?.line
                    ? diagnostic.location.line - (source?.headerLines ?? 0)
                    : 0;
                problems.push(formatProblem(root, source?.file ?? bundle.dir, line, diagnostic.message));
            }
            if (!output.success && failing.length === 0) {
                problems.push(
                    formatProblem(root, bundle.dir, 0, 'compilation failed without an error diagnostic')
                );
            }
            for (const specifier of unresolvableImports(output, bundleNames)) {
                const { file, line } = locateSpecifier(specifier, files, origin, bundle.dir);
                problems.push(formatProblem(root, file, line, unresolvableMessage(specifier)));
            }
        }
        return { problems };
    }
};

/**
 * The bundle as it is deployed: `.ts` stripped to `.js` (the stale generated `.js` beside it is replaced),
 * tests left out. Returns the compiler's `files` map and, per bundle-relative name, the source file to blame
 * with the number of lines the generated header adds.
 */
async function deployableFiles(bundle, workDir) {
    const strippedDir = path.join(workDir, bundle.name);
    await stripTree(bundle.dir, strippedDir);
    const files = {};
    const origin = {};
    const sources = await walkFiles(bundle.dir, { skipDir: isTestDir });
    const present = new Set(sources);
    for (const file of sources) {
        const name = path.relative(bundle.dir, file).split(path.sep).join('/');
        if (file.endsWith('.d.ts')) continue;
        if (file.endsWith('.ts')) {
            const jsName = name.replace(/\.ts$/, '.js');
            files[jsName] = await fs.readFile(path.join(strippedDir, jsName), 'utf8');
            // Babel keeps the lines (retainLines) below the one-line "Generated from" header
            origin[jsName] = { file, headerLines: files[jsName].startsWith('// Generated from') ? 1 : 0 };
        } else if (
            COMPILED.test(name) &&
            !(name.endsWith('.js') && present.has(file.replace(/\.js$/, '.ts')))
        ) {
            files[name] = await fs.readFile(file, 'utf8');
            origin[name] = { file, headerLines: 0 };
        }
    }
    return { files, origin };
}

/** Top-level and per-output diagnostics, deduplicated. */
function collectDiagnostics(output) {
    const all = [
        ...(output.diagnostics ?? []),
        ...(output.results ?? []).flatMap((r) => r.diagnostics ?? [])
    ];
    const seen = new Set();
    return all.filter((d) => {
        const key = `${d.level}|${d.filename}|${d.location?.line}|${d.message}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}

/**
 * Imports the compiler accepts but the org cannot resolve: npm-style bare names (`sip.js`, `webphone-core`:
 * Jest's moduleNameMapper and the workbench resolve them, the platform does not; ship such code as a static
 * resource) and `c/<name>` with no such bundle in the source tree.
 */
function unresolvableImports(output, bundleNames) {
    const specifiers = new Set(
        (output.results ?? []).flatMap((r) => r.imports ?? []).map((i) => i.specifier)
    );
    return [...specifiers].filter((specifier) => {
        if (specifier === 'lwc') return false;
        if (!specifier.includes('/')) return true;
        const [namespace, name] = specifier.split('/');
        return namespace === 'c' && !bundleNames.has(name);
    });
}

function unresolvableMessage(specifier) {
    return specifier.startsWith('c/')
        ? `import "${specifier}": no such component in this source tree (the deploy fails to resolve it)`
        : `import "${specifier}": not a platform module; the org cannot resolve npm-style imports (use a static resource)`;
}

/** The first file of the bundle (and line) that names `specifier` in quotes, to blame the import. */
function locateSpecifier(specifier, files, origin, bundleDir) {
    for (const [name, code] of Object.entries(files)) {
        for (const quote of ["'", '"']) {
            const index = code.indexOf(`${quote}${specifier}${quote}`);
            if (index >= 0) {
                const source = origin[name];
                return { file: source.file, line: lineOfOffset(code, index) - source.headerLines };
            }
        }
    }
    return { file: bundleDir, line: 0 };
}
