/**
 * A tiny scripted SIP server (registrar + peer) for unit tests, behind {@link FakeSipTransport}.
 *
 * {@link FakeSipServer} parses what the UA sends with sip.js's own `Parser` and answers: REGISTER (200, digest
 * challenge with real MD5 checking, 403, silence), OPTIONS (200 or silence), INVITE (100 at once; the test
 * decides the rest), re-INVITE (200 mirroring the SDP direction), BYE/INFO/NOTIFY (200), REFER (202, optional
 * NOTIFY), CANCEL (200 + 487). It can also call the UA (INVITE, CANCEL, BYE, in-dialog requests), drop the
 * connection, refuse connections or swallow everything (a dead socket).
 * Automatic answers are delivered in a microtask (never inside the UA's send()); test-driven messages synchronously.
 */
import { Core, TransportState } from 'sip.js';
import type { FakeSipTransport } from './fake-sip-transport';
import {
    answerDirection,
    contactUri,
    directionOf,
    fakeSdp,
    later,
    md5,
    reasonFor,
    tagOf,
    token,
    type Direction
} from './fake-sip-wire';

type RequestMessage = Core.IncomingRequestMessage;
type ResponseMessage = Core.IncomingResponseMessage;

/** A message the UA sent, with the connection it came on. */
export interface ReceivedMessage {
    raw: string;
    message: RequestMessage | ResponseMessage;
    connectionId: number;
}

/** How the registrar answers REGISTER. */
export type RegisterBehaviour =
    'accept' | 'challenge' | 'forbidden' | 'silence' | { status: number; reason: string };

/** A dialog as the fake peer sees it. */
interface FakeDialog {
    callId: string;
    /** Our From header value (with our tag) for requests we send. */
    local: string;
    /** The UA's header value (with its tag): the To of requests we send. */
    remote: string;
    /** Request-URI for requests we send (the UA's Contact). */
    target: string;
    cseq: number;
    ended: boolean;
}

/** An inbound call the fake placed to the UA. */
export interface FakeInboundCall {
    callId: string;
    branch: string;
    fromTag: string;
    raw: string;
    /** Final status the UA answered with (once it did). */
    finalStatus?: number;
}

/** Scripted registrar + peer; see the module documentation. */
export class FakeSipServer {
    readonly domain: string;
    /** Every transport a UA created (a new UserAgent makes a new one). */
    readonly transports: FakeSipTransport[] = [];
    /** Everything the UA sent, in order. */
    readonly received: ReceivedMessage[] = [];
    /** How connects end: accepted, refused, or left pending until {@link FakeSipServer.releaseConnect}. */
    connectMode: 'accept' | 'refuse' | 'hang' = 'accept';
    connectAttempts = 0;
    /** A disconnect() never completes its close handshake (dead socket). */
    closeNeverCompletes = false;
    /** Swallow every message of the UA (a socket that looks open but is dead). */
    blackhole = false;
    /** Keep the caller's ACK to a 2xx until {@link FakeSipServer.releaseAck} (a slow network or proxy). */
    holdAcks = false;
    private readonly heldAcks = new Map<string, () => void>();
    registerBehaviour: RegisterBehaviour = 'accept';
    /** Challenge mode: username -> password accepted. */
    readonly accounts = new Map<string, string>();
    /** Status after a wrong digest answer in challenge mode (401 again or 403). */
    badDigestStatus: 401 | 403 = 401;
    optionsBehaviour: 'accept' | 'silence' | number = 'accept';
    /** re-INVITE answer: mirror the offer's direction (RFC 3264), force one, or fail with a status. */
    reInviteBehaviour: 'mirror' | { direction: Direction } | { status: number; reason: string } = 'mirror';
    /** One-shot answers for the next re-INVITEs (taken before {@link FakeSipServer.reInviteBehaviour}). */
    readonly reInviteOnce: Array<{ status: number; reason: string; headers?: string[] }> = [];
    /** 200 answers to re-INVITEs reject the audio stream (m=audio 0), as a broken media gateway did. */
    reInviteRejectsAudio = false;
    /** Status for REFER (202 accepts it). */
    referStatus = 202;
    /** After 202 to a REFER, send a NOTIFY with this sipfrag status (undefined: no NOTIFY). */
    referNotifyStatus: number | undefined = undefined;
    /** Before answering a REFER, send a progress NOTIFY with this sipfrag status (RFC 3515 allows that order). */
    referProgressBeforeAccept: number | undefined = undefined;
    /** AOR user of the agent (learned from REGISTER; used as Request-URI of calls to the UA). */
    agentUser = 'agent';
    /** Current registrar binding: the connection it was made on. */
    binding: { contact: string; connectionId: number } | undefined;
    readonly inboundCalls = new Map<string, FakeInboundCall>();
    private readonly dialogs = new Map<string, FakeDialog>();
    private readonly toTags = new Map<string, string>();
    private readonly invitesByBranch = new Map<string, RequestMessage>();
    private nextConnectionId = 0;
    private readonly logger = (() => {
        const factory = new Core.LoggerFactory();
        factory.builtinEnabled = false;
        return factory.getLogger('fake-sip-server');
    })();

