import { LightningElement, api } from 'lwc';
import { createMessageContext, publish, releaseMessageContext } from 'lightning/messageService';
import PUBLIC_CHANNEL from '@salesforce/messageChannel/PhonePublic__c';

/**
 * Flow local action "Phone: Set Agent Status" (F19): publishes a `setStatus` command on the public channel
 * (docs/PUBLIC-API.md). The phone validates it (an unknown status or pause reason is answered with an `error`
 * event) and applies it only when the agent's state allows: on a call it becomes the status after the call,
 * in wrap-up it is refused. A local action has no screen, so the answer is for listening components.
 */
export default class PhoneFlowSetStatus extends LightningElement {
    /** Ready, NotReady or Paused. */
    @api status = '';
    /** With Paused: the pause reason id. */
    @api pauseReasonId = '';

    /** Called by the flow. */
    @api
    invoke(): void {
        const context = createMessageContext();
        const message: Record<string, unknown> = {
            version: 1,
            kind: 'command',
            command: 'setStatus',
            requestId: `flow-status-${Date.now().toString(36)}`,
            status: this.status ?? ''
        };
        if (this.pauseReasonId) message.pauseReasonId = this.pauseReasonId;
        try {
            publish(context, PUBLIC_CHANNEL, message);
        } finally {
            releaseMessageContext(context);
        }
    }
}
