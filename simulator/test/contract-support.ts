/**
 * The shared setup of the contract tests (contract*.test.ts): the shape of a case, the calls and recordings the
 * cases start from, and {@link describeOperations}, which runs each operation's cases and injected faults on a
 * fresh simulator and validates every response against docs/contact-centre-api.yaml.
 */
import {
    ADMIN_AUTH,
    TEST_AUTH,
    client,
    contract,
    contractErrors,
    request,
    startTestSimulator,
    type TestResponse,
    type TestSimulator
} from './helpers';
import { SEED } from '../src/store/seed';

/** The HTTP client the cases call the simulator with. */
export type Api = ReturnType<typeof client>;

/** One call of an operation: the status it must answer and what else to check. */
export interface Case {
    name: string;
    status: number;
    run(sim: TestSimulator, api: Api): Promise<TestResponse>;
    check?(response: TestResponse): void;
}

/** Credentials of the production tenant. */
export const PROD_AUTH = { 'X-Api-Key': SEED.production.apiKey, 'X-Tenant-Id': SEED.production.tenantId };

/** Sets agent `agentId` Ready. */
export async function ready(api: Api, agentId = 'agt-101'): Promise<void> {
    const response = await api.put(`/v1/agents/${agentId}/status`, {
        headers: TEST_AUTH,
        body: { status: 'Ready' }
    });
    expect(response.status).toBe(200);
}

/** A call from the sample caller into cmp-support; its interaction id. */
export async function placeCall(api: Api, body: Record<string, unknown> = {}): Promise<string> {
    const response = await api.post('/_sim/calls', {
        body: { callerNumber: '+48600700800', displayName: 'Jan Klient', campaignId: 'cmp-support', ...body }
    });
    expect(response.status).toBe(201);
    return response.body.interactionId as string;
}

/** Queues a callback for the sample caller in cmp-support (`createCallback`); later ones are scheduled. */
export function queueCallback(api: Api, body: Record<string, unknown> = {}): Promise<TestResponse> {
    return api.post('/v1/callbacks', {
        headers: TEST_AUTH,
        body: { phoneNumber: '+48600700800', campaignId: 'cmp-support', ...body }
    });
}

/** A due time far in the future (a scheduled callback). */
export const LATER = { dueAt: '2099-01-01T10:00:00Z' };

/** A finished answered call with a recording. */
export async function answeredCall(
    sim: TestSimulator,
    api: Api
): Promise<{ interactionId: string; recordingId: string }> {
    await ready(api);
    const interactionId = await placeCall(api, { ivrCode: '00001234' });
    expect((await api.post(`/_sim/calls/${interactionId}/answer`)).status).toBe(200);
    sim.manualClock.advance(4000);
    expect((await api.post(`/_sim/calls/${interactionId}/hangup`, { body: { by: 'caller' } })).status).toBe(
        200
    );
    const call = await api.get(`/v1/calls/${interactionId}`, { headers: TEST_AUTH });
    return { interactionId, recordingId: call.body.recording.id as string };
}

/** Bytes that start like a WebM file (the simulator checks the EBML magic, it does not decode). */
export const WEBM = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(2000, 0x42)]);

/** A finished answered call whose recording the customer's page uploaded (WebM). */
export async function customerLegCall(
    sim: TestSimulator,
    api: Api
): Promise<{ interactionId: string; recordingId: string }> {
    const call = await answeredCall(sim, api);
    const upload = await api.put(`/_sim/recordings/by-interaction/${call.interactionId}?durationMs=3900`, {
        headers: { 'Content-Type': 'audio/webm;codecs=opus' },
        rawBody: WEBM
    });
    expect(upload.status).toBe(201);
    return call;
}

/** The operations of the document, in its order. */
export const OPERATION_IDS = contract.operations().map((operation) => operation.operationId);

/**
 * One describe per operation of `cases` (in the document's order): each case on a fresh simulator, its
 * response validated against the document, then 429, 500, 502 and 503 injected and answered as documented.
 */
export function describeOperations(cases: Record<string, Case[]>): void {
    const operationIds = OPERATION_IDS.filter((id) => id in cases);
    describe.each(operationIds)('%s', (operationId) => {
        let sim: TestSimulator;
        let api: Api;
        beforeEach(async () => {
            sim = await startTestSimulator();
            api = client(sim);
        });
        afterEach(() => sim.close());

        it.each((cases[operationId] ?? []).map((c) => [c.name, c] as const))(
            '%s',
            async (_name, testCase) => {
                const response = await testCase.run(sim, api);
                expect({
                    status: response.status,
                    body: response.status === testCase.status ? 'ok' : response.body
                }).toEqual({
                    status: testCase.status,
                    body: 'ok'
                });
                expect(contractErrors(operationId, response)).toEqual([]);
                if (response.status >= 400)
                    expect(response.contentType).toMatch(/^application\/problem\+json/);
                testCase.check?.(response);
            }
        );

        it.each([429, 500, 502, 503] as const)('answers an injected %i as documented', async (status) => {
            const operation = contract.operation(operationId);
            const path = operation.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
                name === 'email' ? 'a%40b.example' : 'x-1'
            );
            sim.faults.add({ kind: 'status', status, retryAfterSeconds: status === 500 ? undefined : 2 });
            const response = await request(sim.url, operation.method, path, { headers: ADMIN_AUTH });
            expect(response.status).toBe(status);
            expect(contractErrors(operationId, response)).toEqual([]);
        });
    });
}
