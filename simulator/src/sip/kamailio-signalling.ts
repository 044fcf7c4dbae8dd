/**
 * The ACD's {@link CallSignalling} over a real SIP server: Kamailio (see `simulator/kamailio/kamailio.cfg.tpl`)
 * registers agents and customers over WebSocket and relays every initial INVITE to this class's UDP
 * endpoint, which "parks" it until the ACD decides.
 *
 * ```text
 *  customer ──INVITE cmp-support──► Kamailio ──INVITE──► simulator endpoint (100 Trying; queued)
 *                                                          │ ACD offers agt-101
 *                                      Kamailio ◄──302 X-Sim-Target: agt-101, X-Sim-Headers: X-CC-*
 *           agent ◄──INVITE + X-CC-*── Kamailio
 *           agent ──486/480/408, or 487 after the ACD's CANCEL (tm.cancel RPC)──► Kamailio
 *                                      Kamailio ──INVITE + X-Sim-Result: 486──► endpoint (re-queued / final)
 *           agent ──200 OK──► Kamailio ──HTTP GET /answered──► this class (offer answered)
 *           BYE / CANCEL passing Kamailio ──HTTP GET /bye, /cancel──► this class (hang-up)
 * ```
 *
 * Outcomes map to the ACD's {@link SignallingOfferResult}: 200 -> answered; 486/600/603/480 ->
 * rejected; 408 -> timeout; 487 (the ACD cancelled) -> cancelled; anything else (404 not
 * registered, 5xx) -> failed. A call the ACD gives up on gets 486 when every agent declined it,
 * else 480.
 *
 * Agents calling a number that is neither a campaign nor an agent are outbound calls of the ACD
 * (`outgoingCall`), routed to the customer registered as that number. Agent-to-agent calls and a
 * customer's INVITE after a REFER (`X-Transfer-Of: <Call-ID>` carries the interaction's data over)
 * are routed directly, outside the ACD; those that belong to an interaction are reported as its legs
 * (`onTransferLeg`, see transfer-legs.ts), and the answer and end of a transferred customer's call as a leg
 * of the interaction's call record (`transferLegAnswered` / `transferLegEnded`: the record's `legs`).
 *
 * Rejoin (B7: a page reload mid-call): the customer's leg stays up when the agent's phone goes away without a
 * BYE. The agent's new registration dials `rejoin.<interaction id>` (the `rejoinUri` of
 * `GET /v1/agents/{id}/interactions`); this endpoint checks that the From user is the call's agent and redirects
 * the INVITE to the customer with `Replaces` naming the customer's dialog (its Call-ID and both tags, the agent's
 * from `/answered?totag=`). The customer's UA swaps its dead leg for the new one (RFC 3891): the same
 * interaction, a new dialog; the old dialog's BYE no longer ends the call. A real contact centre answers the
 * rejoin INVITE on the media server that anchors the customer's leg; the simulator has none, so the customer's
 * own UA plays that part (it accepts a Replaces of its call without ringing).
 *
 * Test knob: a caller's `X-Test-Header-Fault: missing | duplicate | oversize` makes the agent's
 * INVITE carry no / two different `X-CC-Interaction-Id` headers, or 10 kB campaign name and IVR
 * code headers (FAULT-CASES.md case 14).
 *
 * Who owns which state: this class routes each INVITE and owns the ACD's offers (pending until the caller's
 * INVITE is parked, orphan offers made while `incomingCall` runs); the calls by Call-ID and interaction live in
 * {@link SipCalls} (sip-calls.ts), the parked INVITEs' transactions in {@link ParkedInvites} (parked-invites.ts),
 * consultations, transfers and rejoins in {@link DirectCalls} (direct-calls.ts), queued callbacks in
 * {@link CallbackB2bua} (callback-b2bua.ts); the offer state machine and X-CC-* headers are in sip-offer.ts.
 */
