/**
 * A queued callback's INVITE (issue 15 point 4): the X-CC callback headers classified, hostile and malformed
 * values dropped (FAULT-CASES 14), and the dial context derived from it.
 */
import { parseCallData } from '../../src/call/call-data';
import {
    parseQueuedCallback,
    queuedCallbackDialContext,
    type QueuedCallbackOffer
} from '../../src/callbacks/queued-callback';

const CALLBACK_HEADERS = {
    'X-CC-Interaction-Id': 'int-1',
    'X-CC-Direction': 'outbound',
    'X-CC-Callback-Id': 'cbk-42',
    'X-CC-Callback-Attempt': '2',
    'X-CC-Original-Interaction-Id': 'int-0',
    'X-CC-Related-Record-Id': '003000000000001AAA',
    'X-CC-Callback-Task-Id': '00T000000000001AAA',
    'X-CC-Customer-Number': '+48600700800'
};

function parse(headers: Record<string, string | string[]>): QueuedCallbackOffer | undefined {
    return parseCallData(headers, { generateId: () => 'generated' }).callback;
}

describe('parseQueuedCallback', () => {
    it('classifies a callback INVITE with every field', () => {
        expect(parse(CALLBACK_HEADERS)).toEqual({
            callbackId: 'cbk-42',
            attempt: 2,
            originalInteractionId: 'int-0',
            relatedRecordId: '003000000000001AAA',
            callbackTaskId: '00T000000000001AAA',
            customerNumber: '+48600700800',
            duplicated: [],
            invalid: []
        });
    });

    it('matches header names in any case; the direction in any case', () => {
        expect(parse({ 'x-cc-direction': 'OUTBOUND', 'x-cc-callback-id': 'cbk-1' })).toMatchObject({
            callbackId: 'cbk-1',
            attempt: 1
        });
    });

    it.each([
        ['no direction', { 'X-CC-Callback-Id': 'cbk-1' }],
        ['inbound', { 'X-CC-Direction': 'inbound', 'X-CC-Callback-Id': 'cbk-1' }],
        ['no callback id', { 'X-CC-Direction': 'outbound' }],
        ['a callback id with markup', { 'X-CC-Direction': 'outbound', 'X-CC-Callback-Id': '<img src=x>' }],
        ['a 10 kB callback id', { 'X-CC-Direction': 'outbound', 'X-CC-Callback-Id': 'c'.repeat(10 * 1024) }]
    ])('%s: an ordinary call', (_name, headers) => {
        expect(parse(headers)).toBeUndefined();
    });

    it('drops hostile or malformed fields, lists them, and keeps the call a callback', () => {
        const offer = parse({
            ...CALLBACK_HEADERS,
            'X-CC-Callback-Attempt': '0',
            'X-CC-Original-Interaction-Id': 'int"0',
            'X-CC-Related-Record-Id': "003'; DROP TABLE",
            'X-CC-Callback-Task-Id': '003000000000001AAA', // not a Task
            'X-CC-Customer-Number': '<script>alert(1)</script>'
        });
        expect(offer).toEqual({
            callbackId: 'cbk-42',
            attempt: 1,
            duplicated: [],
            invalid: [
                'X-CC-Callback-Attempt',
                'X-CC-Original-Interaction-Id',
                'X-CC-Related-Record-Id',
                'X-CC-Callback-Task-Id',
                'X-CC-Customer-Number'
            ]
        });
    });

    it('duplicates: the first non-empty value wins and the header is listed', () => {
        const offer = parse({
            ...CALLBACK_HEADERS,
            'X-CC-Related-Record-Id': ['', '003000000000002AAA', '003000000000003AAA']
        });
        expect(offer?.relatedRecordId).toBe('003000000000002AAA');
        expect(offer?.duplicated).toEqual(['X-CC-Related-Record-Id']);
    });

    it('never throws on odd header maps', () => {
        expect(parseQueuedCallback(() => [])).toBeUndefined();
        expect(parseCallData(null).callback).toBeUndefined();
        expect(
            parse({ 'X-CC-Direction': ['outbound', 'inbound'], 'X-CC-Callback-Id': 'cbk-1' })
        ).toMatchObject({
            callbackId: 'cbk-1',
            duplicated: ['X-CC-Direction']
        });
    });
});

describe('what the phone does with it', () => {
    it('relates the call to the callback record like a click-to-dial from it', () => {
        expect(queuedCallbackDialContext(parse(CALLBACK_HEADERS))).toEqual({
            recordId: '003000000000001AAA'
        });
        expect(queuedCallbackDialContext(parse({ ...CALLBACK_HEADERS, 'X-CC-Related-Record-Id': '' }))).toBe(
            undefined
        );
        expect(queuedCallbackDialContext(undefined)).toBeUndefined();
    });
});
