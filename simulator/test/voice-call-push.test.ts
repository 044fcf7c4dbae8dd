/**
 * Salesforce Voice: the simulator creates and updates VoiceCall records through the telephony integration
 * API (`--telephony-url`), here a local HTTP server that records what it gets.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEST_AUTH, client, startTestSimulator, waitFor, type TestSimulator } from './helpers';

interface Received {
    method: string;
    path: string;
    body: Record<string, unknown>;
}

let sim: TestSimulator;
let telephony: http.Server;
let received: Received[];
let status: number;
let api: ReturnType<typeof client>;

beforeEach(async () => {
    received = [];
    status = 200;
    telephony = http.createServer((request, response) => {
        let text = '';
        request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        request.on('end', () => {
            received.push({
                method: request.method ?? '',
                path: request.url ?? '',
                body: JSON.parse(text || '{}')
            });
            response.writeHead(status, { 'Content-Type': 'application/json' }).end('{}');
        });
    });
    await new Promise<void>((resolve) => telephony.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(telephony.address() as AddressInfo).port}`;
    sim = await startTestSimulator({
        config: { telephony: { url, callCenterApiName: 'ccphoneVoice', tenantId: 'acme-test' } }
    });
    api = client(sim);
});
afterEach(async () => {
    await sim.close();
    await new Promise((resolve) => telephony.close(resolve));
});

async function answeredInbound(): Promise<string> {
    await api.put('/v1/agents/agt-101/status', { headers: TEST_AUTH, body: { status: 'Ready' } });
    const id = (
        await api.post('/_sim/calls', { body: { callerNumber: '+48600700800', campaignId: 'cmp-support' } })
    ).body.interactionId as string;
    await api.post(`/_sim/calls/${id}/answer`);
    sim.manualClock.advance(65000);
    await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'caller' } });
    return id;
}

describe('VoiceCall records (telephony integration API)', () => {
    it('creates the VoiceCall when the call is offered, keyed by the interaction id', async () => {
        const id = await answeredInbound();
        await waitFor(() => received.some((r) => r.method === 'PATCH' && 'endTime' in r.body));
        const create = received.find((r) => r.method === 'POST')!;
        expect(create.path).toBe('/telephony/v1/voiceCalls');
        expect(create.body).toMatchObject({
            callCenterApiName: 'ccphoneVoice',
            vendorCallKey: id,
            from: '+48600700800',
            initiationMethod: 'Inbound',
            participants: [{ participantKey: '+48600700800', type: 'END_USER' }]
        });
        expect(received.filter((r) => r.method === 'POST')).toHaveLength(1);
    });

    it('updates it at the end with times, queue and talk time, and with the recording', async () => {
        const id = await answeredInbound();
        await waitFor(() => received.some((r) => r.method === 'PATCH' && 'recordingLocation' in r.body));
        await waitFor(() => received.some((r) => r.method === 'PATCH' && 'endTime' in r.body));
        const end = received.find((r) => r.method === 'PATCH' && 'endTime' in r.body)!;
        expect(end.path).toBe(`/telephony/v1/voiceCalls/${id}`);
        expect(end.body).toMatchObject({
            agentInteractionDuration: 65,
            queue: 'Support PL',
            fromNumber: '+48600700800',
            callOutcome: 'answered'
        });
        expect(Date.parse(end.body.endTime as string) - Date.parse(end.body.acceptTime as string)).toBe(
            65000
        );
        const recording = received.find((r) => r.method === 'PATCH' && 'recordingLocation' in r.body)!;
        expect(recording.body.recordingLocation).toMatch(/\/v1\/recordings\/[^/]+\/audio$/);
        expect(typeof recording.body.totalRecordingDuration).toBe('number');
    });

    it('an outbound call is created as Outbound, to the number the agent dialled', async () => {
        await api.post('/_sim/calls/outbound', {
            body: { agentId: 'agt-101', calleeNumber: '+48601234567', result: 'answered' }
        });
        await waitFor(() => received.some((r) => r.method === 'POST'));
        expect(received.find((r) => r.method === 'POST')!.body).toMatchObject({
            initiationMethod: 'Outbound',
            to: '+48601234567'
        });
    });

    it('a telephony API that refuses: tried twice, then a push-failed event names it', async () => {
        status = 500;
        const id = await answeredInbound();
        await waitFor(() => received.filter((r) => r.method === 'POST').length === 2);
        let failed: Array<{ interactionId: string; data: { target?: string; method?: string } }> = [];
        for (let i = 0; i < 200 && !failed.some((e) => e.data.method === 'POST'); i++) {
            failed = (await api.get('/_sim/events?type=push-failed')).body.items;
        }
        expect(failed.find((e) => e.data.method === 'POST')).toMatchObject({
            interactionId: id,
            data: { target: 'voice-call', error: 'HTTP 500' }
        });
    });

    it('one VoiceCall per transfer leg, its parent the interaction; a continued leg makes none', async () => {
        const id = await answeredInbound();
        await waitFor(() => received.some((r) => r.method === 'POST'));
        const leg = (legKey: string, newLeg: boolean) =>
            sim.events.add(
                'call-transferred',
                { tenantId: 'acme-test', interactionId: id, agentId: 'agt-102' },
                { legKey, kind: 'consultation', newLeg, fromAgentId: 'agt-101' }
            );
        leg(`${id}.c1`, true);
        leg(`${id}.c1`, false); // the attended transfer completes the consultation leg
        leg(`${id}.c1`, true); // a repeated report of the same leg
        await waitFor(() => received.filter((r) => r.method === 'POST').length === 2);
        await sim.voiceCalls!.flush();
        const children = received.filter((r) => r.method === 'POST' && r.body.parentVoiceCallId === id);
        expect(children).toHaveLength(1);
        expect(children[0]!.body).toMatchObject({
            vendorCallKey: `${id}.c1`,
            initiationMethod: 'Transfer',
            from: '+48600700800',
            to: 'agt-102',
            participants: [{ participantKey: '+48600700800', type: 'END_USER' }]
        });
    });

    it('a leg of an unknown interaction or another tenant is not sent', async () => {
        await answeredInbound();
        await waitFor(() => received.some((r) => r.method === 'POST'));
        sim.events.add(
            'call-transferred',
            { tenantId: 'acme-test', interactionId: 'int-unknown', agentId: 'agt-102' },
            { legKey: 'int-unknown.t1', kind: 'transfer', newLeg: true, fromAgentId: null }
        );
        sim.events.add(
            'call-transferred',
            { tenantId: 'other-tenant', interactionId: 'int-x', agentId: 'agt-102' },
            { legKey: 'int-x.t1', kind: 'transfer', newLeg: true, fromAgentId: null }
        );
        await sim.voiceCalls!.flush();
        expect(received.filter((r) => r.method === 'POST')).toHaveLength(1);
    });
});
