import { createElement } from 'lwc';
import { getObjectInfos } from 'lightning/uiObjectInfoApi';
import ScreenPopChooser from '../screenPopChooser';
import type { ScreenPopDecision } from 'webphone-core';
import {
    captureCommands,
    flushPromises,
    HOSTILE_NAME,
    record,
    type TestElement
} from '../../../../../test/jest-fixtures/phoneState';

jest.mock('@salesforce/label/c.Phone_Pop_NewRecord', () => ({ default: 'New {0}' }), { virtual: true });

const CHOOSE: ScreenPopDecision = {
    action: 'choose',
    candidates: [
        record(),
        record({ id: '00Q000000000001AAA', objectType: 'Lead', name: HOSTILE_NAME, subtitle: 'Globex' }),
        record({
            id: '500000000000001AAA',
            objectType: 'Case',
            name: '00001001',
            subtitle: 'Broken phone',
            isClosed: true
        })
    ],
    collapsed: [],
    autoCreateCase: null
};

const CREATE: ScreenPopDecision = {
    action: 'create',
    options: [
        {
            kind: 'create',
            objectType: 'Contact',
            objectApiName: 'Contact',
            defaultFieldValues: { Phone: '+48600700800' }
        },
        {
            kind: 'create',
            objectType: 'PersonAccount',
            objectApiName: 'Account',
            defaultFieldValues: { Phone: '+48600700800' }
        },
        {
            kind: 'create',
            objectType: 'Case',
            objectApiName: 'Case',
            defaultFieldValues: { SuppliedPhone: '+48600700800', Origin: 'Phone' }
        },
        { kind: 'attach-number', e164: '+48600700800' }
    ],
    autoCreateCase: null
};

