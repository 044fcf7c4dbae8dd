// Message clean-up shared by the Apex stages: one problem per line, readable.

/** Longer "expecting {...}" token sets than this are summarised. */
const MAX_LISTED_TOKENS = 6;

/**
 * ANTLR error messages (apex-parser, PMD's Apex parser) list every token the parser could accept, often
 * 170 of them ("expecting {'abstract', 'after', ..., '{', '}', ';', Identifier}"). Long sets become
 * "expecting one of N tokens"; short ones stay. Quoted '{' and '}' tokens inside a set are handled.
 * @param {string} message
 * @returns {string}
 */
export function shortenExpectedTokens(message) {
    let result = '';
    let index = 0;
    for (;;) {
        const start = message.indexOf('expecting {', index);
        if (start < 0) return result + message.slice(index);
        let cursor = start + 'expecting {'.length;
        let quoted = false;
        let tokens = 1;
        while (cursor < message.length && (quoted || message[cursor] !== '}')) {
            if (message[cursor] === "'") quoted = !quoted;
            else if (!quoted && message[cursor] === ',') tokens++;
            cursor++;
        }
        const whole = message.slice(start, cursor + 1);
        result +=
            message.slice(index, start) +
            (tokens > MAX_LISTED_TOKENS ? `expecting one of ${tokens} tokens` : whole);
        index = cursor + 1;
    }
}

/** Folds a multi-line message onto one line (" | " between the original lines). */
export function oneLine(message) {
    return String(message)
        .split(/\r?\n/)
        .map((part) => part.trim())
        .filter(Boolean)
        .join(' | ');
}
