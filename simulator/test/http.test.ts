/**
 * The HTTP behaviour around the operations: authentication, rate limiting, fault injection
 * (FAULT-CASES 15 and 16), routing, CORS, the listening address and the control API.
 */
import * as net from 'node:net';
import {
    ADMIN_AUTH,
    TEST_AUTH,
    client,
    contractErrors,
    request,
    startTestSimulator,
    waitFor,
    type TestSimulator
} from './helpers';
import { SEED } from '../src/store/seed';

let sim: TestSimulator;
let api: ReturnType<typeof client>;

afterEach(() => sim.close());

describe('authentication', () => {
    beforeEach(async () => {
        sim = await startTestSimulator();
        api = client(sim);
    });

    it.each<[string, Record<string, string>, number, string]>([
        ['no headers', {}, 401, 'invalid-api-key'],
        ['unknown key', { 'X-Api-Key': 'guess', 'X-Tenant-Id': 'acme-test' }, 401, 'invalid-api-key'],
        ['key without tenant id', { 'X-Api-Key': SEED.test.apiKey }, 401, 'missing-tenant-id'],
        [
            'test key, production tenant',
            { 'X-Api-Key': SEED.test.apiKey, 'X-Tenant-Id': 'acme-prod' },
            403,
            'tenant-mismatch'
        ],
        [
            'production key, production tenant',
            { 'X-Api-Key': SEED.production.apiKey, 'X-Tenant-Id': 'acme-prod' },
            200,
            ''
        ]
    ])('%s -> %i %s', async (_name, headers, status, code) => {
        const response = await api.get('/v1/connection', { headers });
        expect(response.status).toBe(status);
        if (code)
            expect(response.body).toMatchObject({
                code,
                status,
                type: `https://api.contact-centre.example/problems/${code}`
            });
        expect(contractErrors('testConnection', response)).toEqual([]);
    });

    it('never echoes the API key', async () => {
        const response = await api.get('/v1/connection', {
            headers: { 'X-Api-Key': 'secret-guess-123', 'X-Tenant-Id': 'acme-test' }
        });
        expect(response.raw.toString()).not.toContain('secret-guess-123');
    });

    it('admin login matching is case-insensitive', async () => {
        const response = await api.get('/v1/licences', {
            headers: { ...TEST_AUTH, 'X-Admin-Login': 'ADMIN@Acme.Example' }
        });
        expect(response.status).toBe(200);
    });
});

describe('rate limiting per API key', () => {
    beforeEach(async () => {
        sim = await startTestSimulator({ config: { rateLimitPerSecond: 2 } });
        api = client(sim);
    });

    it('answers 429 with Retry-After over the limit and recovers as time passes', async () => {
        expect((await api.get('/v1/campaigns', { headers: TEST_AUTH })).status).toBe(200);
        expect((await api.get('/v1/campaigns', { headers: TEST_AUTH })).status).toBe(200);
        const limited = await api.get('/v1/campaigns', { headers: TEST_AUTH });
        expect(limited.status).toBe(429);
        expect(limited.headers['retry-after']).toBe('1');
        expect(limited.body).toMatchObject({ code: 'rate-limited', retryAfterSeconds: 1 });
        expect(contractErrors('listCampaigns', limited)).toEqual([]);
        // another key has its own bucket
        expect(
            (
                await api.get('/v1/campaigns', {
                    headers: { 'X-Api-Key': SEED.production.apiKey, 'X-Tenant-Id': 'acme-prod' }
                })
            ).status
        ).toBe(200);
        sim.manualClock.advance(500);
        expect((await api.get('/v1/campaigns', { headers: TEST_AUTH })).status).toBe(200);
        expect((await api.get('/v1/campaigns', { headers: TEST_AUTH })).status).toBe(429);
    });
});

