// Stage code-eslint: the project's eslint.config.mjs over everything that is not an LWC component:
// phone-core (which must stay platform-free: no lwc/lightning/@salesforce imports), the tooling
// scripts, benchmarks, the Voice connector, simulator, workbench and e2e. For a fixture tree, every .ts/.mjs/.js in it.
import { ESLint } from 'eslint';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { formatProblem, isProjectSource } from './lib/metadata-files.mjs';

const PROJECT_TARGETS = [
    'phone-core',
    'voice-connector',
    'scripts',
    'bench',
    'simulator',
    'workbench',
    'e2e',
    'jest.config.js',
    'eslint.config.mjs'
];

export default {
    name: 'code-eslint',
    description: 'ESLint on phone-core, the Voice connector, tooling, simulator, workbench and e2e code',
    async run({ root, sourceDir }) {
        const isProject = isProjectSource(root, sourceDir);
        const targets = isProject
            ? PROJECT_TARGETS.map((t) => path.join(root, t)).filter((t) => existsSync(t))
            : [path.join(sourceDir, '**/*.{ts,mjs,js}')];
        const eslint = new ESLint({
            cwd: root,
            overrideConfigFile: path.join(root, 'eslint.config.mjs'),
            // fixtures are ignored by the config (bad on purpose): lint them when named explicitly
            ignore: isProject,
            errorOnUnmatchedPattern: false
        });
        const results = await eslint.lintFiles(targets);
        const problems = [];
        for (const result of results) {
            for (const message of result.messages) {
                if (message.severity === 2 || message.ruleId === null) {
                    const rule = message.ruleId ? ` [${message.ruleId}]` : '';
                    problems.push(
                        formatProblem(root, result.filePath, message.line, `${message.message}${rule}`)
                    );
                }
            }
        }
        if (!isProject && results.length === 0) problems.push(`${sourceDir}: no files to lint`);
        return { problems };
    }
};
