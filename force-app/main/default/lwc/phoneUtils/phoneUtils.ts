/**
 * Small pure helpers shared by the phone components (no template, not exposed). The phone's logic lives in
 * phone-core; these only format values for display and build the components' events.
 */
import type { PhoneCommand, RecordMatch } from 'webphone-core';

import OBJECT_PERSON_ACCOUNT from '@salesforce/label/c.Phone_Object_PersonAccount';
import OBJECT_CONTACT from '@salesforce/label/c.Phone_Object_Contact';
import OBJECT_LEAD from '@salesforce/label/c.Phone_Object_Lead';
import OBJECT_ACCOUNT from '@salesforce/label/c.Phone_Object_Account';
import OBJECT_CASE from '@salesforce/label/c.Phone_Object_Case';
import OBJECT_CUSTOM from '@salesforce/label/c.Phone_Object_Custom';
import MIC_DENIED from '@salesforce/label/c.Phone_Mic_Denied';
import MIC_POLICY from '@salesforce/label/c.Phone_Mic_BlockedByPolicy';
import MIC_NOT_FOUND from '@salesforce/label/c.Phone_Mic_NotFound';
import MIC_IN_USE from '@salesforce/label/c.Phone_Mic_InUse';
import MIC_INSECURE from '@salesforce/label/c.Phone_Mic_InsecureContext';
import MIC_UNSUPPORTED from '@salesforce/label/c.Phone_Mic_Unsupported';
import MIC_UNKNOWN from '@salesforce/label/c.Phone_Mic_Unknown';

/** Object type of a record as phone-core names it (`RecordMatch['objectType']`). */
export type PhoneObjectType = RecordMatch['objectType'];

/** Name of the event every phone child dispatches to ask the session for something; detail: a PhoneCommand. */
export const PHONE_COMMAND_EVENT = 'phonecommand';

/** The event a child dispatches for one session command (handled by c/webPhone). */
export function commandEvent(command: PhoneCommand): CustomEvent<PhoneCommand> {
    return new CustomEvent<PhoneCommand>(PHONE_COMMAND_EVENT, { detail: command });
}

/**
 * The event that calls a number back from a list (recent calls, callbacks), related to the row's record when
 * it has one (F9: the call's Task is related to it).
 */
export function callBackEvent(
    number: string,
    recordId: string | null | undefined,
    name: string | null | undefined
): CustomEvent<PhoneCommand> {
    const context = recordId
        ? { recordId, objectType: objectTypeOf(undefined, recordId), name: name || undefined }
        : undefined;
    return commandEvent({ type: 'dial', number, context });
}

/** Detail of `openrecord`: open a record (screen pop, caller card, recent calls). */
export interface OpenRecordDetail {
    recordId: string;
    objectApiName?: string;
}

/** Detail of `openurl`: open a web page (caller card with a URL template, F16). */
export interface OpenUrlDetail {
    url: string;
}

/** Detail of `createrecord`: the standard "new record" page prefilled with field values (F4, F7). */
export interface CreateRecordDetail {
    objectApiName: string;
    defaultFieldValues: Record<string, string>;
    /** Ask the platform for the record type first (Person Accounts). */
    chooseRecordType?: boolean;
}

/** Detail of `attachnumber`: add the caller's number to an existing record (F4). */
export interface AttachNumberDetail {
    recordId: string;
    e164: string;
}

/** What the phone makes of a typed or pasted number (phone-core's normalisation, supplied by c/webPhone to c/dialPad). */
export interface NumberInspection {
    dialable: boolean;
    /** The number as it will be dialled / shown (national or E.164 form); '' when not dialable. */
    display: string;
}

/** Checks a number; c/webPhone passes one built on phone-core's `isDialable` / `formatForDisplay`. */
export type NumberInspector = (raw: string) => NumberInspection;

/** The record on the agent's screen (from CurrentPageReference in c/webPhone, used by c/relatedTo). */
export interface ScreenRecord {
    recordId: string;
    objectApiName?: string;
}

