/**
 * The SIP server in front of the simulator's SIP endpoint, as {@link KamailioSignalling} uses it: where
 * phones connect, how to stop a ringing target leg, who is registered. {@link KamailioEdge} is the
 * real one (a Kamailio child process, JSON-RPC over its xhttp listener); tests use a fake.
 */
import { randomBytes } from 'node:crypto';
import { KamailioProcess, type KamailioInstallation } from './kamailio';

/** A registered contact of a SIP user. */
export interface RegisteredContact {
    address: string;
    /** Seconds left, when known. */
    expires: number | null;
}

/** What the signalling needs from the SIP server. */
export interface SipEdge {
    /** WebSocket URL phones connect to. */
    readonly wsUrl: string;
    /**
     * Sends CANCEL on the pending target branches of the INVITE transaction `callId`/`cseq`.
     * @returns true when at least one branch was cancelled (false: none pending yet, try again)
     */
    cancelInvite(callId: string, cseq: string): Promise<boolean>;
    /** Contacts registered for `user`. */
    contacts(user: string): Promise<RegisteredContact[]>;
    close(): Promise<void>;
}

/** Where the edge reaches the simulator. */
export interface SipEdgeEndpoints {
    /** UDP port of the simulator's SIP endpoint on 127.0.0.1. */
    simSipPort: number;
    /** Base URL of the simulator's event listener (answered / bye / cancel are appended). */
    eventUrl: string;
}

/** Options of {@link KamailioEdge.start}. */
export interface KamailioEdgeOptions {
    secret: string;
    domain?: string;
    wsPort?: number;
    debug?: number;
    /** Kamailio's INVITE timeout towards a target (ms). */
    frInvMs?: number;
    log?: (line: string) => void;
    installation?: KamailioInstallation;
}

/** The real edge: Kamailio with the simulator's config. */
export class KamailioEdge implements SipEdge {
    private rpcSeq = 0;

    private constructor(
        readonly process: KamailioProcess,
        private readonly rpcPath: string
    ) {}

    /**
     * Starts Kamailio for `endpoints`.
     * @throws KamailioMissingError with the install command when Kamailio is not installed
     */
    static async start(endpoints: SipEdgeEndpoints, options: KamailioEdgeOptions): Promise<KamailioEdge> {
        const rpcPath = `/rpc-${randomBytes(12).toString('hex')}`;
        const process = await KamailioProcess.start({
            secret: options.secret,
            domain: options.domain,
            wsPort: options.wsPort,
            simSipPort: endpoints.simSipPort,
            eventUrl: endpoints.eventUrl,
            rpcPath,
            debug: options.debug,
            frInvMs: options.frInvMs,
            log: options.log,
            installation: options.installation
        });
        return new KamailioEdge(process, rpcPath);
    }

    get wsUrl(): string {
        return this.process.wsUrl;
    }

    async cancelInvite(callId: string, cseq: string): Promise<boolean> {
        const result = await this.rpc('tm.cancel', [callId, cseq]);
        // tm.cancel answers [branches cancelled, text]; an older shape without a count counts as done.
        const branches = Array.isArray(result) ? Number(result[0]) : Number.NaN;
        return Number.isFinite(branches) ? branches > 0 : true;
    }

    async contacts(user: string): Promise<RegisteredContact[]> {
        let result: unknown;
        try {
            result = await this.rpc('ul.lookup', ['location', user]);
        } catch (error) {
            if (/not found|404/i.test((error as Error).message)) return [];
            throw error;
        }
        const record = result as
            { Contacts?: { Contact?: { Address?: string; Expires?: number } }[] } | undefined;
        return (record?.Contacts ?? []).map((entry) => ({
            address: entry.Contact?.Address ?? '',
            expires: typeof entry.Contact?.Expires === 'number' ? entry.Contact.Expires : null
        }));
    }

    close(): Promise<void> {
        return this.process.close();
    }

    /** JSON-RPC to Kamailio (jsonrpcs over xhttp on its WebSocket port, loopback only, secret path). */
    private async rpc(method: string, params: unknown[]): Promise<unknown> {
        const response = await fetch(`http://127.0.0.1:${this.process.wsPort}${this.rpcPath}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ jsonrpc: '2.0', method, params, id: ++this.rpcSeq })
        });
        const json = (await response.json()) as { result?: unknown; error?: { message?: string } };
        if (json.error) throw new Error(json.error.message ?? 'RPC error');
        return json.result;
    }
}
