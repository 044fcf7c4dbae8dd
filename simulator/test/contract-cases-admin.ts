/**
 * The contract cases of the recordings, licences, agent deactivation and integration settings operations,
 * by operationId (see contract-support.ts for how they run).
 */
import { ADMIN_AUTH, TEST_AUTH } from './helpers';
import { WEBM, answeredCall, customerLegCall, type Case } from './contract-support';

export const ADMIN_CASES: Record<string, Case[]> = {
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
