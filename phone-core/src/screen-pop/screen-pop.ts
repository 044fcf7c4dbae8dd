/**
 * Screen-pop decision (F4, F5, F6, F9) and the Task Who/What rules (F10).
 *
 * {@link decideScreenPop} is a pure function: it gets the records the server matched for a call (by the
 * normalised number, and by the IVR case code when there was one) and the admin's rules, and says what the
 * phone should show. Precedence, first that applies wins:
 *
 * 1. an outbound call dialled from a record: that record (F9) - even when the number is not searchable;
 * 2. an IVR case code that equals a matched Case's number: that Case, its contact exposed as `who` (F5);
 * 3. a number that cannot be searched (anonymous, emergency, short codes, invalid): `none`, "Unknown caller";
 * 4. the ranked, collapsed matches: one opens (unless `openSingleMatch` is off), exactly one owned by the
 *    agent opens when `preferOwnedRecords` is on, several are offered to choose, none offers create/attach.
 *
 * Ranking: `objectOrder` (types not listed come after the listed ones), then records the agent owns, then the
 * most recent activity, then name and id (so the order is stable).
 *
 * Collapsing (the hidden records are returned in `collapsed`):
 * - an Account that is the parent (`accountId`) of a matched Contact is hidden: the Contact is the more
 *   specific answer and its page links to the Account;
 * - a Contact that is the person contact (`contactId`) of a matched Person Account is hidden: it is the same
 *   person, and the Person Account page is the one to open;
 * - a record id seen twice is kept once (the first occurrence).
 */

/** Object a matched record belongs to. `Custom` is the admin-chosen custom object (F20). */
export type MatchObjectType = 'PersonAccount' | 'Contact' | 'Lead' | 'Account' | 'Case' | 'Custom';

/** Object the agent may create when nobody matched. */
export type CreatableObjectType = 'Contact' | 'Lead' | 'PersonAccount' | 'Case' | 'Custom';

/** A record the server found for the call. Serialisable (it comes from Apex). */
export interface RecordMatch {
    /** Salesforce record id (for a Person Account: the Account id). */
    id: string;
    objectType: MatchObjectType;
    /** Display name (rendered as text, never as HTML). */
    name: string;
    /** Second line for the chooser, e.g. the company or the case subject. */
    subtitle?: string;
    /** Last activity or modification, ISO 8601 or epoch milliseconds; unparseable values rank as missing. */
    lastActivityAt?: string | number;
    /** The record is owned by the agent (ranked first within its object type). */
    ownerIsCurrentUser?: boolean;
    /** Field that matched, e.g. `MobilePhone`, `CaseNumber`. */
    matchedField?: string;
    /** Case: its CaseNumber. */
    caseNumber?: string;
    /** Case: closed. */
    isClosed?: boolean;
    /** Contact or Case: its AccountId. */
    accountId?: string;
    /** Case: its ContactId. Person Account: its PersonContactId (the id a Task needs as WhoId). */
    contactId?: string;
    /** Custom: the object's API name. */
    objectApiName?: string;
}

/** The caller's (or callee's) number as the phone-number module normalised it. */
export interface ScreenPopNumber {
    /** E.164 form, when the number is valid. */
    e164?: string | null;
    /** False for anonymous, emergency, short codes and invalid numbers: these are never searched. */
    searchable: boolean;
    /** Caller id withheld (`anonymous`, `Restricted`, empty). */
    anonymous?: boolean;
}

/** Direction of the call. */
export type ScreenPopDirection = 'inbound' | 'outbound';

/** What is known about the call when the phone decides. */
export interface ScreenPopInput {
    /** Records the server matched (in any order; the decision ranks them). */
    matches: readonly RecordMatch[];
    /** Digits the caller typed in the IVR (a case number), from the SIP headers. */
    ivrCaseCode?: string;
    number: ScreenPopNumber;
    direction: ScreenPopDirection;
    /** Outbound: id of the record the agent dialled from (click-to-dial). */
    dialledFromRecordId?: string;
    /** Outbound: that record's details, when the host has them and the search did not return it. */
    dialledFromRecord?: RecordMatch;
}

/** The admin-chosen custom object (F20) used when `Custom` is a create option. */
export interface CustomObjectRule {
    apiName: string;
    /** Field that receives the number on create. */
    phoneField: string;
}