/** `m:ss` below one hour, `h:mm:ss` above; negative values count as 0. */
export function formatClock(milliseconds: number): string {
    const total = Math.max(0, Math.floor((Number.isFinite(milliseconds) ? milliseconds : 0) / 1000));
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const seconds = total % 60;
    const ss = String(seconds).padStart(2, '0');
    return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}

const KEY_PREFIXES: Readonly<Record<string, PhoneObjectType>> = {
    '001': 'Account',
    '003': 'Contact',
    '00Q': 'Lead',
    '500': 'Case'
};

/**
 * phone-core's object type for a record on screen or picked in a record picker: from the object API name
 * when known, else from the id's key prefix; `Custom` for any other object. A Person Account arrives as
 * `Account` (the core resolves it by the record's match).
 */
export function objectTypeOf(
    objectApiName: string | undefined,
    recordId: string | undefined
): PhoneObjectType {
    switch (objectApiName) {
        case 'Account':
        case 'Contact':
        case 'Lead':
        case 'Case':
            return objectApiName;
        case 'PersonAccount':
            return 'PersonAccount';
        default:
            break;
    }
    if (!objectApiName && recordId) {
        const known = KEY_PREFIXES[recordId.slice(0, 3)];
        if (known) return known;
    }
    return 'Custom';
}

/** Object API name of a phone-core object type (a Person Account is an Account). */
export function objectApiNameOf(objectType: PhoneObjectType, customApiName?: string): string | undefined {
    if (objectType === 'PersonAccount') return 'Account';
    if (objectType === 'Custom') return customApiName;
    return objectType;
}

/** The message of an Apex error (`{ body: { message } }`), an Error, or a string; '' when there is none. */
export function errorMessage(error: unknown): string {
    if (!error) return '';
    if (typeof error === 'string') return error;
    if (typeof error !== 'object') return '';
    const fields = error as Record<string, unknown>;
    const payload = fields.body;
    if (Array.isArray(payload)) {
        return payload.map(messageOf).filter(Boolean).join(', ');
    }
    return messageOf(payload) || messageOf(error);
}

/** The `message` text of an object, '' when it has none. */
function messageOf(value: unknown): string {
    if (!value || typeof value !== 'object') return '';
    const text = (value as Record<string, unknown>).message;
    return typeof text === 'string' ? text : '';
}

/** True for an absolute https URL (recordings and URL templates never open anything else). */
export function isHttpsUrl(value: string | undefined | null): boolean {
    if (!value) return false;
    try {
        return new URL(value).protocol === 'https:';
    } catch {
        return false;
    }
}

/**
 * Fills `{Field}` placeholders of a URL template with URI-encoded values (F16). Unknown placeholders become
 * ''. Returns null when the result is not an https URL.
 */
export function fillUrlTemplate(
    template: string,
    values: Readonly<Record<string, string | undefined>>
): string | null {
    const url = template.replace(/\{([A-Za-z0-9_.]+)\}/g, (_match, name: string) =>
        encodeURIComponent(values[name] ?? '')
    );
    return isHttpsUrl(url) ? url : null;
}

/** Fills `{0}`, `{1}`... of a Custom Label. Values are inserted as text (the template renders them as text). */
export function formatLabel(label: string, ...values: Array<string | number>): string {
    return label.replace(/\{(\d+)\}/g, (match, index: string) => {
        const value = values[Number(index)];
        return value === undefined ? match : String(value);
    });
}

const OBJECT_LABELS: Readonly<Record<PhoneObjectType, string>> = {
    PersonAccount: OBJECT_PERSON_ACCOUNT,
    Contact: OBJECT_CONTACT,
    Lead: OBJECT_LEAD,
    Account: OBJECT_ACCOUNT,
    Case: OBJECT_CASE,
    Custom: OBJECT_CUSTOM
};

/** The org's own names of the phone's objects (renamed or not, in the user's language): object type -> label. */
export type ObjectLabels = Readonly<Partial<Record<PhoneObjectType, string>>>;

/**
 * Objects whose labels the components read from the org with `getObjectInfos` (Lightning Data Service caches
 * them: one request for all the components). PersonAccount is answered only where the org has Person
 * Accounts; an object the UI API refuses gets its own error in `results`, the others still load.
 */
