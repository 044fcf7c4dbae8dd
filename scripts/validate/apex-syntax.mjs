// Stage apex-syntax: every .cls/.trigger must parse with @apexdevtools/apex-parser (the grammar that
// tracks the platform compiler). Lexer and parser errors are both collected, per file, through one
// error listener; `checkProject()` is not used because it reports status 0 even when files fail.
import { ApexErrorListener, ApexParserFactory } from '@apexdevtools/apex-parser';
import { shortenExpectedTokens } from './lib/apex-messages.mjs';
import { APEX_EXTENSIONS, listFiles, missingSourceProblems, readSource } from './lib/apex-files.mjs';
import { displayPath } from './lib/metadata-files.mjs';

/** Per file, the first errors are the useful ones: the rest are usually the parser recovering. */
const MAX_ERRORS_PER_FILE = 5;

class CollectingErrorListener extends ApexErrorListener {
    /** @type {{ line: number, column: number, message: string }[]} */
    errors = [];

    apexSyntaxError(line, column, msg) {
        // A lexer error quotes the offending text, newlines included: keep the problem on one line.
        this.errors.push({
            line,
            column: column + 1,
            message: shortenExpectedTokens(msg).replace(/\r?\n/g, '\\n')
        });
    }
}

/**
 * Parses one Apex source text.
 * @param {string} source the file's text
 * @param {boolean} isTrigger parse as a trigger (`trigger X on Y (...)`) rather than a class
 * @returns {{ line: number, column: number, message: string }[]} syntax errors, empty when it parses
 */
export function parseApex(source, isTrigger) {
    const listener = new CollectingErrorListener();
    const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
    if (isTrigger) parser.triggerUnit();
    else parser.compilationUnit();
    return listener.errors;
}

export default {
    name: 'apex-syntax',
    description: 'Apex classes and triggers parse (@apexdevtools/apex-parser)',
    async run(ctx) {
        const problems = await missingSourceProblems(ctx);
        if (problems.length > 0) return { problems };
        const files = await listFiles(ctx.sourceDir, APEX_EXTENSIONS);
        for (const file of files) {
            const errors = parseApex(await readSource(file), file.toLowerCase().endsWith('.trigger'));
            const shown = displayPath(ctx.root, file);
            for (const error of errors.slice(0, MAX_ERRORS_PER_FILE)) {
                problems.push(
                    `${shown}:${error.line}: syntax error (column ${error.column}): ${error.message}`
                );
            }
            if (errors.length > MAX_ERRORS_PER_FILE) {
                problems.push(
                    `${shown}:${errors[MAX_ERRORS_PER_FILE].line}: ... and ${errors.length - MAX_ERRORS_PER_FILE} more syntax errors`
                );
            }
        }
        return { problems };
    }
};
