// Lowers Apex to the dialect apexlink 2.3.7 parses and resolves, keeping every line where it was, so a finding
// on the lowered copy points at the real code. The rewrites work on the parse tree of
// @apexdevtools/apex-parser (the grammar that tracks the platform compiler), never on regular expressions:
//
//  - `WITH USER_MODE` / `WITH SYSTEM_MODE` in SOQL and SOSL, and `as user` / `as system` on DML statements,
//    become blanks: apexlink's parser predates them, and they change access checks, not types.
//  - `a ?? b` becomes `(a != null ? a : b)`: the null-coalescing operator (API 60) is newer than apexlink's
//    parser; the conditional has the same operand types. The copy of `a` is written on the line of the `??`
//    with its tokens joined by spaces (no comment, no line break), so no line moves.
//  - `new Schema.X(...)` becomes `new        X(...)`: apexlink resolves `Schema.X` in types and expressions but
//    not after `new`.
//  - `System.Label.get(...)` / `Label.translationExists(...)` call the Apex stub `ApexlinkStub_Label` instead:
//    apexlink models `Label` only as the org's labels, without the methods (API 59) that read one by name.
//
// Blanking keeps columns; `??` adds text, so `toOriginal` maps a lowered position back through a per-character
// table of original offsets.
import {
    AccessLevelContext,
    ApexErrorListener,
    ApexParser,
    ApexParserFactory,
    CoalExpressionContext,
    CreatedNameContext,
    DotExpressionContext
} from '@apexdevtools/apex-parser';

/** The Apex stub (lib/apexlink/apex-stubs) that declares the methods of `System.Label`. */
export const LABEL_STUB_CLASS = 'ApexlinkStub_Label';
const LABEL_METHODS = new Set(['get', 'translationexists']);

/** ANTLR's default token channel: code, as against whitespace and comments. */
const DEFAULT_CHANNEL = 0;

/** A leaf of the parse tree (a token); rule contexts have `start`/`stop` tokens instead. */
const isTerminal = (node) => node.symbol !== undefined;

/**
 * @typedef {{ start: number, stop: number, kind: 'blank' | 'coalesce' | 'replace', node?: any, text?: string }} Rewrite
 *   a half-open character range [start, stop) of the original text and what replaces it
 */

/** Character range [start, stop) that a parse-tree node covers. */
function rangeOf(node) {
    if (isTerminal(node)) return { start: node.symbol.start, stop: node.symbol.stop + 1 };
    return { start: node.start.start, stop: node.stop.stop + 1 };
}

class SyntaxErrors extends ApexErrorListener {
    count = 0;
    apexSyntaxError() {
        this.count++;
    }
}

/** The rewrites a parse tree needs, outermost first within each range. */
function collectRewrites(tree, tokens) {
    /** @type {Rewrite[]} */
    const rewrites = [];
    const visit = (node) => {
        if (isTerminal(node)) {
            const type = node.symbol.type;
            if (type === ApexParser.USER_MODE || type === ApexParser.SYSTEM_MODE) {
                const withToken = previousDefaultToken(tokens, node.symbol.tokenIndex);
                if (withToken && withToken.type === ApexParser.WITH) {
                    rewrites.push({ start: withToken.start, stop: node.symbol.stop + 1, kind: 'blank' });
                }
            }
            return;
        }
        if (node instanceof AccessLevelContext) {
            rewrites.push({ ...rangeOf(node), kind: 'blank' });
            return;
        }
        if (node instanceof CreatedNameContext) {
            const pairs = node.idCreatedNamePair_list();
            if (pairs.length > 1 && pairs[0].getText().toLowerCase() === 'schema') {
                rewrites.push({
                    start: rangeOf(pairs[0]).start,
                    stop: rangeOf(node.DOT(0)).stop,
                    kind: 'blank'
                });
            }
        }
        if (node instanceof CoalExpressionContext) {
            rewrites.push({ ...rangeOf(node), kind: 'coalesce', node });
        }
        if (node instanceof DotExpressionContext && isLabelMethodCall(node)) {
            rewrites.push({ ...rangeOf(node.expression()), kind: 'replace', text: LABEL_STUB_CLASS });
        }
        for (const child of node.children ?? []) visit(child);
    };
    visit(tree);
    return rewrites.sort((a, b) => a.start - b.start || b.stop - a.stop);
}

/** `System.Label.get(...)`, `Label.translationExists(...)`: a call of a `Label` method by name. */
function isLabelMethodCall(node) {
    const call = node.dotMethodCall();
    if (!call || !LABEL_METHODS.has(call.anyId().getText().toLowerCase())) return false;
    const qualifier = node.expression().getText().toLowerCase();
    return qualifier === 'label' || qualifier === 'system.label';
}

function previousDefaultToken(tokens, index) {
    for (let i = index - 1; i >= 0; i--) {
        const token = tokens.get(i);
        if (token.channel === DEFAULT_CHANNEL) return token;
    }
    return null;
}

