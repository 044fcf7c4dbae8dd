import { ConferenceMixer } from '../../src/sip/conference-mixer';
import {
    audioConstraints,
    checkMicrophone,
    createMediaStreamFactory,
    MicrophoneError,
    microphoneErrorFrom,
    openMicrophone,
    type AudioContextLike,
    type MicrophoneProblem
} from '../../src/sip/media';
import { FakeAudioContext, FakeMediaPort, type FakeAudioNode } from '../fakes/fake-sip-media';
import { FakeSender, FakeTrack } from '../fakes/fake-sip-sdh';

describe('microphoneErrorFrom', () => {
    it.each<[string, MicrophoneProblem]>([
        ['NotAllowedError', 'denied'],
        ['PermissionDeniedError', 'denied'],
        ['SecurityError', 'blocked-by-policy'],
        ['NotFoundError', 'not-found'],
        ['OverconstrainedError', 'not-found'],
        ['NotReadableError', 'in-use'],
        ['AbortError', 'in-use'],
        ['WeirdError', 'unknown']
    ])('%s -> %s, with advice', (name, code) => {
        const error = microphoneErrorFrom({ name, message: 'detail' });
        expect(error).toBeInstanceOf(MicrophoneError);
        expect(error.code).toBe(code);
        expect(error.advice.length).toBeGreaterThan(20);
        expect(error.message).toContain('detail');
    });
});

describe('openMicrophone', () => {
    it('asks for the selected device exactly', async () => {
        const media = new FakeMediaPort();
        await openMicrophone(media, 'headset-1');
        expect(media.constraints).toEqual([audioConstraints('headset-1')]);
        expect((media.constraints[0].audio as MediaTrackConstraints).deviceId).toEqual({
            exact: 'headset-1'
        });
    });

    it('falls back to the default device when the selected one is gone', async () => {
        const media = new FakeMediaPort();
        let first = true;
        media.getUserMedia = (constraints) => {
            media.constraints.push(constraints);
            if (first) {
                first = false;
                return Promise.reject({ name: 'OverconstrainedError' });
            }
            return Promise.resolve({ id: 'default' } as unknown as MediaStream);
        };
        const stream = await openMicrophone(media, 'unplugged');
        expect(stream).toEqual({ id: 'default' });
        expect((media.constraints[1].audio as MediaTrackConstraints).deviceId).toBeUndefined();
    });

    it('maps a denial to MicrophoneError("denied") without retrying', async () => {
        const media = new FakeMediaPort();
        media.getUserMediaError = { name: 'NotAllowedError' };
        await expect(openMicrophone(media, 'headset-1')).rejects.toMatchObject({ code: 'denied' });
        expect(media.constraints).toHaveLength(1);
    });
});

describe('createMediaStreamFactory (the microphone of every sip.js session)', () => {
    it('opens the currently selected input device', async () => {
        const media = new FakeMediaPort();
        let selected: string | undefined = 'mic-a';
        const factory = createMediaStreamFactory(media, () => selected);
        const sdh = {} as Parameters<typeof factory>[1];
        await factory({ audio: true }, sdh);
        selected = undefined;
        await factory({ audio: true }, sdh);
        expect(media.constraints).toEqual([audioConstraints('mic-a'), audioConstraints(undefined)]);
    });

    it('turns a denial into a MicrophoneError sip.js passes on to the call', async () => {
        const media = new FakeMediaPort();
        media.getUserMediaError = { name: 'NotAllowedError', message: 'Permission denied' };
        const factory = createMediaStreamFactory(media, () => undefined);
        await expect(factory({ audio: true }, {} as Parameters<typeof factory>[1])).rejects.toMatchObject({
            name: 'MicrophoneError',
            code: 'denied'
        });
    });
});

