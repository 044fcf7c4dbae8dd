/**
 * CallerLookupController / CallerLookupService / CallerMatch / CallerRecordSelector: who is calling, from the
 * search keys phone-core computed and the case code the caller typed in the IVR.
 *
 * 1. keys validated (`+` and digits, 4-20 digits), at most 10;
 * 2. Phone_Key__c rows with those keys give the records (a record saved a second ago is found); when no row
 *    matches, the SOSL fallback over phone fields (here: the same digits in a phone field of a Contact,
 *    unconverted Lead or Account - SOSL's own tokenising is not reproduced);
 * 3. the records are read (the workbench user sees every record);
 * 4. open Cases of matched contacts and person accounts are added, and Cases whose number is the IVR code
 *    (as typed or zero-padded to 8 digits);
 * 5. the admin's custom object (F20, Custom_Caller_Object__c) is searched on every lookup (no key rows);
 * 6. ranked like phone-core's rankMatches (object order, own records, recent activity, name, id), at most 50.
 */
import { isSearchKey } from '../phone-keys';
import { objectOfId, phoneFieldsOf, type SObject } from '../schema';
import { text, type ApexContext } from './context';
import { findCustomRecords, parseCustomCallerObject, type CustomCallerObject } from './custom-caller-object';
import { settingsRecord } from './phone-settings';
import type { CallerMatch } from './types';

const MAX_KEYS = 10;
const MAX_MATCHES = 50;
const MAX_CASES_PER_CALLER = 5;
const MAX_ROWS = 50;
const CASE_CODE = /^[A-Za-z0-9-]{1,40}$/;
const CASE_NUMBER_DIGITS = 8;
const OBJECT_ORDER = ['PersonAccount', 'Contact', 'Lead', 'Account', 'Case'];

/** CallerLookupController.findCallers(searchKeys, ivrCaseCode) */
export function findCallers(context: ApexContext, params: Record<string, unknown>): CallerMatch[] {
    const keys = validKeys(params.searchKeys);
    const matchedFields = new Map<string, string | null>();
    if (keys.length > 0) {
        for (const row of context.db.findByKeys(keys)) {
            if (!matchedFields.has(row.recordId)) matchedFields.set(row.recordId, row.fieldName);
        }
        if (matchedFields.size === 0) {
            for (const id of searchPhoneFields(context, keys)) matchedFields.set(id, null);
        }
    }
    const matches = new Map<string, CallerMatch>();
    for (const [id, field] of matchedFields) {
        const match = readMatch(context, id);
        if (match) matches.set(match.id, { ...match, matchedField: field });
    }
    const custom = parseCustomCallerObject(settingsRecord(context).Custom_Caller_Object__c);
    for (const record of findCustomRecords(context, custom, keys))
        matches.set(record.Id, ofCustom(context, record, custom!));
    addOpenCases(context, matches);
    addIvrCases(context, text(params.ivrCaseCode), matches);
    return [...matches.values()].sort(compareMatches).slice(0, MAX_MATCHES);
}

/** CallerLookupService.validKeys: search-key shaped, at most 10, duplicates dropped, in order. */
export function validKeys(searchKeys: unknown): string[] {
    const keys: string[] = [];
    if (!Array.isArray(searchKeys)) return keys;
    for (const key of searchKeys) {
        if (keys.length >= MAX_KEYS) break;
        if (isSearchKey(key) && !keys.includes(key)) keys.push(key);
    }
    return keys;
}

/** CallerLookupService.caseNumbers: the code as typed and, for digits, zero-padded to 8. */
export function caseNumbers(ivrCaseCode: string | null): string[] {
    const code = (ivrCaseCode ?? '').trim();
    if (!CASE_CODE.test(code)) return [];
    const numbers = [code];
    if (/^\d+$/.test(code) && code.length < CASE_NUMBER_DIGITS)
        numbers.push(code.padStart(CASE_NUMBER_DIGITS, '0'));
    return numbers;
}

/** The SOSL fallback (`FIND :term IN PHONE FIELDS RETURNING Contact, Lead, Account`). */
function searchPhoneFields(context: ApexContext, keys: readonly string[]): string[] {
    const wanted = new Set(keys.map((key) => key.replace(/^\+/, '')));
    const ids: string[] = [];
    for (const object of ['Contact', 'Lead', 'Account'] as const) {
        const found = context.db
            .all(object)
            .filter((record) => !(object === 'Lead' && record.IsConverted === true))
            .filter((record) =>
                phoneFieldsOf(object, record).some((field) => {
                    const value = record[field];
                    return typeof value === 'string' && wanted.has(value.replace(/\D/g, ''));
                })
            )
            .slice(0, MAX_ROWS);
        ids.push(...found.map((record) => record.Id));
    }
    return ids;
}

/** The match of one record (CallerMatch.ofContact / ofLead / ofAccount / ofCase), null when not visible. */
function readMatch(context: ApexContext, id: string): CallerMatch | null {
    const object = objectOfId(id);
    const record = context.db.get(id);
    if (!object || !record) return null;
    switch (object) {
        case 'Contact': {
            const account = typeof record.AccountId === 'string' ? context.db.get(record.AccountId) : null;
            return {
                ...base(context, record, 'Contact', text(record.Name)),
                subtitle: text(account?.Name),
                accountId: text(record.AccountId),
                lastActivityAt: latest(record)
            };
        }
        case 'Lead':
            if (record.IsConverted === true) return null;
            return {
                ...base(context, record, 'Lead', text(record.Name)),
                subtitle: text(record.Company),
                lastActivityAt: latest(record)
            };
        case 'Account': {
            const person = record.IsPersonAccount === true;
            return {
                ...base(context, record, person ? 'PersonAccount' : 'Account', text(record.Name)),
                contactId: person ? text(record.PersonContactId) : null,
                lastActivityAt: latest(record)
            };
        }
        case 'Case':
            return ofCase(context, record, null);
        default:
            return null;
    }
}