describe('fault injection', () => {
    beforeEach(async () => {
        sim = await startTestSimulator();
        api = client(sim);
    });

    it('makes the next N responses a given status, then behaves again', async () => {
        expect(
            (await api.post('/_sim/faults', { body: { kind: 'status', status: 500, count: 2 } })).status
        ).toBe(201);
        const statuses = [];
        for (let i = 0; i < 3; i++)
            statuses.push((await api.get('/v1/campaigns', { headers: TEST_AUTH })).status);
        expect(statuses).toEqual([500, 500, 200]);
    });

    it('401 even with a valid key (the admin must be told, no retry loop)', async () => {
        await api.post('/_sim/faults', { body: { kind: 'status', status: 401 } });
        const response = await api.get('/v1/connection', { headers: TEST_AUTH });
        expect(response.status).toBe(401);
        expect(contractErrors('testConnection', response)).toEqual([]);
    });

    it('429 with the Retry-After asked for', async () => {
        await api.post('/_sim/faults', { body: { kind: 'status', status: 429, retryAfterSeconds: 7 } });
        const response = await api.get('/v1/agents', { headers: TEST_AUTH });
        expect(response.status).toBe(429);
        expect(response.headers['retry-after']).toBe('7');
        expect(contractErrors('listAgents', response)).toEqual([]);
    });

    it.each([200, 502])('an HTML proxy page with status %i', async (status) => {
        await api.post('/_sim/faults', { body: { kind: 'html', status } });
        const response = await api.get('/v1/agents', { headers: TEST_AUTH });
        expect(response.status).toBe(status);
        expect(response.contentType).toMatch(/^text\/html/);
        expect(response.body).toMatch(/^<!DOCTYPE html>/);
        expect(() => JSON.parse(response.body)).toThrow();
    });

    it('only hits paths under the given prefix', async () => {
        await api.post('/_sim/faults', { body: { kind: 'status', status: 502, pathPrefix: '/v1/calls' } });
        expect((await api.get('/v1/agents', { headers: TEST_AUTH })).status).toBe(200);
        expect((await api.get('/_sim/state')).status).toBe(200);
        expect((await api.get('/v1/calls', { headers: TEST_AUTH })).status).toBe(502);
    });

    it('stalls for N seconds of the clock, then answers normally', async () => {
        await api.post('/_sim/faults', { body: { kind: 'stall', seconds: 130 } });
        let settled = false;
        const pending = api.get('/v1/health').then((response) => {
            settled = true;
            return response;
        });
        await waitFor(() => sim.events.list(0, { type: 'fault-injected' }).length > 0);
        sim.manualClock.advance(129_000);
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(settled).toBe(false);
        sim.manualClock.advance(1000);
        expect((await pending).status).toBe(200);
    });

    it('a stall can end in a dropped connection', async () => {
        await api.post('/_sim/faults', { body: { kind: 'stall', seconds: 1, then: 'close' } });
        const pending = api.get('/v1/health');
        await waitFor(() => sim.events.list(0, { type: 'fault-injected' }).length > 0);
        sim.manualClock.advance(1000);
        await expect(pending).rejects.toThrow(/socket hang up|ECONNRESET/);
    });

    it('lists and clears queued faults; rejects bad ones', async () => {
        await api.post('/_sim/faults', { body: { kind: 'status', status: 503, count: 3 } });
        expect((await api.get('/_sim/faults')).body.items).toEqual([
            { id: 1, spec: { kind: 'status', status: 503, count: 3 }, remaining: 3 }
        ]);
        await api.delete('/_sim/faults');
        expect((await api.get('/_sim/faults')).body.items).toEqual([]);
        for (const bad of [
            { kind: 'status', status: 418 },
            { kind: 'stall', seconds: -1 },
            { kind: 'html', status: 201 },
            { kind: 'boom' }
        ]) {
            expect((await api.post('/_sim/faults', { body: bad })).status).toBe(422);
        }
    });

    it('close() releases a request held by a stall', async () => {
        await api.post('/_sim/faults', { body: { kind: 'stall', seconds: 600 } });
        const pending = api.get('/v1/health');
        await waitFor(() => sim.events.list(0, { type: 'fault-injected' }).length > 0);
        await sim.close();
        await expect(pending).rejects.toThrow();
    });
});

describe('routing and headers', () => {
    beforeEach(async () => {
        sim = await startTestSimulator();
        api = client(sim);
    });

    it('listens on 127.0.0.1 only', async () => {
        expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        // nothing answers on another local address of the same port
        const connected = await new Promise<boolean>((resolve) => {
            const socket = net.connect({ host: '127.0.0.2', port: sim.port });
            socket.once('connect', () => {
                socket.destroy();
                resolve(true);
            });
            socket.once('error', () => resolve(false));
        });
        expect(connected).toBe(false);
    });

    it.each([
        ['GET', '/v1/nothing', 404, 'not-found'],
        ['DELETE', '/v1/agents', 405, 'method-not-allowed'],
        ['GET', '/elsewhere', 404, 'not-found']
    ])('%s %s -> %i problem', async (method, path, status, code) => {
        const response = await request(sim.url, method, path, { headers: TEST_AUTH });
        expect(response.status).toBe(status);
        expect(response.contentType).toMatch(/^application\/problem\+json/);
        expect(response.body.code).toBe(code);
    });

    it('gives every response a request id, also in problems', async () => {
        const response = await api.get('/v1/agents/agt-999', { headers: TEST_AUTH });
        expect(response.headers['x-request-id']).toMatch(/^req-/);
        expect(response.body.requestId).toBe(response.headers['x-request-id']);
        expect(response.body.instance).toBe('/v1/agents/agt-999');
    });

    it('answers CORS preflights for the local workbench', async () => {
        const response = await request(sim.url, 'OPTIONS', '/v1/agents');
        expect(response.status).toBe(204);
        expect(response.headers['access-control-allow-headers']).toContain('X-Api-Key');
    });

    it('does not let one tenant read another tenant call', async () => {
        const placed = await api.post('/_sim/calls', { body: { callerNumber: '+48600700800' } });
        const response = await api.get(`/v1/calls/${placed.body.interactionId}`, {
            headers: { 'X-Api-Key': SEED.production.apiKey, 'X-Tenant-Id': 'acme-prod' }
        });
        expect(response.status).toBe(404);
    });
});

