/**
 * The workbench's web server (127.0.0.1 only):
 *
 * | path                                  | what                                                              |
 * |---------------------------------------|-------------------------------------------------------------------|
 * | `/`                                   | the Lightning-like page (index.html + the page's configuration)   |
 * | `/app.js`                             | the compiled bundle (build/workbench/app.js)                      |
 * | `/slds/...`                           | the Salesforce Lightning Design System's assets                   |
 * | `/resource/<name>`                    | a static resource of the package, as shipped (`webphoneCore`)    |
 * | `POST /apex/<Class>/<method>`         | the local org's Apex (`@salesforce/apex/*` imports call this)     |
 * | `/org/records[?object=]`, `/org/records/<id>[/activities]`, `/org/search`, `POST /org/records` | records |
 * | `/org/events`                         | Server-Sent Events: every record the org writes                   |
 *
 * The customer phone beside the app is the simulator's own page (`<simulator>/customer`), in an iframe.
 */
import { createReadStream, existsSync, promises as fs, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { RunningUser } from '../org/apex/context';
import { ApexFailure, LocalOrg } from '../org/local-org';
import { renderIndex } from './pages';

export interface WorkbenchServerOptions {
    root: string;
    org: LocalOrg;
    /** 0: any free port. */
    port: number;
    /** The simulator: its customer phone page is shown beside the app. */
    simulator: { url: string };
    /** Where the compiled bundle is (build/workbench). */
    bundleDir: string;
    log?: (line: string) => void;
}

export interface WorkbenchServer {
    url: string;
    close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
/** A conversation carries a transcript of up to a million characters and more (the org cuts it). */
const MAX_CONVERSATION_BODY = 8 * 1024 * 1024;
/** The conversation endpoint (F22); the interaction id follows. */
const CONVERSATIONS_PATH = '/services/apexrest/ccphone/conversations/v1/';
const TYPES: Readonly<Record<string, string>> = {
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.html': 'text/html; charset=utf-8',
    '.json': 'application/json',
    '.map': 'application/json',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.jpg': 'image/jpeg',
    '.gif': 'image/gif',
    '.woff': 'font/woff',
    '.woff2': 'font/woff2'
};

class HttpError extends Error {
    constructor(
        readonly status: number,
        message: string
    ) {
        super(message);
    }
}

function send(response: http.ServerResponse, status: number, body: string | Buffer, type: string): void {
    response.writeHead(status, {
        'Content-Type': type,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff'
    });
    response.end(body);
}

function sendJson(response: http.ServerResponse, status: number, value: unknown): void {
    send(response, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

async function readJson(request: http.IncomingMessage, limit = MAX_BODY): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
        size += (chunk as Buffer).length;
        if (size > limit) throw new HttpError(413, 'Request body too large');
        chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (!text) return {};
    try {
        return JSON.parse(text);
    } catch {
        throw new HttpError(400, 'Body is not JSON');
    }
}

/** Serves a file below `base`; 404 for anything outside it or missing. */
function sendFile(response: http.ServerResponse, base: string, relative: string): void {
    const file = path.resolve(base, `.${path.posix.normalize(`/${relative}`)}`);
    if (!file.startsWith(path.resolve(base) + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
        throw new HttpError(404, 'Not found');
    }
    response.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff'
    });
    createReadStream(file).pipe(response);
}

/** Starts the server. */
export async function startWorkbenchServer(options: WorkbenchServerOptions): Promise<WorkbenchServer> {
    const { root, org } = options;
    const log = options.log ?? (() => undefined);
    const sldsAssets = path.join(root, 'node_modules/@salesforce-ux/design-system/assets');
    const staticResources = path.join(root, 'force-app/main/default/staticresources');

    /**
     * The page's user: the org's running user, or another sample user named by the `wb-user` cookie (a
     * second agent's page beside the first: transfers between two agents in one local org).
     */
    const runningUserOf = (request: http.IncomingMessage): RunningUser => {
        const cookie = /(?:^|;\s*)wb-user=([^;]+)/.exec(request.headers.cookie ?? '');
        if (!cookie) return org.user;
        const user = org.sampleUser(decodeURIComponent(cookie[1]!));
        if (!user) throw new HttpError(400, 'No such sample user (cookie wb-user)');
        return user;
    };

    const handle = async (request: http.IncomingMessage, response: http.ServerResponse): Promise<void> => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        const method = request.method ?? 'GET';
        const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);

        if (method === 'GET' && url.pathname === '/') {
            send(
                response,
                200,
                renderIndex({
                    org,
                    user: runningUserOf(request),
                    customerPanelUrl: `${options.simulator.url}/customer`
                }),
                TYPES['.html']!
            );
            return;
        }
        if (method === 'GET' && (url.pathname === '/app.js' || url.pathname === '/app.js.map')) {
            sendFile(response, options.bundleDir, url.pathname.slice(1));
            return;
        }
        if (method === 'GET' && parts[0] === 'slds') {
            sendFile(response, sldsAssets, parts.slice(1).join('/'));
            return;
        }
        if (method === 'GET' && parts[0] === 'resource' && parts.length === 2 && /^\w+$/.test(parts[1]!)) {
            // the file the package ships, as it is on disk (webphoneCore.js: built by `npm run build`)
            const name = parts[1]!;
            const file = (await fs.readdir(staticResources)).find(
                (entry) => entry.startsWith(`${name}.`) && !entry.endsWith('-meta.xml')
            );
            if (!file) throw new HttpError(404, `No static resource ${name} (run npm run build)`);
            sendFile(response, staticResources, file);
            return;
        }
        if (parts[0] === 'apex' && parts.length === 3) {
            if (method !== 'POST') throw new HttpError(405, 'POST only');
            const params = await readJson(request);
            try {
                sendJson(
                    response,
                    200,
                    await org.invokeApex(parts[1]!, parts[2]!, params, runningUserOf(request))
                );
            } catch (error) {
                if (!(error instanceof ApexFailure)) throw error;
                sendJson(response, error.status, {
                    message: error.message,
                    exceptionType: error.exceptionType
                });
            }
            return;
        }
        if (method === 'POST' && url.pathname === '/services/apexrest/ccphone/calls/v1') {
            // the contact centre's call-record push (I2), one Task per agent leg, as the Apex REST resource
            const answer = org.pushCallRecords(await readJson(request));
            sendJson(response, answer.status, answer.body);
            return;
        }
        if (method === 'PUT' && url.pathname.startsWith(CONVERSATIONS_PATH)) {
            // the contact centre's conversation after a recorded call (F22), as ConversationRestResource
            const header = request.headers['x-tenant-id'];
            const answer = org.saveConversation(
                decodeURIComponent(url.pathname.slice(CONVERSATIONS_PATH.length)),
                Array.isArray(header) ? header[0] : header,
                await readJson(request, MAX_CONVERSATION_BODY)
            );
            if (answer.retryAfterSeconds !== undefined)
                response.setHeader('Retry-After', String(answer.retryAfterSeconds));
            sendJson(response, answer.status, answer.body);
            return;
        }
        if (method === 'POST' && url.pathname === '/services/apexrest/ccphone/ivr-writes/v1') {
            // the contact centre's IVR writes (I3), as the org's Apex REST endpoint answers them
            const answer = org.writeIvr(await readJson(request));
            sendJson(response, answer.status, answer.body);
            return;
        }
        if (parts[0] === 'org') {
            await handleOrg(method, parts.slice(1), url, request, response);
            return;
        }
        throw new HttpError(404, 'Not found');
    };

    const handleOrg = async (
        method: string,
        parts: string[],
        url: URL,
        request: http.IncomingMessage,
        response: http.ServerResponse
    ) => {
        if (parts[0] === 'object-infos' && parts.length === 1 && method === 'GET') {
            const names = (url.searchParams.get('names') ?? '').split(',').filter(Boolean);
            sendJson(response, 200, { results: org.objectInfos(names) });
            return;
        }
        if (parts[0] === 'user-language' && parts.length === 1 && method === 'POST') {
            const body = (await readJson(request)) as { language?: unknown };
            try {
                org.setUserLanguage(String(body.language ?? ''));
            } catch (error) {
                throw new HttpError(400, (error as Error).message);
            }
            log(`ui: user language ${org.userLanguage}`);
            sendJson(response, 200, { language: org.userLanguage });
            return;
        }
        if (parts[0] === 'form-fields' && parts.length === 1 && method === 'GET') {
            // a custom object's standard new-record form (the standard objects' forms are the page's own)
            const form = org.formFields(url.searchParams.get('object') ?? '');
            if (!form) throw new HttpError(404, 'Not a custom object of the local org');
            sendJson(response, 200, form);
            return;
        }
        if (parts[0] === 'records' && parts.length === 1 && method === 'GET') {
            sendJson(response, 200, org.list(url.searchParams.get('object') ?? undefined));
            return;
        }
        if (parts[0] === 'records' && parts.length === 1 && method === 'POST') {
            const body = (await readJson(request)) as {
                objectApiName?: unknown;
                recordType?: unknown;
                fields?: unknown;
            };
            try {
                const created = org.createFromForm(
                    String(body.objectApiName ?? ''),
                    typeof body.recordType === 'string' ? body.recordType : null,
                    body.fields && typeof body.fields === 'object'
                        ? (body.fields as Record<string, unknown>)
                        : {}
                );
                log(`ui: created ${created.objectApiName} ${created.id}`);
                sendJson(response, 201, created);
            } catch (error) {
                if (!(error instanceof ApexFailure)) throw error;
                sendJson(response, error.status, { message: error.message });
            }
            return;
        }
        if (parts[0] === 'records' && parts.length >= 2 && method === 'GET') {
            const id = parts[1]!;
            if (parts[2] === 'activities') {
                sendJson(response, 200, org.activities(id));
                return;
            }
            const record = org.record(id);
            if (!record) throw new HttpError(404, `No record ${id}`);
            sendJson(response, 200, record);
            return;
        }
        if (parts[0] === 'events' && method === 'GET') {
            // Server-Sent Events: every record write, so record pages show a Task the moment it is saved
            response.writeHead(200, {
                'Content-Type': 'text/event-stream',
                'Cache-Control': 'no-store',
                Connection: 'keep-alive'
            });
            response.write(': connected\n\n');
            const unsubscribe = org.db.onChange((change) =>
                response.write(`data: ${JSON.stringify(change)}\n\n`)
            );
            const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), 25_000);
            const end = () => {
                clearInterval(keepAlive);
                unsubscribe();
            };
            request.on('close', end);
            return;
        }
        if (parts[0] === 'search' && method === 'GET') {
            sendJson(
                response,
                200,
                org.search(url.searchParams.get('object') ?? '', url.searchParams.get('q') ?? '')
            );
            return;
        }
        throw new HttpError(404, 'Not found');
    };

    const server = http.createServer((request, response) => {
        handle(request, response).catch((error: unknown) => {
            const status = error instanceof HttpError ? error.status : 500;
            if (status === 500) console.error('workbench server:', error);
            if (!response.headersSent)
                sendJson(response, status, { message: (error as Error).message ?? 'Server error' });
            else response.end();
        });
    });
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, '127.0.0.1', () => resolve());
    });
    const address = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${address.port}`,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections?.();
                server.close(() => resolve());
            })
    };
}
