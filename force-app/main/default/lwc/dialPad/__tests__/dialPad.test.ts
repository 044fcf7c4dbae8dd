import { createElement } from 'lwc';
import DialPad from '../dialPad';
import {
    captureCommands,
    flushPromises,
    type TestElement
} from '../../../../../test/jest-fixtures/phoneState';

jest.mock('@salesforce/label/c.Phone_Dial_Dialable', () => ({ default: 'Will call {0}' }), { virtual: true });
jest.mock('@salesforce/label/c.Phone_Dial_TonesSent', () => ({ default: 'Tones sent: {0}' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Phone_Dial_RedialTitle', () => ({ default: 'Redial {0}' }), { virtual: true });

/** A stand-in for phone-core's normalisation: Polish numbers with 9 digits are dialable. */
const inspector = jest.fn((raw: string) => {
    const digits = raw.replace(/\D/g, '').replace(/^00/, '');
    const dialable = digits.length === 9 || (digits.length === 11 && digits.startsWith('48'));
    return { dialable, display: dialable ? `+48 ${digits.slice(-9)}` : '' };
});

function mount(props: Record<string, unknown> = {}): TestElement {
    const element = createElement('c-dial-pad', { is: DialPad }) as TestElement;
    Object.assign(element, { numberInspector: inspector, ...props });
    document.body.appendChild(element);
    return element;
}

const query = (element: HTMLElement, id: string): any =>
    element.shadowRoot!.querySelector(`[data-id="${id}"]`);
const key = (element: HTMLElement, digit: string): HTMLButtonElement =>
    element.shadowRoot!.querySelector(`button[data-digit="${digit}"]`) as HTMLButtonElement;

async function type(element: HTMLElement, value: string): Promise<void> {
    query(element, 'number').dispatchEvent(new CustomEvent('change', { detail: { value } }));
    await flushPromises();
}

describe('c-dial-pad', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        inspector.mockClear();
    });

    it('has twelve keys and a disabled call button while empty', async () => {
        const element = mount();
        await flushPromises();
        expect(element.shadowRoot!.querySelectorAll('button[data-digit]')).toHaveLength(12);
        expect(query(element, 'call').disabled).toBe(true);
        expect(query(element, 'dialable')).toBeNull();
    });

    it('accepts a pasted number in any format and says it is dialable', async () => {
        const element = mount();
        const commands = captureCommands(element);
        await flushPromises();
        await type(element, '0048 (600) 700-800');
        expect(inspector).toHaveBeenCalledWith('0048 (600) 700-800');
        expect(query(element, 'dialable').textContent).toBe('Will call +48 600700800');
        expect(query(element, 'dialable').className).toContain('slds-text-color_success');
        query(element, 'call').click();
        await flushPromises();
        expect(commands).toEqual([{ type: 'dial', number: '0048 (600) 700-800' }]);
        expect(query(element, 'number').value).toBe('');
    });

    it('says when a number cannot be dialled and refuses to call it', async () => {
        const element = mount();
        const commands = captureCommands(element);
        await flushPromises();
        await type(element, '12345');
        expect(query(element, 'dialable').textContent).toBe('c.Phone_Dial_NotDialable');
        expect(query(element, 'call').disabled).toBe(true);
        query(element, 'call').click();
        expect(commands).toEqual([]);
    });

    it('builds the number from the keys, deletes the last digit, and dials on Enter', async () => {
        const element = mount();
        const commands = captureCommands(element);
        await flushPromises();
        for (const digit of '6007008009') key(element, digit).click();
        await flushPromises();
        query(element, 'clear').click();
        await flushPromises();
        expect(query(element, 'number').value).toBe('600700800');
        query(element, 'number').dispatchEvent(new KeyboardEvent('keyup', { key: 'Enter' }));
        expect(commands).toEqual([{ type: 'dial', number: '600700800' }]);
    });

    it('treats an inspector failure as not dialable', async () => {
        const element = mount({
            numberInspector: () => {
                throw new Error('core missing');
            }
        });
        await flushPromises();
        await type(element, '600700800');
        expect(query(element, 'call').disabled).toBe(true);
    });

    it('redials the last number', async () => {
        const element = mount({ lastDialled: '+48600700800' });
        const commands = captureCommands(element);
        await flushPromises();
        expect(query(element, 'redial').alternativeText).toBe('Redial +48600700800');
        query(element, 'redial').click();
        expect(commands).toEqual([{ type: 'redial' }]);
    });

    it('disables redial without a last number', async () => {
        const element = mount();
        const commands = captureCommands(element);
        await flushPromises();
        expect(query(element, 'redial').disabled).toBe(true);
        query(element, 'redial').click();
        expect(commands).toEqual([]);
    });

    it('in a call the keys send DTMF to the call and show what was sent', async () => {
        const element = mount({ inCall: true, callId: 'call-9' });
        const commands = captureCommands(element);
        await flushPromises();
        expect(query(element, 'number')).toBeNull();
        key(element, '1').click();
        key(element, '#').click();
        await flushPromises();
        expect(commands).toEqual([
            { type: 'sendDtmf', digits: '1', callId: 'call-9' },
            { type: 'sendDtmf', digits: '#', callId: 'call-9' }
        ]);
        expect(query(element, 'tones').textContent).toBe('Tones sent: 1#');
    });

    it('does nothing while disabled', async () => {
        const element = mount({ disabled: true, inCall: true, callId: 'call-9' });
        const commands = captureCommands(element);
        await flushPromises();
        key(element, '1').dispatchEvent(new CustomEvent('click'));
        expect(commands).toEqual([]);
    });

    it('is accessible', async () => {
        const element = mount();
        await flushPromises();
        await type(element, '600700800');
        await expect(element).toBeAccessible();
    });
});
