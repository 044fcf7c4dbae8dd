/**
 * PhoneConnectionService: the connection kept as the External/Named Credential would keep it (the key never
 * returned), saved and tested with the same rules and messages as the Apex; the workbench's loopback
 * simulator may be http (an org allows https only).
 */
import { ContactCentreError } from '../errors';
import { isBlank, text, type ApexContext } from './context';
import { settingsRecord, type PhoneSettingsRecord } from './phone-settings';
import {
    CREDENTIAL_KEY,
    MAX_TEXT,
    fail,
    meta,
    requireAdmin,
    saveMeta,
    saveSettings
} from './phone-setup-access';
import { connectionMessage } from './phone-setup-errors';
import { allAgents, type ApiLicence } from './phone-setup-users';

/** The External Credential's principal and the Named Credential's URL. */
export interface StoredCredential {
    baseUrl: string;
    apiKey: string;
    tenantId: string;
    adminLogin?: string;
}

const TENANT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** PhoneSetupController.getConnection */
export function getConnection(context: ApexContext) {
    requireAdmin(context);
    return connectionView(settingsRecord(context));
}

function connectionView(record: PhoneSettingsRecord) {
    return {
        endpoint: record.Api_Endpoint__c ?? null,
        tenantId: record.Tenant_Id__c ?? null,
        adminLogin: record.Admin_Login__c ?? null,
        environment: record.Environment__c || 'test',
        credentialsSet: !!record.Credentials_Set_At__c,
        setAt: record.Credentials_Set_At__c ?? null,
        setBy: record.Credentials_Set_By__c ?? null,
        testedAt: record.Connection_Tested_At__c ?? null,
        testOk: record.Connection_Test_Ok__c === true
    };
}

/** https, or the workbench simulator's loopback http (an org allows https only). */
function isEndpoint(value: string): boolean {
    try {
        const url = new URL(value);
        const loopback = url.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(url.hostname);
        return (url.protocol === 'https:' || loopback) && !url.search && value.length <= MAX_TEXT;
    } catch {
        return false;
    }
}

/** PhoneSetupController.saveConnection(input) */
export function saveConnection(context: ApexContext, params: Record<string, unknown>) {
    requireAdmin(context);
    const input = (params.input ?? {}) as Record<string, unknown>;
    const endpoint = (text(input.endpoint) ?? '').trim();
    const tenantId = (text(input.tenantId) ?? '').trim();
    const adminLogin = (text(input.adminLogin) ?? '').trim();
    const environment = (text(input.environment) ?? '').trim().toLowerCase();
    const apiKey = (text(input.apiKey) ?? '').trim();
    if (!isEndpoint(endpoint)) fail(context.labels, 'Phone_Setup_EndpointInvalid');
    if (!TENANT.test(tenantId)) fail(context.labels, 'Phone_Setup_TenantInvalid');
    if (adminLogin.length > 254 || !['test', 'production'].includes(environment))
        fail(context.labels, 'Phone_Setup_AdminLoginInvalid');
    const record = settingsRecord(context);
    const principalChanged =
        !record.Credentials_Set_At__c ||
        tenantId !== record.Tenant_Id__c ||
        adminLogin !== (record.Admin_Login__c ?? '');
    if ((isBlank(apiKey) && principalChanged) || apiKey.length > 512)
        fail(context.labels, 'Phone_Setup_ApiKeyRequired');
    const stored = meta<StoredCredential | null>(context, CREDENTIAL_KEY, null);
    const credential: StoredCredential = {
        baseUrl: endpoint.replace(/\/+$/, ''),
        apiKey: apiKey || stored?.apiKey || '',
        tenantId,
        ...(adminLogin ? { adminLogin } : {})
    };
    saveMeta(context, CREDENTIAL_KEY, credential);
    context.contactCentre.reconfigure(credential);
    const updated: PhoneSettingsRecord = {
        ...record,
        Api_Endpoint__c: endpoint,
        Tenant_Id__c: tenantId,
        Admin_Login__c: adminLogin,
        Environment__c: environment,
        Connection_Tested_At__c: null,
        Connection_Test_Ok__c: false
    };
    if (apiKey) {
        updated.Credentials_Set_At__c = new Date().toISOString();
        updated.Credentials_Set_By__c = context.user.Name;
    }
    saveSettings(context, updated);
    return connectionView(updated);
}

/** PhoneSetupController.testConnection */
export async function testConnection(context: ApexContext) {
    requireAdmin(context);
    let result: Record<string, unknown>;
    try {
        const connection = await context.contactCentre.get<Record<string, unknown>>('/v1/connection');
        result = {
            ok: true,
            statusCode: 200,
            tenantId: connection.tenantId,
            tenantName: connection.tenantName,
            environment: connection.environment,
            adminLoginValid: connection.adminLoginValid ?? null,
            adminUrl: connection.adminUrl,
            agents: (await allAgents(context)).length
        };
        if (connection.adminLoginValid === true) {
            const licence = await context.contactCentre.get<ApiLicence>('/v1/licences');
            result.seatsBought = licence.seatsBought;
            result.seatsUsed = licence.seatsUsed;
        }
    } catch (error) {
        result = {
            ok: false,
            statusCode: error instanceof ContactCentreError ? error.status : 0,
            message: connectionMessage(error, context.labels)
        };
    }
    saveSettings(context, {
        ...settingsRecord(context),
        Connection_Tested_At__c: new Date().toISOString(),
        Connection_Test_Ok__c: result.ok === true
    });
    return result;
}
