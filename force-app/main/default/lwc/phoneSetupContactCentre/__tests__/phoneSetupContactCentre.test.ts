import { createElement } from 'lwc';
import getContactCentre from '@salesforce/apex/PhoneSetupController.getContactCentre';
import PhoneSetupContactCentre from '../phoneSetupContactCentre';
import {
    flushPromises,
    HOSTILE_NAME,
    SCRIPT_URL,
    type TestElement
} from '../../../../../test/jest-fixtures/phoneState';

jest.mock('@salesforce/apex/PhoneSetupController.getContactCentre', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Phone_Setup_CC_Seconds', () => ({ default: '{0} s' }), { virtual: true });

const VIEW = {
    adminUrl: 'https://acme.contact-centre.example/admin',
    agents: [
        {
            id: 'agt-101',
            name: 'Anna Kowalska',
            email: 'anna@acme.example',
            extension: '101',
            lines: 'WebRTC (webrtc)',
            active: true,
            licensed: true
        },
        {
            id: 'agt-108',
            name: 'Marek Kamiński',
            email: 'marek@acme.example',
            extension: '108',
            lines: '',
            active: false,
            licensed: false
        }
    ],
    campaigns: [{ id: 'cmp-support', name: 'Support', mode: 'inbound', active: true, wrapSeconds: 30 }],
    queues: [{ id: 'q-1', name: 'Support queue', members: 5, callsWaiting: 1, agentsReady: 2 }]
};

const query = (element: HTMLElement, id: string): any =>
    element.shadowRoot!.querySelector(`[data-id="${id}"]`);
const cells = (element: HTMLElement, table: string): string[][] =>
    Array.from(query(element, table).querySelectorAll('tbody tr')).map((row: any) =>
        Array.from(row.children).map((cell: any) => cell.textContent.trim())
    );

async function mount(): Promise<TestElement> {
    const element = createElement('c-phone-setup-contact-centre', {
        is: PhoneSetupContactCentre
    }) as TestElement;
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

describe('c-phone-setup-contact-centre', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('shows agents with extensions and lines, campaigns with wrap times, and queues', async () => {
        (getContactCentre as jest.Mock).mockResolvedValue(VIEW);
        const element = await mount();
        expect(cells(element, 'agents')[0]).toEqual([
            'Anna Kowalskaanna@acme.example',
            '101',
            'WebRTC (webrtc)',
            'c.Phone_Setup_CC_Active'
        ]);
        expect(cells(element, 'agents')[1]![3]).toBe('c.Phone_Setup_CC_Inactive');
        expect(cells(element, 'campaigns')[0]).toEqual([
            'Support',
            'inbound',
            '30 s',
            'c.Phone_Setup_CC_Active'
        ]);
        expect(cells(element, 'queues')[0]).toEqual(['Support queue', '5', '1 / 2']);
        expect(query(element, 'admin-link').getAttribute('href')).toBe(VIEW.adminUrl);
    });

    it('never links to anything but https', async () => {
        (getContactCentre as jest.Mock).mockResolvedValue({
            ...VIEW,
            adminUrl: SCRIPT_URL,
            agents: [{ ...VIEW.agents[0], name: HOSTILE_NAME }]
        });
        const element = await mount();
        expect(query(element, 'admin-link')).toBeNull();
        expect(element.shadowRoot!.querySelector('img')).toBeNull();
    });

    it('shows why the contact centre could not be read, and reads again on refresh', async () => {
        (getContactCentre as jest.Mock).mockRejectedValueOnce({
            body: { message: 'The contact centre refused the API key (HTTP 401).' }
        });
        const element = await mount();
        const status = query(element, 'status').shadowRoot.querySelector('[data-id="error"]');
        expect(status.textContent).toBe('The contact centre refused the API key (HTTP 401).');
        (getContactCentre as jest.Mock).mockResolvedValueOnce(VIEW);
        query(element, 'refresh').click();
        await flushPromises();
        expect(cells(element, 'campaigns')).toHaveLength(1);
        expect(query(element, 'status').shadowRoot.querySelector('[data-id="error"]')).toBeNull();
    });

    it('is accessible', async () => {
        (getContactCentre as jest.Mock).mockResolvedValue(VIEW);
        const element = await mount();
        await expect(element).toBeAccessible();
    });
});
