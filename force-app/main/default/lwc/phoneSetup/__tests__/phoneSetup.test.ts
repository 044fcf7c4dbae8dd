import { createElement } from 'lwc';
import getChecklist from '@salesforce/apex/PhoneSetupController.getChecklist';
import getConnection from '@salesforce/apex/PhoneSetupController.getConnection';
import getUsers from '@salesforce/apex/PhoneSetupController.getUsers';
import getOptions from '@salesforce/apex/PhoneSetupController.getOptions';
import getContactCentre from '@salesforce/apex/PhoneSetupController.getContactCentre';
import PhoneSetup from '../phoneSetup';
import { flushPromises, type TestElement } from '../../../../../test/jest-fixtures/phoneState';

const APEX = [
    'getChecklist',
    'getConnection',
    'saveConnection',
    'testConnection',
    'getUsers',
    'grantSeat',
    'removeSeat',
    'provisionAgent',
    'deactivateAgent',
    'getOptions',
    'saveOptions',
    'setPhoneEnabled',
    'getJobProgress',
    'getContactCentre'
];
jest.mock('@salesforce/apex/PhoneSetupController.getChecklist', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/PhoneSetupController.getConnection', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/PhoneSetupController.saveConnection', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/PhoneSetupController.testConnection', () => ({ default: jest.fn() }), {
    virtual: true
});
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
jest.mock('@salesforce/apex/PhoneSetupController.getOptions', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/PhoneSetupController.saveOptions', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/PhoneSetupController.setPhoneEnabled', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/PhoneSetupController.getJobProgress', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/PhoneSetupController.getContactCentre', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/PhoneAdminController.startKeyBackfill', () => ({ default: jest.fn() }), {
    virtual: true
});

const tabs = (element: HTMLElement): HTMLAnchorElement[] =>
    Array.from(element.shadowRoot!.querySelectorAll('[role="tab"]'));
const panel = (element: HTMLElement): Element => element.shadowRoot!.querySelector('[role="tabpanel"]')!;

async function mount(): Promise<TestElement> {
    const element = createElement('c-phone-setup', { is: PhoneSetup }) as TestElement;
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

describe('c-phone-setup', () => {
    beforeEach(() => {
        (getChecklist as jest.Mock).mockResolvedValue([
            { key: 'credentials', label: 'Connection', ok: false, detail: null, fixUrl: '#connection' }
        ]);
        (getConnection as jest.Mock).mockResolvedValue({ credentialsSet: false });
        (getUsers as jest.Mock).mockResolvedValue({ users: [], canGrant: false });
        (getOptions as jest.Mock).mockResolvedValue({});
        (getContactCentre as jest.Mock).mockResolvedValue({});
    });

    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('opens on the checklist and reads nothing else until a section is opened', async () => {
        const element = await mount();
        expect(tabs(element).map((tab) => tab.getAttribute('aria-selected'))).toEqual([
            'true',
            'false',
            'false',
            'false',
            'false'
        ]);
        expect(panel(element).querySelector('c-phone-setup-checklist')).not.toBeNull();
        expect(getChecklist).toHaveBeenCalledTimes(1);
        expect(getUsers).not.toHaveBeenCalled();
        expect(APEX).toHaveLength(14);
    });

    it.each([
        [1, 'c-phone-setup-connection', getConnection],
        [2, 'c-phone-setup-users', getUsers],
        [3, 'c-phone-setup-options', getOptions],
        [4, 'c-phone-setup-contact-centre', getContactCentre]
    ])('tab %i shows %s', async (index, tag, apex) => {
        const element = await mount();
        const click = new MouseEvent('click', { bubbles: true, cancelable: true });
        tabs(element)[index]!.dispatchEvent(click);
        expect(click.defaultPrevented).toBe(true);
        await flushPromises();
        expect(panel(element).querySelector(tag)).not.toBeNull();
        expect(panel(element).getAttribute('aria-labelledby')).toBe(tabs(element)[index]!.id);
        expect(apex).toHaveBeenCalledTimes(1);
    });

    it('moves between tabs with the arrow keys', async () => {
        const element = await mount();
        const list = element.shadowRoot!.querySelector('[role="tablist"]')!;
        list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft' }));
        await flushPromises();
        expect(panel(element).querySelector('c-phone-setup-contact-centre')).not.toBeNull();
        list.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight' }));
        await flushPromises();
        expect(panel(element).querySelector('c-phone-setup-checklist')).not.toBeNull();
    });

    it('follows a checklist link to the section that fixes it', async () => {
        const element = await mount();
        panel(element)
            .querySelector('c-phone-setup-checklist')!
            .dispatchEvent(new CustomEvent('navigate', { detail: { section: 'connection' } }));
        await flushPromises();
        expect(panel(element).querySelector('c-phone-setup-connection')).not.toBeNull();
        panel(element)
            .querySelector('c-phone-setup-connection')!
            .dispatchEvent(new CustomEvent('navigate', { detail: { section: 'nowhere' } }));
        expect(panel(element).querySelector('c-phone-setup-connection')).not.toBeNull();
    });

    it('is accessible', async () => {
        const element = await mount();
        await expect(element).toBeAccessible();
    });
});
