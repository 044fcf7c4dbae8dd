/**
 * Pushes finished call records to the package's Apex REST endpoint
 * (`POST /services/apexrest/ccphone/calls/v1`, payload `CallRecordPush` of the OpenAPI document), as
 * the real contact centre does for hard-phone calls and reconciliation. Off unless Salesforce
 * credentials are configured. Failed pushes are retried with backoff on the injected clock.
 */
import type { Clock } from '../../../phone-core/src/util/clock';
import type { EventLog } from '../acd/events';
import { callToApi, iso, type CallRecordJson } from '../api/mappers';
import type { SalesforcePushCredentials } from '../config';
import type { CallRecordData } from '../model';
import type { Store } from '../store/store';
import { APEX_IVR_WRITES_PATH, ivrWriteOf } from './ivr-write';

/** The part of a jsforce `Connection` the push needs (a fake in tests). */
export interface ApexConnection {
    apex: {
        post<R = unknown>(path: string, body?: object): PromiseLike<R>;
        /** jsforce's `apex.put` (the conversation push, conversation-push.ts); a fake may leave it out. */
        put?<R = unknown>(
            path: string,
            body?: object,
            options?: { headers?: Record<string, string> }
        ): PromiseLike<R>;
    };
}

/** The body posted to Salesforce. */
export interface CallRecordPushBody {
    tenantId: string;
    sentAt: string;
    records: CallRecordJson[];
}

/** Options of {@link CallRecordPusher}. */
export interface PusherOptions {
    /** A connection, or a function that opens one on first use (jsforce login). */
    connection: ApexConnection | (() => Promise<ApexConnection>);
    /** Path below /services/apexrest, e.g. `/ccphone/calls/v1`. */
    path: string;
    tenantId: string;
    store: Store;
    clock: Clock;
    events: EventLog;
    /** Base URL of recording links in the records. */
    baseUrl: () => string;
    /** Waits before each retry (default 1 s, 5 s, 30 s, 120 s). */
    retryDelaysMs?: number[];
}

type Jsforce = typeof import('jsforce');

/**
 * Loads jsforce. jsforce 3.10 pulls undici 8, which needs Node 22 (zstd) and throws on load under
 * Node 20 unless package.json overrides its undici to 7.x; until then the same library's Node build,
 * `@jsforce/jsforce-node` (installed with the Salesforce CLI, undici 7), stands in.
 */
async function loadJsforce(): Promise<Jsforce> {
    try {
        return await import('jsforce');
    } catch (error) {
        try {
            return (await import('@jsforce/jsforce-node' as string)) as Jsforce;
        } catch {
            throw error;
        }
    }
}

/** Opens a jsforce connection: access token if given, else username + password login. */
export async function openJsforceConnection(credentials: SalesforcePushCredentials): Promise<ApexConnection> {
    const jsforce = await loadJsforce();
    if (credentials.kind === 'token') {
        return new jsforce.Connection({
            instanceUrl: credentials.instanceUrl,
            accessToken: credentials.accessToken
        });
    }
    const connection = new jsforce.Connection({ loginUrl: credentials.loginUrl });
    await connection.login(credentials.username, credentials.password);
    return connection;
}

/** See the module documentation. */
export class CallRecordPusher {
    private connection: Promise<ApexConnection> | undefined;
    private readonly pending = new Set<Promise<void>>();
    /** Retry waits in progress: timer -> its resolver (close() releases them). */
    private readonly waits = new Map<unknown, () => void>();
    private closed = false;

    constructor(private readonly options: PusherOptions) {}

    /** Whether the integration settings want this call in Salesforce. */
    wants(record: CallRecordData): boolean {
        if (record.tenantId !== this.options.tenantId || record.state !== 'ended') return false;
        const settings = this.options.store.getTenant(record.tenantId)?.settings;
        if (!settings?.active) return false;
        if (record.agentPhoneType && record.agentPhoneType !== 'webphone' && !settings.logNonWebPhoneCalls)
            return false;
        if (
            settings.syncCampaignIds.length > 0 &&
            !settings.syncCampaignIds.includes(record.campaignId ?? '')
        )
            return false;
        return true;
    }

    /** The payload for some records. */
    payload(records: CallRecordData[]): CallRecordPushBody {
        return {
            tenantId: this.options.tenantId,
            sentAt: iso(this.options.clock.now()),
            records: records.map((record) =>
                callToApi(
                    record,
                    record.recordingId
                        ? this.options.store.getRecording(record.tenantId, record.recordingId)
                        : undefined,
                    this.options.baseUrl(),
                    this.options.store
                )
            )
        };
    }

    /**
     * Pushes a finished call if the settings want it (the ACD's call-ended listener); a call nobody
     * answered also goes to the IVR-writes endpoint, which makes its callback (ivr-write.ts).
     */
    handle(record: CallRecordData): void {
        if (this.closed || !this.wants(record)) return;
        this.track(this.send(this.options.path, this.payload([record]), [record.interactionId], 0));
        const ivrWrite = ivrWriteOf(record);
        if (ivrWrite) this.track(this.send(APEX_IVR_WRITES_PATH, ivrWrite, [record.interactionId], 0));
    }

    /** Resolves when every push started so far has finished (sent or given up, retries included). */
    async idle(): Promise<void> {
        while (this.pending.size > 0) await Promise.all([...this.pending]);
    }

    /** Resolves when the pushes in flight now have finished (later ones are not waited for). */
    async inFlight(): Promise<void> {
        await Promise.all([...this.pending]);
    }

    /** Stops retrying. */
    close(): void {
        this.closed = true;
        for (const [timer, release] of this.waits) {
            this.options.clock.clearTimeout(timer);
            release();
        }
        this.waits.clear();
    }

    private async send(path: string, body: object, ids: string[], attempt: number): Promise<void> {
        try {
            this.connection ??= this.open();
            const connection = await this.connection;
            const response = await connection.apex.post(path, body);
            this.options.events.add(
                'push-sent',
                { tenantId: this.options.tenantId },
                { path, interactionIds: ids, attempt, response }
            );
        } catch (error) {
            if (attempt === 0) this.connection = undefined; // e.g. an expired session: log in again next time
            const delays = this.options.retryDelaysMs ?? [1000, 5000, 30_000, 120_000];
            const message = error instanceof Error ? error.message : String(error);
            const retryInMs = delays[attempt];
            this.options.events.add(
                'push-failed',
                { tenantId: this.options.tenantId },
                { path, interactionIds: ids, attempt, error: message, retryInMs: retryInMs ?? null }
            );
            if (retryInMs === undefined || this.closed) return;
            await new Promise<void>((resolve) => {
                const timer = this.options.clock.setTimeout(() => {
                    this.waits.delete(timer);
                    resolve();
                }, retryInMs);
                this.waits.set(timer, resolve);
            });
            if (!this.closed) await this.send(path, body, ids, attempt + 1);
        }
    }

    private open(): Promise<ApexConnection> {
        const { connection } = this.options;
        return typeof connection === 'function' ? connection() : Promise.resolve(connection);
    }

    private track(promise: Promise<void>): void {
        this.pending.add(promise);
        void promise.finally(() => this.pending.delete(promise));
    }
}
