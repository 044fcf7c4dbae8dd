/** A restart with the same data dir keeps tenants, agents, licences, settings, calls and recordings. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATABASE_FILE } from '../src/store/store';
import { ADMIN_AUTH, TEST_AUTH, client, startTestSimulator, tempDir, waitFor } from './helpers';

describe('persistence', () => {
    it('keeps data across a restart with the same data dir', async () => {
        const dataDir = tempDir();
        const first = await startTestSimulator({ dataDir });
        const api = client(first);
        const provisioned = await api.post('/v1/agents', {
            headers: { ...ADMIN_AUTH, 'Idempotency-Key': 'persist-1' },
            body: { email: 'nowy@acme.example', firstName: 'Nowy', lastName: 'Agent' }
        });
        expect(provisioned.status).toBe(201);
        await api.post('/v1/licences/assignments', { headers: ADMIN_AUTH, body: { agentId: 'agt-104' } });
        await api.put('/v1/agents/agt-101/status', { headers: TEST_AUTH, body: { status: 'Ready' } });
        const placed = await api.post('/_sim/calls', { body: { callerNumber: '+48600700800' } });
        const id = placed.body.interactionId as string;
        await api.post(`/_sim/calls/${id}/answer`);
        first.manualClock.advance(3000);
        const ended = await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'caller' } });
        const waiting = (await api.post('/_sim/calls', { body: { callerNumber: '+48600700801' } })).body
            .interactionId as string;
        await first.close();
        expect(fs.existsSync(path.join(dataDir, DATABASE_FILE))).toBe(true);

        const second = await startTestSimulator({ dataDir });
        const again = client(second);
        try {
            const agent = await again.get(`/v1/agents/${provisioned.body.id}`, { headers: TEST_AUTH });
            expect(agent.body).toEqual(provisioned.body);
            expect((await again.get('/v1/licences', { headers: ADMIN_AUTH })).body.seatsUsed).toBe(4);
            const call = await again.get(`/v1/calls/${id}`, { headers: TEST_AUTH });
            expect(call.body).toMatchObject({
                outcome: 'answered',
                talkSeconds: 3,
                recording: { id: ended.body.recording.id }
            });
            expect(call.body.recording.url).toBe(
                `${second.url}/v1/recordings/${ended.body.recording.id}/audio`
            );
            const audio = await again.get(`/v1/recordings/${call.body.recording.id}/audio`, {
                headers: TEST_AUTH
            });
            expect(audio.status).toBe(200);
            expect(audio.raw.subarray(0, 4).toString('ascii')).toBe('RIFF');
            // the call still waiting at the stop was closed by the stop itself
            expect((await again.get(`/v1/calls/${waiting}`, { headers: TEST_AUTH })).body).toMatchObject({
                outcome: 'failed',
                hangupBy: 'system'
            });
            // statuses are not kept: everybody starts NotReady
            expect((await again.get('/v1/agents/agt-101/status', { headers: TEST_AUTH })).body.status).toBe(
                'NotReady'
            );
            // the seed is not applied twice
            const agents = await again.get('/v1/agents?limit=200', { headers: TEST_AUTH });
            expect(agents.body.items).toHaveLength(10);
            // idempotency keys survive too
            const replay = await again.post('/v1/agents', {
                headers: { ...ADMIN_AUTH, 'Idempotency-Key': 'persist-1' },
                body: { email: 'nowy@acme.example', firstName: 'Nowy', lastName: 'Agent' }
            });
            expect(replay.headers['idempotent-replayed']).toBe('true');
        } finally {
            await second.close();
        }
    });

    it('writes the database file soon after a change, before any stop', async () => {
        const dataDir = tempDir();
        const sim = await startTestSimulator({ dataDir });
        try {
            sim.store.flush();
            const before = fs.statSync(path.join(dataDir, DATABASE_FILE)).size;
            expect(before).toBeGreaterThan(0);
            await client(sim).post('/v1/agents', {
                headers: ADMIN_AUTH,
                body: { email: 'debounce@acme.example', firstName: 'De', lastName: 'Bounce' }
            });
            // the debounced save (50 ms) writes it without a stop: wait for the file to change, not for a time
            // (a fixed 120 ms sleep fails when the machine is loaded); the bound only reports a hang
            const saved = (): boolean =>
                fs
                    .readFileSync(path.join(dataDir, DATABASE_FILE))
                    .includes(Buffer.from('debounce@acme.example'));
            await waitFor(saved, 20_000);
            expect(saved()).toBe(true);
        } finally {
            await sim.close();
        }
    });

    it('keeps nothing on disk in memory mode', async () => {
        const sim = await startTestSimulator({ config: { dataDir: null } });
        await sim.close();
        expect(sim.config.dataDir).toBeNull();
    });
});
