import { createElement } from 'lwc';
import PhoneSetupStatus from '../phoneSetupStatus';
import { flushPromises, HOSTILE_NAME, type TestElement } from '../../../../../test/jest-fixtures/phoneState';

const query = (element: HTMLElement, id: string): any =>
    element.shadowRoot!.querySelector(`[data-id="${id}"]`);

async function mount(props: Record<string, unknown>): Promise<TestElement> {
    const element = createElement('c-phone-setup-status', { is: PhoneSetupStatus }) as TestElement;
    Object.assign(element, props);
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

describe('c-phone-setup-status', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('shows nothing when idle', async () => {
        const element = await mount({});
        expect(element.shadowRoot!.children).toHaveLength(0);
    });

    it('shows loading, an alert and a confirmation, as text', async () => {
        const element = await mount({ loading: true, error: HOSTILE_NAME, notice: 'Saved.' });
        expect(query(element, 'loading').textContent).toBe('c.Phone_Setup_Loading');
        expect(query(element, 'error').getAttribute('role')).toBe('alert');
        expect(query(element, 'error').textContent).toBe(HOSTILE_NAME);
        expect(element.shadowRoot!.querySelector('img')).toBeNull();
        expect(query(element, 'notice').getAttribute('role')).toBe('status');
        await expect(element).toBeAccessible();
    });
});
