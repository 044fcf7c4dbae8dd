/**
 * ContactCentreAdminService.overview (the contact centre's configuration) and PhoneSetupChecklistService (the
 * setup checklist; the workbench needs no CSP Trusted Site or call center).
 */
import { label } from '../labels';
import type { ApexContext } from './context';
import { settingsRecord } from './phone-settings';
import { personas, requireAdmin } from './phone-setup-access';
import { calling } from './phone-setup-errors';
import { allAgents } from './phone-setup-users';

/** PhoneSetupController.getContactCentre */
export async function getContactCentre(context: ApexContext) {
    requireAdmin(context);
    return calling(context, async () => {
        const connection = await context.contactCentre.get<{ adminUrl?: string }>('/v1/connection');
        const agents = await allAgents(context);
        const campaigns = await context.contactCentre.get<{ items?: Array<Record<string, unknown>> }>(
            '/v1/campaigns?limit=200'
        );
        const queues = await context.contactCentre.get<{ items?: Array<Record<string, unknown>> }>(
            '/v1/queues?limit=200'
        );
        return {
            adminUrl: connection.adminUrl ?? null,
            agents: agents.map((agent) => ({
                id: agent.id,
                name: agent.displayName,
                email: agent.email,
                extension: agent.extension ?? null,
                lines: (agent.lines ?? []).map((line) => `${line.label} (${line.kind})`).join(', '),
                active: agent.active === true,
                licensed: agent.licensed === true,
                adminUrl: agent.adminUrl ?? null
            })),
            campaigns: (campaigns.items ?? []).map((campaign) => ({
                id: campaign.id,
                name: campaign.name,
                mode: campaign.mode,
                active: campaign.active === true,
                wrapSeconds: campaign.wrapSeconds
            })),
            queues: (queues.items ?? []).map((queue) => ({
                id: queue.id,
                name: queue.name,
                members: Array.isArray(queue.memberAgentIds) ? queue.memberAgentIds.length : 0,
                ringTimeoutSeconds: queue.ringTimeoutSeconds,
                maxWaitSeconds: queue.maxWaitSeconds,
                callsWaiting: queue.callsWaiting,
                agentsReady: queue.agentsReady,
                adminUrl: queue.adminUrl
            }))
        };
    });
}

/** PhoneSetupController.getChecklist(sipHost): the workbench needs no CSP Trusted Site or call center. */
export function getChecklist(context: ApexContext) {
    requireAdmin(context);
    const { labels } = context;
    const record = settingsRecord(context);
    const set = !!record.Credentials_Set_At__c;
    const assigned = Object.keys(personas(context)).length;
    const item = (key: string, name: string, ok: boolean, detail: string | null, fixUrl: string | null) => ({
        key,
        label: label(labels, name),
        ok,
        detail,
        fixUrl
    });
    return [
        item(
            'credentials',
            'Phone_Setup_Check_Credentials',
            set && record.Connection_Test_Ok__c === true,
            !set
                ? label(labels, 'Phone_Setup_Check_CredentialsMissing')
                : record.Connection_Test_Ok__c === true
                  ? null
                  : label(labels, 'Phone_Setup_Check_NotTested'),
            '#connection'
        ),
        item('csp', 'Phone_Setup_Check_Csp', true, null, '/lightning/setup/SecurityCspTrustedSite/home'),
        item('app', 'Phone_Setup_Check_App', true, null, '/lightning/setup/NavigationMenus/home'),
        item(
            'callCenter',
            'Phone_Setup_Check_CallCenter',
            true,
            label(labels, 'Phone_Setup_Check_Count', assigned),
            '/lightning/setup/CallCenters/home'
        ),
        item(
            'permissionSets',
            'Phone_Setup_Check_PermissionSets',
            assigned > 0,
            label(labels, 'Phone_Setup_Check_Count', assigned),
            '#users'
        ),
        item(
            'personAccounts',
            'Phone_Setup_Check_PersonAccounts',
            true,
            label(labels, 'Phone_Setup_Check_PersonAccountsOn'),
            null
        )
    ];
}