    constructor(domain = 'fake.test') {
        this.domain = domain;
    }

    /** The most recent transport. */
    get transport(): FakeSipTransport {
        const t = this.transports[this.transports.length - 1];
        if (!t) {
            throw new Error('no transport yet');
        }
        return t;
    }

    /** Id of the live connection (0 when none). */
    get currentConnectionId(): number {
        const t = this.transports[this.transports.length - 1];
        return t && t.isConnected() ? t.connectionId : 0;
    }

    /** True when the registrar holds a binding made on the live connection. */
    get isRegistered(): boolean {
        return (
            !!this.binding &&
            this.binding.connectionId === this.currentConnectionId &&
            this.currentConnectionId > 0
        );
    }

    // ---- queries ----

    /** Requests the UA sent (optionally of one method). */
    requests(method?: string): RequestMessage[] {
        return this.received
            .map((r) => r.message)
            .filter((m): m is RequestMessage => m instanceof Core.IncomingRequestMessage)
            .filter((m) => !method || m.method === method);
    }

    /** Responses the UA sent (optionally to one method, by CSeq). */
    responses(method?: string): ResponseMessage[] {
        return this.received
            .map((r) => r.message)
            .filter((m): m is ResponseMessage => m instanceof Core.IncomingResponseMessage)
            .filter((m) => !method || m.method === method);
    }

    /** The last request of a method. */
    lastRequest(method: string): RequestMessage | undefined {
        const list = this.requests(method);
        return list[list.length - 1];
    }

    /** Final responses the UA sent to an INVITE of ours. */
    finalResponsesTo(callId: string): ResponseMessage[] {
        return this.responses('INVITE').filter((r) => r.callId === callId && (r.statusCode ?? 0) >= 200);
    }

    // ---- connection control ----

    attach(transport: FakeSipTransport): void {
        this.transports.push(transport);
    }

    connectRequested(transport: FakeSipTransport): void {
        this.connectAttempts++;
        if (this.connectMode === 'hang') {
            return;
        }
        const ok = this.connectMode === 'accept';
        later(() => transport.completeConnect(ok, ++this.nextConnectionId));
    }

    /** Completes connects left pending by `connectMode = 'hang'`. */
    releaseConnect(ok = true): void {
        for (const t of this.transports) {
            if (t.state === TransportState.Connecting) {
                t.completeConnect(ok, ++this.nextConnectionId);
            }
        }
    }

    /** The network drops the live socket. */
    dropConnection(): void {
        for (const t of this.transports) {
            t.drop();
        }
    }

    // ---- from the UA ----