/**
 * Lowers one Apex source text.
 * @param {string} source the original text
 * @param {boolean} isTrigger parse as a trigger
 * @returns {{ text: string, changed: boolean, parsed: boolean, toOriginal: (line: number, column: number) => { line: number, column: number } }}
 *   the lowered text (same number of lines), whether anything changed, whether the original parsed
 *   (a file that does not parse is left as it is: apex-syntax reports it), and a map from a lowered
 *   1-based line and 0-based column to the original's
 */
export function lowerApex(source, isTrigger) {
    const errors = new SyntaxErrors();
    const { parser } = ApexParserFactory.createLexerAndParser(source, errors);
    const tree = isTrigger ? parser.triggerUnit() : parser.compilationUnit();
    const identity = (line, column) => ({ line, column });
    if (errors.count > 0) return { text: source, changed: false, parsed: false, toOriginal: identity };
    const tokens = parser.getTokenStream();
    const rewrites = collectRewrites(tree, tokens);
    if (rewrites.length === 0) return { text: source, changed: false, parsed: true, toOriginal: identity };

    /** Lowered text as pieces, each with the original offset of every character it holds. */
    const pieces = [];
    const emitOriginal = (start, stop) => {
        if (stop > start) pieces.push({ text: source.slice(start, stop), origin: start, inserted: false });
    };
    const emitInserted = (text, at) => pieces.push({ text, origin: at, inserted: true });
    const blank = (start, stop) =>
        pieces.push({
            text: source.slice(start, stop).replace(/[^\r\n]/g, ' '),
            origin: start,
            inserted: false
        });

    /** Emits the original range [start, stop) with every rewrite inside it applied. */
    const emitRange = (start, stop) => {
        let cursor = start;
        for (const rewrite of rewrites) {
            if (rewrite.start < cursor || rewrite.stop > stop) continue; // outside, or inside one already done
            emitOriginal(cursor, rewrite.start);
            if (rewrite.kind === 'blank') blank(rewrite.start, rewrite.stop);
            else if (rewrite.kind === 'replace') emitInserted(rewrite.text, rewrite.start);
            else emitCoalesce(rewrite.node);
            cursor = rewrite.stop;
        }
        emitOriginal(cursor, stop);
    };

    /** `a ?? b` -> `(a != null ? a : b)`, the copy of `a` on the line of the `??`. */
    const emitCoalesce = (node) => {
        const left = rangeOf(node.expression(0));
        const right = rangeOf(node.expression(1));
        const operator = rangeOf(node.COAL());
        emitInserted('(', left.start);
        emitRange(left.start, operator.start);
        emitInserted(`!= null ? ${flat(node.expression(0))} :`, operator.start);
        emitRange(operator.stop, right.stop);
        emitInserted(')', right.stop);
    };

    /** A node's lowered tokens on one line, joined by spaces. */
    const flat = (node) => {
        if (node instanceof CoalExpressionContext) {
            const left = flat(node.expression(0));
            return `(${left} != null ? ${left} : ${flat(node.expression(1))})`;
        }
        const { start, stop } = rangeOf(node);
        const parts = [];
        let index = isTerminal(node) ? node.symbol.tokenIndex : node.start.tokenIndex;
        const last = isTerminal(node) ? index : node.stop.tokenIndex;
        for (; index <= last; index++) {
            const token = tokens.get(index);
            if (token.channel !== DEFAULT_CHANNEL) continue;
            const inner = rewrites.find(
                (r) => r.start <= token.start && token.stop < r.stop && r.start >= start && r.stop <= stop
            );
            if (inner && inner.kind === 'blank') continue;
            if (inner && inner.kind === 'replace') {
                parts.push(inner.text);
                while (index < last && tokens.get(index + 1).start < inner.stop) index++;
                continue;
            }
            if (inner && inner.kind === 'coalesce') {
                parts.push(flat(inner.node));
                index = inner.node.stop.tokenIndex;
                continue;
            }
            parts.push(token.text);
        }
        return parts.join(' ');
    };

    emitRange(0, source.length);

    const text = pieces.map((piece) => piece.text).join('');
    const origins = new Int32Array(text.length + 1);
    let offset = 0;
    for (const piece of pieces) {
        for (let i = 0; i < piece.text.length; i++)
            origins[offset + i] = piece.inserted ? piece.origin : piece.origin + i;
        offset += piece.text.length;
    }
    origins[text.length] = source.length;

    const loweredLineStarts = lineStarts(text);
    const originalLineStarts = lineStarts(source);
    const toOriginal = (line, column) => {
        const lineStart = loweredLineStarts[Math.min(Math.max(line, 1), loweredLineStarts.length) - 1];
        const originalOffset = origins[Math.min(lineStart + Math.max(column, 0), text.length)];
        let originalLine = upperBound(originalLineStarts, originalOffset);
        return { line: originalLine, column: originalOffset - originalLineStarts[originalLine - 1] };
    };
    return { text, changed: true, parsed: true, toOriginal };
}

function lineStarts(text) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
    return starts;
}

/** The 1-based line holding `offset`: the count of line starts at or before it. */
function upperBound(starts, offset) {
    let low = 0;
    let high = starts.length;
    while (low < high) {
        const mid = (low + high) >> 1;
        if (starts[mid] <= offset) low = mid + 1;
        else high = mid;
    }
    return low;
}
