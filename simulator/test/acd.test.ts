/**
 * The ACD on its own (in-memory store, manual clock, in-memory signalling): routing to the
 * longest-idle Ready agent, ring timeouts, unanswered outcomes, wrap holds, no offers outside Ready.
 */
import { Acd, AcdError, type StatusRequest } from '../src/acd/acd';
import { AgentStatusName } from '../src/acd/agent-status';
import { EventLog } from '../src/acd/events';
import { InMemorySignalling, SignallingStateError } from '../src/acd/in-memory-signalling';
import type { IncomingCall } from '../src/acd/signalling';
import { RecordingFiles } from '../src/recording/wav';
import { SEED, seedStore } from '../src/store/seed';
import { Store } from '../src/store/store';
import { ManualClock } from '../src/util/manual-clock';
import { tick } from './helpers';

const T = SEED.test.tenantId;
const { NotReady, Ready, Busy, Wrap, Paused } = AgentStatusName;

async function setup() {
    const clock = new ManualClock();
    const store = await Store.open(null);
    seedStore(store, clock.now());
    const signalling = new InMemorySignalling();
    const events = new EventLog(clock);
    const recordings = new RecordingFiles(null);
    const acd = new Acd({
        store,
        clock,
        signalling,
        recordings,
        events,
        ringTimeoutSeconds: 20,
        maxWaitSeconds: 120
    });
    const set = (agentId: string, request: StatusRequest | AgentStatusName) =>
        acd.setStatus(T, agentId, typeof request === 'string' ? { status: request } : request);
    const place = (overrides: Partial<IncomingCall> = {}) =>
        signalling.placeCall({
            tenantId: T,
            callerNumber: '+48600700800',
            callerName: 'Jan Klient',
            calleeNumber: '+48221234500',
            campaignId: 'cmp-support',
            queueId: null,
            ivr: null,
            holdInIvr: false,
            ...overrides
        });
    const call = (id: string) => acd.call(T, id)!;
    const ringingAt = (id: string) => signalling.ringing().find((r) => r.interactionId === id)?.agentId;
    const answer = async (id: string) => {
        signalling.answer(id);
        await tick();
    };
    const status = (agentId: string) => acd.status(T, agentId).status;
    /** Readies agents one second apart, in the given order. */
    const readyInOrder = (...agentIds: string[]) => {
        for (const id of agentIds) {
            set(id, Ready);
            clock.advance(1000);
        }
    };
    return {
        clock,
        store,
        signalling,
        events,
        recordings,
        acd,
        set,
        place,
        call,
        ringingAt,
        answer,
        status,
        readyInOrder
    };
}

describe('routing to the longest-idle Ready agent', () => {
    it.each([
        [['agt-101', 'agt-102', 'agt-103'], 'agt-101'],
        [['agt-103', 'agt-101', 'agt-102'], 'agt-103'],
        [['agt-102', 'agt-103', 'agt-101'], 'agt-102']
    ])('Ready in order %j: the call rings at %s', async (order, expected) => {
        const t = await setup();
        t.readyInOrder(...order);
        const id = t.place();
        expect(t.ringingAt(id)).toBe(expected);
        expect(t.call(id).state).toBe('ringing');
        expect(t.acd.status(T, expected).offeredInteractionId).toBe(id);
    });

    it('counts idle time from the last time the agent became Ready (after its wrap)', async () => {
        const t = await setup();
        t.readyInOrder('agt-101', 'agt-102');
        const first = t.place();
        await t.answer(first); // agt-101, idle the longest, takes it
        t.clock.advance(3000);
        t.signalling.hangupFrom(first, 'customer');
        t.clock.advance(15_000); // wrap of cmp-support ends: agt-101 Ready again, later than agt-102
        expect(t.status('agt-101')).toBe(Ready);
        const second = t.place();
        expect(t.ringingAt(second)).toBe('agt-102');
    });

    it('offers only to members of the call queue', async () => {
        const t = await setup();
        t.readyInOrder('agt-101', 'agt-103'); // agt-101 is not in que-sales
        const id = t.place({ campaignId: 'cmp-sales' });
        expect(t.ringingAt(id)).toBe('agt-103');
    });

    it('serves waiting calls first come, first served', async () => {
        const t = await setup();
        const first = t.place();
        t.clock.advance(1000);
        const second = t.place();
        t.set('agt-101', Ready);
        expect(t.ringingAt(first)).toBe('agt-101');
        expect(t.call(second).state).toBe('queued');
    });
});

