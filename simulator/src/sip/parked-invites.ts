/**
 * The server transactions of the INVITEs Kamailio relays to the endpoint: each is parked (100 Trying) until
 * the endpoint answers it, mostly with a 302 to the target Kamailio should ring. Retransmissions get the last
 * response again; a finished transaction is kept a while for them and for a late CANCEL.
 */
import { randomBytes } from 'node:crypto';
import { buildResponse, type SipRequest } from './sip-message';
import { headerBlock } from './sip-offer';

/** Where a datagram goes. */
export interface UdpRemote {
    address: string;
    port: number;
}

/** A server transaction of an INVITE parked at the endpoint. */
export interface ParkedInvite {
    branch: string;
    request: SipRequest;
    remote: { address: string; port: number };
    toTag: string;
    lastResponse: Buffer | undefined;
}

/** What the transactions need. */
export interface ParkedInvitesOptions {
    /** SIP domain of the targets' URIs. */
    domain: string;
    /** Kamailio's INVITE timeout towards a target (`X-Sim-Ring-Ms`). */
    targetTimeoutMs: number;
    send(data: Buffer, remote: UdpRemote): void;
}

/** See the module documentation. */
export class ParkedInvites {
    private readonly transactions = new Map<string, ParkedInvite>();

    constructor(private readonly options: ParkedInvitesOptions) {}

    /** The transaction of a Via branch. */
    get(branch: string): ParkedInvite | undefined {
        return this.transactions.get(branch);
    }

    /**
     * Parks a new INVITE (100 Trying); undefined for a retransmission of one already parked (its last response
     * is sent again).
     */
    open(request: SipRequest, branch: string, remote: UdpRemote): ParkedInvite | undefined {
        const existing = this.transactions.get(branch);
        if (existing) {
            if (existing.lastResponse) this.options.send(existing.lastResponse, existing.remote);
            return undefined;
        }
        const parked: ParkedInvite = {
            branch,
            request,
            remote: { address: remote.address, port: remote.port },
            toTag: randomBytes(6).toString('hex'),
            lastResponse: undefined
        };
        this.transactions.set(branch, parked);
        this.respond(parked, 100, 'Trying');
        return parked;
    }

    /** Sends Kamailio to `target` (302 with the X-Sim-* headers its config reads). */
    redirect(parked: ParkedInvite, target: string, headers: [string, string][]): void {
        const extra: [string, string][] = [
            ['Contact', `<sip:${target}@${this.options.domain}>`],
            ['X-Sim-Target', target],
            ['X-Sim-Ring-Ms', String(this.options.targetTimeoutMs)]
        ];
        if (headers.length > 0)
            extra.push(['X-Sim-Headers', Buffer.from(headerBlock(headers), 'utf8').toString('base64')]);
        this.respond(parked, 302, 'Moved Temporarily', extra);
    }

    /** Answers the INVITE. */
    respond(parked: ParkedInvite, status: number, reason: string, extra: [string, string][] = []): void {
        const response = buildResponse(parked.request, status, reason, { toTag: parked.toTag, extra });
        parked.lastResponse = response;
        this.options.send(response, parked.remote);
        if (status >= 200) {
            // Keep the transaction a while for retransmissions and a late CANCEL.
            setTimeout(() => this.transactions.delete(parked.branch), 32_000).unref();
        }
    }
}
