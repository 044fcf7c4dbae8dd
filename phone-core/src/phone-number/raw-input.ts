/**
 * Pure text clean-up that runs before libphonenumber-js sees a number: URI unwrapping, Unicode digit
 * folding, withheld-caller keywords and extension splitting. Nothing here knows about countries.
 *
 * Every function is linear in its input and the caller caps the input length first, so hostile input
 * (10 kB strings, nested quotes, control characters) costs a bounded amount of work.
 */

/** Longest raw value we try to interpret; longer input is rejected without being scanned. */
export const MAX_INPUT_LENGTH = 256;

/** Longest extension we split off (libphonenumber-js accepts up to 20 after `;ext=`, 7-10 elsewhere). */
const MAX_EXTENSION_DIGITS = 10;

/**
 * Caller-ID texts that mean "the number is withheld". Compared after lower-casing and collapsing spaces.
 * `p` and `o` are the ETSI CLIP codes for "private" and "out of area". The national words cover the
 * languages of the org's users (F18) because carriers and PBXs localise them.
 */
const WITHHELD_WORDS: ReadonlySet<string> = new Set([
    'anonymous',
    'anonymous caller',
    'restricted',
    'unknown',
    'unknown caller',
    'unknown number',
    'private',
    'private number',
    'private caller',
    'unavailable',
    'not available',
    'withheld',
    'number withheld',
    'blocked',
    'no caller id',
    'caller id blocked',
    'p',
    'o',
    'anonym',
    'unbekannt',
    'anoniem',
    'onbekend',
    'nieznany',
    'zastrzeżony',
    'zastrzezony',
    'skrytý',
    'skryty',
    'neznámé',
    'neznámý',
    'неизвестен',
    'неизвестный',
    'скрыт',
    'скрытый',
    'скрытый номер',
    'inconnu',
    'masqué',
    'masque',
    'privé',
    'prive'
]);

/** True when the text is one of the withheld-caller keywords (case-insensitive). */
export function isWithheldKeyword(text: string): boolean {
    const folded = text.trim().toLowerCase().replace(/\s+/g, ' ');
    return folded.length <= 32 && WITHHELD_WORDS.has(folded.replace(/^"(.*)"$/, '$1'));
}

/** C0 controls other than tab/CR/LF, and DEL: never part of a legitimate number; rejected, not dropped. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** True when the text contains a control character that makes it untrustworthy (e.g. a NUL byte). */
export function hasControlCharacters(text: string): boolean {
    return CONTROL_CHARACTERS.test(text);
}

/**
 * Invisible formatting characters that copy/paste from chat apps, Outlook and RTL UIs puts around numbers:
 * zero-width spaces/joiners, bidi marks and isolates, word joiner, BOM, soft hyphen. They are removed.
 */
const IGNORABLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Unicode spaces and dash/dot/slash/bracket look-alikes that act as visual separators. */
const SEPARATOR_LOOKALIKES: Readonly<Record<string, string>> = {
    '\u00A0': ' ',
    '\u2007': ' ',
    '\u202F': ' ',
    '\u205F': ' ',
    '\u3000': ' ',
    '\u2010': '-',
    '\u2011': '-',
    '\u2012': '-',
    '\u2013': '-',
    '\u2014': '-',
    '\u2015': '-',
    '\u2212': '-',
    '\uFE63': '-',
    '\uFF0D': '-',
    '\u30FC': '-',
    '\uFF0E': '.',
    '\uFF0F': '/',
    '\uFF08': '(',
    '\uFF09': ')',
    '\uFF3B': '[',
    '\uFF3D': ']',
    '\uFF0B': '+',
    '\uFE62': '+',
    '\uFF03': '#',
    '\uFF0A': '*',
    '\uFF1B': ';',
    '\uFF0C': ',',
    '\uFF1D': '='
};

const DECIMAL_DIGIT = /\p{Nd}/u;

/**
 * Value 0-9 of any Unicode decimal digit (Arabic-Indic, full-width, Devanagari, ...). Unicode encodes every
 * Nd digit set as a contiguous run 0..9, and adjacent runs (the mathematical digits) come in whole tens,
 * so the distance from the start of the run modulo 10 is the digit value.
 */
function decimalDigitValue(codePoint: number): number {
    let start = codePoint;
    while (start > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) {
        start--;
    }
    return (codePoint - start) % 10;
}

/** Result of {@link foldToAscii}. */
export interface FoldedText {
    text: string;
    /** True when at least one non-ASCII digit was translated. */
    mappedDigits: boolean;
}

/**
 * Folds a number written with non-ASCII characters to ASCII: every Unicode decimal digit becomes 0-9,
 * full-width `+ * # ( ) - /` and Unicode spaces/dashes become their ASCII forms, invisible formatting marks
 * are removed. Other characters (letters, symbols) are kept so that the caller can reject them.
 */
export function foldToAscii(input: string): FoldedText {
    // Fast path: plain printable ASCII needs no work (the common case, important for the bench).
    if (/^[\x20-\x7E]*$/.test(input)) {
        return { text: input, mappedDigits: false };
    }
    let text = '';
    let mappedDigits = false;
    for (const char of input.replace(IGNORABLE, '')) {
        const codePoint = char.codePointAt(0) as number;
        if (codePoint < 0x80) {
            text += char;
        } else if (DECIMAL_DIGIT.test(char)) {
            text += String(decimalDigitValue(codePoint));
            mappedDigits = true;
        } else if (/\s/.test(char) || (codePoint >= 0x2000 && codePoint <= 0x200a)) {
            text += ' ';
        } else {
            text += SEPARATOR_LOOKALIKES[char] ?? char;
        }
    }
    return { text, mappedDigits };
}

