import { createElement } from 'lwc';
import getConnection from '@salesforce/apex/PhoneSetupController.getConnection';
import saveConnection from '@salesforce/apex/PhoneSetupController.saveConnection';
import testConnection from '@salesforce/apex/PhoneSetupController.testConnection';
import PhoneSetupConnection from '../phoneSetupConnection';
import { flushPromises, type TestElement } from '../../../../../test/jest-fixtures/phoneState';

jest.mock('@salesforce/apex/PhoneSetupController.getConnection', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/PhoneSetupController.saveConnection', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/PhoneSetupController.testConnection', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.Phone_Setup_Connection_SetOn',
    () => ({ default: 'API key set on {0} by {1}.' }),
    {
        virtual: true
    }
);
jest.mock(
    '@salesforce/label/c.Phone_Setup_Connection_TestOk',
    () => ({ default: 'Connected to {0} ({1}): {2} agents.' }),
    {
        virtual: true
    }
);
jest.mock(
    '@salesforce/label/c.Phone_Setup_Connection_TestSeats',
    () => ({ default: 'Seats: {0} of {1} in use.' }),
    {
        virtual: true
    }
);

const SAVED_VIEW = {
    endpoint: 'https://acme.contact-centre.example/external-api',
    tenantId: 'acme-test',
    adminLogin: 'admin@acme.example',
    environment: 'test',
    credentialsSet: true,
    setAt: '2026-01-15T10:00:00.000Z',
    setBy: 'Ada Admin',
    testOk: false
};

const query = (element: HTMLElement, id: string): any =>
    element.shadowRoot!.querySelector(`[data-id="${id}"]`);
const statusText = (element: HTMLElement, id: string): string =>
    (query(element, 'status')?.shadowRoot?.querySelector(`[data-id="${id}"]`)?.textContent ?? '').trim();

async function mount(): Promise<TestElement> {
    const element = createElement('c-phone-setup-connection', { is: PhoneSetupConnection }) as TestElement;
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

function type(element: HTMLElement, id: string, value: string): void {
    const input = query(element, id);
    input.value = value;
    input.dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

describe('c-phone-setup-connection', () => {
    beforeEach(() => {
        (getConnection as jest.Mock).mockResolvedValue({ credentialsSet: false, environment: 'test' });
    });

    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('shows that no key is set and saves what the admin typed, then forgets the key', async () => {
        (saveConnection as jest.Mock).mockResolvedValue(SAVED_VIEW);
        const element = await mount();
        expect(query(element, 'key-status').textContent).toBe('c.Phone_Setup_Connection_NotSet');
        type(element, 'endpoint', SAVED_VIEW.endpoint);
        type(element, 'apiKey', 'secret-key');
        type(element, 'tenantId', 'acme-test');
        type(element, 'adminLogin', 'admin@acme.example');
        query(element, 'save').click();
        await flushPromises();
        expect(saveConnection).toHaveBeenCalledWith({
            input: {
                endpoint: SAVED_VIEW.endpoint,
                apiKey: 'secret-key',
                tenantId: 'acme-test',
                adminLogin: 'admin@acme.example',
                environment: 'test'
            }
        });
        expect(query(element, 'apiKey').value).toBe('');
        expect(query(element, 'key-status').textContent).toContain('by Ada Admin');
        expect(query(element, 'apiKey').placeholder).toBe('c.Phone_Setup_Connection_KeepKey');
    });

    it('never shows a saved key: the field stays empty', async () => {
        (getConnection as jest.Mock).mockResolvedValue(SAVED_VIEW);
        const element = await mount();
        expect(query(element, 'apiKey').value).toBe('');
        expect(query(element, 'tenantId').value).toBe('acme-test');
        expect(element.shadowRoot!.innerHTML).not.toContain('secret');
    });

    it('shows the tenant, agents and seats when the test succeeds', async () => {
        (testConnection as jest.Mock).mockResolvedValue({
            ok: true,
            tenantName: 'Acme (test)',
            environment: 'test',
            agents: 9,
            seatsBought: 5,
            seatsUsed: 3,
            adminLoginValid: true,
            adminUrl: 'https://acme.contact-centre.example/admin'
        });
        const element = await mount();
        query(element, 'test').click();
        await flushPromises();
        expect(query(element, 'test-ok').textContent).toContain('Connected to Acme (test) (test): 9 agents.');
        expect(query(element, 'test-seats').textContent).toBe('Seats: 3 of 5 in use.');
        expect(query(element, 'admin-link').getAttribute('href')).toBe(
            'https://acme.contact-centre.example/admin'
        );
    });

    it.each([
        [401, 'The contact centre refused the API key (HTTP 401).'],
        [403, 'The key is valid but not for this tenant (HTTP 403).'],
        [404, 'Nothing answers at this address (HTTP 404).'],
        [429, 'The contact centre is limiting requests (HTTP 429).'],
        [503, 'The contact centre has a problem (HTTP 503).'],
        [502, 'The address answered with a web page, not the API (HTTP 502).'],
        [0, 'The contact centre did not answer in time.']
    ])('shows what to fix when the test answers %i', async (statusCode, message) => {
        (testConnection as jest.Mock).mockResolvedValue({ ok: false, statusCode, message });
        const element = await mount();
        query(element, 'test').click();
        await flushPromises();
        const alert = query(element, 'test-failed');
        expect(alert.getAttribute('role')).toBe('alert');
        expect(alert.textContent).toBe(message);
        expect(query(element, 'test-ok')).toBeNull();
    });

    it('shows a refused save as an error and keeps what was typed', async () => {
        (saveConnection as jest.Mock).mockRejectedValue({
            body: { message: 'The endpoint must be an https URL.' }
        });
        const element = await mount();
        type(element, 'endpoint', 'http://insecure.example');
        query(element, 'save').click();
        await flushPromises();
        expect(statusText(element, 'error')).toBe('The endpoint must be an https URL.');
        expect(query(element, 'endpoint').value).toBe('http://insecure.example');
    });

    it('says when the admin login is not an administrator', async () => {
        (testConnection as jest.Mock).mockResolvedValue({
            ok: true,
            tenantName: 'Acme',
            agents: 1,
            adminLoginValid: false
        });
        const element = await mount();
        query(element, 'test').click();
        await flushPromises();
        expect(query(element, 'test-seats').textContent).toBe('c.Phone_Setup_Connection_AdminInvalid');
    });

    it('is accessible', async () => {
        (getConnection as jest.Mock).mockResolvedValue(SAVED_VIEW);
        const element = await mount();
        await expect(element).toBeAccessible();
    });
});
