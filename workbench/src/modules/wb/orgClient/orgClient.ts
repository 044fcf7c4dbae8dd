/**
 * The browser side of the local org: `@salesforce/apex/*` imports call its Apex implementations over HTTP
 * (POST /apex/Class/method with the parameters as JSON), and the workbench's own pages read and write records
 * through its small REST API (what the platform's record pages and UI API do in Salesforce).
 *
 * Failures look like the platform's: an Apex error rejects with `{ status, body: { message }, ok: false }`,
 * which is what the components' `errorMessage()` reads.
 */

/** What an Apex call rejects with (the shape Lightning gives a component). */
export interface ApexError {
    status: number;
    statusText: string;
    ok: false;
    headers: Record<string, string>;
    body: { message: string; exceptionType?: string; isUserDefinedException?: boolean };
}

async function request(method: string, url: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
        response = await fetch(url, {
            method,
            headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body)
        });
    } catch (error) {
        const failure: ApexError = {
            status: 0,
            statusText: 'Network error',
            ok: false,
            headers: {},
            body: {
                message: `The local org is not reachable (${String((error as Error)?.message ?? error)})`
            }
        };
        throw failure;
    }
    const text = await response.text();
    let parsed: unknown = null;
    try {
        parsed = text ? JSON.parse(text) : null;
    } catch {
        parsed = { message: text };
    }
    if (!response.ok) {
        const message = (parsed as { message?: unknown } | null)?.message;
        const failure: ApexError = {
            status: response.status,
            statusText: response.statusText,
            ok: false,
            headers: {},
            body: {
                message: typeof message === 'string' ? message : response.statusText,
                exceptionType: (parsed as { exceptionType?: string } | null)?.exceptionType,
                isUserDefinedException: true
            }
        };
        throw failure;
    }
    return parsed;
}

/** Calls one Apex method of the local org. */
export function invokeApex(
    className: string,
    method: string,
    params: Record<string, unknown> | undefined
): Promise<unknown> {
    return request(
        'POST',
        `/apex/${encodeURIComponent(className)}/${encodeURIComponent(method)}`,
        params ?? {}
    );
}

type DataCallback = (value: { data: unknown; error: unknown }) => void;

/**
 * An imported Apex method: a function returning a promise, and (as on the platform) a wire adapter, so
 * `@wire(method, params)` works for cacheable methods.
 */
export function apexMethod(className: string, method: string, cacheable: boolean) {
    const call = (params?: Record<string, unknown>) => invokeApex(className, method, params);
    class ApexWireAdapter {
        private config: Record<string, unknown> | undefined;
        private connected = false;
        constructor(private readonly dataCallback: DataCallback) {}
        connect(): void {
            this.connected = true;
            if (this.config) this.fetch();
        }
        disconnect(): void {
            this.connected = false;
        }
        update(config: Record<string, unknown>): void {
            this.config = config;
            if (this.connected) this.fetch();
        }
        private fetch(): void {
            if (!cacheable) {
                this.dataCallback({
                    data: undefined,
                    error: {
                        body: {
                            message: `${className}.${method} is not cacheable: @wire needs cacheable=true`
                        }
                    }
                });
                return;
            }
            call(this.config).then(
                (data) => this.dataCallback({ data, error: undefined }),
                (error: unknown) => this.dataCallback({ data: undefined, error })
            );
        }
    }
    return Object.assign(call, { adapter: ApexWireAdapter });
}

/**
 * A wire adapter answered by the local org: `load(config)` gives the request (null: not yet, e.g. no record
 * id), and only the latest request's answer is delivered, as `{ data }` or `{ error }`.
 */
export class OrgWireAdapter<Config, Data> {
    private config: Config | undefined;
    private connected = false;
    private seq = 0;

    constructor(private readonly dataCallback: (value: { data: Data | undefined; error: unknown }) => void) {}

    connect(): void {
        this.connected = true;
        this.fetch();
    }

    disconnect(): void {
        this.connected = false;
    }

    update(config: Config): void {
        this.config = config;
        this.fetch();
    }

    /** The request for `config` (each adapter overrides it); null: nothing to ask yet. */
    protected load(config: Config): Promise<Data> | null {
        void config;
        return null;
    }

    private fetch(): void {
        const request = this.connected && this.config !== undefined ? this.load(this.config) : null;
        if (!request) return;
        const seq = ++this.seq;
        request.then(
            (data) => {
                if (seq === this.seq) this.dataCallback({ data, error: undefined });
            },
            (error: unknown) => {
                if (seq === this.seq) this.dataCallback({ data: undefined, error });
            }
        );
    }
}

/** GET a JSON resource of the local org's REST API (`/org/...`). */
export function orgGet<T>(path: string): Promise<T> {
    return request('GET', `/org${path}`) as Promise<T>;
}

/** POST to the local org's REST API. */
export function orgPost<T>(path: string, body: unknown): Promise<T> {
    return request('POST', `/org${path}`, body) as Promise<T>;
}

/** The message of an error thrown by this module (or any other), for a toast. */
export function messageOf(error: unknown): string {
    const body = (error as { body?: { message?: unknown } } | null)?.body;
    if (body && typeof body.message === 'string') return body.message;
    if (error instanceof Error) return error.message;
    return String(error ?? '');
}

/** A record the local org wrote (the server's `/org/events` stream). */
export interface RecordChange {
    object: string;
    id: string;
    relatedIds: string[];
}

const changeListeners = new Set<(change: RecordChange) => void>();
let changeSource: EventSource | null = null;

/**
 * Calls `listener` after every record write in the local org (one shared event stream per page); returns the
 * unsubscribe function. What Change Data Capture or `notifyRecordUpdateAvailable` would give in an org.
 */
export function subscribeOrgChanges(listener: (change: RecordChange) => void): () => void {
    changeListeners.add(listener);
    if (!changeSource && typeof EventSource === 'function') {
        changeSource = new EventSource('/org/events');
        changeSource.onmessage = (event: MessageEvent<string>) => {
            let change: RecordChange;
            try {
                change = JSON.parse(event.data) as RecordChange;
            } catch {
                return;
            }
            for (const each of [...changeListeners]) each(change);
        };
    }
    return () => {
        changeListeners.delete(listener);
    };
}
