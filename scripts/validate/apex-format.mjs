// Stage apex-format: every .cls/.trigger is exactly what Prettier + prettier-plugin-apex print with the
// project's .prettierrc.json (printWidth 110, tabWidth 4). The plugin parses through its bundled native
// executable (one short process per file, no Java, no server, no network); on a platform without that
// executable it falls back to its Java CLI, which is slower but still needs no server to start or stop.
import * as prettier from 'prettier';
import * as apexPlugin from 'prettier-plugin-apex';
import path from 'node:path';
import { APEX_EXTENSIONS, listFiles, missingSourceProblems, readSource } from './lib/apex-files.mjs';
import { displayPath } from './lib/metadata-files.mjs';

/** Files formatted at once: each one spawns the native parser, so a few in parallel keep 2 cores busy. */
const CONCURRENCY = 4;

/**
 * The line (1-based) where `actual` first differs from `expected`.
 * @param {string} actual
 * @param {string} expected
 */
function firstDifferingLine(actual, expected) {
    const a = actual.split(/\r?\n/);
    const e = expected.split(/\r?\n/);
    const length = Math.max(a.length, e.length);
    for (let i = 0; i < length; i++) if (a[i] !== e[i]) return i + 1;
    return 1;
}

/**
 * Checks one file against the project's Prettier configuration.
 * @param {string} file absolute path of a .cls or .trigger
 * @param {string} configFile the project's .prettierrc.json
 * @returns {Promise<{ line: number, message: string } | null>} null when already formatted
 */
export async function checkApexFormat(file, configFile) {
    const resolved = (await prettier.resolveConfig(file, { config: configFile, editorconfig: false })) ?? {};
    // Force the Apex parser and the plugin object: the config's glob override and plugin name would not
    // apply to a source folder outside the project (e.g. a fixture copied to /tmp).
    const options = { ...resolved, filepath: file, parser: 'apex', plugins: [apexPlugin] };
    const source = await readSource(file);
    let formatted;
    try {
        formatted = await prettier.format(source, options);
    } catch (error) {
        const reason = String(error && error.message ? error.message : error).replace(/\r?\n/g, ' ');
        return { line: 1, message: `Prettier cannot parse it (apex-syntax gives the line): ${reason}` };
    }
    if (formatted === source) return null;
    return {
        line: firstDifferingLine(source, formatted),
        message:
            'not formatted as Prettier prints it (printWidth 110, tabWidth 4) from this line on: `npm run format` fixes it'
    };
}

export default {
    name: 'apex-format',
    description: 'Apex is Prettier-formatted (prettier-plugin-apex, .prettierrc.json)',
    async run(ctx) {
        const missing = await missingSourceProblems(ctx);
        if (missing.length > 0) return { problems: missing };
        const configFile = path.join(ctx.root, '.prettierrc.json');
        const files = await listFiles(ctx.sourceDir, APEX_EXTENSIONS);
        const results = new Array(files.length);
        let next = 0;
        async function worker() {
            while (next < files.length) {
                const index = next++;
                results[index] = await checkApexFormat(files[index], configFile);
            }
        }
        await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
        const problems = [];
        files.forEach((file, index) => {
            const result = results[index];
            if (result) problems.push(`${displayPath(ctx.root, file)}:${result.line}: ${result.message}`);
        });
        return { problems };
    }
};
