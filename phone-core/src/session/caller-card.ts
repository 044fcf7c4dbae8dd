/**
 * The caller card (F3, F4, F9) and the Task's related record (F7, F9, F10), built from the normalised number,
 * the SIP display name and the screen-pop decision. Pure functions.
 *
 * Every text here comes from the caller or the CRM: it is plain text for the renderer (never HTML).
 */
import { cleanCallText, truncateText, CALL_DATA_LIMITS } from '../call/call-data';
import { formatForDisplay, normalizePhoneNumber, type PhoneNumberOptions } from '../phone-number';
import {
    objectTypeOfId,
    relatedRecordsForTask,
    type RecordMatch,
    type ScreenPopDecision,
    type TaskRelationOptions
} from '../screen-pop/screen-pop';
import type { CallerCard, RecordRef, RelatedRecord, RelatedRecordSource } from './types';

/** A caller card before any lookup: number and display name only. */
export function callerCardFor(
    rawNumber: string,
    displayName: string | undefined,
    options: PhoneNumberOptions
): CallerCard {
    const normalized = normalizePhoneNumber(rawNumber ?? '', options);
    const name = truncateText(cleanCallText(displayName ?? ''), CALL_DATA_LIMITS.displayName);
    const numberDisplay = formatForDisplay(rawNumber ?? '', options);
    const card: CallerCard = {
        rawNumber: truncateText(cleanCallText(rawNumber ?? ''), 255),
        e164: normalized.e164,
        numberKind: normalized.kind,
        numberDisplay,
        displayName: name,
        name,
        company: '',
        unknown: name === '' && numberDisplay === '',
        record: null,
        matchCount: 0
    };
    if (normalized.extension) card.extension = normalized.extension;
    return card;
}

/** The card once the screen pop decided: the opened record's name and company win over the display name. */
export function cardWithDecision(card: CallerCard, decision: ScreenPopDecision): CallerCard {
    const next: CallerCard = { ...card, record: null, matchCount: candidatesOf(decision).length };
    if (decision.action === 'open') {
        const record = decision.record;
        // IVR case: the card is about the person (the case's contact) when the lookup found them
        const person = record.objectType === 'Case' ? decision.who?.record : undefined;
        const shown = person ?? record;
        next.record = record;
        next.name = shown.name || card.displayName;
        next.company = shown.subtitle ?? '';
    } else {
        next.name = card.displayName;
        next.company = '';
    }
    next.unknown = next.name === '' && next.numberDisplay === '';
    return next;
}

/** Records the agent can relate the Task to: the opened one and its alternatives, or the chooser's. */
export function candidatesOf(decision: ScreenPopDecision | null): RecordMatch[] {
    if (!decision) return [];
    if (decision.action === 'open') return [decision.record, ...decision.alternatives];
    if (decision.action === 'choose') return [...decision.candidates];
    return [];
}

/** The related record a decision implies (only `open` names one). */
export function relatedFromDecision(
    decision: ScreenPopDecision,
    options: TaskRelationOptions
): RelatedRecord | null {
    if (decision.action !== 'open') return null;
    const relations = relatedRecordsForTask(decision, options);
    const related: RelatedRecord = {
        id: decision.record.id,
        objectType: decision.record.objectType,
        name: decision.record.name,
        source: decision.source === 'dialled-from' ? 'dialled-from' : 'screen-pop'
    };
    if (relations.whoId) related.whoId = relations.whoId;
    if (relations.whatId) related.whatId = relations.whatId;
    return related;
}

/** The related record for a record the agent picked (a candidate, the record on screen, a search result). */
export function relatedFromRecord(
    record: RecordMatch,
    source: RelatedRecordSource,
    options: TaskRelationOptions
): RelatedRecord {
    const relations = relatedRecordsForTask(record, options);
    const related: RelatedRecord = {
        id: record.id,
        objectType: record.objectType,
        name: record.name,
        source
    };
    if (relations.whoId) related.whoId = relations.whoId;
    if (relations.whatId) related.whatId = relations.whatId;
    return related;
}

/** Salesforce ids are 15 or 18 alphanumeric characters. */
export function isRecordId(value: unknown): value is string {
    return typeof value === 'string' && /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(value);
}

/** A {@link RecordRef} as a match; the type is guessed from standard key prefixes when not given. */
export function matchFromRef(ref: RecordRef): RecordMatch {
    const match: RecordMatch = {
        id: ref.id,
        objectType: ref.objectType ?? objectTypeOfId(ref.id),
        name: truncateText(cleanCallText(ref.name ?? ''), 255)
    };
    if (ref.accountId) match.accountId = ref.accountId;
    if (ref.contactId) match.contactId = ref.contactId;
    return match;
}
