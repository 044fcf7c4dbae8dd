import { createElement } from 'lwc';
import type { TransferFailureReason } from 'webphone-core';
import CallControls from '../callControls';
import {
    callerCard,
    callView,
    captureCommands,
    flushPromises,
    HOSTILE_NAME,
    NOW,
    type TestElement
} from '../../../../../test/jest-fixtures/phoneState';

jest.mock('@salesforce/label/c.Phone_Controls_Consulting', () => ({ default: 'Consulting: {0}' }), {
    virtual: true
});

function mount(props: Record<string, unknown>): TestElement {
    const element = createElement('c-call-controls', { is: CallControls }) as TestElement;
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

const query = (element: HTMLElement, id: string): any =>
    element.shadowRoot!.querySelector(`[data-id="${id}"]`);

describe('c-call-controls', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.useRealTimers();
    });

    it('renders nothing without a call', async () => {
        const element = mount({ call: null });
        await flushPromises();
        expect(element.shadowRoot!.querySelector('section')).toBeNull();
    });

    describe('ringing inbound call', () => {
        it('offers answer and reject only', async () => {
            const element = mount({ call: callView('Ringing') });
            await flushPromises();
            expect(query(element, 'state').textContent).toBe('c.Phone_CallState_Ringing');
            expect(query(element, 'answer').disabled).toBe(false);
            expect(query(element, 'reject').disabled).toBe(false);
            expect(query(element, 'hangup')).toBeNull();
            expect(query(element, 'mute')).toBeNull();
        });

        it('answer and reject send their commands with the call id', async () => {
            const element = mount({ call: callView('Ringing', { id: 'call-7' }) });
            const commands = captureCommands(element);
            await flushPromises();
            query(element, 'answer').click();
            query(element, 'reject').click();
            expect(commands).toEqual([
                { type: 'answer', callId: 'call-7' },
                { type: 'reject', callId: 'call-7' }
            ]);
        });

        it('disables answer while answering', async () => {
            const element = mount({ call: callView('Ringing', { answering: true }) });
            await flushPromises();
            expect(query(element, 'answer').disabled).toBe(true);
            expect(query(element, 'state').textContent).toBe('c.Phone_CallState_Answering');
        });
    });

    it('an outgoing call that is not answered yet can be cancelled', async () => {
        const element = mount({ call: callView('Progress', { direction: 'outbound' }) });
        const commands = captureCommands(element);
        await flushPromises();
        expect(query(element, 'state').textContent).toBe('c.Phone_CallState_Dialing');
        expect(query(element, 'hangup').label).toBe('c.Phone_Controls_Cancel');
        expect(query(element, 'mute')).toBeNull();
        query(element, 'hangup').click();
        expect(commands).toEqual([{ type: 'hangup', callId: 'call-1' }]);
    });

    describe('connected call', () => {
        it('shows the talk time counting on from the answer', async () => {
            jest.useFakeTimers({ now: NOW });
            const element = mount({
                call: callView('Connected', { answeredAt: NOW - 65_000, talkDurationMs: 65_000 })
            });
            await Promise.resolve();
            expect(query(element, 'talk-time').textContent).toBe('1:05');
            jest.advanceTimersByTime(10_000);
            await Promise.resolve();
            expect(query(element, 'talk-time').textContent).toBe('1:15');
        });

        it.each([
            ['mute', { muted: false }, { type: 'mute', callId: 'call-1' }],
            ['mute', { muted: true }, { type: 'unmute', callId: 'call-1' }],
            ['hold', { onHold: false }, { type: 'hold', callId: 'call-1' }],
            ['hangup', {}, { type: 'hangup', callId: 'call-1' }]
        ])('%s sends the right command (%j)', async (button, overrides, command) => {
            const element = mount({ call: callView('Connected', overrides) });
            const commands = captureCommands(element);
            await flushPromises();
            query(element, button).click();
            expect(commands).toEqual([command]);
        });

        it('labels mute and hold by their next action (aria)', async () => {
            const element = mount({ call: callView('OnHold', { muted: true, onHold: true }) });
            const commands = captureCommands(element);
            await flushPromises();
            expect(query(element, 'mute').alternativeText).toBe('c.Phone_Controls_Unmute');
            expect(query(element, 'mute').selected).toBe(true);
            expect(query(element, 'hold').alternativeText).toBe('c.Phone_Controls_Resume');
            expect(query(element, 'state').textContent).toBe('c.Phone_CallState_OnHold');
            query(element, 'hold').click();
            expect(commands).toEqual([{ type: 'resume', callId: 'call-1' }]);
        });

        it('disables hold while a hold is negotiated', async () => {
            const element = mount({ call: callView('Connected', { holdPending: 'hold' }) });
            await flushPromises();
            expect(query(element, 'hold').disabled).toBe(true);
        });

        it('tells the agent when the other party holds the call', async () => {
            const element = mount({ call: callView('Connected', { remoteHold: true }) });
            await flushPromises();
            expect(query(element, 'state').textContent).toBe('c.Phone_CallState_RemoteHold');
        });

        it('says why a transfer did not go through while the caller is back with the agent', async () => {
            const element = mount({
                call: callView('Transferring', {
                    transfer: { kind: 'blind', target: 'agt-102', status: 'requested' }
                })
            });
            await flushPromises();
            expect(query(element, 'transfer-failed')).toBeNull();
            element.call = callView('Connected', {
                transfer: {
                    kind: 'blind',
                    target: 'agt-102',
                    status: 'failed',
                    failureReason: 'busy' as TransferFailureReason
                }
            });
            await flushPromises();
            const alert = query(element, 'transfer-failed');
            expect(alert.getAttribute('role')).toBe('alert');
            expect(alert.textContent.trim()).toBe('c.Phone_Transfer_Failed');
            expect(query(element, 'hangup').disabled).toBe(false);
            element.call = callView('Connected', {
                transfer: { kind: 'blind', target: 'agt-102', status: 'completed' }
            });
            await flushPromises();
            expect(query(element, 'transfer-failed')).toBeNull();
        });

        it('tells the agent when the audio is being restored, then lost; hang up stays available', async () => {
            const element = mount({ call: callView('Connected', { mediaHealth: 'recovering' }) });
            await flushPromises();
            expect(query(element, 'state').textContent).toBe('c.Phone_CallState_MediaRecovering');
            expect(query(element, 'media-lost')).toBeNull();
            element.call = callView('Connected', { mediaHealth: 'lost', remoteHold: true });
            await flushPromises();
            expect(query(element, 'state').textContent).toBe('c.Phone_CallState_MediaLost');
            expect(query(element, 'media-lost').getAttribute('role')).toBe('alert');
            expect(query(element, 'media-lost').textContent.trim()).toBe('c.Phone_Call_MediaLostHint');
            expect(query(element, 'hangup').disabled).toBe(false);
            element.call = callView('Connected', {});
            await flushPromises();
            expect(query(element, 'state').textContent).toBe('c.Phone_CallState_Connected');
            expect(query(element, 'media-lost')).toBeNull();
        });

        it('shows the call quality', async () => {
            const element = mount({ call: callView('Connected', { quality: { mos: 3.1, level: 'fair' } }) });
            await flushPromises();
            expect(query(element, 'quality').textContent).toBe('c.Phone_Quality_Fair');
        });

        it('the keypad sends DTMF for this call', async () => {
            const element = mount({ call: callView('Connected', { id: 'call-3' }) });
            const commands = captureCommands(element);
            await flushPromises();
            expect(query(element, 'keypad-pad')).toBeNull();
            query(element, 'keypad').click();
            await flushPromises();
            const pad = query(element, 'keypad-pad');
            expect(pad.inCall).toBe(true);
            expect(pad.callId).toBe('call-3');
            const five = pad.shadowRoot.querySelector('button[data-digit="5"]');
            five.click();
            expect(commands).toEqual([{ type: 'sendDtmf', digits: '5', callId: 'call-3' }]);
        });

        it('blind transfer sends the target and closes the panel', async () => {
            const element = mount({ call: callView('Connected') });
            const commands = captureCommands(element);
            await flushPromises();
            query(element, 'transfer').click();
            await flushPromises();
            expect(query(element, 'blind-transfer').disabled).toBe(true);
            query(element, 'transfer-target').dispatchEvent(
                new CustomEvent('change', { detail: { value: ' 201 ' } })
            );
            await flushPromises();
            expect(query(element, 'blind-transfer').disabled).toBe(false);
            query(element, 'blind-transfer').click();
            await flushPromises();
            expect(commands).toEqual([{ type: 'blindTransfer', target: '201', callId: 'call-1' }]);
            expect(query(element, 'transfer-panel')).toBeNull();
        });

        it('consult starts a consultation with the target', async () => {
            const element = mount({ call: callView('Connected') });
            const commands = captureCommands(element);
            await flushPromises();
            query(element, 'transfer').click();
            await flushPromises();
            query(element, 'transfer-target').dispatchEvent(
                new CustomEvent('change', { detail: { value: '+48 22 123 45 67' } })
            );
            await flushPromises();
            query(element, 'consult').click();
            expect(commands).toEqual([
                { type: 'startConsultation', target: '+48 22 123 45 67', callId: 'call-1' }
            ]);
        });
    });

    describe('consultation', () => {
        const consult = (state: 'Progress' | 'Connected') =>
            callView(state, {
                id: 'consult-1',
                role: 'consultation',
                direction: 'outbound',
                caller: callerCard({ name: HOSTILE_NAME, record: null })
            });

        it('offers complete, return and conference once the consulted party answered', async () => {
            const element = mount({
                call: callView('OnHold', { consultActive: true }),
                consultCall: consult('Connected')
            });
            const commands = captureCommands(element);
            await flushPromises();
            expect(query(element, 'consult-text').textContent).toBe(`Consulting: ${HOSTILE_NAME}`);
            expect(element.shadowRoot!.querySelector('img')).toBeNull();
            expect(query(element, 'transfer').disabled).toBe(true);
            expect(query(element, 'hold').disabled).toBe(true);
            query(element, 'complete-transfer').click();
            query(element, 'return-to-caller').click();
            query(element, 'conference').click();
            expect(commands).toEqual([
                { type: 'completeTransfer', consultCallId: 'consult-1' },
                { type: 'returnToCaller', consultCallId: 'consult-1' },
                { type: 'conference', callId: 'call-1' }
            ]);
        });

        it('only "back to caller" works while the consulted party still rings', async () => {
            const element = mount({
                call: callView('OnHold', { consultActive: true }),
                consultCall: consult('Progress')
            });
            await flushPromises();
            expect(query(element, 'complete-transfer').disabled).toBe(true);
            expect(query(element, 'conference').disabled).toBe(true);
            expect(query(element, 'return-to-caller').disabled).toBe(false);
        });

        it('disables conference once the conference runs', async () => {
            const element = mount({
                call: callView('Connected', { conference: true }),
                consultCall: consult('Connected')
            });
            await flushPromises();
            expect(query(element, 'state').textContent).toBe('c.Phone_CallState_Conference');
            expect(query(element, 'conference').disabled).toBe(true);
        });
    });

    it('disables every control when the phone is not ready', async () => {
        const element = mount({ call: callView('Connected'), disabled: true });
        await flushPromises();
        for (const id of ['mute', 'hold', 'keypad', 'transfer', 'hangup'])
            expect(query(element, id).disabled).toBe(true);
    });

    it('a transferring call can only be hung up', async () => {
        const element = mount({ call: callView('Transferring') });
        await flushPromises();
        expect(query(element, 'state').textContent).toBe('c.Phone_CallState_Transferring');
        expect(query(element, 'mute')).toBeNull();
        expect(query(element, 'hangup')).not.toBeNull();
    });

    it.each([
        ['ringing', callView('Ringing')],
        ['connected', callView('Connected')]
    ])('is accessible when %s', async (_name, call) => {
        const element = mount({ call });
        await flushPromises();
        await expect(element).toBeAccessible();
    });
});
