/**
 * The workbench's Salesforce Voice mode (127.0.0.1 only): the pages and services an org with Salesforce
 * Voice provides around the connector, so the REAL `voiceConnector` static resource runs as the
 * Omni-Channel softphone runs it.
 *
 * | path                                          | what                                                        |
 * |-----------------------------------------------|-------------------------------------------------------------|
 * | `/voice/softphone.html`                       | the softphone stand-in: loads the connector page in a frame and speaks the base library's protocol (SETUP_CONNECTOR, requests, telephony events) |
 * | `/voice/connector.html`                       | the connector page (the contact center's adapter URL): loads `/resource/voiceConnector` and starts it with its ports |
 * | `/resource/voiceConnector`                    | the static resource as built, byte for byte                 |
 * | `POST /apex/<Class>/<method>`, `/org/...`     | the workbench's local org (same Apex contracts as in an org), proxied |
 * | `/voice/api/directory`                        | agents and queues of the contact centre (transfer targets)  |
 * | `/voice/api/recordings/<interactionId>`       | a signed playback URL of the call's recording               |
 * | `POST`/`PATCH /telephony/v1/voiceCalls[/<key>]` | the telephony integration API: the VoiceCall store the simulator writes to |
 * | `/voice/api/voice-calls`, `POST /voice/api/voice-calls/relate` | the VoiceCall list; relate an outbound call to its record |
 *
 * The contact centre's API key stays here, server-side, as it stays in the Named Credential in an org.
 */
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { SignedRecording, TransferTarget } from '../../voice-connector/src/ports';
import { VoiceCallError, VoiceCallStore } from './voice-calls';

export interface VoiceServerOptions {
    root: string;
    /** 0: any free port. */
    port: number;
    /** The contact centre's API with the tenant's key (what the Named Credential holds). */
    contactCentre: { url: string; apiKey: string; tenantId: string };
    /** The workbench server (local org), when already known; see {@link VoiceServer.setWorkbenchUrl}. */
    workbenchUrl?: string;
    log?: (line: string) => void;
}

export interface VoiceServer {
    url: string;
    store: VoiceCallStore;
    setWorkbenchUrl(url: string): void;
    close(): Promise<void>;
}

const PAGES: Record<string, string> = {
    'softphone.html': 'text/html; charset=utf-8',
    'softphone.js': 'text/javascript; charset=utf-8',
    'connector.html': 'text/html; charset=utf-8',
    'connector-page.js': 'text/javascript; charset=utf-8'
};
const MAX_BODY = 256 * 1024;

class HttpError extends Error {
    constructor(
        readonly status: number,
        message: string
    ) {
        super(message);
    }
}

async function readBody(request: http.IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY) throw new HttpError(413, 'body too large');
        chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
}

async function readJson(request: http.IncomingMessage): Promise<Record<string, unknown>> {
    const text = (await readBody(request)).toString('utf8');
    if (!text) return {};
    try {
        const value = JSON.parse(text) as unknown;
        if (value && typeof value === 'object' && !Array.isArray(value))
            return value as Record<string, unknown>;
    } catch {
        // answered below
    }
    throw new HttpError(400, 'the body must be a JSON object');
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    response.end(JSON.stringify(body));
}

