// Stage typescript: `tsc --noEmit` with the project's strict options. For the real project it checks the whole
// root tsconfig (LWC .ts, phone-core, tests, types); for a fixture it checks the fixture's .ts with the same
// options. Catches type errors the LWC compiler never sees (it only strips types).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { writeFixtureTsconfig } from './lib/lwc-tsconfig.mjs';
import { formatProblem, isProjectSource, walkFiles } from './lib/metadata-files.mjs';

const run = promisify(execFile);

/** `file(line,col): error TS1234: message` as printed by `tsc --pretty false`. */
const LOCATED = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+): (.*)$/;
const UNLOCATED = /^(error|warning) (TS\d+): (.*)$/;
/** TS18003 "No inputs were found": nothing to type-check yet, which is not a failure. */
const NO_INPUTS = 'TS18003';

export default {
    name: 'typescript',
    description: 'tsc --noEmit (strict) on TypeScript sources',
    async run({ root, sourceDir, workDir }) {
        if (isProjectSource(root, sourceDir)) {
            // the package and phone-core, then each Node-side project that has its own tsconfig
            const projects = [path.join(root, 'tsconfig.json')];
            for (const dir of NODE_PROJECTS) {
                const candidate = path.join(root, dir, 'tsconfig.json');
                if (existsSync(candidate)) projects.push(candidate);
            }
            const problems = [];
            for (const project of projects) problems.push(...(await check(root, project)));
            return { problems: problems.map((problem) => problem.text) };
        }
        const sources = await walkFiles(sourceDir);
        if (!sources.some((file) => file.endsWith('.ts'))) return { problems: [] };
        const project = await writeFixtureTsconfig({ root, sourceDir, workDir });
        // a fixture's verdict covers its own files: errors in project files it pulls in (types/, phone-core)
        // are reported by the project-mode run
        const problems = (await check(root, project)).filter(
            (problem) => !problem.file || isInside(sourceDir, problem.file)
        );
        return { problems: problems.map((problem) => problem.text) };
    }
};

/** Node-side TypeScript projects type-checked with their own tsconfig (they are not part of the package). */
const NODE_PROJECTS = ['simulator', 'workbench', 'e2e'];

/** Runs tsc on one project; returns its diagnostics (none when it compiles or has no inputs). */
async function check(root, project) {
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    let output;
    try {
        await run(process.execPath, [tsc, '--noEmit', '--pretty', 'false', '-p', project], {
            cwd: root,
            maxBuffer: 64 * 1024 * 1024
        });
        return [];
    } catch (error) {
        if (typeof error.stdout !== 'string') throw error;
        output = `${error.stdout}\n${error.stderr}`;
    }
    const parsed = parseTscOutput(output, root, project);
    if (parsed.length === 0) {
        return [{ code: 'TS', text: `tsc failed without diagnostics: ${output.trim().slice(0, 2000)}` }];
    }
    if (parsed.every((problem) => problem.code === NO_INPUTS)) return [];
    return parsed;
}

function isInside(dir, file) {
    const relative = path.relative(dir, file);
    return !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** tsc diagnostics as `{ code, file?, text }`, continuation lines folded into the diagnostic they belong to. */
function parseTscOutput(output, root, project) {
    const problems = [];
    for (const line of output.split(/\r?\n/)) {
        const located = LOCATED.exec(line);
        const unlocated = located ? null : UNLOCATED.exec(line);
        if (located) {
            const [, file, lineNo, , , code, message] = located;
            problems.push({
                code,
                text: formatProblem(root, path.resolve(root, file), lineNo, `${code} ${message}`)
            });
        } else if (unlocated) {
            const [, , code, message] = unlocated;
            problems.push({ code, text: formatProblem(root, project, 0, `${code} ${message}`) });
        } else if (line.trim() && problems.length > 0) {
            problems[problems.length - 1].text += ` ${line.trim()}`;
        }
    }
    return problems;
}
