/** The conversation of a recorded call (F22), PUT to the org after the call, with a fake jsforce connection. */
import type { ApexConnection } from '../src/push/call-record-push';
import { conversationOf, RECEIVER_TRANSCRIPT_LIMIT } from '../src/push/conversation';
import { TEST_AUTH, client, contract, startTestSimulator, tick, type TestSimulator } from './helpers';

interface Put {
    path: string;
    body: any;
    headers: Record<string, string>;
}

/** Records apex.put calls; answers each with the next scripted answer (an Error is thrown), else `saved`. */
class FakeConnection implements ApexConnection {
    readonly puts: Put[] = [];
    readonly answers: Array<{ status: string } | Error> = [];
    /** While set, call-record posts wait for it. */
    postGate: Promise<void> | null = null;
    readonly apex = {
        post: async <R>(): Promise<R> => {
            await this.postGate;
            return { results: [] } as R;
        },
        put: async <R>(
            path: string,
            body?: object,
            options?: { headers?: Record<string, string> }
        ): Promise<R> => {
            this.puts.push({ path, body, headers: options?.headers ?? {} });
            const answer = this.answers.shift() ?? { status: 'saved' };
            if (answer instanceof Error) throw answer;
            const id = decodeURIComponent(path.split('/').at(-1)!);
            return { interactionId: id, ...answer } as R;
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

async function recordedCall(ivrCode?: string): Promise<string> {
    await api.put('/v1/agents/agt-101/status', { headers: TEST_AUTH, body: { status: 'Ready' } });
    const id = (
        await api.post('/_sim/calls', {
            body: { callerNumber: '+48600700800', campaignId: 'cmp-support', ...(ivrCode ? { ivrCode } : {}) }
        })
    ).body.interactionId as string;
    await api.post(`/_sim/calls/${id}/answer`);
    sim.manualClock.advance(75_000);
    await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'caller' } });
    await api.post('/_sim/push/flush');
    return id;
}

/** Moves the clock until `count` conversation events were logged (each wait is on the simulator's clock). */
async function conversationEvents(count: number, stepMs: number) {
    for (let i = 0; i < 50; i++) {
        const events = sim.events.list(0).filter((e) => e.type.startsWith('conversation-'));
        if (events.length >= count) return events;
        sim.manualClock.advance(stepMs);
        await tick();
    }
    throw new Error(`expected ${count} conversation events`);
}

describe('conversation push', () => {
    it("PUTs a recorded call's transcript, summary and suggested result to the org, once", async () => {
        const id = await recordedCall('1027');
        expect(fake.puts).toHaveLength(0); // the analysis takes a moment
        await conversationEvents(1, 1000);
        await api.post('/_sim/conversations/flush');
        expect(fake.puts).toHaveLength(1);
        const [put] = fake.puts;
        expect(put!.path).toBe(`/ccphone/conversations/v1/${encodeURIComponent(id)}`);
        expect(put!.headers['X-Tenant-Id']).toBe('acme-test');
        expect(contract.validateSchema('ConversationPush', put!.body)).toEqual([]);
        expect(put!.body.summary).toContain('+48600700800');
        expect(put!.body.summary).toContain('1027');
        expect(put!.body.suggestedResult).toBe('Follow-up needed');
        expect(put!.body.transcript).toContain('not speech recognition');
        expect(put!.body.transcript).toMatch(/^\[01:15\] Call ended by caller\.$/m);
        const sent = sim.events.list(0, { type: 'conversation-sent' });
        expect(contract.validateSchema('ConversationPushResult', sent[0]!.data.response)).toEqual([]);

        // the same call gives the same text; a record pushed again sends nothing new
        const record = sim.acd.call('acme-test', id)!;
        expect(conversationOf(record)).toEqual(put!.body);
        sim.conversations!.handle(record);
        sim.manualClock.advance(5000);
        await api.post('/_sim/conversations/flush');
        expect(fake.puts).toHaveLength(1);
    });

    it("waits for the call record's push (the Task) before its first send", async () => {
        let open!: () => void;
        fake.postGate = new Promise((resolve) => (open = resolve));
        await api.put('/v1/agents/agt-101/status', { headers: TEST_AUTH, body: { status: 'Ready' } });
        const id = (await api.post('/_sim/calls', { body: { callerNumber: '+48600700800' } })).body
            .interactionId as string;
        await api.post(`/_sim/calls/${id}/answer`);
        await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'caller' } });
        sim.manualClock.advance(10_000);
        await tick();
        expect(fake.puts).toHaveLength(0);
        open();
        await api.post('/_sim/push/flush');
        await conversationEvents(1, 1000);
        expect(fake.puts).toHaveLength(1);
    });

    it('sends it again after a 202 pending (no Task yet) and after a server error, with backoff', async () => {
        fake.answers.push({ status: 'pending' }, new Error('HTTP 503 Service Unavailable'));
        await recordedCall();
        const events = await conversationEvents(3, 30_000);
        await api.post('/_sim/conversations/flush');
        expect(events.map((e) => e.type)).toEqual([
            'conversation-sent',
            'conversation-failed',
            'conversation-sent'
        ]);
        expect(fake.puts.map((put) => put.body)).toEqual([
            fake.puts[0]!.body,
            fake.puts[0]!.body,
            fake.puts[0]!.body
        ]);
        expect(events[2]!.data.response).toMatchObject({ status: 'saved' });
    });

    it('test options: empty, oversized, late (held until sent), off', async () => {
        expect((await api.put('/_sim/conversations', { body: { mode: 'bogus' } })).status).toBe(422);

        await api.put('/_sim/conversations', { body: { mode: 'empty' } });
        await recordedCall();
        await conversationEvents(1, 1000);
        expect(fake.puts.at(-1)!.body).toEqual({ summary: '', suggestedResult: null, transcript: '' });

        await api.put('/_sim/conversations', { body: { mode: 'oversized' } });
        await recordedCall();
        await conversationEvents(2, 1000);
        expect(fake.puts.at(-1)!.body.transcript.length).toBeGreaterThan(RECEIVER_TRANSCRIPT_LIMIT);

        await api.put('/_sim/conversations', { body: { mode: 'late' } });
        const late = await recordedCall();
        sim.manualClock.advance(600_000);
        await api.post('/_sim/conversations/flush');
        expect(fake.puts).toHaveLength(2);
        expect((await api.get('/_sim/conversations')).body).toMatchObject({ mode: 'late', held: [late] });
        expect((await api.post(`/_sim/conversations/${late}/send`)).status).toBe(202);
        await api.post('/_sim/conversations/flush');
        expect(fake.puts).toHaveLength(3);
        expect(fake.puts.at(-1)!.body.summary).toContain('+48600700800');
        expect((await api.post(`/_sim/conversations/${late}/send`)).status).toBe(404);

        await api.put('/_sim/conversations', { body: { mode: 'off' } });
        await recordedCall();
        sim.manualClock.advance(10_000);
        await api.post('/_sim/conversations/flush');
        expect(fake.puts).toHaveLength(3);
    });

    it('no conversation for a call nobody answered', async () => {
        const id = (await api.post('/_sim/calls', { body: { callerNumber: '+48600700800' } })).body
            .interactionId as string;
        await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'caller' } });
        sim.manualClock.advance(10_000);
        await api.post('/_sim/conversations/flush');
        expect(fake.puts).toHaveLength(0);
    });
});
