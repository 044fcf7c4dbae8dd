import { createElement } from 'lwc';
import { createMessageContext, publish, releaseMessageContext } from 'lightning/messageService';
import PUBLIC_CHANNEL from '@salesforce/messageChannel/PhonePublic__c';
import PhoneFlowSetStatus from '../phoneFlowSetStatus';
import type { TestElement } from '../../../../../test/jest-fixtures/phoneState';

describe('c-phone-flow-set-status (F19 Flow local action)', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('publishes a setStatus command when the flow invokes it, and releases its context', () => {
        const element = createElement('c-phone-flow-set-status', { is: PhoneFlowSetStatus }) as TestElement;
        Object.assign(element, { status: 'Paused', pauseReasonId: 'lunch' });
        document.body.appendChild(element);
        element.invoke();
        expect(createMessageContext).toHaveBeenCalledTimes(1);
        expect(publish).toHaveBeenCalledWith(expect.anything(), PUBLIC_CHANNEL, {
            version: 1,
            kind: 'command',
            command: 'setStatus',
            requestId: expect.stringMatching(/^flow-status-/),
            status: 'Paused',
            pauseReasonId: 'lunch'
        });
        expect(releaseMessageContext).toHaveBeenCalledTimes(1);
    });

    it('sends an unknown status as it is: the phone answers it with an error event', () => {
        const element = createElement('c-phone-flow-set-status', { is: PhoneFlowSetStatus }) as TestElement;
        Object.assign(element, { status: 'Lunch' });
        document.body.appendChild(element);
        element.invoke();
        expect((publish as jest.Mock).mock.calls[0][2]).toMatchObject({
            command: 'setStatus',
            status: 'Lunch'
        });
        expect((publish as jest.Mock).mock.calls[0][2]).not.toHaveProperty('pauseReasonId');
    });
});
