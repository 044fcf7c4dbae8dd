import {
    commandEvent,
    errorMessage,
    fillUrlTemplate,
    formatClock,
    formatLabel,
    isHttpsUrl,
    microphoneProblemText,
    customApiNameOf,
    objectApiNameOf,
    objectInfoNames,
    objectLabelsFrom,
    objectTypeLabel,
    objectTypeOf,
    ORG_LABELLED_OBJECTS
} from '../phoneUtils';
import { SCRIPT_URL } from '../../../../../test/jest-fixtures/phoneState';

describe('phoneUtils', () => {
    it.each([
        [0, '0:00'],
        [999, '0:00'],
        [59_000, '0:59'],
        [61_000, '1:01'],
        [3_599_000, '59:59'],
        [3_661_000, '1:01:01'],
        [-5_000, '0:00'],
        [Number.NaN, '0:00']
    ])('formatClock(%s) = %s', (ms, text) => {
        expect(formatClock(ms)).toBe(text);
    });

    it.each([
        ['Account', undefined, 'Account'],
        ['PersonAccount', undefined, 'PersonAccount'],
        ['Case', '500x', 'Case'],
        ['Service_Request__c', 'a01x', 'Custom'],
        [undefined, '003000000000001AAA', 'Contact'],
        [undefined, '00Q000000000001AAA', 'Lead'],
        [undefined, 'a01000000000001AAA', 'Custom'],
        [undefined, undefined, 'Custom']
    ])('objectTypeOf(%s, %s) = %s', (apiName, id, type) => {
        expect(objectTypeOf(apiName, id)).toBe(type);
    });

    it('maps object types back to API names', () => {
        expect(objectApiNameOf('PersonAccount')).toBe('Account');
        expect(objectApiNameOf('Lead')).toBe('Lead');
        expect(objectApiNameOf('Custom', 'Service_Request__c')).toBe('Service_Request__c');
        expect(objectTypeLabel('Case')).toBe('c.Phone_Object_Case');
        expect(objectTypeLabel(undefined)).toBe('c.Phone_Object_Custom');
    });

    it.each([
        [{ body: { message: 'Apex says no' }, status: 400 }, 'Apex says no'],
        [{ body: [{ message: 'first' }, { message: 'second' }] }, 'first, second'],
        [new Error('plain error'), 'plain error'],
        ['text', 'text'],
        [null, ''],
        [42, ''],
        [{ body: {} }, '']
    ])('errorMessage(%j) = %s', (error, text) => {
        expect(errorMessage(error)).toBe(text);
    });

    it('accepts only https URLs', () => {
        expect(isHttpsUrl('https://cc.example.com/r/1')).toBe(true);
        expect(isHttpsUrl('http://cc.example.com/r/1')).toBe(false);
        expect(isHttpsUrl(SCRIPT_URL)).toBe(false);
        expect(isHttpsUrl('not a url')).toBe(false);
        expect(isHttpsUrl(undefined)).toBe(false);
    });

    it('fills URL templates with encoded values and refuses non-https results', () => {
        expect(
            fillUrlTemplate('https://x.example/{Id}?n={Name}&u={Unknown}', { Id: '003A', Name: 'a&b c' })
        ).toBe('https://x.example/003A?n=a%26b%20c&u=');
        expect(fillUrlTemplate('{Name}', { Name: SCRIPT_URL })).toBeNull();
    });

    it('fills label placeholders and keeps unknown ones', () => {
        expect(formatLabel('Call {0} at {1}', 'Jan', 5)).toBe('Call Jan at 5');
        expect(formatLabel('Only {0} and {1}', 'one')).toBe('Only one and {1}');
    });

    it('explains microphone problems, unknown ones generically', () => {
        expect(microphoneProblemText('denied')).toBe('c.Phone_Mic_Denied');
        expect(microphoneProblemText('weird')).toBe('c.Phone_Mic_Unknown');
        expect(microphoneProblemText(undefined)).toBe('');
    });

    it('builds phonecommand events', () => {
        const event = commandEvent({ type: 'redial' });
        expect(event.type).toBe('phonecommand');
        expect(event.detail).toEqual({ type: 'redial' });
        expect(event.bubbles).toBe(false);
    });

    describe("the admin's custom object (F20) named as the org names it", () => {
        it('asks for its label only when a Custom record or option names a custom API name', () => {
            expect(objectInfoNames(undefined)).toBe(ORG_LABELLED_OBJECTS);
            expect(objectInfoNames('Service_Request__c')).toEqual([
                ...ORG_LABELLED_OBJECTS,
                'Service_Request__c'
            ]);
            expect(objectInfoNames('Account')).toBe(ORG_LABELLED_OBJECTS);
            expect(objectInfoNames("x__c'; DROP")).toBe(ORG_LABELLED_OBJECTS);
            expect(
                customApiNameOf([
                    { objectType: 'Contact', objectApiName: 'Contact' },
                    null,
                    { objectType: 'Custom', objectApiName: 'Service_Request__c' }
                ])
            ).toBe('Service_Request__c');
            expect(customApiNameOf([{ objectType: 'Custom' }])).toBeUndefined();
        });

        it('labels the Custom type with the custom object of the answer', () => {
            const labels = objectLabelsFrom(
                {
                    results: [
                        { statusCode: 200, result: { apiName: 'Case', label: 'Sprawa' } },
                        {
                            statusCode: 200,
                            result: { apiName: 'Service_Request__c', label: 'Service Request' }
                        }
                    ]
                },
                {},
                'service_request__c'
            );
            expect(labels).toEqual({ Case: 'Sprawa', Custom: 'Service Request' });
            expect(objectTypeLabel('Custom', labels)).toBe('Service Request');
        });
    });
});
