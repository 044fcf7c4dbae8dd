import { createElement } from 'lwc';
import { CurrentPageReference } from 'lightning/navigation';
import { getRecord } from 'lightning/uiRecordApi';
import { sensitivePageInput } from '../../../../../../phone-core/src/recording/recording-control';
import RecordingControl from '../recordingControl';
import {
    callView,
    captureCommands,
    flushPromises,
    type TestElement
} from '../../../../../test/jest-fixtures/phoneState';

function mount(props: Record<string, unknown>): TestElement {
    const element = createElement('c-recording-control', { is: RecordingControl }) as TestElement;
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

const query = (element: HTMLElement, id: string): any =>
    element.shadowRoot!.querySelector(`[data-id="${id}"]`);

const recordingCall = (
    mode: 'recording' | 'paused' | 'stopped',
    pausedBy: Array<'agent' | 'sensitive-page'> = [],
    consent = 'unknown'
) => callView('Connected', { recording: { mode, pausedBy, consent: consent as never } });

describe('c-recording-control (F21)', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('shows nothing before the call has a recording state', async () => {
        const element = mount({ call: callView('Ringing') });
        await flushPromises();
        expect(query(element, 'recording')).toBeNull();
    });

    it('shows the state at all times and sends pause, resume and consent as commands', async () => {
        const element = mount({ call: recordingCall('recording') });
        const commands = captureCommands(element);
        await flushPromises();
        expect(query(element, 'recording-state').textContent).toBe('c.Phone_Recording_On');
        query(element, 'recording-pause').click();
        query(element, 'consent-announced').click();
        expect(commands).toEqual([
            { type: 'controlRecording', input: { type: 'pause', reason: 'agent' }, interactionId: 'ia-1' },
            {
                type: 'controlRecording',
                input: { type: 'consent', consent: 'announced' },
                interactionId: 'ia-1'
            }
        ]);

        element.call = recordingCall('paused', ['agent'], 'announced');
        await flushPromises();
        expect(query(element, 'recording-state').textContent).toBe('c.Phone_Recording_Paused');
        expect(query(element, 'consent-announced').disabled).toBe(true);
        query(element, 'recording-resume').click();
        expect(commands[2]).toMatchObject({ input: { type: 'resume', reason: 'agent' } });

        element.call = recordingCall('paused', ['sensitive-page']);
        await flushPromises();
        expect(query(element, 'recording-state').textContent).toBe('c.Phone_Recording_PausedSensitive');

        element.call = recordingCall('stopped', [], 'declined');
        await flushPromises();
        expect(query(element, 'recording-state').textContent).toBe('c.Phone_Recording_Stopped');
        expect(query(element, 'recording-pause')).toBeNull();
        expect(query(element, 'consent-declined').disabled).toBe(true);
    });

    it('pauses on a sensitive page (object and record type) and resumes on leaving it', async () => {
        const element = mount({
            call: recordingCall('recording'),
            sensitivePages: ['Case.Card_Payment', 'Payment__c'],
            sensitivePageRule: sensitivePageInput
        });
        const commands = captureCommands(element);
        await flushPromises();
        CurrentPageReference.emit({
            type: 'standard__recordPage',
            attributes: { objectApiName: 'Case', recordId: '500000000000001AAA' }
        });
        await flushPromises();
        expect(commands).toEqual([]); // a Case, but not (yet) of the card payment record type
        getRecord.emit({ apiName: 'Case', recordTypeInfo: { name: 'Card Payment' }, fields: {} });
        await flushPromises();
        expect(commands).toEqual([
            {
                type: 'controlRecording',
                input: { type: 'pause', reason: 'sensitive-page' },
                interactionId: 'ia-1'
            }
        ]);

        element.call = recordingCall('paused', ['sensitive-page']);
        await flushPromises();
        expect(commands).toHaveLength(1); // the state now agrees: nothing more
        CurrentPageReference.emit({
            type: 'standard__recordPage',
            attributes: { objectApiName: 'Contact', recordId: '003000000000001AAA' }
        });
        await flushPromises();
        expect(commands[1]).toEqual({
            type: 'controlRecording',
            input: { type: 'resume', reason: 'sensitive-page' },
            interactionId: 'ia-1'
        });
    });
});
