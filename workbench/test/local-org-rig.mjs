// The shared setup of the local org's tests (local-org-*.test.mjs): the local org opened on its seeded sample data
// with a fake contact centre behind it (one per test file), the Apex call helper and the search keys phone-core
// computes in the browser.
import http from 'node:http';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const { LocalOrg, ApexFailure } = await tsImport('../org/local-org.ts', import.meta.url);
export const { phoneSearchKeys } = await tsImport('../../phone-core/src/phone-number.ts', import.meta.url);

/** A contact centre that answers what the tests need (the simulator's shapes), or fails on request. */
export function fakeContactCentre() {
    const requests = [];
    let failure = null;
    const server = http.createServer((request, response) => {
        let body = '';
        request.on('data', (chunk) => (body += chunk));
        request.on('end', () => {
            requests.push({
                method: request.method,
                url: request.url,
                headers: request.headers,
                body: body ? JSON.parse(body) : null
            });
            const send = (status, value, headers = {}) =>
                response
                    .writeHead(status, { 'Content-Type': 'application/json', ...headers })
                    .end(JSON.stringify(value));
            if (failure) return send(failure.status, { code: failure.code }, failure.headers);
            if (request.url.startsWith('/v1/agents?')) {
                // the agent holds Anna's Federation ID as its SSO id (no Salesforce user id)
                const query = new URL(request.url, 'http://cc').searchParams;
                const anna = query.get('ssoId')?.toLowerCase() === 'anna.kowalska@acme.example';
                return send(200, {
                    items: anna
                        ? [
                              {
                                  id: 'agt-101',
                                  displayName: 'Anna Kowalska',
                                  extension: '101',
                                  active: true,
                                  ssoId: 'Anna.Kowalska@acme.example',
                                  salesforceUserId: null
                              }
                          ]
                        : [],
                    nextCursor: null
                });
            }
            if (request.url === '/v1/agents/agt-101/webrtc-session') {
                return send(200, {
                    wssUrl: 'ws://127.0.0.1:9/ws',
                    sipUri: 'sip:agt-101@127.0.0.1',
                    authorizationUsername: '1741598100:agt-101',
                    authorizationPassword: 'secret',
                    expiresAt: '2025-03-10T09:15:00Z',
                    iceServers: [{ urls: ['stun:127.0.0.1:3478'] }, { urls: [] }]
                });
            }
            if (request.url === '/v1/agents/agt-101/interactions/verification') {
                // every id is Anna's but the ones named foreign (issue 11 finding 3)
                const body = requests.at(-1).body;
                return send(200, {
                    agentId: 'agt-101',
                    interactions: body.interactionIds.map((interactionId) => ({
                        interactionId,
                        issued: !interactionId.startsWith('int-foreign')
                    })),
                    sipCalls: (body.sipCallIds ?? []).map((sipCallId) => ({
                        sipCallId,
                        issued: sipCallId.startsWith('own-'),
                        interactionId: sipCallId.startsWith('own-') ? 'int-real' : null
                    }))
                });
            }
            if (request.url === '/v1/agents/agt-101/status')
                return send(200, { status: 'Wrap', since: '2025-03-10T09:00:00Z' });
            if (request.url === '/v1/recordings/rec-1/signed-url?ttlSeconds=300')
                return send(200, {
                    url: 'https://cc.example/rec-1/audio?signature=ab',
                    expiresAt: '2025-03-10T09:20:00Z'
                });
            if (request.url === '/v1/callbacks' && request.method === 'POST')
                return body.includes('"campaignId":"cmp-support"')
                    ? send(201, { id: 'cbk-wb-1', state: 'waiting' })
                    : send(422, { code: 'validation-failed' });
            if (request.url === '/v1/pause-reasons')
                return send(200, { items: [{ id: 'lunch', name: 'Lunch' }, { id: 'x' }, null] });
            return send(404, { code: 'not-found' });
        });
    });
    return {
        requests,
        fail(status, code, headers) {
            failure = { status, code, headers };
        },
        succeed() {
            failure = null;
        },
        listen: () =>
            new Promise((resolve) =>
                server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`))
            ),
        close: () => new Promise((resolve) => server.close(resolve))
    };
}

/** The test file's local org (set by {@link useLocalOrg}). */
export let org;
/** The fake contact centre behind {@link org}. */
export let contactCentre;

/** Opens the local org and its fake contact centre before the file's tests, closes them after. */
export function useLocalOrg() {
    before(async () => {
        contactCentre = fakeContactCentre();
        const baseUrl = await contactCentre.listen();
        org = await LocalOrg.open({
            root: ROOT,
            dataDir: null,
            contactCentre: { baseUrl, apiKey: 'key', tenantId: 'tenant' }
        });
    });
    after(async () => {
        org?.close();
        await contactCentre?.close();
    });
}

/** Calls `Class.method` of the local org's Apex ports. */
export const apex = (name, params = {}) => {
    const [className, method] = name.split('.');
    return org.invokeApex(className, method, params);
};
/** The callers `number` finds (CallerLookupController.findCallers), PL numbering. */
export const findCallers = (number, ivrCaseCode = null) =>
    apex('CallerLookupController.findCallers', {
        searchKeys: phoneSearchKeys(number, { defaultCountry: 'PL' }),
        ivrCaseCode
    });

/** Waits for `condition` (the workbench's stand-in of a Queueable runs after the save). */
export async function waitUntil(condition, timeoutMs = 5000) {
    const end = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > end) throw new Error('condition not met');
        await new Promise((resolve) => setImmediate(resolve));
    }
}
