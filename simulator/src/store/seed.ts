/**
 * Sample data for a new database: two tenants (one test, one production environment), agents (some
 * with configuration problems, to show red in the admin's "check configuration"), campaigns with
 * wrap times 0, 15 and 30 s, queues, pause reasons and licences. The keys are fixed so the workbench,
 * e2e tests and a developer's Named Credential can use them without reading the start-up output.
 */
import type { Agent, Campaign, IntegrationSettings, Queue, Tenant } from '../model';
import type { Store } from './store';

/** The seeded tenants' credentials. */
export const SEED = {
    test: {
        tenantId: 'acme-test',
        apiKey: 'sim_test_4f3c2a1b9d8e7f60a1b2c3d4',
        adminLogin: 'admin@acme.example'
    },
    production: {
        tenantId: 'acme-prod',
        apiKey: 'sim_live_8e7f60a1b2c3d44f3c2a1b9d',
        adminLogin: 'admin@acme.example'
    }
} as const;

/** Where the (imaginary) admin panel of a tenant lives. */
export function adminUrlOf(tenantId: string): string {
    return `https://${tenantId}.contact-centre.example/admin`;
}

const defaultSettings = (outsideCampaignId: string, defaultAgentId: string): IntegrationSettings => ({
    active: true,
    defaultAgentId,
    outsideCampaignId,
    logNonWebPhoneCalls: true,
    autoCreateCase: false,
    ivrCaseLookup: true,
    personAccounts: false,
    syncCampaignIds: []
});

interface AgentSeed {
    id: string;
    first: string;
    last: string;
    ext: string | null;
    pbx?: boolean;
    active?: boolean;
    outbound?: string | null;
    presentation?: string | null;
    phoneType?: Agent['phoneType'];
}

function agentOf(tenantId: string, seed: AgentSeed, domain: string, at: number): Agent {
    const login = `${seed.first}.${seed.last}`
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/ł/g, 'l')
        .replace(/\s+/g, '')
        .toLowerCase();
    const email = `${login}@${domain}`;
    const outbound =
        seed.outbound === undefined ? `+4822123${seed.ext ?? '000'}0`.slice(0, 12) : seed.outbound;
    return {
        id: seed.id,
        tenantId,
        email,
        firstName: seed.first,
        lastName: seed.last,
        login,
        ssoId: email,
        salesforceUserId: null,
        pbxUser: seed.pbx ?? true,
        active: seed.active ?? true,
        phoneType: seed.phoneType ?? 'webphone',
        extension: seed.ext,
        lines: seed.ext
            ? [
                  { id: `line-${seed.id}-1`, label: 'WebRTC', number: seed.ext, kind: 'webrtc' },
                  ...(outbound
                      ? [
                            {
                                id: `line-${seed.id}-2`,
                                label: 'Desk',
                                number: outbound,
                                kind: 'sip-phone' as const
                            }
                        ]
                      : [])
              ]
            : [],
        outboundNumber: outbound,
        presentation: seed.presentation === undefined ? '+48221234500' : seed.presentation,
        createdAt: at,
        updatedAt: at
    };
}