/** Starts the Voice mode server. */
export async function startVoiceServer(options: VoiceServerOptions): Promise<VoiceServer> {
    const store = new VoiceCallStore();
    let workbenchUrl = options.workbenchUrl;
    const log = options.log ?? (() => undefined);
    const pagesDir = path.join(options.root, 'workbench/voice/pages');
    const resourceFile = path.join(options.root, 'force-app/main/default/staticresources/voiceConnector.js');

    const contactCentre = async <T>(apiPath: string): Promise<T> => {
        const response = await fetch(`${options.contactCentre.url}${apiPath}`, {
            headers: {
                'X-Api-Key': options.contactCentre.apiKey,
                'X-Tenant-Id': options.contactCentre.tenantId
            }
        });
        if (!response.ok) throw new HttpError(502, `contact centre ${apiPath}: HTTP ${response.status}`);
        return (await response.json()) as T;
    };

    const directory = async (): Promise<TransferTarget[]> => {
        const [agents, queues] = await Promise.all([
            contactCentre<{
                items: Array<{ id: string; displayName?: string; firstName?: string; lastName?: string }>;
            }>('/v1/agents'),
            contactCentre<{ items: Array<{ id: string; name: string; campaignId: string }> }>('/v1/queues')
        ]);
        const statuses = await Promise.all(
            agents.items.map((agent) =>
                contactCentre<{ status?: string }>(`/v1/agents/${encodeURIComponent(agent.id)}/status`).catch(
                    () => ({ status: undefined })
                )
            )
        );
        return [
            ...agents.items.map((agent, i): TransferTarget => ({
                id: agent.id,
                kind: 'agent',
                name: agent.displayName ?? `${agent.firstName ?? ''} ${agent.lastName ?? ''}`.trim(),
                // agents register under their id at the contact centre's SIP edge
                target: agent.id,
                available: statuses[i]?.status === 'Ready'
            })),
            // a call sent to a campaign's number queues again there
            ...queues.items.map((queue): TransferTarget => ({
                id: queue.id,
                kind: 'queue',
                name: queue.name,
                target: queue.campaignId
            }))
        ];
    };

    const signedRecording = async (interactionId: string): Promise<SignedRecording> => {
        const call = await contactCentre<{ recording?: { id: string; durationSeconds?: number } | null }>(
            `/v1/calls/${encodeURIComponent(interactionId)}`
        );
        if (!call.recording) throw new HttpError(404, 'the call has no recording');
        const signed = await contactCentre<{ url: string }>(
            `/v1/recordings/${encodeURIComponent(call.recording.id)}/signed-url`
        );
        return { url: signed.url, durationSeconds: call.recording.durationSeconds };
    };

    const proxy = async (request: http.IncomingMessage, response: http.ServerResponse, url: URL) => {
        if (!workbenchUrl) throw new HttpError(503, 'the local org is not started');
        const method = request.method ?? 'GET';
        const body =
            method === 'GET' || method === 'HEAD' ? undefined : (await readBody(request)).toString('utf8');
        const upstream = await fetch(`${workbenchUrl}${url.pathname}${url.search}`, {
            method,
            headers: { 'Content-Type': request.headers['content-type'] ?? 'application/json' },
            body
        });
        response.writeHead(upstream.status, {
            'Content-Type': upstream.headers.get('content-type') ?? 'application/json',
            'Cache-Control': 'no-store'
        });
        response.end(Buffer.from(await upstream.arrayBuffer()));
    };

    const handle = async (request: http.IncomingMessage, response: http.ServerResponse) => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        const method = request.method ?? 'GET';
        const parts = url.pathname.split('/').filter(Boolean);
        if (method === 'GET' && parts[0] === 'voice' && parts.length === 2 && PAGES[parts[1]!]) {
            response.writeHead(200, { 'Content-Type': PAGES[parts[1]!]!, 'Cache-Control': 'no-store' });
            response.end(await fs.readFile(path.join(pagesDir, parts[1]!)));
            return;
        }
        if (method === 'GET' && url.pathname === '/resource/voiceConnector') {
            // the file the package ships, as it is on disk (built by `npm run build`)
            const data = await fs.readFile(resourceFile).catch(() => {
                throw new HttpError(
                    404,
                    'voiceConnector.js is missing: run node scripts/build.mjs --core-only'
                );
            });
            response.writeHead(200, {
                'Content-Type': 'text/javascript; charset=utf-8',
                'Cache-Control': 'no-store'
            });
            response.end(data);
            return;
        }
        if (parts[0] === 'apex' || parts[0] === 'org') {
            await proxy(request, response, url);
            return;
        }
        if (parts[0] === 'telephony' && parts[1] === 'v1' && parts[2] === 'voiceCalls') {
            const body = await readJson(request);
            if (method === 'POST' && parts.length === 3) {
                const created = store.create(body);
                log(`voice: VoiceCall ${created.voiceCallId} for ${String(body.vendorCallKey)}`);
                sendJson(response, 200, created);
                return;
            }
            if (method === 'PATCH' && parts.length === 4) {
                store.update(decodeURIComponent(parts[3]!), body);
                sendJson(response, 200, { success: true });
                return;
            }
            throw new HttpError(405, 'POST /telephony/v1/voiceCalls or PATCH /telephony/v1/voiceCalls/{id}');
        }
        if (parts[0] === 'voice' && parts[1] === 'api') {
            if (method === 'GET' && parts[2] === 'directory' && parts.length === 3) {
                sendJson(response, 200, await directory());
                return;
            }
            if (method === 'GET' && parts[2] === 'recordings' && parts.length === 4) {
                sendJson(response, 200, await signedRecording(decodeURIComponent(parts[3]!)));
                return;
            }
            if (method === 'GET' && parts[2] === 'voice-calls' && parts.length === 3) {
                sendJson(response, 200, store.list());
                return;
            }
            if (
                method === 'POST' &&
                parts[2] === 'voice-calls' &&
                parts[3] === 'relate' &&
                parts.length === 4
            ) {
                const body = await readJson(request);
                sendJson(
                    response,
                    200,
                    store.relateOutbound(String(body.number ?? ''), String(body.recordId ?? ''))
                );
                return;
            }
        }
        throw new HttpError(404, 'Not found');
    };

    const server = http.createServer((request, response) => {
        handle(request, response).catch((error: unknown) => {
            const status = error instanceof HttpError || error instanceof VoiceCallError ? error.status : 500;
            const message = error instanceof Error ? error.message : String(error);
            if (status >= 500) log(`voice: ${request.method} ${request.url}: ${message}`);
            if (!response.headersSent) sendJson(response, status, { message });
            else response.end();
        });
    });
    await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
    const address = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${address.port}`,
        store,
        setWorkbenchUrl: (value) => {
            workbenchUrl = value;
        },
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            })
    };
}