    receiveFromUa(raw: string, transport: FakeSipTransport, connectionId: number): void {
        const message = Core.Parser.parseMessage(raw, this.logger);
        if (!message) {
            throw new Error(`fake server could not parse:\n${raw}`);
        }
        this.received.push({ raw, message, connectionId });
        if (this.blackhole) {
            return;
        }
        if (message instanceof Core.IncomingResponseMessage) {
            this.onResponse(message, transport, connectionId);
            return;
        }
        const request = message as RequestMessage;
        switch (request.method) {
            case 'REGISTER':
                later(() => this.onRegister(request, transport, connectionId));
                break;
            case 'OPTIONS': {
                const behaviour = this.optionsBehaviour;
                if (behaviour !== 'silence') {
                    later(() =>
                        this.reply(transport, connectionId, request, behaviour === 'accept' ? 200 : behaviour)
                    );
                }
                break;
            }
            case 'INVITE':
                if (request.toTag) {
                    later(() => this.onReInvite(request, transport, connectionId));
                } else {
                    this.invitesByBranch.set(request.viaBranch, request);
                    later(() => this.reply(transport, connectionId, request, 100));
                }
                break;
            case 'CANCEL':
                later(() => {
                    this.reply(transport, connectionId, request, 200);
                    const invite = this.invitesByBranch.get(request.viaBranch);
                    if (invite) {
                        this.reply(transport, connectionId, invite, 487);
                    }
                });
                break;
            case 'BYE': {
                const dialog = this.dialogs.get(request.callId);
                if (dialog) {
                    dialog.ended = true;
                }
                later(() => this.reply(transport, connectionId, request, 200));
                break;
            }
            case 'REFER':
                later(() => {
                    if (this.referProgressBeforeAccept !== undefined) {
                        this.sendReferNotify(request.callId, this.referProgressBeforeAccept, false);
                    }
                    this.reply(transport, connectionId, request, this.referStatus);
                    if (this.referStatus === 202 && this.referNotifyStatus !== undefined) {
                        this.sendInDialog(request.callId, 'NOTIFY', {
                            headers: ['Event: refer', 'Subscription-State: terminated;reason=noresource'],
                            contentType: 'message/sipfrag;version=2.0',
                            body: `SIP/2.0 ${this.referNotifyStatus} ${reasonFor(this.referNotifyStatus)}`
                        });
                    }
                });
                break;
            case 'ACK':
                break;
            default:
                later(() => this.reply(transport, connectionId, request, 200));
        }
    }

    private onRegister(request: RequestMessage, transport: FakeSipTransport, connectionId: number): void {
        const toUser = (request.to.uri as { user?: string }).user;
        if (toUser) {
            this.agentUser = toUser;
        }
        const behaviour = this.registerBehaviour;
        if (behaviour === 'silence') {
            return;
        }
        if (behaviour === 'forbidden') {
            this.reply(transport, connectionId, request, 403);
            return;
        }
        if (typeof behaviour === 'object') {
            this.reply(transport, connectionId, request, behaviour.status, { reason: behaviour.reason });
            return;
        }
        if (behaviour === 'challenge') {
            const authorization = request.getHeader('authorization');
            if (!authorization) {
                this.challenge(transport, connectionId, request);
                return;
            }
            if (!this.digestValid(authorization, 'REGISTER')) {
                if (this.badDigestStatus === 403) {
                    this.reply(transport, connectionId, request, 403);
                } else {
                    this.challenge(transport, connectionId, request);
                }
                return;
            }
        }
        const contact = request.getHeader('contact') ?? '';
        const expires = /expires=(\d+)/.exec(contact)?.[1] ?? request.getHeader('expires') ?? '600';
        if (expires === '0') {
            this.binding = undefined;
        } else {
            this.binding = { contact, connectionId };
        }
        this.reply(transport, connectionId, request, 200, { headers: [`Contact: ${contact}`] });
    }

    private challenge(transport: FakeSipTransport, connectionId: number, request: RequestMessage): void {
        const nonce = token('n');
        this.reply(transport, connectionId, request, 401, {
            headers: [
                `WWW-Authenticate: Digest realm="${this.domain}", nonce="${nonce}", algorithm=MD5, qop="auth"`
            ]
        });
    }

