/**
 * Customer-side recordings: the customer page uploads the call's audio (WebM) under its SIP Call-ID or
 * the interaction id; it replaces the synthetic placeholder (same recording id, source customer-leg),
 * also when it arrives before the hang-up; the API serves it with its media type; the push carries it.
 */
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AgentStatusName } from '../src/acd/agent-status';
import { InMemorySignalling } from '../src/acd/in-memory-signalling';
import { acceptsMediaType } from '../src/api/operations';
import type { ApexConnection } from '../src/push/call-record-push';
import { baseMediaType, MAX_RECORDING_BYTES, RecordingError, sniffAudio } from '../src/recording/library';
import { generateToneWav } from '../src/recording/wav';
import { storeDirectory } from '../src/sip/directory';
import { KamailioSignalling } from '../src/sip/kamailio-signalling';
import type { SipEdge, SipEdgeEndpoints } from '../src/sip/sip-edge';
import { SEED } from '../src/store/seed';
import {
    TEST_AUTH,
    client,
    contractErrors,
    startTestSimulator,
    tempDir,
    tick,
    type TestSimulator
} from './helpers';

const TENANT = SEED.test.tenantId;
const WEBM = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(3000, 0x21)]);
const OGG = Buffer.concat([Buffer.from('OggS', 'ascii'), Buffer.alloc(100, 1)]);

type Api = ReturnType<typeof client>;

/** The in-memory signalling with SIP Call-IDs, as KamailioSignalling has them. */
class CallIdSignalling extends InMemorySignalling {
    readonly callIds = new Map<string, string>();
    interactionIdOfCallId(callId: string): string | undefined {
        return this.callIds.get(callId);
    }
}

async function placeAnswered(api: Api): Promise<string> {
    await api.put('/v1/agents/agt-101/status', { headers: TEST_AUTH, body: { status: 'Ready' } });
    const placed = await api.post('/_sim/calls', {
        body: { callerNumber: '+48600700800', campaignId: 'cmp-support' }
    });
    const id = placed.body.interactionId as string;
    expect((await api.post(`/_sim/calls/${id}/answer`)).status).toBe(200);
    return id;
}

function upload(api: Api, route: string, audio: Buffer, contentType = 'audio/webm;codecs=opus') {
    return api.put(`/_sim/recordings/${route}`, { headers: { 'Content-Type': contentType }, rawBody: audio });
}

describe('pure helpers', () => {
    it.each([
        ['WebM (EBML)', WEBM, 'audio/webm'],
        ['Ogg', OGG, 'audio/ogg'],
        ['WAV', generateToneWav(100, '1'), 'audio/wav'],
        ['JSON', Buffer.from('{"a":1}'), undefined],
        ['3 bytes', Buffer.from([0x1a, 0x45, 0xdf]), undefined]
    ])('sniffs %s', (_name, data, expected) => expect(sniffAudio(data)).toBe(expected));

    it.each([
        ['audio/webm;codecs=opus', 'audio/webm'],
        ['AUDIO/WEBM', 'audio/webm'],
        ['audio/x-wav', 'audio/wav'],
        [undefined, '']
    ])('base media type of %s is %s', (input, expected) => expect(baseMediaType(input)).toBe(expected));

    it.each([
        ['*/*', 'audio/webm', true],
        ['audio/*', 'audio/webm', true],
        ['audio/webm, audio/wav;q=0.5', 'audio/webm', true],
        ['audio/wav', 'audio/webm', false],
        ['audio/x-wav', 'audio/wav', true],
        ['audio/ogg', 'audio/wav', false],
        ['application/json', 'audio/wav', false]
    ])('Accept %s takes %s: %s', (accept, type, expected) =>
        expect(acceptsMediaType(accept, type)).toBe(expected)
    );
});