describe('ring timeout and unanswered calls', () => {
    it('moves the call to the next agent after the ring timeout and sets the silent agent NotReady', async () => {
        const t = await setup();
        t.readyInOrder('agt-101', 'agt-102');
        const id = t.place();
        expect(t.ringingAt(id)).toBe('agt-101');
        t.clock.advance(19_999);
        expect(t.ringingAt(id)).toBe('agt-101');
        t.clock.advance(1);
        await tick();
        expect(t.ringingAt(id)).toBe('agt-102');
        expect(t.acd.status(T, 'agt-101')).toMatchObject({
            status: NotReady,
            changedBy: 'system',
            offeredInteractionId: null
        });
        expect(t.call(id).offers.map((o) => [o.agentId, o.result])).toEqual([
            ['agt-101', 'timeout'],
            ['agt-102', null]
        ]);
    });

    it('uses the queue ring timeout when it has one (hotline: 15 s)', async () => {
        const t = await setup();
        t.readyInOrder('agt-101', 'agt-102');
        const id = t.place({ campaignId: 'cmp-hotline' });
        t.clock.advance(15_000);
        expect(t.ringingAt(id)).toBe('agt-102');
    });

    it('ends missed, logged against the default user, when nobody answers and the caller hangs up', async () => {
        const t = await setup();
        t.readyInOrder('agt-102', 'agt-103');
        const id = t.place();
        t.clock.advance(20_000);
        t.clock.advance(20_000);
        await tick();
        expect(t.call(id).state).toBe('queued'); // nobody left to try: it waits
        t.clock.advance(5000);
        t.signalling.hangupFrom(id, 'customer');
        expect(t.call(id)).toMatchObject({
            state: 'ended',
            outcome: 'missed',
            hangupBy: 'caller',
            agentId: null,
            ownerAgentId: 'agt-101',
            ownerEmail: 'anna.kowalska@acme.example',
            recordingId: null
        });
        expect(t.call(id).offers.map((o) => o.result)).toEqual(['timeout', 'timeout']);
    });

    it('gives up after the queue maximum wait: missed, hung up by the system', async () => {
        const t = await setup();
        const id = t.place();
        t.clock.advance(119_999);
        expect(t.call(id).state).toBe('queued');
        t.clock.advance(1);
        expect(t.call(id)).toMatchObject({ state: 'ended', outcome: 'missed', hangupBy: 'system' });
        expect(t.signalling.systemHangups).toEqual([id]);
    });

    it.each([
        ['caller hangs up before any offer', 'abandoned'],
        ['every agent declines', 'rejected']
    ])('%s: %s', async (scenario, outcome) => {
        const t = await setup();
        if (scenario.startsWith('every')) t.readyInOrder('agt-101', 'agt-102');
        const id = t.place();
        if (scenario.startsWith('every')) {
            t.signalling.reject(id);
            await tick();
            expect(t.ringingAt(id)).toBe('agt-102');
            expect(t.status('agt-101')).toBe(Ready); // declining does not make an agent NotReady
            t.signalling.reject(id);
            await tick();
        }
        t.signalling.hangupFrom(id, 'customer');
        expect(t.call(id).outcome).toBe(outcome);
    });

    it('a caller hanging up while it rings cancels the offer', async () => {
        const t = await setup();
        t.readyInOrder('agt-101');
        const id = t.place();
        t.signalling.hangupFrom(id, 'customer');
        await tick();
        expect(t.signalling.ringing()).toEqual([]);
        expect(t.call(id)).toMatchObject({
            outcome: 'missed',
            offers: [expect.objectContaining({ result: 'cancelled' })]
        });
        expect(t.acd.status(T, 'agt-101')).toMatchObject({ status: Ready, offeredInteractionId: null });
        expect(() => t.signalling.answer(id)).toThrow(SignallingStateError);
    });

    it('an agent leaving Ready while it rings passes the call to the next agent', async () => {
        const t = await setup();
        t.readyInOrder('agt-101', 'agt-102');
        const id = t.place();
        t.set('agt-101', { status: Paused, pauseReasonId: 'break' });
        await tick();
        expect(t.ringingAt(id)).toBe('agt-102');
        expect(t.call(id).offers[0]!.result).toBe('cancelled');
    });
});

