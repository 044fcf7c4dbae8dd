/**
 * The contract cases of the connection, health and agents (profiles, WebRTC sessions, interactions, status, pause reasons) operations,
 * by operationId (see contract-support.ts for how they run).
 */
import { ADMIN_AUTH, TEST_AUTH, contractErrors } from './helpers';
import { SEED } from '../src/store/seed';
import { PROD_AUTH, answeredCall, placeCall, ready, type Case } from './contract-support';

export const AGENT_CASES: Record<string, Case[]> = {
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
    ]
};
