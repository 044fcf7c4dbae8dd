import { createElement } from 'lwc';
import DeviceSettings from '../deviceSettings';
import {
    captureCommands,
    flushPromises,
    type TestElement
} from '../../../../../test/jest-fixtures/phoneState';

jest.mock('@salesforce/label/c.Phone_Devices_UnnamedInput', () => ({ default: 'Microphone {0}' }), {
    virtual: true
});

const DEVICES = [
    { kind: 'audioinput', deviceId: 'default', label: 'Default' },
    { kind: 'audioinput', deviceId: 'mic-1', label: 'Headset microphone' },
    { kind: 'audioinput', deviceId: 'mic-2', label: '' },
    { kind: 'audiooutput', deviceId: 'spk-1', label: 'Headset' },
    { kind: 'audiooutput', deviceId: 'spk-2', label: 'Speakers' },
    { kind: 'videoinput', deviceId: 'cam-1', label: 'Camera' }
];

let listeners: Record<string, () => void>;
const mediaDevices = {
    enumerateDevices: jest.fn(() => Promise.resolve(DEVICES)),
    addEventListener: jest.fn((name: string, listener: () => void) => {
        listeners[name] = listener;
    }),
    removeEventListener: jest.fn((name: string) => {
        delete listeners[name];
    })
};

function mount(props: Record<string, unknown> = {}): TestElement {
    const element = createElement('c-device-settings', { is: DeviceSettings }) as TestElement;
    Object.assign(element, props);
    document.body.appendChild(element);
    return element;
}

const query = (element: HTMLElement, id: string): any =>
    element.shadowRoot!.querySelector(`[data-id="${id}"]`);
const values = (combobox: any): string[] => combobox.options.map((option: { value: string }) => option.value);

describe('c-device-settings', () => {
    beforeEach(() => {
        listeners = {};
        Object.defineProperty(navigator, 'mediaDevices', { value: mediaDevices, configurable: true });
        Object.defineProperty(HTMLMediaElement.prototype, 'setSinkId', {
            value: jest.fn(),
            configurable: true
        });
    });

    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
        delete (HTMLMediaElement.prototype as unknown as Record<string, unknown>).setSinkId;
    });

    it('lists microphones and speakers (numbered until the browser reveals names)', async () => {
        const element = mount({ devices: { input: 'mic-1' } });
        await flushPromises();
        expect(values(query(element, 'input'))).toEqual(['', 'mic-1', 'mic-2']);
        expect(query(element, 'input').options[2].label).toBe('Microphone 2');
        expect(query(element, 'input').value).toBe('mic-1');
        expect(values(query(element, 'output'))).toEqual(['', 'spk-1', 'spk-2']);
        expect(values(query(element, 'ring'))).toEqual(['', 'spk-1', 'spk-2']);
    });

    it.each([
        ['input', 'mic-2', { input: 'mic-2', output: 'spk-1' }],
        ['output', 'spk-2', { output: 'spk-2' }],
        ['ring', 'spk-1', { output: 'spk-1', ring: 'spk-1' }],
        ['output', '', {}]
    ])('choosing %s=%s sends setAudioDevices', async (role, value, expected) => {
        const element = mount({ devices: { output: 'spk-1' } });
        const commands = captureCommands(element);
        await flushPromises();
        query(element, role).dispatchEvent(new CustomEvent('change', { detail: { value } }));
        expect(commands).toEqual([{ type: 'setAudioDevices', devices: expected }]);
    });

    it('re-lists devices when a headset is plugged in, and stops listening when removed', async () => {
        const element = mount();
        await flushPromises();
        expect(mediaDevices.enumerateDevices).toHaveBeenCalledTimes(1);
        listeners.devicechange();
        await flushPromises();
        expect(mediaDevices.enumerateDevices).toHaveBeenCalledTimes(2);
        document.body.removeChild(element);
        expect(mediaDevices.removeEventListener).toHaveBeenCalledWith('devicechange', expect.any(Function));
        expect(listeners.devicechange).toBeUndefined();
    });

    it.each([
        ['denied', 'c.Phone_Mic_Denied'],
        ['blocked-by-policy', 'c.Phone_Mic_BlockedByPolicy'],
        ['not-found', 'c.Phone_Mic_NotFound'],
        ['in-use', 'c.Phone_Mic_InUse'],
        ['insecure-context', 'c.Phone_Mic_InsecureContext'],
        ['unsupported', 'c.Phone_Mic_Unsupported'],
        ['something-new', 'c.Phone_Mic_Unknown']
    ])('explains a microphone that is %s', async (problem, label) => {
        const element = mount({ microphone: { problem } });
        await flushPromises();
        const alert = query(element, 'microphone-problem');
        expect(alert.getAttribute('role')).toBe('alert');
        expect(alert.textContent).toBe(label);
    });

    it('says when devices cannot be listed', async () => {
        mediaDevices.enumerateDevices.mockImplementationOnce(() =>
            Promise.reject(new Error('NotAllowedError'))
        );
        const element = mount();
        await flushPromises();
        expect(query(element, 'list-error').textContent).toBe('c.Phone_Devices_CannotList');
        expect(query(element, 'input').disabled).toBe(true);
    });

    it('says when the browser cannot choose the speaker', async () => {
        delete (HTMLMediaElement.prototype as unknown as Record<string, unknown>).setSinkId;
        const element = mount();
        await flushPromises();
        expect(query(element, 'no-output-choice').textContent).toBe('c.Phone_Devices_NoOutputChoice');
        expect(query(element, 'output').disabled).toBe(true);
        expect(query(element, 'ring').disabled).toBe(true);
    });

    it('works without navigator.mediaDevices', async () => {
        Object.defineProperty(navigator, 'mediaDevices', { value: undefined, configurable: true });
        const element = mount();
        await flushPromises();
        expect(query(element, 'list-error')).not.toBeNull();
        document.body.removeChild(element);
    });

    it('is accessible', async () => {
        const element = mount({ microphone: { problem: 'denied' } });
        await flushPromises();
        await expect(element).toBeAccessible();
    });
});
