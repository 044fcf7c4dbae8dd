/**
 * What the SIP side needs to know about the contact centre to route a call: which SIP users are
 * campaigns/queues (numbers callers dial) and which are agents. A port, so the signalling can be
 * tested without a database; {@link storeDirectory} reads the simulator's store.
 */
import type { Store } from '../store/store';

/** A number callers dial: a campaign or one of its queues. */
export interface DialledEntry {
    tenantId: string;
    campaignId: string | null;
    queueId: string | null;
}

/** An agent as a SIP user. */
export interface AgentEntry {
    tenantId: string;
    agentId: string;
}

/** Routing lookups of the SIP side. */
export interface SipDirectory {
    /** A campaign id or queue id (any tenant) -> where the call goes; undefined otherwise. */
    findDialled(user: string): DialledEntry | undefined;
    /** An agent id, or an agent's extension (any tenant) -> the agent; undefined otherwise. */
    findAgent(user: string): AgentEntry | undefined;
}

/** The {@link SipDirectory} over the simulator's store. */
export function storeDirectory(store: Store): SipDirectory {
    return {
        findDialled(user) {
            for (const tenant of store.listTenants()) {
                const campaign = store.getCampaign(tenant.id, user);
                if (campaign) return { tenantId: tenant.id, campaignId: campaign.id, queueId: null };
                const queue = store.getQueue(tenant.id, user);
                if (queue) return { tenantId: tenant.id, campaignId: queue.campaignId, queueId: queue.id };
            }
            return undefined;
        },
        findAgent(user) {
            for (const tenant of store.listTenants()) {
                const agent = store.getAgent(tenant.id, user);
                if (agent) return { tenantId: tenant.id, agentId: agent.id };
            }
            for (const tenant of store.listTenants()) {
                const agent = store.listAgents(tenant.id).find((candidate) => candidate.extension === user);
                if (agent) return { tenantId: tenant.id, agentId: agent.id };
            }
            return undefined;
        }
    };
}

/**
 * The SIP URI an agent's phone dials to get back to its call in progress (`rejoin.<interaction id>`: the SIP
 * endpoint bridges it to the held customer leg, see sip/kamailio-signalling.ts).
 */
export function rejoinUri(interactionId: string, domain: string): string {
    return `sip:${REJOIN_USER_PREFIX}${interactionId}@${domain}`;
}

/** User part prefix of {@link rejoinUri}. */
export const REJOIN_USER_PREFIX = 'rejoin.';