describe('customer-side recordings over the control API', () => {
    let sim: TestSimulator;
    let api: Api;
    let signalling: CallIdSignalling;
    const posts: any[] = [];
    const connection: ApexConnection = {
        apex: {
            post: async <R>(_path: string, body?: object): Promise<R> => {
                posts.push(body);
                return { results: [] } as R;
            }
        }
    };

    beforeEach(async () => {
        posts.length = 0;
        signalling = new CallIdSignalling();
        sim = await startTestSimulator({ signalling, pushConnection: connection });
        api = client(sim);
    });
    afterEach(() => sim.close());

    it('an answered call keeps the synthetic placeholder when nothing is uploaded', async () => {
        const id = await placeAnswered(api);
        sim.manualClock.advance(2000);
        await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'caller' } });
        const call = await api.get(`/v1/calls/${id}`, { headers: TEST_AUTH });
        const facts = await api.get(`/_sim/recordings/${call.body.recording.id}`);
        expect(facts.status).toBe(200);
        expect(facts.body).toMatchObject({
            source: 'synthetic',
            contentType: 'audio/wav',
            interactionId: id
        });
    });

    it('an upload after the hang-up replaces the placeholder: same id, WebM, customer-leg, new version', async () => {
        const id = await placeAnswered(api);
        sim.manualClock.advance(4000);
        await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'caller' } });
        await api.post('/_sim/push/flush');
        const before = (await api.get(`/v1/calls/${id}`, { headers: TEST_AUTH })).body;
        const placeholder = path.join(sim.dataDir, 'recordings', `${before.recording.id}.wav`);
        expect(fs.existsSync(placeholder)).toBe(true);

        const stored = await upload(api, `by-interaction/${id}?durationMs=3870`, WEBM);
        expect(stored.status).toBe(201);
        expect(stored.body).toMatchObject({
            interactionId: id,
            state: 'stored',
            recording: {
                id: before.recording.id,
                source: 'customer-leg',
                contentType: 'audio/webm',
                sizeBytes: WEBM.length,
                durationSeconds: 3.87
            }
        });

        const after = await api.get(`/v1/calls/${id}`, { headers: TEST_AUTH });
        expect(contractErrors('getCall', after)).toEqual([]);
        expect(after.body.version).toBe(before.version + 1);
        expect(after.body.recording).toMatchObject({ id: before.recording.id, contentType: 'audio/webm' });
        const metadata = await api.get(`/v1/recordings/${before.recording.id}`, { headers: TEST_AUTH });
        expect(contractErrors('getRecording', metadata)).toEqual([]);
        expect(metadata.body).toMatchObject({ contentType: 'audio/webm', sizeBytes: WEBM.length });
        const audio = await api.get(`/v1/recordings/${before.recording.id}/audio`, { headers: TEST_AUTH });
        expect(contractErrors('getRecordingAudio', audio)).toEqual([]);
        expect(audio.contentType).toBe('audio/webm');
        expect(audio.raw.equals(WEBM)).toBe(true);
        // The placeholder file is gone, the upload is on disk.
        expect(fs.existsSync(placeholder)).toBe(false);
        expect(fs.existsSync(path.join(sim.dataDir, 'recordings', `${before.recording.id}.webm`))).toBe(true);

        // Salesforce hears about the change: the record again, with the WebM reference.
        await api.post('/_sim/push/flush');
        expect(posts).toHaveLength(2);
        expect(posts[0].records[0].recording.contentType).toBe('audio/wav');
        expect(posts[1].records[0]).toMatchObject({
            interactionId: id,
            version: before.version + 1,
            recording: { contentType: 'audio/webm', durationSeconds: 3.87 }
        });
        const created = sim.events.list(0, { type: 'recording-created', interactionId: id });
        expect(created.map((event) => event.data.source)).toEqual(['synthetic', 'customer-leg']);
    });

    it('an upload that beats the hang-up waits for it and is stored before the push', async () => {
        const id = await placeAnswered(api);
        sim.manualClock.advance(3000);
        const uploading = upload(api, `by-interaction/${id}`, WEBM);
        // The upload is held until the ACD has the hang-up.
        for (let i = 0; i < 200 && sim.recordings.pendingCount() === 0; i++) await tick();
        expect(sim.recordings.pendingCount()).toBe(1);
        await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'caller' } });
        const stored = await uploading;
        expect(stored.status).toBe(201);
        expect(stored.body.recording).toMatchObject({ source: 'customer-leg', durationSeconds: 3 });
        await api.post('/_sim/push/flush');
        expect(posts).toHaveLength(1);
        expect(posts[0].records[0].recording.contentType).toBe('audio/webm');
    });

    it('answers 202 when the call goes on past the wait, and stores the file at the hang-up', async () => {
        sim.recordings.settleWaitMs = 1;
        const id = await placeAnswered(api);
        const pending = await upload(api, `by-interaction/${id}`, OGG, 'audio/ogg');
        expect(pending.status).toBe(202);
        expect(pending.body).toEqual({ interactionId: id, state: 'pending', recording: null });
        await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'agent' } });
        const call = await api.get(`/v1/calls/${id}`, { headers: TEST_AUTH });
        expect(call.body.recording.contentType).toBe('audio/ogg');
        expect((await api.get(`/_sim/recordings/${call.body.recording.id}`)).body.source).toBe(
            'customer-leg'
        );
    });

    it('finds the interaction by the SIP Call-ID of the customer leg', async () => {
        const id = await placeAnswered(api);
        signalling.callIds.set('a84b4c76e66710@pc33.example', id);
        await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'caller' } });
        const stored = await upload(
            api,
            `by-call-id/${encodeURIComponent('a84b4c76e66710@pc33.example')}`,
            WEBM
        );
        expect(stored.status).toBe(201);
        expect(stored.body.interactionId).toBe(id);
    });

    it.each([
        ['an unknown Call-ID', 'by-call-id/nobody@nowhere', WEBM, 'audio/webm', 404, 'not-found'],
        ['an unknown interaction', 'by-interaction/int-nope', WEBM, 'audio/webm', 404, 'not-found'],
        [
            'a body that is not audio',
            'by-interaction/{id}',
            Buffer.from('{"a":1}'),
            'audio/webm',
            415,
            'unsupported-media-type'
        ],
        [
            'a Content-Type that contradicts the bytes',
            'by-interaction/{id}',
            WEBM,
            'audio/wav',
            415,
            'unsupported-media-type'
        ],
        ['an empty body', 'by-interaction/{id}', Buffer.alloc(0), 'audio/webm', 422, 'validation-failed'],
        [
            'a negative duration',
            'by-interaction/{id}?durationMs=-1',
            WEBM,
            'audio/webm',
            422,
            'validation-failed'
        ]
    ])('refuses %s', async (_name, route, audio, type, status, code) => {
        const id = await placeAnswered(api);
        await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'caller' } });
        const response = await upload(api, route.replace('{id}', id), audio, type);
        expect(response.status).toBe(status);
        expect(response.body.code).toBe(code);
    });

    it('refuses a recording of a call nobody answered (409)', async () => {
        const placed = await api.post('/_sim/calls', { body: { callerNumber: '+48600700800' } });
        const id = placed.body.interactionId as string;
        await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'caller' } });
        const response = await upload(api, `by-interaction/${id}`, WEBM);
        expect(response.status).toBe(409);
        expect(response.body.code).toBe('call-not-answered');
    });

    it('drops an early upload when the call then ends unanswered', async () => {
        const placed = await api.post('/_sim/calls', { body: { callerNumber: '+48600700800' } });
        const id = placed.body.interactionId as string;
        const uploading = upload(api, `by-interaction/${id}`, WEBM);
        for (let i = 0; i < 200 && sim.recordings.pendingCount() === 0; i++) await tick();
        await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'caller' } });
        expect((await uploading).status).toBe(409);
        expect(sim.recordings.pendingCount()).toBe(0);
    });

    it('refuses uploads larger than the limit', () => {
        expect(() =>
            sim.recordings.attachCustomerLeg({
                tenantId: TENANT,
                interactionId: 'int-any',
                audio: Buffer.alloc(MAX_RECORDING_BYTES + 1)
            })
        ).toThrow(RecordingError);
    });

    it('GET of an unknown recording is 404', async () => {
        expect((await api.get('/_sim/recordings/rec-nope')).status).toBe(404);
    });
});

