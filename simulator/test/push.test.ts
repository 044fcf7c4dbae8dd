/** The push of finished call records to Salesforce, with a fake jsforce connection. */
import { openJsforceConnection, type ApexConnection } from '../src/push/call-record-push';
import { APEX_IVR_WRITES_PATH } from '../src/push/ivr-write';
import {
    ADMIN_AUTH,
    TEST_AUTH,
    client,
    contract,
    startTestSimulator,
    tick,
    type TestSimulator
} from './helpers';

/** A stand-in for a jsforce Connection: records apex.post calls, fails on demand. */
class FakeConnection implements ApexConnection {
    readonly posts: { path: string; body: any }[] = [];
    failuresLeft = 0;
    readonly apex = {
        post: async <R>(path: string, body?: object): Promise<R> => {
            this.posts.push({ path, body });
            if (this.failuresLeft > 0) {
                this.failuresLeft -= 1;
                throw new Error('INVALID_SESSION_ID: Session expired or invalid');
            }
            return { results: [] } as R;
        }
    };
}

let sim: TestSimulator;
let fake: FakeConnection;
let api: ReturnType<typeof client>;

beforeEach(async () => {
    fake = new FakeConnection();
    sim = await startTestSimulator({ pushConnection: fake });
    api = client(sim);
});
afterEach(() => sim.close());

async function answeredCall(agentId = 'agt-101', campaignId = 'cmp-support'): Promise<string> {
    await api.put(`/v1/agents/${agentId}/status`, { headers: TEST_AUTH, body: { status: 'Ready' } });
    const id = (await api.post('/_sim/calls', { body: { callerNumber: '+48600700800', campaignId } })).body
        .interactionId as string;
    await api.post(`/_sim/calls/${id}/answer`);
    sim.manualClock.advance(2000);
    await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'caller' } });
    await api.post('/_sim/push/flush');
    return id;
}

describe('call record push', () => {
    it('posts each finished call to the Apex REST endpoint as a CallRecordPush', async () => {
        const id = await answeredCall();
        expect(fake.posts).toHaveLength(1);
        const { path, body } = fake.posts[0]!;
        expect(path).toBe('/ccphone/calls/v1');
        expect(contract.validateSchema('CallRecordPush', body)).toEqual([]);
        expect(body.tenantId).toBe('acme-test');
        expect(body.records[0]).toMatchObject({
            interactionId: id,
            outcome: 'answered',
            talkSeconds: 2,
            agentEmail: 'anna.kowalska@acme.example'
        });
        expect(body.records[0].recording.url).toBe(
            `${sim.url}/v1/recordings/${body.records[0].recording.id}/audio`
        );
        expect(sim.events.list(0, { type: 'push-sent' })).toHaveLength(1);
    });

    it('gives each leg the Salesforce user id the contact centre holds for its agent (issue 11)', async () => {
        const agent = sim.store.getAgent('acme-test', 'agt-101')!;
        sim.store.putAgent({ ...agent, salesforceUserId: '005000000000101AAA' });
        const linked = await answeredCall();
        const unlinked = await answeredCall('agt-102');
        const [first, second] = fake.posts.map((post) => post.body);
        for (const body of [first, second])
            expect(contract.validateSchema('CallRecordPush', body)).toEqual([]);
        expect(first.records[0]).toMatchObject({
            interactionId: linked,
            agentId: 'agt-101',
            agentSalesforceUserId: '005000000000101AAA',
            ownerSalesforceUserId: '005000000000101AAA'
        });
        expect(first.records[0].legs).toEqual([
            expect.objectContaining({
                agentId: 'agt-101',
                agentEmail: 'anna.kowalska@acme.example',
                salesforceUserId: '005000000000101AAA'
            })
        ]);
        // an agent nobody linked to a Salesforce user: null, Salesforce may fall back to the e-mail
        expect(second.records[0]).toMatchObject({ interactionId: unlinked, agentSalesforceUserId: null });
        expect(
            second.records[0].legs.map((leg: { salesforceUserId: unknown }) => leg.salesforceUserId)
        ).toEqual([null]);
    });

    it('pushes missed calls too, with the default user as owner', async () => {
        const id = (await api.post('/_sim/calls', { body: { callerNumber: '+48600700800' } })).body
            .interactionId as string;
        await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'caller' } });
        await api.post('/_sim/push/flush');
        expect(fake.posts[0]!.body.records[0]).toMatchObject({
            outcome: 'abandoned',
            ownerAgentId: 'agt-101',
            agentId: null
        });
    });

    it('retries a failed push with backoff on the clock', async () => {
        fake.failuresLeft = 2;
        await api.put('/v1/agents/agt-101/status', { headers: TEST_AUTH, body: { status: 'Ready' } });
        const id = (await api.post('/_sim/calls', { body: { callerNumber: '+48600700800' } })).body
            .interactionId as string;
        await api.post(`/_sim/calls/${id}/answer`);
        await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'caller' } });
        for (let i = 0; i < 5; i++) await tick();
        expect(fake.posts).toHaveLength(1);
        sim.manualClock.advance(1000);
        for (let i = 0; i < 5; i++) await tick();
        expect(fake.posts).toHaveLength(2);
        sim.manualClock.advance(5000);
        await sim.pusher!.idle();
        expect(fake.posts).toHaveLength(3);
        expect(fake.posts.map((p) => p.body.records[0].interactionId)).toEqual([id, id, id]);
        expect(sim.events.list(0, { type: 'push-failed' }).map((e) => e.data.retryInMs)).toEqual([
            1000, 5000
        ]);
        expect(sim.events.list(0, { type: 'push-sent' })).toHaveLength(1);
    });

    it('follows the integration settings: hard-phone calls only with logNonWebPhoneCalls, only synced campaigns', async () => {
        const settings = (await api.get('/v1/integration/salesforce', { headers: TEST_AUTH })).body;
        await api.put('/v1/integration/salesforce', {
            headers: ADMIN_AUTH,
            body: { ...settings, logNonWebPhoneCalls: false }
        });
        await api.post('/v1/licences/assignments', { headers: ADMIN_AUTH, body: { agentId: 'agt-109' } }); // the hard-phone agent
        await answeredCall('agt-109');
        expect(fake.posts).toHaveLength(0);
        await api.put('/v1/integration/salesforce', {
            headers: ADMIN_AUTH,
            body: { ...settings, syncCampaignIds: ['cmp-sales'] }
        });
        await answeredCall('agt-102', 'cmp-hotline');
        expect(fake.posts).toHaveLength(0);
        await api.put('/v1/integration/salesforce', { headers: ADMIN_AUTH, body: settings });
        await answeredCall('agt-103', 'cmp-sales');
        expect(fake.posts).toHaveLength(1);
    });

    it('pushes nothing of other tenants', async () => {
        await api.put('/v1/agents/agt-p-201/status', {
            headers: { 'X-Api-Key': 'sim_live_8e7f60a1b2c3d44f3c2a1b9d', 'X-Tenant-Id': 'acme-prod' },
            body: { status: 'Ready' }
        });
        const id = (
            await api.post('/_sim/calls', { body: { tenantId: 'acme-prod', callerNumber: '+48600700800' } })
        ).body.interactionId as string;
        await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'caller' } });
        await api.post('/_sim/push/flush');
        expect(fake.posts).toHaveLength(0);
    });
});

