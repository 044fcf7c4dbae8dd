/**
 * A callback the contact centre queued and places itself (issue 15 point 4): when an agent is Ready it rings the
 * agent's phone first with an INVITE marked as an outbound callback, then dials the customer once the agent
 * answers. This module classifies such an INVITE from its `X-CC-*` headers (see `docs/contact-centre-api.yaml`,
 * `createCallback`) into a {@link QueuedCallbackOffer} the phone shows as an outbound "Callback" call to the
 * customer, related to the callback's record without a lookup chooser (the pushed call record of the answered call
 * closes the callback Task in Salesforce).
 *
 * | field                 | header                        | accepted                                   | otherwise |
 * |-----------------------|-------------------------------|--------------------------------------------|-----------|
 * | (marker)              | X-CC-Direction                | `outbound` (any case)                      | not a callback |
 * | callbackId            | X-CC-Callback-Id              | visible ASCII id, up to 80                 | not a callback |
 * | attempt               | X-CC-Callback-Attempt         | an integer 1..99                           | 1, listed invalid |
 * | originalInteractionId | X-CC-Original-Interaction-Id  | visible ASCII id, up to 255                | dropped, listed invalid |
 * | relatedRecordId       | X-CC-Related-Record-Id        | a Salesforce id (15 or 18 letters/digits)  | dropped, listed invalid |
 * | callbackTaskId        | X-CC-Callback-Task-Id         | a Task id (`00T`, 15 or 18)                | dropped, listed invalid |
 * | customerNumber        | X-CC-Customer-Number          | `+`, digits, spaces, `-().` (2..16 digits) | dropped, listed invalid (the From number is used) |
 *
 * Duplicated headers: the first non-empty value wins and the header is listed in `duplicated`. Nothing here
 * throws, and nothing is escaped: values are ids and digits only, anything else is dropped.
 */
import type { DialContext } from '../session/types';

/** A queued callback as its INVITE announced it. */
export interface QueuedCallbackOffer {
    /** The contact centre's callback id. */
    callbackId: string;
    /** Which attempt this call is (1 for the first). */
    attempt: number;
    /** The interaction the customer asked for the callback in (or hung up in). */
    originalInteractionId?: string;
    /** The Salesforce record the call relates to (a Contact, Account, Lead or Case). */
    relatedRecordId?: string;
    /** The Salesforce callback Task the answered call closes. */
    callbackTaskId?: string;
    /** The customer the contact centre dials once the agent answers. */
    customerNumber?: string;
    /** Headers present more than once. */
    duplicated: string[];
    /** Headers present but unusable (dropped). */
    invalid: string[];
}

/** Header names of a queued callback's INVITE (canonical spelling; matched case-insensitively). */
export const QUEUED_CALLBACK_HEADERS = Object.freeze({
    direction: 'X-CC-Direction',
    callbackId: 'X-CC-Callback-Id',
    attempt: 'X-CC-Callback-Attempt',
    originalInteractionId: 'X-CC-Original-Interaction-Id',
    relatedRecordId: 'X-CC-Related-Record-Id',
    callbackTaskId: 'X-CC-Callback-Task-Id',
    customerNumber: 'X-CC-Customer-Number'
});

const ID = /^[\x21-\x7E]+$/;
const ID_FORBIDDEN = /[<>"'`\\]/;
const SALESFORCE_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;
const NUMBER = /^\+?[0-9 ()./-]+$/;
// Longer raw values are dropped unread: bounds the work on hostile 10 kB headers.
const RAW_CAP = 512;

/**
 * The queued callback an INVITE announces, or undefined when it is no callback (no `X-CC-Direction: outbound`
 * or no usable callback id). `values(name)` gives a header's values in order (lower-cased name).
 */
export function parseQueuedCallback(
    values: (lowerCaseName: string) => string[]
): QueuedCallbackOffer | undefined {
    const duplicated: string[] = [];
    const invalid: string[] = [];
    const read = (name: string): string | undefined => {
        const all = values(name.toLowerCase());
        if (all.length > 1) duplicated.push(name);
        for (const value of all) {
            const text = typeof value === 'string' ? value.trim() : '';
            if (text !== '') return text;
        }
        return undefined;
    };
    const readValid = (name: string, valid: (text: string) => boolean): string | undefined => {
        const text = read(name);
        if (text === undefined) return undefined;
        if (text.length <= RAW_CAP && valid(text)) return text;
        invalid.push(name);
        return undefined;
    };
    const H = QUEUED_CALLBACK_HEADERS;
    if (read(H.direction)?.toLowerCase() !== 'outbound') return undefined;
    const callbackId = readValid(H.callbackId, (text) => isId(text, 80));
    if (callbackId === undefined) return undefined;
    const offer: QueuedCallbackOffer = { callbackId, attempt: 1, duplicated, invalid };
    const attempt = readValid(H.attempt, (text) => /^[1-9][0-9]?$/.test(text));
    if (attempt !== undefined) offer.attempt = Number(attempt);
    const original = readValid(H.originalInteractionId, (text) => isId(text, 255));
    if (original !== undefined) offer.originalInteractionId = original;
    const related = readValid(H.relatedRecordId, (text) => SALESFORCE_ID.test(text));
    if (related !== undefined) offer.relatedRecordId = related;
    const task = readValid(H.callbackTaskId, (text) => SALESFORCE_ID.test(text) && text.startsWith('00T'));
    if (task !== undefined) offer.callbackTaskId = task;
    const number = readValid(H.customerNumber, isPhoneNumber);
    if (number !== undefined) offer.customerNumber = number;
    return offer;
}

/**
 * How the phone relates a queued callback's call: to the callback's record, as a click-to-dial from that record
 * would (the screen pop takes it without a chooser when the lookup finds it, F9); undefined without a record.
 */
export function queuedCallbackDialContext(offer: QueuedCallbackOffer | undefined): DialContext | undefined {
    return offer?.relatedRecordId ? { recordId: offer.relatedRecordId } : undefined;
}

/** What the call's view shows of a queued callback (`CallView.callback`). */
export function queuedCallbackView(offer: QueuedCallbackOffer): {
    callbackId: string;
    attempt: number;
    customerNumber?: string;
} {
    const view: { callbackId: string; attempt: number; customerNumber?: string } = {
        callbackId: offer.callbackId,
        attempt: offer.attempt
    };
    if (offer.customerNumber) view.customerNumber = offer.customerNumber;
    return view;
}

function isId(text: string, limit: number): boolean {
    return text.length <= limit && ID.test(text) && !ID_FORBIDDEN.test(text);
}

function isPhoneNumber(text: string): boolean {
    if (!NUMBER.test(text)) return false;
    const digits = text.replace(/[^0-9]/g, '').length;
    return digits >= 2 && digits <= 16 && text.indexOf('+') <= 0 && text.lastIndexOf('+') <= 0;
}