describe('persistence of a customer-side recording', () => {
    it('keeps the uploaded file and its metadata across a restart', async () => {
        const dataDir = tempDir();
        const first = await startTestSimulator({ dataDir });
        const api = client(first);
        const id = await placeAnswered(api);
        await api.post(`/_sim/calls/${id}/hangup`, { body: { by: 'caller' } });
        const stored = await upload(api, `by-interaction/${id}`, WEBM);
        await first.close();

        const second = await startTestSimulator({ dataDir });
        try {
            const again = client(second);
            const recordingId = stored.body.recording.id as string;
            expect((await again.get(`/_sim/recordings/${recordingId}`)).body.source).toBe('customer-leg');
            const audio = await again.get(`/v1/recordings/${recordingId}/audio`, { headers: TEST_AUTH });
            expect(audio.contentType).toBe('audio/webm');
            expect(audio.raw.equals(WEBM)).toBe(true);
        } finally {
            await second.close();
        }
    });
});

/** Kamailio's part, reduced to what maps a Call-ID: the INVITE datagram and the http_client events. */
class FakeEdge implements SipEdge {
    readonly wsUrl = 'ws://127.0.0.1:1';
    constructor(readonly endpoints: SipEdgeEndpoints) {}
    async cancelInvite(): Promise<boolean> {
        return true;
    }
    async contacts(): Promise<[]> {
        return [];
    }
    async close(): Promise<void> {}
}

