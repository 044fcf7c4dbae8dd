import { createElement } from 'lwc';
import getOptions from '@salesforce/apex/PhoneSetupController.getOptions';
import saveOptions from '@salesforce/apex/PhoneSetupController.saveOptions';
import setPhoneEnabled from '@salesforce/apex/PhoneSetupController.setPhoneEnabled';
import getJobProgress from '@salesforce/apex/PhoneSetupController.getJobProgress';
import startKeyBackfill from '@salesforce/apex/PhoneAdminController.startKeyBackfill';
import PhoneSetupOptions from '../phoneSetupOptions';
import { flushPromises, type TestElement } from '../../../../../test/jest-fixtures/phoneState';

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
jest.mock('@salesforce/apex/PhoneAdminController.startKeyBackfill', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.Phone_Setup_Options_CleanupProgress',
    () => ({ default: 'Clean-up {0}: {1} of {2} batches, {3} errors.' }),
    { virtual: true }
);

const OPTIONS = {
    defaultCountry: 'PL',
    defaultAreaCode: '',
    phoneEnabled: true,
    autoCreateCase: false,
    screenPopOrder: 'Case,Contact,PersonAccount,Account,Lead',
    callerCardFields: 'Contact:Title',
    clickUrlTemplate: '',
    dispositions: 'Resolved;Callback',
    personAccountsEnabled: true,
    contactCentre: {
        defaultAgentId: 'agt-101',
        outsideCampaignId: null,
        logNonWebPhoneCalls: false,
        ivrCaseLookup: true,
        syncCampaignIds: ['cmp-support']
    },
    campaigns: [{ value: 'cmp-support', label: 'Support' }],
    agents: [{ value: 'agt-101', label: 'Anna Kowalska' }],
    profiles: [{ value: '00e000000000001AAA', label: 'Standard User' }],
    users: [{ value: '005000000000001AAA', label: 'Anna Kowalska' }],
    overrides: [{ scopeId: '005000000000009AAA', name: 'Marek', kind: 'user', enabled: false }]
};

const query = (element: HTMLElement, id: string): any =>
    element.shadowRoot!.querySelector(`[data-id="${id}"]`);
const statusText = (element: HTMLElement, id: string): string =>
    (query(element, 'status')?.shadowRoot?.querySelector(`[data-id="${id}"]`)?.textContent ?? '').trim();

