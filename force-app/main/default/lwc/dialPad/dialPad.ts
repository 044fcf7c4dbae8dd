import { LightningElement, api } from 'lwc';
import { commandEvent, formatLabel, type NumberInspection, type NumberInspector } from 'c/phoneUtils';

import NUMBER from '@salesforce/label/c.Phone_Dial_Number';
import NUMBER_HELP from '@salesforce/label/c.Phone_Dial_NumberHelp';
import CALL from '@salesforce/label/c.Phone_Dial_Call';
import REDIAL from '@salesforce/label/c.Phone_Dial_Redial';
import REDIAL_TITLE from '@salesforce/label/c.Phone_Dial_RedialTitle';
import CLEAR from '@salesforce/label/c.Phone_Dial_Clear';
import DIALABLE from '@salesforce/label/c.Phone_Dial_Dialable';
import NOT_DIALABLE from '@salesforce/label/c.Phone_Dial_NotDialable';
import KEYPAD from '@salesforce/label/c.Phone_Dial_Keypad';
import TONES_SENT from '@salesforce/label/c.Phone_Dial_TonesSent';

interface Key {
    digit: string;
    letters: string;
}

const KEYS: readonly Key[] = [
    { digit: '1', letters: '' },
    { digit: '2', letters: 'ABC' },
    { digit: '3', letters: 'DEF' },
    { digit: '4', letters: 'GHI' },
    { digit: '5', letters: 'JKL' },
    { digit: '6', letters: 'MNO' },
    { digit: '7', letters: 'PQRS' },
    { digit: '8', letters: 'TUV' },
    { digit: '9', letters: 'WXYZ' },
    { digit: '*', letters: '' },
    { digit: '0', letters: '+' },
    { digit: '#', letters: '' }
];

/** Longest text kept in the number field (phone-core refuses longer input anyway). */
const MAX_INPUT = 64;

/**
 * Dial pad (F9): type or paste a number in any format, see whether it can be dialled, call, redial. In a
 * call (`in-call`) the keys send DTMF tones instead (F8). Every action is a `phonecommand` event: `dial`,
 * `redial` or `sendDtmf`.
 */
export default class DialPad extends LightningElement {
    /** Keys send DTMF to `callId` instead of building a number. */
    @api inCall = false;
    /** The call that receives DTMF. */
    @api callId: string | undefined;
    /** The last number dialled (enables redial). */
    @api lastDialled: string | null = null;
    @api disabled = false;
    /** Says whether a number can be dialled; without it every non-empty number counts as dialable. */
    @api numberInspector: NumberInspector | null = null;

    number = '';
    tonesSent = '';

    keys = KEYS;
    labels = {
        number: NUMBER,
        numberHelp: NUMBER_HELP,
        call: CALL,
        redial: REDIAL,
        clear: CLEAR,
        keypad: KEYPAD
    };

    get inspection(): NumberInspection {
        const raw = this.number.trim();
        if (!raw) return { dialable: false, display: '' };
        if (!this.numberInspector) return { dialable: true, display: raw };
        try {
            return this.numberInspector(raw);
        } catch {
            return { dialable: false, display: '' };
        }
    }

    get buildsNumber(): boolean {
        return !this.inCall;
    }

    get hasNumber(): boolean {
        return this.number.trim() !== '';
    }

    get dialableText(): string {
        const inspection = this.inspection;
        return inspection.dialable ? formatLabel(DIALABLE, inspection.display) : NOT_DIALABLE;
    }

    get dialableClass(): string {
        return `slds-text-body_small ${this.inspection.dialable ? 'slds-text-color_success' : 'slds-text-color_error'}`;
    }

    get callDisabled(): boolean {
        return this.disabled || !this.inspection.dialable;
    }

    get redialDisabled(): boolean {
        return this.disabled || !this.lastDialled;
    }

    get redialTitle(): string {
        return this.lastDialled ? formatLabel(REDIAL_TITLE, this.lastDialled) : REDIAL;
    }

    get tonesText(): string {
        return this.tonesSent ? formatLabel(TONES_SENT, this.tonesSent) : '';
    }

    handleNumberChange(event: CustomEvent<{ value: string }>): void {
        this.number = String(event.detail.value ?? '').slice(0, MAX_INPUT);
    }

    handleNumberKeyUp(event: KeyboardEvent): void {
        if (event.key === 'Enter') this.handleCall();
    }

    handleKey(event: Event): void {
        const digit = (event.currentTarget as HTMLElement).dataset.digit ?? '';
        if (!digit || this.disabled) return;
        if (this.inCall) {
            this.tonesSent = (this.tonesSent + digit).slice(-32);
            this.dispatchEvent(commandEvent({ type: 'sendDtmf', digits: digit, callId: this.callId }));
        } else {
            this.number = (this.number + digit).slice(0, MAX_INPUT);
        }
    }

    handleClear(): void {
        this.number = this.number.slice(0, -1);
    }

    handleCall(): void {
        if (this.callDisabled) return;
        this.dispatchEvent(commandEvent({ type: 'dial', number: this.number.trim() }));
        this.number = '';
    }

    handleRedial(): void {
        if (this.redialDisabled) return;
        this.dispatchEvent(commandEvent({ type: 'redial' }));
    }
}
