/**
 * The little SIP the simulator's endpoint needs: parse the requests Kamailio relays to it over UDP
 * (INVITE, CANCEL, ACK) and build responses to them. Not a general SIP stack: one message per
 * datagram, no multipart bodies, header values kept as received.
 */

/** Compact header forms (RFC 3261 section 7.3.3 and extensions) -> canonical lower-case names. */
const COMPACT: Record<string, string> = {
    v: 'via',
    f: 'from',
    t: 'to',
    i: 'call-id',
    m: 'contact',
    l: 'content-length',
    c: 'content-type',
    k: 'supported',
    s: 'subject',
    e: 'content-encoding',
    o: 'event',
    r: 'refer-to',
    b: 'referred-by',
    x: 'session-expires'
};

/** A parsed SIP request. */
export interface SipRequest {
    method: string;
    uri: string;
    /** Headers in order as [name as received, value]. */
    headers: [string, string][];
    body: string;
}

/** A parsed `name-addr` / `addr-spec` (From, To, P-Asserted-Identity, Contact). */
export interface NameAddr {
    displayName: string | null;
    uri: string;
    /** The user part of a sip:/sips:/tel: URI, percent-decoded; null without one. */
    user: string | null;
    params: Record<string, string>;
}

function canonical(name: string): string {
    const lower = name.trim().toLowerCase();
    return COMPACT[lower] ?? lower;
}

/**
 * Parses one request.
 * @throws Error when the datagram is not a SIP request
 */
export function parseSipRequest(data: Buffer | string): SipRequest {
    const { start, headers, body } = splitMessage(data);
    const line = /^([A-Za-z]+) (\S+) SIP\/2\.0$/.exec(start);
    if (!line) throw new Error(`Not a SIP request: ${JSON.stringify(start.slice(0, 80))}`);
    return { method: line[1]!.toUpperCase(), uri: line[2]!, headers, body };
}

/** A SIP response as read from the wire (the B2BUA of queued callbacks reads its answers). */
export interface SipResponse {
    status: number;
    reason: string;
    /** Headers in order as [name as received, value]. */
    headers: [string, string][];
    body: string;
}

/**
 * Parses a SIP response (status line, headers, body).
 * @throws Error when the start line is not a SIP/2.0 status line
 */
export function parseSipResponse(data: Buffer | string): SipResponse {
    const { start, headers, body } = splitMessage(data);
    const line = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(start);
    if (!line) throw new Error(`Not a SIP response: ${JSON.stringify(start.slice(0, 80))}`);
    return { status: Number(line[1]), reason: line[2] ?? '', headers, body };
}

function splitMessage(data: Buffer | string): { start: string; headers: [string, string][]; body: string } {
    const text = typeof data === 'string' ? data : data.toString('utf8');
    const headerEnd = text.indexOf('\r\n\r\n');
    const head = headerEnd >= 0 ? text.slice(0, headerEnd) : text;
    const body = headerEnd >= 0 ? text.slice(headerEnd + 4) : '';
    // Folded header lines (obsolete, still legal) continue with whitespace.
    const lines = head.replace(/\r\n[ \t]+/g, ' ').split('\r\n');
    const headers: [string, string][] = [];
    for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
    }
    return { start: lines[0] ?? '', headers, body };
}

export function headerValues(request: Pick<SipRequest, 'headers'>, name: string): string[] {
    const wanted = canonical(name);
    return request.headers.filter(([key]) => canonical(key) === wanted).map(([, value]) => value);
}

/** The first value of a header, or undefined. */
export function headerValue(request: Pick<SipRequest, 'headers'>, name: string): string | undefined {
    return headerValues(request, name)[0];
}

