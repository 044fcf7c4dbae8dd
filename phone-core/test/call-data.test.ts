import {
    CALL_DATA_HEADERS,
    CALL_DATA_LIMITS,
    cleanCallText,
    createCallData,
    generateInteractionId,
    parseCallData,
    parseDisplayName,
    truncateText
} from '../src/call/call-data';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const full = {
    'X-CC-Interaction-Id': 'INT-2024-000123',
    'X-CC-Campaign-Id': 'cmp_42',
    'X-CC-Campaign-Name': 'Winter sale',
    'X-CC-Queue': 'Sales NL',
    'X-CC-Ivr-Code': '00012345',
    'X-CC-Wrap-Seconds': '45',
    'X-CC-Recording-Url': 'https://rec.example.com/r/INT-2024-000123.mp3'
};

describe('parseCallData: well-formed headers', () => {
    it('reads every header', () => {
        expect(parseCallData(full)).toEqual({
            interactionId: 'INT-2024-000123',
            generated: false,
            campaignId: 'cmp_42',
            campaignName: 'Winter sale',
            queue: 'Sales NL',
            ivrCode: '00012345',
            wrapSeconds: 45,
            recordingUrl: 'https://rec.example.com/r/INT-2024-000123.mp3',
            duplicated: [],
            truncated: [],
            invalid: []
        });
    });

    it('matches header names case-insensitively', () => {
        const data = parseCallData({ 'x-cc-interaction-id': 'abc', 'X-CC-QUEUE': 'Support' });
        expect(data.interactionId).toBe('abc');
        expect(data.generated).toBe(false);
        expect(data.queue).toBe('Support');
    });

    it('accepts header names of another contact centre', () => {
        const data = parseCallData(
            { 'X-Acme-Call': 'z9', 'X-CC-Interaction-Id': 'ignored' },
            {
                headerNames: { interactionId: 'X-Acme-Call' }
            }
        );
        expect(data.interactionId).toBe('z9');
    });
});

describe('parseCallData: missing headers (fault case 14)', () => {
    it.each([
        ['no headers at all', {}],
        ['undefined map', undefined],
        ['null map', null],
        ['undefined value', { 'X-CC-Interaction-Id': undefined }],
        ['empty value', { 'X-CC-Interaction-Id': '' }],
        ['blank value', { 'X-CC-Interaction-Id': '  \t ' }],
        ['empty array', { 'X-CC-Interaction-Id': [] }],
        ['only control characters', { 'X-CC-Interaction-Id': '\u0000\u0007' }]
    ])('%s -> a generated interaction id', (_label, headers) => {
        const data = parseCallData(headers as never);
        expect(data.generated).toBe(true);
        expect(data.interactionId).toMatch(UUID);
        expect(data.campaignId).toBeUndefined();
        expect(data.wrapSeconds).toBeUndefined();
    });

    it('uses the injected generator and gives a new key per call', () => {
        let n = 0;
        const data = parseCallData({}, { generateId: () => `gen-${++n}` });
        expect(data).toMatchObject({ interactionId: 'gen-1', generated: true });
        expect(parseCallData({}).interactionId).not.toBe(parseCallData({}).interactionId);
    });
});

describe('parseCallData: duplicated headers', () => {
    it('first non-empty value of an array wins and the header is flagged', () => {
        const data = parseCallData({
            'X-CC-Interaction-Id': ['', 'first', 'second'],
            'X-CC-Queue': ['A', 'B']
        });
        expect(data.interactionId).toBe('first');
        expect(data.queue).toBe('A');
        expect(data.duplicated).toEqual([CALL_DATA_HEADERS.interactionId, CALL_DATA_HEADERS.queue]);
    });

    it('keys differing only in case count as duplicates (first key wins)', () => {
        const data = parseCallData({ 'x-cc-campaign-id': 'one', 'X-CC-Campaign-Id': 'two' });
        expect(data.campaignId).toBe('one');
        expect(data.duplicated).toEqual(['X-CC-Campaign-Id']);
    });
});

