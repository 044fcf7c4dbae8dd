import { createElement } from 'lwc';
import getChecklist from '@salesforce/apex/PhoneSetupController.getChecklist';
import PhoneSetupChecklist from '../phoneSetupChecklist';
import { flushPromises, type TestElement } from '../../../../../test/jest-fixtures/phoneState';

jest.mock('@salesforce/apex/PhoneSetupController.getChecklist', () => ({ default: jest.fn() }), {
    virtual: true
});

const ITEMS = [
    {
        key: 'credentials',
        label: 'Connection saved and tested',
        ok: false,
        detail: 'No API key saved yet.',
        fixUrl: '#connection'
    },
    {
        key: 'csp',
        label: 'CSP Trusted Site',
        ok: true,
        detail: null,
        fixUrl: '/lightning/setup/SecurityCspTrustedSite/home'
    },
    { key: 'personAccounts', label: 'Person Accounts', ok: true, detail: 'Enabled.', fixUrl: null }
];

const query = (element: HTMLElement, id: string): any =>
    element.shadowRoot!.querySelector(`[data-id="${id}"]`);
const item = (element: HTMLElement, key: string): HTMLElement =>
    element.shadowRoot!.querySelector(`li[data-key="${key}"]`)!;

async function mount(): Promise<TestElement> {
    const element = createElement('c-phone-setup-checklist', { is: PhoneSetupChecklist }) as TestElement;
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

describe('c-phone-setup-checklist', () => {
    beforeEach(() => {
        (getChecklist as jest.Mock).mockResolvedValue(ITEMS);
    });

    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('shows each item green or red with its detail and a link to fix it', async () => {
        const element = await mount();
        expect(item(element, 'credentials').dataset.ok).toBe('false');
        expect(item(element, 'credentials').querySelector('[data-id="detail"]')!.textContent).toBe(
            'No API key saved yet.'
        );
        expect(item(element, 'csp').dataset.ok).toBe('true');
        expect(item(element, 'csp').querySelector('a')!.getAttribute('href')).toBe(
            '/lightning/setup/SecurityCspTrustedSite/home'
        );
        expect(item(element, 'personAccounts').querySelector('a')).toBeNull();
    });

    it('asks the tab to open a section for links inside the setup tab', async () => {
        const element = await mount();
        const navigate = jest.fn();
        element.addEventListener('navigate', (event: Event) => navigate((event as CustomEvent).detail));
        (item(element, 'credentials').querySelector('a') as HTMLAnchorElement).click();
        expect(navigate).toHaveBeenCalledWith({ section: 'connection' });
    });

    it('checks the CSP Trusted Sites for the SIP host typed', async () => {
        const element = await mount();
        query(element, 'sipHost').dispatchEvent(
            new CustomEvent('change', { detail: { value: ' sip.acme.example ' } })
        );
        query(element, 'refresh').click();
        await flushPromises();
        expect(getChecklist).toHaveBeenLastCalledWith({ sipHost: 'sip.acme.example' });
    });

    it('shows an error from Apex', async () => {
        (getChecklist as jest.Mock).mockRejectedValue({
            body: { message: 'Only phone administrators can do this.' }
        });
        const element = await mount();
        expect(query(element, 'status').shadowRoot.querySelector('[data-id="error"]').textContent).toBe(
            'Only phone administrators can do this.'
        );
    });

    it('is accessible', async () => {
        const element = await mount();
        await expect(element).toBeAccessible();
    });
});
