/**
 * The simulator: the external API of `docs/contact-centre-api.yaml` on node:http, the ACD behind it,
 * the `/_sim` control API, fault injection and the optional push to Salesforce. Listens on 127.0.0.1
 * only.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { Socket } from 'node:net';
import * as path from 'node:path';
import { systemClock, type Clock } from '../../phone-core/src/util/clock';
import { Acd } from './acd/acd';
import { CallbackQueue } from './acd/callback-queue';
import { EventLog } from './acd/events';
import { InMemorySignalling } from './acd/in-memory-signalling';
import type { CallSignalling } from './acd/signalling';
import { createOperationHandlers } from './api/operations';
import { verifySignedPath } from './api/url-signing';
import { defaultConfig, LISTEN_HOST, type SimulatorConfig } from './config';
import { createCustomerPageHandler, type CustomerPageAssets } from './control/customer-page';
import { createControlHandler } from './control/routes';
import type { ApiResult, OperationHandler, RequestContext } from './http/context';
import { FaultInjector, proxyErrorPage, type FaultSpec } from './http/faults';
import { ApiError, problemOf } from './http/problem';
import { RateLimiter } from './http/rate-limit';
import { parseJsonBody, readBody, readParameters } from './http/request';
import { PathRouter } from './http/router';
import type { Tenant } from './model';
import { OpenApiContract, type OperationInfo } from './openapi/contract';
import { CallRecordPusher, openJsforceConnection, type ApexConnection } from './push/call-record-push';
import { ConversationPusher } from './push/conversation-push';
import { VoiceCallPusher } from './push/voice-call-push';
import { RecordingLibrary } from './recording/library';
import { RecordingControls } from './recording/recording-control';
import { RecordingFiles } from './recording/wav';
import { seedStore } from './store/seed';
import { Store } from './store/store';
import { ManualClock } from './util/manual-clock';

/** How to build a simulator (everything optional). */
export interface SimulatorOptions {
    /** Overrides of {@link defaultConfig} (`sip` is merged member by member). */
    config?: Partial<Omit<SimulatorConfig, 'sip'>> & { sip?: Partial<SimulatorConfig['sip']> };
    /** Default: a {@link ManualClock} with `config.manualClock`, else the system clock. */
    clock?: Clock;
    /** Default: {@link InMemorySignalling}. */
    signalling?: CallSignalling;
    contract?: OpenApiContract;
    /** A Salesforce connection for the push (tests pass a fake); default: jsforce from `config.push`. */
    pushConnection?: ApexConnection | (() => Promise<ApexConnection>);
    /** Where request log lines and errors go (default console). */
    log?: (line: string) => void;
    /** The files of the `/customer` page (default: built from simulator/customer with esbuild). */
    customerPageAssets?: () => Promise<CustomerPageAssets>;
}

/** A running simulator. */
export interface Simulator {
    url: string;
    port: number;
    config: SimulatorConfig;
    clock: Clock;
    store: Store;
    acd: Acd;
    /** Queued callbacks the ACD places when an agent is Ready (acd/callback-queue.ts). */
    callbacks: CallbackQueue;
    signalling: CallSignalling;
    /** The in-memory signalling when that is the one in use. */
    inMemory: InMemorySignalling | null;
    events: EventLog;
    faults: FaultInjector;
    contract: OpenApiContract;
    pusher: CallRecordPusher | null;
    /** The conversations of recorded calls (F22), beside the push. */
    conversations: ConversationPusher | null;
    /** Salesforce Voice's VoiceCall records, when a telephony URL is configured. */
    voiceCalls: VoiceCallPusher | null;
    /** Recordings of answered calls (customer-side uploads replace the synthetic placeholders). */
    recordings: RecordingLibrary;
    /** Stops accepting requests, ends calls, flushes the database. */
    close(): Promise<void>;
}

const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const CORS_HEADERS = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'Access-Control-Allow-Headers':
        'Content-Type, Accept, X-Api-Key, X-Tenant-Id, X-Admin-Login, Idempotency-Key',
    'Access-Control-Expose-Headers': 'Retry-After, X-Request-Id, Location, Idempotent-Replayed',
    'Access-Control-Max-Age': '600'
};

function mergeConfig(options: SimulatorOptions['config']): SimulatorConfig {
    const base = defaultConfig();
    return { ...base, ...options, sip: { ...base.sip, ...(options?.sip ?? {}) } };
}