describe('parseCallData: 10 kB values are cut to field limits', () => {
    const big = 'A'.repeat(10 * 1024);

    it.each([
        ['interactionId', 'X-CC-Interaction-Id', CALL_DATA_LIMITS.interactionId],
        ['campaignId', 'X-CC-Campaign-Id', CALL_DATA_LIMITS.campaignId],
        ['campaignName', 'X-CC-Campaign-Name', CALL_DATA_LIMITS.campaignName],
        ['queue', 'X-CC-Queue', CALL_DATA_LIMITS.queue]
    ] as const)('%s', (field, header, limit) => {
        const data = parseCallData({ [header]: big });
        expect(data[field]).toBe('A'.repeat(limit));
        expect(data.truncated).toEqual([header]);
        expect(data.generated).toBe(field !== 'interactionId');
    });

    it('IVR code: 10 kB of digits cut to 40', () => {
        const data = parseCallData({ 'X-CC-Ivr-Code': '7'.repeat(10 * 1024) });
        expect(data.ivrCode).toBe('7'.repeat(40));
        expect(data.truncated).toEqual(['X-CC-Ivr-Code']);
    });

    it('recording URL: too long is dropped, not cut (a cut URL is broken)', () => {
        const data = parseCallData({
            'X-CC-Recording-Url': `https://rec.example.com/${'a'.repeat(10 * 1024)}`
        });
        expect(data.recordingUrl).toBeUndefined();
        expect(data.invalid).toEqual(['X-CC-Recording-Url']);
    });

    it('wrap seconds: 10 kB of digits is not a number', () => {
        const data = parseCallData({ 'X-CC-Wrap-Seconds': '9'.repeat(10 * 1024) });
        expect(data.wrapSeconds).toBeUndefined();
        expect(data.invalid).toEqual(['X-CC-Wrap-Seconds']);
    });

    it('1 MB of text in every header does not hang and still yields a key', () => {
        const huge = 'x'.repeat(1024 * 1024);
        const headers = Object.fromEntries(Object.values(CALL_DATA_HEADERS).map((h) => [h, huge]));
        const data = parseCallData(headers);
        expect(data.interactionId).toHaveLength(255);
        expect(data.campaignName).toHaveLength(80);
    });

    it('never splits a surrogate pair when cutting', () => {
        const name = 'a'.repeat(79) + '😀😀';
        const data = parseCallData({ 'X-CC-Campaign-Name': name });
        expect(data.campaignName).toBe('a'.repeat(79));
        expect(truncateText('ab😀', 3)).toBe('ab');
    });
});

describe('parseCallData: hostile values', () => {
    it('an interaction id with markup, quotes or spaces is rejected and replaced by a generated key', () => {
        for (const value of [
            '<script>alert(1)</script>',
            'a"b',
            "x' OR 1=1",
            'two words',
            'ид-кириллица',
            'a\\b'
        ]) {
            const data = parseCallData({ 'X-CC-Interaction-Id': value });
            expect(data.generated).toBe(true);
            expect(data.invalid).toEqual(['X-CC-Interaction-Id']);
        }
    });

    it('NUL and control characters are stripped from ids and text', () => {
        const data = parseCallData({
            'X-CC-Interaction-Id': 'abc\u0000\u001b[31mdef',
            'X-CC-Campaign-Name': 'Sale\u0000\r\nInjected: yes\u0007'
        });
        expect(data.interactionId).toBe('abc[31mdef');
        expect(data.campaignName).toBe('Sale Injected: yes');
    });

    it('markup in text fields stays literal (escaping is the renderer’s job)', () => {
        const data = parseCallData({ 'X-CC-Queue': '<img src=x onerror=alert(1)>' });
        expect(data.queue).toBe('<img src=x onerror=alert(1)>');
    });

    it('bidi overrides and zero-width characters are removed', () => {
        const data = parseCallData({ 'X-CC-Campaign-Name': 'Pay\u202Egnp.exe\u200B\uFEFF' });
        expect(data.campaignName).toBe('Paygnp.exe');
    });

    it.each([
        ['12 34-56.78', '12345678'],
        ['*123#', '*123#'],
        ['12ab', undefined],
        ['<b>1</b>', undefined]
    ])('IVR code %j -> %j', (raw, expected) => {
        const data = parseCallData({ 'X-CC-Ivr-Code': raw });
        expect(data.ivrCode).toBe(expected);
        expect(data.invalid).toEqual(expected === undefined ? ['X-CC-Ivr-Code'] : []);
    });

    it.each([
        ['30', 30],
        [' 0 ', 0],
        ['-5', 0],
        ['+7', 7],
        ['12.6', 13],
        ['3600', 3600],
        ['86400', 3600],
        ['999999999999', 3600],
        ['abc', undefined],
        ['1e3', undefined],
        ['NaN', undefined],
        ['Infinity', undefined],
        ['0x10', undefined],
        ['30s', undefined]
    ])('wrap seconds %j -> %j', (raw, expected) => {
        expect(parseCallData({ 'X-CC-Wrap-Seconds': raw }).wrapSeconds).toBe(expected);
    });

    it.each([
        ['https://rec.example.com/a.mp3?sig=1', 'https://rec.example.com/a.mp3?sig=1'],
        ['HTTPS://REC.EXAMPLE.COM/a', 'https://rec.example.com/a'],
        ['http://rec.example.com/a.mp3', undefined],
        ['javascript:alert(1)', undefined],
        ['data:text/html,<script>alert(1)</script>', undefined],
        ['//rec.example.com/a', undefined],
        ['https://user:secret@rec.example.com/a', undefined],
        ['https://rec.example.com/a b', undefined],
        ['not a url', undefined]
    ])('recording URL %j -> %j', (raw, expected) => {
        expect(parseCallData({ 'X-CC-Recording-Url': raw }).recordingUrl).toBe(expected);
    });

    it('non-string values in the map are ignored', () => {
        const data = parseCallData({ 'X-CC-Queue': 42, 'X-CC-Campaign-Id': [null, 'ok'] } as never);
        expect(data.queue).toBeUndefined();
        expect(data.campaignId).toBe('ok');
    });
});