/** Fills an empty store with the sample tenants. */
export function seedStore(store: Store, now: number): void {
    seedTenant(store, now, {
        tenant: {
            id: SEED.test.tenantId,
            name: 'Acme Sp. z o.o. (test)',
            environment: 'test',
            apiKey: SEED.test.apiKey,
            adminLogins: [SEED.test.adminLogin, 'supervisor@acme.example'],
            adminUrl: adminUrlOf(SEED.test.tenantId),
            settings: defaultSettings('cmp-outside', 'agt-101'),
            createdAt: now
        },
        domain: 'acme.example',
        agents: [
            { id: 'agt-101', first: 'Anna', last: 'Kowalska', ext: '101' },
            { id: 'agt-102', first: 'Piotr', last: 'Nowak', ext: '102' },
            { id: 'agt-103', first: 'Jan', last: 'Wiśniewski', ext: '103' },
            { id: 'agt-104', first: 'Eva', last: 'Dvořáková', ext: '104' },
            {
                id: 'agt-105',
                first: 'Maria',
                last: 'Zielińska',
                ext: null,
                pbx: false,
                outbound: null,
                presentation: null
            },
            { id: 'agt-106', first: 'Tomasz', last: 'Lewandowski', ext: '106', outbound: null },
            { id: 'agt-107', first: 'Katarzyna', last: 'Wójcik', ext: '107', presentation: null },
            { id: 'agt-108', first: 'Marek', last: 'Kamiński', ext: '108', active: false },
            { id: 'agt-109', first: 'Daan', last: 'de Vries', ext: '109', phoneType: 'hardphone' }
        ],
        licensed: ['agt-101', 'agt-102', 'agt-103'],
        seats: 5,
        campaigns: [
            {
                id: 'cmp-support',
                name: 'Customer support',
                mode: 'inbound',
                active: true,
                wrapSeconds: 15,
                queueIds: ['que-support'],
                outboundPresentationNumber: '+48221234500'
            },
            {
                id: 'cmp-sales',
                name: 'Sales (manual phone)',
                mode: 'manual-phone',
                active: true,
                wrapSeconds: 30,
                queueIds: ['que-sales'],
                outboundPresentationNumber: '+48221234510'
            },
            {
                id: 'cmp-hotline',
                name: 'Hotline (no wrap)',
                mode: 'inbound',
                active: true,
                wrapSeconds: 0,
                queueIds: ['que-hotline'],
                outboundPresentationNumber: null
            },
            {
                id: 'cmp-renewals',
                name: 'Renewals (preview)',
                mode: 'preview',
                active: true,
                wrapSeconds: 30,
                queueIds: [],
                outboundPresentationNumber: '+48221234520'
            },
            {
                id: 'cmp-outside',
                name: 'Calls outside campaigns',
                mode: 'manual-phone',
                active: true,
                wrapSeconds: 15,
                queueIds: ['que-support'],
                outboundPresentationNumber: '+48221234500'
            }
        ],
        queues: [
            {
                id: 'que-support',
                name: 'Support PL',
                campaignId: 'cmp-support',
                memberAgentIds: ['agt-101', 'agt-102', 'agt-103', 'agt-104', 'agt-109'],
                ringTimeoutSeconds: null,
                maxWaitSeconds: null
            },
            {
                id: 'que-sales',
                name: 'Sales',
                campaignId: 'cmp-sales',
                memberAgentIds: ['agt-102', 'agt-103'],
                ringTimeoutSeconds: null,
                maxWaitSeconds: null
            },
            {
                id: 'que-hotline',
                name: 'Hotline',
                campaignId: 'cmp-hotline',
                memberAgentIds: ['agt-101', 'agt-102', 'agt-103'],
                ringTimeoutSeconds: 15,
                maxWaitSeconds: 60
            }
        ]
    });
    seedTenant(store, now, {
        tenant: {
            id: SEED.production.tenantId,
            name: 'Acme Sp. z o.o.',
            environment: 'production',
            apiKey: SEED.production.apiKey,
            adminLogins: [SEED.production.adminLogin],
            adminUrl: adminUrlOf(SEED.production.tenantId),
            settings: defaultSettings('cmp-p-support', 'agt-p-201'),
            createdAt: now
        },
        domain: 'acme.example',
        agents: [
            { id: 'agt-p-201', first: 'Anna', last: 'Kowalska', ext: '201' },
            { id: 'agt-p-202', first: 'Piotr', last: 'Nowak', ext: '202' },
            {
                id: 'agt-p-203',
                first: 'Maria',
                last: 'Zielińska',
                ext: null,
                pbx: false,
                outbound: null,
                presentation: null
            }
        ],
        licensed: ['agt-p-201', 'agt-p-202'],
        seats: 3,
        campaigns: [
            {
                id: 'cmp-p-support',
                name: 'Customer support',
                mode: 'inbound',
                active: true,
                wrapSeconds: 15,
                queueIds: ['que-p-support'],
                outboundPresentationNumber: '+48221234500'
            }
        ],
        queues: [
            {
                id: 'que-p-support',
                name: 'Support',
                campaignId: 'cmp-p-support',
                memberAgentIds: ['agt-p-201', 'agt-p-202'],
                ringTimeoutSeconds: null,
                maxWaitSeconds: null
            }
        ]
    });
}

function seedTenant(
    store: Store,
    now: number,
    seed: {
        tenant: Tenant;
        domain: string;
        agents: AgentSeed[];
        licensed: string[];
        seats: number;
        campaigns: Omit<Campaign, 'tenantId'>[];
        queues: Omit<Queue, 'tenantId'>[];
    }
): void {
    const tenantId = seed.tenant.id;
    store.putTenant(seed.tenant);
    for (const agent of seed.agents) store.putAgent(agentOf(tenantId, agent, seed.domain, now));
    for (const campaign of seed.campaigns) store.putCampaign({ ...campaign, tenantId });
    for (const queue of seed.queues) store.putQueue({ ...queue, tenantId });
    const reasons: [string, string, number | null][] = [
        ['break', 'Break', 900],
        ['lunch', 'Lunch', 1800],
        ['training', 'Training', null],
        ['technical', 'Technical problem', null]
    ];
    for (const [id, name, maxSeconds] of reasons) store.putPauseReason({ tenantId, id, name, maxSeconds });
    store.putLicence({
        tenantId,
        product: 'salesforce-webphone',
        seatsBought: seed.seats,
        validUntil: '2026-12-31'
    });
    for (const agentId of seed.licensed) store.putAssignment({ tenantId, agentId, assignedAt: now });
}