import { randomBytes } from 'node:crypto';
import * as dgram from 'node:dgram';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
    AgentEndpoint,
    CallSignalling,
    HangupParty,
    OfferedCall,
    OfferOptions,
    SignallingListener,
    SignallingOfferResult,
    TransferLeg
} from '../acd/signalling';
import { CallbackB2bua } from './callback-b2bua';
import { REJOIN_USER_PREFIX, type SipDirectory } from './directory';
import { DirectCalls } from './direct-calls';
import type { KamailioInstallation } from './kamailio';
import { ParkedInvites, type ParkedInvite, type UdpRemote } from './parked-invites';
import { newSipCall, SipCalls, type SipCall, type SipCallSummary } from './sip-calls';
import { KamailioEdge, type RegisteredContact, type SipEdge, type SipEdgeEndpoints } from './sip-edge';
import {
    buildResponse,
    cseqOf,
    headerValue,
    parseNameAddr,
    parseSipRequest,
    parseSipResponse,
    topViaBranch,
    type SipRequest
} from './sip-message';
import {
    contactCentreHeaders,
    OfferState,
    offerResultOf,
    outgoingProgressOf,
    transitionOffer,
    type Offer
} from './sip-offer';

export {
    contactCentreHeaders,
    OfferState,
    offerResultOf,
    outgoingProgressOf,
    transitionOffer
} from './sip-offer';

/** Options of {@link KamailioSignalling.start}. */
export interface KamailioSignallingOptions {
    /** Shared secret of the ephemeral SIP credentials (the simulator's `config.sip.secret`). */
    secret: string;
    /** SIP domain of the users' URIs (default 127.0.0.1). */
    domain?: string;
    /** Kamailio's WebSocket port (default: a free one). */
    wsPort?: number;
    /** Kamailio debug level (default 1). */
    kamailioDebug?: number;
    /**
     * Kamailio's own INVITE timeout towards a target, ms (default 180000). Keep it above the ACD's
     * ring timeout: the ACD cancels first. Tests on a manual clock rely on this being long.
     */
    targetTimeoutMs?: number;
    /** Where diagnostics go (default: nowhere unless SIM_SIP_LOG=1, then stderr). */
    log?: (line: string) => void;
    /** Kamailio's stderr lines (default: dropped unless KAMAILIO_LOG=1). */
    kamailioLog?: (line: string) => void;
    installation?: KamailioInstallation;
    /** Test seam: the SIP server in front of the endpoint (default: a Kamailio child process). */
    edge?: (endpoints: SipEdgeEndpoints) => Promise<SipEdge>;
}

/** See the module documentation. */
export class KamailioSignalling implements CallSignalling {
    /** The SIP server (a {@link KamailioEdge} unless a test put a fake in). */
    readonly edge: SipEdge;
    private listener: SignallingListener | undefined;
    private directory: SipDirectory | undefined;
    /** The calls by Call-ID and interaction (sip-calls.ts). */
    private readonly calls = new SipCalls();
    /** Offers made while `incomingCall` runs, before its interaction id is known here. */
    private readonly orphanOffers = new Map<string, Offer>();
    /** The parked INVITEs' server transactions (parked-invites.ts). */
    private readonly invites: ParkedInvites;
    private readonly log: (line: string) => void;
    private closed = false;
    /** Calls routed outside the ACD: consultations, transfers, rejoins (direct-calls.ts). */
    private readonly direct: DirectCalls;
    /** Queued callbacks: the contact centre's own calls (callback-b2bua.ts). */
    private readonly callbackCalls: CallbackB2bua;

    private constructor(
        private readonly options: KamailioSignallingOptions,
        private readonly udp: dgram.Socket,
        private readonly events: http.Server,
        private readonly eventToken: string,
        edge: SipEdge
    ) {
        this.edge = edge;
        const verbose = process.env.SIM_SIP_LOG === '1';
        this.log = options.log ?? ((line) => (verbose ? process.stderr.write(`[sip] ${line}\n`) : undefined));
        this.invites = new ParkedInvites({
            domain: this.domain,
            targetTimeoutMs: options.targetTimeoutMs ?? 180_000,
            send: (data, remote) => this.send(data, remote)
        });
        this.direct = new DirectCalls({
            calls: this.calls,
            invites: this.invites,
            listener: () => this.listener,
            report: (action) => this.report(action),
            log: (line) => this.log(line)
        });
        this.callbackCalls = new CallbackB2bua({
            localPort: (udp.address() as AddressInfo).port,
            domain: this.domain,
            send: (data) => {
                const port = this.edge instanceof KamailioEdge ? this.edge.process.udpPort : undefined;
                if (port !== undefined) this.send(data, { address: '127.0.0.1', port });
            },
            customerProgress: (interactionId, status) =>
                this.report(() => this.listener?.outgoingProgress(interactionId, outgoingProgressOf(status))),
            hangup: (interactionId, by) => this.report(() => this.listener?.hangup(interactionId, by)),
            log: (line) => this.log(line)
        });
        udp.on('message', (message, remote) => this.onDatagram(message, remote));
        events.on('request', (request: http.IncomingMessage, response: http.ServerResponse) =>
            this.onEvent(request, response)
        );
    }

