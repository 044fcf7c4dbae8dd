/**
 * Reading a sip.js session and its answers: the SDP direction, the peer connection and its audio behind the Web
 * session description handler, the Call-ID, a sipfrag status and a final response as a failure. No state: plain
 * functions over what sip.js holds, used by {@link CallSession} and the phone's calls (`call-session.ts`
 * re-exports them).
 */
import type { Core, Session, SessionDescriptionHandler } from 'sip.js';

/** Media direction of an SDP body (first direction attribute; sendrecv when absent, RFC 3264). */
export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** Direction attribute of an SDP (session or first media level); `sendrecv` when none is present. */
export function sdpDirection(sdp: string | undefined): SdpDirection {
    const match = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(sdp ?? '');
    return (match?.[1] as SdpDirection | undefined) ?? 'sendrecv';
}

/** The parts of sip.js's Web SDH the adapter uses, read defensively (a custom SDH may lack them). */
interface WebSdhLike {
    peerConnection?: RTCPeerConnection;
    remoteMediaStream?: MediaStream;
}

/** The peer connection behind a session, when the SDH exposes one. */
export function peerConnectionOf(session: Session | undefined): RTCPeerConnection | undefined {
    const sdh = session?.sessionDescriptionHandler as (SessionDescriptionHandler & WebSdhLike) | undefined;
    return sdh?.peerConnection;
}

/** The Call-ID of a session's INVITE (an `Invitation`'s or an `Inviter`'s request), if known. */
export function sipCallIdOf(session: Session | undefined): string | undefined {
    const callId = (session as { request?: { callId?: unknown } } | undefined)?.request?.callId;
    return typeof callId === 'string' && callId !== '' ? callId : undefined;
}

/** The first audio sender of a session. */
export function audioSenderOf(session: Session | undefined): RTCRtpSender | undefined {
    const pc = peerConnectionOf(session);
    if (!pc) {
        return undefined;
    }
    const senders = pc.getSenders();
    return senders.find((s) => s.track?.kind === 'audio') ?? senders[0];
}

/** The remote audio stream of a session. */
export function remoteStreamOf(session: Session | undefined): MediaStream | undefined {
    const sdh = session?.sessionDescriptionHandler as (SessionDescriptionHandler & WebSdhLike) | undefined;
    return sdh?.remoteMediaStream;
}

/** A final non-2xx response as a failure: its status code and reason phrase. */
export function failureOf(response: Core.IncomingResponse): {
    kind: 'failed';
    code?: number;
    reason?: string;
} {
    return {
        kind: 'failed',
        code: response.message.statusCode,
        reason: response.message.reasonPhrase
    };
}

/** Status code of a `message/sipfrag` body ("SIP/2.0 200 OK"). */
export function sipfragStatus(body: string | undefined): number | undefined {
    const match = /^SIP\/2\.0\s+(\d{3})/.exec((body ?? '').trim());
    return match ? Number(match[1]) : undefined;
}
