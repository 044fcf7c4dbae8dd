/**
 * Proves that every `npm run validate` stage can fail: for each row of validate-fixtures/fixtures.json it runs
 * that stage on that fixture and expects a rejection (naming `mustMention`) or an acceptance.
 *
 * The stages are ES modules run by `node scripts/validate.mjs` in a child process (Jest here is CommonJS via
 * Babel): one process per fixture runs all the stages that fixture's rows name, and writes a JSON report.
 */
import { execFile } from 'child_process';
import { existsSync, promises as fs, readFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..');
const fixturesDir = path.join(root, 'validate-fixtures');

interface FixtureRow {
    fixture: string;
    stage: string;
    expect: 'reject' | 'accept';
    mustMention?: string;
}

interface StageResult {
    name: string;
    ok: boolean;
    problems: string[];
    seconds: number;
}

/** Slow stages (PMD starts a JVM) share one process per fixture; this covers the slowest fixture. */
const FIXTURE_TIMEOUT_MS = 300_000;

function readRows(): FixtureRow[] {
    return JSON.parse(readFileSync(path.join(fixturesDir, 'fixtures.json'), 'utf8')) as FixtureRow[];
}

const rows = readRows();
const fixtures = [...new Set(rows.map((row) => row.fixture))].sort();

/** Runs `stages` on one fixture through the real CLI and returns the results by stage name. */
async function validateFixture(fixture: string, stages: string[]): Promise<Map<string, StageResult>> {
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'validate-fixture-'));
    const report = path.join(tmp, 'report.json');
    let output = '';
    try {
        const args = [
            'scripts/validate.mjs',
            '--only',
            stages.join(','),
            '--source',
            path.join(fixturesDir, fixture)
        ];
        try {
            await run(process.execPath, [...args, '--json', report], {
                cwd: root,
                maxBuffer: 64 * 1024 * 1024
            });
        } catch (error) {
            // exit code 1 is how validate reports a rejection: the JSON report is what counts
            const failed = error as { stdout?: string; stderr?: string };
            output = `${failed.stdout ?? ''}\n${failed.stderr ?? ''}`;
        }
        if (!existsSync(report)) throw new Error(`validate wrote no report for ${fixture}:\n${output}`);
        const results = JSON.parse(await fs.readFile(report, 'utf8')) as StageResult[];
        return new Map(results.map((result) => [result.name, result]));
    } finally {
        await fs.rm(tmp, { recursive: true, force: true });
    }
}

/** STAGE_NAMES from the ES module, read by the Node that runs the stages. */
async function stageNames(): Promise<string[]> {
    const script =
        "import('./scripts/validate/stages.mjs').then((m) => console.log(JSON.stringify(m.STAGE_NAMES)))";
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: root });
    return JSON.parse(stdout) as string[];
}

describe('validate-fixtures/fixtures.json', () => {
    test('every row names an existing fixture, a known stage and a valid expectation', async () => {
        const known = await stageNames();
        for (const row of rows) {
            expect(existsSync(path.join(fixturesDir, row.fixture))).toBe(true);
            expect(known).toContain(row.stage);
            expect(['reject', 'accept']).toContain(row.expect);
        }
    });

    test('every validate stage has a fixture it must reject', async () => {
        const rejecting = new Set(rows.filter((row) => row.expect === 'reject').map((row) => row.stage));
        const missing = (await stageNames()).filter((stage) => !rejecting.has(stage));
        expect(missing).toEqual([]);
    });
});

describe.each(fixtures)('fixture %s', (fixture) => {
    const fixtureRows = rows.filter((row) => row.fixture === fixture);
    let results: Map<string, StageResult>;

    beforeAll(async () => {
        results = await validateFixture(fixture, [...new Set(fixtureRows.map((row) => row.stage))]);
    }, FIXTURE_TIMEOUT_MS);

    test.each(fixtureRows)('$stage: $expect', (row) => {
        const result = results.get(row.stage);
        expect(result).toBeDefined();
        const problems = result?.problems ?? [];
        // a crash is not a rejection: the stage must have looked at the input and found the fault
        expect(problems.filter((problem) => problem.startsWith('stage crashed'))).toEqual([]);
        if (row.expect === 'accept') {
            expect(problems).toEqual([]);
        } else {
            expect(problems.length).toBeGreaterThan(0);
            if (row.mustMention) expect(problems.join('\n')).toContain(row.mustMention);
        }
    });
});
