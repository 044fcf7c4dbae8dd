/**
 * Test helpers: a simulator on an ephemeral port with a manual clock and a temporary data dir, a
 * small HTTP client on node:http (raw bytes, every header, no retries), and the contract check.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { OpenApiContract } from '../src/openapi/contract';
import { startSimulator, type Simulator, type SimulatorOptions } from '../src/server';
import { SEED } from '../src/store/seed';
import { ManualClock } from '../src/util/manual-clock';

/** The OpenAPI document, loaded and compiled once per test file. */
export const contract = OpenApiContract.load();

/** Headers of the seeded test tenant. */
export const TEST_AUTH = { 'X-Api-Key': SEED.test.apiKey, 'X-Tenant-Id': SEED.test.tenantId };
/** Headers of the seeded test tenant with its admin login. */
export const ADMIN_AUTH = { ...TEST_AUTH, 'X-Admin-Login': SEED.test.adminLogin };

/** A simulator for a test, with its manual clock and data dir. */
export interface TestSimulator extends Simulator {
    manualClock: ManualClock;
    dataDir: string;
}

const createdDirs: string[] = [];
afterAll(() => {
    for (const dir of createdDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test file. */
export function tempDir(prefix = 'cc-sim-'): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    createdDirs.push(dir);
    return dir;
}

/** Starts a simulator on a free port of 127.0.0.1 with a manual clock and a new data dir. */
export async function startTestSimulator(
    options: SimulatorOptions & { dataDir?: string } = {}
): Promise<TestSimulator> {
    const clock = (options.clock as ManualClock | undefined) ?? new ManualClock();
    const dataDir = options.dataDir ?? tempDir();
    const simulator = await startSimulator({
        contract,
        log: () => undefined,
        ...options,
        clock,
        config: { port: 0, dataDir, ...(options.config ?? {}) }
    });
    return Object.assign(simulator, { manualClock: clock, dataDir });
}

/** A response as the test client saw it. */
export interface TestResponse {
    status: number;
    headers: Record<string, string>;
    contentType: string | undefined;
    raw: Buffer;
    /** Parsed JSON when the content type is JSON, else the text. */
    body: any;
}

/** Sends one request. */
export function request(
    baseUrl: string,
    method: string,
    pathAndQuery: string,
    options: {
        headers?: Record<string, string>;
        body?: unknown;
        /** Sent as is (audio uploads: a Buffer). */
        rawBody?: string | Buffer;
        timeoutMs?: number;
    } = {}
): Promise<TestResponse> {
    return new Promise((resolve, reject) => {
        const url = new URL(pathAndQuery, baseUrl);
        const payload =
            options.rawBody !== undefined
                ? options.rawBody
                : options.body === undefined
                  ? undefined
                  : JSON.stringify(options.body);
        const headers: Record<string, string> = { ...(options.headers ?? {}) };
        if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
            headers['Content-Type'] = 'application/json';
        }
        const req = http.request(url, { method, headers, agent: false }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
                const raw = Buffer.concat(chunks);
                const contentType = res.headers['content-type'];
                const flat: Record<string, string> = {};
                for (const [name, value] of Object.entries(res.headers)) {
                    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
                }
                let body: unknown = raw.toString('utf8');
                if (contentType && /json/.test(contentType) && raw.length > 0)
                    body = JSON.parse(raw.toString('utf8'));
                if (raw.length === 0) body = undefined;
                resolve({ status: res.statusCode ?? 0, headers: flat, contentType, raw, body });
            });
            res.on('error', reject);
        });
        req.on('error', reject);
        if (options.timeoutMs)
            req.setTimeout(options.timeoutMs, () => req.destroy(new Error('client timeout')));
        if (payload !== undefined) req.write(payload);
        req.end();
    });
}

/** A client bound to a simulator. */
export function client(simulator: Simulator) {
    const send =
        (method: string) =>
        (pathAndQuery: string, options: Parameters<typeof request>[3] = {}) =>
            request(simulator.url, method, pathAndQuery, options);
    return {
        get: send('GET'),
        post: send('POST'),
        put: send('PUT'),
        patch: send('PATCH'),
        delete: send('DELETE')
    };
}

/** Contract errors of a response of `operationId` (empty when it matches the document). */
export function contractErrors(operationId: string, response: TestResponse) {
    return contract.validateResponse(operationId, {
        status: response.status,
        contentType: response.contentType,
        headers: response.headers,
        body: response.body
    });
}

/** Lets promise callbacks and I/O callbacks run (e.g. the ACD settling an answered offer). */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Waits (polling, at most `attempts` event-loop turns of 1 ms) until `condition` holds. */
export async function waitFor(condition: () => boolean, attempts = 2000): Promise<void> {
    for (let i = 0; i < attempts; i++) {
        if (condition()) return;
        await new Promise((resolve) => setTimeout(resolve, 1));
    }
    throw new Error('condition not met');
}
