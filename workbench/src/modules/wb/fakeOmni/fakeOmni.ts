/**
 * A fake Omni-Channel for the workbench only (F23): it plays the Aura bridge `omniPresenceBridge` on the
 * OmniPresence message channel (publishes `omniStatus`, applies `setOmniStatus` by status id, answers
 * `omniStatusRequest`) and lets the tester change the presence by hand, as an agent or supervisor would in
 * Omni's own widget. The statuses are the workbench mapping's (org/apex/omni-presence.ts).
 */
import { LightningElement } from 'lwc';
import { messageChannel, publishMessage, subscribeMessages, unsubscribeMessages } from 'wb/messageBus';

const OMNI_CHANNEL = messageChannel('OmniPresence__c');

const STATUSES: ReadonlyArray<{ apiName: string; id: string; label: string }> = [
    { apiName: 'Available', id: '0N5000000000001AAA', label: 'Available' },
    { apiName: 'Away', id: '0N5000000000002AAA', label: 'Away' },
    { apiName: 'On_Phone', id: '0N5000000000003AAA', label: 'On a Call' }
];

export default class FakeOmni extends LightningElement {
    statusApiName = 'Away';
    private subscription: object | null = null;

    get options() {
        return STATUSES.map((status) => ({
            value: status.apiName,
            label: status.label,
            selected: status.apiName === this.statusApiName
        }));
    }

    override connectedCallback(): void {
        this.subscription = subscribeMessages(OMNI_CHANNEL, (message) => this.handleMessage(message));
        this.publishStatus();
    }

    override disconnectedCallback(): void {
        if (this.subscription) unsubscribeMessages(this.subscription);
    }

    handleChange(event: Event): void {
        this.statusApiName = (event.target as HTMLSelectElement).value;
        this.publishStatus();
    }

    private handleMessage(message: unknown): void {
        const data = (message ?? {}) as Record<string, unknown>;
        if (data.type === 'omniStatusRequest') this.publishStatus();
        if (data.type !== 'setOmniStatus') return;
        const status = STATUSES.find((candidate) => candidate.id === data.statusId);
        if (!status) return;
        this.statusApiName = status.apiName;
        this.publishStatus();
    }

    private publishStatus(): void {
        const status = STATUSES.find((candidate) => candidate.apiName === this.statusApiName);
        if (!status) return;
        publishMessage(OMNI_CHANNEL, {
            type: 'omniStatus',
            source: 'omniPresenceBridge',
            statusApiName: status.apiName,
            statusName: status.label
        });
    }
}
