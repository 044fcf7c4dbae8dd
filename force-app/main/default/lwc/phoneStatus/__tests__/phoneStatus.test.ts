import { createElement } from 'lwc';
import PhoneStatus from '../phoneStatus';
import {
    agentView,
    captureCommands,
    flushPromises,
    NOW,
    type TestElement
} from '../../../../../test/jest-fixtures/phoneState';

jest.mock('@salesforce/label/c.Phone_Status_PausedWith', () => ({ default: 'Paused: {0}' }), {
    virtual: true
});

const REASONS = [
    { id: 'lunch', label: 'Lunch' },
    { id: 'training', label: 'Training' }
];

function mount(props: Record<string, unknown>): TestElement {
    const element = createElement('c-phone-status', { is: PhoneStatus }) as TestElement;
    Object.assign(element, { pauseReasons: REASONS, ...props });
    document.body.appendChild(element);
    return element;
}

const query = (element: HTMLElement, id: string): any =>
    element.shadowRoot!.querySelector(`[data-id="${id}"]`);

describe('c-phone-status', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.useRealTimers();
    });

    it.each([
        ['Ready', 'c.Phone_Status_Ready', 'slds-theme_success'],
        ['Busy', 'c.Phone_Status_Busy', 'slds-theme_error'],
        ['Wrap', 'c.Phone_Status_Wrap', 'slds-theme_warning'],
        ['Ringing', 'c.Phone_Status_Ringing', 'slds-theme_info'],
        ['NotReady', 'c.Phone_Status_NotReady', 'slds-theme_shade'],
        ['Offline', 'c.Phone_Status_Offline', 'slds-theme_shade'],
        ['Error', 'c.Phone_Status_Error', 'slds-theme_error']
    ] as const)('shows %s with its label and colour', async (status, label, theme) => {
        const element = mount({ agent: agentView(status) });
        await flushPromises();
        const badge = query(element, 'status');
        expect(badge.textContent).toBe(label);
        expect(badge.classList).toContain(theme);
    });

    it('shows the pause reason of a paused agent as text', async () => {
        const element = mount({
            agent: agentView('Paused', { pauseReason: { id: 'lunch', label: '<b>Lunch</b>' } })
        });
        await flushPromises();
        expect(query(element, 'status').textContent).toBe('Paused: <b>Lunch</b>');
        expect(element.shadowRoot!.querySelector('b')).toBeNull();
    });

    it('counts the wrap time down in m:ss', async () => {
        jest.useFakeTimers({ now: NOW });
        const element = mount({
            agent: agentView('Wrap', { wrap: { seconds: 90, startedAt: NOW, deadline: NOW + 90_000 } })
        });
        await Promise.resolve();
        expect(query(element, 'wrap-countdown').textContent).toBe('1:30');
        expect(query(element, 'wrap-countdown').getAttribute('role')).toBe('timer');
        jest.advanceTimersByTime(31_000);
        await Promise.resolve();
        expect(query(element, 'wrap-countdown').textContent).toBe('0:59');
        jest.advanceTimersByTime(120_000);
        await Promise.resolve();
        expect(query(element, 'wrap-countdown').textContent).toBe('0:00');
    });

    it('offers the allowed statuses and the pause reasons', async () => {
        const element = mount({ agent: agentView('NotReady', { allowed: ['Ready', 'Paused'] }) });
        await flushPromises();
        const picker = query(element, 'picker');
        expect(picker.options.map((option: { value: string }) => option.value)).toEqual([
            'Ready',
            'Paused:lunch',
            'Paused:training'
        ]);
        expect(picker.label).toBe('c.Phone_Status_Change');
        expect(picker.value).toBe('NotReady');
    });

    it.each([
        ['Ready', { type: 'setStatus', request: { status: 'Ready' } }],
        ['NotReady', { type: 'setStatus', request: { status: 'NotReady' } }],
        [
            'Paused:training',
            {
                type: 'setStatus',
                request: { status: 'Paused', reason: { id: 'training', label: 'Training' } }
            }
        ]
    ])('picking %s sends setStatus', async (value, command) => {
        const element = mount({ agent: agentView('Ready') });
        const commands = captureCommands(element);
        await flushPromises();
        query(element, 'picker').dispatchEvent(new CustomEvent('change', { detail: { value } }));
        expect(commands).toEqual([command]);
    });

    it('ignores an unknown pause reason', async () => {
        const element = mount({ agent: agentView('Ready') });
        const commands = captureCommands(element);
        await flushPromises();
        query(element, 'picker').dispatchEvent(
            new CustomEvent('change', { detail: { value: 'Paused:gone' } })
        );
        expect(commands).toEqual([]);
    });

    it('during a call the picker chooses the status after the call', async () => {
        const element = mount({
            agent: agentView('Busy', {
                nextStatus: { status: 'Paused', reason: { id: 'lunch', label: 'Lunch' } } as any
            })
        });
        await flushPromises();
        const picker = query(element, 'picker');
        expect(picker.label).toBe('c.Phone_Status_AfterCall');
        expect(picker.value).toBe('Paused:lunch');
        expect(query(element, 'next-status').textContent).toBe('c.Phone_Status_NextIs');
    });

    it('"not ready after this call" sets and clears the next status', async () => {
        const element = mount({ agent: agentView('Busy') });
        const commands = captureCommands(element);
        await flushPromises();
        const checkbox = query(element, 'not-ready-after-call');
        expect(checkbox.checked).toBe(false);
        checkbox.dispatchEvent(new CustomEvent('change', { detail: { checked: true } }));
        checkbox.dispatchEvent(new CustomEvent('change', { detail: { checked: false } }));
        expect(commands).toEqual([
            { type: 'setStatus', request: { status: 'NotReady' } },
            { type: 'clearNextStatus' }
        ]);
    });

    it('hides "not ready after this call" outside a call', async () => {
        const element = mount({ agent: agentView('Ready') });
        await flushPromises();
        expect(query(element, 'not-ready-after-call')).toBeNull();
    });

    it('says when the contact centre did not get the last status', async () => {
        const element = mount({ agent: agentView('Ready', { sync: 'failed' }) });
        await flushPromises();
        expect(query(element, 'not-synced').textContent).toBe('c.Phone_Status_NotSynced');
    });

    it('disables the picker while the phone is not started', async () => {
        const element = mount({ agent: agentView('Offline'), disabled: true });
        await flushPromises();
        expect(query(element, 'picker').disabled).toBe(true);
    });

    it('is accessible', async () => {
        const element = mount({
            agent: agentView('Wrap', { wrap: { seconds: 30, startedAt: NOW, deadline: Date.now() + 30_000 } })
        });
        await flushPromises();
        await expect(element).toBeAccessible();
    });
});