function header(request: http.IncomingMessage, name: string): string | undefined {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
}

/** Starts a simulator; resolves once it listens. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
    const config = mergeConfig(options.config);
    const clock = options.clock ?? (config.manualClock ? new ManualClock(Date.now()) : systemClock);
    const log = options.log ?? ((line: string) => console.log(line));
    const contract = options.contract ?? OpenApiContract.load();
    const apiVersion = String((contract.doc.info as { version?: string } | undefined)?.version ?? '1.0.0');

    const store = await Store.open(config.dataDir);
    if (store.created) seedStore(store, clock.now());
    store.purgeIdempotency(clock.now() - IDEMPOTENCY_TTL_MS);
    const recordings = new RecordingFiles(config.dataDir ? path.join(config.dataDir, 'recordings') : null);
    const events = new EventLog(clock);
    const signalling: CallSignalling = options.signalling ?? new InMemorySignalling();
    const inMemory = signalling instanceof InMemorySignalling ? signalling : null;
    const acd = new Acd({
        store,
        clock,
        signalling,
        recordings,
        events,
        ringTimeoutSeconds: config.ringTimeoutSeconds,
        maxWaitSeconds: config.maxWaitSeconds
    });
    // queued callbacks (callback-queue.ts): first of the call-ended listeners, so the IVR write carries the id
    const callbacks = new CallbackQueue({ store, clock, events });
    acd.onCallEnded((record) => callbacks.fromEndedCall(record));
    acd.setCallbackQueue(callbacks);
    let pusher: CallRecordPusher | null = null;
    let conversations: ConversationPusher | null = null;
    const library = new RecordingLibrary({
        store,
        files: recordings,
        clock,
        events,
        onRecordReplaced: (record) => {
            pusher?.handle(record);
            conversations?.handle(record);
        }
    });
    // Before the push's listener: a recording uploaded before the hang-up goes out with the record.
    acd.onCallEnded((record) => library.callEnded(record));
    const faults = new FaultInjector();
    const limiter = new RateLimiter(clock, config.rateLimitPerSecond);
    const recordingControls = new RecordingControls(clock);
    const handlers = createOperationHandlers({
        store,
        acd,
        clock,
        config,
        recordings,
        apiVersion,
        recordingControls,
        callbacks
    });
    const router = new PathRouter<{ operation: OperationInfo; handler: OperationHandler }>();
    for (const operation of contract.operations()) {
        const handler = handlers[operation.operationId];
        if (!handler) throw new Error(`No handler for operation ${operation.operationId}`);
        router.add(operation.method, operation.path, { operation, handler });
    }

    let baseUrl = '';
    const pushConnection =
        options.pushConnection ??
        (config.push ? () => openJsforceConnection(config.push!.credentials) : undefined);
    if (pushConnection) {
        pusher = new CallRecordPusher({
            connection: pushConnection,
            path: config.push?.path ?? '/ccphone/calls/v1',
            tenantId: config.push?.tenantId ?? 'acme-test',
            store,
            clock,
            events,
            baseUrl: () => baseUrl
        });
        const activePusher = pusher;
        acd.onCallEnded((record) => activePusher.handle(record));
        // after the record's push: the conversation of a recorded call (F22), to the call's Task
        const activeConversations = new ConversationPusher({
            connection: pushConnection,
            tenantId: config.push?.tenantId ?? 'acme-test',
            clock,
            events,
            wants: (record) => activePusher.wants(record),
            afterPushes: () => activePusher.inFlight()
        });
        conversations = activeConversations;
        acd.onCallEnded((record) => activeConversations.handle(record));
    }

    // Salesforce Voice: VoiceCall records through the telephony integration API (off unless configured)
    const voiceCalls = config.telephony
        ? new VoiceCallPusher({ ...config.telephony, store, events, baseUrl: () => baseUrl })
        : null;
    if (voiceCalls) acd.onCallEnded((record) => voiceCalls.callEnded(record));
    // consultation and transfer legs happen outside the ACD (agent to agent, REFER): logged for the pushers
    signalling.onTransferLeg?.((leg) =>
        events.add(
            'call-transferred',
            { tenantId: leg.tenantId, interactionId: leg.parentInteractionId, agentId: leg.targetAgentId },
            { legKey: leg.legKey, kind: leg.kind, newLeg: leg.newLeg, fromAgentId: leg.fromAgentId }
        )
    );

    /** Requests held by a stall fault, released (dropped) on close. */
    const stalls = new Set<{ socket: Socket; release: () => void }>();
    let requestSeq = 0;
    let closing = false;

    function sendJson(
        response: http.ServerResponse,
        status: number,
        body: unknown,
        headers: Record<string, string> = {},
        contentType = 'application/json; charset=utf-8'
    ): void {
        const data = Buffer.from(JSON.stringify(body));
        response.writeHead(status, {
            ...headers,
            'Content-Type': contentType,
            'Content-Length': String(data.length)
        });
        response.end(data);
    }

    function sendProblem(
        response: http.ServerResponse,
        error: ApiError,
        instance: string,
        requestId: string
    ): void {
        sendJson(
            response,
            error.status,
            problemOf(error, instance, requestId),
            error.headers,
            'application/problem+json'
        );
    }

    function sendResult(response: http.ServerResponse, result: ApiResult): void {
        const headers = result.headers ?? {};
        if (result.binary) {
            response.writeHead(result.status, {
                ...headers,
                'Content-Type': result.binary.contentType,
                'Content-Length': String(result.binary.data.length)
            });
            response.end(result.binary.data);
        } else if (result.body === undefined) {
            response.writeHead(result.status, headers);
            response.end();
        } else {
            sendJson(response, result.status, result.body, headers);
        }
    }

    /** Applies a fault; returns true when the request has been answered (or dropped) by it. */
    async function applyFault(
        fault: FaultSpec,
        request: http.IncomingMessage,
        response: http.ServerResponse,
        instance: string,
        requestId: string
    ): Promise<boolean> {
        events.add('fault-injected', {}, { path: instance, fault });
        if (fault.kind === 'status') {
            const codes: Record<number, string> = {
                400: 'bad-request',
                401: 'invalid-api-key',
                403: 'tenant-mismatch',
                404: 'not-found',
                409: 'illegal-status-transition',
                422: 'validation-failed',
                429: 'rate-limited',
                500: 'internal-error',
                502: 'bad-gateway',
                503: 'service-unavailable'
            };
            const retryAfter = fault.retryAfterSeconds ?? (fault.status === 429 ? 1 : undefined);
            const retryHeaders: Record<string, string> =
                retryAfter !== undefined ? { 'Retry-After': String(retryAfter) } : {};
            const extensions = retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {};
            sendProblem(
                response,
                new ApiError(fault.status, codes[fault.status]!, 'Injected fault.', extensions, retryHeaders),
                instance,
                requestId
            );
            return true;
        }
        if (fault.kind === 'html') {
            const page = Buffer.from(proxyErrorPage(fault.status));
            response.writeHead(fault.status, {
                'Content-Type': 'text/html; charset=utf-8',
                'Content-Length': String(page.length)
            });
            response.end(page);
            return true;
        }
        await new Promise<void>((resolve) => {
            const entry = { socket: request.socket, release: resolve };
            stalls.add(entry);
            clock.setTimeout(() => {
                stalls.delete(entry);
                resolve();
            }, fault.seconds * 1000);
        });
        if (closing || fault.then === 'close') {
            request.socket.destroy();
            return true;
        }
        return false;
    }

    interface AuthResult {
        tenant: Tenant | null;
        adminLogin: RequestContext['adminLogin'];
        signed: boolean;
        rateKey: string;
    }

    function authenticate(operation: OperationInfo, request: http.IncomingMessage, url: URL): AuthResult {
        const remote = `ip:${request.socket.remoteAddress ?? 'unknown'}`;
        if (operation.security.length === 0)
            return { tenant: null, adminLogin: null, signed: false, rateKey: remote };
        const allowsSignature = operation.security.some((requirement) =>
            requirement.includes('RecordingSignature')
        );
        if (allowsSignature && url.searchParams.has('signature')) {
            const valid = verifySignedPath(
                config.urlSigningSecret,
                url.pathname,
                url.searchParams.get('expires'),
                url.searchParams.get('signature'),
                clock.now()
            );
            if (!valid)
                throw new ApiError(
                    401,
                    'invalid-signature',
                    'The signed URL is invalid or has expired; ask for a new one.'
                );
            return { tenant: null, adminLogin: null, signed: true, rateKey: remote };
        }
        const apiKey = header(request, 'x-api-key');
        const tenant = apiKey ? store.getTenantByApiKey(apiKey) : undefined;
        if (!tenant)
            throw new ApiError(401, 'invalid-api-key', 'The X-Api-Key header is missing or not a valid key.');
        const tenantId = header(request, 'x-tenant-id');
        if (!tenantId) throw new ApiError(401, 'missing-tenant-id', 'The X-Tenant-Id header is missing.');
        if (tenantId !== tenant.id)
            throw new ApiError(
                403,
                'tenant-mismatch',
                `The API key does not belong to tenant "${tenantId}".`
            );
        const keyAlternatives = operation.security.filter((requirement) => requirement.includes('ApiKey'));
        const adminRequired = keyAlternatives.every((requirement) => requirement.includes('AdminLogin'));
        const adminAccepted = keyAlternatives.some((requirement) => requirement.includes('AdminLogin'));
        const login = header(request, 'x-admin-login');
        const valid =
            login !== undefined &&
            tenant.adminLogins.some((admin) => admin.toLowerCase() === login.toLowerCase());
        if (adminRequired) {
            if (!login)
                throw new ApiError(
                    403,
                    'admin-login-required',
                    'This operation acts for an administrator: send X-Admin-Login.'
                );
            if (!valid)
                throw new ApiError(
                    403,
                    'admin-login-invalid',
                    `"${login}" is not an administrator of tenant "${tenant.id}".`
                );
        }
        return {
            tenant,
            adminLogin: adminAccepted && login ? { sent: login, valid } : null,
            signed: false,
            rateKey: `key:${createHash('sha256').update(apiKey!).digest('hex')}`
        };
    }

    async function handleApi(
        request: http.IncomingMessage,
        response: http.ServerResponse,
        url: URL,
        requestId: string
    ): Promise<void> {
        const instance = url.pathname;
        const fault = faults.take(url.pathname);
        if (fault && (await applyFault(fault, request, response, instance, requestId))) return;
        try {
            let match;
            try {
                match = router.match(request.method ?? 'GET', url.pathname);
            } catch {
                throw new ApiError(400, 'bad-request', 'The path is not valid percent-encoding.');
            }
            if (match.kind === 'not-found')
                throw new ApiError(404, 'not-found', `No operation at ${url.pathname}.`);
            if (match.kind === 'method-not-allowed') {
                throw new ApiError(
                    405,
                    'method-not-allowed',
                    `Use ${match.allowed.join(', ')}.`,
                    {},
                    { Allow: match.allowed.join(', ') }
                );
            }
            const { operation, handler } = match.value;
            const auth = authenticate(operation, request, url);
            const waitSeconds = limiter.take(auth.rateKey);
            if (waitSeconds > 0) {
                throw new ApiError(
                    429,
                    'rate-limited',
                    `Rate limit of ${limiter.perSecond} requests per second exceeded.`,
                    { retryAfterSeconds: waitSeconds },
                    { 'Retry-After': String(waitSeconds) }
                );
            }
            const params = readParameters(
                contract,
                operation,
                match.params,
                url.searchParams,
                request.headers
            );
            const raw = await readBody(request);
            const body = parseJsonBody(contract, operation, raw, header(request, 'content-type'));
            const context: RequestContext = {
                operationId: operation.operationId,
                tenant: auth.tenant,
                adminLogin: auth.adminLogin,
                signed: auth.signed,
                path: params.path,
                query: params.query,
                body,
                headers: request.headers,
                baseUrl,
                requestId
            };
            const idempotencyKey = operation.parameters.some((p) => p.name === 'Idempotency-Key')
                ? header(request, 'idempotency-key')
                : undefined;
            if (idempotencyKey && auth.tenant) {
                const requestHash = createHash('sha256')
                    .update(JSON.stringify({ path: params.path, body }))
                    .digest('hex');
                const stored = store.getIdempotency(auth.tenant.id, operation.operationId, idempotencyKey);
                if (stored && stored.createdAt > clock.now() - IDEMPOTENCY_TTL_MS) {
                    if (stored.requestHash !== requestHash) {
                        throw new ApiError(
                            422,
                            'idempotency-key-reused',
                            'This Idempotency-Key was used with another request.'
                        );
                    }
                    sendResult(response, {
                        status: stored.status,
                        body: stored.body,
                        headers: { ...stored.headers, 'Idempotent-Replayed': 'true' }
                    });
                    return;
                }
                const result = handler(context);
                if (result.status >= 200 && result.status < 300 && !result.binary) {
                    store.putIdempotency({
                        tenantId: auth.tenant.id,
                        operationId: operation.operationId,
                        key: idempotencyKey,
                        requestHash,
                        status: result.status,
                        headers: result.headers ?? {},
                        body: result.body,
                        createdAt: clock.now()
                    });
                }
                sendResult(response, result);
                return;
            }
            sendResult(response, handler(context));
        } catch (error) {
            if (error instanceof ApiError) {
                sendProblem(response, error, instance, requestId);
            } else {
                log(
                    `[simulator] ${requestId} ${request.method} ${url.pathname} failed: ${(error as Error).stack ?? String(error)}`
                );
                sendProblem(
                    response,
                    new ApiError(500, 'internal-error', 'Unexpected error; see the simulator log.'),
                    instance,
                    requestId
                );
            }
        }
    }

    const control = createControlHandler({
        store,
        acd,
        clock,
        events,
        faults,
        inMemory,
        pusher: () => pusher,
        conversations: () => conversations,
        baseUrl: () => baseUrl,
        recordings: library,
        recordingControls,
        interactionOfCallId: (callId) => signalling.interactionIdOfCallId?.(callId),
        sendJson,
        sendProblem
    });
    const customerPage = createCustomerPageHandler({
        store,
        config,
        clock,
        assets: options.customerPageAssets,
        sendJson,
        sendProblem
    });

    const server = http.createServer((request, response) => {
        const started = Date.now();
        const requestId = `req-${(++requestSeq).toString().padStart(6, '0')}-${randomUUID().slice(0, 8)}`;
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        for (const [name, value] of Object.entries(CORS_HEADERS)) response.setHeader(name, value);
        response.setHeader('X-Request-Id', requestId);
        if (closing) response.setHeader('Connection', 'close');
        if (config.logRequests) {
            // Never log headers: they carry the API key.
            response.on('finish', () =>
                log(`${request.method} ${url.pathname} ${response.statusCode} ${Date.now() - started}ms`)
            );
        }
        let work: Promise<void>;
        if (request.method === 'OPTIONS') {
            response.writeHead(204);
            response.end();
            return;
        } else if (url.pathname === '/_sim' || url.pathname.startsWith('/_sim/')) {
            work = control(request, response, url, requestId);
        } else if (url.pathname.startsWith('/v1/') || url.pathname === '/v1') {
            work = handleApi(request, response, url, requestId);
        } else if (url.pathname === '/customer' || url.pathname.startsWith('/customer/')) {
            work = customerPage(request, response, url, requestId);
        } else {
            sendProblem(
                response,
                new ApiError(404, 'not-found', `Nothing at ${url.pathname}; the API lives under /v1.`),
                url.pathname,
                requestId
            );
            return;
        }
        work.catch((error: unknown) => {
            log(`[simulator] ${requestId} crashed: ${(error as Error).stack ?? String(error)}`);
            if (!response.headersSent)
                sendProblem(
                    response,
                    new ApiError(500, 'internal-error', 'Unexpected error.'),
                    url.pathname,
                    requestId
                );
            else response.destroy();
        });
    });

    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, LISTEN_HOST, () => {
            server.off('error', reject);
            resolve();
        });
    });
    const port = (server.address() as { port: number }).port;
    const url = `http://${LISTEN_HOST}:${port}`;
    baseUrl = (config.publicUrl ?? url).replace(/\/$/, '');

    let closed: Promise<void> | undefined;
    const close = (): Promise<void> => {
        closed ??= (async () => {
            closing = true;
            const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
            for (const stall of stalls) {
                stall.socket.destroy();
                stall.release();
            }
            stalls.clear();
            server.closeIdleConnections();
            const force = setTimeout(() => server.closeAllConnections(), 2000);
            force.unref();
            await stopped;
            clearTimeout(force);
            acd.close();
            callbacks.close();
            pusher?.close();
            conversations?.close();
            voiceCalls?.close();
            await signalling.close();
            store.close();
        })();
        return closed;
    };

    return {
        url,
        port,
        config,
        clock,
        store,
        acd,
        callbacks,
        signalling,
        inMemory,
        events,
        faults,
        contract,
        pusher,
        conversations,
        voiceCalls,
        recordings: library,
        close
    };
}