    /**
     * Opens the SIP endpoint and the event listener on free loopback ports, then starts Kamailio.
     * @throws KamailioMissingError (with the install command) when Kamailio is not installed
     */
    static async start(options: KamailioSignallingOptions): Promise<KamailioSignalling> {
        const udp = dgram.createSocket('udp4');
        await new Promise<void>((resolve, reject) => {
            udp.once('error', reject);
            udp.bind(0, '127.0.0.1', () => resolve());
        });
        const events = http.createServer();
        await new Promise<void>((resolve, reject) => {
            events.once('error', reject);
            events.listen(0, '127.0.0.1', () => resolve());
        });
        const eventToken = randomBytes(12).toString('hex');
        const endpoints: SipEdgeEndpoints = {
            simSipPort: (udp.address() as AddressInfo).port,
            eventUrl: `http://127.0.0.1:${(events.address() as AddressInfo).port}/${eventToken}`
        };
        let edge: SipEdge;
        try {
            edge = options.edge
                ? await options.edge(endpoints)
                : await KamailioEdge.start(endpoints, {
                      secret: options.secret,
                      domain: options.domain,
                      wsPort: options.wsPort,
                      debug: options.kamailioDebug,
                      frInvMs: options.targetTimeoutMs ?? 180_000,
                      log: options.kamailioLog,
                      installation: options.installation
                  });
        } catch (error) {
            udp.close();
            events.close();
            throw error;
        }
        return new KamailioSignalling(options, udp, events, eventToken, edge);
    }

    /** The WebSocket URL phones connect to (`ws://127.0.0.1:<port>`). */
    get wsUrl(): string {
        return this.edge.wsUrl;
    }

    /** The Kamailio process, when the edge is the real one (fault tests kill and restart it). */
    get kamailio(): KamailioEdge['process'] | undefined {
        return this.edge instanceof KamailioEdge ? this.edge.process : undefined;
    }

    /** The SIP domain of users' URIs. */
    get domain(): string {
        return this.options.domain ?? '127.0.0.1';
    }

    /** Gives the endpoint its routing data (the simulator's store); INVITEs get 503 until then. */
    setDirectory(directory: SipDirectory): void {
        this.directory = directory;
    }

    // ------------------------------------------------------------------ CallSignalling

    setListener(listener: SignallingListener): void {
        this.listener = listener;
    }

    offerToAgent(
        agent: AgentEndpoint,
        call: OfferedCall,
        options: OfferOptions
    ): Promise<SignallingOfferResult> {
        return new Promise((resolve) => {
            if (options.signal.aborted || this.closed) {
                resolve('cancelled');
                return;
            }
            if (call.callback) {
                // a queued callback: the contact centre calls the agent, then the customer (callback-b2bua.ts)
                if (!(this.edge instanceof KamailioEdge)) {
                    resolve('failed'); // a test edge without Kamailio's UDP side
                    return;
                }
                void this.callbackCalls
                    .offer(agent, call, contactCentreHeaders(call), options.signal)
                    .then(resolve);
                return;
            }
            const offer: Offer = { agent, call, state: OfferState.Pending, resolve };
            options.signal.addEventListener('abort', () => this.abortOffer(offer), { once: true });
            const sipCall = this.calls.ofInteraction(call.interactionId);
            if (!sipCall) {
                this.orphanOffers.set(call.interactionId, offer);
                return;
            }
            this.queueOffer(sipCall, offer);
        });
    }

