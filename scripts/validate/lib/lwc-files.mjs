// Finds LWC sources and bundles in a source tree (force-app or a validate fixture).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isTestDir, walkFiles } from './metadata-files.mjs';

/** Every directory named `lwc` under `sourceDir` (normally one: main/default/lwc). */
export async function findLwcRoots(sourceDir) {
    const roots = [];
    async function walk(current) {
        let entries;
        try {
            entries = await fs.readdir(current, { withFileTypes: true });
        } catch (error) {
            if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return;
            throw error;
        }
        for (const entry of entries) {
            if (!entry.isDirectory() || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
            const full = path.join(current, entry.name);
            if (entry.name === 'lwc') roots.push(full);
            else await walk(full);
        }
    }
    await walk(sourceDir);
    return roots.sort();
}

/**
 * The LWC sources a linter should see: `.ts` and hand-written `.js` under every lwc root, not tests,
 * not declarations, and not the `.js` that the build generates beside a `.ts`.
 */
export async function listLwcSources(sourceDir) {
    const files = [];
    for (const lwcRoot of await findLwcRoots(sourceDir)) {
        const all = await walkFiles(lwcRoot, { skipDir: isTestDir });
        const present = new Set(all);
        for (const file of all) {
            if (file.endsWith('.d.ts')) continue;
            if (file.endsWith('.ts')) files.push(file);
            else if (file.endsWith('.js') && !present.has(file.replace(/\.js$/, '.ts'))) files.push(file);
        }
    }
    return files.sort();
}

/**
 * The bundles under every lwc root: `{ name, dir, metaFile }`, `metaFile` null when the bundle
 * directory has no `<name>.js-meta.xml` (the platform rejects such a bundle).
 */
export async function listLwcBundles(sourceDir) {
    const bundles = [];
    for (const lwcRoot of await findLwcRoots(sourceDir)) {
        const entries = await fs.readdir(lwcRoot, { withFileTypes: true });
        for (const entry of entries) {
            if (!entry.isDirectory() || isTestDir(entry.name) || entry.name.startsWith('.')) continue;
            const dir = path.join(lwcRoot, entry.name);
            const metaFile = path.join(dir, `${entry.name}.js-meta.xml`);
            const hasMeta = await fs
                .access(metaFile)
                .then(() => true)
                .catch(() => false);
            bundles.push({ name: entry.name, dir, metaFile: hasMeta ? metaFile : null });
        }
    }
    return bundles.sort((a, b) => a.dir.localeCompare(b.dir));
}

/** The `<apiVersion>` of an LWC `.js-meta.xml` as a number, or undefined when absent. */
export async function readBundleApiVersion(metaFile) {
    const xml = await fs.readFile(metaFile, 'utf8');
    const match = /<apiVersion>\s*([\d.]+)\s*<\/apiVersion>/.exec(xml);
    return match ? Number(match[1]) : undefined;
}