describe('control API', () => {
    beforeEach(async () => {
        sim = await startTestSimulator();
        api = client(sim);
    });

    it('drives a call end to end and logs its events', async () => {
        await api.put('/v1/agents/agt-101/status', { headers: TEST_AUTH, body: { status: 'Ready' } });
        const placed = await api.post('/_sim/calls', {
            body: {
                callerNumber: '+48600700800',
                displayName: 'Jan',
                ivrCode: '42',
                campaignId: 'cmp-hotline'
            }
        });
        const id = placed.body.interactionId as string;
        expect((await api.get('/_sim/state')).body.ringing).toEqual([
            { interactionId: id, agentId: 'agt-101' }
        ]);
        expect((await api.post(`/_sim/calls/${id}/answer`, { body: { agentId: 'agt-102' } })).status).toBe(
            409
        );
        expect(
            (await api.post(`/_sim/calls/${id}/answer`, { body: { agentId: 'agt-101' } })).body.state
        ).toBe('connected');
        sim.manualClock.advance(2000);
        const ended = await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'agent' } });
        expect(ended.body).toMatchObject({
            outcome: 'answered',
            hangupBy: 'agent',
            talkSeconds: 2,
            wrapSeconds: 0
        });
        const types = (await api.get(`/_sim/events?interactionId=${id}`)).body.items.map(
            (e: { type: string }) => e.type
        );
        expect(types).toEqual(
            expect.arrayContaining([
                'call-arrived',
                'call-queued',
                'call-offered',
                'offer-ended',
                'call-answered',
                'recording-created',
                'call-ended'
            ])
        );
        expect((await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'agent' } })).status).toBe(404);
    });

    it('simulates an outbound call', async () => {
        const dialled = await api.post('/_sim/calls/outbound', {
            body: {
                agentId: 'agt-102',
                calleeNumber: '+48600111222',
                campaignId: 'cmp-sales',
                result: 'ringing'
            }
        });
        expect(dialled.status).toBe(201);
        expect(dialled.body).toMatchObject({ direction: 'outbound', state: 'ringing', agentId: 'agt-102' });
        const busy = await api.post(`/_sim/calls/${dialled.body.interactionId}/progress`, {
            body: { result: 'busy' }
        });
        expect(busy.body).toMatchObject({ outcome: 'busy', state: 'ended' });
    });

    it('changes agents and licences to show configuration problems', async () => {
        await api.patch('/_sim/agents/agt-101', { body: { presentation: null } });
        const agent = await api.get('/v1/agents/agt-101', { headers: TEST_AUTH });
        expect(agent.body.configurationProblems.map((p: { code: string }) => p.code)).toEqual([
            'no-presentation'
        ]);
        await api.put('/_sim/tenants/acme-test/licence', { body: { seatsBought: 1 } });
        expect((await api.get('/v1/licences', { headers: ADMIN_AUTH })).body).toMatchObject({
            overLimit: true,
            seatsAvailable: 0
        });
    });

    it('moves a manual clock only when started with one', async () => {
        const before = sim.clock.now();
        const moved = await api.post('/_sim/clock/advance', { body: { ms: 60_000 } });
        expect(moved.status).toBe(200);
        expect(sim.clock.now()).toBe(before + 60_000);
    });

    it('refuses bad control input', async () => {
        expect((await api.post('/_sim/calls', { rawBody: '[1]' })).status).toBe(400);
        expect((await api.post('/_sim/calls', { body: { campaignId: 'cmp-ghost' } })).status).toBe(422);
        expect(
            (await api.post('/_sim/calls/outbound', { body: { agentId: 'agt-105', calleeNumber: '1' } }))
                .status
        ).toBe(409);
        expect((await api.get('/_sim/nothing')).status).toBe(404);
    });
});
