import { createElement } from 'lwc';
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

    it('relates the call to the record on screen (F7)', async () => {
        const element = mount({
            call: callView('Connected'),
            screenRecord: { recordId: '500000000000001AAA', objectApiName: 'Case' }
        });
        const commands = captureCommands(element);
        await flushPromises();
        expect(query(element, 'on-screen').disabled).toBe(false);
        query(element, 'on-screen').click();
        expect(commands).toEqual([
            {
                type: 'relateToRecord',
                record: { id: '500000000000001AAA', objectType: 'Case' },
                callId: 'call-1'
            }
        ]);
    });

    it('relates a custom object record on screen as Custom', async () => {
        const element = mount({
            call: callView('Connected'),
            screenRecord: { recordId: 'a01000000000001AAA', objectApiName: 'Service_Request__c' }
        });
        const commands = captureCommands(element);
        await flushPromises();
        query(element, 'on-screen').click();
        expect(commands).toEqual([
            {
                type: 'relateToRecord',
                record: { id: 'a01000000000001AAA', objectType: 'Custom' },
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