/** The user part of a SIP/TEL URI (`sip:alice@host;x=y` -> `alice`), percent-decoded. */
export function uriUser(uri: string): string | null {
    const match = /^(?:sips?|tel):([^@;?>]*)(@|$|;|\?)/i.exec(uri.trim());
    if (!match) return null;
    if (match[2] !== '@' && !/^tel:/i.test(uri.trim())) return null;
    try {
        return decodeURIComponent(match[1]!) || null;
    } catch {
        return match[1]! || null;
    }
}

function unquote(quoted: string): string {
    return quoted.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** Parses `"Name" <sip:user@host>;tag=x`, `Name <sip:...>` or `sip:user@host;tag=x`. */
export function parseNameAddr(value: string): NameAddr {
    let rest = value.trim();
    let displayName: string | null = null;
    let uri: string;
    const quoted = /^"((?:[^"\\]|\\.)*)"\s*/.exec(rest);
    if (quoted) {
        displayName = unquote(`"${quoted[1]}"`);
        rest = rest.slice(quoted[0].length);
    }
    const angle = rest.indexOf('<');
    if (angle >= 0) {
        if (displayName === null) {
            const token = rest.slice(0, angle).trim();
            displayName = token === '' ? null : token;
        }
        const close = rest.indexOf('>', angle);
        uri = rest.slice(angle + 1, close >= 0 ? close : undefined);
        rest = close >= 0 ? rest.slice(close + 1) : '';
    } else {
        const semi = rest.indexOf(';');
        uri = semi >= 0 ? rest.slice(0, semi) : rest;
        rest = semi >= 0 ? rest.slice(semi) : '';
    }
    const params: Record<string, string> = {};
    for (const part of rest.split(';')) {
        const trimmed = part.trim();
        if (!trimmed) continue;
        const eq = trimmed.indexOf('=');
        params[(eq >= 0 ? trimmed.slice(0, eq) : trimmed).toLowerCase()] =
            eq >= 0 ? trimmed.slice(eq + 1) : '';
    }
    return {
        displayName: displayName === '' ? null : displayName,
        uri: uri.trim(),
        user: uriUser(uri),
        params
    };
}

/** The `branch` parameter of the top Via: identifies the transaction. */
export function topViaBranch(request: SipRequest): string | undefined {
    const via = headerValue(request, 'via');
    if (!via) return undefined;
    const first = via.split(',')[0]!;
    return /;\s*branch=([^;,\s]+)/i.exec(first)?.[1];
}

/** The CSeq number and method. */
export function cseqOf(request: Pick<SipRequest, 'headers'>): { seq: string; method: string } {
    const [seq = '', method = ''] = (headerValue(request, 'cseq') ?? '').split(/\s+/);
    return { seq, method: method.toUpperCase() };
}

/** Strips CR/LF and other control characters so a value is safe on one header line. */
export function headerSafe(value: string): string {
    // eslint-disable-next-line no-control-regex
    return value.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

/**
 * Builds a response to `request`: Via, From, To (with `toTag` on non-100 responses when the
 * request's To has none), Call-ID and CSeq copied, then `extra` headers, no body.
 */
export function buildResponse(
    request: SipRequest,
    status: number,
    reason: string,
    options: { toTag?: string; extra?: [string, string][] } = {}
): Buffer {
    const lines = [`SIP/2.0 ${status} ${headerSafe(reason)}`];
    for (const [name, value] of request.headers) {
        const key = canonical(name);
        if (key === 'via' || key === 'from' || key === 'call-id' || key === 'cseq')
            lines.push(`${name}: ${value}`);
        if (key === 'to') {
            const hasTag = /;\s*tag=/i.test(value);
            lines.push(
                `${name}: ${value}${!hasTag && status > 100 && options.toTag ? `;tag=${options.toTag}` : ''}`
            );
        }
    }
    for (const [name, value] of options.extra ?? []) lines.push(`${name}: ${headerSafe(value)}`);
    lines.push('Server: ccphone-simulator', 'Content-Length: 0', '', '');
    return Buffer.from(lines.join('\r\n'), 'utf8');
}
