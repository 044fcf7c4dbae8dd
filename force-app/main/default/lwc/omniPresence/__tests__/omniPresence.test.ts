import { createElement } from 'lwc';
import { deliverMessage, publish, resetMessageService } from 'lightning/messageService';
import OMNI_CHANNEL from '@salesforce/messageChannel/OmniPresence__c';
import getMapping from '@salesforce/apex/OmniPresenceController.getMapping';
import * as omni from '../../../../../../phone-core/src/omni/omni-presence';
import OmniPresence from '../omniPresence';
import {
    agentView,
    flushPromises,
    viewState,
    type TestElement
} from '../../../../../test/jest-fixtures/phoneState';

jest.mock('@salesforce/apex/OmniPresenceController.getMapping', () => ({ default: jest.fn() }), {
    virtual: true
});

const MAPPING = {
    master: 'omni',
    busyBlocksOmni: true,
    busyOmniStatus: 'On_Phone',
    entries: [
        { phoneStatus: 'Ready', omniStatus: 'Available' },
        { phoneStatus: 'NotReady', omniStatus: 'Away' }
    ],
    statusIds: { Available: '0N5000000000001', Away: '0N5000000000002', On_Phone: '0N5000000000003' }
};

async function mount(mapping: unknown = MAPPING): Promise<{ element: TestElement; runCommand: jest.Mock }> {
    (getMapping as unknown as jest.Mock).mockResolvedValue(mapping);
    const runCommand = jest.fn().mockResolvedValue({ ok: true });
    const element = createElement('c-omni-presence', { is: OmniPresence }) as TestElement;
    Object.assign(element, {
        core: omni,
        runCommand,
        viewState: viewState({ agent: agentView('NotReady') })
    });
    document.body.appendChild(element);
    await flushPromises();
    return { element, runCommand };
}

const omniRequests = (): Array<Record<string, unknown>> =>
    (publish as jest.Mock).mock.calls
        .map((call) => call[2] as Record<string, unknown>)
        .filter((message) => message.type === 'setOmniStatus');

describe('c-omni-presence (F23)', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        resetMessageService();
        jest.clearAllMocks();
    });

    it('asks the bridge for the Omni status and shows it beside the phone status', async () => {
        const { element } = await mount();
        expect(publish).toHaveBeenCalledWith(undefined, OMNI_CHANNEL, {
            type: 'omniStatusRequest',
            source: 'webPhone'
        });
        deliverMessage(OMNI_CHANNEL, {
            type: 'omniStatus',
            statusApiName: 'Away',
            statusName: 'Away (break)'
        });
        await flushPromises();
        const badge = element.shadowRoot!.querySelector('[data-id="omni-status"]') as HTMLElement;
        expect(badge.textContent).toBe('c.Phone_Omni_Status');
    });

    it('Omni master: an Omni change sets the phone status', async () => {
        const { runCommand } = await mount();
        deliverMessage(OMNI_CHANNEL, {
            type: 'omniStatus',
            statusApiName: 'Available',
            statusName: 'Available'
        });
        await flushPromises();
        expect(runCommand).toHaveBeenCalledWith({ type: 'setStatus', request: { status: 'Ready' } });
    });

    it('blocks Omni work during a call with the status id the bridge needs', async () => {
        const { element } = await mount();
        element.viewState = viewState({ agent: agentView('Busy') });
        await flushPromises();
        expect(omniRequests()).toEqual([
            {
                type: 'setOmniStatus',
                source: 'webPhone',
                statusApiName: 'On_Phone',
                statusId: '0N5000000000003'
            }
        ]);
    });

    it('does nothing and shows nothing without a mapping', async () => {
        const { element, runCommand } = await mount(null);
        deliverMessage(OMNI_CHANNEL, {
            type: 'omniStatus',
            statusApiName: 'Available',
            statusName: 'Available'
        });
        element.viewState = viewState({ agent: agentView('Busy') });
        await flushPromises();
        expect(publish).not.toHaveBeenCalled();
        expect(runCommand).not.toHaveBeenCalled();
        expect(element.shadowRoot!.querySelector('[data-id="omni-status"]')).toBeNull();
    });

    it('keeps the phone working when the mapping cannot be read', async () => {
        const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
        (getMapping as unknown as jest.Mock).mockRejectedValue(new Error('no access'));
        const element = createElement('c-omni-presence', { is: OmniPresence }) as TestElement;
        Object.assign(element, { core: omni, runCommand: jest.fn(), viewState: viewState() });
        document.body.appendChild(element);
        await flushPromises();
        expect(publish).not.toHaveBeenCalled();
        expect(warn).toHaveBeenCalled();
        warn.mockRestore();
    });
});
