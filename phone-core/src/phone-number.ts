/**
 * Phone numbers (F17): normalisation to E.164 with the org's default country and area code, the search
 * keys the Salesforce side indexes, display and click-to-dial helpers.
 *
 * Metadata choice: `libphonenumber-js/max`. The `min` set validates by length only, which breaks the
 * "no false match" rule (FAULT-CASES 11): with `min`, `600700800` in a CZ org is "valid" (+420600700800)
 * and `1234567` in a DE org is "valid" (+491234567); with `max` both are correctly invalid (600 is not an
 * assigned CZ range, DE has no 7-digit number starting with 1). `max` also gives the number type, which
 * the default-area-code rule needs (it only completes fixed-line numbers). Cost, measured with esbuild
 * --minify: min 121 kB / 29 kB gzip, max 194 kB / 49 kB gzip; the static resource is loaded once per
 * session, so +20 kB gzip is worth correct validity.
 *
 * Pipeline of {@link normalizePhoneNumber} (each step can end it):
 * ```
 * raw ─► > 256 chars? invalid ─► blank? empty ─► control chars? invalid
 *     ─► Unicode digits/separators folded to ASCII ─► withheld keyword? anonymous
 *     ─► SIP/tel URI unwrapped (user part; anonymous.invalid → anonymous) ─► extension split off
 *     ─► anything but digits, + * # and separators? invalid ─► contains * or #? short-code
 *     ─► '+' / '+00' ─► libphonenumber-js, international
 *     ─► no prefix: emergency? ─► 6-8 digits + org area code = valid fixed line? ─► ≤ 6 digits: short-code
 *     ─► libphonenumber-js in the default country ─► not valid and starts with 00? retry as '+'
 *     ─► valid (metadata type match and at most 15 digits) ─► E.164, display, search keys; else invalid
 * ```
 */
import { getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode, PhoneNumber, PhoneNumberType } from 'libphonenumber-js/max';
import { isEmergencyNumber } from './phone-number/emergency-numbers';
import {
    MAX_INPUT_LENGTH,
    foldToAscii,
    hasControlCharacters,
    isWithheldKeyword,
    splitExtension,
    unwrapUri
} from './phone-number/raw-input';

/** Longest raw value (in UTF-16 code units) that is interpreted; longer input is `invalid` / `too-long` unread. */
export const MAX_PHONE_INPUT_LENGTH = MAX_INPUT_LENGTH;

/**
 * What the raw value turned out to be.
 * - `valid`: a valid number per libphonenumber-js max metadata; `e164` set; searchable; dialable.
 * - `invalid`: not a valid number as written (see `reason`); never searched, never dialled; `raw` kept.
 * - `short-code`: service/feature code (`12345`, `*555`, `#31#`); dialable as is, never searched.
 * - `emergency`: emergency number of the default country (`112`, `911`, `999` in GB/PL); dialable, never searched.
 * - `anonymous`: withheld caller ID (`anonymous`, `Restricted`, `sip:anonymous@anonymous.invalid`, ...).
 * - `empty`: empty or whitespace-only input.
 */
export type PhoneNumberKind = 'valid' | 'invalid' | 'short-code' | 'emergency' | 'anonymous' | 'empty';

/** Why a number is `invalid`. */
export type PhoneNumberInvalidReason =
    /** Input longer than {@link MAX_PHONE_INPUT_LENGTH} characters or more than 20 digits: rejected unread. */
    | 'too-long'
    /** NUL or another control character: the value is corrupt or hostile. */
    | 'control-characters'
    /** Letters or symbols other than digits, `+ * #` and separators (vanity numbers are not converted). */
    | 'unexpected-characters'
    /** A `+` that is not at the start. */
    | 'misplaced-plus'
    /** Nothing to dial, e.g. `+` or `sip:@host`. */
    | 'no-digits'
    /** No international prefix and no (or an unknown) default country: nothing to anchor the number to. */
    | 'no-default-country'
    /** libphonenumber-js could not read it at all (e.g. `+0 48`). */
    | 'not-a-number'
    /** Wrong length for the country (e.g. `555-2671` in the US without an org area code). */
    | 'not-possible'
    /**
     * Right length but not an assigned range (e.g. `+48 0 600 700 800`, CZ `0601 123 456`, PL `022 123 45 67`),
     * or longer than the 15 digits E.164 allows although the metadata accepts it (`81048600700800` in DE).
     */
    | 'not-valid';