function mount(props: Record<string, unknown>): TestElement {
    const element = createElement('c-screen-pop-chooser', { is: ScreenPopChooser }) as TestElement;
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

const query = (element: HTMLElement, id: string): any =>
    element.shadowRoot!.querySelector(`[data-id="${id}"]`);
const all = (element: HTMLElement, id: string): any[] =>
    Array.from(element.shadowRoot!.querySelectorAll(`[data-id="${id}"]`));

function listen(element: HTMLElement, name: string): unknown[] {
    const details: unknown[] = [];
    element.addEventListener(name, (event) => details.push((event as CustomEvent).detail));
    return details;
}

describe('c-screen-pop-chooser', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('renders nothing for open/none decisions', async () => {
        const element = mount({ decision: { action: 'none', reason: 'anonymous', autoCreateCase: null } });
        await flushPromises();
        expect(element.shadowRoot!.querySelector('section')).toBeNull();
    });

    describe('several matches', () => {
        it('lists the candidates with their object type, subtitle and closed marker', async () => {
            const element = mount({ decision: CHOOSE, callId: 'call-1' });
            await flushPromises();
            const buttons = all(element, 'candidate');
            expect(buttons.map((button) => button.querySelector('.candidate-name').textContent)).toEqual([
                'Jan Kowalski',
                HOSTILE_NAME,
                '00001001'
            ]);
            expect(buttons[1].textContent).toContain('c.Phone_Object_Lead');
            expect(element.shadowRoot!.textContent).toContain('Globex');
            expect(element.shadowRoot!.textContent).toContain('c.Phone_Pop_Closed');
        });

        it('renders hostile names as text', async () => {
            const element = mount({ decision: CHOOSE, callId: 'call-1' });
            await flushPromises();
            expect(element.shadowRoot!.querySelector('img')).toBeNull();
        });

        it('choosing relates the call and opens the record', async () => {
            const element = mount({ decision: CHOOSE, callId: 'call-1' });
            const commands = captureCommands(element);
            const opened = listen(element, 'openrecord');
            await flushPromises();
            all(element, 'candidate')[1].click();
            expect(commands).toEqual([
                { type: 'chooseRecord', recordId: '00Q000000000001AAA', callId: 'call-1' }
            ]);
            expect(opened).toEqual([{ recordId: '00Q000000000001AAA', objectApiName: 'Lead' }]);
        });
    });

    describe("the org's own object names", () => {
        /** getObjectInfos data: Case renamed to "Sprawa" (as seed 003's org calls it), Person Accounts refused. */
        const RENAMED = {
            results: [
                { statusCode: 200, result: { apiName: 'Account', label: 'Konto' } },
                { statusCode: 200, result: { apiName: 'Contact', label: 'Kontakt' } },
                { statusCode: 200, result: { apiName: 'Lead', label: 'Potencjalny klient' } },
                { statusCode: 200, result: { apiName: 'Case', label: 'Sprawa' } },
                { statusCode: 400, result: { errorCode: 'INVALID_TYPE', message: 'PersonAccount' } }
            ]
        };

        it('asks the org for the labels of the phone objects', async () => {
            mount({ decision: CREATE, callId: 'call-1' });
            await flushPromises();
            expect(getObjectInfos.getLastConfig()).toEqual({
                objectApiNames: ['Account', 'Contact', 'Lead', 'Case', 'PersonAccount']
            });
        });

        it('names the objects as the org does, with the package labels where the org gives none', async () => {
            const element = mount({ decision: CREATE, callId: 'call-1' });
            await flushPromises();
            getObjectInfos.emit(RENAMED);
            await flushPromises();
            expect(all(element, 'create').map((button) => button.label)).toEqual([
                'New Kontakt',
                'New c.Phone_Object_PersonAccount',
                'New Sprawa'
            ]);
        });

        it("asks for the admin's custom object too and names its create option as the org does (F20)", async () => {
            const decision: ScreenPopDecision = {
                ...CREATE,
                options: [
                    ...CREATE.options,
                    {
                        kind: 'create',
                        objectType: 'Custom',
                        objectApiName: 'Service_Request__c',
                        defaultFieldValues: { Phone__c: '+48600700800' }
                    }
                ]
            } as ScreenPopDecision;
            const element = mount({ decision, callId: 'call-1' });
            await flushPromises();
            expect(getObjectInfos.getLastConfig()).toEqual({
                objectApiNames: ['Account', 'Contact', 'Lead', 'Case', 'PersonAccount', 'Service_Request__c']
            });
            getObjectInfos.emit({
                results: [
                    ...RENAMED.results,
                    { statusCode: 200, result: { apiName: 'Service_Request__c', label: 'Service Request' } }
                ]
            });
            await flushPromises();
            expect(all(element, 'create').map((button) => button.label)[3]).toBe('New Service Request');
        });

        it('keeps the package labels when the org cannot be asked', async () => {
            const element = mount({ decision: CHOOSE, callId: 'call-1' });
            await flushPromises();
            getObjectInfos.error({ body: { message: 'offline' } });
            await flushPromises();
            expect(all(element, 'candidate')[2].textContent).toContain('c.Phone_Object_Case');
            getObjectInfos.emit(RENAMED);
            await flushPromises();
            expect(all(element, 'candidate')[2].textContent).toContain('Sprawa');
        });
    });

    describe('no match', () => {
        it('offers a prefilled new record per create option', async () => {
            const element = mount({ decision: CREATE, callId: 'call-1' });
            const created = listen(element, 'createrecord');
            await flushPromises();
            const buttons = all(element, 'create');
            expect(buttons.map((button) => button.label)).toEqual([
                'New c.Phone_Object_Contact',
                'New c.Phone_Object_PersonAccount',
                'New c.Phone_Object_Case'
            ]);
            buttons.forEach((button) => button.click());
            expect(created).toEqual([
                {
                    objectApiName: 'Contact',
                    defaultFieldValues: { Phone: '+48600700800' },
                    chooseRecordType: false
                },
                {
                    objectApiName: 'Account',
                    defaultFieldValues: { Phone: '+48600700800' },
                    chooseRecordType: true
                },
                {
                    objectApiName: 'Case',
                    defaultFieldValues: { SuppliedPhone: '+48600700800', Origin: 'Phone' },
                    chooseRecordType: false
                }
            ]);
        });

        it('adds the number to an existing record chosen with the record picker', async () => {
            const element = mount({ decision: CREATE, callId: 'call-1' });
            const attached = listen(element, 'attachnumber');
            await flushPromises();
            expect(query(element, 'attach-button').disabled).toBe(true);
            query(element, 'attach-object').dispatchEvent(
                new CustomEvent('change', { detail: { value: 'Lead' } })
            );
            await flushPromises();
            expect(query(element, 'attach-picker').objectApiName).toBe('Lead');
            query(element, 'attach-picker').dispatchEvent(
                new CustomEvent('change', { detail: { recordId: '00Q000000000002AAA' } })
            );
            await flushPromises();
            expect(query(element, 'attach-button').disabled).toBe(false);
            query(element, 'attach-button').click();
            expect(attached).toEqual([{ recordId: '00Q000000000002AAA', e164: '+48600700800' }]);
        });

        it('changing the object clears the picked record', async () => {
            const element = mount({ decision: CREATE, callId: 'call-1' });
            await flushPromises();
            query(element, 'attach-picker').dispatchEvent(
                new CustomEvent('change', { detail: { recordId: '003000000000009AAA' } })
            );
            query(element, 'attach-object').dispatchEvent(
                new CustomEvent('change', { detail: { value: 'Account' } })
            );
            await flushPromises();
            expect(query(element, 'attach-button').disabled).toBe(true);
        });

        it('hides "add number" when the decision offers none', async () => {
            const element = mount({
                decision: { ...CREATE, options: CREATE.action === 'create' ? CREATE.options.slice(0, 1) : [] }
            });
            await flushPromises();
            expect(query(element, 'attach')).toBeNull();
        });
    });

    it.each([
        ['choose', CHOOSE],
        ['create', CREATE]
    ])('is accessible (%s)', async (_name, decision) => {
        const element = mount({ decision, callId: 'call-1' });
        await flushPromises();
        await expect(element).toBeAccessible();
    });
});