/** Screen-pop configuration. Every field has a default (see {@link DEFAULT_SCREEN_POP_RULES}). */
export interface ScreenPopRules {
    /** Priority of object types; types not listed rank after the listed ones. */
    objectOrder?: readonly MatchObjectType[];
    /** One match opens the record (default true); when false the agent confirms in the chooser. */
    openSingleMatch?: boolean;
    /** Several matches but exactly one owned by the agent: open that one (default false). */
    preferOwnedRecords?: boolean;
    /** Objects offered when nobody matched, in this order. */
    createOptions?: readonly CreatableObjectType[];
    /** The org has Person Accounts (detected at run time); `PersonAccount` is offered only when true. */
    personAccountsEnabled?: boolean;
    /** Create a Case for every call (F6); the agent assigns it to a contact when none is known. */
    autoCreateCase?: boolean;
    /** Needed for the `Custom` create option. */
    customObject?: CustomObjectRule;
}

/** Defaults applied by {@link decideScreenPop} for rules left out. */
export const DEFAULT_SCREEN_POP_RULES: Readonly<Required<Omit<ScreenPopRules, 'customObject'>>> = {
    objectOrder: ['PersonAccount', 'Contact', 'Lead', 'Account', 'Case'],
    openSingleMatch: true,
    preferOwnedRecords: false,
    createOptions: ['Contact', 'Lead', 'Case'],
    personAccountsEnabled: false,
    autoCreateCase: false
};

/** A "new record" offer, ready for a `standard__objectPage` `new` navigation with default field values. */
export interface CreateRecordOption {
    kind: 'create';
    objectType: CreatableObjectType;
    /** Object to create (`Account` for a Person Account: the host picks the person record type). */
    objectApiName: string;
    /** Field API name -> value (the E.164 number in the object's phone field). */
    defaultFieldValues: Record<string, string>;
}

/** "Add this number to an existing record" (the UI lets the agent search for the record). */
export interface AttachNumberOption {
    kind: 'attach-number';
    e164: string;
}

/** One of the offers of a `create` decision. */
export type CreateOption = CreateRecordOption | AttachNumberOption;

/** The Case to create automatically for this call (F6), prefilled with what is known. */
export interface AutoCreateCase {
    objectApiName: 'Case';
    defaultFieldValues: Record<string, string>;
}

/** Why a record was opened without asking. */
export type OpenSource = 'dialled-from' | 'ivr-case' | 'single-match' | 'owned-by-me';

/** The contact a Task should name as WhoId, and the matched record for it when there is one. */
export interface WhoReference {
    whoId: string;
    record?: RecordMatch;
}

interface DecisionBase {
    /** Set when `autoCreateCase` is on and the call is not about an existing Case (IVR or dialled from one). */
    autoCreateCase: AutoCreateCase | null;
}

/** Open one record. */
export interface OpenDecision extends DecisionBase {
    action: 'open';
    record: RecordMatch;
    source: OpenSource;
    /** IVR case: the case's contact, for the Task's WhoId and the caller card. */
    who?: WhoReference;
    /** The other ranked candidates (the agent may switch). */
    alternatives: RecordMatch[];
    /** Records hidden by collapsing (see the module documentation). */
    collapsed: RecordMatch[];
}

/** Let the agent choose among ranked candidates. */
export interface ChooseDecision extends DecisionBase {
    action: 'choose';
    candidates: RecordMatch[];
    collapsed: RecordMatch[];
}

/** Nobody matched: offer to create a record or to attach the number to an existing one. */
export interface CreateDecision extends DecisionBase {
    action: 'create';
    options: CreateOption[];
}

/** Why nothing was searched. */
export type NoPopReason = 'anonymous' | 'not-searchable';

/** No search, no pop: "Unknown caller". */
export interface NoneDecision extends DecisionBase {
    action: 'none';
    reason: NoPopReason;
}

/** Result of {@link decideScreenPop}. */
export type ScreenPopDecision = OpenDecision | ChooseDecision | CreateDecision | NoneDecision;

/** Standard key prefixes: stable across orgs, used when only a record's id is known. */
const KEY_PREFIX_TYPES: Readonly<Record<string, MatchObjectType>> = {
    '001': 'Account',
    '003': 'Contact',
    '00Q': 'Lead',
    '500': 'Case'
};