/** Interpretations applied to reach the result; worth logging, never needed to use the result. */
export type PhoneNumberNote =
    /** The number came out of a `sip:`/`sips:`/`tel:` URI or a name-addr around one. */
    | 'uri'
    /** Non-ASCII digits (Arabic-Indic, full-width, ...) were read as 0-9. */
    | 'unicode-digits'
    /** `+00` was read as `+`. */
    | 'plus-00'
    /** `00` was read as the international prefix although the default country uses another one (or none is set). */
    | 'idd-00-assumed'
    /** The org's default area code was put in front of a local (subscriber-only) number. */
    | 'area-code-added'
    /** A local number in a tel URI was anchored with its `phone-context=+NN`. */
    | 'phone-context';

/** Options of every function here: the org's settings. */
export interface PhoneNumberOptions {
    /**
     * ISO 3166-1 alpha-2 code of the org's country, case-insensitive (`'PL'`, `'pl'`). Empty or unknown means
     * "no default country": only numbers with an international prefix (`+`, `00`) can be valid.
     */
    defaultCountry: string;
    /**
     * The org's area code, completed in front of local numbers that lack it. Given as dialled inside the
     * country, with or without the trunk prefix: `'30'` or `'030'` (Berlin), `'415'` (San Francisco),
     * `'812'` or `'8812'` (St Petersburg), `'20'` or `'020'` (London). Separators are ignored; more than
     * 6 digits or no digits means "not set". Local-dialling semantics: a number without any prefix, with
     * 6 to 8 digits, not starting with 0 (nor, for 6 digits, with 1: 116xxx/118xx are service codes) is
     * read as a subscriber number of that area first, if the completed number is a valid fixed-line number
     * (`2345678` in a DE org with `030` is +49302345678, not libphonenumber's +49 234 5678 in Bochum).
     * Otherwise the number is read as written.
     */
    defaultAreaCode?: string;
}

/** Result of {@link normalizePhoneNumber}. Fields marked (extra) go beyond the minimum contract. */
export interface NormalizedPhoneNumber {
    /** The input exactly as given (never trimmed or cut), so it can always be logged. */
    raw: string;
    kind: PhoneNumberKind;
    /** E.164 (`+48600700800`) for `valid` only; `null` for every other kind. Never a guess. */
    e164: string | null;
    /** True only for `valid`: the number may be searched in the CRM. */
    searchable: boolean;
    /**
     * Keys for the SOQL `IN` lookup; empty unless `searchable`. See {@link phoneSearchKeys} for the contract.
     * Only `+` and ASCII digits; the E.164 is always first.
     */
    searchKeys: string[];
    /** (extra) What to store in a record's indexed normalised phone field: the E.164, or `null` when not valid. */
    storageKey: string | null;
    /** International and national formatting of a `valid` number (without the extension); `null` otherwise. */
    display: { international: string; national: string } | null;
    /** Extension split off the input (`x1234`, `ext. 1234`, `;ext=1234`, `,,1234#`, `#1234` → `'1234'`). */
    extension?: string;
    /** ISO alpha-2 region of a `valid` number (`'PL'`); absent for non-geographic numbers (+800, +882 ...). */
    country?: string;
    /** (extra) Country calling code of a `valid` number, without `+` (`'48'`). */
    countryCallingCode?: string;
    /** (extra) National significant number of a `valid` number (`'600700800'`). */
    nationalNumber?: string;
    /** (extra) Number type from the max metadata (`'MOBILE'`, `'FIXED_LINE'`, `'TOLL_FREE'`, ...), when known. */
    numberType?: PhoneNumberType;
    /** (extra) What to put in a SIP request URI; see {@link toDialString}. */
    dialString: string | null;
    /** Why the number is `invalid`; absent for other kinds. */
    reason?: PhoneNumberInvalidReason;
    /** (extra) Interpretations applied on the way, in order. */
    notes: PhoneNumberNote[];
}

