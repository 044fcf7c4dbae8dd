import { LightningElement, api } from 'lwc';
import LOADING from '@salesforce/label/c.Phone_Setup_Loading';

/**
 * The status lines every setup section shows in the same place: loading, an error (role alert, read out at
 * once) and a confirmation (role status). Messages are rendered as text.
 */
export default class PhoneSetupStatus extends LightningElement {
    /** The section is reading. */
    @api loading = false;
    /** A translated error message, '' for none. */
    @api error = '';
    /** A translated confirmation, '' for none. */
    @api notice = '';

    loadingText = LOADING;
}