/** CallerMatch.ofCustom: the name fields joined, ranked after the standard objects. */
function ofCustom(context: ApexContext, record: SObject, config: CustomCallerObject): CallerMatch {
    const name = config.nameFields
        .map((field) => text(record[field]))
        .filter((value): value is string => !!value && value.trim() !== '')
        .join(' ');
    return {
        ...base(context, record, 'Custom', name),
        objectApiName: config.objectName,
        lastActivityAt: latest({ ...record, LastActivityDate: null })
    };
}

function ofCase(context: ApexContext, record: SObject, matchedField: string | null): CallerMatch {
    const subject = text(record.Subject);
    return {
        ...base(context, record, 'Case', text(record.CaseNumber)),
        subtitle: subject && subject.trim() !== '' ? subject : text(record.CaseNumber),
        caseNumber: text(record.CaseNumber),
        isClosed: record.IsClosed === true,
        accountId: text(record.AccountId),
        contactId: text(record.ContactId),
        matchedField,
        lastActivityAt: latest({ ...record, LastActivityDate: null })
    };
}

function base(
    context: ApexContext,
    record: SObject,
    objectType: CallerMatch['objectType'],
    name: string | null
): CallerMatch {
    return {
        id: record.Id,
        objectType,
        name,
        subtitle: null,
        lastActivityAt: null,
        ownerIsCurrentUser: record.OwnerId === context.user.Id,
        matchedField: null,
        caseNumber: null,
        isClosed: null,
        accountId: null,
        contactId: null
    };
}

/** CallerMatch.latest: the later of LastActivityDate (midnight GMT) and LastModifiedDate, ISO with millis. */
function latest(record: SObject): string | null {
    const activity =
        typeof record.LastActivityDate === 'string'
            ? Date.parse(`${record.LastActivityDate.slice(0, 10)}T00:00:00Z`)
            : NaN;
    const modified = typeof record.LastModifiedDate === 'string' ? Date.parse(record.LastModifiedDate) : NaN;
    const candidates = [activity, modified].filter(Number.isFinite);
    return candidates.length > 0 ? new Date(Math.max(...candidates)).toISOString() : null;
}

function addOpenCases(context: ApexContext, matches: Map<string, CallerMatch>): void {
    const contactIds = new Set<string>();
    for (const match of matches.values()) {
        if (match.objectType === 'Contact') contactIds.add(match.id);
        else if (match.objectType === 'PersonAccount' && match.contactId) contactIds.add(match.contactId);
    }
    if (contactIds.size === 0) return;
    const maxRows = Math.min(MAX_MATCHES, MAX_CASES_PER_CALLER * contactIds.size);
    const open = context.db
        .all('Case')
        .filter(
            (record) =>
                record.IsClosed !== true &&
                typeof record.ContactId === 'string' &&
                contactIds.has(record.ContactId)
        )
        .sort((a, b) => String(b.LastModifiedDate ?? '').localeCompare(String(a.LastModifiedDate ?? '')))
        .slice(0, maxRows);
    for (const record of open) {
        if (!matches.has(record.Id)) matches.set(record.Id, ofCase(context, record, 'ContactId'));
    }
}

function addIvrCases(
    context: ApexContext,
    ivrCaseCode: string | null,
    matches: Map<string, CallerMatch>
): void {
    const numbers = new Set(caseNumbers(ivrCaseCode));
    if (numbers.size === 0) return;
    const cases = context.db
        .all('Case')
        .filter((record) => typeof record.CaseNumber === 'string' && numbers.has(record.CaseNumber))
        .slice(0, 5);
    for (const record of cases) matches.set(record.Id, ofCase(context, record, 'CaseNumber'));
}

/** CallerMatch.compareTo */
export function compareMatches(a: CallerMatch, b: CallerMatch): number {
    const byType = rank(a.objectType) - rank(b.objectType);
    if (byType !== 0) return byType;
    if (a.ownerIsCurrentUser !== b.ownerIsCurrentUser) return a.ownerIsCurrentUser ? -1 : 1;
    const byActivity = compareText(b.lastActivityAt, a.lastActivityAt, true);
    if (byActivity !== 0) return byActivity;
    const byName = compareText(a.name, b.name, false);
    return byName !== 0 ? byName : compareText(a.id, b.id, false);
}

function rank(objectType: string): number {
    const index = OBJECT_ORDER.indexOf(objectType);
    return index === -1 ? OBJECT_ORDER.length : index;
}

/** Text order; a record with a missing value ranks after one with a value (CallerMatch.compareText). */
function compareText(a: string | null, b: string | null, descending: boolean): number {
    if (a === null && b === null) return 0;
    if (a === null || b === null) {
        const thisMissing = descending ? b === null : a === null;
        return thisMissing ? 1 : -1;
    }
    return a < b ? -1 : a > b ? 1 : 0;
}