    private digestValid(authorization: string, method: string): boolean {
        const param = (name: string): string | undefined =>
            new RegExp(`${name}="?([^",]+)"?`, 'i').exec(authorization)?.[1];
        const username = param('username');
        const password = username ? this.accounts.get(username) : undefined;
        if (!username || password === undefined) {
            return false;
        }
        const ha1 = md5(`${username}:${param('realm')}:${password}`);
        const ha2 = md5(`${method}:${param('uri')}`);
        const expected = md5(
            `${ha1}:${param('nonce')}:${param('nc')}:${param('cnonce')}:${param('qop')}:${ha2}`
        );
        return expected === param('response');
    }

    private onReInvite(request: RequestMessage, transport: FakeSipTransport, connectionId: number): void {
        const once = this.reInviteOnce.shift();
        if (once) {
            this.reply(transport, connectionId, request, once.status, {
                reason: once.reason,
                headers: once.headers
            });
            return;
        }
        const behaviour = this.reInviteBehaviour;
        if (typeof behaviour === 'object' && 'status' in behaviour) {
            this.reply(transport, connectionId, request, behaviour.status, { reason: behaviour.reason });
            return;
        }
        const direction =
            typeof behaviour === 'object' ? behaviour.direction : answerDirection(directionOf(request.body));
        this.reply(transport, connectionId, request, 200, {
            headers: [`Contact: <sip:peer@${this.domain};transport=ws>`],
            contentType: 'application/sdp',
            body: this.reInviteRejectsAudio
                ? fakeSdp(direction, token('re')).replace(/^m=audio \d+ /m, 'm=audio 0 ')
                : fakeSdp(direction, token('re'))
        });
    }

    private onResponse(response: ResponseMessage, transport: FakeSipTransport, connectionId: number): void {
        if (response.method !== 'INVITE') {
            return;
        }
        const call = this.inboundCalls.get(response.callId);
        const status = response.statusCode ?? 0;
        if (!call || status < 200 || call.finalStatus !== undefined) {
            return;
        }
        call.finalStatus = status;
        const to = response.getHeader('to') ?? '';
        const from = response.getHeader('from') ?? '';
        if (status >= 300) {
            // ACK for a non-2xx final response: same branch as the INVITE (transaction level)
            const ack = [
                `ACK sip:${this.agentUser}@${this.domain} SIP/2.0`,
                `Via: SIP/2.0/WSS proxy.${this.domain};branch=${call.branch}`,
                'Max-Forwards: 70',
                `From: ${from}`,
                `To: ${to}`,
                `Call-ID: ${call.callId}`,
                'CSeq: 1 ACK',
                'Content-Length: 0',
                '',
                ''
            ].join('\r\n');
            later(() => transport.deliver(ack, connectionId));
            return;
        }
        const dialog: FakeDialog = {
            callId: call.callId,
            local: from,
            remote: to,
            target: contactUri(response.getHeader('contact')) ?? `sip:${this.agentUser}@${this.domain}`,
            cseq: 1,
            ended: false
        };
        this.dialogs.set(call.callId, dialog);
        const ack = (): void => this.sendRequest(dialog, 'ACK', {}, 1);
        // the ACK crosses the network: a task after the 200 OK, never inside the UA's own promise chain
        // (sip.js binds the dialog's ACK handler in a continuation of accept(); an ACK before it is dropped)
        if (this.holdAcks) this.heldAcks.set(call.callId, ack);
        else setTimeout(ack, 1);
    }

    /** Sends the ACK kept back for an inbound call (see {@link FakeSipServer.holdAcks}). */
    releaseAck(callId: string): void {
        const ack = this.heldAcks.get(callId);
        this.heldAcks.delete(callId);
        ack?.();
    }

    // ---- answering the UA's INVITEs ----

