// File walking, problem formatting and project settings shared by the validate stages.
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Directories never part of a source tree we validate. */
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.sf', '.sfdx']);

/**
 * Every file under `dir`, recursively, as absolute paths sorted for stable output.
 * `skipDir(name, fullPath)` returning true prunes a directory; a missing `dir` yields no files.
 */
export async function walkFiles(dir, { skipDir = () => false } = {}) {
    const out = [];
    async function walk(current) {
        let entries;
        try {
            entries = await fs.readdir(current, { withFileTypes: true });
        } catch (error) {
            if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return;
            throw error;
        }
        for (const entry of entries) {
            const full = path.join(current, entry.name);
            if (entry.isDirectory()) {
                if (ALWAYS_SKIPPED.has(entry.name) || skipDir(entry.name, full)) continue;
                await walk(full);
            } else if (entry.isFile()) {
                out.push(full);
            }
        }
    }
    await walk(dir);
    return out.sort();
}

/** Jest-only directories: never deployed (.forceignore), so not validated as metadata. */
export const isTestDir = (name) => name === '__tests__' || name === '__mocks__';

/**
 * Path shown in a problem: relative to the project root when inside it (stable across machines and CI),
 * absolute otherwise; forward slashes either way.
 */
export function displayPath(root, file) {
    const relative = path.relative(root, file);
    const shown = !relative || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
    return shown.split(path.sep).join('/');
}

/** One problem line in the `path:line: message` form every validate stage reports. */
export function formatProblem(root, file, line, message) {
    return `${displayPath(root, file)}:${line ?? 0}: ${message}`;
}

/** The project's `sourceApiVersion` from sfdx-project.json, e.g. '65.0'. */
export async function readSourceApiVersion(root) {
    const project = JSON.parse(await fs.readFile(path.join(root, 'sfdx-project.json'), 'utf8'));
    if (typeof project.sourceApiVersion !== 'string' || !/^\d+\.0$/.test(project.sourceApiVersion)) {
        throw new Error(
            `sfdx-project.json: sourceApiVersion must look like "65.0", got ${project.sourceApiVersion}`
        );
    }
    return project.sourceApiVersion;
}

/** True when `sourceDir` is the project's real package directory rather than a fixture. */
export function isProjectSource(root, sourceDir) {
    return path.resolve(sourceDir) === path.resolve(root, 'force-app');
}

/** 1-based line of a 0-based character offset in `text`. */
export function lineOfOffset(text, offset) {
    let line = 1;
    for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
    return line;
}