/** The object type of a record known by its id only: from its standard key prefix, else `Custom`. */
export function objectTypeOfId(id: string): MatchObjectType {
    return KEY_PREFIX_TYPES[id.slice(0, 3)] ?? 'Custom';
}

/**
 * Decide what the phone shows for a call. Pure: same input, same output; the input is not modified.
 * See the module documentation for precedence, ranking and collapsing.
 */
export function decideScreenPop(input: ScreenPopInput, rules: ScreenPopRules = {}): ScreenPopDecision {
    const settings = withDefaults(rules);

    const dialledFrom = input.direction === 'outbound' ? findDialledFrom(input) : undefined;
    if (dialledFrom) {
        const { candidates, collapsed } = rankMatches(input.matches, settings);
        return {
            action: 'open',
            record: dialledFrom,
            source: 'dialled-from',
            alternatives: candidates.filter((c) => c.id !== dialledFrom.id),
            collapsed,
            autoCreateCase: dialledFrom.objectType === 'Case' ? null : autoCase(settings, input, dialledFrom)
        };
    }

    const ivrCase = findIvrCase(input);
    if (ivrCase) {
        const { candidates, collapsed } = rankMatches(input.matches, settings);
        const decision: OpenDecision = {
            action: 'open',
            record: ivrCase,
            source: 'ivr-case',
            alternatives: candidates.filter((c) => c.id !== ivrCase.id),
            collapsed,
            autoCreateCase: null
        };
        const who = caseContact(ivrCase, input.matches);
        if (who) decision.who = who;
        return decision;
    }

    const e164 = input.number.e164 ?? '';
    if (!input.number.searchable || e164 === '') {
        return {
            action: 'none',
            reason: input.number.anonymous ? 'anonymous' : 'not-searchable',
            autoCreateCase: autoCase(settings, input, undefined)
        };
    }

    const { candidates, collapsed } = rankMatches(input.matches, settings);
    if (candidates.length === 0) {
        return {
            action: 'create',
            options: createOptions(settings, e164),
            autoCreateCase: autoCase(settings, input, undefined)
        };
    }
    if (candidates.length === 1 && settings.openSingleMatch) {
        const record = candidates[0];
        return {
            action: 'open',
            record,
            source: 'single-match',
            alternatives: [],
            collapsed,
            autoCreateCase: autoCase(settings, input, record)
        };
    }
    if (candidates.length > 1 && settings.preferOwnedRecords) {
        const owned = candidates.filter((c) => c.ownerIsCurrentUser === true);
        if (owned.length === 1) {
            const record = owned[0];
            return {
                action: 'open',
                record,
                source: 'owned-by-me',
                alternatives: candidates.filter((c) => c !== record),
                collapsed,
                autoCreateCase: autoCase(settings, input, record)
            };
        }
    }
    return { action: 'choose', candidates, collapsed, autoCreateCase: autoCase(settings, input, undefined) };
}

/**
 * Collapse and rank matches (the ordering the chooser shows). Exported for the caller card and for tests.
 * @returns `candidates` best first, and the `collapsed` records that were hidden
 */
export function rankMatches(
    matches: readonly RecordMatch[],
    rules: ScreenPopRules = {}
): { candidates: RecordMatch[]; collapsed: RecordMatch[] } {
    const settings = withDefaults(rules);
    const unique: RecordMatch[] = [];
    const seen = new Set<string>();
    for (const match of matches) {
        if (!match || typeof match.id !== 'string' || match.id === '' || seen.has(match.id)) continue;
        seen.add(match.id);
        unique.push(match);
    }

    const contactParents = new Set(
        unique.filter((m) => m.objectType === 'Contact' && m.accountId).map((m) => m.accountId as string)
    );
    const personContacts = new Set(
        unique
            .filter((m) => m.objectType === 'PersonAccount' && m.contactId)
            .map((m) => m.contactId as string)
    );
    const candidates: RecordMatch[] = [];
    const collapsed: RecordMatch[] = [];
    for (const match of unique) {
        const isContactParent = match.objectType === 'Account' && contactParents.has(match.id);
        const isPersonContact = match.objectType === 'Contact' && personContacts.has(match.id);
        (isContactParent || isPersonContact ? collapsed : candidates).push(match);
    }

    const order = settings.objectOrder;
    const rank = (type: MatchObjectType): number => {
        const index = order.indexOf(type);
        return index === -1 ? order.length : index;
    };
    candidates.sort(
        (a, b) =>
            rank(a.objectType) - rank(b.objectType) ||
            Number(b.ownerIsCurrentUser === true) - Number(a.ownerIsCurrentUser === true) ||
            activityTime(b) - activityTime(a) ||
            compareText(a.name, b.name) ||
            compareText(a.id, b.id)
    );
    return { candidates, collapsed };
}