/** Most digits we accept: 15 (E.164) + a 4-digit international prefix + a `(0)`. */
const MAX_DIGITS = 20;
/** Feature codes such as `*31#600700800` or `#21#` are at most this long. */
const MAX_FEATURE_CODE_LENGTH = 32;
/** Digit strings of at most this length without a prefix are short codes unless valid as numbers. */
const MAX_SHORT_CODE_DIGITS = 6;

/** What every E.164 we return looks like: `+`, no leading 0, 7 to 15 digits in all. */
const E164_SHAPE = /^\+[1-9]\d{6,14}$/;
const SEPARATORS = /[\s.\-/()[\]]/g;
const ALLOWED_NUMBER_TEXT = /^[0-9+*#\s.\-/()[\]]+$/;

interface Settings {
    country: CountryCode | undefined;
    callingCode: string | undefined;
    areaCode: string | undefined;
    /** False for the inner read-back of search keys: skip keys and formatting. */
    complete: boolean;
}

/** Resolved settings per (country, area code) as given: an org has one pair, so this stays tiny. */
const settingsCache = new Map<string, Settings>();
const SETTINGS_CACHE_SIZE = 16;

function resolveSettings(options: PhoneNumberOptions | undefined): Settings {
    const key = `${String(options?.defaultCountry)}\u0000${String(options?.defaultAreaCode)}`;
    let settings = settingsCache.get(key);
    if (settings === undefined) {
        settings = computeSettings(options);
        if (settingsCache.size >= SETTINGS_CACHE_SIZE) {
            settingsCache.clear();
        }
        settingsCache.set(key, settings);
    }
    return settings;
}

function computeSettings(options: PhoneNumberOptions | undefined): Settings {
    const code =
        typeof options?.defaultCountry === 'string' ? options.defaultCountry.trim().toUpperCase() : '';
    const country = /^[A-Z]{2}$/.test(code) && isSupportedCountry(code) ? (code as CountryCode) : undefined;
    const areaDigits =
        typeof options?.defaultAreaCode === 'string'
            ? foldToAscii(options.defaultAreaCode).text.replace(/\D/g, '')
            : '';
    return {
        country,
        callingCode: country ? getCountryCallingCode(country) : undefined,
        areaCode: areaDigits.length >= 1 && areaDigits.length <= 6 ? areaDigits : undefined,
        complete: true
    };
}

/** libphonenumber-js without surprises: whole input must be the number; no exception escapes. */
function parse(text: string, country: CountryCode | undefined): PhoneNumber | undefined {
    try {
        return parsePhoneNumberFromString(text, { defaultCountry: country, extract: false });
    } catch {
        return undefined;
    }
}

/**
 * Validity and type, each number assessed once. libphonenumber-js compiles a RegExp per pattern test, and
 * with max metadata `isValid()` is "some type pattern matches", i.e. the same scan as `getType()`; so
 * `getType()` answers both, and `isValid()` is only asked when no type matched (metadata without types).
 */
const assessed = new WeakMap<PhoneNumber, PhoneNumberType | 'valid-untyped' | 'invalid'>();

function assess(number: PhoneNumber): PhoneNumberType | 'valid-untyped' | 'invalid' {
    let verdict = assessed.get(number);
    if (verdict === undefined) {
        // E.164 caps a number at 15 digits; the DE metadata accepts longer ones (+49 8104 8600700800).
        verdict = !E164_SHAPE.test(number.number)
            ? 'invalid'
            : (number.getType() ?? (number.isValid() ? 'valid-untyped' : 'invalid'));
        assessed.set(number, verdict);
    }
    return verdict;
}

function isValid(number: PhoneNumber | undefined): number is PhoneNumber {
    return number !== undefined && assess(number) !== 'invalid';
}

function numberTypeOf(number: PhoneNumber): PhoneNumberType | undefined {
    const verdict = assess(number);
    return verdict === 'valid-untyped' || verdict === 'invalid' ? undefined : verdict;
}

function baseResult(raw: string, kind: PhoneNumberKind, notes: PhoneNumberNote[]): NormalizedPhoneNumber {
    return {
        raw,
        kind,
        e164: null,
        searchable: false,
        searchKeys: [],
        storageKey: null,
        display: null,
        dialString: null,
        notes
    };
}

function invalid(
    raw: string,
    reason: PhoneNumberInvalidReason,
    notes: PhoneNumberNote[],
    extension?: string
): NormalizedPhoneNumber {
    const result = baseResult(raw, 'invalid', notes);
    result.reason = reason;
    if (extension) {
        result.extension = extension;
    }
    return result;
}

function dialableCode(
    raw: string,
    kind: 'short-code' | 'emergency',
    code: string,
    notes: PhoneNumberNote[]
): NormalizedPhoneNumber {
    const result = baseResult(raw, kind, notes);
    result.dialString = code;
    return result;
}

function digitsOf(text: string): string {
    return text.replace(/\D/g, '');
}

/**
 * Search keys of a valid number (the contract is documented on {@link phoneSearchKeys}). Each extra key is
 * kept only if this normaliser, with the same org settings (area code included), reads it back as this very
 * number; so every key of a number normalises to that number, and no key of one number is a key of another.
 */
function searchKeysFor(number: PhoneNumber, national: string, settings: Settings): string[] {
    const keys = [number.number as string];
    if (settings.country === undefined || number.countryCallingCode !== settings.callingCode) {
        return keys;
    }
    for (const key of [
        number.nationalNumber,
        digitsOf(national),
        number.countryCallingCode + number.nationalNumber
    ]) {
        if (!keys.includes(key) && readsBackAs(key, number.number, settings)) {
            keys.push(key);
        }
    }
    return keys;
}

/**
 * Whether {@link normalizeWith} reads the digit string `key` as `e164`. Fast path, equivalent for keys
 * longer than a short code that the area-code rule cannot touch: then normalizeWith is a plain parse in the
 * default country, and an equal E.164 is as valid as the number the key came from (no second validity scan).
 */
function readsBackAs(key: string, e164: string, settings: Settings): boolean {
    const areaCodeMayApply = settings.areaCode !== undefined && key.length <= 8 && !key.startsWith('0');
    if (key.length > MAX_SHORT_CODE_DIGITS && !areaCodeMayApply) {
        return parse(key, settings.country)?.number === e164;
    }
    return normalizeWith(key, { ...settings, complete: false }).e164 === e164;
}

function validResult(
    raw: string,
    number: PhoneNumber,
    settings: Settings,
    notes: PhoneNumberNote[],
    extension: string | undefined
): NormalizedPhoneNumber {
    const e164 = number.number as string;
    if (!settings.complete) {
        // Inner read-back of a search key: only the E.164 is looked at.
        return { ...baseResult(raw, 'valid', notes), e164 };
    }
    const national = number.formatNational();
    const result: NormalizedPhoneNumber = {
        raw,
        kind: 'valid',
        e164,
        searchable: true,
        searchKeys: searchKeysFor(number, national, settings),
        storageKey: e164,
        display: { international: number.formatInternational(), national },
        countryCallingCode: number.countryCallingCode as string,
        nationalNumber: number.nationalNumber as string,
        dialString: e164,
        notes
    };
    if (extension) {
        result.extension = extension;
    }
    if (number.country) {
        result.country = number.country;
    }
    const type = numberTypeOf(number);
    if (type) {
        result.numberType = type;
    }
    return result;
}

/** The default area code in front of a local number, if that yields a valid fixed-line number (see options). */
function completeWithAreaCode(local: string, settings: Settings): PhoneNumber | undefined {
    if (
        !settings.country ||
        !settings.areaCode ||
        local.startsWith('0') ||
        local.length < 6 ||
        local.length > 8 ||
        (local.length === 6 && local.startsWith('1'))
    ) {
        return undefined;
    }
    const completed = parse(settings.areaCode + local, settings.country);
    if (!isValid(completed) || completed.countryCallingCode !== settings.callingCode) {
        return undefined;
    }
    const type = numberTypeOf(completed);
    const isFixedLine = type === 'FIXED_LINE' || type === 'FIXED_LINE_OR_MOBILE';
    const containsLocal =
        completed.nationalNumber.length > local.length && completed.nationalNumber.endsWith(local);
    return isFixedLine && containsLocal ? completed : undefined;
}

/**
 * Normalises a phone number as typed in the CRM or received as SIP caller ID.
 *
 * Never throws (whatever the input, including non-strings from JavaScript callers) and never returns a
 * wrong E.164: anything not valid as written is `invalid` with a `reason`, `e164: null`, no search keys,
 * and `raw` kept for the log. Interpretations beyond libphonenumber-js (documented on the types):
 * - `+00` is `+` (`+0048600700800` → +48600700800, FAULT-CASES 3).
 * - `00` is read as the international prefix when the default country's own reading is not valid, even
 *   where the country dials out with another prefix (US 011, RU 8~10) or no default country is set:
 *   `0031612345678` in a US org is +31612345678 (the Dutch mobile it obviously is, never a US number;
 *   no US number starts with 0) and `0048600700800` without a default country is +48600700800. This is
 *   the usual reading of CRM data; it is flagged with the note `idd-00-assumed`.
 * - A trunk prefix after the country code is dropped only where the country has one (libphonenumber-js
 *   behaviour): `+31 (0)6 12345678` → +31612345678, but `+48 0 600 700 800` is invalid (Poland has no
 *   trunk prefix, FAULT-CASES 4), as are CZ `0601 123 456` and legacy PL `022 123 45 67` (FAULT-CASES 5).
 * - RU `8` is the trunk prefix and `8 10` the international prefix, both from the metadata: `8 (916) 123-45-67`
 *   → +79161234567, `88005553535` → +78005553535, `8 10 48 600 700 800` → +48600700800 (FAULT-CASES 7).
 * - `600700800` in a CZ org is invalid: the max metadata has no CZ range 600 (mobiles are 601-608, 702-705,
 *   72-79), so it never matches the Polish +48600700800 (FAULT-CASES 11).
 * - Digit strings of up to 6 digits without a prefix are emergency numbers or short codes, unless the org's
 *   area code makes them a local fixed-line number (see {@link PhoneNumberOptions.defaultAreaCode}) or the
 *   default country writes full numbers that short without trunk prefix (e.g. 6-digit FO numbers).
 *   Consequence: a 5-digit local subscriber number is never completed with the area code.
 * - Without an org area code, a national number written without its trunk prefix is read the way
 *   libphonenumber-js reads it (`301234567` in DE → +49301234567).
 * - A run of leading `+` counts as one (`++48...`); a `+` anywhere else makes the input invalid.
 */
export function normalizePhoneNumber(raw: string, options: PhoneNumberOptions): NormalizedPhoneNumber {
    const text = typeof raw === 'string' ? raw : '';
    const settings = resolveSettings(options);
    if (text.length > RECENT_MAX_INPUT_LENGTH) {
        return normalizeWith(text, settings);
    }
    const key = `${settings.country ?? ''}\u0000${settings.areaCode ?? ''}\u0000${text}`;
    let result = recentResults.get(key);
    if (result === undefined) {
        result = normalizeWith(text, settings);
        if (recentResults.size >= RECENT_RESULTS_SIZE) {
            // Map keeps insertion order: the first key is the oldest entry
            recentResults.delete(recentResults.keys().next().value as string);
        }
    } else {
        recentResults.delete(key); // refreshed below as the newest entry
    }
    recentResults.set(key, result);
    return copyOfResult(result);
}

/**
 * The last results, least recently used first. One number is normalised several times in a row: the caller's
 * number on INVITE (search keys), then for the caller card (display) and for click-to-dial (`isDialable` and
 * `formatForDisplay` on every phone field shown); each of those would parse, validate and format it again.
 */
const recentResults = new Map<string, NormalizedPhoneNumber>();
const RECENT_RESULTS_SIZE = 256;
/** Longer input (rare, often hostile) is not kept. */
const RECENT_MAX_INPUT_LENGTH = 64;

/** Callers get their own copy: a cached result must not change when one of them edits what it got. */
function copyOfResult(result: NormalizedPhoneNumber): NormalizedPhoneNumber {
    const copy: NormalizedPhoneNumber = {
        ...result,
        searchKeys: [...result.searchKeys],
        notes: [...result.notes]
    };
    if (result.display) {
        copy.display = { ...result.display };
    }
    return copy;
}

function normalizeWith(rawText: string, settings: Settings): NormalizedPhoneNumber {
    const notes: PhoneNumberNote[] = [];
    if (rawText.length > MAX_INPUT_LENGTH) {
        return invalid(rawText, 'too-long', notes);
    }
    if (rawText.trim() === '') {
        return baseResult(rawText, 'empty', notes);
    }
    if (hasControlCharacters(rawText)) {
        return invalid(rawText, 'control-characters', notes);
    }
    const folded = foldToAscii(rawText);
    if (folded.mappedDigits) {
        notes.push('unicode-digits');
    }
    const text = folded.text.trim();
    if (text === '') {
        return baseResult(rawText, 'empty', notes);
    }
    if (!/^[\d+(]/.test(text) && isWithheldKeyword(text)) {
        return baseResult(rawText, 'anonymous', notes);
    }
    const uri = unwrapUri(text);
    if (uri.wasUri) {
        notes.push('uri');
        if (uri.anonymous || isWithheldKeyword(uri.text)) {
            return baseResult(rawText, 'anonymous', notes);
        }
    }
    const split = splitExtension(uri.text);
    const extension = split.extension ?? uri.extension;
    if (!ALLOWED_NUMBER_TEXT.test(split.base)) {
        return invalid(rawText, split.base === '' ? 'no-digits' : 'unexpected-characters', notes, extension);
    }
    const compact = split.base.replace(SEPARATORS, '');

    if (/[*#]/.test(compact)) {
        // Feature/service codes (*555, #31#, *21*600700800#): dialled verbatim, never searched.
        return /^[0-9*#]+$/.test(compact) && compact.length <= MAX_FEATURE_CODE_LENGTH && /\d/.test(compact)
            ? dialableCode(rawText, 'short-code', compact, notes)
            : invalid(
                  rawText,
                  compact.includes('+') ? 'misplaced-plus' : 'unexpected-characters',
                  notes,
                  extension
              );
    }
    const international = compact.startsWith('+');
    let digits = compact.replace(/^\++/, '');
    if (digits.includes('+')) {
        return invalid(rawText, 'misplaced-plus', notes, extension);
    }
    if (digits === '') {
        return invalid(rawText, 'no-digits', notes, extension);
    }
    if (digits.length > MAX_DIGITS) {
        return invalid(rawText, 'too-long', notes, extension);
    }
    if (international && digits.startsWith('00')) {
        digits = digits.slice(2);
        notes.push('plus-00');
    }

    let number: PhoneNumber | undefined;
    if (international) {
        number = parse('+' + digits, undefined);
    } else if (uri.phoneContext && digits.length > MAX_SHORT_CODE_DIGITS) {
        notes.push('phone-context');
        number = parse(uri.phoneContext + digits, undefined);
    } else {
        if (isEmergencyNumber(digits, settings.country)) {
            return dialableCode(rawText, 'emergency', digits, notes);
        }
        // Local dialling: with an org area code, 6-8 digits without prefix are a subscriber number first.
        const local = completeWithAreaCode(digits, settings);
        if (local) {
            notes.push('area-code-added');
            return validResult(rawText, local, settings, notes, extension);
        }
        if (digits.length <= MAX_SHORT_CODE_DIGITS) {
            // A number this short is a full number only in countries written without trunk prefix (FO, GL ...);
            // elsewhere libphonenumber's lenient reading (+49 234567) would be a guess.
            const asNumber = settings.country ? parse(digits, settings.country) : undefined;
            if (isValid(asNumber) && digitsOf(asNumber.formatNational()) === asNumber.nationalNumber) {
                return validResult(rawText, asNumber, settings, notes, extension);
            }
            return dialableCode(rawText, 'short-code', digits, notes);
        }
        if (!settings.country) {
            if (!digits.startsWith('00')) {
                return invalid(rawText, 'no-default-country', notes, extension);
            }
            notes.push('idd-00-assumed');
            number = parse('+' + digits.slice(2), undefined);
        } else {
            number = parse(digits, settings.country);
            if (!isValid(number) && digits.startsWith('00')) {
                const viaPlus = parse('+' + digits.slice(2), undefined);
                if (isValid(viaPlus)) {
                    notes.push('idd-00-assumed');
                    number = viaPlus;
                }
            }
        }
    }
    if (number === undefined) {
        return invalid(rawText, 'not-a-number', notes, extension);
    }
    if (assess(number) === 'invalid') {
        return invalid(rawText, number.isPossible() ? 'not-valid' : 'not-possible', notes, extension);
    }
    return validResult(rawText, number, settings, notes, extension);
}

/**
 * The keys to look a number up with: `normalizePhoneNumber(raw, options).searchKeys`.
 *
 * Contract with the Salesforce side (Apex stores one normalised value per record phone field in an
 * indexed field and queries `WHERE Key__c IN :searchKeys`):
 * - Not searchable (invalid, short code, emergency, anonymous, empty) → `[]`: never query.
 * - Valid → the E.164 first (`+48600700800`): unique worldwide; what a record normalised by phone-core
 *   stores ({@link NormalizedPhoneNumber.storageKey}).
 * - Valid and in the org's own country calling code (PL org, Polish number; US org, US or Canadian
 *   number) → also, when different and unambiguous:
 *   1. the national significant number (`600700800`, `612345678` NL, `9161234567` RU, `4155552671` US);
 *   2. the digits of the national format, i.e. with the trunk prefix (`0612345678` NL, `89161234567` RU,
 *      `0301234567` DE, `07911123456` GB);
 *   3. calling code + national number without `+` (`48600700800`, `14155552671`).
 *   These match records whose field was filled by the digits-only fallback of {@link fallbackStorageKey}
 *   (e.g. an Apex trigger on an API insert of `06-12345678`, FAULT-CASES 6). Each is emitted only if
 *   libphonenumber-js reads it back, in the org's country, as this same number, so no key of one number
 *   is ever a key of another.
 * - Valid but foreign → the E.164 only. A bare national number is deliberately NOT a key for a foreign
 *   number: in a CZ org, `600700800` typed on a record means a Czech number (or nothing), and must not
 *   find the Polish caller +48600700800 (FAULT-CASES 11).
 *
 * Keys depend on the org's default country: when the admin changes it, stored keys must be recomputed
 * (F17 clean-up job). Keys contain only `+` and ASCII digits, so binding them is safe in SOQL/SOSL.
 */
export function phoneSearchKeys(raw: string, options: PhoneNumberOptions): string[] {
    return normalizePhoneNumber(raw, options).searchKeys;
}

/**
 * Digits-only storage key for a stored phone value when phone-core cannot run (the reference for the
 * Apex fallback, which must implement exactly this):
 * 1. cut at the first character that is not a digit, `+`, space or one of `. - / ( ) [ ]`
 *    (drops extensions and trailing text);
 * 2. remove `(0)`;
 * 3. keep the digits; if the first kept character was `+`, prefix `+` (a `+00` prefix counts as `+`);
 *    else if the digits start with `00`, replace that `00` with `+`;
 * 4. fewer than 4 digits → `null` (emergency and 3-digit service codes are never stored).
 * The result equals one of {@link phoneSearchKeys} for the usual ways a number is stored (E.164,
 * `00`-international, national with or without trunk prefix, calling code without `+`); forms it gets
 * wrong (`+48 0 600 ...`, legacy `022 ...`) simply match nothing. ASCII input only.
 */
export function fallbackStorageKey(raw: string): string | null {
    if (typeof raw !== 'string' || raw.length > MAX_INPUT_LENGTH) {
        return null;
    }
    const kept = /^[0-9+\s.\-/()[\]]*/.exec(raw.trim())?.[0] ?? '';
    const withoutTrunk = kept.replace(/\(\s*0\s*\)/g, '');
    const plus = withoutTrunk.trimStart().startsWith('+');
    let digits = withoutTrunk.replace(/\D/g, '');
    if (plus && digits.startsWith('00')) {
        digits = digits.slice(2);
    }
    const international = plus || digits.startsWith('00');
    if (!plus && international) {
        digits = digits.slice(2);
    }
    if (digits.length < 4) {
        return null;
    }
    return international ? '+' + digits : digits;
}

/** How {@link formatForDisplay} formats a valid number. */
export type PhoneDisplayStyle = 'auto' | 'national' | 'international';

/**
 * Text for the agent: a valid number in national format when it is in the org's calling code and in
 * international format otherwise (`style` forces one), followed by ` ext. 1234` when there is an extension;
 * a short or emergency code as dialled; withheld or empty → `''` (the UI shows its own "Unknown caller"
 * label); an invalid number → the raw text without control characters, trimmed and cut to 64 characters
 * (render it as text, never HTML).
 */

/** Control characters never shown in a display string. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const DISPLAY_CONTROL_CHARACTERS = /[\u0000-\u001F\u007F]/g;
export function formatForDisplay(
    raw: string,
    options: PhoneNumberOptions,
    style: PhoneDisplayStyle = 'auto'
): string {
    const result = normalizePhoneNumber(raw, options);
    switch (result.kind) {
        case 'valid': {
            const display = result.display as { international: string; national: string };
            const domestic = result.countryCallingCode === resolveSettings(options).callingCode;
            const useNational = style === 'national' || (style === 'auto' && domestic);
            const text = useNational ? display.national : display.international;
            return result.extension ? `${text} ext. ${result.extension}` : text;
        }
        case 'short-code':
        case 'emergency':
            return result.dialString as string;
        case 'anonymous':
        case 'empty':
            return '';
        default:
            return result.raw.replace(DISPLAY_CONTROL_CHARACTERS, '').trim().slice(0, 64);
    }
}

/**
 * What to put in the SIP request URI for click-to-dial: the E.164 for a valid number (the extension is
 * not part of it; send it as DTMF after answer), the digits/`*`/`#` of a short or emergency code, `null`
 * when the value cannot be dialled (invalid, anonymous, empty).
 */
export function toDialString(raw: string, options: PhoneNumberOptions): string | null {
    return normalizePhoneNumber(raw, options).dialString;
}

/** Whether click-to-dial should offer the value: valid numbers, short codes and emergency numbers. */
export function isDialable(raw: string, options: PhoneNumberOptions): boolean {
    return toDialString(raw, options) !== null;
}