/** Result of {@link unwrapUri}. */
export interface UnwrappedUri {
    /** The number part (user part of a SIP URI, the number of a tel URI), percent-decoded. */
    text: string;
    /** True when the input was a SIP/tel URI (or a name-addr around one). */
    wasUri: boolean;
    /** True when the URI itself says the caller is anonymous (RFC 3323 `sip:anonymous@anonymous.invalid`). */
    anonymous: boolean;
    /** `;ext=` parameter of the URI, if any. */
    extension?: string;
    /** RFC 3966 `phone-context` when it is a global number prefix such as `+48`; applied to local numbers. */
    phoneContext?: string;
}

/** Percent-decodes ASCII escapes only; never throws (unlike decodeURIComponent on a stray `%`). */
function percentDecode(text: string): string {
    return text.replace(/%([0-7][0-9A-Fa-f])/g, (_match, hex: string) =>
        String.fromCharCode(parseInt(hex, 16))
    );
}

/**
 * Takes the number out of `sip:`/`sips:`/`tel:` URIs and of name-addr forms such as
 * `"Alice" <sip:+48600700800@pbx.example.com;user=phone>`. Anything else is returned unchanged.
 */
export function unwrapUri(input: string): UnwrappedUri {
    let text = input.trim();
    const nameAddr = /^(?:"[^"]*"|[^<>"]*)\s*<([^<>]*)>$/.exec(text);
    if (nameAddr) {
        text = nameAddr[1].trim();
    }
    const scheme = /^(sips?|tel):/i.exec(text);
    if (!scheme) {
        return { text, wasUri: nameAddr !== null, anonymous: false };
    }
    let rest = text.slice(scheme[0].length);
    let host = '';
    if (scheme[1].toLowerCase() !== 'tel') {
        // SIP URI: user part before '@' (it may carry ;params of its own); URI headers after '?' dropped.
        rest = rest.split('?')[0];
        const at = rest.indexOf('@');
        if (at >= 0) {
            host = rest.slice(at + 1).split(/[;:]/)[0];
            rest = rest.slice(0, at);
        } else {
            rest = rest.split(';')[0];
        }
    }
    const [numberPart, ...params] = rest.split(';');
    const result: UnwrappedUri = {
        text: percentDecode(numberPart).trim(),
        wasUri: true,
        anonymous: host.toLowerCase() === 'anonymous.invalid'
    };
    for (const param of params) {
        const [name, value = ''] = percentDecode(param).split('=');
        const key = name.trim().toLowerCase();
        if (key === 'ext' && /^\d{1,10}$/.test(value.trim())) {
            result.extension = value.trim();
        } else if (key === 'phone-context' && /^\+[\d\-.()]{1,8}$/.test(value.trim())) {
            result.phoneContext = value.trim().replace(/[^\d+]/g, '');
        }
    }
    return result;
}

/** Result of {@link splitExtension}. */
export interface SplitExtension {
    base: string;
    extension?: string;
}

/** `ext. 1234`, `extension 12`, `x1234`, `доб. 12` (RU), `wew. 12` (PL), `kl. 12` (CZ), `toestel 12` (NL). */
const EXTENSION_WORD =
    /^(.*?\d[\s).\]]*?)[\s,]*(?:ext(?:ension|n)?|x|доб(?:авочный)?|wew(?:nętrzny)?|kl(?:apka)?|linka|toestel|tst|durchwahl|dw|poste)\.?\s*[:.=]?\s*(\d{1,10})#?$/i;
/** RFC 3966 style `;ext=1234` outside a URI. */
const EXTENSION_PARAM = /^(.*?\d[\s).\]]*?)\s*;\s*ext\s*=\s*(\d{1,10})$/i;
/** Dial-string pauses/waits: `,,1234#`, `;1234`, `p1234`, `w1234`. */
const EXTENSION_PAUSE = /^(.*?\d[\s).\]]*?)\s*[,;pw][,;pw\s]*(\d{1,10})#?$/i;
/** `#1234` after a full number (a PBX "dial extension" suffix). */
const EXTENSION_HASH = /^([^*#]*\d[\s).\]]*?)\s*#\s*(\d{1,10})#?$/;

function countDigits(text: string): number {
    let count = 0;
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code >= 48 && code <= 57) {
            count++;
        }
    }
    return count;
}

/**
 * Splits a trailing extension off an ASCII-folded number. `#` forms are only taken as an extension
 * when at least 7 digits precede them, so feature codes such as `*31#` or `#31#600700800` stay intact;
 * a lone trailing `#` (dial-string terminator) after a full number is dropped.
 */
export function splitExtension(text: string): SplitExtension {
    const trimmed = text.trim();
    if (trimmed.length > MAX_INPUT_LENGTH) {
        return { base: trimmed };
    }
    for (const pattern of [EXTENSION_PARAM, EXTENSION_WORD, EXTENSION_PAUSE]) {
        const match = pattern.exec(trimmed);
        if (match && countDigits(match[1]) >= 3 && match[2].length <= MAX_EXTENSION_DIGITS) {
            return { base: match[1].trim(), extension: match[2] };
        }
    }
    const hash = EXTENSION_HASH.exec(trimmed);
    if (hash && countDigits(hash[1]) >= 7) {
        return { base: hash[1].trim(), extension: hash[2] };
    }
    const terminator = /^([^*#]*\d)\s*#$/.exec(trimmed);
    if (terminator && countDigits(terminator[1]) >= 7) {
        return { base: terminator[1] };
    }
    return { base: trimmed };
}
