/**
 * Contract tests: every operation of docs/contact-centre-api.yaml is called on a real simulator over
 * HTTP, on its success and error paths, and every response is validated against the document
 * (status documented, media type, JSON schema, required headers). A missing operation fails the run.
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

type Api = ReturnType<typeof client>;

interface Case {
    name: string;
    status: number;
    run(sim: TestSimulator, api: Api): Promise<TestResponse>;
    check?(response: TestResponse): void;
}

const PROD_AUTH = { 'X-Api-Key': SEED.production.apiKey, 'X-Tenant-Id': SEED.production.tenantId };

async function ready(api: Api, agentId = 'agt-101'): Promise<void> {
    const response = await api.put(`/v1/agents/${agentId}/status`, {
        headers: TEST_AUTH,
        body: { status: 'Ready' }
    });
    expect(response.status).toBe(200);
}

async function placeCall(api: Api, body: Record<string, unknown> = {}): Promise<string> {
    const response = await api.post('/_sim/calls', {
        body: { callerNumber: '+48600700800', displayName: 'Jan Klient', campaignId: 'cmp-support', ...body }
    });
    expect(response.status).toBe(201);
    return response.body.interactionId as string;
}

/** Queues a callback for the sample caller in cmp-support (`createCallback`); later ones are scheduled. */
function queueCallback(api: Api, body: Record<string, unknown> = {}): Promise<TestResponse> {
    return api.post('/v1/callbacks', {
        headers: TEST_AUTH,
        body: { phoneNumber: '+48600700800', campaignId: 'cmp-support', ...body }
    });
}

const LATER = { dueAt: '2099-01-01T10:00:00Z' };

/** A finished answered call with a recording. */
async function answeredCall(
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
const WEBM = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(2000, 0x42)]);

