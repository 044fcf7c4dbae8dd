/**
 * CustomCallerObject / CustomCallerObjectSelector: the admin-chosen custom object the caller lookup also
 * searches (F20), stored in Phone_Settings__c.Custom_Caller_Object__c as
 * `Object__c|phone fields|name fields|caller-card fields`.
 *
 * Checked against the local org's describe like Apex checks the org's: the object exists and is custom, phone
 * fields are phone or text, name fields are text. It has no Phone_Key__c rows (a managed package cannot ship a
 * trigger on an object the admin chooses), so every lookup searches it: equality of a chosen phone field with
 * a search key (with and without `+`, Apex's bound SOQL) or, for phone-type fields, the key's digits
 * (Apex's SOSL `IN PHONE FIELDS`; SOSL's own tokenising is not reproduced). Also the options' side of it
 * (PhoneSetupOptionsService): the view's four fields and the screen-pop order's `Custom`.
 */
import { label, type Labels } from '../labels';
import { OBJECTS, type FieldType, type ObjectName, type SObject } from '../schema';
import { text, type ApexContext } from './context';

export interface CustomCallerObject {
    objectName: string;
    phoneFields: string[];
    nameFields: string[];
    cardFields: string[];
}

const API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
const MAX_TEXT = 255;
const MAX_ROWS = 50;
const PHONE_TYPES: readonly FieldType[] = ['phone', 'string'];
const NAME_TYPES: readonly FieldType[] = ['string', 'email', 'phone', 'picklist'];
const LIMITS = { phone: 5, name: 3, card: 5 };
/** The screen-pop name of the admin-chosen custom object (PhoneSetupOptionsService.CUSTOM_OBJECT). */
const CUSTOM_OBJECT = 'Custom';

/** CustomCallerObject.parse: null when blank or without an object or phone field. */
export function parseCustomCallerObject(value: string | null | undefined): CustomCallerObject | null {
    if (!value || !value.trim()) return null;
    const parts = value.split('|');
    const names = (index: number): string[] => [
        ...new Set(
            (parts[index] ?? '')
                .split(',')
                .map((name) => name.trim())
                .filter(Boolean)
        )
    ];
    const config = {
        objectName: (parts[0] ?? '').trim(),
        phoneFields: names(1),
        nameFields: names(2),
        cardFields: names(3)
    };
    return config.objectName && config.phoneFields.length > 0 ? config : null;
}

/** CustomCallerObject.format */
export function formatCustomCallerObject(config: CustomCallerObject): string {
    return [
        config.objectName,
        ...[config.phoneFields, config.nameFields, config.cardFields].map((f) => f.join(','))
    ].join('|');
}

/** The local org's custom object of that name (CustomCallerObject.Describer), or null. */
function describeCustom(objectName: string) {
    const object = (Object.keys(OBJECTS) as ObjectName[]).find((name) => name === objectName);
    return object && object.endsWith('__c') ? OBJECTS[object] : null;
}

/** CustomCallerObject.problems */
export function customCallerObjectProblems(labels: Labels, config: CustomCallerObject): string[] {
    const object = API_NAME.test(config.objectName) ? describeCustom(config.objectName) : null;
    if (!object) return [label(labels, 'Phone_Setup_CustomObjectInvalid', config.objectName.slice(0, 80))];
    const problems: string[] = [];
    if (formatCustomCallerObject(config).length > MAX_TEXT)
        problems.push(label(labels, 'Phone_Setup_TooLong', MAX_TEXT));
    const types = new Map(object.fields.map((field) => [field.apiName.toLowerCase(), field.type]));
    const check = (fields: string[], allowed: readonly FieldType[] | null, max: number) => {
        if (fields.length > max) problems.push(label(labels, 'Phone_Setup_CustomObjectTooManyFields', max));
        for (const field of fields) {
            const type = API_NAME.test(field) ? types.get(field.toLowerCase()) : undefined;
            if (!type || (allowed && !allowed.includes(type)))
                problems.push(
                    label(labels, 'Phone_Setup_UnknownField', config.objectName, field.slice(0, 80))
                );
        }
    };
    check(config.phoneFields, PHONE_TYPES, LIMITS.phone);
    check(config.nameFields, NAME_TYPES, LIMITS.name);
    check(config.cardFields, null, LIMITS.card);
    return problems;
}