/** Who/What of a Task (F10). Empty when nothing is selected yet. */
export interface TaskRelations {
    whoId?: string;
    whatId?: string;
}

/** The fields of a record that {@link relatedRecordsForTask} reads. */
export type TaskSubject = Pick<RecordMatch, 'id' | 'objectType'> &
    Partial<Pick<RecordMatch, 'accountId' | 'contactId'>>;

/** Options of {@link relatedRecordsForTask}. */
export interface TaskRelationOptions {
    /** Contact: also set WhatId to the contact's Account (default false: the Task's AccountId is derived anyway). */
    relateContactAccount?: boolean;
}

/**
 * WhoId/WhatId for the call's Task, following Salesforce's rules:
 *
 * | record          | WhoId                         | WhatId                         |
 * |-----------------|-------------------------------|--------------------------------|
 * | Lead            | the lead                      | never (a Lead as WhoId forbids it) |
 * | Contact         | the contact                   | its Account, only with `relateContactAccount` |
 * | Person Account  | its person contact            | the account                    |
 * | Account         | -                             | the account                    |
 * | Case            | its contact (or the IVR `who`) | the case                      |
 * | Custom          | -                             | the record                     |
 *
 * Accepts a decision (only `open` names a record: `choose`/`create`/`none` give `{}`) or the record the agent
 * selected.
 */
export function relatedRecordsForTask(
    subject: ScreenPopDecision | TaskSubject,
    options: TaskRelationOptions = {}
): TaskRelations {
    if ('action' in subject) {
        if (subject.action !== 'open') return {};
        const relations = relatedRecordsForTask(subject.record, options);
        if (subject.who && subject.record.objectType !== 'Lead') relations.whoId = subject.who.whoId;
        return relations;
    }
    const relations: TaskRelations = {};
    switch (subject.objectType) {
        case 'Lead':
            relations.whoId = subject.id;
            break;
        case 'Contact':
            relations.whoId = subject.id;
            if (options.relateContactAccount && subject.accountId) relations.whatId = subject.accountId;
            break;
        case 'PersonAccount':
            if (subject.contactId) relations.whoId = subject.contactId;
            relations.whatId = subject.id;
            break;
        case 'Case':
            if (subject.contactId) relations.whoId = subject.contactId;
            relations.whatId = subject.id;
            break;
        case 'Account':
        case 'Custom':
            relations.whatId = subject.id;
            break;
    }
    return relations;
}

type Settings = Required<Omit<ScreenPopRules, 'customObject'>> & Pick<ScreenPopRules, 'customObject'>;

function withDefaults(rules: ScreenPopRules): Settings {
    return {
        objectOrder: rules.objectOrder ?? DEFAULT_SCREEN_POP_RULES.objectOrder,
        openSingleMatch: rules.openSingleMatch ?? DEFAULT_SCREEN_POP_RULES.openSingleMatch,
        preferOwnedRecords: rules.preferOwnedRecords ?? DEFAULT_SCREEN_POP_RULES.preferOwnedRecords,
        createOptions: rules.createOptions ?? DEFAULT_SCREEN_POP_RULES.createOptions,
        personAccountsEnabled: rules.personAccountsEnabled ?? DEFAULT_SCREEN_POP_RULES.personAccountsEnabled,
        autoCreateCase: rules.autoCreateCase ?? DEFAULT_SCREEN_POP_RULES.autoCreateCase,
        customObject: rules.customObject
    };
}