async function mount(): Promise<TestElement> {
    const element = createElement('c-phone-setup-options', { is: PhoneSetupOptions }) as TestElement;
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

/** Lets resolved Apex promises and re-renders run while timers are fake (flushPromises needs a real timer). */
async function settle(): Promise<void> {
    for (let i = 0; i < 10; i++) await Promise.resolve();
}

function change(element: HTMLElement, id: string, detail: Record<string, unknown>): void {
    query(element, id).dispatchEvent(new CustomEvent('change', { detail }));
}

describe('c-phone-setup-options', () => {
    beforeEach(() => {
        (getOptions as jest.Mock).mockResolvedValue(OPTIONS);
    });

    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
        jest.useRealTimers();
    });

    it('shows the options with Person Accounts detected (read-only)', async () => {
        const element = await mount();
        expect(query(element, 'defaultCountry').value).toBe('PL');
        expect(query(element, 'callerCardFields').value).toBe('Contact:Title');
        expect(query(element, 'person-accounts').textContent).toContain('c.Phone_Setup_Options_DetectedOn');
        expect(query(element, 'defaultAgentId').value).toBe('agt-101');
        expect(query(element, 'override').textContent).toContain('Marek');
    });

    it('saves the changed options, both sides, then reads them again', async () => {
        (saveOptions as jest.Mock).mockResolvedValue(undefined);
        const element = await mount();
        change(element, 'defaultCountry', { value: 'NL' });
        change(element, 'callerCardFields', { value: 'Contact:Title,Department' });
        change(element, 'dispositions', { value: 'Resolved;Callback;No answer' });
        change(element, 'clickUrlTemplate', { value: 'https://erp.example/c?id={Id}' });
        change(element, 'logNonWebPhoneCalls', { checked: true });
        change(element, 'outsideCampaignId', { value: 'cmp-support' });
        change(element, 'customObjectName', { value: 'Service_Request__c' });
        change(element, 'customPhoneFields', { value: 'Phone__c,Alternate_Phone__c' });
        change(element, 'customNameFields', { value: 'Name' });
        change(element, 'customCardFields', { value: 'Status__c' });
        query(element, 'save').click();
        await flushPromises();
        const sent = (saveOptions as jest.Mock).mock.calls[0][0].options;
        expect(sent).toMatchObject({
            defaultCountry: 'NL',
            callerCardFields: 'Contact:Title,Department',
            dispositions: 'Resolved;Callback;No answer',
            clickUrlTemplate: 'https://erp.example/c?id={Id}',
            customObjectName: 'Service_Request__c',
            customPhoneFields: 'Phone__c,Alternate_Phone__c',
            customNameFields: 'Name',
            customCardFields: 'Status__c',
            phoneEnabled: true,
            contactCentre: {
                logNonWebPhoneCalls: true,
                outsideCampaignId: 'cmp-support',
                ivrCaseLookup: true
            }
        });
        expect(sent).not.toHaveProperty('campaigns');
        expect(sent).not.toHaveProperty('personAccountsEnabled');
        expect(getOptions).toHaveBeenCalledTimes(2);
        expect(statusText(element, 'notice')).toBe('c.Phone_Setup_Saved');
    });

    it('shows every invalid value Apex refused', async () => {
        (saveOptions as jest.Mock).mockRejectedValue({
            body: {
                message: 'Contact has no field Nope__c. The click URL template must start with https://.'
            }
        });
        const element = await mount();
        change(element, 'callerCardFields', { value: 'Contact:Nope__c' });
        query(element, 'save').click();
        await flushPromises();
        expect(statusText(element, 'error')).toContain('Contact has no field Nope__c.');
        expect(query(element, 'callerCardFields').value).toBe('Contact:Nope__c');
    });

    it('leaves the contact centre options out when it could not be read', async () => {
        (getOptions as jest.Mock).mockResolvedValue({
            ...OPTIONS,
            contactCentre: null,
            contactCentreError: 'HTTP 503'
        });
        const element = await mount();
        expect(query(element, 'cc-error').textContent).toBe('HTTP 503');
        query(element, 'save').click();
        await flushPromises();
        expect((saveOptions as jest.Mock).mock.calls[0][0].options).not.toHaveProperty('contactCentre');
    });

    it('switches the phone for a profile or user and back to the organisation', async () => {
        const element = await mount();
        expect(query(element, 'switch-off').disabled).toBe(true);
        change(element, 'scope', { value: '00e000000000001AAA' });
        await flushPromises();
        query(element, 'switch-off').click();
        await flushPromises();
        expect(setPhoneEnabled).toHaveBeenCalledWith({ scopeId: '00e000000000001AAA', enabled: false });
        (element.shadowRoot!.querySelector('[data-value="inherit"]') as HTMLButtonElement).click();
        await flushPromises();
        expect(setPhoneEnabled).toHaveBeenLastCalledWith({ scopeId: '005000000000009AAA', enabled: null });
    });

    it('starts the number clean-up and follows its progress until done', async () => {
        (startKeyBackfill as jest.Mock).mockResolvedValue('707000000000001AAA');
        (getJobProgress as jest.Mock)
            .mockResolvedValueOnce({
                jobId: '707000000000001AAA',
                status: 'Processing',
                processed: 1,
                total: 4,
                errors: 0,
                done: false
            })
            .mockResolvedValueOnce({
                jobId: '707000000000001AAA',
                status: 'Completed',
                processed: 4,
                total: 4,
                errors: 0,
                done: true
            });
        const element = await mount();
        jest.useFakeTimers();
        change(element, 'rewrite', { checked: true });
        query(element, 'cleanup').click();
        await settle();
        expect(startKeyBackfill).toHaveBeenCalledWith({ rewriteToE164: true });
        expect(query(element, 'cleanup').disabled).toBe(true);
        jest.runOnlyPendingTimers();
        await settle();
        expect(query(element, 'job').textContent).toBe('Clean-up Processing: 1 of 4 batches, 0 errors.');
        jest.runOnlyPendingTimers();
        await settle();
        expect(query(element, 'job').textContent).toBe('Clean-up Completed: 4 of 4 batches, 0 errors.');
        expect(query(element, 'cleanup').disabled).toBe(false);
        expect(jest.getTimerCount()).toBe(0);
    });

    it('shows a clean-up refused to a non-admin', async () => {
        (startKeyBackfill as jest.Mock).mockRejectedValue({
            body: { message: 'Only phone administrators can do this.' }
        });
        const element = await mount();
        query(element, 'cleanup').click();
        await flushPromises();
        expect(statusText(element, 'error')).toBe('Only phone administrators can do this.');
    });

    it('is accessible', async () => {
        const element = await mount();
        await expect(element).toBeAccessible();
    });
});