    /** {@link CallSignalling.dialCallbackCustomer}: the callback's agent answered. */
    dialCallbackCustomer(interactionId: string): void {
        this.callbackCalls.dialCustomer(interactionId);
    }

    hangup(interactionId: string): void {
        this.callbackCalls.hangup(interactionId);
        const sipCall = this.calls.ofInteraction(interactionId);
        if (!sipCall) return;
        sipCall.ended = true;
        if (sipCall.parked) {
            this.finalReply(sipCall);
        } else if (sipCall.answered) {
            // No dialog state here to send BYEs from; the phones hang up themselves.
            this.log(`system hang-up of answered call ${interactionId}: legs stay up until a party hangs up`);
        }
        // A target still ringing was cancelled by the ACD before this (settleOffer -> abort).
    }

    async close(): Promise<void> {
        if (this.closed) return;
        this.closed = true;
        for (const sipCall of this.calls.all()) {
            for (const offer of [sipCall.pendingOffer, sipCall.currentOffer])
                if (offer) this.settle(offer, 'cancelled');
            if (sipCall.parked) this.invites.respond(sipCall.parked, 503, 'Service Unavailable');
        }
        for (const offer of this.orphanOffers.values()) this.settle(offer, 'cancelled');
        this.orphanOffers.clear();
        await this.edge.close();
        await new Promise<void>((resolve) => this.udp.close(() => resolve()));
        this.events.closeAllConnections();
        await new Promise<void>((resolve) => this.events.close(() => resolve()));
    }

    /** The interaction of an inbound or outbound call by the Call-ID of its INVITE (both legs share it). */
    interactionIdOfCallId(callId: string): string | undefined {
        return this.calls.get(callId)?.interactionId ?? this.callbackCalls.interactionOf(callId);
    }

    /** The Call-ID of an interaction's INVITE: Kamailio relays it to the agent unchanged (a proxy, not a B2BUA). */
    sipCallIdOf(interactionId: string): string | undefined {
        return (
            this.calls.ofInteraction(interactionId)?.callId ?? this.callbackCalls.agentCallId(interactionId)
        );
    }

    /** {@link CallSignalling.onTransferLeg}. */
    onTransferLeg(listener: (leg: TransferLeg) => void): void {
        this.direct.onTransferLeg(listener);
    }

    /** The registered contacts of a SIP user (Kamailio's location table). */
    contacts(user: string): Promise<RegisteredContact[]> {
        return this.edge.contacts(user);
    }

    /** Calls the endpoint knows about (diagnostics). */
    snapshot(): SipCallSummary[] {
        return this.calls.snapshot();
    }

    // ------------------------------------------------------------------ offers

    private queueOffer(sipCall: SipCall, offer: Offer): void {
        if (sipCall.ended) {
            this.settle(offer, 'cancelled');
            return;
        }
        if (sipCall.pendingOffer) this.settle(sipCall.pendingOffer, 'cancelled');
        sipCall.pendingOffer = offer;
        sipCall.offered = offer.call;
        if (sipCall.parked) this.deliver(sipCall);
    }

    private deliver(sipCall: SipCall): void {
        const offer = sipCall.pendingOffer;
        const parked = sipCall.parked;
        if (!offer || !parked) return;
        sipCall.pendingOffer = undefined;
        sipCall.currentOffer = offer;
        sipCall.parked = undefined;
        transitionOffer(offer, OfferState.Delivered);
        this.invites.redirect(
            parked,
            offer.agent.sipUser,
            contactCentreHeaders(offer.call, sipCall.headerFault)
        );
        this.log(`offer ${offer.call.interactionId} -> ${offer.agent.sipUser}`);
    }

    private abortOffer(offer: Offer): void {
        const previous = offer.state;
        if (previous === OfferState.Settled) return;
        this.settle(offer, 'cancelled');
        const sipCall = this.calls.ofInteraction(offer.call.interactionId);
        if (previous === OfferState.Pending) {
            if (this.orphanOffers.get(offer.call.interactionId) === offer)
                this.orphanOffers.delete(offer.call.interactionId);
            if (sipCall?.pendingOffer === offer) sipCall.pendingOffer = undefined;
            return;
        }
        if (sipCall && sipCall.currentOffer === offer) void this.cancelTarget(sipCall, offer);
    }

