/**
 * The wire-level helpers the fake SIP transport and server share: minimal audio SDP (direction, ICE ufrag),
 * tokens, header parsing, digest MD5, reason phrases, and {@link later} (how automatic answers are delivered).
 */
import { createHash } from 'crypto';

// ---------------------------------------------------------------------------------------------
// SDP helpers
// ---------------------------------------------------------------------------------------------

/** SDP media direction. */
export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** A minimal audio SDP with a direction and an ICE ufrag (changes on ICE restart). */
export function fakeSdp(direction: Direction = 'sendrecv', ufrag = 'peer'): string {
    return (
        [
            'v=0',
            'o=- 1 1 IN IP4 127.0.0.1',
            's=-',
            'c=IN IP4 127.0.0.1',
            't=0 0',
            'm=audio 4000 RTP/AVP 0 101',
            'a=rtpmap:0 PCMU/8000',
            'a=rtpmap:101 telephone-event/8000',
            `a=ice-ufrag:${ufrag}`,
            `a=${direction}`
        ].join('\r\n') + '\r\n'
    );
}

/** Direction of an SDP (sendrecv when absent). */
export function directionOf(sdp: string | undefined): Direction {
    const match = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(sdp ?? '');
    return (match?.[1] as Direction | undefined) ?? 'sendrecv';
}

/** ICE ufrag of an SDP. */
export function ufragOf(sdp: string | undefined): string | undefined {
    return /^a=ice-ufrag:(\S+)/m.exec(sdp ?? '')?.[1];
}

/** RFC 3264 answer direction for an offered direction. */
export function answerDirection(offer: Direction): Direction {
    switch (offer) {
        case 'sendonly':
            return 'recvonly';
        case 'recvonly':
            return 'sendonly';
        case 'inactive':
            return 'inactive';
        default:
            return 'sendrecv';
    }
}

// ---------------------------------------------------------------------------------------------
// Message plumbing
// ---------------------------------------------------------------------------------------------

let counter = 0;
/** A unique token (tags, branches, Call-IDs, nonces). */
export function token(prefix: string): string {
    counter++;
    return `${prefix}${counter.toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/**
 * Runs `fn` in a microtask. Not `queueMicrotask`: Jest's fake timers replace it, and these answers must
 * arrive like network input whatever the test does with time.
 */
export function later(fn: () => void): void {
    void Promise.resolve().then(() => {
        try {
            fn();
        } catch (error) {
            console.error('fake SIP server failed', error);
        }
    });
}

/** MD5 hex digest (SIP digest authentication). */
export function md5(text: string): string {
    return createHash('md5').update(text).digest('hex');
}

/** The tag parameter of a From/To header value. */
export function tagOf(header: string): string {
    const tag = /;\s*tag=([^;\s>]+)/i.exec(header)?.[1];
    if (!tag) {
        throw new Error(`no tag in ${header}`);
    }
    return tag;
}

/** The URI of a Contact header value. */
export function contactUri(header: string | undefined): string | undefined {
    if (!header) {
        return undefined;
    }
    const bracket = /<([^>]+)>/.exec(header);
    return (bracket ? bracket[1] : header.split(';')[0]).trim();
}

const REASONS: Record<number, string> = {
    100: 'Trying',
    180: 'Ringing',
    183: 'Session Progress',
    200: 'OK',
    202: 'Accepted',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    408: 'Request Timeout',
    480: 'Temporarily Unavailable',
    481: 'Call/Transaction Does Not Exist',
    486: 'Busy Here',
    487: 'Request Terminated',
    488: 'Not Acceptable Here',
    503: 'Service Unavailable',
    603: 'Decline'
};

/** The reason phrase of a status code. */
export function reasonFor(status: number): string {
    return REASONS[status] ?? 'Unknown';
}
