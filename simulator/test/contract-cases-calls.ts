/**
 * The contract cases of the campaigns, queues, calls, recording control, callbacks and IVR data operations,
 * by operationId (see contract-support.ts for how they run).
 */
import { TEST_AUTH, contractErrors } from './helpers';
import { LATER, answeredCall, placeCall, queueCallback, ready, type Case } from './contract-support';

export const CALL_CASES: Record<string, Case[]> = {
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
    ]
};
