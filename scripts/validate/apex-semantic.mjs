// Stage apex-semantic: type-checks all Apex offline, as the platform compiler does on deploy. apexlink 2.3.7
// resolves types, fields of standard and our custom objects (it reads objects/), methods and their signatures,
// and variables, case-insensitively like Apex. It runs over a scratch copy lowered to the syntax it knows
// (lib/apex-lowering.mjs) with stubs for the platform types newer than its snapshot (lib/apexlink/stubs),
// and every finding is mapped back to the real file, line and column.
//
// Fails on: syntax, error and missing-symbol findings; and on warnings, which here are a local hiding a field
// (the case-insensitive clash that once broke the deploy) or a call apexlink could not match "likely due to
// unknown type" (a stub gap must fail, never hide a finding).
// Not covered: SOQL/SOSL field names inside query strings (Database.query and friends), dynamic field access
// (`record.get('X')`), Visualforce expressions, and behaviour (sharing, FLS, limits): those are the Apex
// tests' job in an org.
import { promises as fs, statSync } from 'node:fs';
import path from 'node:path';
import { lowerApex } from './lib/apex-lowering.mjs';
import { APEX_EXTENSIONS, listFiles, missingSourceProblems, readSource } from './lib/apex-files.mjs';
import { shortenExpectedTokens } from './lib/apex-messages.mjs';
import { APEX_STUBS_DIR, runApexlink } from './lib/apexlink.mjs';
import { displayPath, readSourceApiVersion } from './lib/metadata-files.mjs';

/** Finding categories that fail the stage (apexlink's JSON `category`). */
const FAILING_CATEGORIES = new Set(['Syntax', 'Error', 'Missing', 'Warning']);

/** Where the Apex stubs go in the copy (a name no source folder has). */
const STUB_FOLDER = 'zz-apexlink-stubs';

/** Folders apexlink has no use for: the copy skips them (large, and not Apex). */
const SKIPPED_FOLDERS = new Set(['staticresources', 'lwc', 'aura']);

/**
 * Copies the source folder to `<workDir>/project/force-app`, lowering every Apex file.
 * @returns {Promise<{ projectDir: string, copyDir: string, lowered: Map<string, ReturnType<typeof lowerApex>> }>}
 *   `lowered` by the copy's absolute path
 */
async function prepareCopy(ctx) {
    const projectDir = path.join(ctx.workDir, 'project');
    const copyDir = path.join(projectDir, 'force-app');
    await fs.cp(ctx.sourceDir, copyDir, {
        recursive: true,
        filter: (from) => !SKIPPED_FOLDERS.has(path.basename(from)) || !isDirectorySync(from)
    });
    await fs.writeFile(
        path.join(projectDir, 'sfdx-project.json'),
        JSON.stringify({
            packageDirectories: [{ path: 'force-app', default: true }],
            namespace: ctx.namespace,
            sourceApiVersion: await readSourceApiVersion(ctx.root)
        })
    );
    // Apex stubs for platform methods apexlink cannot hold as Java (see lib/apexlink/apex-stubs)
    await fs.cp(APEX_STUBS_DIR, path.join(copyDir, STUB_FOLDER), { recursive: true });
    const lowered = new Map();
    for (const file of await listFiles(copyDir, APEX_EXTENSIONS)) {
        const result = lowerApex(await readSource(file), file.toLowerCase().endsWith('.trigger'));
        if (result.changed) await fs.writeFile(file, result.text);
        lowered.set(file, result);
    }
    return { projectDir, copyDir, lowered };
}

function isDirectorySync(file) {
    try {
        return statSync(file).isDirectory();
    } catch {
        return false;
    }
}

export default {
    name: 'apex-semantic',
    description: 'Apex type-checks: types, fields, methods, variables (apexlink over a lowered copy)',
    async run(ctx) {
        const problems = await missingSourceProblems(ctx);
        if (problems.length > 0) return { problems };
        if ((await listFiles(ctx.sourceDir, APEX_EXTENSIONS)).length === 0) return { problems };
        const { projectDir, copyDir, lowered } = await prepareCopy(ctx);
        const stubCopy = path.join(copyDir, STUB_FOLDER);
        const realPath = (copyFile) =>
            copyFile.startsWith(stubCopy + path.sep)
                ? path.join(APEX_STUBS_DIR, path.relative(stubCopy, copyFile))
                : path.join(ctx.sourceDir, path.relative(copyDir, copyFile));
        const shownCopyPaths = (text) =>
            text.split(copyDir + path.sep).join(displayPath(ctx.root, ctx.sourceDir) + '/');

        const findings = await runApexlink(ctx.root, projectDir);
        const seen = new Set();
        for (const finding of findings) {
            if (!FAILING_CATEGORIES.has(finding.category)) continue;
            const file = realPath(finding.file);
            const mapping = lowered.get(finding.file);
            const at = mapping ? mapping.toOriginal(finding.line, finding.column) : finding;
            const message = shownCopyPaths(shortenExpectedTokens(finding.message)).replace(/\r?\n/g, ' ');
            const problem = `${displayPath(ctx.root, file)}:${at.line}:${at.column + 1} ${finding.category}: ${message}`;
            if (!seen.has(problem)) problems.push(problem);
            seen.add(problem);
        }
        return { problems };
    }
};
