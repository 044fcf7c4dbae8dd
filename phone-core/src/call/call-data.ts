/**
 * Call data carried by the contact centre in custom SIP headers of the INVITE (and, outbound, of
 * 18x/2xx responses), turned into a {@link CallData} the phone can trust to *store and display as
 * text*. Fault case 14: a header missing, duplicated or 10 kB long never stops the call ringing.
 *
 * Rules, per field (limits follow the Salesforce fields the data ends up in):
 *
 * | field          | header               | accepted                                   | limit | otherwise |
 * |----------------|----------------------|--------------------------------------------|-------|-----------|
 * | interactionId  | X-CC-Interaction-Id  | visible ASCII, no spaces, no `<>"'\``        | 255 (Task.CallObject) | generated, `generated: true` |
 * | campaignId     | X-CC-Campaign-Id     | same as interactionId                      | 80    | undefined |
 * | campaignName   | X-CC-Campaign-Name   | any text; control/bidi/zero-width removed, whitespace collapsed | 80 (Campaign.Name) | undefined |
 * | queue          | X-CC-Queue           | like campaignName                          | 80    | undefined |
 * | ivrCode        | X-CC-Ivr-Code        | digits, `*`, `#` (spaces, `-`, `.` removed) | 40    | undefined |
 * | wrapSeconds    | X-CC-Wrap-Seconds    | a decimal number, rounded, clamped 0..3600  | -     | undefined |
 * | recordingUrl   | X-CC-Recording-Url   | absolute `https:` URL without user:password | 255 (Task.Recording_Url__c; longer: dropped, not cut) | undefined |
 *
 * - Header names are matched case-insensitively; names can be overridden per contact centre.
 * - Duplicates (an array value, or two keys differing only in case): the first non-empty value wins and
 *   the canonical header name is listed in {@link CallData.duplicated}.
 * - Too long: cut (never inside a surrogate pair), name listed in {@link CallData.truncated}. The Apex
 *   side (I2) must cut interaction ids the same way so both paths produce the same key.
 * - Present but unusable: dropped, name listed in {@link CallData.invalid}.
 * - A queued callback's INVITE (`X-CC-Direction: outbound` + `X-CC-Callback-*`, issue 15 point 4) is
 *   classified by `callbacks/queued-callback.ts` into {@link CallData.callback}.
 * - Markup is NOT escaped here: values stay literal text (`<b>` stays `<b>`) and the renderer shows them
 *   as text (never innerHTML). Control characters, NUL, bidi overrides and lone surrogates are removed.
 */

import { parseQueuedCallback, type QueuedCallbackOffer } from '../callbacks/queued-callback';

/** Data about a call that the contact centre sends in custom SIP headers, cleaned and length-capped. */
export interface CallData {
    /** Interaction id (Task.CallObject, idempotency key). Always set: generated when the header is missing/unusable. */
    interactionId: string;
    /** True when {@link CallData.interactionId} was generated locally because the header was missing/unusable. */
    generated: boolean;
    campaignId?: string;
    campaignName?: string;
    queue?: string;
    /** Digits the caller typed in the IVR (e.g. a case number, F5). */
    ivrCode?: string;
    /** After-call work length in seconds (0..3600). */
    wrapSeconds?: number;
    /** Recording link (https only). */
    recordingUrl?: string;
    /** A callback the contact centre queued and places now (the agent is rung first), else undefined. */
    callback?: QueuedCallbackOffer;
    /** Canonical header names that were present more than once. */
    duplicated: string[];
    /** Canonical header names whose value was cut to the field limit. */
    truncated: string[];
    /** Canonical header names whose value was present but dropped as invalid. */
    invalid: string[];
}

/** Fields of {@link CallData} that come from a header. */
export type CallDataField =
    'interactionId' | 'campaignId' | 'campaignName' | 'queue' | 'ivrCode' | 'wrapSeconds' | 'recordingUrl';

/** Default header names (canonical spelling; matching is case-insensitive). */
export const CALL_DATA_HEADERS: Readonly<Record<CallDataField, string>> = Object.freeze({
    interactionId: 'X-CC-Interaction-Id',
    campaignId: 'X-CC-Campaign-Id',
    campaignName: 'X-CC-Campaign-Name',
    queue: 'X-CC-Queue',
    ivrCode: 'X-CC-Ivr-Code',
    wrapSeconds: 'X-CC-Wrap-Seconds',
    recordingUrl: 'X-CC-Recording-Url'
});

/** Length limits (UTF-16 code units, as Salesforce counts them). */
export const CALL_DATA_LIMITS = Object.freeze({
    interactionId: 255,
    campaignId: 80,
    campaignName: 80,
    queue: 80,
    ivrCode: 40,
    recordingUrl: 255,
    displayName: 120
});