function findDialledFrom(input: ScreenPopInput): RecordMatch | undefined {
    const id = input.dialledFromRecordId || input.dialledFromRecord?.id;
    if (!id) return undefined;
    const matched = input.matches.find((m) => m && m.id === id);
    if (matched) return matched;
    if (input.dialledFromRecord && input.dialledFromRecord.id === id) return input.dialledFromRecord;
    // Only the id is known: standard key prefixes are stable across orgs; anything else relates as a What.
    return { id, objectType: objectTypeOfId(id), name: '' };
}

function findIvrCase(input: ScreenPopInput): RecordMatch | undefined {
    const code = normaliseCaseNumber(input.ivrCaseCode);
    if (code === '') return undefined;
    return input.matches.find(
        (m) => m && m.objectType === 'Case' && normaliseCaseNumber(m.caseNumber) === code
    );
}

/**
 * Case numbers are auto-numbers padded with zeros (`00001026`); callers type `1026` or `00001026`.
 * All-digit codes compare without leading zeros, others case-insensitively.
 */
function normaliseCaseNumber(value: string | undefined): string {
    const trimmed = (value ?? '').trim();
    if (/^\d+$/.test(trimmed)) return trimmed.replace(/^0+(?=\d)/, '');
    return trimmed.toUpperCase();
}

function caseContact(record: RecordMatch, matches: readonly RecordMatch[]): WhoReference | undefined {
    if (!record.contactId) return undefined;
    const matched = matches.find(
        (m) =>
            m &&
            ((m.objectType === 'Contact' && m.id === record.contactId) ||
                (m.objectType === 'PersonAccount' && m.contactId === record.contactId))
    );
    return matched ? { whoId: record.contactId, record: matched } : { whoId: record.contactId };
}

function createOptions(settings: Settings, e164: string): CreateOption[] {
    const options: CreateOption[] = [];
    const seen = new Set<CreatableObjectType>();
    for (const type of settings.createOptions) {
        if (seen.has(type)) continue;
        seen.add(type);
        if (type === 'PersonAccount' && !settings.personAccountsEnabled) continue;
        const option = createOption(type, e164, settings.customObject);
        if (option) options.push(option);
    }
    options.push({ kind: 'attach-number', e164 });
    return options;
}

function createOption(
    type: CreatableObjectType,
    e164: string,
    custom: CustomObjectRule | undefined
): CreateRecordOption | undefined {
    switch (type) {
        case 'Contact':
        case 'Lead':
            return {
                kind: 'create',
                objectType: type,
                objectApiName: type,
                defaultFieldValues: { Phone: e164 }
            };
        case 'PersonAccount':
            return {
                kind: 'create',
                objectType: type,
                objectApiName: 'Account',
                defaultFieldValues: { Phone: e164 }
            };
        case 'Case':
            return {
                kind: 'create',
                objectType: type,
                objectApiName: 'Case',
                defaultFieldValues: { SuppliedPhone: e164, Origin: 'Phone' }
            };
        case 'Custom':
            if (!custom || !custom.apiName || !custom.phoneField) return undefined;
            return {
                kind: 'create',
                objectType: type,
                objectApiName: custom.apiName,
                defaultFieldValues: { [custom.phoneField]: e164 }
            };
    }
}

function autoCase(
    settings: Settings,
    input: ScreenPopInput,
    record: RecordMatch | undefined
): AutoCreateCase | null {
    if (!settings.autoCreateCase) return null;
    const values: Record<string, string> = { Origin: 'Phone' };
    const e164 = input.number.searchable ? (input.number.e164 ?? '') : '';
    if (e164) values.SuppliedPhone = e164;
    if (record) {
        if (record.objectType === 'Contact') {
            values.ContactId = record.id;
            if (record.accountId) values.AccountId = record.accountId;
        } else if (record.objectType === 'PersonAccount') {
            values.AccountId = record.id;
            if (record.contactId) values.ContactId = record.contactId;
        } else if (record.objectType === 'Account') {
            values.AccountId = record.id;
        }
    }
    return { objectApiName: 'Case', defaultFieldValues: values };
}

function activityTime(match: RecordMatch): number {
    const value = match.lastActivityAt;
    const time = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
    return Number.isFinite(time) ? time : Number.NEGATIVE_INFINITY;
}

function compareText(a: string | undefined, b: string | undefined): number {
    const left = a ?? '';
    const right = b ?? '';
    return left < right ? -1 : left > right ? 1 : 0;
}
