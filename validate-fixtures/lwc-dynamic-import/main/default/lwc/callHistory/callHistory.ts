import { LightningElement } from 'lwc';

/** The component lazyPanel loads dynamically; itself unremarkable. */
export default class CallHistory extends LightningElement {
    entries: string[] = [];
}
