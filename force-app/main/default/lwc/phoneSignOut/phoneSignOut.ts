import { LightningElement, api } from 'lwc';
import { commandEvent } from 'c/phoneUtils';

import SIGN_OUT from '@salesforce/label/c.Phone_SignOut';
import SIGN_OUT_HELP from '@salesforce/label/c.Phone_SignOut_Help';
import SIGNED_OUT from '@salesforce/label/c.Phone_SignedOut';
import START_PHONE from '@salesforce/label/c.Phone_StartPhone';

/**
 * "Sign out of the phone" (issue 11, finding 5: a shared desk keeps no call data). The button sends phone-core's
 * `signOut` command, which refuses during a call, sends the unsent call logs first and then purges this user's
 * data and ends the phone in every tab; failures come back as the phone's error banner. Once signed out, the
 * panel says so and offers to start the phone again (`startphone`).
 */
export default class PhoneSignOut extends LightningElement {
    /** A call rings, is connected or on hold: signing out is refused, so the button is off. */
    @api inCall = false;
    /** The phone ended (here or in another tab of this user): show the signed-out panel. */
    @api signedOut = false;
    /** The phone is not started, or a sign-out is already running. */
    @api disabled = false;

    labels = { signOut: SIGN_OUT, help: SIGN_OUT_HELP, signedOut: SIGNED_OUT, startPhone: START_PHONE };

    get buttonDisabled(): boolean {
        return this.disabled || this.inCall;
    }

    handleSignOut(): void {
        this.dispatchEvent(commandEvent({ type: 'signOut' }));
    }

    handleStart(): void {
        this.dispatchEvent(new CustomEvent('startphone'));
    }
}
