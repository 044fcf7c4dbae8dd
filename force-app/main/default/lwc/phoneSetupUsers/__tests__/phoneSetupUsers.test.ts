import { createElement } from 'lwc';
import getUsers from '@salesforce/apex/PhoneSetupController.getUsers';
import grantSeat from '@salesforce/apex/PhoneSetupController.grantSeat';
import removeSeat from '@salesforce/apex/PhoneSetupController.removeSeat';
import provisionAgent from '@salesforce/apex/PhoneSetupController.provisionAgent';
import deactivateAgent from '@salesforce/apex/PhoneSetupController.deactivateAgent';
import PhoneSetupUsers from '../phoneSetupUsers';
import { flushPromises, HOSTILE_NAME, type TestElement } from '../../../../../test/jest-fixtures/phoneState';

jest.mock('@salesforce/apex/PhoneSetupController.getUsers', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/PhoneSetupController.grantSeat', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/PhoneSetupController.removeSeat', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/PhoneSetupController.provisionAgent', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/PhoneSetupController.deactivateAgent', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Phone_Setup_Users_Seats', () => ({ default: 'Seats: {0} of {1} in use.' }), {
    virtual: true
});

const ANNA = {
    userId: '005000000000001AAA',
    name: 'Anna Kowalska',
    email: 'anna@acme.example',
    agentId: 'agt-101',
    agentName: 'Anna Kowalska',
    extension: '101',
    matchedBy: 'salesforceUserId',
    persona: 'PhoneAgent',
    hasSeat: true,
    ok: true,
    problems: [],
    problemCodes: []
};
const PIOTR = {
    userId: '005000000000002AAA',
    name: 'Piotr Nowak',
    email: 'piotr@acme.example',
    agentId: 'agt-102',
    agentName: 'Piotr Nowak',
    persona: null,
    hasSeat: false,
    ok: false,
    problems: ['No seat: use Grant seat.', 'No PhoneAgent, PhoneSupervisor or PhoneAdmin permission set.'],
    problemCodes: ['no-seat', 'no-permission-set']
};
const EWA = {
    userId: '005000000000003AAA',
    name: 'Ewa Nowak',
    email: 'ewa@acme.example',
    agentId: null,
    suggestedAgentId: 'agt-109',
    matchedBy: 'emailSuggestion',
    persona: null,
    hasSeat: false,
    ok: false,
    problems: ['No linked agent; only the e-mail matches agent agt-109.'],
    problemCodes: ['no-agent']
};

function view(overrides: Record<string, unknown> = {}) {
    return {
        packageLicensed: false,
        contactCentreSeats: 2,
        contactCentreSeatsUsed: 1,
        canGrant: true,
        limitReason: null,
        users: [ANNA, PIOTR, EWA],
        ...overrides
    };
}

const query = (element: HTMLElement, id: string): any =>
    element.shadowRoot!.querySelector(`[data-id="${id}"]`);
const row = (element: HTMLElement, userId: string): HTMLElement =>
    element.shadowRoot!.querySelector(`tr[data-user-id="${userId}"]`)!;
const inRow = (element: HTMLElement, userId: string, id: string): any =>
    row(element, userId).querySelector(`[data-id="${id}"]`);
const statusText = (element: HTMLElement, id: string): string =>
    (query(element, 'status')?.shadowRoot?.querySelector(`[data-id="${id}"]`)?.textContent ?? '').trim();

