/**
 * FAULT-CASES 16: the structured getSipSession failure is read tolerantly, wherever the host put it (the
 * Apex side may change how it reports it).
 */
import { parseSipSessionFailure, sipSessionErrorCode } from '../../src/session/session-helpers';

describe('parseSipSessionFailure', () => {
    it.each([
        ['the shape itself', { code: 'no-seat', retryable: false }, { code: 'no-seat', retryable: false }],
        [
            'LWC Apex error, JSON message',
            { status: 500, body: { message: '{"code":"unauthorized","retryable":false}' } },
            { code: 'unauthorized', retryable: false }
        ],
        [
            'JSON with text around it',
            new Error(
                'Contact centre: {"code":"rate-limited","retryable":true,"retryAfterSeconds":"45"} (429)'
            ),
            { code: 'rate-limited', retryable: true, retryAfterSeconds: 45 }
        ],
        [
            'a known stop code without retryable',
            { body: { code: 'agent-not-found' } },
            { code: 'agent-not-found', retryable: false }
        ],
        ['an HTTP status only', { status: 401 }, { code: 'unauthorized', retryable: false }],
        ['a 503', { status: 503 }, { code: 'unavailable', retryable: true }],
        [
            'a Retry-After of a day is capped at 30 minutes',
            { code: 'rate-limited', retryable: true, retryAfterSeconds: 86_400 },
            { code: 'rate-limited', retryable: true, retryAfterSeconds: 1800 }
        ]
    ])('%s', (_, error, expected) => {
        expect(parseSipSessionFailure(error)).toEqual(expected);
    });

    it.each([
        ['a plain message', new Error('No seat for this user')],
        ['an LWC error with a translated message', { status: 500, body: { message: 'Ask your admin.' } }],
        ['broken JSON', new Error('{"code": ')],
        ['nothing', undefined],
        ['a number', 42],
        ['an empty code', { code: ' ', retryable: false }]
    ])('%s: null (treated as transient)', (_, error) => {
        expect(parseSipSessionFailure(error)).toBeNull();
    });

    it('maps codes to what the agent is told', () => {
        expect(sipSessionErrorCode({ code: 'Unauthorized', retryable: false })).toBe(
            'credentials-unauthorized'
        );
        expect(sipSessionErrorCode({ code: 'licence-limit-exceeded', retryable: false })).toBe(
            'credentials-no-seat'
        );
        expect(sipSessionErrorCode({ code: 'unknown-agent', retryable: false })).toBe(
            'credentials-unknown-agent'
        );
        expect(sipSessionErrorCode({ code: 'tenant-not-configured', retryable: false })).toBe(
            'credentials-refused'
        );
    });
});
