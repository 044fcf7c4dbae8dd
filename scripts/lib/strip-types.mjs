// Strips TypeScript types from LWC sources with Babel, keeping the decorators (@api, @track, @wire)
// exactly as the platform compiler expects them. tsc cannot be used: it lowers decorators.
import { transformAsync } from '@babel/core';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Babel options that turn one LWC `.ts` file into the deployable `.js`. */
export function stripOptions(filename) {
    return {
        filename,
        babelrc: false,
        configFile: false,
        comments: true,
        retainLines: true,
        plugins: [['@babel/plugin-syntax-decorators', { version: '2022-03' }]],
        presets: [['@babel/preset-typescript', { allowDeclareFields: true, onlyRemoveTypeImports: false }]]
    };
}

/** Returns the JavaScript for one TypeScript source. */
async function stripTypes(source, filename) {
    const result = await transformAsync(source, stripOptions(filename));
    if (!result || typeof result.code !== 'string') {
        throw new Error(`Babel produced no output for ${filename}`);
    }
    return `// Generated from ${path.basename(filename)} by scripts/build.mjs: edit the .ts, not this file.\n${result.code}\n`;
}

/** Every `.ts` file under `dir` (not declarations, not tests), recursively. */
async function listTypeScript(dir) {
    const out = [];
    async function walk(current) {
        let entries;
        try {
            entries = await fs.readdir(current, { withFileTypes: true });
        } catch (error) {
            if (error.code === 'ENOENT') return;
            throw error;
        }
        for (const entry of entries) {
            const full = path.join(current, entry.name);
            if (entry.isDirectory()) {
                if (entry.name === '__tests__' || entry.name === '__mocks__') continue;
                await walk(full);
            } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
                out.push(full);
            }
        }
    }
    await walk(dir);
    return out.sort();
}

/** Writes `x.js` beside every LWC `x.ts` under `lwcRoot`; returns the files written. */
export async function stripTree(lwcRoot, outRoot = lwcRoot) {
    const written = [];
    for (const file of await listTypeScript(lwcRoot)) {
        const target = path.join(outRoot, path.relative(lwcRoot, file)).replace(/\.ts$/, '.js');
        const code = await stripTypes(await fs.readFile(file, 'utf8'), file);
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.writeFile(target, code);
        written.push(target);
    }
    return written;
}
