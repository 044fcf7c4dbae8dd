import { createElement } from 'lwc';
import {
    APPLICATION_SCOPE,
    deliverMessage,
    publish,
    resetMessageService,
    subscribe,
    subscriberCount,
    unsubscribe
} from 'lightning/messageService';
import WEBPHONE_CHANNEL from '@salesforce/messageChannel/WebPhone__c';
import CtiBridge from '../ctiBridge';
import {
    captureCommands,
    flushPromises,
    type TestElement
} from '../../../../../test/jest-fixtures/phoneState';

const REASONS = [{ id: 'lunch', label: 'Lunch' }];

function mount(props: Record<string, unknown> = {}): TestElement {
    const element = createElement('c-cti-bridge', { is: CtiBridge }) as TestElement;
    Object.assign(element, { pauseReasons: REASONS, ...props });
    document.body.appendChild(element);
    return element;
}

const published = (): Array<Record<string, unknown>> =>
    (publish as jest.Mock).mock.calls.map((call) => call[2]);

describe('c-cti-bridge', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        resetMessageService();
        jest.clearAllMocks();
    });

    it('subscribes to the WebPhone channel in application scope and unsubscribes when removed', async () => {
        const element = mount();
        await flushPromises();
        expect(subscribe).toHaveBeenCalledWith(undefined, WEBPHONE_CHANNEL, expect.any(Function), {
            scope: APPLICATION_SCOPE
        });
        expect(subscriberCount()).toBe(1);
        document.body.removeChild(element);
        expect(unsubscribe).toHaveBeenCalledTimes(1);
        expect(subscriberCount()).toBe(0);
    });

    it('turns Open CTI click-to-dial into a dial command with the record dialled from (F9)', async () => {
        const element = mount();
        const commands = captureCommands(element);
        await flushPromises();
        deliverMessage(WEBPHONE_CHANNEL, {
            type: 'dial',
            source: 'openCti',
            number: '(415) 555-1212',
            recordId: '003000000000001AAA',
            objectApiName: 'Contact',
            recordName: 'Jan Kowalski'
        });
        expect(commands).toEqual([
            {
                type: 'dial',
                number: '(415) 555-1212',
                context: { recordId: '003000000000001AAA', objectType: 'Contact', name: 'Jan Kowalski' }
            }
        ]);
    });

    it('dials without context when the record id is not a Salesforce id', async () => {
        const element = mount();
        const commands = captureCommands(element);
        await flushPromises();
        deliverMessage(WEBPHONE_CHANNEL, { type: 'dial', number: '600700800', recordId: '<script>' });
        expect(commands).toEqual([{ type: 'dial', number: '600700800' }]);
    });

    it.each([
        ['no number', { type: 'dial' }],
        ['an empty number', { type: 'dial', number: '   ' }],
        ['a number that is not text', { type: 'dial', number: 600700800 }],
        ['an unknown type', { type: 'launchRocket' }],
        ['not an object', 'dial 600700800'],
        ['its own message', { type: 'dial', number: '600700800', source: 'webPhone' }]
    ])('ignores a message with %s', async (_name, message) => {
        const element = mount();
        const commands = captureCommands(element);
        await flushPromises();
        deliverMessage(WEBPHONE_CHANNEL, message);
        expect(commands).toEqual([]);
    });

    it.each([
        [{ status: 'Ready' }, { type: 'setStatus', request: { status: 'Ready' } }],
        [{ status: 'NotReady' }, { type: 'setStatus', request: { status: 'NotReady' } }],
        [
            { status: 'Paused', pauseReasonId: 'lunch' },
            { type: 'setStatus', request: { status: 'Paused', reason: { id: 'lunch', label: 'Lunch' } } }
        ]
    ])('turns setStatus %j into a command (F19)', async (fields, command) => {
        const element = mount();
        const commands = captureCommands(element);
        await flushPromises();
        deliverMessage(WEBPHONE_CHANNEL, { type: 'setStatus', source: 'myComponent', ...fields });
        expect(commands).toEqual([command]);
    });

    it.each([[{ status: 'Paused', pauseReasonId: 'unknown' }], [{ status: 'Busy' }]])(
        'ignores setStatus %j',
        async (fields) => {
            const element = mount();
            const commands = captureCommands(element);
            await flushPromises();
            deliverMessage(WEBPHONE_CHANNEL, { type: 'setStatus', ...fields });
            expect(commands).toEqual([]);
        }
    );

    it('publishes the phone state when it changes and when asked for it', async () => {
        const element = mount({ phoneState: { agentStatus: 'NotReady', clickToDialEnabled: false } });
        await flushPromises();
        expect(published()).toEqual([
            expect.objectContaining({
                type: 'phoneState',
                source: 'webPhone',
                status: 'NotReady',
                clickToDialEnabled: false,
                sentAt: expect.any(Number)
            })
        ]);
        element.phoneState = { agentStatus: 'NotReady', clickToDialEnabled: false };
        element.phoneState = { agentStatus: 'Ready', clickToDialEnabled: true };
        deliverMessage(WEBPHONE_CHANNEL, { type: 'phoneStateRequest', source: 'openCti' });
        expect(published().map((message) => [message.status, message.clickToDialEnabled])).toEqual([
            ['NotReady', false],
            ['Ready', true],
            ['Ready', true]
        ]);
    });

    it('publishes call events for the org (F19)', async () => {
        const element = mount();
        await flushPromises();
        element.publishCallEvent({
            kind: 'logged',
            interactionId: 'ia-1',
            callId: 'call-1',
            direction: 'inbound',
            number: '+48600700800',
            name: 'Jan Kowalski',
            recordId: '003000000000001AAA',
            outcome: 'answered',
            durationSeconds: 90,
            taskId: '00T000000000001AAA'
        });
        expect(publish).toHaveBeenCalledWith(undefined, WEBPHONE_CHANNEL, {
            type: 'callEvent',
            source: 'webPhone',
            sentAt: expect.any(Number),
            event: 'logged',
            interactionId: 'ia-1',
            direction: 'inbound',
            number: '+48600700800',
            recordId: '003000000000001AAA',
            outcome: 'answered',
            taskId: '00T000000000001AAA'
        });
    });

    it('leaves unset fields out of a call event', async () => {
        const element = mount();
        await flushPromises();
        element.publishCallEvent({
            kind: 'ringing',
            interactionId: 'ia-2',
            callId: 'c',
            direction: 'inbound',
            number: '',
            name: ''
        });
        expect(Object.keys(published()[0]).sort()).toEqual([
            'direction',
            'event',
            'interactionId',
            'number',
            'sentAt',
            'source',
            'type'
        ]);
    });

    it('is accessible (renders nothing)', async () => {
        const element = mount();
        await flushPromises();
        expect(element.shadowRoot!.childNodes).toHaveLength(0);
        await expect(element).toBeAccessible();
    });
});
