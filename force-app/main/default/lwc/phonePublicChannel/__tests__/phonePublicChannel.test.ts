import { createElement } from 'lwc';
import {
    APPLICATION_SCOPE,
    deliverMessage,
    publish,
    resetMessageService,
    subscribe
} from 'lightning/messageService';
import PUBLIC_CHANNEL from '@salesforce/messageChannel/PhonePublic__c';
import * as core from '../../../../../../phone-core/src/public-api/public-channel';
import PhonePublicChannel from '../phonePublicChannel';
import {
    agentView,
    callView,
    flushPromises,
    viewState,
    type TestElement
} from '../../../../../test/jest-fixtures/phoneState';

function mount(props: Record<string, unknown> = {}): { element: TestElement; runCommand: jest.Mock } {
    const runCommand = jest.fn().mockResolvedValue({ ok: true, interactionId: 'i-1' });
    const element = createElement('c-phone-public-channel', { is: PhonePublicChannel }) as TestElement;
    Object.assign(element, {
        core,
        numberOptions: { defaultCountry: 'PL' },
        runCommand,
        ...props
    });
    document.body.appendChild(element);
    return { element, runCommand };
}

/** What the phone published, without the timestamp. */
const published = (): Array<Record<string, unknown>> =>
    (publish as jest.Mock).mock.calls.map((call) => {
        const { sentAt, ...rest } = call[2] as Record<string, unknown>;
        expect(typeof sentAt).toBe('number');
        return rest;
    });

const command = (fields: Record<string, unknown>) => ({ version: 1, kind: 'command', ...fields });

describe('c-phone-public-channel (F19)', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        resetMessageService();
        jest.clearAllMocks();
    });

    it('subscribes to the public channel in application scope', () => {
        mount({ viewState: viewState() });
        expect(subscribe).toHaveBeenCalledWith(undefined, PUBLIC_CHANNEL, expect.any(Function), {
            scope: APPLICATION_SCOPE
        });
    });

    it('runs a valid dial from another component and answers accepted with its request id', async () => {
        const { runCommand } = mount({ viewState: viewState() });
        deliverMessage(PUBLIC_CHANNEL, command({ command: 'dial', number: '600 700 800', requestId: 'r1' }));
        await flushPromises();
        expect(runCommand).toHaveBeenCalledWith({ type: 'dial', number: '600 700 800' });
        expect(published()).toContainEqual({
            version: 1,
            kind: 'event',
            event: 'accepted',
            source: 'ccphone',
            requestId: 'r1',
            command: 'dial',
            interactionId: 'i-1'
        });
    });

    it('answers an unknown status with a clear, translated error event and runs nothing', async () => {
        const { runCommand } = mount({ viewState: viewState() });
        deliverMessage(PUBLIC_CHANNEL, command({ command: 'setStatus', status: 'Lunch', requestId: 'r2' }));
        await flushPromises();
        expect(runCommand).not.toHaveBeenCalled();
        expect(published()).toContainEqual(
            expect.objectContaining({
                event: 'error',
                errorCode: 'unknown-status',
                requestId: 'r2',
                message: 'c.PhonePublic_Error_UnknownStatus'
            })
        );
    });

    it('never dials over a call: the state guard refuses it', async () => {
        const { runCommand } = mount({
            viewState: viewState({ agent: agentView('Busy'), calls: [callView('Connected')] })
        });
        deliverMessage(PUBLIC_CHANNEL, command({ command: 'dial', number: '600700800' }));
        await flushPromises();
        expect(runCommand).not.toHaveBeenCalled();
        expect(published()).toContainEqual(
            expect.objectContaining({ event: 'error', errorCode: 'not-allowed-now' })
        );
    });

    it("reports a command the phone failed with the phone's reason", async () => {
        const { runCommand } = mount({ viewState: viewState() });
        runCommand.mockResolvedValueOnce({ ok: false, error: 'call-in-progress' });
        deliverMessage(PUBLIC_CHANNEL, command({ command: 'dial', number: '600700800' }));
        await flushPromises();
        expect(published()).toContainEqual(
            expect.objectContaining({
                event: 'error',
                errorCode: 'command-failed',
                phoneError: 'call-in-progress'
            })
        );
    });

    it('refuses commands with phone-not-ready before the phone has a state', async () => {
        const { runCommand } = mount();
        deliverMessage(PUBLIC_CHANNEL, command({ command: 'hangup', requestId: 'h' }));
        await flushPromises();
        expect(runCommand).not.toHaveBeenCalled();
        expect(published()).toContainEqual(
            expect.objectContaining({ event: 'error', errorCode: 'phone-not-ready', requestId: 'h' })
        );
    });

    it('ignores its own events and other traffic on the channel', async () => {
        const { runCommand } = mount({ viewState: viewState() });
        deliverMessage(PUBLIC_CHANNEL, { version: 1, kind: 'event', event: 'ringing' });
        deliverMessage(PUBLIC_CHANNEL, { type: 'dial', number: '600700800' });
        await flushPromises();
        expect(runCommand).not.toHaveBeenCalled();
        expect(publish).not.toHaveBeenCalled();
    });

    it('publishes status changes and call events, logged with the Task id', async () => {
        const { element } = mount({ viewState: viewState() });
        element.viewState = viewState({ agent: agentView('Ringing') });
        element.viewState = viewState({ agent: agentView('Ringing') });
        element.publishCallEvent({
            kind: 'logged',
            interactionId: 'i-7',
            callId: '',
            direction: 'inbound',
            number: '+48600700800',
            name: 'Jan',
            outcome: 'answered',
            taskId: '00T000000000001AAA'
        });
        expect(published()).toEqual([
            {
                version: 1,
                kind: 'event',
                event: 'status',
                source: 'ccphone',
                status: 'Ringing',
                previousStatus: 'Ready'
            },
            {
                version: 1,
                kind: 'event',
                event: 'logged',
                source: 'ccphone',
                interactionId: 'i-7',
                direction: 'inbound',
                number: '+48600700800',
                name: 'Jan',
                outcome: 'answered',
                taskId: '00T000000000001AAA'
            }
        ]);
    });
});
