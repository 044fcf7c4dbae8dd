/**
 * The contact centre's own calls for queued callbacks (acd/callback-queue.ts): a small back-to-back user agent on
 * the simulator's SIP endpoint. The rest of the simulator is a redirecting proxy (calls arrive and are sent on);
 * a queued callback has no caller, so the contact centre places both legs itself (RFC 3725, flow I: offerless
 * INVITE, the agent's offer carried to the customer, the customer's answer in the agent's ACK). Media then flows
 * directly between the two WebRTC endpoints; the simulator holds no media.
 *
 * ```text
 *  simulator ──INVITE (no SDP) + X-CC-Direction: outbound, X-CC-Callback-*──► Kamailio ──► agent's phone
 *  simulator ◄──200 OK (SDP offer)──────────────────────────────────────────── agent answers (offer answered)
 *  simulator ──INVITE (the agent's offer)──► Kamailio ──► customer (rings; the ACD reports progress)
 *  simulator ◄──200 OK (SDP answer)───────── customer answers
 *  simulator ──ACK──► customer; ──ACK (the customer's answer)──► agent        (connected, one interaction)
 *  BYE from either side: 200, BYE to the other side, the ACD hears who hung up
 * ```
 *
 * Kamailio relays INVITEs from the simulator's endpoint to the registered user without credentials
 * (kamailio.cfg.tpl) and record-routes them, so in-dialog requests come back here. Limits: no retransmission of
 * requests (loopback UDP), re-INVITEs from either side are declined with 488 (the session stays as it was), and an
 * unanswered customer is given up by Kamailio's INVITE timer or the agent's hang-up (CANCEL).
 */
import { randomBytes } from 'node:crypto';
import type { AgentEndpoint, HangupParty, OfferedCall, SignallingOfferResult } from '../acd/signalling';
import {
    buildResponse,
    cseqOf,
    headerSafe,
    headerValue,
    headerValues,
    parseNameAddr,
    type SipRequest,
    type SipResponse
} from './sip-message';

/** What the B2BUA needs from the signalling it serves. */
export interface CallbackB2buaPorts {
    /** The simulator's SIP endpoint port (Via, Contact). */
    localPort: number;
    /** The SIP domain of users' URIs. */
    domain: string;
    /** Sends a datagram to Kamailio. */
    send(data: Buffer): void;
    /** The ACD's reports. */
    customerProgress(interactionId: string, status: number): void;
    hangup(interactionId: string, by: HangupParty): void;
    log(line: string): void;
}

interface Leg {
    callId: string;
    fromTag: string;
    toTag: string;
    branch: string;
    uri: string;
    from: string;
    to: string;
    cseq: number;
    /** Route set (reverse Record-Route of the 2xx) and remote target, once answered. */
    routes: string[];
    target: string;
    answered: boolean;
    acked: Buffer | undefined;
    final: boolean;
    ended: boolean;
}

interface CallbackCall {
    interactionId: string;
    agent: Leg;
    customer: Leg | undefined;
    customerNumber: string;
    presentation: string;
    offerSdp: string;
    resolve: ((result: SignallingOfferResult) => void) | undefined;
}

/** The offer result of an agent's final response to the callback's INVITE (as for inbound offers). */
function agentResult(status: number): SignallingOfferResult {
    if (status >= 200 && status < 300) return 'answered';
    if (status === 486 || status === 600 || status === 603 || status === 480) return 'rejected';
    if (status === 408) return 'timeout';
    if (status === 487) return 'cancelled';
    return 'failed';
}

const token = (bytes = 6) => randomBytes(bytes).toString('hex');

/** See the module documentation. */
export class CallbackB2bua {
    private readonly byInteraction = new Map<string, CallbackCall>();
    private readonly byCallId = new Map<string, { call: CallbackCall; side: 'agent' | 'customer' }>();

    constructor(private readonly ports: CallbackB2buaPorts) {}

    /** Rings the agent with an offerless INVITE marked as the callback; resolves with how the offer ended. */
    offer(
        agent: AgentEndpoint,
        call: OfferedCall,
        headers: [string, string][],
        signal: AbortSignal
    ): Promise<SignallingOfferResult> {
        return new Promise((resolve) => {
            const customerNumber = call.calleeNumber ?? '';
            const leg = this.newLeg(
                `sip:${agent.sipUser}@${this.ports.domain}`,
                `<sip:${customerNumber || 'callback'}@${this.ports.domain}>`,
                `<sip:${agent.sipUser}@${this.ports.domain}>`
            );
            const callback: CallbackCall = {
                interactionId: call.interactionId,
                agent: leg,
                customer: undefined,
                customerNumber,
                presentation: call.callerNumber ?? 'callback',
                offerSdp: '',
                resolve
            };
            this.byInteraction.set(call.interactionId, callback);
            this.byCallId.set(leg.callId, { call: callback, side: 'agent' });
            signal.addEventListener(
                'abort',
                () => {
                    if (leg.final) return;
                    this.settle(callback, 'cancelled');
                    this.sendCancel(leg);
                },
                { once: true }
            );
            this.sendInvite(leg, headers, '');
            this.ports.log(`callback ${call.interactionId}: INVITE -> ${agent.sipUser}`);
        });
    }

