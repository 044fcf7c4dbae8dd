// Bad on purpose: uses a label that is not defined, and the defined one lacks its Czech translation.
import { LightningElement } from 'lwc';
import HELLO from '@salesforce/label/c.Greeter_Hello';
import MISSING from '@salesforce/label/c.Greeter_Missing';

export default class Greeter extends LightningElement {
    labels = { HELLO, MISSING };
}
