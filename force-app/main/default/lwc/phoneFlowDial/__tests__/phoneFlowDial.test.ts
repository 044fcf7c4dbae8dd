import { createElement } from 'lwc';
import { deliverMessage, publish, resetMessageService } from 'lightning/messageService';
import PUBLIC_CHANNEL from '@salesforce/messageChannel/PhonePublic__c';
import PhoneFlowDial from '../phoneFlowDial';
import { flushPromises, type TestElement } from '../../../../../test/jest-fixtures/phoneState';

function mount(props: Record<string, unknown>): TestElement {
    const element = createElement('c-phone-flow-dial', { is: PhoneFlowDial }) as TestElement;
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

const commands = (): Array<Record<string, unknown>> =>
    (publish as jest.Mock).mock.calls.map((call) => call[2] as Record<string, unknown>);

describe('c-phone-flow-dial (F19 Screen Flow component)', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        resetMessageService();
        jest.clearAllMocks();
    });

    it('publishes a versioned dial command with the record when the agent clicks Call', async () => {
        const element = mount({ phoneNumber: '600 700 800', recordId: '003000000000001AAA' });
        await flushPromises();
        expect(publish).not.toHaveBeenCalled();
        (element.shadowRoot!.querySelector('[data-id="dial"]') as HTMLElement).click();
        expect(commands()).toEqual([
            {
                version: 1,
                kind: 'command',
                command: 'dial',
                requestId: expect.stringMatching(/^flow-dial-/),
                number: '600 700 800',
                recordId: '003000000000001AAA'
            }
        ]);
    });

    it('dials by itself when the admin set Dial When Shown', async () => {
        mount({ phoneNumber: '600700800', autoDial: true });
        await flushPromises();
        expect(commands()).toHaveLength(1);
    });

    it("shows the phone's refusal for its own request only", async () => {
        const element = mount({ phoneNumber: 'abc', autoDial: true });
        await flushPromises();
        const requestId = commands()[0].requestId;
        deliverMessage(PUBLIC_CHANNEL, {
            version: 1,
            kind: 'event',
            event: 'error',
            requestId: 'other',
            message: 'x'
        });
        await flushPromises();
        expect(element.shadowRoot!.querySelector('[data-id="feedback"]')).toBeNull();
        deliverMessage(PUBLIC_CHANNEL, {
            version: 1,
            kind: 'event',
            event: 'error',
            requestId,
            errorCode: 'invalid-number',
            message: 'This number cannot be called.'
        });
        await flushPromises();
        const feedback = element.shadowRoot!.querySelector('[data-id="feedback"]') as HTMLElement;
        expect(feedback.textContent).toBe('This number cannot be called.');
        expect(feedback.className).toContain('slds-text-color_error');
    });

    it('says the phone took the call on accepted', async () => {
        const element = mount({ phoneNumber: '600700800', autoDial: true });
        await flushPromises();
        deliverMessage(PUBLIC_CHANNEL, {
            version: 1,
            kind: 'event',
            event: 'accepted',
            requestId: commands()[0].requestId
        });
        await flushPromises();
        expect((element.shadowRoot!.querySelector('[data-id="feedback"]') as HTMLElement).textContent).toBe(
            'c.PhoneFlow_Sent'
        );
    });
});