    /** The agent answered: dial the customer with the agent's offer. */
    dialCustomer(interactionId: string): void {
        const call = this.byInteraction.get(interactionId);
        if (!call || call.customer || call.agent.ended) return;
        const leg = this.newLeg(
            `sip:${call.customerNumber}@${this.ports.domain}`,
            `<sip:${call.presentation}@${this.ports.domain}>`,
            `<sip:${call.customerNumber}@${this.ports.domain}>`
        );
        call.customer = leg;
        this.byCallId.set(leg.callId, { call, side: 'customer' });
        this.sendInvite(leg, [['X-CC-Interaction-Id', interactionId]], call.offerSdp);
        this.ports.log(`callback ${interactionId}: INVITE -> customer ${call.customerNumber}`);
    }

    /** The Call-ID of the agent's leg (the call record's leg), or of the interaction of a Call-ID. */
    agentCallId(interactionId: string): string | undefined {
        return this.byInteraction.get(interactionId)?.agent.callId;
    }

    /** The interaction a Call-ID of either leg belongs to. */
    interactionOf(callId: string): string | undefined {
        return this.byCallId.get(callId)?.call.interactionId;
    }

    /** The ACD ended the call itself: both legs go. */
    hangup(interactionId: string): void {
        const call = this.byInteraction.get(interactionId);
        if (!call) return;
        for (const leg of [call.agent, call.customer]) if (leg) this.endLeg(leg);
    }

    /** A response from Kamailio; false when it is not one of the B2BUA's. */
    onResponse(response: SipResponse): boolean {
        const callId = headerValue(response, 'call-id') ?? '';
        const entry = this.byCallId.get(callId);
        if (!entry) return false;
        const leg = entry.side === 'agent' ? entry.call.agent : entry.call.customer!;
        const cseq = cseqOf(response);
        if (cseq.method !== 'INVITE') return true; // answers to BYE / CANCEL
        if (response.status < 200) return true;
        const toTag = parseNameAddr(headerValue(response, 'to') ?? '').params.tag ?? '';
        if (response.status >= 300) {
            this.ackFailure(leg, toTag);
            if (!leg.final) {
                leg.final = true;
                leg.ended = true;
                this.failed(entry.call, entry.side, response.status);
            }
            return true;
        }
        if (leg.acked) {
            this.ports.send(leg.acked); // a retransmitted 2xx: the same ACK again
            return true;
        }
        if (leg.final) return true; // answered while we wait for the other side: the ACK follows
        leg.final = true;
        leg.answered = true;
        leg.toTag = toTag;
        leg.to = `${leg.to};tag=${toTag}`;
        leg.routes = headerValues(response, 'record-route')
            .flatMap((value) => value.split(/,(?=\s*<)/).map((part) => part.trim()))
            .reverse();
        leg.target = parseNameAddr(headerValue(response, 'contact') ?? '').uri || leg.uri;
        this.answered(entry.call, entry.side, response.body);
        return true;
    }

    /** An in-dialog request of a B2BUA leg (BYE, re-INVITE, ACK, INFO); false when it is not one. */
    onRequest(request: SipRequest, reply: (data: Buffer) => void): boolean {
        const entry = this.byCallId.get(headerValue(request, 'call-id') ?? '');
        if (!entry) return false;
        if (request.method === 'ACK') return true;
        if (request.method === 'INVITE') {
            reply(buildResponse(request, 488, 'Not Acceptable Here'));
            return true;
        }
        reply(buildResponse(request, 200, 'OK'));
        if (request.method !== 'BYE') return true;
        const { call, side } = entry;
        const leg = side === 'agent' ? call.agent : call.customer;
        if (!leg || leg.ended) return true;
        leg.ended = true;
        const other = side === 'agent' ? call.customer : call.agent;
        if (other) this.endLeg(other);
        this.ports.log(`callback ${call.interactionId}: BYE from the ${side}`);
        this.ports.hangup(call.interactionId, side === 'agent' ? 'agent' : 'customer');
        return true;
    }

    // ------------------------------------------------------------------ legs

