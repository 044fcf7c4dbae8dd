import {
    MAX_PHONE_INPUT_LENGTH,
    fallbackStorageKey,
    formatForDisplay,
    isDialable,
    normalizePhoneNumber,
    phoneSearchKeys,
    toDialString
} from '../src/phone-number';
import type { NormalizedPhoneNumber, PhoneNumberOptions } from '../src/phone-number';
import { DEFAULT_EMERGENCY_NUMBERS, EMERGENCY_NUMBERS } from '../src/phone-number/emergency-numbers';

/** The few google-libphonenumber members the cross-checks use (the package ships no types). */
interface GoogleNumber {
    getExtension(): string | undefined;
}
interface GoogleLibphonenumber {
    PhoneNumberUtil: {
        getInstance(): {
            parse(text: string, region: string): GoogleNumber;
            isValidNumber(number: GoogleNumber): boolean;
            format(number: GoogleNumber, format: number): string;
            getExampleNumberForType(region: string, type: number): GoogleNumber | null;
        };
    };
    PhoneNumberFormat: { E164: number; INTERNATIONAL: number; NATIONAL: number; RFC3966: number };
    PhoneNumberType: Record<string, number>;
    ShortNumberInfo: { getInstance(): { connectsToEmergencyNumber(text: string, region: string): boolean } };
}
// CommonJS package without types: required, then typed by the interface above
const google = require('google-libphonenumber') as GoogleLibphonenumber;
const googleUtil = google.PhoneNumberUtil.getInstance();

const E164_PATTERN = /^\+[1-9]\d{6,14}$/;
const KEY_PATTERN = /^\+?\d+$/;

interface Expected {
    kind: NormalizedPhoneNumber['kind'];
    e164?: string;
    extension?: string;
    reason?: NormalizedPhoneNumber['reason'];
    /** Exact search keys, in order, when the case is about them. */
    keys?: string[];
    /** Notes that must be present. */
    notes?: NormalizedPhoneNumber['notes'];
}

type Case = [label: string, raw: string, country: string, areaCode: string | undefined, expected: Expected];

const valid = (e164: string, more: Omit<Expected, 'kind' | 'e164'> = {}): Expected => ({
    kind: 'valid',
    e164,
    ...more
});
const invalid = (reason: NormalizedPhoneNumber['reason']): Expected => ({ kind: 'invalid', reason });
const SHORT: Expected = { kind: 'short-code' };
const EMERGENCY: Expected = { kind: 'emergency' };
const ANONYMOUS: Expected = { kind: 'anonymous' };
const EMPTY: Expected = { kind: 'empty' };

const PL_MOBILE_KEYS = ['+48600700800', '600700800', '48600700800'];
const NL_MOBILE_KEYS = ['+31612345678', '612345678', '0612345678', '31612345678'];

/* Every expected value below was checked against libphonenumber-js 1.13 max metadata (and, for numbers
 * without our own interpretations, against google-libphonenumber 3.2.47; see the agreement test). */
