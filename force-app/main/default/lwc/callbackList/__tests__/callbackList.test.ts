import { createElement } from 'lwc';
import CallbackList from '../callbackList';
import openCallbacks from '@salesforce/apex/CallbackController.openCallbacks';
import completeCallback from '@salesforce/apex/CallbackController.completeCallback';
import { callbackMadeBy, isCallbackDue, sortCallbacks } from '../../../../../../phone-core/src/callbacks/callbacks';
import {
    captureCommands,
    flushPromises,
    HOSTILE_NAME,
    recentCall,
    type TestElement
} from '../../../../../test/jest-fixtures/phoneState';

jest.mock('@salesforce/apex/CallbackController.openCallbacks', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/CallbackController.completeCallback', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Phone_Recent_CallBack', () => ({ default: 'Call back {0}' }), {
    virtual: true
});

const open = openCallbacks as unknown as jest.Mock;
const complete = completeCallback as unknown as jest.Mock;
const helpers = { sortCallbacks, isCallbackDue, callbackMadeBy };

const LATE = {
    id: '00T000000000001AAA',
    phoneNumber: '+48600700800',
    callerName: 'Jan',
    dueAt: '2020-01-01T10:00:00Z',
    queue: 'Support PL',
    recordId: '003000000000001AAA',
    recordName: 'Jan Kowalski'
};
const LATER = {
    id: '00T000000000002AAA',
    phoneNumber: '+48600700801',
    callerName: HOSTILE_NAME,
    dueAt: '2999-01-01T10:00:00Z'
};

function mount(props: Record<string, unknown>): TestElement {
    const element = createElement('c-callback-list', { is: CallbackList }) as TestElement;
    Object.assign(element, { helpers, ...props });
    document.body.appendChild(element);
    return element;
}

const rows = (element: HTMLElement): HTMLElement[] =>
    Array.from(element.shadowRoot!.querySelectorAll('[data-id="callback"]'));
const within = (row: HTMLElement, id: string): any => row.querySelector(`[data-id="${id}"]`);

describe('c-callback-list', () => {
    beforeEach(() => {
        open.mockReset();
        complete.mockReset();
    });
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('lists the open callbacks, the most urgent first, late ones in red, names as text', async () => {
        open.mockResolvedValue([LATER, LATE]);
        const element = mount({ calls: [] });
        await flushPromises();
        const [first, second] = rows(element);
        expect(within(first, 'name').textContent).toBe('Jan Kowalski');
        expect(within(first, 'number').textContent).toBe('+48600700800');
        expect(within(first, 'queue').textContent).toBe('Support PL');
        expect(within(first, 'due').className).toContain('slds-text-color_error');
        expect(within(second, 'name').textContent).toBe(HOSTILE_NAME);
        expect(within(second, 'name').querySelector('img')).toBeNull();
        expect(within(second, 'due').className).toContain('slds-text-color_weak');
    });

    it('calls back with one click, related to the record, and closes the callback once answered', async () => {
        open.mockResolvedValue([LATE]);
        complete.mockResolvedValue(undefined);
        const element = mount({ calls: [] });
        const commands = captureCommands(element);
        await flushPromises();
        within(rows(element)[0], 'call-back').click();
        expect(commands).toEqual([
            {
                type: 'dial',
                number: '+48600700800',
                context: { recordId: '003000000000001AAA', objectType: 'Contact', name: 'Jan Kowalski' }
            }
        ]);
        // the call rang out: the callback stays open
        element.calls = [
            recentCall({
                interactionId: 'out-1',
                direction: 'outbound',
                number: '+48600700800',
                outcome: 'no-answer',
                startedAt: Date.now()
            })
        ];
        await flushPromises();
        expect(complete).not.toHaveBeenCalled();
        // answered: closed on the server, the list reloads without it
        open.mockResolvedValue([]);
        element.calls = [
            recentCall({
                interactionId: 'out-2',
                direction: 'outbound',
                number: '+48600700800',
                outcome: 'answered',
                startedAt: Date.now()
            }),
            ...element.calls
        ];
        await flushPromises();
        expect(complete).toHaveBeenCalledWith({ callbackId: LATE.id });
        expect(rows(element)).toHaveLength(0);
    });

    it('does not dial while the phone cannot', async () => {
        open.mockResolvedValue([LATE]);
        const element = mount({ calls: [], disabled: true });
        const commands = captureCommands(element);
        await flushPromises();
        within(rows(element)[0], 'call-back').click();
        expect(commands).toEqual([]);
    });

    it('says so when the callbacks cannot be loaded, and loads again on refresh', async () => {
        open.mockRejectedValueOnce({ body: { message: 'No access' } });
        const element = mount({ calls: [] });
        await flushPromises();
        expect(element.shadowRoot!.querySelector('[data-id="error"]')!.textContent).toBe(
            'c.Phone_Callbacks_LoadFailed'
        );
        open.mockResolvedValue([LATE]);
        (element.shadowRoot!.querySelector('[data-id="refresh"]') as HTMLElement).click();
        await flushPromises();
        expect(element.shadowRoot!.querySelector('[data-id="error"]')).toBeNull();
        expect(rows(element)).toHaveLength(1);
    });
});
