// Phone-number normalisation (F17): throughput of phone-core's normalizePhoneNumber against
// google-libphonenumber (parse + isValidNumber + format E.164, same default country) on one corpus,
// and how often the two disagree on the E.164. Prints figures; asserts nothing about time.
//
// Run alone: node bench/phone-number.bench.mjs [path/to/phone-core bundle (CommonJS)]
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

const COUNTRIES = ['PL', 'NL', 'CZ', 'RU', 'DE', 'GB', 'US', 'FR'];
const TYPES = [
    'FIXED_LINE',
    'MOBILE',
    'TOLL_FREE',
    'PREMIUM_RATE',
    'SHARED_COST',
    'VOIP',
    'UAN',
    'PERSONAL_NUMBER'
];
const CORPUS_SIZE = 12_000;
const ROUNDS = 5;
const SEED = 0x5eed_f17;

/** Small deterministic PRNG (mulberry32), so every run measures the same corpus. */
function mulberry32(seed) {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Numbers and inputs that are not plain numbers: short codes, withheld IDs, broken and hostile values. */
const SPECIAL = [
    '112',
    '911',
    '999',
    '*555',
    '12345',
    '#31#600700800',
    'anonymous',
    'Restricted',
    'unknown',
    '',
    '   ',
    'sip:anonymous@anonymous.invalid',
    '+48 0 600 700 800',
    '0601 123 456',
    '022 123 45 67',
    '600700800',
    '0031612345678',
    '0048600700800',
    '+0048600700800',
    '8 10 48 600 700 800',
    '88005553535',
    '1" OR Name:* \\ {}',
    '<img src=x onerror=alert(1)>',
    '600\u0000700800',
    '٦٠٠٧٠٠٨٠٠',
    '＋４８ ６００ ７００ ８００',
    '1-800-FLOWERS',
    '9'.repeat(300)
];

/**
 * Builds the corpus: example numbers of google's metadata for 8 countries and 8 types with their last
 * digits randomised (most stay valid, some become invalid), written in the formats seen in CRM data and
 * SIP caller IDs, in orgs of the same or another country, plus ~8 % special values.
 */
export function buildCorpus(google, size = CORPUS_SIZE, seed = SEED) {
    const util = google.PhoneNumberUtil.getInstance();
    const { E164, INTERNATIONAL, NATIONAL, RFC3966 } = google.PhoneNumberFormat;
    const random = mulberry32(seed);
    const pick = (list) => list[Math.floor(random() * list.length)];
    const templates = [];
    for (const country of COUNTRIES) {
        for (const type of TYPES) {
            const example = util.getExampleNumberForType(country, google.PhoneNumberType[type]);
            if (example) {
                templates.push({
                    country,
                    callingCode: String(example.getCountryCode()),
                    nsn: util.getNationalSignificantNumber(example)
                });
            }
        }
    }
    const corpus = [];
    while (corpus.length < size) {
        const defaultCountry = pick(COUNTRIES);
        if (random() < 0.08) {
            corpus.push({ raw: pick(SPECIAL), defaultCountry });
            continue;
        }
        const domestic = random() < 0.8;
        const template = pick(domestic ? templates.filter((t) => t.country === defaultCountry) : templates);
        const keep = Math.max(template.nsn.length - 4, 2);
        let nsn = template.nsn.slice(0, keep);
        while (nsn.length < template.nsn.length) nsn += String(Math.floor(random() * 10));
        const number = util.parse(`+${template.callingCode}${nsn}`, 'ZZ');
        const e164 = util.format(number, E164);
        const international = util.format(number, INTERNATIONAL);
        const national = util.format(number, NATIONAL);
        const forms = [
            e164,
            international,
            international.replace(/ /g, '-'),
            `00${e164.slice(1)}`,
            util.format(number, RFC3966),
            `sip:${e164}@pbx.example.com;user=phone`,
            `${international} ext. ${Math.floor(random() * 900) + 100}`,
            `${e164} x${Math.floor(random() * 90) + 10}`
        ];
        if (template.country === defaultCountry) {
            forms.push(national, national, national.replace(/[\s()-]/g, ''), national.replace(/ /g, '.'));
            forms.push(`${national},,${Math.floor(random() * 9000) + 1000}#`);
        }
        if (defaultCountry === 'RU' && template.country !== 'RU') forms.push(`8 10 ${e164.slice(1)}`);
        if (defaultCountry === 'US' && template.callingCode !== '1')
            forms.push(`011 ${international.slice(1)}`);
        corpus.push({ raw: pick(forms), defaultCountry });
    }
    return corpus;
}

function googleE164(util, E164, raw, defaultCountry) {
    try {
        const number = util.parse(raw, defaultCountry);
        return util.isValidNumber(number) ? util.format(number, E164) : null;
    } catch {
        return null;
    }
}

/**
 * google-libphonenumber doing what normalizePhoneNumber does for a valid number: E.164, national and
 * international display, and the search keys of a domestic number kept only if they parse back to it.
 * A second anchor for context: the target is set against {@link googleE164}.
 */
function googleSameWork(google, util, raw, defaultCountry) {
    const { E164, NATIONAL, INTERNATIONAL } = google.PhoneNumberFormat;
    try {
        const number = util.parse(raw, defaultCountry);
        if (!util.isValidNumber(number)) return null;
        const e164 = util.format(number, E164);
        const national = util.format(number, NATIONAL);
        util.format(number, INTERNATIONAL);
        if (number.getCountryCode() === util.getCountryCodeForRegion(defaultCountry)) {
            const nsn = util.getNationalSignificantNumber(number);
            const keys = [e164];
            for (const key of [nsn, national.replace(/\D/g, ''), `${number.getCountryCode()}${nsn}`]) {
                if (!keys.includes(key) && util.format(util.parse(key, defaultCountry), E164) === e164)
                    keys.push(key);
            }
        }
        return e164;
    } catch {
        return null;
    }
}

/** Why the two libraries differ; the known causes are deliberate phone-core interpretations. */
function disagreementCause(result, googleValue) {
    if (result.notes.includes('uri')) return 'SIP/tel URI: phone-core reads the user part (deliberate)';
    if (result.notes.includes('idd-00-assumed'))
        return '00 read as the international prefix outside 00 countries (deliberate)';
    if (result.notes.includes('plus-00')) return '+00 read as + (deliberate)';
    if (result.reason === 'unexpected-characters' && googleValue)
        return 'letters: google converts vanity numbers, phone-core rejects (deliberate)';
    if (result.notes.includes('area-code-added')) return 'org area code added (deliberate)';
    if (googleValue && googleValue.length > 16)
        return 'google returns more than 15 digits; phone-core keeps to E.164 (deliberate)';
    return 'other (investigate)';
}

/** Up to `limit` examples, taking causes in turn so that a rare cause is not hidden by a frequent one. */
function pickExamples(byCause, limit) {
    const queues = [...byCause.entries()]
        .sort(([a], [b]) => Number(b.startsWith('other')) - Number(a.startsWith('other')))
        .map(([, rows]) =>
            rows.filter((row, index) => rows.findIndex((other) => other.raw === row.raw) === index)
        );
    const picked = [];
    while (picked.length < limit && queues.some((queue) => queue.length)) {
        for (const queue of queues) if (queue.length && picked.length < limit) picked.push(queue.shift());
    }
    return picked;
}

function median(values) {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Runs `pass` over the corpus and returns numbers per second. */
function throughput(corpus, pass) {
    const start = process.hrtime.bigint();
    pass();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return corpus.length / seconds;
}

export async function run({ core }) {
    const google = require('google-libphonenumber');
    const util = google.PhoneNumberUtil.getInstance();
    const E164 = google.PhoneNumberFormat.E164;
    const corpus = buildCorpus(google);
    const optionsByCountry = Object.fromEntries(
        COUNTRIES.map((country) => [country, { defaultCountry: country }])
    );

    let sink = 0;
    const ours = () => {
        for (const { raw, defaultCountry } of corpus) {
            if (core.normalizePhoneNumber(raw, optionsByCountry[defaultCountry]).e164) sink++;
        }
    };
    const theirs = () => {
        for (const { raw, defaultCountry } of corpus) {
            if (googleE164(util, E164, raw, defaultCountry)) sink++;
        }
    };

    const theirsSameWork = () => {
        for (const { raw, defaultCountry } of corpus) {
            if (googleSameWork(google, util, raw, defaultCountry)) sink++;
        }
    };

    // One warm-up pass each (JIT, metadata caches), then interleaved rounds so drift hits all alike.
    ours();
    theirs();
    theirsSameWork();
    const ourRates = [];
    const googleRates = [];
    const sameWorkRates = [];
    for (let round = 0; round < ROUNDS; round++) {
        ourRates.push(throughput(corpus, ours));
        googleRates.push(throughput(corpus, theirs));
        sameWorkRates.push(throughput(corpus, theirsSameWork));
    }
    const ourPerSecond = Math.round(median(ourRates));
    const googlePerSecond = Math.round(median(googleRates));
    const googleSameWorkPerSecond = Math.round(median(sameWorkRates));
    const ratio = Number((ourPerSecond / googlePerSecond).toFixed(3));

    let disagreements = 0;
    let valid = 0;
    const byCause = new Map();
    for (const { raw, defaultCountry } of corpus) {
        const result = core.normalizePhoneNumber(raw, optionsByCountry[defaultCountry]);
        const expected = googleE164(util, E164, raw, defaultCountry);
        if (result.e164) valid++;
        if (result.e164 !== expected) {
            disagreements++;
            const cause = disagreementCause(result, expected);
            if (!byCause.has(cause)) byCause.set(cause, []);
            byCause
                .get(cause)
                .push({ raw, defaultCountry, ours: result.e164, google: expected, kind: result.kind });
        }
    }

    console.log(
        `corpus: ${corpus.length} raw numbers, 8 countries, seed 0x${SEED.toString(16)}; ${valid} valid for phone-core`
    );
    console.log(
        `phone-core normalizePhoneNumber: ${ourPerSecond.toLocaleString('en')} numbers/s (median of ${ROUNDS} rounds)`
    );
    console.log(
        `google-libphonenumber parse+isValidNumber+format: ${googlePerSecond.toLocaleString('en')} numbers/s`
    );
    console.log(
        `google-libphonenumber doing the same work (+ national, international, search keys read back): ${googleSameWorkPerSecond.toLocaleString('en')} numbers/s`
    );
    console.log(
        `ratio phone-core / google: ${ratio} (phone-core also formats national + international and derives search keys)`
    );
    console.log(
        `E.164 disagreements: ${disagreements} of ${corpus.length} (${((100 * disagreements) / corpus.length).toFixed(2)} %)`
    );
    for (const [cause, rows] of byCause) console.log(`  ${rows.length} x ${cause}`);
    for (const example of pickExamples(byCause, 10)) {
        console.log(
            `  e.g. ${JSON.stringify(example.raw)} (${example.defaultCountry}): phone-core ${example.ours ?? `null (${example.kind})`}, google ${example.google}`
        );
    }
    if (sink < 0) console.log(sink); // keeps the timed loops from being optimised away
    const unexplained = [...byCause]
        .filter(([cause]) => cause.startsWith('other'))
        .reduce((n, [, rows]) => n + rows.length, 0);
    return {
        ourPerSecond,
        googlePerSecond,
        googleSameWorkPerSecond,
        ratio,
        disagreements,
        unexplained,
        corpusSize: corpus.length
    };
}

// Stand-alone: node bench/phone-number.bench.mjs [bundle]; default is the runner's build output.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
    const bundle = path.resolve(process.argv[2] ?? path.join(root, 'build/phone-core.node.cjs'));
    console.log(JSON.stringify(await run({ core: require(bundle) })));
}