    /** Send a response to one of the UA's requests (provisional or final). */
    respond(
        request: RequestMessage,
        status: number,
        options: { reason?: string; headers?: string[]; sdp?: string | true } = {}
    ): void {
        const sdp =
            options.sdp === true ? fakeSdp(answerDirection(directionOf(request.body)), 'peer') : options.sdp;
        const headers = [...(options.headers ?? [])];
        if (request.method === 'INVITE' && status > 100 && status < 300) {
            headers.push(`Contact: <sip:peer@${this.domain};transport=ws>`);
        }
        const connectionId = this.connectionOf(request);
        this.reply(this.transport, connectionId, request, status, {
            reason: options.reason,
            headers,
            ...(sdp ? { contentType: 'application/sdp', body: sdp } : {})
        });
        if (request.method === 'INVITE' && status >= 200 && status < 300) {
            this.dialogs.set(request.callId, {
                callId: request.callId,
                local: `${request.getHeader('to')};tag=${this.toTagFor(request.callId)}`,
                remote: request.getHeader('from') ?? '',
                target: contactUri(request.getHeader('contact')) ?? '',
                cseq: 100,
                ended: false
            });
        }
    }

    /** Answer the UA's INVITE with 200 OK and an SDP answer. */
    answer(invite: RequestMessage, headers: string[] = []): void {
        this.respond(invite, 200, { sdp: true, headers });
    }

    // ---- calling the UA ----

    /**
     * Place a call to the agent. `headers` are raw header lines added as given (hostile input welcome);
     * `displayName` is put into the From header as a quoted string.
     */
    sendInvite(
        options: {
            fromUser?: string;
            displayName?: string;
            headers?: string[];
            sdp?: string;
            callId?: string;
        } = {}
    ): FakeInboundCall {
        const callId = options.callId ?? token('call-');
        const branch = `z9hG4bK${token('b')}`;
        const fromTag = token('ft');
        const display = options.displayName !== undefined ? `"${options.displayName}" ` : '';
        const sdp = options.sdp ?? fakeSdp('sendrecv', 'caller');
        const raw = [
            `INVITE sip:${this.agentUser}@${this.domain} SIP/2.0`,
            `Via: SIP/2.0/WSS proxy.${this.domain};branch=${branch}`,
            'Max-Forwards: 70',
            `From: ${display}<sip:${options.fromUser ?? '+48600700800'}@${this.domain}>;tag=${fromTag}`,
            `To: <sip:${this.agentUser}@${this.domain}>`,
            `Call-ID: ${callId}`,
            'CSeq: 1 INVITE',
            `Contact: <sip:caller@proxy.${this.domain};transport=ws>`,
            ...(options.headers ?? []),
            'Content-Type: application/sdp',
            `Content-Length: ${Buffer.byteLength(sdp, 'utf8')}`,
            '',
            sdp
        ].join('\r\n');
        const call: FakeInboundCall = { callId, branch, fromTag, raw };
        this.inboundCalls.set(callId, call);
        this.transport.deliver(raw);
        return call;
    }

    /** The caller gives up: CANCEL of an inbound call (optionally "completed elsewhere"). */
    sendCancel(call: FakeInboundCall, completedElsewhere = false): void {
        const invite = call.raw.split('\r\n');
        const header = (name: string): string =>
            invite.find((l) => l.toLowerCase().startsWith(`${name}:`)) ?? '';
        const raw = [
            `CANCEL sip:${this.agentUser}@${this.domain} SIP/2.0`,
            header('via'),
            'Max-Forwards: 70',
            header('from'),
            header('to'),
            `Call-ID: ${call.callId}`,
            'CSeq: 1 CANCEL',
            ...(completedElsewhere ? ['Reason: SIP;cause=200;text="Call completed elsewhere"'] : []),
            'Content-Length: 0',
            '',
            ''
        ].join('\r\n');
        this.transport.deliver(raw);
    }

    /**
     * The value of a Replaces header (RFC 3891) naming the dialog `callId` as the UA sees it: `to-tag` is the
     * UA's (local) tag, `from-tag` the peer's, whoever sent the dialog's INVITE — what a transferee puts in its
     * INVITE after a REFER with Replaces. `swapTags` gives the wrong orientation.
     */
    replacesFor(callId: string, options: { swapTags?: boolean } = {}): string {
        const dialog = this.dialogs.get(callId);
        if (!dialog) {
            throw new Error(`no dialog ${callId}`);
        }
        const uaTag = tagOf(dialog.remote);
        const peerTag = tagOf(dialog.local);
        return options.swapTags
            ? `${callId};to-tag=${peerTag};from-tag=${uaTag}`
            : `${callId};to-tag=${uaTag};from-tag=${peerTag}`;
    }