export const ORG_LABELLED_OBJECTS: readonly string[] = [
    'Account',
    'Contact',
    'Lead',
    'Case',
    'PersonAccount'
];

/** A custom object's API name (with or without a namespace): the one an admin may choose (F20). */
const CUSTOM_OBJECT_API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}__c$/;

/**
 * The objects to ask `getObjectInfos` for: the phone's objects, plus the admin-chosen custom object (F20) when
 * one is on screen, so it is named as the org names it ("Service Request") rather than "Record".
 * @param customApiName the API name of a `Custom` match or create option, if any
 */
export function objectInfoNames(customApiName?: string | null): readonly string[] {
    return customApiName && CUSTOM_OBJECT_API_NAME.test(customApiName)
        ? [...ORG_LABELLED_OBJECTS, customApiName]
        : ORG_LABELLED_OBJECTS;
}

/** The API name of the custom object among records and create options (objectType `Custom`), or undefined. */
export function customApiNameOf(
    items: ReadonlyArray<{ objectType?: string; objectApiName?: string } | null | undefined>
): string | undefined {
    return items.find((item) => item?.objectType === 'Custom' && item.objectApiName)?.objectApiName;
}

/** `getObjectInfos` data: one `{ statusCode, result }` per requested object, in the order requested. */
export interface ObjectInfosData {
    results?: Array<{ statusCode?: number; result?: { apiName?: string; label?: string } }>;
}

/**
 * The labels in `getObjectInfos` data; `previous` when there is no data (still loading, or the wire failed:
 * then the package's own labels stay the fallback). `customApiName`: the custom object whose label names `Custom`.
 */
export function objectLabelsFrom(
    data: ObjectInfosData | undefined,
    previous: ObjectLabels = {},
    customApiName?: string | null
): ObjectLabels {
    if (!data?.results) return previous;
    const labels: Partial<Record<PhoneObjectType, string>> = {};
    const custom = customApiName?.toLowerCase();
    for (const { statusCode, result } of data.results) {
        // the admin's custom object (F20) is the phone's `Custom` type
        const type = (custom && result?.apiName?.toLowerCase() === custom ? 'Custom' : result?.apiName) as
            PhoneObjectType | undefined;
        if (statusCode === 200 && type && type in OBJECT_LABELS && result?.label) labels[type] = result.label;
    }
    return labels;
}

/**
 * Name of an object type (badges in the caller card, the chooser, the pickers): the org's own label when
 * known (an admin may have renamed Case to "Sprawa"), else the package's translated label.
 */
export function objectTypeLabel(
    objectType: PhoneObjectType | undefined,
    orgLabels: ObjectLabels = {}
): string {
    const type = objectType ?? 'Custom';
    return orgLabels[type] || (OBJECT_LABELS[type] ?? OBJECT_CUSTOM);
}

const MICROPHONE_TEXT: Readonly<Record<string, string>> = {
    denied: MIC_DENIED,
    'blocked-by-policy': MIC_POLICY,
    'not-found': MIC_NOT_FOUND,
    'in-use': MIC_IN_USE,
    'insecure-context': MIC_INSECURE,
    unsupported: MIC_UNSUPPORTED,
    unknown: MIC_UNKNOWN
};

/** The translated explanation of a microphone problem (c/deviceSettings, c/webPhone's banner). */
export function microphoneProblemText(problem: string | undefined): string {
    return problem ? (MICROPHONE_TEXT[problem] ?? MIC_UNKNOWN) : '';
}

/** The state a setup section shows through c-phone-setup-status while it works. */
export interface SectionState {
    busy: boolean;
    error: string;
    notice: string;
}

/**
 * Runs one action of a setup section: busy while it runs, the previous messages cleared, a failure shown
 * as the section's error (the Apex message, already translated) instead of being thrown.
 */
export async function runAction(section: SectionState, action: () => Promise<void>): Promise<void> {
    section.busy = true;
    section.error = '';
    section.notice = '';
    try {
        await action();
    } catch (error) {
        section.error = errorMessage(error);
    } finally {
        section.busy = false;
    }
}
