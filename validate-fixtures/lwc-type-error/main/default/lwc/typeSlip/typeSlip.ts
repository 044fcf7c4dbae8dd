import { LightningElement } from 'lwc';

interface Party {
    e164: string;
    displayName?: string;
}

/** BAD ON PURPOSE (validate fixture): compiles and lints, but assigns a number where a string is typed. */
export default class TypeSlip extends LightningElement {
    caller: Party = { e164: '+4930123456' };

    get callerLabel(): string {
        return this.caller.displayName ?? this.caller.e164;
    }

    handleRedial(): void {
        this.caller = { e164: 4930123456 };
    }
}