async function mount(): Promise<TestElement> {
    const element = createElement('c-phone-setup-users', { is: PhoneSetupUsers }) as TestElement;
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

describe('c-phone-setup-users', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('lists users beside their agents with the seats in use', async () => {
        (getUsers as jest.Mock).mockResolvedValue(view());
        const element = await mount();
        expect(query(element, 'seats').textContent).toBe('Seats: 1 of 2 in use.');
        expect(inRow(element, ANNA.userId, 'agent').textContent).toBe('Anna Kowalska (101)');
        expect(inRow(element, EWA.userId, 'agent').textContent).toBe('c.Phone_Setup_Users_Suggested');
        expect(inRow(element, EWA.userId, 'provision')).not.toBeNull();
        expect(inRow(element, ANNA.userId, 'provision')).toBeNull();
    });

    it('marks each user green or red with every reason', async () => {
        (getUsers as jest.Mock).mockResolvedValue(view());
        const element = await mount();
        expect(row(element, ANNA.userId).className).toContain('setup-user_ok');
        expect(row(element, PIOTR.userId).className).toContain('setup-user_problem');
        const reasons = Array.from(row(element, PIOTR.userId).querySelectorAll('[data-id="problem"]')).map(
            (item) => item.textContent
        );
        expect(reasons).toEqual(PIOTR.problems);
    });

    it('check configuration reads the users again: red turns green after the fix', async () => {
        (getUsers as jest.Mock).mockResolvedValueOnce(view());
        const element = await mount();
        expect(row(element, PIOTR.userId).className).toContain('setup-user_problem');
        (getUsers as jest.Mock).mockResolvedValueOnce(
            view({
                users: [
                    ANNA,
                    {
                        ...PIOTR,
                        ok: true,
                        hasSeat: true,
                        persona: 'PhoneAgent',
                        problems: [],
                        problemCodes: []
                    },
                    EWA
                ]
            })
        );
        query(element, 'check').click();
        await flushPromises();
        expect(getUsers).toHaveBeenCalledTimes(2);
        expect(row(element, PIOTR.userId).className).toContain('setup-user_ok');
        expect(row(element, PIOTR.userId).querySelectorAll('[data-id="problem"]')).toHaveLength(0);
    });

    it('grants a seat with the chosen persona in one action', async () => {
        (getUsers as jest.Mock).mockResolvedValue(view());
        (grantSeat as jest.Mock).mockResolvedValue(undefined);
        const element = await mount();
        const persona = inRow(element, PIOTR.userId, 'persona');
        persona.dispatchEvent(new CustomEvent('change', { detail: { value: 'PhoneSupervisor' } }));
        await flushPromises();
        inRow(element, PIOTR.userId, 'grant').click();
        await flushPromises();
        expect(grantSeat).toHaveBeenCalledWith({ userId: PIOTR.userId, persona: 'PhoneSupervisor' });
        expect(getUsers).toHaveBeenCalledTimes(2);
        expect(statusText(element, 'notice')).toBe('c.Phone_Setup_Saved');
    });

    it('refuses a seat past the limit and says why', async () => {
        (getUsers as jest.Mock).mockResolvedValue(
            view({
                contactCentreSeatsUsed: 2,
                canGrant: false,
                limitReason: 'All 2 seats bought are in use.'
            })
        );
        const element = await mount();
        expect(query(element, 'limit').textContent).toBe('All 2 seats bought are in use.');
        expect(inRow(element, PIOTR.userId, 'grant').disabled).toBe(true);
        // A user who holds a seat may still change persona.
        expect(inRow(element, ANNA.userId, 'grant').disabled).toBe(false);
    });

    it('shows the server refusing a seat and keeps the list', async () => {
        (getUsers as jest.Mock).mockResolvedValue(view());
        (grantSeat as jest.Mock).mockRejectedValue({
            body: { message: 'The contact centre has no free seat.' }
        });
        const element = await mount();
        inRow(element, PIOTR.userId, 'grant').click();
        await flushPromises();
        expect(statusText(element, 'error')).toBe('The contact centre has no free seat.');
        expect(row(element, PIOTR.userId)).not.toBeNull();
    });

    it('removes a seat, provisions and deactivates agents', async () => {
        (getUsers as jest.Mock).mockResolvedValue(view());
        const element = await mount();
        inRow(element, ANNA.userId, 'remove').click();
        await flushPromises();
        expect(removeSeat).toHaveBeenCalledWith({ userId: ANNA.userId });
        inRow(element, EWA.userId, 'provision').click();
        await flushPromises();
        expect(provisionAgent).toHaveBeenCalledWith({ userId: EWA.userId });
        inRow(element, PIOTR.userId, 'deactivate').click();
        await flushPromises();
        expect(deactivateAgent).toHaveBeenCalledWith({ userId: PIOTR.userId });
    });

    it('shows the contact centre failing but still lists the users', async () => {
        (getUsers as jest.Mock).mockResolvedValue(
            view({
                contactCentreError: 'The contact centre refused the API key (HTTP 401).',
                contactCentreSeats: null,
                canGrant: false
            })
        );
        const element = await mount();
        expect(query(element, 'cc-error').textContent).toBe(
            'The contact centre refused the API key (HTTP 401).'
        );
        expect(query(element, 'seats').textContent).toBe('');
        expect(inRow(element, EWA.userId, 'provision')).toBeNull();
    });

    it('shows an access error from Apex', async () => {
        (getUsers as jest.Mock).mockRejectedValue({
            body: { message: 'Only phone administrators can do this.' }
        });
        const element = await mount();
        expect(statusText(element, 'error')).toBe('Only phone administrators can do this.');
    });

    it('renders names as text', async () => {
        (getUsers as jest.Mock).mockResolvedValue(view({ users: [{ ...ANNA, name: HOSTILE_NAME }] }));
        const element = await mount();
        expect(element.shadowRoot!.querySelector('img')).toBeNull();
        expect(row(element, ANNA.userId).querySelector('th')!.textContent).toContain(HOSTILE_NAME);
    });

    it('is accessible', async () => {
        (getUsers as jest.Mock).mockResolvedValue(view());
        const element = await mount();
        await expect(element).toBeAccessible();
    });
});
