// File helpers shared by the Apex and vulnerable-library validate stages.
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Folders never worth walking: dependencies, VCS data and tool caches. */
const SKIPPED_DIRS = new Set(['node_modules', 'bower_components']);

/**
 * Lists the files under `dir` whose names end with one of `extensions` (case-insensitive), sorted.
 * Skips node_modules and dot-folders (.git, .sf, .sfdx). A missing `dir` throws, so a mistyped
 * `--source` fails the stage instead of passing it with nothing checked.
 * @param {string} dir absolute folder to walk
 * @param {string[]} extensions such as ['.cls', '.trigger']
 * @returns {Promise<string[]>} absolute file paths
 */
export async function listFiles(dir, extensions) {
    const wanted = extensions.map((ext) => ext.toLowerCase());
    const found = [];
    async function walk(current) {
        const entries = await fs.readdir(current, { withFileTypes: true });
        for (const entry of entries) {
            const full = path.join(current, entry.name);
            if (entry.isDirectory()) {
                if (!entry.name.startsWith('.') && !SKIPPED_DIRS.has(entry.name)) await walk(full);
            } else if (entry.isFile() && wanted.some((ext) => entry.name.toLowerCase().endsWith(ext))) {
                found.push(full);
            }
        }
    }
    const stat = await fs.stat(dir).catch(() => null);
    if (!stat || !stat.isDirectory()) throw new Error(`source folder ${dir} does not exist`);
    await walk(dir);
    return found.sort();
}

/**
 * A stage's answer when its source folder is missing: one problem instead of a crash.
 * @param {{ root: string, sourceDir: string }} ctx the stage context
 * @returns {Promise<string[]>} empty when the folder exists
 */
export async function missingSourceProblems(ctx) {
    const stat = await fs.stat(ctx.sourceDir).catch(() => null);
    return stat && stat.isDirectory()
        ? []
        : [`${displayPath(ctx.root, ctx.sourceDir)}:0: source folder does not exist`];
}

/** The Apex sources the platform compiles: classes and triggers. */
export const APEX_EXTENSIONS = ['.cls', '.trigger'];

/**
 * The path to print in a problem: relative to the project root when inside it (stable across
 * machines and CI), absolute otherwise.
 * @param {string} root project root
 * @param {string} file absolute path
 */
export function displayPath(root, file) {
    const relative = path.relative(root, file);
    return relative && !relative.startsWith('..') && !path.isAbsolute(relative)
        ? relative.split(path.sep).join('/')
        : file;
}

/** Reads a source file as text without a leading byte-order mark (the parsers' columns stay right). */
export async function readSource(file) {
    const text = await fs.readFile(file, 'utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