describe('wrap after a call', () => {
    it('holds the agent in Wrap for the campaign wrap time, then Ready; no call is offered meanwhile', async () => {
        const t = await setup();
        t.readyInOrder('agt-101');
        const id = t.place();
        await t.answer(id);
        expect(t.acd.status(T, 'agt-101')).toMatchObject({
            status: Busy,
            interactionId: id,
            changedBy: 'system'
        });
        t.clock.advance(5000);
        t.signalling.hangupFrom(id, 'customer');
        const hungUpAt = t.clock.now();
        expect(t.acd.status(T, 'agt-101')).toMatchObject({
            status: Wrap,
            interactionId: id,
            wrapEndsAt: hungUpAt + 15_000
        });
        expect(t.call(id)).toMatchObject({
            outcome: 'answered',
            hangupBy: 'caller',
            wrapSeconds: 15,
            agentId: 'agt-101'
        });
        // one leg per agent who handled the call (the push logs a Task per leg); no SIP here, no Call-ID
        expect(t.call(id).legs).toEqual([
            {
                agentId: 'agt-101',
                agentEmail: expect.stringContaining('@'),
                sipCallId: null,
                answeredAt: hungUpAt - 5000,
                endedAt: hungUpAt
            }
        ]);

        const waiting = t.place();
        t.clock.advance(14_999);
        expect(t.status('agt-101')).toBe(Wrap);
        expect(t.call(waiting).state).toBe('queued');
        t.clock.advance(1);
        expect(t.acd.status(T, 'agt-101')).toMatchObject({
            status: Ready,
            changedBy: 'system',
            wrapEndsAt: null
        });
        expect(t.ringingAt(waiting)).toBe('agt-101');
    });

    it.each([
        ['cmp-support', 'agt-101', 15],
        ['cmp-sales', 'agt-102', 30],
        ['cmp-hotline', 'agt-101', 0]
    ])('campaign %s: %s wraps %i s', async (campaignId, agentId, wrapSeconds) => {
        const t = await setup();
        t.set(agentId, Ready);
        const id = t.place({ campaignId });
        expect(t.ringingAt(id)).toBe(agentId);
        await t.answer(id);
        t.signalling.hangupFrom(id, 'agent');
        expect(t.call(id).hangupBy).toBe('agent');
        if (wrapSeconds === 0) {
            expect(t.status(agentId)).toBe(Ready);
        } else {
            expect(t.status(agentId)).toBe(Wrap);
            t.clock.advance(wrapSeconds * 1000 - 1);
            expect(t.status(agentId)).toBe(Wrap);
            t.clock.advance(1);
            expect(t.status(agentId)).toBe(Ready);
        }
    });

    it('the agent may end Wrap early; the old timer then changes nothing', async () => {
        const t = await setup();
        t.set('agt-101', Ready);
        const id = t.place();
        await t.answer(id);
        t.signalling.hangupFrom(id, 'customer');
        t.clock.advance(2000);
        expect(t.set('agt-101', Ready)).toMatchObject({ status: Ready, changedBy: 'agent' });
        t.set('agt-101', { status: Paused, pauseReasonId: 'lunch' });
        t.clock.advance(60_000);
        expect(t.acd.status(T, 'agt-101')).toMatchObject({ status: Paused, pauseReasonId: 'lunch' });
    });

    it('an agent-reported Wrap after a manual outbound call uses the given campaign', async () => {
        const t = await setup();
        t.set('agt-102', Busy);
        expect(t.set('agt-102', { status: Wrap, campaignId: 'cmp-sales' })).toMatchObject({ status: Wrap });
        t.clock.advance(30_000);
        expect(t.status('agt-102')).toBe(Ready);
    });
});

describe('no offers outside Ready', () => {
    it.each([
        ['NotReady', NotReady],
        ['Paused', Paused],
        ['Wrap', Wrap],
        ['Busy', Busy]
    ])('an agent in %s gets no call; it rings once the agent is Ready', async (_name, state) => {
        const t = await setup();
        let previous: string | undefined;
        if (state === Paused) t.set('agt-101', { status: Paused, pauseReasonId: 'break' });
        if (state === Wrap || state === Busy) {
            t.set('agt-101', Ready);
            previous = t.place();
            await t.answer(previous);
            if (state === Wrap) t.signalling.hangupFrom(previous, 'customer');
        }
        expect(t.status('agt-101')).toBe(state);
        const id = t.place();
        t.clock.advance(10_000);
        expect(t.call(id)).toMatchObject({ state: 'queued', offers: [] });
        if (state === Busy) t.signalling.hangupFrom(previous!, 'customer');
        if (state === Busy || state === Wrap) t.clock.advance(15_000);
        else t.set('agt-101', Ready);
        expect(t.ringingAt(id)).toBe('agt-101');
    });
});