    private answered(call: CallbackCall, side: 'agent' | 'customer', body: string): void {
        if (side === 'agent') {
            call.offerSdp = body;
            this.settle(call, 'answered'); // the ACD dials the customer (dialCustomer)
            return;
        }
        this.ack(call.customer!, '');
        this.ack(call.agent, body); // the customer's answer completes the agent's offer
        this.ports.log(`callback ${call.interactionId}: bridged`);
        this.ports.customerProgress(call.interactionId, 200);
    }

    private failed(call: CallbackCall, side: 'agent' | 'customer', status: number): void {
        if (side === 'agent') {
            this.settle(call, agentResult(status));
            return;
        }
        // the customer did not answer: the agent's leg ends (ACK then BYE), the ACD counts the attempt
        this.endLeg(call.agent);
        this.ports.customerProgress(call.interactionId, status);
    }

    private settle(call: CallbackCall, result: SignallingOfferResult): void {
        const resolve = call.resolve;
        call.resolve = undefined;
        resolve?.(result);
    }

    /** Ends a leg: CANCEL while it rings, ACK (when still owed) and BYE once answered. */
    private endLeg(leg: Leg): void {
        if (leg.ended) return;
        leg.ended = true;
        if (!leg.answered) {
            if (!leg.final) this.sendCancel(leg);
            return;
        }
        if (!leg.acked) this.ack(leg, '');
        this.sendInDialog(leg, 'BYE', '');
    }

    private newLeg(uri: string, from: string, to: string): Leg {
        const fromTag = token();
        return {
            callId: `cb-${token(10)}`,
            fromTag,
            toTag: '',
            branch: `z9hG4bK${token(8)}`,
            uri,
            from: `${from};tag=${fromTag}`,
            to,
            cseq: 1,
            routes: [],
            target: uri,
            answered: false,
            acked: undefined,
            final: false,
            ended: false
        };
    }

    private sendInvite(leg: Leg, headers: [string, string][], sdp: string): void {
        this.ports.send(
            this.message(`INVITE ${leg.uri}`, leg, leg.branch, leg.cseq, 'INVITE', [], headers, sdp, true)
        );
    }

    private sendCancel(leg: Leg): void {
        this.ports.send(
            this.message(`CANCEL ${leg.uri}`, leg, leg.branch, leg.cseq, 'CANCEL', [], [], '', false)
        );
    }

    /** The hop-by-hop ACK of a non-2xx final response (same branch as the INVITE). */
    private ackFailure(leg: Leg, toTag: string): void {
        const to = toTag ? `${leg.to};tag=${toTag}` : leg.to;
        this.ports.send(
            this.message(`ACK ${leg.uri}`, { ...leg, to }, leg.branch, leg.cseq, 'ACK', [], [], '', false)
        );
    }

    /** The end-to-end ACK of a 2xx (a new branch, through the route set), kept for retransmitted 2xx. */
    private ack(leg: Leg, sdp: string): void {
        const data = this.message(
            `ACK ${leg.target}`,
            leg,
            `z9hG4bK${token(8)}`,
            leg.cseq,
            'ACK',
            leg.routes,
            [],
            sdp,
            false
        );
        leg.acked = data;
        this.ports.send(data);
    }

    private sendInDialog(leg: Leg, method: string, sdp: string): void {
        leg.cseq += 1;
        this.ports.send(
            this.message(
                `${method} ${leg.target}`,
                leg,
                `z9hG4bK${token(8)}`,
                leg.cseq,
                method,
                leg.routes,
                [],
                sdp,
                false
            )
        );
    }

    private message(
        requestLine: string,
        leg: Pick<Leg, 'callId' | 'from' | 'to'>,
        branch: string,
        cseq: number,
        method: string,
        routes: string[],
        extra: [string, string][],
        sdp: string,
        contact: boolean
    ): Buffer {
        const lines = [
            `${requestLine} SIP/2.0`,
            `Via: SIP/2.0/UDP 127.0.0.1:${this.ports.localPort};branch=${branch};rport`,
            'Max-Forwards: 70',
            ...routes.map((route) => `Route: ${route}`),
            `From: ${leg.from}`,
            `To: ${leg.to}`,
            `Call-ID: ${leg.callId}`,
            `CSeq: ${cseq} ${method}`
        ];
        if (contact) lines.push(`Contact: <sip:callback@127.0.0.1:${this.ports.localPort}>`);
        for (const [name, value] of extra) lines.push(`${name}: ${headerSafe(value)}`);
        if (sdp) lines.push('Content-Type: application/sdp');
        lines.push(`Content-Length: ${Buffer.byteLength(sdp, 'utf8')}`, '', sdp);
        return Buffer.from(lines.join('\r\n'), 'utf8');
    }
}