const CASES: Case[] = [
    // --- FAULT-CASES 1-12 -------------------------------------------------------------------------------
    ['FC1 national PL', '600 700 800', 'PL', undefined, valid('+48600700800', { keys: PL_MOBILE_KEYS })],
    [
        'FC1 00-international PL',
        '0048 600 700 800',
        'PL',
        undefined,
        valid('+48600700800', { keys: PL_MOBILE_KEYS })
    ],
    [
        'FC2 00 without default country',
        '0048600700800',
        '',
        undefined,
        valid('+48600700800', { keys: ['+48600700800'], notes: ['idd-00-assumed'] })
    ],
    ['FC2 national without default country', '600700800', '', undefined, invalid('no-default-country')],
    ['FC2 unknown default country', '600700800', 'XX', undefined, invalid('no-default-country')],
    ['FC3 +00 is +', '+0048600700800', 'PL', undefined, valid('+48600700800', { notes: ['plus-00'] })],
    [
        'FC3 +00 is + (spaced)',
        '+00 48 600 700 800',
        'CZ',
        undefined,
        valid('+48600700800', { keys: ['+48600700800'] })
    ],
    ['FC4 trunk 0 after +48', '+48 0 600 700 800', 'PL', undefined, invalid('not-valid')],
    ['FC4 (0) after +48', '+48 (0) 600 700 800', 'PL', undefined, invalid('not-valid')],
    ['FC5 CZ has no trunk 0', '0601 123 456', 'CZ', undefined, invalid('not-valid')],
    ['FC5 legacy PL 022', '022 123 45 67', 'PL', undefined, invalid('not-valid')],
    [
        'FC6 NL +31 (0)6',
        '+31 (0)6 12345678',
        'NL',
        undefined,
        valid('+31612345678', { keys: NL_MOBILE_KEYS })
    ],
    ['FC6 NL 06', '06 12345678', 'NL', undefined, valid('+31612345678', { keys: NL_MOBILE_KEYS })],
    ['FC6 NL 06- as stored', '06-12345678', 'NL', undefined, valid('+31612345678', { keys: NL_MOBILE_KEYS })],
    [
        'FC7 RU 8 trunk',
        '8 (916) 123-45-67',
        'RU',
        undefined,
        valid('+79161234567', { keys: ['+79161234567', '9161234567', '89161234567', '79161234567'] })
    ],
    [
        'FC7 RU 8800 is not a prefix',
        '88005553535',
        'RU',
        undefined,
        valid('+78005553535', { keys: ['+78005553535', '8005553535', '88005553535', '78005553535'] })
    ],
    [
        'FC7 RU 8 10 international',
        '8 10 48 600 700 800',
        'RU',
        undefined,
        valid('+48600700800', { keys: ['+48600700800'] })
    ],
    [
        'FC8 ext.',
        '+48 600 700 800 ext. 1234',
        'PL',
        undefined,
        valid('+48600700800', { extension: '1234', keys: PL_MOBILE_KEYS })
    ],
    ['FC8 x', '+48600700800 x1234', 'PL', undefined, valid('+48600700800', { extension: '1234' })],
    ['FC8 ;ext=', '+48600700800;ext=1234', 'PL', undefined, valid('+48600700800', { extension: '1234' })],
    ['FC8 ,,#', '+48600700800,,1234#', 'PL', undefined, valid('+48600700800', { extension: '1234' })],
    ['FC9 112', '112', 'PL', undefined, EMERGENCY],
    ['FC9 911', '911', 'US', undefined, EMERGENCY],
    ['FC9 *555', '*555', 'PL', undefined, SHORT],
    ['FC9 12345', '12345', 'PL', undefined, SHORT],
    ['FC10 anonymous', 'anonymous', 'PL', undefined, ANONYMOUS],
    ['FC10 Restricted', 'Restricted', 'PL', undefined, ANONYMOUS],
    ['FC10 empty caller ID', '', 'PL', undefined, EMPTY],
    // libphonenumber max: CZ 600 is not an assigned range (min metadata would say valid: see phone-number.ts)
    ['FC11 600700800 in CZ', '600700800', 'CZ', undefined, invalid('not-valid')],
    // 00 read as international even in a US org (US dials out with 011): the Dutch number, never a US one
    [
        'FC11 0031 in US',
        '0031612345678',
        'US',
        undefined,
        valid('+31612345678', { keys: ['+31612345678'], notes: ['idd-00-assumed'] })
    ],
    ['FC12 SOSL injection', '1" OR Name:* \\ {}', 'PL', undefined, invalid('unexpected-characters')],

    // --- punctuation and prefixes --------------------------------------------------------------------------
    ['PL dashes', '600-700-800', 'PL', undefined, valid('+48600700800')],
    ['PL dots', '600.700.800', 'PL', undefined, valid('+48600700800')],
    ['PL slashes', '600/700/800', 'PL', undefined, valid('+48600700800')],
    ['PL brackets', '[600] 700 800', 'PL', undefined, valid('+48600700800')],
    [
        'PL fixed line parens',
        '(22) 123-45-67',
        'PL',
        undefined,
        valid('+48221234567', { keys: ['+48221234567', '221234567', '48221234567'] })
    ],
    ['PL fixed line +48', '+48 22 123 45 67', 'PL', undefined, valid('+48221234567')],
    ['PL calling code without +', '48600700800', 'PL', undefined, valid('+48600700800')],
    ['PL ++ collapsed', '++48600700800', 'PL', undefined, valid('+48600700800')],
    ['PL + in the middle', '+48+600700800', 'PL', undefined, invalid('misplaced-plus')],
    [
        'PL number in CZ org is foreign',
        '+48 600 700 800',
        'CZ',
        undefined,
        valid('+48600700800', { keys: ['+48600700800'] })
    ],
    ['PL two numbers in one field', '600 700 800 / 600 700 801', 'PL', undefined, invalid('not-a-number')],
    ['PL label after number', '+48 600 700 800 (mobile)', 'PL', undefined, invalid('unexpected-characters')],
    ['NL 0031', '0031 6 12345678', 'NL', undefined, valid('+31612345678')],
    [
        'NL +31 06 (trunk dropped by libphonenumber)',
        '+31 06 12345678',
        'NL',
        undefined,
        valid('+31612345678')
    ],
    ['NL Amsterdam', '020 123 4567', 'NL', undefined, valid('+31201234567')],
    ['NL in US org', '+31 6 12345678', 'US', undefined, valid('+31612345678', { keys: ['+31612345678'] })],
    [
        'CZ +420',
        '+420 601 123 456',
        'CZ',
        undefined,
        valid('+420601123456', { keys: ['+420601123456', '601123456', '420601123456'] })
    ],
    ['CZ national', '601 123 456', 'CZ', undefined, valid('+420601123456')],
    ['CZ 00420', '00420 601 123 456', 'CZ', undefined, valid('+420601123456')],
    ['CZ Prague fixed', '222 123 456', 'CZ', undefined, valid('+420222123456')],
    ['CZ 0601 with +420', '+420 0601 123 456', 'CZ', undefined, invalid('not-valid')],
    ['RU +7', '+7 916 123-45-67', 'RU', undefined, valid('+79161234567')],
    ['RU dashes', '8-916-123-45-67', 'RU', undefined, valid('+79161234567')],
    ['RU 810 without space', '810 48 600 700 800', 'RU', undefined, valid('+48600700800')],
    [
        'RU 00 assumed',
        '00 48 600 700 800',
        'RU',
        undefined,
        valid('+48600700800', { notes: ['idd-00-assumed'] })
    ],
    ['RU St Petersburg', '8 (812) 123-45-67', 'RU', undefined, valid('+78121234567')],
    ['RU 8800 without trunk', '8005553535', 'RU', undefined, valid('+78005553535')],
    [
        'RU number in PL org',
        '+7 916 123 45 67',
        'PL',
        undefined,
        valid('+79161234567', { keys: ['+79161234567'] })
    ],
    ['RU 8 trunk in PL org is not a prefix', '89161234567', 'PL', undefined, invalid('not-possible')],
    [
        'DE Berlin',
        '030 1234567',
        'DE',
        undefined,
        valid('+49301234567', { keys: ['+49301234567', '301234567', '0301234567', '49301234567'] })
    ],
    ['DE slash', '030/1234567', 'DE', undefined, valid('+49301234567')],
    ['DE +49 (0)30', '+49 (0)30 1234567', 'DE', undefined, valid('+49301234567')],
    ['DE 0049', '0049 30 1234567', 'DE', undefined, valid('+49301234567')],
    ['DE mobile', '0151 12345678', 'DE', undefined, valid('+4915112345678')],
    ['DE without trunk read by libphonenumber', '301234567', 'DE', undefined, valid('+49301234567')],
    ['DE 7 digits starting with 1', '1234567', 'DE', undefined, invalid('not-valid')],
    // Both libraries call this +4981048600700800 valid: 16 digits, beyond the 15 E.164 allows
    ['DE reading longer than E.164', '8 10 48 600 700 800', 'DE', undefined, invalid('not-valid')],
    [
        'GB London',
        '020 7946 0000',
        'GB',
        undefined,
        valid('+442079460000', { keys: ['+442079460000', '2079460000', '02079460000', '442079460000'] })
    ],
    ['GB +44 (0)20', '+44 (0)20 7946 0000', 'GB', undefined, valid('+442079460000')],
    ['GB 0044', '0044 20 7946 0000', 'GB', undefined, valid('+442079460000')],
    // 07911 is a Guernsey range in the metadata: same calling code, so still domestic for keys
    [
        'GB mobile (GG range)',
        '07911 123456',
        'GB',
        undefined,
        valid('+447911123456', { keys: ['+447911123456', '7911123456', '07911123456', '447911123456'] })
    ],
    ['GB drama range 07700 900 is invalid', '+44 7700 900123', 'GB', undefined, invalid('not-valid')],
    ['GB freephone 7 digits', '0800 1111', 'GB', undefined, valid('+448001111')],
    [
        'US parens',
        '(415) 555-2671',
        'US',
        undefined,
        valid('+14155552671', { keys: ['+14155552671', '4155552671', '14155552671'] })
    ],
    ['US 1- prefix', '1-415-555-2671', 'US', undefined, valid('+14155552671')],
    ['US dots', '415.555.2671', 'US', undefined, valid('+14155552671')],
    ['US 011 international', '011 48 600 700 800', 'US', undefined, valid('+48600700800')],
    ['US 7 digits without area code', '555-2671', 'US', undefined, invalid('not-possible')],
    ['US toll free', '1 800 356 9377', 'US', undefined, valid('+18003569377')],
    [
        'US vanity letters are not converted',
        '1-800-FLOWERS',
        'US',
        undefined,
        invalid('unexpected-characters')
    ],
    [
        'CA number in US org is domestic',
        '+1 416 555 0123',
        'US',
        undefined,
        valid('+14165550123', { keys: ['+14165550123', '4165550123', '14165550123'] })
    ],
    [
        'US ext with space',
        '(415) 555-2671 x 123',
        'US',
        undefined,
        valid('+14155552671', { extension: '123' })
    ],
    [
        'FR national',
        '01 23 45 67 89',
        'FR',
        undefined,
        valid('+33123456789', { keys: ['+33123456789', '123456789', '0123456789', '33123456789'] })
    ],
    ['FR +33 (0)', '+33 (0)1 23 45 67 89', 'FR', undefined, valid('+33123456789')],
    ['FR 0033', '0033 6 12 34 56 78', 'FR', undefined, valid('+33612345678')],
    ['FR mobile dots', '06.12.34.56.78', 'FR', undefined, valid('+33612345678')],
    [
        'FR number in PL org',
        '+33 1 23 45 67 89',
        'PL',
        undefined,
        valid('+33123456789', { keys: ['+33123456789'] })
    ],
    [
        'non-geographic +800',
        '+800 1234 5678',
        'PL',
        undefined,
        valid('+80012345678', { keys: ['+80012345678'] })
    ],
    ['+ only', '+', 'PL', undefined, invalid('no-digits')],
    ['+0 is no calling code', '+0 48 600 700 800', 'PL', undefined, invalid('not-a-number')],

    // --- default area code ----------------------------------------------------------------------------------
    [
        'US 7 digits + area 415',
        '555-2671',
        'US',
        '415',
        valid('+14155552671', { notes: ['area-code-added'] })
    ],
    ['US 10 digits untouched by area', '(212) 555-2671', 'US', '415', valid('+12125552671', { notes: [] })],
    ['DE local + area 30', '1234567', 'DE', '30', valid('+49301234567', { notes: ['area-code-added'] })],
    ['DE local + area 030', '123 45 67', 'DE', '030', valid('+49301234567', { notes: ['area-code-added'] })],
    ['DE local + area (030) with separators', '1234567', 'DE', '(0 30)', valid('+49301234567')],
    // local dialling wins over libphonenumber's lenient +49 234 5678 (Bochum) when the org has an area code
    ['DE local that is also a trunkless number', '2345678', 'DE', '030', valid('+49302345678')],
    ['DE same without area code', '2345678', 'DE', undefined, valid('+492345678')],
    ['DE 6-digit local + area', '234567', 'DE', '30', valid('+4930234567', { notes: ['area-code-added'] })],
    ['DE 6-digit without area is a short code', '234567', 'DE', undefined, SHORT],
    ['DE 116117 stays a service code', '116117', 'DE', '30', SHORT],
    ['DE 5 digits never completed', '12345', 'DE', '30', SHORT],
    ['DE trunk number untouched by area', '089 1234567', 'DE', '30', valid('+49891234567', { notes: [] })],
    ['GB local + area 020', '7946 0000', 'GB', '020', valid('+442079460000', { notes: ['area-code-added'] })],
    ['NL local + area 020', '123 4567', 'NL', '020', valid('+31201234567')],
    ['RU local + area 812', '123-45-67', 'RU', '812', valid('+78121234567')],
    ['RU local + area 8812 (with trunk 8)', '123-45-67', 'RU', '8812', valid('+78121234567')],
    ['PL area code only if valid fixed line', '1234567', 'PL', '22', valid('+48221234567')],
    [
        'area code never turns a mobile into a landline',
        '600700800',
        'PL',
        '22',
        valid('+48600700800', { notes: [] })
    ],
    ['area code ignored without country', '1234567', '', '30', invalid('no-default-country')],
    ['area code too long is ignored', '1234567', 'DE', '1234567', invalid('not-valid')],

    // --- extensions ----------------------------------------------------------------------------------------
    ['ext no dot', '600 700 800 ext 1234', 'PL', undefined, valid('+48600700800', { extension: '1234' })],
    [
        'extension word',
        '600 700 800 extension 55',
        'PL',
        undefined,
        valid('+48600700800', { extension: '55' })
    ],
    [
        '#1234 after full number',
        '+48600700800#1234',
        'PL',
        undefined,
        valid('+48600700800', { extension: '1234' })
    ],
    ['pause comma', '600700800,1234', 'PL', undefined, valid('+48600700800', { extension: '1234' })],
    ['wait semicolon', '600700800;1234', 'PL', undefined, valid('+48600700800', { extension: '1234' })],
    ['RU доб.', '+7 916 123-45-67 доб. 12', 'RU', undefined, valid('+79161234567', { extension: '12' })],
    ['PL wew.', '22 123 45 67 wew. 21', 'PL', undefined, valid('+48221234567', { extension: '21' })],
    [
        'trailing # terminator dropped',
        '600700800#',
        'PL',
        undefined,
        valid('+48600700800', { keys: PL_MOBILE_KEYS })
    ],
    ['extension alone is not a number', 'ext. 1234', 'PL', undefined, invalid('unexpected-characters')],
    [
        'extension kept on invalid number',
        '+48 0 600 700 800 x 12',
        'PL',
        undefined,
        { kind: 'invalid', reason: 'not-valid', extension: '12' }
    ],

    // --- short codes, emergency, feature codes -------------------------------------------------------------
    ['999 GB emergency', '999', 'GB', undefined, EMERGENCY],
    ['999 PL emergency', '999', 'PL', undefined, EMERGENCY],
    ['999 US is only a short code', '999', 'US', undefined, SHORT],
    ['112 DE', '112', 'DE', undefined, EMERGENCY],
    ['110 DE police', '110', 'DE', undefined, EMERGENCY],
    ['15 FR SAMU', '15', 'FR', undefined, EMERGENCY],
    ['RU 03', '03', 'RU', undefined, EMERGENCY],
    ['112 without default country', '112', '', undefined, EMERGENCY],
    ['12345 without default country', '12345', '', undefined, SHORT],
    ['FR 3949 service', '3949', 'FR', undefined, SHORT],
    ['GB 118 118', '118 118', 'GB', undefined, SHORT],
    ['US *67', '*67', 'US', undefined, SHORT],
    ['CLIR prefix #31#', '#31#600700800', 'PL', undefined, SHORT],
    ['feature code with +', '*31#+48600700800', 'PL', undefined, invalid('misplaced-plus')],
    ['+112 is not a number', '+112', 'PL', undefined, invalid('not-possible')],

    // --- withheld, empty ------------------------------------------------------------------------------------
    ['Anonymous', 'Anonymous', 'PL', undefined, ANONYMOUS],
    ['unknown', 'unknown', 'PL', undefined, ANONYMOUS],
    ['private', 'private', 'PL', undefined, ANONYMOUS],
    ['unavailable', 'unavailable', 'PL', undefined, ANONYMOUS],
    ['UNAVAILABLE quoted', '"UNAVAILABLE"', 'PL', undefined, ANONYMOUS],
    ['PL Zastrzeżony', 'Zastrzeżony', 'PL', undefined, ANONYMOUS],
    ['RU Скрытый номер', 'Скрытый номер', 'RU', undefined, ANONYMOUS],
    ['whitespace only', ' \t ', 'PL', undefined, EMPTY],
    ['zero-width only', '\u200B\u200E', 'PL', undefined, EMPTY],

    // --- SIP and tel URIs ----------------------------------------------------------------------------------
    ['sip: user part', 'sip:+48600700800@host', 'PL', undefined, valid('+48600700800', { notes: ['uri'] })],
    ['tel:', 'tel:+48600700800', 'PL', undefined, valid('+48600700800', { notes: ['uri'] })],
    [
        'tel: with ext param',
        'tel:+48-600-700-800;ext=55',
        'PL',
        undefined,
        valid('+48600700800', { extension: '55' })
    ],
    [
        'tel: local with phone-context',
        'tel:600700800;phone-context=+48',
        'CZ',
        undefined,
        valid('+48600700800', { notes: ['uri', 'phone-context'] })
    ],
    [
        'sips: national user with user=phone',
        'sips:600700800@10.0.0.1;user=phone',
        'PL',
        undefined,
        valid('+48600700800')
    ],
    ['sip: percent-encoded +', 'sip:%2B48600700800@pbx.example.com', 'PL', undefined, valid('+48600700800')],
    [
        'name-addr',
        '"Jan Kowalski" <sip:+48600700800@pbx.example.com;transport=wss>',
        'PL',
        undefined,
        valid('+48600700800')
    ],
    ['sip anonymous.invalid', 'sip:anonymous@anonymous.invalid', 'PL', undefined, ANONYMOUS],
    ['name-addr anonymous', '"Anonymous" <sip:anonymous@anonymous.invalid>', 'PL', undefined, ANONYMOUS],
    ['sip: Restricted user', 'sip:Restricted@pbx.example.com', 'PL', undefined, ANONYMOUS],
    ['sip: name user', 'sip:alice@example.com', 'PL', undefined, invalid('unexpected-characters')],
    ['sip: short code', 'sip:*555@pbx.example.com', 'PL', undefined, SHORT],

    // --- Unicode and hostile input -----------------------------------------------------------------------------
    [
        'Arabic-Indic digits',
        '٦٠٠٧٠٠٨٠٠',
        'PL',
        undefined,
        valid('+48600700800', { notes: ['unicode-digits'] })
    ],
    ['Persian digits', '۶۰۰ ۷۰۰ ۸۰۰', 'PL', undefined, valid('+48600700800')],
    ['Devanagari digits', '६००७००८००', 'PL', undefined, valid('+48600700800')],
    ['full-width plus and digits', '＋４８ ６００ ７００ ８００', 'CZ', undefined, valid('+48600700800')],
    [
        'full-width parentheses and dash',
        '（０２０）７９４６－００００',
        'GB',
        undefined,
        valid('+442079460000')
    ],
    ['bidi marks around number', '\u202A+48 600 700 800\u202C', 'PL', undefined, valid('+48600700800')],
    ['NBSP separators', '600\u00A0700\u00A0800', 'PL', undefined, valid('+48600700800')],
    ['null byte', '600\u0000700800', 'PL', undefined, invalid('control-characters')],
    ['10 kB string', '9'.repeat(10_000), 'PL', undefined, invalid('too-long')],
    ['21 digits', '1'.repeat(21), 'PL', undefined, invalid('too-long')],
    ['HTML', '<img src=x onerror=alert(1)>', 'PL', undefined, invalid('unexpected-characters')],
    ['SOQL quote', "600700800' OR Phone != '", 'PL', undefined, invalid('unexpected-characters')],
    ['circled digits are not digits', '⑥⓪⓪⑦⓪⓪⑧⓪⓪', 'PL', undefined, invalid('unexpected-characters')],
    ['percent-encoding outside a URI', '%2B48600700800', 'PL', undefined, invalid('unexpected-characters')]
];

