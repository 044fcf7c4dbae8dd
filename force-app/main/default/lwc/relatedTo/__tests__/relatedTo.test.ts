import { createElement } from 'lwc';
import { getRecord } from 'lightning/uiRecordApi';
import RelatedTo from '../relatedTo';
import {
    callView,
    captureCommands,
    flushPromises,
    HOSTILE_NAME,
    type TestElement
} from '../../../../../test/jest-fixtures/phoneState';

jest.mock('@salesforce/label/c.Phone_Related_Current', () => ({ default: '{0} ({1})' }), { virtual: true });

function mount(props: Record<string, unknown>): TestElement {
    const element = createElement('c-related-to', { is: RelatedTo }) as TestElement;
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

const query = (element: HTMLElement, id: string): any =>
    element.shadowRoot!.querySelector(`[data-id="${id}"]`);

/** A record as `getRecord` delivers it (UI API shape). */
function uiRecord(id: string, apiName: string, values: Record<string, string>): unknown {
    const fields = Object.fromEntries(
        Object.entries(values).map(([name, value]) => [name, { value, displayValue: null }])
    );
    return { id, apiName, fields };
}

function created(element: HTMLElement): unknown[] {
    const details: unknown[] = [];
    element.addEventListener('createrecord', (event) => details.push((event as CustomEvent).detail));
    return details;
}

describe('c-related-to', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('renders nothing without a call', async () => {
        const element = mount({ call: null });
        await flushPromises();
        expect(element.shadowRoot!.querySelector('section')).toBeNull();
    });

    it('says what the call is related to, as text', async () => {
        const element = mount({
            call: callView('Connected', {
                related: {
                    id: '003000000000001AAA',
                    objectType: 'Contact',
                    name: HOSTILE_NAME,
                    source: 'screen-pop'
                }
            })
        });
        await flushPromises();
        expect(query(element, 'related').textContent).toBe(`${HOSTILE_NAME} (c.Phone_Object_Contact)`);
        expect(element.shadowRoot!.querySelector('img')).toBeNull();
    });

    it('says when the call is not related yet', async () => {
        const element = mount({ call: callView('Connected') });
        await flushPromises();
        expect(query(element, 'related').textContent).toBe('c.Phone_Related_None');
    });

    it.each([
        [
            'a Lead, by its Name',
            { recordId: '00Q000000000001AAA', objectApiName: 'Lead' },
            ['Lead.Name'],
            { Name: 'Piotr Nowak' },
            { id: '00Q000000000001AAA', objectType: 'Lead', name: 'Piotr Nowak' }
        ],
        [
            'a Case (no Name), by its number',
            { recordId: '500000000000001AAA', objectApiName: 'Case' },
            ['Case.CaseNumber', 'Case.Subject'],
            { CaseNumber: '00001001', Subject: 'Router broken' },
            { id: '500000000000001AAA', objectType: 'Case', name: '00001001' }
        ],
        [
            'a custom object record, as Custom',
            { recordId: 'a01000000000001AAA', objectApiName: 'Service_Request__c' },
            ['Service_Request__c.Name'],
            { Name: 'SR-0042' },
            { id: 'a01000000000001AAA', objectType: 'Custom', name: 'SR-0042' }
        ]
    ])(
        'relates the call to the record on screen (F7): %s, with its name',
        async (_name, screenRecord, optionalFields, values, record) => {
            const element = mount({ call: callView('Connected'), screenRecord });
            const commands = captureCommands(element);
            await flushPromises();
            expect(getRecord.getLastConfig()).toEqual({ recordId: screenRecord.recordId, optionalFields });
            getRecord.emit(uiRecord(screenRecord.recordId, screenRecord.objectApiName, values));
            await flushPromises();
            expect(query(element, 'on-screen').disabled).toBe(false);
            query(element, 'on-screen').click();
            expect(commands).toEqual([{ type: 'relateToRecord', record, callId: 'call-1' }]);
        }
    );

    it('relates the record on screen without a name while it is not loaded, or not readable', async () => {
        const element = mount({
            call: callView('Connected'),
            screenRecord: { recordId: '001000000000001AAA', objectApiName: 'Account' }
        });
        const commands = captureCommands(element);
        await flushPromises();
        query(element, 'on-screen').click();
        getRecord.error({ body: { message: 'insufficient access' } });
        await flushPromises();
        query(element, 'on-screen').click();
        const bare = {
            type: 'relateToRecord',
            record: { id: '001000000000001AAA', objectType: 'Account' },
            callId: 'call-1'
        };
        expect(commands).toEqual([bare, bare]);
    });

    it('never sends the name of a record that is no longer on screen', async () => {
        const element = mount({
            call: callView('Connected'),
            screenRecord: { recordId: '003000000000001AAA', objectApiName: 'Contact' }
        });
        const commands = captureCommands(element);
        await flushPromises();
        element.screenRecord = { recordId: '003000000000002AAA', objectApiName: 'Contact' };
        await flushPromises();
        getRecord.emit(uiRecord('003000000000001AAA', 'Contact', { Name: 'Jan Kowalski' })); // late answer
        await flushPromises();
        query(element, 'on-screen').click();
        expect(commands).toEqual([
            {
                type: 'relateToRecord',
                record: { id: '003000000000002AAA', objectType: 'Contact' },
                callId: 'call-1'
            }
        ]);
    });

    it.each([
        ['no record on screen', null],
        [
            'the record on screen is already related',
            { recordId: '003000000000001AAA', objectApiName: 'Contact' }
        ]
    ])('disables "relate to record on screen" when %s', async (_name, screenRecord) => {
        const element = mount({
            call: callView('Connected', {
                related: {
                    id: '003000000000001AAA',
                    objectType: 'Contact',
                    name: 'Jan',
                    source: 'screen-pop'
                }
            }),
            screenRecord
        });
        await flushPromises();
        expect(query(element, 'on-screen').disabled).toBe(true);
    });

    it('new Case is prefilled with the contact, the account and the number', async () => {
        const element = mount({
            call: callView('Connected', {
                related: {
                    id: '003000000000001AAA',
                    objectType: 'Contact',
                    name: 'Jan',
                    whoId: '003000000000001AAA',
                    whatId: '001000000000001AAA',
                    source: 'screen-pop'
                }
            })
        });
        const events = created(element);
        await flushPromises();
        query(element, 'new-case').click();
        expect(events).toEqual([
            {
                objectApiName: 'Case',
                defaultFieldValues: {
                    Origin: 'Phone',
                    SuppliedPhone: '+48600700800',
                    ContactId: '003000000000001AAA',
                    AccountId: '001000000000001AAA'
                }
            }
        ]);
    });

    it('new Case for an unknown caller carries only the origin', async () => {
        const element = mount({
            call: callView('Connected', { caller: { ...callView().caller, e164: null } })
        });
        const events = created(element);
        await flushPromises();
        query(element, 'new-case').click();
        expect(events).toEqual([{ objectApiName: 'Case', defaultFieldValues: { Origin: 'Phone' } }]);
    });

    it('relates the call to a record found with the "related to" search', async () => {
        const element = mount({ call: callView('Connected') });
        const commands = captureCommands(element);
        await flushPromises();
        query(element, 'search-object').dispatchEvent(
            new CustomEvent('change', { detail: { value: 'Account' } })
        );
        await flushPromises();
        expect(query(element, 'search').objectApiName).toBe('Account');
        query(element, 'search').dispatchEvent(
            new CustomEvent('change', { detail: { recordId: '001000000000003AAA' } })
        );
        query(element, 'search').dispatchEvent(new CustomEvent('change', { detail: { recordId: null } }));
        expect(commands).toEqual([
            {
                type: 'relateToRecord',
                record: { id: '001000000000003AAA', objectType: 'Account' },
                callId: 'call-1'
            }
        ]);
    });

    it('is accessible', async () => {
        const element = mount({
            call: callView('Connected'),
            screenRecord: { recordId: '500000000000001AAA', objectApiName: 'Case' }
        });
        await flushPromises();
        await expect(element).toBeAccessible();
    });
});
