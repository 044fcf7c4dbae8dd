/**
 * Phone keys exactly as the Apex computes them: `PhoneKeys.storageKey` is the Apex port of phone-core's
 * `fallbackStorageKey`, so the local org uses phone-core's own function (one algorithm, two runtimes), and
 * `PhoneKeys.isSearchKey`'s rule for what the browser may send.
 */
import { fallbackStorageKey } from '../../phone-core/src/phone-number';

/** Longest key stored in Phone_Key__c.Normalized_Number__c (PhoneKeys.MAX_KEY_LENGTH). */
export const MAX_KEY_LENGTH = 40;

const SEARCH_KEY = /^\+?[0-9]{4,20}$/;

/** The storage key of a stored phone value, or null (PhoneKeys.storageKey). */
export function storageKey(raw: string): string | null {
    return fallbackStorageKey(raw);
}

/** Whether a value from the browser has the shape of a search key (PhoneKeys.isSearchKey). */
export function isSearchKey(key: unknown): key is string {
    return typeof key === 'string' && SEARCH_KEY.test(key);
}
