/**
 * Workbench implementation of `lightning/pageReferenceUtils`: the platform's `defaultFieldValues` encoding
 * (`field=value` pairs joined by commas, each part URI-encoded).
 */
import { decodeFieldValues } from 'wb/shell';

export function encodeDefaultFieldValues(values: Record<string, unknown>): string {
    return Object.entries(values ?? {})
        .filter(([, value]) => value !== undefined && value !== null)
        .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
        .join(',');
}

export function decodeDefaultFieldValues(text: string): Record<string, string> {
    return decodeFieldValues(text);
}
