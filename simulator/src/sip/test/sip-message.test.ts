import {
    buildResponse,
    cseqOf,
    headerSafe,
    headerValue,
    headerValues,
    parseNameAddr,
    parseSipRequest,
    topViaBranch,
    uriUser
} from '../sip-message';

const INVITE = [
    'INVITE sip:cmp-support@127.0.0.1 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKabc;rport',
    'v: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK123',
    'f: "<img src=x onerror=alert(1)>" <sip:+48600700800@127.0.0.1>;tag=caller1',
    'To: <sip:cmp-support@127.0.0.1>',
    'i: call-1@test',
    'CSeq: 7 INVITE',
    'X-IVR-Code: 12',
    '  34',
    'X-CC-Test: a',
    'X-CC-Test: b',
    'Content-Length: 0',
    '',
    ''
].join('\r\n');

describe('parseSipRequest', () => {
    const request = parseSipRequest(Buffer.from(INVITE));

    it.each([
        ['from', '"<img src=x onerror=alert(1)>" <sip:+48600700800@127.0.0.1>;tag=caller1'],
        ['call-id', 'call-1@test'],
        ['x-ivr-code', '12 34'],
        ['cseq', '7 INVITE']
    ])('reads %s (compact forms and folded lines included)', (name, value) => {
        expect(headerValue(request, name)).toBe(value);
    });

    it('keeps the request line, every Via and repeated headers in order', () => {
        expect(request.method).toBe('INVITE');
        expect(request.uri).toBe('sip:cmp-support@127.0.0.1');
        expect(headerValues(request, 'via')).toHaveLength(2);
        expect(headerValues(request, 'x-cc-test')).toEqual(['a', 'b']);
        expect(topViaBranch(request)).toBe('z9hG4bKabc');
        expect(cseqOf(request)).toEqual({ seq: '7', method: 'INVITE' });
    });

    it('rejects what is not a request', () => {
        expect(() => parseSipRequest('SIP/2.0 200 OK\r\n\r\n')).toThrow(/Not a SIP request/);
    });
});

describe('parseNameAddr', () => {
    it.each([
        [
            '"<img src=x onerror=alert(1)>" <sip:+48600700800@127.0.0.1>;tag=t1',
            '<img src=x onerror=alert(1)>',
            '+48600700800',
            't1'
        ],
        ['"Say \\"hi\\"" <sip:alice@example.com>', 'Say "hi"', 'alice', undefined],
        ['Bob <sip:bob@example.com;transport=ws>;tag=9', 'Bob', 'bob', '9'],
        ['sip:carol@example.com;tag=x', null, 'carol', 'x'],
        ['<sip:%2B48123@example.com>', null, '+48123', undefined],
        ['<sip:example.com>', null, null, undefined]
    ])('%s', (value, displayName, user, tag) => {
        const parsed = parseNameAddr(value);
        expect(parsed.displayName).toBe(displayName);
        expect(parsed.user).toBe(user);
        expect(parsed.params.tag).toBe(tag);
    });

    it('reads users of tel: URIs', () => {
        expect(uriUser('tel:+48600700800')).toBe('+48600700800');
    });
});

describe('buildResponse', () => {
    const request = parseSipRequest(INVITE);

    it('copies Via, From, To, Call-ID, CSeq and adds the To tag to final responses only', () => {
        const trying = buildResponse(request, 100, 'Trying', { toTag: 'sim1' }).toString();
        expect(trying).toMatch(/^SIP\/2\.0 100 Trying\r\n/);
        expect(trying).toContain('To: <sip:cmp-support@127.0.0.1>\r\n');
        const busy = buildResponse(request, 486, 'Busy Here', {
            toTag: 'sim1',
            extra: [['X-Sim-Target', 'agt-101']]
        }).toString();
        expect(busy).toContain('To: <sip:cmp-support@127.0.0.1>;tag=sim1\r\n');
        expect(busy.match(/^(Via|v):/gm)).toHaveLength(2);
        expect(busy).toContain('i: call-1@test\r\n');
        expect(busy).toContain('X-Sim-Target: agt-101\r\n');
        expect(busy.endsWith('Content-Length: 0\r\n\r\n')).toBe(true);
    });

    it('never lets a value break a header line', () => {
        expect(headerSafe('a\r\nX-Evil: 1')).toBe('a X-Evil: 1');
        const response = buildResponse(request, 302, 'Moved\r\nX: y', {
            extra: [['X-A', 'b\nc']]
        }).toString();
        expect(response).not.toMatch(/\r\nX: y/);
        expect(response).toContain('X-A: b c\r\n');
    });
});