describe('parseDisplayName', () => {
    it.each([
        ['Jan de Vries', 'Jan de Vries'],
        ['"Jan de Vries"', 'Jan de Vries'],
        ['  "Jan  de\tVries"  ', 'Jan de Vries'],
        ['"Say \\"hi\\""', 'Say "hi"'],
        ['"back\\\\slash"', 'back\\slash'],
        ['"unterminated\\"', 'unterminated"'],
        ['<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>'],
        ['"<img src=x onerror=alert(1)>"', '<img src=x onerror=alert(1)>'],
        ['Evil\u0000Name\u0007', 'EvilName'],
        ['Line\r\nBreak', 'Line Break'],
        ['""', ''],
        ['', ''],
        ['Łukasz Żółć', 'Łukasz Żółć'],
        ['Пётр', 'Пётр']
    ])('%j -> %j', (raw, expected) => {
        expect(parseDisplayName(raw)).toBe(expected);
    });

    it('handles undefined / null / non-strings', () => {
        expect(parseDisplayName(undefined)).toBe('');
        expect(parseDisplayName(null)).toBe('');
        expect(parseDisplayName(42 as unknown as string)).toBe('');
    });

    it('caps at 120 characters', () => {
        expect(parseDisplayName('"' + 'n'.repeat(10 * 1024) + '"')).toBe('n'.repeat(120));
    });
});

describe('helpers', () => {
    it('generateInteractionId gives a v4 UUID, also without crypto.randomUUID', () => {
        expect(generateInteractionId()).toMatch(UUID);
        const original = globalThis.crypto;
        try {
            Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
            const ids = new Set(Array.from({ length: 50 }, () => generateInteractionId()));
            expect(ids.size).toBe(50);
            for (const id of ids) expect(id).toMatch(UUID);
        } finally {
            Object.defineProperty(globalThis, 'crypto', { value: original, configurable: true });
        }
    });

    it('createCallData returns a generated key with empty flags', () => {
        expect(createCallData(() => 'k1')).toEqual({
            interactionId: 'k1',
            generated: true,
            duplicated: [],
            truncated: [],
            invalid: []
        });
    });

    it('cleanCallText strips controls and collapses whitespace', () => {
        expect(cleanCallText(' a\u0000 \n b ')).toBe('a b');
        // emoji (surrogate pairs) are kept, lone surrogates removed
        expect(cleanCallText('a😀\uD800b\u0085c')).toBe('a😀b c');
    });
});
