// Bad on purpose: phone-core must not depend on the Salesforce platform.
import { LightningElement } from 'lwc';
import getSession from '@salesforce/apex/AgentSessionController.getSession';

export class Leaky extends LightningElement {
    async load(): Promise<unknown> {
        return getSession();
    }
}