/** CustomCallerObjectSelector.findByKeys: the records whose phone fields hold a key; none when not valid. */
export function findCustomRecords(
    context: ApexContext,
    config: CustomCallerObject | null,
    keys: readonly string[]
): SObject[] {
    if (!config || keys.length === 0 || customCallerObjectProblems(context.labels, config).length > 0)
        return [];
    const object = describeCustom(config.objectName)!;
    const values = new Set(keys.flatMap((key) => [key, key.replace(/^\+/, '')]));
    const digits = new Set(keys.map((key) => key.replace(/^\+/, '')));
    const phoneTypeFields = object.fields
        .filter((field) => field.type === 'phone')
        .map((field) => field.apiName);
    const matches = (record: SObject): boolean =>
        config.phoneFields.some((field) => values.has(String(record[field] ?? ''))) ||
        phoneTypeFields.some((field) => {
            const value = record[field];
            return typeof value === 'string' && digits.has(value.replace(/\D/g, ''));
        });
    return context.db.all(object.name).filter(matches).slice(0, MAX_ROWS);
}

/** PhoneSettingsService.customObjectRuleOf: the object "new record" creates, with its first phone field. */
export function customObjectRule(
    value: string | null | undefined
): { apiName: string; phoneField: string } | null {
    const config = parseCustomCallerObject(value);
    return config ? { apiName: config.objectName, phoneField: config.phoneFields[0]! } : null;
}

/** PhoneSettingsService.addCustomCardFields: the custom object's caller-card fields under its API name. */
export function customCardFields(value: string | null | undefined): Record<string, string[]> {
    const config = parseCustomCallerObject(value);
    const object = config ? describeCustom(config.objectName) : null;
    if (!config || !object) return {};
    const known = new Map(object.fields.map((field) => [field.apiName.toLowerCase(), field.apiName]));
    const readable = config.cardFields
        .map((field) => known.get(field.toLowerCase()))
        .filter((f): f is string => !!f);
    return readable.length > 0 ? { [config.objectName]: readable } : {};
}

/** PhoneSetupOptionsService.customObjectOf: the custom object as edited, or null. */
export function customObjectOf(options: Record<string, unknown>): CustomCallerObject | null {
    const part = (name: string) => (text(options[name]) ?? '').trim();
    return part('customObjectName')
        ? parseCustomCallerObject(
              ['customObjectName', 'customPhoneFields', 'customNameFields', 'customCardFields']
                  .map(part)
                  .join('|')
          )
        : null;
}

/** PhoneSetupOptionsService.isCustomObjectName: `Custom` or the chosen object's API name. */
export function isCustomObjectName(options: Record<string, unknown>, objectName: string): boolean {
    const name = objectName.trim();
    const chosen = (text(options.customObjectName) ?? '').trim();
    return name === CUSTOM_OBJECT || (chosen !== '' && name.toLowerCase() === chosen.toLowerCase());
}

/** PhoneSetupOptionsService.screenPopOrderOf: the chosen object's API name stored as `Custom`. */
export function screenPopOrderOf(options: Record<string, unknown>): string | null {
    const order = (text(options.screenPopOrder) ?? '').trim();
    if (!order) return null;
    return order
        .split(',')
        .map((name) => (isCustomObjectName(options, name) ? CUSTOM_OBJECT : name.trim()))
        .join(',');
}

/** The custom-object part of the options view (PhoneSetupOptionsService.load). */
export function customObjectView(stored: string | null | undefined): Record<string, string | null> {
    const custom = parseCustomCallerObject(stored);
    return {
        customObjectName: custom?.objectName ?? null,
        customPhoneFields: custom ? custom.phoneFields.join(',') : null,
        customNameFields: custom ? custom.nameFields.join(',') : null,
        customCardFields: custom ? custom.cardFields.join(',') : null
    };
}
