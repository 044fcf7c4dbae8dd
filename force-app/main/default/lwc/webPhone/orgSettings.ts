/**
 * The org's phone settings as Apex returns them (PhoneSettingsService.PhoneSettings) and their mapping to
 * phone-core's PhoneSettings. Plain data only, no platform imports.
 */
import type { CreatableObjectType, CustomObjectRule, PhoneSettings } from 'webphone-core';

/** PhoneSettingsController.getSettings (PhoneSettingsService.PhoneSettings). */
export interface OrgPhoneSettings {
    defaultCountry?: string | null;
    defaultAreaCode?: string | null;
    phoneEnabled?: boolean | null;
    autoCreateCase?: boolean | null;
    callWaiting?: boolean | null;
    defaultWrapSeconds?: number | null;
    personAccountsEnabled?: boolean | null;
    /** The org's id, the scope of the phone's browser storage (the host name when absent). */
    orgId?: string | null;
    /** Extra caller-card fields per object that the agent may read (F15, set in the setup tab). */
    callerCardFields?: Record<string, string[]> | null;
    /** The caller card's https URL template, '' to open the record (F16, set in the setup tab). */
    callerCardUrlTemplate?: string | null;
    /** Call results for the wrap-up form (F12, set in the setup tab; empty: the phone's defaults). */
    dispositions?: Array<{ label: string; value: string }> | null;
    /** Object types in the order the screen pop ranks matches (A4, set in the setup tab; empty: the phone's). */
    screenPopOrder?: string[] | null;
    /** The browser notification's text with {name} {company} {number} {campaign} {queue} (F15); '' for ours. */
    notificationTemplate?: string | null;
    /** The admin-chosen custom object (F20): "new record" creates it with the number in its first phone field. */
    customObject?: { apiName?: string | null; phoneField?: string | null } | null;
    /**
     * Only the local workbench's stand-in sets it (its Kamailio has no TLS): the phone then accepts `ws://`
     * on loopback. Apex never returns it, so in Salesforce the phone accepts `wss://` only.
     */
    workbench?: boolean | null;
    /** Pages that pause the call recording (F21): `Object` or `Object.Record_Type`, set in the setup tab. */
    sensitivePages?: string[] | null;
}

/** The object types the screen pop ranks (phone-core's MatchObjectType). */
const SCREEN_POP_OBJECTS = ['PersonAccount', 'Contact', 'Lead', 'Account', 'Case', 'Custom'] as const;
type ScreenPopObject = (typeof SCREEN_POP_OBJECTS)[number];

/**
 * Apex settings as phone-core's PhoneSettings.
 * @param settings PhoneSettingsController.getSettings
 * @param unknownCallerName the "Unknown caller" label (this module has no platform imports)
 */
export function toCoreSettings(settings: OrgPhoneSettings, unknownCallerName: string): PhoneSettings {
    const personAccounts = settings.personAccountsEnabled === true;
    const custom = customObjectOf(settings.customObject);
    const createOptions: CreatableObjectType[] = personAccounts
        ? ['Contact', 'PersonAccount', 'Lead', 'Case']
        : ['Contact', 'Lead', 'Case'];
    return {
        defaultCountry: settings.defaultCountry ?? '',
        defaultAreaCode: settings.defaultAreaCode || undefined,
        callWaiting: settings.callWaiting === true,
        autoCreateCase: settings.autoCreateCase === true,
        defaultWrapSeconds: settings.defaultWrapSeconds ?? 0,
        screenPop: {
            personAccountsEnabled: personAccounts,
            createOptions: custom ? [...createOptions, 'Custom'] : createOptions,
            ...(custom ? { customObject: custom } : {}),
            ...screenPopOrderOf(settings.screenPopOrder)
        },
        unknownCallerName
    };
}

/** The admin's screen-pop order, unknown names dropped; nothing when none is set (phone-core's default). */
function screenPopOrderOf(order: string[] | null | undefined): { objectOrder?: ScreenPopObject[] } {
    const known = (order ?? []).filter((name): name is ScreenPopObject =>
        (SCREEN_POP_OBJECTS as readonly string[]).includes(name)
    );
    return known.length > 0 ? { objectOrder: known } : {};
}

/** The custom object's create rule, when both names are set. */
function customObjectOf(custom: OrgPhoneSettings['customObject']): CustomObjectRule | undefined {
    return custom?.apiName && custom.phoneField
        ? { apiName: custom.apiName, phoneField: custom.phoneField }
        : undefined;
}
