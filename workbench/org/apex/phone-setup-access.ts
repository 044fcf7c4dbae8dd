/**
 * PhoneSetupAccess and what every setup service of the local org shares: the persona permission sets (a map
 * in the database, PhoneSetupSelector.PERSONAS), the meta keys of the local org's stand-ins for platform
 * state, the admin check, and the small helpers the services read and write that state with.
 */
import { PhoneError } from '../errors';
import { label, type Labels } from '../labels';
import type { ApexContext } from './context';
import { SETTINGS_KEY, type PhoneSettingsRecord } from './phone-settings';

/** Persona permission sets, least to most privileged (PhoneSetupSelector.PERSONAS). */
export const PERSONAS = ['PhoneAgent', 'PhoneSupervisor', 'PhoneAdmin'] as const;
export type Persona = (typeof PERSONAS)[number];

/** Meta keys of the local org's stand-ins for platform state. */
export const ASSIGNMENTS_KEY = 'PermissionSetAssignment';
export const CREDENTIAL_KEY = 'ExternalCredential:ContactCentre';
export const OVERRIDES_KEY = 'Phone_Settings__c:overrides';

/** Longest text a setup field takes. */
export const MAX_TEXT = 255;
/** A JSON value the local org keeps in its meta table, or `fallback`. */
export const meta = <T>(context: ApexContext, key: string, fallback: T): T => {
    const stored = context.db.getMeta(key);
    return stored ? (JSON.parse(stored) as T) : fallback;
};
/** Keep a JSON value in the meta table. */
export const saveMeta = (context: ApexContext, key: string, value: unknown): void =>
    context.db.setMeta(key, JSON.stringify(value));
/** Save the Phone_Settings__c record. */
export const saveSettings = (context: ApexContext, record: PhoneSettingsRecord): void =>
    saveMeta(context, SETTINGS_KEY, record);
/** Throw the label's text as the controller's error. */
export const fail = (labels: Labels, name: string, ...args: Array<string | number>): never => {
    throw new PhoneError(label(labels, name, ...args));
};

/** The persona permission set of each user. */
export function personas(context: Pick<ApexContext, 'db'>): Record<string, Persona> {
    const stored = context.db.getMeta(ASSIGNMENTS_KEY);
    return stored ? (JSON.parse(stored) as Record<string, Persona>) : {};
}

/** PhoneSetupAccess.requireAdmin: the custom permission Phone_Admin comes with PhoneAdmin. */
export function requireAdmin(context: ApexContext): void {
    if (personas(context)[context.user.Id] !== 'PhoneAdmin') fail(context.labels, 'Phone_Error_AdminOnly');
}
