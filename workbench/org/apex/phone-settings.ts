/**
 * PhoneSettingsController / PhoneSettingsService: the org's phone options (Phone_Settings__c with defaults
 * applied) and the numbering facts of the default country.
 */
import { customCardFields, customObjectRule } from './custom-caller-object';
import type { ApexContext } from './context';
import { isValidUrlTemplate, parseDispositions, phoneEnabledFor, readableCardFields } from './phone-setup';
import type { PhoneSettings } from './types';
import { parseSensitivePages } from '../../../phone-core/src/recording/recording-control';

/** The Phone_Settings__c fields of the local org (the hierarchy setting's org default). */
export interface PhoneSettingsRecord {
    Default_Country__c?: string | null;
    Default_Area_Code__c?: string | null;
    Phone_Enabled__c?: boolean | null;
    Key_Index_Enabled__c?: boolean | null;
    Auto_Create_Case__c?: boolean | null;
    Queued_Callbacks__c?: boolean | null;
    Call_Waiting__c?: boolean | null;
    Default_Wrap_Seconds__c?: number | null;
    Country_Calling_Code__c?: string | null;
    Trunk_Prefix__c?: string | null;
    International_Prefix__c?: string | null;
    Tenant_Id__c?: string | null;
    Default_Call_Owner__c?: string | null;
    Api_Endpoint__c?: string | null;
    Admin_Login__c?: string | null;
    Environment__c?: string | null;
    Credentials_Set_At__c?: string | null;
    Credentials_Set_By__c?: string | null;
    Connection_Tested_At__c?: string | null;
    Connection_Test_Ok__c?: boolean | null;
    Caller_Card_Fields__c?: string | null;
    Click_Url_Template__c?: string | null;
    Notification_Template__c?: string | null;
    Sensitive_Pages__c?: string | null;
    Dispositions__c?: string | null;
    Screen_Pop_Order__c?: string | null;
    Custom_Caller_Object__c?: string | null;
}

/** Calling code, trunk prefix, international prefix (PhoneSettingsService.NUMBERING). */
const NUMBERING: Readonly<Record<string, readonly [string, string, string]>> = {
    AT: ['43', '0', '00'],
    BE: ['32', '0', '00'],
    CH: ['41', '0', '00'],
    CZ: ['420', '', '00'],
    DE: ['49', '0', '00'],
    ES: ['34', '', '00'],
    FR: ['33', '0', '00'],
    GB: ['44', '0', '00'],
    IT: ['39', '', '00'],
    NL: ['31', '0', '00'],
    PL: ['48', '', '00'],
    RU: ['7', '8', '810'],
    SK: ['421', '0', '00'],
    UA: ['380', '0', '00'],
    US: ['1', '1', '011']
};

/** Meta key of the settings record in the local org's database. */
export const SETTINGS_KEY = 'Phone_Settings__c';

/** The stored settings record. */
export function settingsRecord(context: Pick<ApexContext, 'db'>): PhoneSettingsRecord {
    const stored = context.db.getMeta(SETTINGS_KEY);
    return stored ? (JSON.parse(stored) as PhoneSettingsRecord) : {};
}

/** PhoneSettingsController.getSettings */
export function getSettings(context: ApexContext): PhoneSettings {
    const record = settingsRecord(context);
    const country = (record.Default_Country__c ?? '').trim().toUpperCase();
    const numbering = NUMBERING[country];
    const digitsOr = (configured: string | null | undefined, index: 0 | 1 | 2): string => {
        const digits = (configured ?? '').replace(/\D/g, '');
        return digits !== '' ? digits : (numbering?.[index] ?? '');
    };
    return {
        defaultCountry: country,
        defaultAreaCode: (record.Default_Area_Code__c ?? '').trim(),
        phoneEnabled: phoneEnabledFor(context, context.user.Id, record.Phone_Enabled__c !== false),
        keyIndexEnabled: record.Key_Index_Enabled__c !== false,
        autoCreateCase: record.Auto_Create_Case__c === true,
        callWaiting: record.Call_Waiting__c === true,
        defaultWrapSeconds: Math.max(0, Math.trunc(record.Default_Wrap_Seconds__c ?? 0)),
        // the local org has Person Accounts
        personAccountsEnabled: true,
        countryCallingCode: digitsOr(record.Country_Calling_Code__c, 0),
        trunkPrefix: digitsOr(record.Trunk_Prefix__c, 1),
        internationalPrefix: digitsOr(record.International_Prefix__c, 2),
        orgId: '00D000000000001AAA',
        // the local Kamailio listens on ws://127.0.0.1 (no TLS): only here may the phone use it
        workbench: true,
        callerCardFields: {
            ...readableCardFields(record.Caller_Card_Fields__c),
            ...customCardFields(record.Custom_Caller_Object__c)
        },
        customObject: customObjectRule(record.Custom_Caller_Object__c),
        callerCardUrlTemplate: isValidUrlTemplate(record.Click_Url_Template__c)
            ? (record.Click_Url_Template__c ?? '').trim()
            : '',
        dispositions: parseDispositions(record.Dispositions__c).map((value) => ({ label: value, value })),
        notificationTemplate: (record.Notification_Template__c ?? '').trim(),
        sensitivePages: parseSensitivePages(record.Sensitive_Pages__c),
        screenPopOrder: [
            ...new Set(
                (record.Screen_Pop_Order__c ?? '')
                    .split(',')
                    .map((name) => name.trim())
                    .filter(Boolean)
            )
        ]
    };
}
