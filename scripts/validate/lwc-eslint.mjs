// Stage lwc-eslint: the project's eslint.config.mjs over the LWC sources (.ts, and hand-written .js).
// Catches what the LWC/platform rule sets know: innerHTML, $A and Aura interop, @api reassignment, dynamic
// imports, unknown wire adapters, document queries, Worker (blocked by LWS)... Errors fail; warnings do not.
import { ESLint } from 'eslint';
import path from 'node:path';
import { listLwcSources } from './lib/lwc-files.mjs';
import { displayPath, formatProblem } from './lib/metadata-files.mjs';

/**
 * Security rules an `eslint-disable` comment must not silence: a suppressed report of one of these
 * is still a failure (other rules, e.g. no-async-operation for a justified setTimeout, may be disabled).
 */
const UNSUPPRESSIBLE = [
    /^@lwc\/lwc\/no-inner-html$/,
    /^@lwc\/lwc-platform\//,
    /^no-eval$/,
    /^no-implied-eval$/,
    /^no-new-func$/,
    /^no-restricted-globals$/
];

export default {
    name: 'lwc-eslint',
    description: 'ESLint (LWC recommended + platform rules) on LWC sources',
    async run({ root, sourceDir }) {
        const files = await listLwcSources(sourceDir);
        if (files.length === 0) return { problems: [] };

        const outside = files.filter((file) => path.relative(root, file).startsWith('..'));
        if (outside.length > 0) {
            // eslint.config.mjs scopes its LWC rules by path relative to the project root
            return {
                problems: outside.map((file) =>
                    formatProblem(root, file, 0, 'outside the project root: cannot lint')
                )
            };
        }

        const eslint = new ESLint({
            cwd: root,
            overrideConfigFile: path.join(root, 'eslint.config.mjs'),
            // the fixtures are ignored by the config (bad on purpose): lint exactly the files listed
            ignore: false,
            errorOnUnmatchedPattern: false
        });
        const results = await eslint.lintFiles(files);

        const problems = [];
        for (const result of results) {
            for (const message of result.messages) {
                // ruleId null: a parse error, or "no matching configuration" (the file was not really linted)
                if (message.severity === 2 || message.ruleId === null) {
                    problems.push(formatProblem(root, result.filePath, message.line, describe(message)));
                }
            }
            for (const message of result.suppressedMessages ?? []) {
                if (
                    message.severity === 2 &&
                    UNSUPPRESSIBLE.some((rule) => rule.test(message.ruleId ?? ''))
                ) {
                    problems.push(
                        formatProblem(
                            root,
                            result.filePath,
                            message.line,
                            `${describe(message)} (may not be disabled inline)`
                        )
                    );
                }
            }
        }
        if (results.length !== files.length) {
            const linted = new Set(results.map((result) => result.filePath));
            for (const file of files.filter((f) => !linted.has(f))) {
                problems.push(`${displayPath(root, file)}:0: ESLint did not lint this file`);
            }
        }
        return { problems };
    }
};

function describe(message) {
    return message.ruleId ? `${message.message} [${message.ruleId}]` : message.message;
}