/** The IVR's writes to Salesforce for calls nobody answered (I3, F11, F24). */
function ivrWrites(): any[] {
    return fake.posts.filter((post) => post.path === APEX_IVR_WRITES_PATH).map((post) => post.body);
}

describe('IVR writes', () => {
    it('writes a call the caller left in the queue as abandoned, valid against the contract', async () => {
        const id = (await api.post('/_sim/calls', { body: { callerNumber: '+48600700800' } })).body
            .interactionId as string;
        await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'caller' } });
        await api.post('/_sim/push/flush');
        const writes = ivrWrites();
        expect(writes).toHaveLength(1);
        expect(contract.validateSchema('IvrWriteRequest', writes[0])).toEqual([]);
        expect(writes[0]).toMatchObject({
            tenantId: 'acme-test',
            writes: [{ interactionId: id, kind: 'abandoned', callerNumber: '+48600700800' }]
        });
        expect(writes[0].writes[0].callback.agentEmail).toBe('anna.kowalska@acme.example');
    });

    it('makes a callback request of a caller who asked the IVR for one', async () => {
        const id = (await api.post('/_sim/calls', { body: { callerNumber: '+48600700800' } })).body
            .interactionId as string;
        const patched = await api.post(`/v1/calls/${id}/ivr-data`, {
            headers: TEST_AUTH,
            body: { data: { callbackAt: '2030-01-01T10:00:00Z' } }
        });
        expect(patched.status).toBe(200);
        await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'caller' } });
        await api.post('/_sim/push/flush');
        const [body] = ivrWrites();
        expect(contract.validateSchema('IvrWriteRequest', body)).toEqual([]);
        expect(body.writes[0]).toMatchObject({
            kind: 'callback',
            callback: { dueAt: '2030-01-01T10:00:00.000Z' }
        });
    });

    it('writes nothing for an answered call', async () => {
        await api.put('/v1/agents/agt-101/status', { headers: TEST_AUTH, body: { status: 'Ready' } });
        const id = (await api.post('/_sim/calls', { body: { callerNumber: '+48600700800' } })).body
            .interactionId as string;
        await api.post(`/_sim/calls/${id}/answer`);
        await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'caller' } });
        await api.post('/_sim/push/flush');
        expect(ivrWrites()).toHaveLength(0);
        expect(fake.posts).toHaveLength(1);
    });
});

describe('jsforce connection', () => {
    it('uses an access token without logging in (no network needed)', async () => {
        const connection = (await openJsforceConnection({
            kind: 'token',
            instanceUrl: 'https://example.my.salesforce.com',
            accessToken: '00D000000000001!token'
        })) as ApexConnection & { instanceUrl: string; accessToken: string };
        expect(connection.instanceUrl).toBe('https://example.my.salesforce.com');
        expect(connection.accessToken).toBe('00D000000000001!token');
        expect(typeof connection.apex.post).toBe('function');
    });
});
