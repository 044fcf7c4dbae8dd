import { LightningElement } from 'lwc';
import { errorMessage, formatLabel } from 'c/phoneUtils';
import getContactCentre from '@salesforce/apex/PhoneSetupController.getContactCentre';

import TITLE from '@salesforce/label/c.Phone_Setup_CC_Title';
import AGENTS from '@salesforce/label/c.Phone_Setup_CC_Agents';
import CAMPAIGNS from '@salesforce/label/c.Phone_Setup_CC_Campaigns';
import QUEUES from '@salesforce/label/c.Phone_Setup_CC_Queues';
import COL_NAME from '@salesforce/label/c.Phone_Setup_CC_ColName';
import COL_EXTENSION from '@salesforce/label/c.Phone_Setup_CC_ColExtension';
import COL_LINES from '@salesforce/label/c.Phone_Setup_CC_ColLines';
import COL_STATE from '@salesforce/label/c.Phone_Setup_CC_ColState';
import COL_MODE from '@salesforce/label/c.Phone_Setup_CC_ColMode';
import COL_WRAP from '@salesforce/label/c.Phone_Setup_CC_ColWrap';
import COL_MEMBERS from '@salesforce/label/c.Phone_Setup_CC_ColMembers';
import COL_WAITING from '@salesforce/label/c.Phone_Setup_CC_ColWaiting';
import ACTIVE from '@salesforce/label/c.Phone_Setup_CC_Active';
import INACTIVE from '@salesforce/label/c.Phone_Setup_CC_Inactive';
import SECONDS from '@salesforce/label/c.Phone_Setup_CC_Seconds';
import READ_ONLY from '@salesforce/label/c.Phone_Setup_CC_ReadOnly';
import OPEN_ADMIN from '@salesforce/label/c.Phone_Setup_OpenAdmin';
import REFRESH from '@salesforce/label/c.Phone_Setup_Refresh';

interface AgentView extends Record<'name', string> {
    id: string;
    email?: string;
    extension?: string | null;
    lines?: string;
    active?: boolean;
    licensed?: boolean;
}
interface CampaignView extends Record<'name', string> {
    id: string;
    mode?: string;
    active?: boolean;
    wrapSeconds?: number | null;
}
interface QueueView extends Record<'name', string> {
    id: string;
    members?: number;
    callsWaiting?: number;
    agentsReady?: number;
}
/** PhoneSetupViews.ContactCentreView. */
interface ContactCentreView {
    adminUrl?: string | null;
    agents?: AgentView[];
    campaigns?: CampaignView[];
    queues?: QueueView[];
}

/**
 * The contact centre's own configuration (A8), read-only: agents with extensions and lines, campaigns with
 * wrap times, queues; changes are made in the contact centre's admin, linked here.
 */
export default class PhoneSetupContactCentre extends LightningElement {
    labels = {
        TITLE,
        AGENTS,
        CAMPAIGNS,
        QUEUES,
        COL_NAME,
        COL_EXTENSION,
        COL_LINES,
        COL_STATE,
        COL_MODE,
        COL_WRAP,
        COL_MEMBERS,
        COL_WAITING,
        READ_ONLY,
        OPEN_ADMIN,
        REFRESH
    };

    loading = true;
    error = '';
    view: ContactCentreView = {};

    override connectedCallback(): void {
        void this.load();
    }

    get adminUrl(): string {
        const url = this.view.adminUrl ?? '';
        return url.startsWith('https://') || url.startsWith('http://127.0.0.1') ? url : '';
    }

    get agents() {
        return (this.view.agents ?? []).map((agent) => ({
            ...agent,
            key: agent.id,
            stateText: agent.active ? ACTIVE : INACTIVE
        }));
    }

    get campaigns() {
        return (this.view.campaigns ?? []).map((campaign) => ({
            ...campaign,
            key: campaign.id,
            wrapText: formatLabel(SECONDS, campaign.wrapSeconds ?? 0),
            stateText: campaign.active ? ACTIVE : INACTIVE
        }));
    }

    get queues() {
        return (this.view.queues ?? []).map((queue) => ({
            ...queue,
            key: queue.id,
            waitingText: `${queue.callsWaiting ?? 0} / ${queue.agentsReady ?? 0}`
        }));
    }

    async handleRefresh(): Promise<void> {
        await this.load();
    }

    private async load(): Promise<void> {
        this.loading = true;
        this.error = '';
        try {
            this.view = ((await getContactCentre()) as ContactCentreView) ?? {};
        } catch (error) {
            this.error = errorMessage(error);
        } finally {
            this.loading = false;
        }
    }
}
