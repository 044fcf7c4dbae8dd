import { createElement } from 'lwc';
import { getObjectInfos } from 'lightning/uiObjectInfoApi';
import CallerCard from '../callerCard';
import {
    callerCard,
    flushPromises,
    HOSTILE_NAME,
    record,
    SCRIPT_URL,
    type TestElement
} from '../../../../../test/jest-fixtures/phoneState';

jest.mock('@salesforce/label/c.Phone_Caller_Extension', () => ({ default: 'ext. {0}' }), { virtual: true });
jest.mock(
    '@salesforce/label/c.Phone_Caller_MoreMatches',
    () => ({ default: 'Other matching records: {0}' }),
    { virtual: true }
);

function mount(props: Record<string, unknown>): TestElement {
    const element = createElement('c-caller-card', { is: CallerCard }) as TestElement;
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

const query = (element: HTMLElement, id: string): any =>
    element.shadowRoot!.querySelector(`[data-id="${id}"]`);
const find = (element: HTMLElement, selector: string): any => element.shadowRoot!.querySelector(selector);

function events(element: HTMLElement, name: string): unknown[] {
    const details: unknown[] = [];
    element.addEventListener(name, (event) => details.push((event as CustomEvent).detail));
    return details;
}

describe('c-caller-card', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('shows name, company, number and the object type', async () => {
        const element = mount({ caller: callerCard({ extension: '1234', matchCount: 3 }) });
        await flushPromises();
        expect(query(element, 'name').textContent).toBe('Jan Kowalski');
        expect(query(element, 'company').textContent).toBe('Acme Sp. z o.o.');
        expect(query(element, 'number').textContent).toContain('600 700 800');
        expect(query(element, 'extension').textContent).toBe('ext. 1234');
        expect(query(element, 'object-type').textContent).toBe('c.Phone_Object_Contact');
        expect(query(element, 'more-matches').textContent).toBe('Other matching records: 2');
        expect(query(element, 'direction').textContent).toBe('c.Phone_Caller_Inbound');
    });

    it('shows the object type as the org names it (a renamed Contact)', async () => {
        const element = mount({ caller: callerCard() });
        await flushPromises();
        getObjectInfos.emit({
            results: [{ statusCode: 200, result: { apiName: 'Contact', label: 'Klant' } }]
        });
        await flushPromises();
        expect(query(element, 'object-type').textContent).toBe('Klant');
    });

    it('labels an outbound call', async () => {
        const element = mount({ caller: callerCard(), direction: 'outbound' });
        await flushPromises();
        expect(query(element, 'direction').textContent).toBe('c.Phone_Caller_Outbound');
    });

    it('labels a callback the contact centre queued and places (the phone rings like an incoming call)', async () => {
        const element = mount({
            caller: callerCard(),
            direction: 'inbound',
            callback: { callbackId: 'cbk-1' }
        });
        await flushPromises();
        expect(query(element, 'direction').textContent).toBe('c.Phone_Caller_QueuedCallback');
        expect(query(element, 'direction').getAttribute('aria-label')).toBeNull();
    });

    it('shows "Unknown caller" and "Number withheld" for an anonymous caller', async () => {
        const element = mount({
            caller: callerCard({
                unknown: true,
                name: '',
                displayName: '',
                company: '',
                record: null,
                rawNumber: '',
                e164: null,
                numberDisplay: '',
                numberKind: 'anonymous',
                matchCount: 0
            })
        });
        await flushPromises();
        expect(query(element, 'name').textContent).toBe('c.Phone_Label_UnknownCaller');
        expect(query(element, 'number').textContent).toBe('c.Phone_Caller_NumberWithheld');
        expect(query(element, 'open')).toBeNull();
        expect(query(element, 'company')).toBeNull();
    });

    it('renders a hostile display name as text, never as markup', async () => {
        const element = mount({
            caller: callerCard({
                name: '',
                displayName: HOSTILE_NAME,
                company: HOSTILE_NAME,
                record: null,
                matchCount: 0
            })
        });
        await flushPromises();
        expect(query(element, 'name').textContent).toBe(HOSTILE_NAME);
        expect(query(element, 'company').textContent).toBe(HOSTILE_NAME);
        expect(element.shadowRoot!.querySelector('img')).toBeNull();
    });

    it('renders a hostile record name as text inside the open button', async () => {
        const element = mount({
            caller: callerCard({ name: HOSTILE_NAME, record: record({ name: HOSTILE_NAME }) })
        });
        await flushPromises();
        expect(query(element, 'open').textContent).toBe(HOSTILE_NAME);
        expect(element.shadowRoot!.querySelector('img')).toBeNull();
    });

    it('opens the record by default (F16)', async () => {
        const element = mount({ caller: callerCard() });
        const opened = events(element, 'openrecord');
        await flushPromises();
        query(element, 'open').click();
        expect(opened).toEqual([{ recordId: '003000000000001AAA', objectApiName: 'Contact' }]);
    });

    it('opens a Person Account as an Account record', async () => {
        const element = mount({
            caller: callerCard({ record: record({ id: '001000000000002AAA', objectType: 'PersonAccount' }) })
        });
        const opened = events(element, 'openrecord');
        await flushPromises();
        query(element, 'open').click();
        expect(opened).toEqual([{ recordId: '001000000000002AAA', objectApiName: 'Account' }]);
    });

    it('opens the configured https URL template filled with encoded record fields (F16)', async () => {
        const element = mount({
            caller: callerCard({ record: record({ name: 'Jan & Co' }) }),
            clickUrlTemplate: 'https://erp.example.com/customer?id={Id}&name={Name}&phone={Phone}'
        });
        const urls = events(element, 'openurl');
        const records = events(element, 'openrecord');
        await flushPromises();
        query(element, 'open').click();
        expect(urls).toEqual([
            {
                url: 'https://erp.example.com/customer?id=003000000000001AAA&name=Jan%20%26%20Co&phone=%2B48600700800'
            }
        ]);
        expect(records).toEqual([]);
    });

    it('never opens a non-https template: falls back to the record', async () => {
        const element = mount({ caller: callerCard(), clickUrlTemplate: `${SCRIPT_URL}//{Id}` });
        const urls = events(element, 'openurl');
        const records = events(element, 'openrecord');
        await flushPromises();
        query(element, 'open').click();
        expect(urls).toEqual([]);
        expect(records).toHaveLength(1);
    });

    it('shows the configured extra fields of the record through Lightning Data Service (F15)', async () => {
        const element = mount({
            caller: callerCard(),
            cardFields: { Contact: ['Title', 'Email'], Lead: ['Status'] }
        });
        await flushPromises();
        const form = find(element, 'lightning-record-view-form');
        expect(form.recordId).toBe('003000000000001AAA');
        expect(form.objectApiName).toBe('Contact');
        const fields = Array.from(element.shadowRoot!.querySelectorAll('lightning-output-field')).map(
            (field: any) => field.fieldName
        );
        expect(fields).toEqual(['Title', 'Email']);
    });

    it('uses the Person Account field list for a Person Account', async () => {
        const element = mount({
            caller: callerCard({ record: record({ id: '001000000000002AAA', objectType: 'PersonAccount' }) }),
            cardFields: { Account: ['Industry'], PersonAccount: ['PersonEmail'] }
        });
        await flushPromises();
        const fields = Array.from(element.shadowRoot!.querySelectorAll('lightning-output-field')).map(
            (field: any) => field.fieldName
        );
        expect(fields).toEqual(['PersonEmail']);
    });

    it('shows no extra fields without a record or configuration', async () => {
        const element = mount({ caller: callerCard() });
        await flushPromises();
        expect(find(element, 'lightning-record-view-form')).toBeNull();
    });

    it('is accessible', async () => {
        const element = mount({
            caller: callerCard({ extension: '12' }),
            cardFields: { Contact: ['Title'] }
        });
        await flushPromises();
        await expect(element).toBeAccessible();
    });
});