/** Upper bound of {@link CallData.wrapSeconds} (one hour). */
export const MAX_WRAP_SECONDS = 3600;

/** Header values as a SIP stack hands them over: one value, several, or absent. */
export type SipHeaderMap = Record<string, string | string[] | undefined>;

/** Options of {@link parseCallData}. */
export interface CallDataConfig {
    /** Header names of this contact centre, when they differ from {@link CALL_DATA_HEADERS}. */
    headerNames?: Partial<Record<CallDataField, string>>;
    /** Generates the interaction id when none is usable (default {@link generateInteractionId}). */
    generateId?: () => string;
}

// Raw values longer than this are cut before cleaning: bounds the work on hostile 1 MB headers.
const RAW_INPUT_CAP = 16 * 1024;

// C0 and C1 controls, DEL, bidi embeddings/overrides/isolates, zero-width characters, BOM, and lone
// surrogates (in /u mode a surrogate range only matches unpaired halves).
/* eslint-disable no-control-regex -- matching control characters is the point */
const INVISIBLE =
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\uD800-\uDFFF]/gu;
// Tab, CR, LF, line/paragraph separators become spaces (then collapsed).
const LINE_BREAKS = /[\t\n\r\u2028\u2029\u0085]/g;
/* eslint-enable no-control-regex */
const ID_PATTERN = /^[\x21-\x7E]+$/;
const ID_FORBIDDEN = /[<>"'`\\]/;

/**
 * Reads the contact centre's custom SIP headers into a {@link CallData}. Never throws; see the module
 * documentation for the rules per field.
 */
export function parseCallData(
    headers: SipHeaderMap | undefined | null,
    config: CallDataConfig = {}
): CallData {
    const names: Record<CallDataField, string> = { ...CALL_DATA_HEADERS, ...definedOnly(config.headerNames) };
    const lookup = indexHeaders(headers);
    const data: CallData = {
        interactionId: '',
        generated: false,
        duplicated: [],
        truncated: [],
        invalid: []
    };

    const read = (field: CallDataField): string | undefined => {
        const name = names[field];
        const values = lookup.get(name.toLowerCase()) ?? [];
        if (values.length > 1) data.duplicated.push(name);
        for (const value of values) {
            const text = cleanText(value);
            if (text !== '') return text;
        }
        return undefined;
    };
    const cut = (field: CallDataField, text: string, limit: number): string => {
        if (text.length <= limit) return text;
        data.truncated.push(names[field]);
        return truncateText(text, limit);
    };
    const reject = (field: CallDataField): undefined => {
        data.invalid.push(names[field]);
        return undefined;
    };

    const readId = (field: 'interactionId' | 'campaignId', limit: number): string | undefined => {
        const raw = read(field);
        if (raw === undefined) return undefined;
        if (!ID_PATTERN.test(raw) || ID_FORBIDDEN.test(raw)) return reject(field);
        return cut(field, raw, limit);
    };

    const interactionId = readId('interactionId', CALL_DATA_LIMITS.interactionId);
    if (interactionId !== undefined) {
        data.interactionId = interactionId;
    } else {
        data.interactionId = (config.generateId ?? generateInteractionId)();
        data.generated = true;
    }

    const campaignId = readId('campaignId', CALL_DATA_LIMITS.campaignId);
    if (campaignId !== undefined) data.campaignId = campaignId;

    const campaignName = read('campaignName');
    if (campaignName !== undefined)
        data.campaignName = cut('campaignName', campaignName, CALL_DATA_LIMITS.campaignName);

    const queue = read('queue');
    if (queue !== undefined) data.queue = cut('queue', queue, CALL_DATA_LIMITS.queue);

    const ivr = read('ivrCode');
    if (ivr !== undefined) {
        const digits = ivr.replace(/[\s.-]/g, '');
        if (/^[0-9*#]+$/.test(digits)) data.ivrCode = cut('ivrCode', digits, CALL_DATA_LIMITS.ivrCode);
        else reject('ivrCode');
    }

    const wrap = read('wrapSeconds');
    if (wrap !== undefined) {
        const seconds = parseWrapSeconds(wrap);
        if (seconds !== undefined) data.wrapSeconds = seconds;
        else reject('wrapSeconds');
    }

    const url = read('recordingUrl');
    if (url !== undefined) {
        const safe = parseHttpsUrl(url);
        if (safe !== undefined) data.recordingUrl = safe;
        else reject('recordingUrl');
    }

    const callback = parseQueuedCallback((name) => lookup.get(name) ?? []);
    if (callback) data.callback = callback;

    return data;
}

/** Call data for a call that carried none (outbound dial, hard-coded test calls): a generated key only. */
export function createCallData(generateId: () => string = generateInteractionId): CallData {
    return { interactionId: generateId(), generated: true, duplicated: [], truncated: [], invalid: [] };
}

/**
 * `crypto.randomUUID()` when available (browsers in secure contexts, Node 19+), else a v4-shaped id
 * from `crypto.getRandomValues`, else from `Math.random` (last resort; uniqueness only matters per org).
 */
export function generateInteractionId(): string {
    const cryptoApi = (globalThis as { crypto?: Partial<Pick<Crypto, 'randomUUID' | 'getRandomValues'>> })
        .crypto;
    if (cryptoApi && typeof cryptoApi.randomUUID === 'function') return cryptoApi.randomUUID();
    const bytes = new Uint8Array(16);
    if (cryptoApi && typeof cryptoApi.getRandomValues === 'function') cryptoApi.getRandomValues(bytes);
    else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The caller's display name (From/P-Asserted-Identity display-name) as safe plain text: control
 * characters removed, surrounding quotes removed and `\"` / `\\` unescaped (RFC 3261 quoted-pair),
 * whitespace collapsed, capped at 120 characters. Markup is kept literally: `<img src=x onerror=alert(1)>`
 * is returned as is and must be rendered as text. Returns `''` when nothing is left.
 */
export function parseDisplayName(displayName: string | undefined | null): string {
    if (typeof displayName !== 'string') return '';
    let text = cleanText(displayName);
    if (text.length >= 2 && text.startsWith('"') && text.endsWith('"') && !text.endsWith('\\"')) {
        text = text.slice(1, -1);
    } else if (text.length >= 2 && text.startsWith('"') && text.endsWith('\\"')) {
        // `"abc\"` is an unterminated quoted-string: drop the opening quote only.
        text = text.slice(1);
    }
    text = text.replace(/\\(.)/g, '$1').trim();
    return truncateText(text, CALL_DATA_LIMITS.displayName);
}

/**
 * Removes control characters (incl. NUL), bidi controls, zero-width characters and lone surrogates;
 * turns line breaks and tabs into spaces; collapses whitespace; trims. Does not HTML-escape.
 */
export function cleanCallText(value: string): string {
    return cleanText(value);
}

/** Cuts `text` to at most `limit` UTF-16 code units without splitting a surrogate pair. */
export function truncateText(text: string, limit: number): string {
    if (text.length <= limit) return text;
    let cutText = text.slice(0, limit);
    const last = cutText.charCodeAt(cutText.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) cutText = cutText.slice(0, -1);
    return cutText.trimEnd();
}

function cleanText(value: string): string {
    const raw = value.length > RAW_INPUT_CAP ? value.slice(0, RAW_INPUT_CAP) : value;
    return raw.replace(LINE_BREAKS, ' ').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

function parseWrapSeconds(text: string): number | undefined {
    if (!/^[+-]?\d{1,12}(\.\d+)?$/.test(text)) return undefined;
    const seconds = Math.round(Number(text));
    if (!Number.isFinite(seconds)) return undefined;
    return Math.min(MAX_WRAP_SECONDS, Math.max(0, seconds));
}

function parseHttpsUrl(text: string): string | undefined {
    if (text.length > CALL_DATA_LIMITS.recordingUrl || /\s/.test(text)) return undefined;
    let url: URL;
    try {
        url = new URL(text);
    } catch {
        return undefined;
    }
    if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.hostname === '') {
        return undefined;
    }
    return url.href.length <= CALL_DATA_LIMITS.recordingUrl ? url.href : undefined;
}

/** Lower-cased header name -> values in order (keys differing only in case are merged). */
function indexHeaders(headers: SipHeaderMap | undefined | null): Map<string, string[]> {
    const index = new Map<string, string[]>();
    if (!headers || typeof headers !== 'object') return index;
    for (const [name, value] of Object.entries(headers)) {
        if (value === undefined || value === null) continue;
        const key = name.trim().toLowerCase();
        const list = index.get(key) ?? [];
        if (Array.isArray(value)) {
            for (const item of value) if (typeof item === 'string') list.push(item);
        } else if (typeof value === 'string') {
            list.push(value);
        }
        if (list.length > 0) index.set(key, list);
    }
    return index;
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
    const result: Partial<T> = {};
    if (!value) return result;
    for (const [key, item] of Object.entries(value)) {
        if (typeof item === 'string' && item.trim() !== '')
            (result as Record<string, unknown>)[key] = item.trim();
    }
    return result;
}
