// Apex file helpers shared by the Apex and vulnerable-library validate stages.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { displayPath, walkFiles } from './metadata-files.mjs';

/** Dependency folders never worth walking (dot-folders such as .git, .sf, .sfdx are skipped too). */
const SKIPPED_DIRS = new Set(['node_modules', 'bower_components']);

/**
 * Lists the files under `dir` whose names end with one of `extensions` (case-insensitive), sorted.
 * Skips dependency folders and dot-folders. A missing `dir` throws, so a mistyped `--source` fails the
 * stage instead of passing it with nothing checked.
 * @param {string} dir absolute folder to walk
 * @param {string[]} extensions such as ['.cls', '.trigger']
 * @returns {Promise<string[]>} absolute file paths
 */
export async function listFiles(dir, extensions) {
    const stat = await fs.stat(dir).catch(() => null);
    if (!stat || !stat.isDirectory()) throw new Error(`source folder ${dir} does not exist`);
    const wanted = extensions.map((ext) => ext.toLowerCase());
    const files = await walkFiles(dir, {
        skipDir: (name) => name.startsWith('.') || SKIPPED_DIRS.has(name)
    });
    return files.filter((file) => wanted.some((ext) => path.basename(file).toLowerCase().endsWith(ext)));
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

/** Reads a source file as text without a leading byte-order mark (the parsers' columns stay right). */
export async function readSource(file) {
    const text = await fs.readFile(file, 'utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