describe('status changes asked by the agent', () => {
    it.each<[string, (t: Awaited<ReturnType<typeof setup>>) => unknown, string]>([
        ['Paused without a reason', (t) => t.set('agt-101', Paused), 'validation-failed'],
        [
            'Paused for an unknown reason',
            (t) => t.set('agt-101', { status: Paused, pauseReasonId: 'nap' }),
            'validation-failed'
        ],
        [
            'a reason without Paused',
            (t) => t.set('agt-101', { status: Ready, pauseReasonId: 'break' }),
            'validation-failed'
        ],
        ['Wrap from NotReady', (t) => t.set('agt-101', Wrap), 'illegal-status-transition'],
        ['Ready without a seat', (t) => t.set('agt-104', Ready), 'no-seat'],
        ['Ready for a user who is not a PBX user', (t) => t.set('agt-105', Ready), 'agent-cannot-work'],
        ['Ready for an inactive user', (t) => t.set('agt-108', Ready), 'agent-cannot-work'],
        [
            'Ready when the tenant uses more seats than bought',
            (t) => {
                t.store.putLicence({ ...t.store.getLicence(T)!, seatsBought: 2 });
                return t.set('agt-101', Ready);
            },
            'licence-limit-exceeded'
        ],
        ['an unknown agent', (t) => t.set('agt-999', Ready), 'not-found']
    ])('%s is refused (%s)', async (_name, act, code) => {
        const t = await setup();
        expect(() => act(t)).toThrow(expect.objectContaining({ code }));
    });

    it('refuses to leave Busy while the ACD holds the call', async () => {
        const t = await setup();
        t.set('agt-101', Ready);
        const id = t.place();
        await t.answer(id);
        for (const to of [Ready, Wrap, NotReady]) {
            expect(() => t.set('agt-101', to)).toThrow(expect.objectContaining({ code: 'call-in-progress' }));
        }
    });

    it('setting the same status again is a no-op (safe retry)', async () => {
        const t = await setup();
        const first = t.set('agt-101', Ready);
        t.clock.advance(5000);
        expect(t.set('agt-101', Ready)).toEqual(first);
    });

    it('errors are AcdErrors carrying the current status', async () => {
        const t = await setup();
        try {
            t.set('agt-101', Wrap);
            throw new Error('not refused');
        } catch (error) {
            expect(error).toBeInstanceOf(AcdError);
            expect((error as AcdError).extra).toEqual({ currentStatus: NotReady });
        }
    });
});

describe('IVR', () => {
    it('a call held in the IVR is not offered until it is transferred, and carries the IVR data', async () => {
        const t = await setup();
        t.set('agt-101', Ready);
        const id = t.place({ holdInIvr: true, ivr: { digits: '2', caseCode: null, data: { lang: 'pl' } } });
        expect(t.call(id).state).toBe('ivr');
        t.acd.attachIvrData(T, id, {
            caseCode: '00001234',
            voicebotAnswers: [{ question: 'Order?', answer: 'A-1' }]
        });
        t.clock.advance(300_000); // no max-wait while in the IVR
        expect(t.call(id).state).toBe('ivr');
        t.signalling.transferFromIvr(id);
        const ringing = t.signalling.ringing()[0]!;
        expect(ringing).toMatchObject({ interactionId: id, agentId: 'agt-101' });
        expect(ringing.call).toMatchObject({
            ivrDigits: '2',
            ivrCaseCode: '00001234',
            ivrData: { lang: 'pl' },
            wrapSeconds: 15
        });
    });

    it('refuses IVR data once the call is connected', async () => {
        const t = await setup();
        t.set('agt-101', Ready);
        const id = t.place();
        await t.answer(id);
        expect(() => t.acd.attachIvrData(T, id, { digits: '1' })).toThrow(
            expect.objectContaining({ code: 'call-not-pending' })
        );
    });
});