    /** True once either side sent BYE in the dialog `callId`. */
    dialogEnded(callId: string): boolean {
        return this.dialogs.get(callId)?.ended === true;
    }

    /** BYE from the remote party of a dialog (inbound or outbound). */
    sendBye(callId: string): void {
        this.sendInDialog(callId, 'BYE');
    }

    /** The transferee's NOTIFY of a REFER's progress (`final`: the subscription ends with it). */
    sendReferNotify(callId: string, status: number, final = status >= 200): void {
        this.sendInDialog(callId, 'NOTIFY', {
            headers: [
                'Event: refer',
                final
                    ? 'Subscription-State: terminated;reason=noresource'
                    : 'Subscription-State: active;expires=60'
            ],
            contentType: 'message/sipfrag;version=2.0',
            body: `SIP/2.0 ${status} ${reasonFor(status)}`
        });
    }

    /** Any in-dialog request from the remote party. */
    sendInDialog(
        callId: string,
        method: string,
        options: { headers?: string[]; contentType?: string; body?: string } = {}
    ): void {
        const dialog = this.dialogs.get(callId);
        if (!dialog) {
            throw new Error(`no dialog ${callId}`);
        }
        dialog.cseq++;
        this.sendRequest(dialog, method, options, dialog.cseq);
    }

    private sendRequest(
        dialog: FakeDialog,
        method: string,
        options: { headers?: string[]; contentType?: string; body?: string },
        cseq: number
    ): void {
        const body = options.body ?? '';
        const raw = [
            `${method} ${dialog.target} SIP/2.0`,
            `Via: SIP/2.0/WSS proxy.${this.domain};branch=z9hG4bK${token('b')}`,
            'Max-Forwards: 70',
            `From: ${dialog.local}`,
            `To: ${dialog.remote}`,
            `Call-ID: ${dialog.callId}`,
            `CSeq: ${cseq} ${method}`,
            ...(options.headers ?? []),
            ...(options.contentType ? [`Content-Type: ${options.contentType}`] : []),
            `Content-Length: ${Buffer.byteLength(body, 'utf8')}`,
            '',
            body
        ].join('\r\n');
        this.transport.deliver(raw);
    }

    // ---- plumbing ----

    private connectionOf(request: RequestMessage): number {
        return this.received.find((r) => r.message === request)?.connectionId ?? this.currentConnectionId;
    }

    private toTagFor(callId: string): string {
        let tag = this.toTags.get(callId);
        if (!tag) {
            tag = token('tt');
            this.toTags.set(callId, tag);
        }
        return tag;
    }

    private reply(
        transport: FakeSipTransport,
        connectionId: number,
        request: RequestMessage,
        status: number,
        options: { reason?: string; headers?: string[]; contentType?: string; body?: string } = {}
    ): void {
        const body = options.body ?? '';
        let to = request.getHeader('to') ?? '';
        if (!request.toTag && status > 100) {
            to += `;tag=${this.toTagFor(request.callId)}`;
        }
        const raw = [
            `SIP/2.0 ${status} ${options.reason ?? reasonFor(status)}`,
            ...request.getHeaders('via').map((via) => `Via: ${via}`),
            `From: ${request.getHeader('from')}`,
            `To: ${to}`,
            `Call-ID: ${request.callId}`,
            `CSeq: ${request.cseq} ${request.method}`,
            ...(options.headers ?? []),
            ...(options.contentType ? [`Content-Type: ${options.contentType}`] : []),
            `Content-Length: ${Buffer.byteLength(body, 'utf8')}`,
            '',
            body
        ].join('\r\n');
        transport.deliver(raw, connectionId);
    }
}
