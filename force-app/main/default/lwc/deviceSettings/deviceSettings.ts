import { LightningElement, api } from 'lwc';
import type { AudioDevices, MicrophoneView } from 'webphone-core';
import { commandEvent, formatLabel, microphoneProblemText } from 'c/phoneUtils';

import TITLE from '@salesforce/label/c.Phone_Devices_Title';
import MICROPHONE from '@salesforce/label/c.Phone_Devices_Microphone';
import SPEAKER from '@salesforce/label/c.Phone_Devices_Speaker';
import RINGER from '@salesforce/label/c.Phone_Devices_Ringer';
import DEFAULT_DEVICE from '@salesforce/label/c.Phone_Devices_Default';
import UNNAMED_INPUT from '@salesforce/label/c.Phone_Devices_UnnamedInput';
import UNNAMED_OUTPUT from '@salesforce/label/c.Phone_Devices_UnnamedOutput';
import NO_OUTPUT_CHOICE from '@salesforce/label/c.Phone_Devices_NoOutputChoice';
import CANNOT_LIST from '@salesforce/label/c.Phone_Devices_CannotList';
interface DeviceOption {
    label: string;
    value: string;
}

type DeviceRole = keyof AudioDevices;

/**
 * Audio devices (B6): microphone, speaker and ring device, listed with `navigator.mediaDevices.enumerateDevices`
 * and applied through the session's `setAudioDevices`. Device names are only known once the microphone was
 * allowed; before that the devices are numbered. A denied or blocked microphone is explained, not hidden.
 */
export default class DeviceSettings extends LightningElement {
    /** The devices chosen (`PhoneViewState.audioDevices`). */
    @api devices: AudioDevices = {};
    /** The microphone problem, if any (`PhoneViewState.microphone`). */
    @api microphone: MicrophoneView | null = null;
    @api disabled = false;

    inputs: DeviceOption[] = [];
    outputs: DeviceOption[] = [];
    listError = false;

    labels = {
        title: TITLE,
        microphone: MICROPHONE,
        speaker: SPEAKER,
        ringer: RINGER,
        noOutputChoice: NO_OUTPUT_CHOICE,
        cannotList: CANNOT_LIST
    };

    private readonly onDeviceChange = (): void => {
        void this.loadDevices();
    };

    override connectedCallback(): void {
        const media = navigator.mediaDevices;
        if (media && typeof media.addEventListener === 'function')
            media.addEventListener('devicechange', this.onDeviceChange);
        void this.loadDevices();
    }

    override disconnectedCallback(): void {
        const media = navigator.mediaDevices;
        if (media && typeof media.removeEventListener === 'function')
            media.removeEventListener('devicechange', this.onDeviceChange);
    }

    get microphoneText(): string {
        return microphoneProblemText(this.microphone?.problem);
    }

    get inputOptions(): DeviceOption[] {
        return [{ label: DEFAULT_DEVICE, value: '' }, ...this.inputs];
    }

    get outputOptions(): DeviceOption[] {
        return [{ label: DEFAULT_DEVICE, value: '' }, ...this.outputs];
    }

    /** Speaker choice needs HTMLMediaElement.setSinkId (not in every browser). */
    get canChooseOutput(): boolean {
        return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
    }

    get outputChoiceMissing(): boolean {
        return !this.canChooseOutput;
    }

    get inputValue(): string {
        return this.devices?.input ?? '';
    }

    get outputValue(): string {
        return this.devices?.output ?? '';
    }

    get ringValue(): string {
        return this.devices?.ring ?? '';
    }

    get inputDisabled(): boolean {
        return this.disabled || this.listError;
    }

    get outputDisabled(): boolean {
        return this.disabled || this.listError || !this.canChooseOutput;
    }

    handleInputChange(event: CustomEvent<{ value: string }>): void {
        this.choose('input', event.detail.value);
    }

    handleOutputChange(event: CustomEvent<{ value: string }>): void {
        this.choose('output', event.detail.value);
    }

    handleRingChange(event: CustomEvent<{ value: string }>): void {
        this.choose('ring', event.detail.value);
    }

    private choose(role: DeviceRole, value: string): void {
        const devices: AudioDevices = { ...(this.devices ?? {}) };
        if (value) devices[role] = value;
        else delete devices[role];
        this.dispatchEvent(commandEvent({ type: 'setAudioDevices', devices }));
    }

    private async loadDevices(): Promise<void> {
        const media = navigator.mediaDevices;
        if (!media || typeof media.enumerateDevices !== 'function') {
            this.listError = true;
            return;
        }
        try {
            const devices = await media.enumerateDevices();
            this.inputs = options(devices, 'audioinput', UNNAMED_INPUT);
            this.outputs = options(devices, 'audiooutput', UNNAMED_OUTPUT);
            this.listError = false;
        } catch {
            this.listError = true;
        }
    }
}

/** Options for one device kind; the 'default' / 'communications' pseudo devices are covered by "Default". */
function options(devices: MediaDeviceInfo[], kind: MediaDeviceKind, unnamed: string): DeviceOption[] {
    let index = 0;
    return devices
        .filter(
            (device) =>
                device.kind === kind &&
                device.deviceId &&
                device.deviceId !== 'default' &&
                device.deviceId !== 'communications'
        )
        .map((device) => {
            index += 1;
            return { value: device.deviceId, label: device.label || formatLabel(unnamed, index) };
        });
}