    private settle(offer: Offer, result: SignallingOfferResult): void {
        if (!transitionOffer(offer, OfferState.Settled)) return;
        offer.resolve(result);
    }

    /**
     * Stops the ringing target leg (Kamailio's `tm.cancel`). The 302 may still be on its way to
     * Kamailio (no target branch yet), so this retries until the failed leg comes back.
     */
    private async cancelTarget(sipCall: SipCall, offer: Offer): Promise<void> {
        for (let attempt = 0; attempt < 25 && sipCall.currentOffer === offer && !this.closed; attempt++) {
            const cancelled = await this.edge
                .cancelInvite(sipCall.callId, sipCall.cseq)
                .catch((error: unknown) => {
                    this.log(`CANCEL of ${sipCall.callId} failed: ${(error as Error).message}`);
                    return false;
                });
            if (cancelled) return;
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
    }

    // ------------------------------------------------------------------ SIP endpoint

    private onDatagram(message: Buffer, remote: dgram.RemoteInfo): void {
        if (message.subarray(0, 8).toString('latin1') === 'SIP/2.0 ') {
            try {
                this.callbackCalls.onResponse(parseSipResponse(message)); // the B2BUA's answers; no others expected
            } catch (error) {
                this.log(`response dropped: ${(error as Error).message}`);
            }
            return;
        }
        let request: SipRequest;
        try {
            request = parseSipRequest(message);
        } catch {
            return; // responses (none expected) and garbage
        }
        const branch = topViaBranch(request);
        if (!branch) return;
        if (this.callbackCalls.onRequest(request, (data) => this.send(data, remote))) return; // in its dialogs
        if (request.method === 'ACK') return; // hop-by-hop ACK of our non-2xx final responses
        if (request.method === 'CANCEL') {
            this.onCancel(request, branch, remote);
            return;
        }
        if (request.method !== 'INVITE') {
            this.send(buildResponse(request, 405, 'Method Not Allowed', { toTag: 'sim' }), remote);
            return;
        }
        const parked = this.invites.open(request, branch, remote);
        if (!parked) return;
        try {
            this.onInvite(parked);
        } catch (error) {
            this.log(`INVITE failed: ${(error as Error).stack ?? String(error)}`);
            this.invites.respond(parked, 500, 'Server Internal Error');
        }
    }

    private onInvite(parked: ParkedInvite): void {
        const request = parked.request;
        const callId = headerValue(request, 'call-id') ?? '';
        const result = headerValue(request, 'x-sim-result');
        if (result !== undefined) {
            this.onTargetResult(parked, callId, Number(result));
            return;
        }
        if (!this.listener || !this.directory || this.closed) {
            this.invites.respond(parked, 503, 'Contact centre not ready');
            return;
        }
        const from = parseNameAddr(headerValue(request, 'from') ?? '');
        const requestUser = parseNameAddr(request.uri).user;
        if (!requestUser) {
            this.invites.respond(parked, 484, 'Address Incomplete');
            return;
        }
        const sipCall = newSipCall(callId, cseqOf(request).seq, from.params.tag ?? '');
        sipCall.headerFault = headerValue(request, 'x-test-header-fault')?.trim().toLowerCase();
        this.calls.forget();
        this.calls.add(sipCall);

        const dialled = this.directory.findDialled(requestUser);
        const calleeAgent = this.directory.findAgent(requestUser);
        const callerAgent = from.user ? this.directory.findAgent(from.user) : undefined;

        if (requestUser.startsWith(REJOIN_USER_PREFIX)) {
            this.direct.rejoin(
                parked,
                sipCall,
                requestUser.slice(REJOIN_USER_PREFIX.length),
                from.user ?? undefined
            );
            return;
        }

        if (dialled) {
            sipCall.kind = 'inbound';
            sipCall.customerUser = from.user ?? undefined;
            const asserted = headerValue(request, 'p-asserted-identity');
            const identity = asserted ? parseNameAddr(asserted) : from;
            const ivrDigits = headerValue(request, 'x-ivr-code') ?? null;
            const ivrCase = headerValue(request, 'x-ivr-case') ?? null;
            let interactionId: string;
            try {
                interactionId = this.listener.incomingCall({
                    tenantId: dialled.tenantId,
                    callerNumber: identity.user ?? from.user,
                    callerName: identity.displayName ?? from.displayName,
                    calleeNumber: requestUser,
                    campaignId: dialled.campaignId,
                    queueId: dialled.queueId,
                    ivr: { digits: ivrDigits, caseCode: ivrCase, data: {} },
                    holdInIvr: false
                });
            } catch (error) {
                this.invites.respond(parked, 403, `Refused: ${(error as Error).message}`.slice(0, 120));
                sipCall.ended = true;
                return;
            }
            sipCall.interactionId = interactionId;
            sipCall.parked = parked;
            this.calls.bind(interactionId, sipCall);
            const orphan = this.orphanOffers.get(interactionId);
            if (orphan) {
                this.orphanOffers.delete(interactionId);
                if (orphan.state === OfferState.Pending) this.queueOffer(sipCall, orphan);
            }
            this.log(
                `inbound ${interactionId} from ${identity.user ?? '?'} to ${requestUser}${sipCall.pendingOffer || sipCall.currentOffer ? '' : ' (queued)'}`
            );
            return;
        }

        if (calleeAgent) {
            // Agent to agent (consultation), or a customer following a REFER.
            this.direct.route(parked, sipCall, calleeAgent, callerAgent, from.user ?? undefined);
            return;
        }

        if (callerAgent) {
            sipCall.kind = 'outbound';
            sipCall.customerUser = requestUser;
            sipCall.agentUser = callerAgent.agentId;
            let interactionId: string;
            try {
                interactionId = this.listener.outgoingCall({
                    tenantId: callerAgent.tenantId,
                    agentId: callerAgent.agentId,
                    calleeNumber: requestUser,
                    campaignId: headerValue(request, 'x-cc-campaign-id') ?? null
                });
            } catch (error) {
                this.invites.respond(parked, 403, `Refused: ${(error as Error).message}`.slice(0, 120));
                sipCall.ended = true;
                return;
            }
            sipCall.interactionId = interactionId;
            this.calls.bind(interactionId, sipCall);
            this.invites.redirect(parked, requestUser, [['X-CC-Interaction-Id', interactionId]]);
            this.log(`outbound ${interactionId} ${callerAgent.agentId} -> ${requestUser}`);
            return;
        }

        sipCall.ended = true;
        this.invites.respond(parked, 404, 'No such campaign or agent');
    }

    /** A target leg came back (X-Sim-Result): settle the offer and go on. */
    private onTargetResult(parked: ParkedInvite, callId: string, status: number): void {
        const sipCall = this.calls.get(callId);
        if (!sipCall) {
            this.invites.respond(parked, 480, 'Temporarily Unavailable');
            return;
        }
        if (sipCall.kind === 'direct' || sipCall.kind === 'rejoin') {
            sipCall.ended = true;
            this.invites.respond(parked, status >= 300 && status < 700 ? status : 480, 'Target failed');
            return;
        }
        if (sipCall.kind === 'outbound') {
            if (!sipCall.ended && sipCall.interactionId) {
                sipCall.ended = true;
                this.report(() =>
                    this.listener?.outgoingProgress(sipCall.interactionId!, outgoingProgressOf(status))
                );
            }
            this.invites.respond(parked, status >= 300 && status < 700 ? status : 480, 'Callee failed');
            return;
        }
        const offer = sipCall.currentOffer;
        sipCall.currentOffer = undefined;
        sipCall.parked = parked;
        const result = offerResultOf(status);
        if (offer) {
            sipCall.results.push(offer.state === OfferState.Settled ? 'cancelled' : result);
            this.settle(offer, result);
        }
        this.log(`target of ${sipCall.interactionId} answered ${status} (${result})`);
        // The ACD settles the offer on a promise callback and may offer the call again right away.
        setImmediate(() => {
            if (sipCall.parked !== parked) return;
            if (sipCall.ended) this.finalReply(sipCall);
            else if (sipCall.pendingOffer) this.deliver(sipCall);
        });
    }

    private onCancel(request: SipRequest, branch: string, remote: dgram.RemoteInfo): void {
        const parked = this.invites.get(branch);
        this.send(buildResponse(request, 200, 'OK', { toTag: parked?.toTag ?? 'sim' }), remote);
        if (!parked) return;
        const callId = headerValue(request, 'call-id') ?? '';
        const sipCall = this.calls.get(callId);
        if (sipCall && sipCall.parked === parked) {
            sipCall.parked = undefined;
            this.callerGone(sipCall);
        }
        this.invites.respond(parked, 487, 'Request Terminated');
    }

    private finalReply(sipCall: SipCall): void {
        const parked = sipCall.parked;
        if (!parked) return;
        sipCall.parked = undefined;
        const declined =
            sipCall.results.length > 0 && sipCall.results.every((result) => result === 'rejected');
        if (declined) this.invites.respond(parked, 486, 'Busy Here');
        else this.invites.respond(parked, 480, 'Temporarily Unavailable');
    }

    private send(data: Buffer, remote: UdpRemote): void {
        if (this.closed) return;
        this.udp.send(data, remote.port, remote.address);
    }

    // ------------------------------------------------------------------ Kamailio's HTTP events

    private onEvent(request: http.IncomingMessage, response: http.ServerResponse): void {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        const [token, name] = url.pathname.split('/').filter(Boolean);
        if (token !== this.eventToken || !name) {
            response.writeHead(404).end();
            return;
        }
        // Answer first: Kamailio's worker waits for this reply.
        response.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok\n');
        const callId = url.searchParams.get('callid') ?? '';
        if (name === 'transfer') return this.direct.replacingTransfer(callId, url.searchParams);
        const sipCall = this.calls.get(callId);
        if (sipCall?.transfer) return this.direct.transferEvent(sipCall, sipCall.transfer, name);
        if (!sipCall || sipCall.kind === 'direct') return;
        if (name === 'answered') this.onAnswered(sipCall, url.searchParams.get('totag') ?? '');
        else if (name === 'bye') this.onBye(sipCall, url.searchParams.get('fromtag') ?? '');
        else if (name === 'cancel') this.callerGone(sipCall);
    }

    private onAnswered(sipCall: SipCall, toTag: string): void {
        if (sipCall.answered || sipCall.ended) return;
        sipCall.answered = true;
        sipCall.answerTag = toTag;
        if (sipCall.kind === 'rejoin') {
            this.log(`rejoined ${sipCall.interactionId} (${sipCall.callId})`);
            return;
        }
        if (sipCall.currentOffer) sipCall.agentUser = sipCall.currentOffer.agent.sipUser;
        if (sipCall.kind === 'outbound') {
            this.report(() => this.listener?.outgoingProgress(sipCall.interactionId!, 'answered'));
            return;
        }
        const offer = sipCall.currentOffer;
        sipCall.currentOffer = undefined;
        if (offer) {
            sipCall.results.push('answered');
            this.settle(offer, 'answered');
        }
    }

    private onBye(sipCall: SipCall, fromTag: string): void {
        if (sipCall.ended) return;
        sipCall.ended = true;
        if (sipCall.replaced) return; // the old leg of a rejoined call
        const byCaller = fromTag === sipCall.callerTag;
        const by: HangupParty =
            sipCall.kind === 'inbound' ? (byCaller ? 'customer' : 'agent') : byCaller ? 'agent' : 'customer';
        if (sipCall.interactionId) this.report(() => this.listener?.hangup(sipCall.interactionId!, by));
    }

    /** The caller hung up before the call was answered (CANCEL). */
    private callerGone(sipCall: SipCall): void {
        if (sipCall.ended || sipCall.answered) return;
        sipCall.ended = true;
        const by: HangupParty = sipCall.kind === 'inbound' ? 'customer' : 'agent';
        if (sipCall.interactionId) this.report(() => this.listener?.hangup(sipCall.interactionId!, by));
    }

    /** Calls the ACD; a refusal (call already over) is logged, never thrown into Kamailio's event. */
    private report(action: () => void): void {
        try {
            action();
        } catch (error) {
            this.log(`ACD refused an event: ${(error as Error).message}`);
        }
    }
}