/** A finished answered call whose recording the customer's page uploaded (WebM). */
async function customerLegCall(
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

const CASES: Record<string, Case[]> = {
    getHealth: [
        { name: 'is public', status: 200, run: (_s, api) => api.get('/v1/health') },
        {
            name: 'maintenance (503 with Retry-After)',
            status: 503,
            run: (sim, api) => {
                sim.faults.add({ kind: 'status', status: 503, retryAfterSeconds: 30 });
                return api.get('/v1/health');
            },
            check: (r) => expect(r.headers['retry-after']).toBe('30')
        }
    ],
    testConnection: [
        {
            name: 'valid key, tenant and admin login',
            status: 200,
            run: (_s, api) => api.get('/v1/connection', { headers: ADMIN_AUTH }),
            check: (r) =>
                expect(r.body).toMatchObject({
                    tenantId: 'acme-test',
                    environment: 'test',
                    adminLoginValid: true,
                    apiVersion: '1.0.0'
                })
        },
        {
            name: 'production tenant, no admin login',
            status: 200,
            run: (_s, api) => api.get('/v1/connection', { headers: PROD_AUTH }),
            check: (r) => {
                expect(r.body.environment).toBe('production');
                expect(r.body).not.toHaveProperty('adminLoginValid');
            }
        },
        {
            name: 'unknown admin login is reported, not refused',
            status: 200,
            run: (_s, api) =>
                api.get('/v1/connection', {
                    headers: { ...TEST_AUTH, 'X-Admin-Login': 'intruder@x.example' }
                }),
            check: (r) => expect(r.body.adminLoginValid).toBe(false)
        },
        {
            name: 'wrong key',
            status: 401,
            run: (_s, api) => api.get('/v1/connection', { headers: { ...TEST_AUTH, 'X-Api-Key': 'nope' } }),
            check: (r) => expect(r.body.code).toBe('invalid-api-key')
        },
        {
            name: 'key of another tenant',
            status: 403,
            run: (_s, api) =>
                api.get('/v1/connection', { headers: { ...TEST_AUTH, 'X-Tenant-Id': 'acme-prod' } }),
            check: (r) => expect(r.body.code).toBe('tenant-mismatch')
        }
    ],
    listAgents: [
        {
            name: 'pages by cursor',
            status: 200,
            run: async (_s, api) => {
                const first = await api.get('/v1/agents?limit=4', { headers: TEST_AUTH });
                expect(first.body.items).toHaveLength(4);
                expect(contractErrors('listAgents', first)).toEqual([]);
                return api.get(`/v1/agents?limit=200&cursor=${first.body.nextCursor}`, {
                    headers: TEST_AUTH
                });
            },
            check: (r) => {
                expect(r.body.items.map((a: { id: string }) => a.id)).toEqual([
                    'agt-105',
                    'agt-106',
                    'agt-107',
                    'agt-108',
                    'agt-109'
                ]);
                expect(r.body.nextCursor).toBeNull();
            }
        },
        {
            name: "finds a Salesforce user's agent by user id (15 or 18 characters), else by SSO id",
            status: 200,
            run: async (_s, api) => {
                await api.post('/v1/agents', {
                    headers: { ...ADMIN_AUTH, 'Idempotency-Key': 'prov-by-id' },
                    body: {
                        email: 'ewa.nowak@acme.example',
                        firstName: 'Ewa',
                        lastName: 'Nowak',
                        salesforceUserId: '005000000000001AAA'
                    }
                });
                const byId = await api.get('/v1/agents?limit=10&salesforceUserId=005000000000001', {
                    headers: TEST_AUTH
                });
                expect(byId.body.items.map((a: { email: string }) => a.email)).toEqual([
                    'ewa.nowak@acme.example'
                ]);
                expect(contractErrors('listAgents', byId)).toEqual([]);
                const nobody = await api.get('/v1/agents?salesforceUserId=005000000000002AAA', {
                    headers: TEST_AUTH
                });
                expect(nobody.body.items).toEqual([]);
                return api.get('/v1/agents?limit=10&ssoId=PIOTR.NOWAK%40acme.example', {
                    headers: TEST_AUTH
                });
            },
            check: (r) => expect(r.body.items.map((a: { id: string }) => a.id)).toEqual(['agt-102'])
        },
        {
            name: 'filters by several e-mails, case-insensitively',
            status: 200,
            run: (_s, api) =>
                api.get(
                    '/v1/agents?email=ANNA.KOWALSKA@acme.example&email=maria.zielinska@acme.example&email=none@acme.example',
                    {
                        headers: TEST_AUTH
                    }
                ),
            check: (r) => {
                expect(r.body.items.map((a: { id: string }) => a.id)).toEqual(['agt-101', 'agt-105']);
                expect(r.body.items[1].configurationProblems.map((p: { code: string }) => p.code)).toEqual([
                    'not-pbx-user',
                    'no-outbound-number',
                    'no-presentation'
                ]);
            }
        },
        {
            name: 'limit out of range',
            status: 400,
            run: (_s, api) => api.get('/v1/agents?limit=500', { headers: TEST_AUTH })
        },
        {
            name: 'garbage cursor',
            status: 400,
            run: (_s, api) => api.get('/v1/agents?cursor=%%%', { headers: TEST_AUTH })
        },
        { name: 'no credentials', status: 401, run: (_s, api) => api.get('/v1/agents') }
    ],
    provisionAgent: [
        {
            name: 'creates a PBX user from a Salesforce user',
            status: 201,
            run: (_s, api) =>
                api.post('/v1/agents', {
                    headers: { ...ADMIN_AUTH, 'Idempotency-Key': 'prov-1' },
                    body: {
                        email: 'ewa.nowak@acme.example',
                        firstName: 'Ewa',
                        lastName: 'Nowak',
                        salesforceUserId: '005000000000001AAA'
                    }
                }),
            check: (r) => {
                expect(r.headers.location).toBe(`/v1/agents/${r.body.id}`);
                expect(r.body).toMatchObject({
                    pbxUser: true,
                    ssoId: 'ewa.nowak@acme.example',
                    extension: '110',
                    licensed: false
                });
                expect(r.body.configurationProblems.map((p: { code: string }) => p.code)).toEqual([
                    'no-outbound-number',
                    'no-presentation'
                ]);
            }
        },
        {
            name: 'a retry with the same Idempotency-Key replays the first response',
            status: 201,
            run: async (_s, api) => {
                const send = () =>
                    api.post('/v1/agents', {
                        headers: { ...ADMIN_AUTH, 'Idempotency-Key': 'prov-2' },
                        body: { email: 'olga@acme.example', firstName: 'Olga', lastName: 'Tokarczuk' }
                    });
                const first = await send();
                const second = await send();
                expect(second.body).toEqual(first.body);
                return second;
            },
            check: (r) => expect(r.headers['idempotent-replayed']).toBe('true')
        },
        {
            name: 'the same Idempotency-Key with another body',
            status: 422,
            run: async (_s, api) => {
                const headers = { ...ADMIN_AUTH, 'Idempotency-Key': 'prov-3' };
                await api.post('/v1/agents', {
                    headers,
                    body: { email: 'a@acme.example', firstName: 'A', lastName: 'A' }
                });
                return api.post('/v1/agents', {
                    headers,
                    body: { email: 'b@acme.example', firstName: 'B', lastName: 'B' }
                });
            },
            check: (r) => expect(r.body.code).toBe('idempotency-key-reused')
        },
        {
            name: 'e-mail already used',
            status: 409,
            run: (_s, api) =>
                api.post('/v1/agents', {
                    headers: ADMIN_AUTH,
                    body: { email: 'Anna.Kowalska@acme.example', firstName: 'Anna', lastName: 'K' }
                }),
            check: (r) => expect(r.body).toMatchObject({ code: 'email-taken', existingAgentId: 'agt-101' })
        },
        {
            name: 'invalid e-mail',
            status: 422,
            run: (_s, api) =>
                api.post('/v1/agents', {
                    headers: ADMIN_AUTH,
                    body: { email: 'not-an-email', firstName: 'X', lastName: 'Y' }
                }),
            check: (r) => expect(r.body.errors[0].pointer).toBe('/email')
        },
        {
            name: 'not JSON',
            status: 400,
            run: (_s, api) => api.post('/v1/agents', { headers: ADMIN_AUTH, rawBody: '{"email":' }),
            check: (r) => expect(r.body.code).toBe('invalid-json')
        },
        {
            name: 'without X-Admin-Login',
            status: 403,
            run: (_s, api) =>
                api.post('/v1/agents', {
                    headers: TEST_AUTH,
                    body: { email: 'x@acme.example', firstName: 'X', lastName: 'Y' }
                }),
            check: (r) => expect(r.body.code).toBe('admin-login-required')
        }
    ],
    findAgentByEmail: [
        {
            name: 'found',
            status: 200,
            run: (_s, api) =>
                api.get('/v1/agents/by-email/piotr.nowak%40acme.example', { headers: TEST_AUTH }),
            check: (r) => expect(r.body.id).toBe('agt-102')
        },
        {
            name: 'unknown',
            status: 404,
            run: (_s, api) => api.get('/v1/agents/by-email/ghost@acme.example', { headers: TEST_AUTH })
        },
        {
            name: 'not an e-mail',
            status: 400,
            run: (_s, api) => api.get('/v1/agents/by-email/ghost', { headers: TEST_AUTH })
        },
        {
            name: 'other tenant cannot see it',
            status: 404,
            run: (_s, api) =>
                api.get('/v1/agents/by-email/jan.wisniewski@acme.example', { headers: PROD_AUTH })
        }
    ],
    getAgent: [
        {
            name: 'an agent with problems',
            status: 200,
            run: (_s, api) => api.get('/v1/agents/agt-108', { headers: TEST_AUTH }),
            check: (r) =>
                expect(r.body.configurationProblems).toEqual([
                    { code: 'inactive', message: 'The user is not active.' }
                ])
        },
        {
            name: 'unknown',
            status: 404,
            run: (_s, api) => api.get('/v1/agents/agt-999', { headers: TEST_AUTH })
        },
        {
            name: 'bad id',
            status: 400,
            run: (_s, api) => api.get('/v1/agents/%20bad', { headers: TEST_AUTH })
        }
    ],
    createWebRtcSession: [
        {
            name: 'ephemeral SIP credentials',
            status: 201,
            run: (_s, api) => api.post('/v1/agents/agt-101/webrtc-session', { headers: TEST_AUTH }),
            check: (r) => {
                expect(r.body.sipUri).toBe('sip:agt-101@127.0.0.1');
                expect(r.body.authorizationUsername).toMatch(/^\d+:agt-101$/);
                expect(Date.parse(r.body.expiresAt)).toBeGreaterThan(0);
            }
        },
        {
            name: 'an agent without a seat',
            status: 403,
            run: (_s, api) => api.post('/v1/agents/agt-104/webrtc-session', { headers: TEST_AUTH }),
            check: (r) => expect(r.body.code).toBe('no-seat')
        },
        {
            name: 'more seats used than bought: nobody can work',
            status: 403,
            run: async (_s, api) => {
                await api.put('/_sim/tenants/acme-test/licence', { body: { seatsBought: 2 } });
                return api.post('/v1/agents/agt-101/webrtc-session', { headers: TEST_AUTH });
            },
            check: (r) => expect(r.body.code).toBe('licence-limit-exceeded')
        },
        {
            name: 'not a PBX user',
            status: 409,
            run: (_s, api) => api.post('/v1/agents/agt-105/webrtc-session', { headers: TEST_AUTH }),
            check: (r) => expect(r.body.code).toBe('agent-cannot-work')
        },
        {
            name: 'unknown agent',
            status: 404,
            run: (_s, api) => api.post('/v1/agents/agt-999/webrtc-session', { headers: TEST_AUTH })
        }
    ],
    listAgentInteractions: [
        {
            name: 'the call in progress, with its rejoin URI',
            status: 200,
            run: async (_s, api) => {
                await ready(api);
                const interactionId = await placeCall(api, {});
                expect((await api.post(`/_sim/calls/${interactionId}/answer`)).status).toBe(200);
                return api.get('/v1/agents/agt-101/interactions', { headers: TEST_AUTH });
            },
            check: (r) => {
                expect(r.body.items).toHaveLength(1);
                const [item] = r.body.items;
                expect(item).toMatchObject({ direction: 'inbound', campaignId: 'cmp-support' });
                expect(item.rejoinUri).toBe(`sip:rejoin.${item.interactionId}@127.0.0.1`);
                expect(Date.parse(item.answeredAt)).toBeGreaterThan(0);
            }
        },
        {
            name: 'none once the call ended',
            status: 200,
            run: async (sim, api) => {
                await answeredCall(sim, api);
                return api.get('/v1/agents/agt-101/interactions', { headers: TEST_AUTH });
            },
            check: (r) => expect(r.body.items).toEqual([])
        },
        {
            name: 'unknown agent',
            status: 404,
            run: (_s, api) => api.get('/v1/agents/agt-999/interactions', { headers: TEST_AUTH })
        }
    ],
    verifyAgentInteractions: [
        {
            name: "the agent's answered call is issued to it; an unknown id and a SIP Call-ID of no leg are not",
            status: 200,
            run: async (sim, api) => {
                const { interactionId } = await answeredCall(sim, api);
                return api.post('/v1/agents/agt-101/interactions/verification', {
                    headers: TEST_AUTH,
                    body: {
                        interactionIds: [interactionId, 'int-unknown', interactionId],
                        sipCallIds: ['nobody@127.0.0.1']
                    }
                });
            },
            check: (r) => {
                expect(r.body.agentId).toBe('agt-101');
                expect(r.body.interactions).toEqual([
                    { interactionId: expect.any(String), issued: true },
                    { interactionId: 'int-unknown', issued: false }
                ]);
                expect(r.body.sipCalls).toEqual([
                    { sipCallId: 'nobody@127.0.0.1', issued: false, interactionId: null }
                ]);
            }
        },
        {
            name: "another agent's call is not issued to this one",
            status: 200,
            run: async (sim, api) => {
                const { interactionId } = await answeredCall(sim, api);
                return api.post('/v1/agents/agt-102/interactions/verification', {
                    headers: TEST_AUTH,
                    body: { interactionIds: [interactionId] }
                });
            },
            check: (r) => {
                expect(r.body.interactions).toEqual([{ interactionId: expect.any(String), issued: false }]);
                expect(r.body.sipCalls).toEqual([]);
            }
        },
        {
            name: 'more than 50 ids',
            status: 422,
            run: (_s, api) =>
                api.post('/v1/agents/agt-101/interactions/verification', {
                    headers: TEST_AUTH,
                    body: { interactionIds: Array.from({ length: 51 }, (_, i) => `int-${i}`) }
                })
        },
        {
            name: 'unknown agent',
            status: 404,
            run: (_s, api) =>
                api.post('/v1/agents/agt-999/interactions/verification', {
                    headers: TEST_AUTH,
                    body: { interactionIds: ['int-1'] }
                })
        },
        {
            name: 'without the API key',
            status: 401,
            run: (_s, api) =>
                api.post('/v1/agents/agt-101/interactions/verification', {
                    body: { interactionIds: ['int-1'] }
                })
        }
    ],
    getAgentStatus: [
        {
            name: 'NotReady after start',
            status: 200,
            run: (_s, api) => api.get('/v1/agents/agt-101/status', { headers: TEST_AUTH }),
            check: (r) => expect(r.body.status).toBe('NotReady')
        },
        {
            name: 'Wrap after a call, with its end',
            status: 200,
            run: async (sim, api) => {
                await answeredCall(sim, api);
                return api.get('/v1/agents/agt-101/status', { headers: TEST_AUTH });
            },
            check: (r) => expect(r.body).toMatchObject({ status: 'Wrap', changedBy: 'system' })
        },
        {
            name: 'unknown agent',
            status: 404,
            run: (_s, api) => api.get('/v1/agents/agt-999/status', { headers: TEST_AUTH })
        }
    ],
    setAgentStatus: [
        {
            name: 'Ready',
            status: 200,
            run: (_s, api) =>
                api.put('/v1/agents/agt-101/status', { headers: TEST_AUTH, body: { status: 'Ready' } }),
            check: (r) => expect(r.body).toMatchObject({ status: 'Ready', changedBy: 'agent' })
        },
        {
            name: 'Paused with a reason',
            status: 200,
            run: (_s, api) =>
                api.put('/v1/agents/agt-101/status', {
                    headers: TEST_AUTH,
                    body: { status: 'Paused', pauseReasonId: 'lunch' }
                }),
            check: (r) => expect(r.body).toMatchObject({ status: 'Paused', pauseReasonId: 'lunch' })
        },
        {
            name: 'NotReady -> Wrap is illegal',
            status: 409,
            run: (_s, api) =>
                api.put('/v1/agents/agt-101/status', { headers: TEST_AUTH, body: { status: 'Wrap' } }),
            check: (r) =>
                expect(r.body).toMatchObject({ code: 'illegal-status-transition', currentStatus: 'NotReady' })
        },
        {
            name: 'Wrap while the ACD holds a connected call',
            status: 409,
            run: async (_s, api) => {
                await ready(api);
                const id = await placeCall(api);
                await api.post(`/_sim/calls/${id}/answer`);
                return api.put('/v1/agents/agt-101/status', { headers: TEST_AUTH, body: { status: 'Wrap' } });
            },
            check: (r) => expect(r.body.code).toBe('call-in-progress')
        },
        {
            name: 'Paused without a reason',
            status: 422,
            run: (_s, api) =>
                api.put('/v1/agents/agt-101/status', { headers: TEST_AUTH, body: { status: 'Paused' } }),
            check: (r) =>
                expect(r.body.errors).toEqual([
                    { pointer: '/pauseReasonId', detail: 'required when status is Paused' }
                ])
        },
        {
            name: 'unknown status',
            status: 422,
            run: (_s, api) =>
                api.put('/v1/agents/agt-101/status', { headers: TEST_AUTH, body: { status: 'Lunch' } })
        },
        {
            name: 'Ready without a seat',
            status: 403,
            run: (_s, api) =>
                api.put('/v1/agents/agt-104/status', { headers: TEST_AUTH, body: { status: 'Ready' } })
        },
        {
            name: 'wrong Content-Type',
            status: 400,
            run: (_s, api) =>
                api.put('/v1/agents/agt-101/status', {
                    headers: { ...TEST_AUTH, 'Content-Type': 'text/plain' },
                    rawBody: 'Ready'
                })
        }
    ],
    listPauseReasons: [
        {
            name: 'all reasons',
            status: 200,
            run: (_s, api) => api.get('/v1/pause-reasons', { headers: TEST_AUTH }),
            check: (r) =>
                expect(r.body.items.map((p: { id: string }) => p.id)).toEqual([
                    'break',
                    'lunch',
                    'training',
                    'technical'
                ])
        },
        {
            name: 'no tenant header',
            status: 401,
            run: (_s, api) => api.get('/v1/pause-reasons', { headers: { 'X-Api-Key': SEED.test.apiKey } })
        }
    ],
    listCampaigns: [
        {
            name: 'campaigns with wrap times 0, 15 and 30 s',
            status: 200,
            run: (_s, api) => api.get('/v1/campaigns', { headers: TEST_AUTH }),
            check: (r) => {
                const wraps = new Set(r.body.items.map((c: { wrapSeconds: number }) => c.wrapSeconds));
                expect([...wraps].sort()).toEqual([0, 15, 30]);
                expect(r.body.items.find((c: { id: string }) => c.id === 'cmp-sales').mode).toBe(
                    'manual-phone'
                );
            }
        },
        {
            name: 'a cursor of another list',
            status: 400,
            run: (_s, api) => api.get('/v1/campaigns?cursor=eyJlIjoxfQ', { headers: TEST_AUTH })
        }
    ],
    getCampaign: [
        {
            name: 'found',
            status: 200,
            run: (_s, api) => api.get('/v1/campaigns/cmp-sales', { headers: TEST_AUTH })
        },
        {
            name: 'of another tenant',
            status: 404,
            run: (_s, api) => api.get('/v1/campaigns/cmp-p-support', { headers: TEST_AUTH })
        }
    ],
    listQueues: [
        {
            name: 'with live counters',
            status: 200,
            run: async (_s, api) => {
                await placeCall(api); // nobody Ready: it waits
                return api.get('/v1/queues', { headers: TEST_AUTH });
            },
            check: (r) =>
                expect(r.body.items.find((q: { id: string }) => q.id === 'que-support')).toMatchObject({
                    callsWaiting: 1,
                    agentsReady: 0,
                    ringTimeoutSeconds: 20
                })
        },
        {
            name: 'limit 0',
            status: 400,
            run: (_s, api) => api.get('/v1/queues?limit=0', { headers: TEST_AUTH })
        }
    ],
    getQueue: [
        {
            name: 'found',
            status: 200,
            run: async (_s, api) => {
                await ready(api, 'agt-102');
                return api.get('/v1/queues/que-hotline', { headers: TEST_AUTH });
            },
            check: (r) =>
                expect(r.body).toMatchObject({ ringTimeoutSeconds: 15, maxWaitSeconds: 60, agentsReady: 1 })
        },
        {
            name: 'unknown',
            status: 404,
            run: (_s, api) => api.get('/v1/queues/que-nope', { headers: TEST_AUTH })
        }
    ],
    listCalls: [
        {
            name: 'finished calls, paged',
            status: 200,
            run: async (sim, api) => {
                await answeredCall(sim, api);
                const missed = await placeCall(api, { callerNumber: 'anonymous' });
                sim.manualClock.advance(1000);
                await api.post(`/_sim/calls/${missed}/hangup`, { body: { by: 'caller' } });
                const first = await api.get('/v1/calls?limit=1&since=2025-01-01T00:00:00Z', {
                    headers: TEST_AUTH
                });
                expect(first.body.items[0].outcome).toBe('answered');
                expect(contractErrors('listCalls', first)).toEqual([]);
                return api.get(
                    `/v1/calls?limit=1&since=2025-01-01T00:00:00Z&cursor=${first.body.nextCursor}`,
                    { headers: TEST_AUTH }
                );
            },
            check: (r) => {
                expect(r.body.items[0]).toMatchObject({
                    outcome: 'abandoned',
                    callerNumber: 'anonymous',
                    ownerAgentId: 'agt-101'
                });
                expect(r.body.nextCursor).toBeNull();
            }
        },
        {
            name: 'filtered by outcome',
            status: 200,
            run: async (sim, api) => {
                await answeredCall(sim, api);
                return api.get('/v1/calls?outcome=missed', { headers: TEST_AUTH });
            },
            check: (r) => expect(r.body.items).toEqual([])
        },
        {
            name: 'since is not a date',
            status: 400,
            run: (_s, api) => api.get('/v1/calls?since=yesterday', { headers: TEST_AUTH })
        },
        {
            name: 'unknown outcome',
            status: 400,
            run: (_s, api) => api.get('/v1/calls?outcome=lost', { headers: TEST_AUTH })
        }
    ],
    getCall: [
        {
            name: 'an answered call with its recording and IVR code',
            status: 200,
            run: async (sim, api) => {
                const { interactionId } = await answeredCall(sim, api);
                return api.get(`/v1/calls/${interactionId}`, { headers: TEST_AUTH });
            },
            check: (r) => {
                expect(r.body).toMatchObject({
                    state: 'ended',
                    outcome: 'answered',
                    talkSeconds: 4,
                    wrapSeconds: 15,
                    agentId: 'agt-101'
                });
                expect(r.body.ivr.caseCode).toBe('00001234');
                expect(r.body.recording.url).toMatch(/\/v1\/recordings\/rec-[^/]+\/audio$/);
                // agt-101 is not linked to a Salesforce user in the seed: the contract still names the members
                expect(r.body).toMatchObject({ agentSalesforceUserId: null, ownerSalesforceUserId: null });
                expect(r.body.legs.map((leg: { salesforceUserId: unknown }) => leg.salesforceUserId)).toEqual(
                    [null]
                );
            }
        },
        {
            name: 'a call still waiting',
            status: 200,
            run: async (_s, api) => api.get(`/v1/calls/${await placeCall(api)}`, { headers: TEST_AUTH }),
            check: (r) =>
                expect(r.body).toMatchObject({
                    state: 'queued',
                    outcome: null,
                    endedAt: null,
                    talkSeconds: null
                })
        },
        {
            name: 'unknown',
            status: 404,
            run: (_s, api) => api.get('/v1/calls/int-nope', { headers: TEST_AUTH })
        }
    ],
    controlRecording: [
        {
            name: 'pause then resume: the paused time and both changes',
            status: 200,
            run: async (_s, api) => {
                await ready(api);
                const id = await placeCall(api);
                await api.post(`/_sim/calls/${id}/answer`);
                const body = { action: 'pause', reason: 'sensitive-page', agentId: 'agt-101' };
                const paused = await api.post(`/v1/calls/${id}/recording`, { headers: TEST_AUTH, body });
                expect(paused.body.state).toBe('paused');
                const again = await api.post(`/v1/calls/${id}/recording`, { headers: TEST_AUTH, body });
                expect(again.body.events).toHaveLength(1); // pausing a paused recording changes nothing
                return api.post(`/v1/calls/${id}/recording`, {
                    headers: TEST_AUTH,
                    body: { ...body, action: 'resume' }
                });
            },
            check: (r) => {
                expect(r.body.state).toBe('recording');
                expect(r.body.events.map((e: { action: string }) => e.action)).toEqual(['pause', 'resume']);
                expect(r.body.pausedMs).toBeGreaterThanOrEqual(0);
            }
        },
        {
            name: 'stopped for good: resume refused',
            status: 409,
            run: async (_s, api) => {
                await ready(api);
                const id = await placeCall(api);
                await api.post(`/_sim/calls/${id}/answer`);
                const body = { action: 'stop', reason: 'consent-declined', agentId: 'agt-101' };
                expect(
                    (await api.post(`/v1/calls/${id}/recording`, { headers: TEST_AUTH, body })).status
                ).toBe(200);
                return api.post(`/v1/calls/${id}/recording`, {
                    headers: TEST_AUTH,
                    body: { action: 'resume', reason: 'agent', agentId: 'agt-101' }
                });
            },
            check: (r) => expect(r.body.code).toBe('recording-stopped')
        },
        {
            name: 'not answered yet',
            status: 409,
            run: async (_s, api) => {
                const id = await placeCall(api, { holdInIvr: true });
                return api.post(`/v1/calls/${id}/recording`, {
                    headers: TEST_AUTH,
                    body: { action: 'pause', reason: 'agent', agentId: 'agt-101' }
                });
            },
            check: (r) => expect(r.body.code).toBe('call-not-active')
        },
        {
            name: "another agent's call",
            status: 403,
            run: async (_s, api) => {
                await ready(api);
                const id = await placeCall(api);
                await api.post(`/_sim/calls/${id}/answer`);
                return api.post(`/v1/calls/${id}/recording`, {
                    headers: TEST_AUTH,
                    body: { action: 'pause', reason: 'agent', agentId: 'agt-102' }
                });
            },
            check: (r) => expect(r.body.code).toBe('not-your-call')
        },
        {
            name: 'unknown action',
            status: 422,
            run: async (_s, api) =>
                api.post(`/v1/calls/${await placeCall(api)}/recording`, {
                    headers: TEST_AUTH,
                    body: { action: 'mute', reason: 'agent', agentId: 'agt-101' }
                })
        },
        {
            name: 'unknown call',
            status: 404,
            run: (_s, api) =>
                api.post('/v1/calls/int-ghost/recording', {
                    headers: TEST_AUTH,
                    body: { action: 'pause', reason: 'agent', agentId: 'agt-101' }
                })
        }
    ],
    createCallback: [
        {
            name: 'queued, due now',
            status: 201,
            run: (_s, api) =>
                api.post('/v1/callbacks', {
                    headers: TEST_AUTH,
                    body: {
                        phoneNumber: '+48600700800',
                        campaignId: 'cmp-support',
                        originalInteractionId: 'int-original',
                        relatedRecordId: '003000000000001AAA',
                        callbackTaskId: '00T000000000001AAA'
                    }
                }),
            check: (r) => {
                expect(r.body).toMatchObject({ state: 'waiting', queueId: 'que-support', maxAttempts: 3 });
                expect(r.headers.location).toBe(`/v1/callbacks/${r.body.id}`);
            }
        },
        {
            name: 'a number not in E.164',
            status: 422,
            run: (_s, api) =>
                api.post('/v1/callbacks', {
                    headers: TEST_AUTH,
                    body: { phoneNumber: '600 700 800', campaignId: 'cmp-support' }
                })
        },
        {
            name: 'an unknown campaign',
            status: 422,
            run: (_s, api) =>
                api.post('/v1/callbacks', {
                    headers: TEST_AUTH,
                    body: { phoneNumber: '+48600700800', campaignId: 'cmp-nope' }
                })
        }
    ],
    listCallbacks: [
        {
            name: 'scheduled ones',
            status: 200,
            run: async (_s, api) => {
                await queueCallback(api, LATER);
                return api.get('/v1/callbacks?state=scheduled', { headers: TEST_AUTH });
            },
            check: (r) => expect(r.body.items).toHaveLength(1)
        },
        {
            name: 'an unknown state',
            status: 400,
            run: (_s, api) => api.get('/v1/callbacks?state=lost', { headers: TEST_AUTH })
        }
    ],
    getCallback: [
        {
            name: 'found',
            status: 200,
            run: async (_s, api) => {
                const created = await queueCallback(api, LATER);
                return api.get(`/v1/callbacks/${created.body.id}`, { headers: TEST_AUTH });
            },
            check: (r) => expect(r.body.state).toBe('scheduled')
        },
        {
            name: 'unknown',
            status: 404,
            run: (_s, api) => api.get('/v1/callbacks/cbk-nope', { headers: TEST_AUTH })
        }
    ],
    cancelCallback: [
        {
            name: 'a scheduled callback',
            status: 200,
            run: async (_s, api) => {
                const created = await queueCallback(api, LATER);
                return api.delete(`/v1/callbacks/${created.body.id}`, { headers: TEST_AUTH });
            },
            check: (r) => expect(r.body.state).toBe('cancelled')
        },
        {
            name: 'one ringing at an agent',
            status: 409,
            run: async (_s, api) => {
                await ready(api);
                const created = await queueCallback(api);
                expect(created.body.state).toBe('dialling');
                return api.delete(`/v1/callbacks/${created.body.id}`, { headers: TEST_AUTH });
            },
            check: (r) => expect(r.body.code).toBe('callback-not-cancellable')
        },
        {
            name: 'unknown',
            status: 404,
            run: (_s, api) => api.delete('/v1/callbacks/cbk-nope', { headers: TEST_AUTH })
        }
    ],
    attachIvrData: [
        {
            name: 'merges into a call in the IVR',
            status: 200,
            run: async (_s, api) => {
                const id = await placeCall(api, { holdInIvr: true, ivrData: { language: 'pl' } });
                await api.post(`/v1/calls/${id}/ivr-data`, {
                    headers: TEST_AUTH,
                    body: { voicebotAnswers: [{ question: 'Order?', answer: 'A-1' }] }
                });
                return api.post(`/v1/calls/${id}/ivr-data`, {
                    headers: TEST_AUTH,
                    body: {
                        digits: '1#',
                        caseCode: '00001234',
                        voicebotAnswers: [{ question: 'PIN ok?', answer: 'yes' }],
                        data: { verified: 'true' }
                    }
                });
            },
            check: (r) => {
                expect(r.body.state).toBe('ivr');
                expect(r.body.ivr).toEqual({
                    digits: '1#',
                    caseCode: '00001234',
                    voicebotAnswers: [
                        { question: 'Order?', answer: 'A-1' },
                        { question: 'PIN ok?', answer: 'yes' }
                    ],
                    data: { language: 'pl', verified: 'true' }
                });
            }
        },
        {
            name: 'too late: answered',
            status: 409,
            run: async (_s, api) => {
                await ready(api);
                const id = await placeCall(api);
                await api.post(`/_sim/calls/${id}/answer`);
                return api.post(`/v1/calls/${id}/ivr-data`, { headers: TEST_AUTH, body: { digits: '1' } });
            },
            check: (r) => expect(r.body.code).toBe('call-not-pending')
        },
        {
            name: 'empty patch',
            status: 422,
            run: async (_s, api) =>
                api.post(`/v1/calls/${await placeCall(api)}/ivr-data`, { headers: TEST_AUTH, body: {} })
        },
        {
            name: 'unknown call',
            status: 404,
            run: (_s, api) =>
                api.post('/v1/calls/int-nope/ivr-data', { headers: TEST_AUTH, body: { digits: '1' } })
        }
    ],
    getRecording: [
        {
            name: 'metadata',
            status: 200,
            run: async (sim, api) =>
                api.get(`/v1/recordings/${(await answeredCall(sim, api)).recordingId}`, {
                    headers: TEST_AUTH
                }),
            check: (r) => expect(r.body).toMatchObject({ contentType: 'audio/wav', durationSeconds: 4 })
        },
        {
            name: 'metadata of a customer-side WebM recording',
            status: 200,
            run: async (sim, api) =>
                api.get(`/v1/recordings/${(await customerLegCall(sim, api)).recordingId}`, {
                    headers: TEST_AUTH
                }),
            check: (r) =>
                expect(r.body).toMatchObject({
                    contentType: 'audio/webm',
                    durationSeconds: 3.9,
                    sizeBytes: WEBM.length
                })
        },
        {
            name: 'unknown',
            status: 404,
            run: (_s, api) => api.get('/v1/recordings/rec-nope', { headers: TEST_AUTH })
        }
    ],
    getRecordingAudio: [
        {
            name: 'WAV with the API headers',
            status: 200,
            run: async (sim, api) =>
                api.get(`/v1/recordings/${(await answeredCall(sim, api)).recordingId}/audio`, {
                    headers: TEST_AUTH
                }),
            check: (r) => {
                expect(r.raw.subarray(0, 4).toString('ascii')).toBe('RIFF');
                expect(Number(r.headers['content-length'])).toBe(r.raw.length);
            }
        },
        {
            name: 'WAV through a signed URL, no headers',
            status: 200,
            run: async (sim, api) => {
                const { recordingId } = await answeredCall(sim, api);
                const signed = await api.get(`/v1/recordings/${recordingId}/signed-url`, {
                    headers: TEST_AUTH
                });
                return api.get(new URL(signed.body.url).pathname + new URL(signed.body.url).search);
            },
            check: (r) => expect(r.contentType).toBe('audio/wav')
        },
        {
            name: 'a customer-side WebM recording, as uploaded',
            status: 200,
            run: async (sim, api) =>
                api.get(`/v1/recordings/${(await customerLegCall(sim, api)).recordingId}/audio`, {
                    headers: { ...TEST_AUTH, Accept: 'audio/webm, audio/wav;q=0.5' }
                }),
            check: (r) => {
                expect(r.contentType).toBe('audio/webm');
                expect(r.raw.equals(WEBM)).toBe(true);
            }
        },
        {
            name: 'a WebM recording when only WAV is accepted',
            status: 406,
            run: async (sim, api) =>
                api.get(`/v1/recordings/${(await customerLegCall(sim, api)).recordingId}/audio`, {
                    headers: { ...TEST_AUTH, Accept: 'audio/wav' }
                })
        },
        {
            name: 'expired signed URL',
            status: 401,
            run: async (sim, api) => {
                const { recordingId } = await answeredCall(sim, api);
                const signed = await api.get(`/v1/recordings/${recordingId}/signed-url?ttlSeconds=10`, {
                    headers: TEST_AUTH
                });
                sim.manualClock.advance(11_000);
                const url = new URL(signed.body.url);
                return api.get(url.pathname + url.search);
            },
            check: (r) => expect(r.body.code).toBe('invalid-signature')
        },
        {
            name: 'tampered signed URL',
            status: 401,
            run: async (sim, api) => {
                const { recordingId } = await answeredCall(sim, api);
                const signed = await api.get(`/v1/recordings/${recordingId}/signed-url`, {
                    headers: TEST_AUTH
                });
                const url = new URL(signed.body.url);
                url.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
                return api.get(url.pathname + url.search);
            }
        },
        {
            name: 'only Ogg accepted',
            status: 406,
            run: async (sim, api) =>
                api.get(`/v1/recordings/${(await answeredCall(sim, api)).recordingId}/audio`, {
                    headers: { ...TEST_AUTH, Accept: 'audio/ogg' }
                })
        },
        {
            name: 'unknown',
            status: 404,
            run: (_s, api) => api.get('/v1/recordings/rec-nope/audio', { headers: TEST_AUTH })
        }
    ],
    getRecordingSignedUrl: [
        {
            name: 'default lifetime 300 s',
            status: 200,
            run: async (sim, api) =>
                api.get(`/v1/recordings/${(await answeredCall(sim, api)).recordingId}/signed-url`, {
                    headers: TEST_AUTH
                }),
            check: (r) => expect(r.body.url).toMatch(/\/audio\?expires=\d+&signature=[0-9a-f]{64}$/)
        },
        {
            name: 'ttl too short',
            status: 400,
            run: (_s, api) => api.get('/v1/recordings/rec-x/signed-url?ttlSeconds=5', { headers: TEST_AUTH })
        },
        {
            name: 'unknown',
            status: 404,
            run: (_s, api) => api.get('/v1/recordings/rec-nope/signed-url', { headers: TEST_AUTH })
        }
    ],
    getLicences: [
        {
            name: 'seats bought and used',
            status: 200,
            run: (_s, api) => api.get('/v1/licences', { headers: ADMIN_AUTH }),
            check: (r) =>
                expect(r.body).toMatchObject({
                    seatsBought: 5,
                    seatsUsed: 3,
                    seatsAvailable: 2,
                    overLimit: false
                })
        },
        {
            name: 'unknown admin login',
            status: 403,
            run: (_s, api) =>
                api.get('/v1/licences', { headers: { ...TEST_AUTH, 'X-Admin-Login': 'agent@acme.example' } }),
            check: (r) => expect(r.body.code).toBe('admin-login-invalid')
        }
    ],
    assignLicence: [
        {
            name: 'grants a seat',
            status: 201,
            run: (_s, api) =>
                api.post('/v1/licences/assignments', { headers: ADMIN_AUTH, body: { agentId: 'agt-104' } }),
            check: (r) => expect(r.headers.location).toBe('/v1/licences/assignments/agt-104')
        },
        {
            name: 'already has one',
            status: 200,
            run: (_s, api) =>
                api.post('/v1/licences/assignments', { headers: ADMIN_AUTH, body: { agentId: 'agt-101' } })
        },
        {
            name: 'no free seat',
            status: 409,
            run: async (_s, api) => {
                expect(
                    (
                        await api.post('/v1/licences/assignments', {
                            headers: ADMIN_AUTH,
                            body: { agentId: 'agt-104' }
                        })
                    ).status
                ).toBe(201);
                expect(
                    (
                        await api.post('/v1/licences/assignments', {
                            headers: ADMIN_AUTH,
                            body: { agentId: 'agt-106' }
                        })
                    ).status
                ).toBe(201);
                return api.post('/v1/licences/assignments', {
                    headers: ADMIN_AUTH,
                    body: { agentId: 'agt-107' }
                });
            },
            check: (r) => expect(r.body.code).toBe('no-free-seat')
        },
        {
            name: 'not eligible',
            status: 422,
            run: (_s, api) =>
                api.post('/v1/licences/assignments', { headers: ADMIN_AUTH, body: { agentId: 'agt-105' } }),
            check: (r) =>
                expect(r.body).toMatchObject({
                    code: 'agent-not-eligible',
                    configurationProblems: [{ code: 'not-pbx-user' }]
                })
        },
        {
            name: 'unknown agent',
            status: 404,
            run: (_s, api) =>
                api.post('/v1/licences/assignments', { headers: ADMIN_AUTH, body: { agentId: 'agt-999' } })
        }
    ],
    deactivateAgent: [
        {
            name: 'deactivates an agent and frees its seat',
            status: 200,
            run: async (_s, api) => {
                const response = await api.post('/v1/agents/agt-103/deactivation', { headers: ADMIN_AUTH });
                const licence = await api.get('/v1/licences', { headers: ADMIN_AUTH });
                expect(licence.body.seatsUsed).toBe(2);
                return response;
            },
            check: (r) => expect(r.body).toMatchObject({ id: 'agt-103', active: false, licensed: false })
        },
        {
            name: 'an inactive agent stays as it is',
            status: 200,
            run: (_s, api) => api.post('/v1/agents/agt-108/deactivation', { headers: ADMIN_AUTH }),
            check: (r) => expect(r.body).toMatchObject({ id: 'agt-108', active: false })
        },
        {
            name: 'unknown agent',
            status: 404,
            run: (_s, api) => api.post('/v1/agents/agt-999/deactivation', { headers: ADMIN_AUTH })
        },
        {
            name: 'without an admin login',
            status: 403,
            run: (_s, api) => api.post('/v1/agents/agt-103/deactivation', { headers: TEST_AUTH })
        }
    ],
    removeLicence: [
        {
            name: 'removes a seat',
            status: 204,
            run: async (_s, api) => {
                const response = await api.delete('/v1/licences/assignments/agt-103', {
                    headers: ADMIN_AUTH
                });
                const licence = await api.get('/v1/licences', { headers: ADMIN_AUTH });
                expect(licence.body.seatsUsed).toBe(2);
                return response;
            }
        },
        {
            name: 'no seat to remove',
            status: 404,
            run: (_s, api) => api.delete('/v1/licences/assignments/agt-104', { headers: ADMIN_AUTH })
        }
    ],
    getIntegrationSettings: [
        {
            name: 'seeded options',
            status: 200,
            run: (_s, api) => api.get('/v1/integration/salesforce', { headers: TEST_AUTH }),
            check: (r) =>
                expect(r.body).toMatchObject({ defaultAgentId: 'agt-101', outsideCampaignId: 'cmp-outside' })
        },
        { name: 'no credentials', status: 401, run: (_s, api) => api.get('/v1/integration/salesforce') }
    ],
    updateIntegrationSettings: [
        {
            name: 'replaces the options',
            status: 200,
            run: async (_s, api) => {
                const settings = {
                    active: true,
                    defaultAgentId: 'agt-102',
                    outsideCampaignId: 'cmp-hotline',
                    logNonWebPhoneCalls: false,
                    autoCreateCase: true,
                    ivrCaseLookup: false,
                    personAccounts: true,
                    syncCampaignIds: ['cmp-support']
                };
                await api.put('/v1/integration/salesforce', { headers: ADMIN_AUTH, body: settings });
                const after = await api.get('/v1/integration/salesforce', { headers: TEST_AUTH });
                expect(after.body).toEqual(settings);
                return api.put('/v1/integration/salesforce', { headers: ADMIN_AUTH, body: settings });
            }
        },
        {
            name: 'unknown campaign',
            status: 422,
            run: async (_s, api) => {
                const current = await api.get('/v1/integration/salesforce', { headers: TEST_AUTH });
                return api.put('/v1/integration/salesforce', {
                    headers: ADMIN_AUTH,
                    body: { ...current.body, syncCampaignIds: ['cmp-support', 'cmp-ghost'] }
                });
            },
            check: (r) =>
                expect(r.body.errors).toEqual([
                    { pointer: '/syncCampaignIds/1', detail: 'unknown campaign "cmp-ghost"' }
                ])
        },
        {
            name: 'missing members',
            status: 422,
            run: (_s, api) =>
                api.put('/v1/integration/salesforce', { headers: ADMIN_AUTH, body: { active: true } })
        },
        {
            name: 'acts for an admin only',
            status: 403,
            run: (_s, api) => api.put('/v1/integration/salesforce', { headers: TEST_AUTH, body: {} })
        }
    ]
};

const OPERATION_IDS = contract.operations().map((operation) => operation.operationId);

describe('contract coverage', () => {
    it('has success and error cases for every operation of the document, and no others', () => {
        const missing = OPERATION_IDS.filter((id) => {
            const statuses = (CASES[id] ?? []).map((c) => c.status);
            return !statuses.some((s) => s < 300) || !statuses.some((s) => s >= 400);
        });
        expect(missing).toEqual([]);
        expect(Object.keys(CASES).filter((id) => !OPERATION_IDS.includes(id))).toEqual([]);
    });

    it('documents 429, 500, 502 and 503 on every operation', () => {
        for (const operation of contract.operations()) {
            for (const status of ['429', '500', '502', '503'])
                expect(Object.keys(operation.responses)).toContain(status);
        }
    });
});

describe.each(OPERATION_IDS)('%s', (operationId) => {
    let sim: TestSimulator;
    let api: Api;
    beforeEach(async () => {
        sim = await startTestSimulator();
        api = client(sim);
    });
    afterEach(() => sim.close());

    it.each((CASES[operationId] ?? []).map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
        const response = await testCase.run(sim, api);
        expect({
            status: response.status,
            body: response.status === testCase.status ? 'ok' : response.body
        }).toEqual({
            status: testCase.status,
            body: 'ok'
        });
        expect(contractErrors(operationId, response)).toEqual([]);
        if (response.status >= 400) expect(response.contentType).toMatch(/^application\/problem\+json/);
        testCase.check?.(response);
    });

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

describe('the document itself', () => {
    const doc = contract.doc as Record<string, any>;

    function examplesOf(media: Record<string, any>): [string, unknown][] {
        return Object.entries(media.examples ?? {}).map(([name, example]) => [
            name,
            contract.resolve<{ value: unknown }>(example).value
        ]);
    }

    const cases: [string, Record<string, unknown>, unknown][] = [];
    const seen = new Set<unknown>(); // shared component responses would repeat their examples per operation
    const operations = [...Object.values(doc.paths), ...Object.values(doc.webhooks)] as Record<string, any>[];
    for (const pathItem of operations) {
        for (const operation of Object.values(pathItem)) {
            const bodies = [
                contract.resolve(operation.requestBody ?? {}),
                ...Object.values(operation.responses).map((r) => contract.resolve(r))
            ];
            for (const body of bodies as Record<string, any>[]) {
                for (const [mediaType, media] of Object.entries(body.content ?? {}) as [
                    string,
                    Record<string, any>
                ][]) {
                    for (const [name, value] of examplesOf(media)) {
                        if (seen.has(value)) continue;
                        seen.add(value);
                        cases.push([`${operation.operationId} ${mediaType} ${name}`, media.schema, value]);
                    }
                }
            }
        }
    }
    for (const [name, schema] of Object.entries(doc.components.schemas) as [string, Record<string, any>][]) {
        for (const [index, value] of ((schema.examples as unknown[]) ?? []).entries()) {
            cases.push([`schema ${name} example ${index}`, { $ref: `#/components/schemas/${name}` }, value]);
        }
    }

    it('has examples', () => expect(cases.length).toBeGreaterThan(30));

    it.each(cases)('example %s matches its schema', (_name, schema, value) => {
        expect(contract.validate(schema, value)).toEqual([]);
    });

    it('compiles every component schema', () => {
        for (const name of Object.keys(doc.components.schemas))
            expect(() => contract.validateSchema(name, null)).not.toThrow();
    });
});