describe('outbound calls', () => {
    it('an answered outbound call: Busy, then Wrap of its campaign, with a recording', async () => {
        const t = await setup();
        t.set('agt-102', Ready);
        const id = t.signalling.dial({
            tenantId: T,
            agentId: 'agt-102',
            calleeNumber: '+48600111222',
            campaignId: 'cmp-sales'
        });
        expect(t.acd.status(T, 'agt-102')).toMatchObject({ status: Busy, interactionId: id });
        t.signalling.progress(id, 'answered');
        t.clock.advance(3000);
        t.signalling.hangupFrom(id, 'customer');
        expect(t.call(id)).toMatchObject({
            direction: 'outbound',
            outcome: 'answered',
            hangupBy: 'callee',
            callerNumber: '+48221234500',
            calleeNumber: '+48600111222',
            wrapSeconds: 30
        });
        expect(t.call(id).recordingId).toMatch(/^rec-/);
        expect(t.call(id).legs).toEqual([
            expect.objectContaining({ agentId: 'agt-102', endedAt: t.clock.now() })
        ]);
        expect(t.status('agt-102')).toBe(Wrap);
    });

    it.each([
        ['busy', 'busy', 'callee'],
        ['no-answer', 'missed', 'system'],
        ['failed', 'failed', 'system']
    ] as const)('callee %s: outcome %s', async (progress, outcome, hangupBy) => {
        const t = await setup();
        const id = t.signalling.dial({
            tenantId: T,
            agentId: 'agt-101',
            calleeNumber: '+48600111222',
            campaignId: null
        });
        t.signalling.progress(id, progress);
        expect(t.call(id)).toMatchObject({ outcome, hangupBy, campaignId: 'cmp-outside', recordingId: null });
    });

    it('an agent whose phone already published Busy while dialling gets the call attached', async () => {
        const t = await setup();
        t.set('agt-101', Ready);
        t.set('agt-101', Busy);
        const id = t.signalling.dial({
            tenantId: T,
            agentId: 'agt-101',
            calleeNumber: '+48600111222',
            campaignId: null
        });
        expect(t.acd.status(T, 'agt-101')).toMatchObject({ status: Busy, interactionId: id });
        t.signalling.progress(id, 'answered');
        t.signalling.hangupFrom(id, 'customer');
        expect(t.call(id)).toMatchObject({ direction: 'outbound', outcome: 'answered' });
        expect(t.status('agt-101')).toBe(Wrap);
    });

    it('an agent on a call cannot dial another', async () => {
        const t = await setup();
        t.signalling.dial({
            tenantId: T,
            agentId: 'agt-101',
            calleeNumber: '+48600111222',
            campaignId: null
        });
        expect(() =>
            t.signalling.dial({
                tenantId: T,
                agentId: 'agt-101',
                calleeNumber: '+48600111333',
                campaignId: null
            })
        ).toThrow(expect.objectContaining({ code: 'call-in-progress' }));
    });
});

describe('records and recordings', () => {
    it.each([
        [4000, 4000],
        [25_000, 10_000],
        [0, 1000]
    ])('talk time %i ms gives a %i ms recording', async (talkMs, recordingMs) => {
        const t = await setup();
        t.set('agt-101', Ready);
        const id = t.place();
        await t.answer(id);
        t.clock.advance(talkMs);
        t.signalling.hangupFrom(id, 'customer');
        const recording = t.store.getRecording(T, t.call(id).recordingId!)!;
        expect(recording.durationMs).toBe(recordingMs);
        expect(t.recordings.read(recording.file)!.length).toBe(44 + (recordingMs / 1000) * 8000 * 2);
    });

    it('cuts caller data to field limits (fault case 14)', async () => {
        const t = await setup();
        const id = t.place({
            callerNumber: '9'.repeat(10_000),
            callerName: '<img src=x onerror=alert(1)>'.repeat(100)
        });
        expect(t.call(id).callerNumber).toHaveLength(64);
        expect(t.call(id).callerName).toHaveLength(128);
    });

    it('every change bumps the record version', async () => {
        const t = await setup();
        t.set('agt-101', Ready);
        const id = t.place();
        const versions = [t.call(id).version];
        await t.answer(id);
        versions.push(t.call(id).version);
        t.signalling.hangupFrom(id, 'customer');
        versions.push(t.call(id).version);
        expect(versions).toEqual([...versions].sort((a, b) => a - b));
        expect(new Set(versions).size).toBe(3);
    });

    it('close() ends calls in progress: answered ones as answered, others failed', async () => {
        const t = await setup();
        t.set('agt-101', Ready);
        const connected = t.place();
        await t.answer(connected);
        const waiting = t.place();
        t.acd.close();
        expect(t.store.getCall(T, connected)).toMatchObject({ outcome: 'answered', hangupBy: 'system' });
        expect(t.store.getCall(T, waiting)).toMatchObject({ outcome: 'failed', hangupBy: 'system' });
        expect(t.clock.pendingTimers).toBe(0);
    });

    it('a new ACD closes calls a stop left open as failed', async () => {
        const t = await setup();
        const id = t.place();
        const again = new Acd({
            store: t.store,
            clock: t.clock,
            signalling: new InMemorySignalling(),
            recordings: t.recordings,
            events: t.events,
            ringTimeoutSeconds: 20,
            maxWaitSeconds: 120
        });
        expect(again.call(T, id)).toMatchObject({ state: 'ended', outcome: 'failed', hangupBy: 'system' });
        expect(t.events.list(0, { type: 'call-recovered' })).toHaveLength(1);
    });
});
