import { createElement } from 'lwc';
import checkUser from '@salesforce/apex/PhoneDoctorController.checkUser';
import * as core from '../../../../../../phone-core/src/doctor/phone-doctor';
import PhoneUserDoctor from '../phoneUserDoctor';
import { flushPromises, type TestElement } from '../../../../../test/jest-fixtures/phoneState';

jest.mock('@salesforce/apex/PhoneDoctorController.checkUser', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Phone_Doctor_UserTitle', () => ({ default: 'Phone Doctor for {0}' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.Phone_Doctor_Failed', () => ({ default: 'Could not finish: {0}' }), {
    virtual: true
});

const mockCheckUser = checkUser as unknown as jest.Mock;

beforeEach(() => {
    (window as unknown as { WebphoneCore: unknown }).WebphoneCore = core;
});

afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
});

async function mount(userId: string, userName: string): Promise<TestElement> {
    const element = createElement('c-phone-user-doctor', { is: PhoneUserDoctor }) as TestElement;
    Object.assign(element, { userName, doctorUserId: userId });
    document.body.appendChild(element);
    for (let i = 0; i < 5; i++) await flushPromises();
    return element;
}

describe('c-phone-user-doctor (B8, setup tab)', () => {
    it("shows the org's four checks for the chosen user and says the browser checks run in the agent's browser", async () => {
        mockCheckUser.mockResolvedValue({
            taskFieldsWithoutAccess: ['Interaction_Id__c'],
            hasSeat: false,
            hasPermissionSet: true,
            inCallCenter: true
        });
        const element = await mount('005000000000001AAA', '<b>Anna</b>');
        expect(mockCheckUser).toHaveBeenCalledWith({ userId: '005000000000001AAA' });
        const root = element.shadowRoot!;
        expect(root.querySelector('[data-id="user-doctor-title"]')?.textContent).toBe(
            'Phone Doctor for <b>Anna</b>'
        );
        expect(root.querySelector('b')).toBeNull();
        expect(root.querySelector('[data-id="user-doctor-note"]')?.textContent).toBe(
            'c.Phone_Doctor_BrowserOnly'
        );
        const list = root.querySelector('c-phone-doctor-checks') as unknown as TestElement;
        const rows = [...list.shadowRoot!.querySelectorAll('[data-id="doctor-check"]')] as HTMLElement[];
        expect(rows.map((row) => [row.dataset.check, row.dataset.status])).toEqual([
            ['task-fields', 'red'],
            ['seat', 'red'],
            ['permission-set', 'green'],
            ['call-center', 'green']
        ]);
    });

    it('an admin-only refusal is shown', async () => {
        mockCheckUser.mockRejectedValue({ body: { message: 'Admins only' } });
        const element = await mount('005000000000002AAA', 'Piotr');
        expect(element.shadowRoot!.querySelector('[data-id="user-doctor-error"]')?.textContent).toBe(
            'Could not finish: Admins only'
        );
    });
});