describe('KamailioSignalling maps the Call-ID of the customer leg to the interaction', () => {
    it('uploads by Call-ID through the SIP signalling', async () => {
        let edge: FakeEdge | undefined;
        const signalling = await KamailioSignalling.start({
            secret: 'test-secret',
            edge: async (endpoints) => (edge = new FakeEdge(endpoints))
        });
        const sim = await startTestSimulator({ signalling });
        signalling.setDirectory(storeDirectory(sim.store));
        const socket = dgram.createSocket('udp4');
        await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
        try {
            sim.acd.setStatus(TENANT, 'agt-101', { status: AgentStatusName.Ready });
            const callId = 'f81d4fae-7dec-11d0-a765@customer.invalid';
            const invite = [
                'INVITE sip:cmp-support@127.0.0.1 SIP/2.0',
                'Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-rec-1',
                'From: <sip:+48600700800@127.0.0.1>;tag=callertag',
                'To: <sip:cmp-support@127.0.0.1>',
                `Call-ID: ${callId}`,
                'CSeq: 1 INVITE',
                'Content-Length: 0',
                '',
                ''
            ].join('\r\n');
            socket.send(Buffer.from(invite), edge!.endpoints.simSipPort, '127.0.0.1');
            for (let i = 0; i < 500 && !signalling.interactionIdOfCallId(callId); i++)
                await new Promise((resolve) => setTimeout(resolve, 2));
            const interactionId = signalling.interactionIdOfCallId(callId)!;
            expect(interactionId).toMatch(/^int-/);
            const event = (name: string, query: Record<string, string>) =>
                fetch(`${edge!.endpoints.eventUrl}/${name}?${new URLSearchParams(query).toString()}`);
            await event('answered', { callid: callId });
            await event('bye', { callid: callId, fromtag: 'callertag' });
            for (let i = 0; i < 200 && sim.acd.call(TENANT, interactionId)?.state !== 'ended'; i++)
                await tick();

            const stored = await upload(client(sim), `by-call-id/${encodeURIComponent(callId)}`, WEBM);
            expect(stored.status).toBe(201);
            expect(stored.body).toMatchObject({ interactionId, recording: { source: 'customer-leg' } });
            expect(signalling.interactionIdOfCallId('someone-else@x')).toBeUndefined();
        } finally {
            socket.close();
            await sim.close();
        }
    });
});
