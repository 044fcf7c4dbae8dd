import { LightningElement, api, wire } from 'lwc';
import { APPLICATION_SCOPE, MessageContext, publish, subscribe, unsubscribe } from 'lightning/messageService';
import OMNI_CHANNEL from '@salesforce/messageChannel/OmniPresence__c';
import getMapping from '@salesforce/apex/OmniPresenceController.getMapping';
import type * as WebphoneCoreModule from 'webphone-core';
import type { OmniSyncAction, PhoneCommand, PhoneViewState, SessionResult } from 'webphone-core';
import { formatLabel } from 'c/phoneUtils';
import OMNI_STATUS from '@salesforce/label/c.Phone_Omni_Status';

/** The phone-core functions this host needs. */
export type OmniPresenceCore = Pick<
    typeof WebphoneCoreModule,
    'OmniPresenceSync' | 'readOmniPresenceMapping'
>;

type OmniPresenceSync = InstanceType<OmniPresenceCore['OmniPresenceSync']>;

const PHONE_SOURCE = 'webPhone';

/**
 * Omni-Channel presence kept in step with the phone (F23): a thin host of phone-core's `OmniPresenceSync`. It
 * reads the admin's mapping for the agent's profile (OmniPresenceController), feeds the sync the phone's status
 * changes and Omni's (from the Aura bridge `omniPresenceBridge` over the internal OmniPresence channel: LWC has
 * no Omni-Channel toolkit), carries out what the sync returns, and shows the Omni status beside the phone
 * status. Without a mapping it does nothing and shows nothing.
 */
export default class OmniPresence extends LightningElement {
    /** phone-core (the loaded static resource). */
    @api core: OmniPresenceCore | null = null;
    /** Runs a command in the phone. */
    @api runCommand: ((command: PhoneCommand) => Promise<SessionResult>) | null = null;

    @wire(MessageContext)
    messageContext: unknown;

    omniName = '';

    private sync: OmniPresenceSync | null = null;
    private statusIds: Record<string, string> = {};
    private subscription: unknown = null;
    private state: PhoneViewState | null = null;
    private phoneKey = '';

    /** The phone's view state: each agent status change goes to the sync. */
    @api
    get viewState(): PhoneViewState | null {
        return this.state;
    }
    set viewState(value: PhoneViewState | null) {
        this.state = value;
        this.feedPhone();
    }

    get omniText(): string {
        return this.sync && this.omniName ? formatLabel(OMNI_STATUS, this.omniName) : '';
    }

    override connectedCallback(): void {
        void this.start();
    }

    override disconnectedCallback(): void {
        if (this.subscription) unsubscribe(this.subscription);
        this.subscription = null;
        this.sync = null;
    }

    private async start(): Promise<void> {
        const core = this.core;
        if (!core || this.sync) return;
        let raw: unknown;
        try {
            raw = await getMapping();
        } catch (error) {
            // no mapping, no sync: the phone works as before
            console.warn('WebPhone: Omni-Channel mapping unavailable', error);
            return;
        }
        const mapping = core.readOmniPresenceMapping(raw);
        if (!mapping) return;
        const ids = (raw as { statusIds?: Record<string, string> }).statusIds;
        this.statusIds = ids && typeof ids === 'object' ? ids : {};
        this.sync = new core.OmniPresenceSync(mapping);
        this.subscription = subscribe(
            this.messageContext,
            OMNI_CHANNEL,
            (message: unknown) => this.handleOmniMessage(message),
            { scope: APPLICATION_SCOPE }
        );
        publish(this.messageContext, OMNI_CHANNEL, { type: 'omniStatusRequest', source: PHONE_SOURCE });
        this.phoneKey = '';
        this.feedPhone();
    }

    private feedPhone(): void {
        const agent = this.state?.agent;
        if (!this.sync || !agent) return;
        const key = `${agent.status}|${agent.pauseReason?.id ?? ''}`;
        if (key === this.phoneKey) return;
        this.phoneKey = key;
        this.apply(this.sync.phoneChanged(agent.status, agent.pauseReason));
    }

    private handleOmniMessage(message: unknown): void {
        const data = (message ?? {}) as Record<string, unknown>;
        if (data.type !== 'omniStatus' || !this.sync) return;
        const apiName = typeof data.statusApiName === 'string' ? data.statusApiName : '';
        this.omniName = typeof data.statusName === 'string' && data.statusName ? data.statusName : apiName;
        if (apiName) this.apply(this.sync.omniChanged(apiName, this.state?.pauseReasons ?? []));
    }

    private apply(actions: OmniSyncAction[]): void {
        for (const action of actions) {
            if (action.type === 'setOmniStatus') {
                publish(this.messageContext, OMNI_CHANNEL, {
                    type: 'setOmniStatus',
                    source: PHONE_SOURCE,
                    statusApiName: action.omniStatus,
                    statusId: this.statusIds[action.omniStatus]
                });
            } else if (this.runCommand) {
                void this.runCommand({ type: 'setStatus', request: action.request });
            }
        }
    }
}