function normalize(raw: string, country: string, areaCode?: string): NormalizedPhoneNumber {
    const options: PhoneNumberOptions = { defaultCountry: country };
    if (areaCode !== undefined) {
        options.defaultAreaCode = areaCode;
    }
    return normalizePhoneNumber(raw, options);
}

/** Invariants that hold for every result, whatever the input. */
function expectWellFormed(result: NormalizedPhoneNumber, raw: string): void {
    expect(result.raw).toBe(raw);
    if (result.e164 !== null) {
        expect(result.e164).toMatch(E164_PATTERN);
    }
    expect(result.searchable).toBe(result.kind === 'valid');
    expect(result.e164 !== null).toBe(result.kind === 'valid');
    expect(result.storageKey).toBe(result.e164);
    for (const key of result.searchKeys) {
        expect(key).toMatch(KEY_PATTERN);
    }
    if (result.kind === 'valid') {
        expect(result.searchKeys[0]).toBe(result.e164);
        expect(new Set(result.searchKeys).size).toBe(result.searchKeys.length);
        expect(result.display).not.toBeNull();
        expect(result.dialString).toBe(result.e164);
        expect(result.reason).toBeUndefined();
    } else {
        expect(result.searchKeys).toEqual([]);
        expect(result.display).toBeNull();
    }
    expect(result.reason !== undefined).toBe(result.kind === 'invalid');
    if (result.kind === 'short-code' || result.kind === 'emergency') {
        expect(result.dialString).toMatch(/^[0-9*#]+$/);
    }
    if (result.kind === 'invalid' || result.kind === 'anonymous' || result.kind === 'empty') {
        expect(result.dialString).toBeNull();
    }
    if (result.extension !== undefined) {
        expect(result.extension).toMatch(/^\d{1,10}$/);
    }
}

describe('normalizePhoneNumber: table', () => {
    it('has at least 80 cases covering the eight countries of the org base', () => {
        expect(CASES.length).toBeGreaterThanOrEqual(80);
        const countries = new Set(CASES.map(([, , country]) => country));
        for (const country of ['PL', 'NL', 'CZ', 'RU', 'DE', 'GB', 'US', 'FR']) {
            expect(countries).toContain(country);
        }
        expect(new Set(CASES.map(([label]) => label)).size).toBe(CASES.length);
    });

    it.each(CASES)('%s: %j (%s, area %s)', (_label, raw, country, areaCode, expected) => {
        const result = normalize(raw, country, areaCode);
        expect(result.kind).toBe(expected.kind);
        expect(result.e164).toBe(expected.e164 ?? null);
        expect(result.extension).toBe(expected.extension);
        expect(result.reason).toBe(expected.reason);
        if (expected.keys) {
            expect(result.searchKeys).toEqual(expected.keys);
        }
        if (expected.notes) {
            if (expected.notes.length === 0) {
                expect(result.notes).toEqual([]);
            }
            for (const note of expected.notes) {
                expect(result.notes).toContain(note);
            }
        }
        expectWellFormed(result, raw);
    });

    it('is case-insensitive on the default country', () => {
        expect(normalize('600700800', 'pl').e164).toBe('+48600700800');
        expect(normalize('600700800', ' Pl ').e164).toBe('+48600700800');
    });

    it('fills display, country, type and national number of a valid number', () => {
        const result = normalize('06-12345678', 'NL');
        expect(result.display).toEqual({ international: '+31 6 12345678', national: '06 12345678' });
        expect(result.country).toBe('NL');
        expect(result.countryCallingCode).toBe('31');
        expect(result.nationalNumber).toBe('612345678');
        expect(result.numberType).toBe('MOBILE');
        expect(normalize('+800 1234 5678', 'PL').country).toBeUndefined();
    });
});

describe('normalizePhoneNumber: agreement with google-libphonenumber', () => {
    // Our own interpretations (00 assumed, area code, URIs, extensions, Unicode, +00, the 15-digit cap) are
    // excluded: there the two differ on purpose. Elsewhere both must give the same E.164, or both reject.
    const DELIBERATE_DIFFERENCES = new Set(['DE reading longer than E.164']);
    const plain = CASES.filter(
        ([label, raw, country, areaCode, expected]) =>
            !DELIBERATE_DIFFERENCES.has(label) &&
            country !== '' &&
            country !== 'XX' &&
            areaCode === undefined &&
            expected.extension === undefined &&
            (expected.kind === 'valid' || expected.kind === 'invalid') &&
            !(expected.notes ?? []).some((note) => note !== 'uri') &&
            /^[0-9+\s.\-/()]+$/.test(raw) &&
            !raw.includes('+00') &&
            !raw.startsWith('++')
    );

    it.each(plain)('%s', (_label, raw, country) => {
        const ours = normalize(raw, country).e164;
        let theirs: string | null = null;
        try {
            const number = googleUtil.parse(raw, country);
            theirs = googleUtil.isValidNumber(number)
                ? googleUtil.format(number, google.PhoneNumberFormat.E164)
                : null;
        } catch {
            theirs = null;
        }
        expect(ours).toBe(theirs);
    });

    it('covers a meaningful share of the table', () => {
        expect(plain.length).toBeGreaterThanOrEqual(40);
    });
});

describe('normalizePhoneNumber: properties over example numbers in many formats', () => {
    const COUNTRIES = ['PL', 'NL', 'CZ', 'RU', 'DE', 'GB', 'US', 'FR'];
    const TYPES = [
        'FIXED_LINE',
        'MOBILE',
        'TOLL_FREE',
        'PREMIUM_RATE',
        'SHARED_COST',
        'VOIP',
        'PERSONAL_NUMBER',
        'UAN'
    ];
    interface Example {
        country: string;
        e164: string;
        formats: string[];
    }
    const examples: Example[] = [];
    for (const country of COUNTRIES) {
        for (const type of TYPES) {
            const number = googleUtil.getExampleNumberForType(country, google.PhoneNumberType[type]);
            if (!number) {
                continue;
            }
            const e164 = googleUtil.format(number, google.PhoneNumberFormat.E164);
            const international = googleUtil.format(number, google.PhoneNumberFormat.INTERNATIONAL);
            examples.push({
                country,
                e164,
                formats: [
                    e164,
                    international,
                    googleUtil.format(number, google.PhoneNumberFormat.NATIONAL),
                    googleUtil.format(number, google.PhoneNumberFormat.RFC3966),
                    '00' + e164.slice(1),
                    international.replace(/ /g, '-'),
                    `sip:${e164}@pbx.example.com`,
                    `${international} ext. 42`
                ]
            });
        }
    }

    it('found example numbers for every country', () => {
        expect(new Set(examples.map((example) => example.country)).size).toBe(COUNTRIES.length);
        expect(examples.length).toBeGreaterThan(40);
    });

    /** An org area code per country, to check that it never changes the reading of a complete number. */
    const AREA_CODES: Record<string, string> = {
        PL: '22',
        NL: '020',
        CZ: '2',
        RU: '495',
        DE: '030',
        GB: '020',
        US: '415',
        FR: '01'
    };

    it('reads every format of every example as the same E.164, at home (with or without area code) and abroad', () => {
        for (const { country, e164, formats } of examples) {
            for (const format of formats) {
                const home = normalize(format, country);
                expectWellFormed(home, format);
                expect({ format, e164: home.e164 }).toEqual({ format, e164 });
                expect({ format, e164: normalize(format, country, AREA_CODES[country]).e164 }).toEqual({
                    format,
                    e164
                });
                if (format !== formats[2]) {
                    // Every format except the national one carries the country: same result in another org.
                    const abroad = normalize(format, country === 'PL' ? 'CZ' : 'PL');
                    expect({ format, e164: abroad.e164 }).toEqual({ format, e164 });
                    expect(abroad.searchKeys).toEqual([e164]);
                }
            }
        }
    });

    it('reads every search key back as the number it belongs to (so keys never collide)', () => {
        for (const withAreaCode of [false, true]) {
            const owner = new Map<string, string>();
            for (const { country, e164 } of examples) {
                const areaCode = withAreaCode ? AREA_CODES[country] : undefined;
                const keys = normalize(e164, country, areaCode).searchKeys;
                expect(keys.length).toBeGreaterThanOrEqual(country === 'PL' || country === 'CZ' ? 1 : 2);
                for (const key of keys) {
                    expect({ key, e164: normalize(key, country, areaCode).e164 }).toEqual({ key, e164 });
                    const previous = owner.get(`${country}:${key}`);
                    expect(previous === undefined || previous === e164).toBe(true);
                    owner.set(`${country}:${key}`, e164);
                }
            }
        }
    });

    it('finds the fallback key of common stored forms among the search keys', () => {
        for (const { country, e164, formats } of examples) {
            const keys = phoneSearchKeys(e164, { defaultCountry: country });
            for (const stored of [formats[0], formats[1], formats[2], formats[4], formats[5], formats[7]]) {
                const fallback = fallbackStorageKey(stored);
                expect({ stored, found: fallback !== null && keys.includes(fallback) }).toEqual({
                    stored,
                    found: true
                });
            }
        }
    });
});

describe('search keys', () => {
    it('are empty for everything that is not a valid number', () => {
        for (const raw of ['112', '*555', 'anonymous', '', '+48 0 600 700 800', '1" OR Name:* \\ {}']) {
            expect(phoneSearchKeys(raw, { defaultCountry: 'PL' })).toEqual([]);
        }
    });

    it('do not let a bare national number of one country find a number of another (FAULT-CASES 11)', () => {
        const polishCaller = phoneSearchKeys('+48600700800', { defaultCountry: 'CZ' });
        const czechRecord = phoneSearchKeys('600700800', { defaultCountry: 'CZ' });
        expect(polishCaller).toEqual(['+48600700800']);
        expect(czechRecord.filter((key) => polishCaller.includes(key))).toEqual([]);
    });

    it('match a record stored as 06-12345678 from a caller +31612345678 (FAULT-CASES 6)', () => {
        const caller = phoneSearchKeys('+31612345678', { defaultCountry: 'NL' });
        expect(caller).toContain(normalize('06-12345678', 'NL').storageKey);
        expect(caller).toContain(fallbackStorageKey('06-12345678'));
    });

    it('drop a national key that the org area code would read as another number', () => {
        // In a Berlin org, "2345678" on a record is the Berlin number, so it is not a key of Bochum's +492345678.
        expect(phoneSearchKeys('+492345678', { defaultCountry: 'DE', defaultAreaCode: '030' })).toEqual([
            '+492345678',
            '02345678'
        ]);
        expect(phoneSearchKeys('+492345678', { defaultCountry: 'DE' })).toEqual([
            '+492345678',
            '2345678',
            '02345678'
        ]);
    });
});

describe('fallbackStorageKey (reference for the Apex fallback)', () => {
    it.each([
        ['+48 600 700 800', '+48600700800'],
        ['0048 600 700 800', '+48600700800'],
        ['+0048 600 700 800', '+48600700800'],
        ['+31 (0)6 12345678', '+31612345678'],
        ['06-12345678', '0612345678'],
        ['600 700 800 ext. 12', '600700800'],
        ['(415) 555-2671 x 1', '4155552671'],
        ['14 020', '14020'],
        ['112', null],
        ['anonymous', null],
        ['', null],
        ['9'.repeat(10_000), null]
    ])('%j -> %j', (raw, expected) => {
        expect(fallbackStorageKey(raw)).toBe(expected);
    });
});

describe('emergency table', () => {
    it('agrees with google-libphonenumber ShortNumberInfo for every listed country', () => {
        const shortInfo = google.ShortNumberInfo.getInstance();
        for (const [country, numbers] of Object.entries(EMERGENCY_NUMBERS)) {
            const fromGoogle: string[] = [];
            for (const length of [2, 3]) {
                for (let i = 0; i < 10 ** length; i++) {
                    const digits = String(i).padStart(length, '0');
                    const coveredByShorter = fromGoogle.some((number) => digits.startsWith(number));
                    if (!coveredByShorter && shortInfo.connectsToEmergencyNumber(digits, country)) {
                        fromGoogle.push(digits);
                    }
                }
            }
            expect({ country, numbers: [...numbers].sort() }).toEqual({
                country,
                numbers: fromGoogle.sort()
            });
        }
    });

    it('uses 112/911/999 when the country is not in the table', () => {
        expect(DEFAULT_EMERGENCY_NUMBERS).toEqual(['112', '911', '999']);
        expect(normalize('999', 'SE').kind).toBe('emergency');
        expect(normalize('112', 'SE').kind).toBe('emergency');
        expect(normalize('911', 'PL').kind).toBe('short-code');
    });
});

describe('hostile input', () => {
    const HOSTILE: unknown[] = [
        '1" OR Name:* \\ {}',
        'x'.repeat(10_240),
        '+' + '4'.repeat(MAX_PHONE_INPUT_LENGTH + 1),
        '\u0000',
        '600700800\u0000',
        '\u0000+48600700800',
        '١'.repeat(300),
        '𝟔𝟎𝟎𝟕𝟎𝟎𝟖𝟎𝟎',
        '\uD800',
        '\uDFFF600700800',
        '1' + ' '.repeat(MAX_PHONE_INPUT_LENGTH - 2) + 'x',
        '1,'.repeat(MAX_PHONE_INPUT_LENGTH / 2),
        '('.repeat(MAX_PHONE_INPUT_LENGTH),
        'sip:' + '@'.repeat(200),
        'tel:;ext=;phone-context=',
        '<sip:>',
        '"" <>',
        'sip:%ZZ@h',
        '{!$Api.Session_ID}',
        '${7*7}',
        'NaN',
        null,
        undefined,
        42,
        {},
        ['600700800']
    ];

    it.each(HOSTILE.map((value) => [value]))('%j never throws and never yields a wrong number', (value) => {
        for (const country of ['PL', 'US', '', 'ZZ']) {
            const result = normalizePhoneNumber(value as string, {
                defaultCountry: country,
                defaultAreaCode: '30'
            });
            expect(['invalid', 'empty', 'anonymous', 'short-code', 'valid']).toContain(result.kind);
            for (const key of result.searchKeys) {
                expect(key).toMatch(KEY_PATTERN);
            }
            if (result.e164 !== null) {
                // The only valid readings of this list are the Polish mobile written in mathematical digits.
                expect(result.e164).toBe('+48600700800');
            }
            expect(() => formatForDisplay(value as string, { defaultCountry: country })).not.toThrow();
            expect(() => toDialString(value as string, { defaultCountry: country })).not.toThrow();
        }
    });

    it('treats non-string input as empty', () => {
        expect(normalizePhoneNumber(null as unknown as string, { defaultCountry: 'PL' }).kind).toBe('empty');
        expect(normalizePhoneNumber('600700800', undefined as unknown as PhoneNumberOptions).reason).toBe(
            'no-default-country'
        );
    });
});

describe('display and dialling helpers', () => {
    const PL: PhoneNumberOptions = { defaultCountry: 'PL' };

    it.each([
        ['600700800', PL, '600 700 800'],
        ['+49 30 1234567', PL, '+49 30 1234567'],
        ['600700800 x12', PL, '600 700 800 ext. 12'],
        ['112', PL, '112'],
        ['*555', PL, '*555'],
        ['anonymous', PL, ''],
        ['', PL, ''],
        ['  +48 0 600 700 800  ', PL, '+48 0 600 700 800'],
        ['600\u0000700800', PL, '600700800'],
        ['<b>' + 'x'.repeat(100), PL, '<b>' + 'x'.repeat(61)]
    ])('formatForDisplay(%j) -> %j', (raw, options, expected) => {
        expect(formatForDisplay(raw, options)).toBe(expected);
    });

    it('formatForDisplay honours a forced style', () => {
        expect(formatForDisplay('600700800', PL, 'international')).toBe('+48 600 700 800');
        expect(formatForDisplay('+49 30 1234567', PL, 'national')).toBe('030 1234567');
    });

    it.each([
        ['600 700 800', '+48600700800'],
        ['+48600700800 ext. 12', '+48600700800'],
        ['112', '112'],
        ['*555', '*555'],
        ['#31#600700800', '#31#600700800'],
        ['12345', '12345'],
        ['anonymous', null],
        ['sip:anonymous@anonymous.invalid', null],
        ['', null],
        ['+48 0 600 700 800', null],
        ['1" OR Name:* \\ {}', null]
    ])('toDialString(%j) -> %j and isDialable agrees', (raw, expected) => {
        expect(toDialString(raw, PL)).toBe(expected);
        expect(isDialable(raw, PL)).toBe(expected !== null);
    });

    it('phoneSearchKeys is the searchKeys of normalizePhoneNumber', () => {
        expect(phoneSearchKeys('06 12345678', { defaultCountry: 'NL' })).toEqual(NL_MOBILE_KEYS);
    });
});

describe('recent results', () => {
    it('a repeated number gives an equal result that callers cannot change for each other', () => {
        const first = normalizePhoneNumber('+48 600 700 800', { defaultCountry: 'PL' });
        first.searchKeys.push('+1');
        first.notes.push('uri');
        (first.display as { national: string }).national = 'edited';
        first.e164 = null;
        const again = normalizePhoneNumber('+48 600 700 800', { defaultCountry: 'PL' });
        expect(again).toMatchObject({
            e164: '+48600700800',
            searchKeys: ['+48600700800', '600700800', '48600700800'],
            notes: [],
            display: { national: '600 700 800' }
        });
    });

    it('keeps results of different org settings apart', () => {
        expect(normalizePhoneNumber('600700800', { defaultCountry: 'PL' }).e164).toBe('+48600700800');
        expect(normalizePhoneNumber('600700800', { defaultCountry: 'CZ' }).e164).toBeNull();
        expect(normalizePhoneNumber('2345678', { defaultCountry: 'DE' }).e164).toBe('+492345678');
        expect(normalizePhoneNumber('2345678', { defaultCountry: 'DE', defaultAreaCode: '030' }).e164).toBe(
            '+49302345678'
        );
        expect(normalizePhoneNumber('2345678', { defaultCountry: 'de' }).e164).toBe('+492345678');
    });

    it('stays correct past its size, oldest entries dropped first', () => {
        const numbers = Array.from({ length: 600 }, (_, i) => `+48 600 ${String(100000 + i)}`);
        const first = numbers.map((n) => normalizePhoneNumber(n, { defaultCountry: 'PL' }).e164);
        const second = numbers.map((n) => normalizePhoneNumber(n, { defaultCountry: 'PL' }).e164);
        expect(second).toEqual(first);
        expect(first[0]).toBe('+48600100000');
    });
});
