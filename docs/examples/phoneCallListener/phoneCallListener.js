// Example (docs/PUBLIC-API.md): a component of YOUR org that listens to the ccphone WebPhone and dials through
// it. Copy the folder into force-app/main/default/lwc/ of your org's project and deploy; place it on a record page.
import { LightningElement, api, wire } from 'lwc';
import { APPLICATION_SCOPE, MessageContext, publish, subscribe, unsubscribe } from 'lightning/messageService';
// the package's exposed channel: namespace prefix ccphone__
import PHONE from '@salesforce/messageChannel/ccphone__PhonePublic__c';

export default class PhoneCallListener extends LightningElement {
    @api recordId;
    @api phoneNumber;
    lines = [];
    subscription;

    @wire(MessageContext) messageContext;

    connectedCallback() {
        this.subscription = subscribe(this.messageContext, PHONE, (message) => this.handle(message), {
            scope: APPLICATION_SCOPE
        });
    }

    disconnectedCallback() {
        unsubscribe(this.subscription);
    }

    handleCall() {
        publish(this.messageContext, PHONE, {
            version: 1,
            kind: 'command',
            command: 'dial',
            requestId: `my-dial-${Date.now()}`,
            number: this.phoneNumber,
            recordId: this.recordId
        });
    }

    handle(message) {
        if (message?.version !== 1 || message.kind !== 'event') return;
        let text;
        switch (message.event) {
            case 'ringing':
            case 'answered':
            case 'ended':
                text = `${message.event}: ${message.direction} ${message.number}`;
                break;
            case 'logged':
                text = `logged as Task ${message.taskId}`;
                break;
            case 'status':
                text = `agent status ${message.status}`;
                break;
            case 'error':
                text = message.message; // translated for the user
                break;
            default:
                return; // accepted, and events of later versions
        }
        this.lines = [...this.lines, { key: `${message.sentAt}-${this.lines.length}`, text }];
    }
}