describe('checkMicrophone (preflight, never prompts)', () => {
    it.each<[string, Partial<FakeMediaPort>, MicrophoneProblem | undefined]>([
        ['granted', { permission: 'granted' }, undefined],
        ['prompt', { permission: 'prompt' }, undefined],
        ['unknown permission', { permission: undefined }, undefined],
        ['denied', { permission: 'denied' }, 'denied'],
        ['blocked by policy', { allowedByPolicy: false }, 'blocked-by-policy'],
        ['insecure page', { secure: false }, 'insecure-context']
    ])('%s -> problem %p', async (_label, patch, problem) => {
        const media = Object.assign(new FakeMediaPort(), patch);
        const result = await checkMicrophone(media);
        expect(result.ok).toBe(problem === undefined);
        expect(result.ok ? undefined : result.error.code).toBe(problem);
        expect(media.constraints).toEqual([]);
    });
});

describe('ConferenceMixer', () => {
    function legs() {
        const micA = new FakeTrack('micA');
        const micB = new FakeTrack('micB');
        const senderA = new FakeSender(micA);
        const senderB = new FakeSender(micB);
        return {
            micA,
            micB,
            senderA,
            senderB,
            legA: {
                remoteStream: { id: 'remoteA' } as unknown as MediaStream,
                sender: senderA as unknown as RTCRtpSender
            },
            legB: {
                remoteStream: { id: 'remoteB' } as unknown as MediaStream,
                sender: senderB as unknown as RTCRtpSender
            }
        };
    }

    it('sends each leg the agent plus the other party, and restores the microphones', async () => {
        const ctx = new FakeAudioContext();
        const l = legs();
        const mixer = new ConferenceMixer(
            ctx as unknown as AudioContextLike,
            l.legA,
            l.legB,
            (t) => ({ id: (t as unknown as FakeTrack).id }) as unknown as MediaStream
        );
        await mixer.start();
        const node = (label: string): FakeAudioNode => {
            const found = ctx.nodes.find((n) => n.label === label);
            if (!found) throw new Error(label);
            return found;
        };
        const [destA, destB] = ctx.nodes.filter((n) => n.label.startsWith('destination'));
        // mic -> gain -> both destinations; remote A -> destination B; remote B -> destination A
        expect(node('source:micA').connections).toEqual([node('gain')]);
        expect(node('gain').connections).toEqual([destA, destB]);
        expect(node('source:remoteB').connections).toEqual([destA]);
        expect(node('source:remoteA').connections).toEqual([destB]);
        expect(l.senderA.track).toBe(destA.stream.getAudioTracks()[0]);
        expect(l.senderB.track).toBe(destB.stream.getAudioTracks()[0]);

        mixer.setMuted(true);
        expect(node('gain').gain.value).toBe(0);
        mixer.setMuted(false);
        expect(node('gain').gain.value).toBe(1);

        await mixer.stop();
        expect(l.senderA.track).toBe(l.micA);
        expect(l.senderB.track).toBe(l.micB);
        expect(ctx.closed).toBe(true);
        expect(ctx.nodes.every((n) => n.disconnected)).toBe(true);
        await mixer.stop(); // idempotent
    });

    it('moves an existing mute from the track to the mix', async () => {
        const ctx = new FakeAudioContext();
        const l = legs();
        l.micA.enabled = false;
        const mixer = new ConferenceMixer(
            ctx as unknown as AudioContextLike,
            l.legA,
            l.legB,
            () => ({}) as MediaStream
        );
        await mixer.start(true);
        expect(l.micA.enabled).toBe(true);
        expect(ctx.nodes.find((n) => n.label === 'gain')?.gain.value).toBe(0);
    });

    it('refuses to start without a microphone track', async () => {
        const ctx = new FakeAudioContext();
        const sender = new FakeSender(new FakeTrack('x'));
        sender.track = null;
        const leg = { remoteStream: {} as MediaStream, sender: sender as unknown as RTCRtpSender };
        const mixer = new ConferenceMixer(ctx as unknown as AudioContextLike, leg, leg);
        await expect(mixer.start()).rejects.toThrow('No microphone track');
    });
});
