import {
    AGENT_STATUS_INPUT_TYPES,
    AgentStatus,
    AgentStatusMachine,
    type AgentStatusChange,
    type AgentStatusInput,
    type AgentStatusInputType,
    type AgentStatusOptions,
    type AgentStatusPort
} from '../src/agent-status';
import { ManualClock } from './fakes/manual-clock';

/** Records every published change; can be told to fail or to hold calls until released. */
class RecordingPort implements AgentStatusPort {
    readonly published: AgentStatusChange[] = [];
    readonly attempts: AgentStatusChange[] = [];
    failNext = 0;
    throwSync = false;
    private gate: Array<() => void> | undefined;

    publish(change: AgentStatusChange): Promise<void> {
        this.attempts.push(change);
        if (this.throwSync) throw new Error('sync failure');
        if (this.failNext > 0) {
            this.failNext--;
            return Promise.reject(new Error('Apex callout failed'));
        }
        if (this.gate) {
            const gate = this.gate;
            return new Promise((resolve) =>
                gate.push(() => {
                    this.published.push(change);
                    resolve();
                })
            );
        }
        this.published.push(change);
        return Promise.resolve();
    }

    hold(): void {
        this.gate = [];
    }

    /** Lets the oldest held publish complete. */
    releaseOne(): void {
        this.gate?.shift()?.();
    }

    get held(): number {
        return this.gate?.length ?? 0;
    }

    get statuses(): string[] {
        return this.published.map((c) => `${c.from}>${c.to}`);
    }
}

const LUNCH = { id: 'lunch', label: 'Lunch' };
const BREAK = { id: 'break', label: 'Short break' };

const SAMPLE: { [K in AgentStatusInputType]: Extract<AgentStatusInput, { type: K }> } = {
    registered: { type: 'registered' },
    connectionFailed: { type: 'connectionFailed', reason: 'WebSocket closed' },
    logout: { type: 'logout' },
    setReady: { type: 'setReady' },
    setNotReady: { type: 'setNotReady' },
    pause: { type: 'pause', reason: LUNCH },
    setNextStatus: { type: 'setNextStatus', next: { status: AgentStatus.NotReady } },
    clearNextStatus: { type: 'clearNextStatus' },
    callOffered: { type: 'callOffered', interactionId: 'INT-1' },
    callAnswered: { type: 'callAnswered' },
    callStarted: { type: 'callStarted', interactionId: 'OUT-1' },
    callMissed: { type: 'callMissed', cause: 'timeout' },
    callEnded: { type: 'callEnded', wrapSeconds: 30 },
    endWrap: { type: 'endWrap' },
    wrapExpired: { type: 'wrapExpired' }
};

interface Harness {
    machine: AgentStatusMachine;
    clock: ManualClock;
    port: RecordingPort;
}

function harness(options: Partial<AgentStatusOptions> = {}): Harness {
    const clock = new ManualClock(1_000_000);
    const port = new RecordingPort();
    const machine = new AgentStatusMachine({ port, clock, ...options });
    return { machine, clock, port };
}

function drive(h: Harness, ...inputs: Array<AgentStatusInputType | AgentStatusInput>): Harness {
    for (const item of inputs) {
        const input = typeof item === 'string' ? SAMPLE[item] : item;
        const result = h.machine.send(input);
        if (!result.ok) throw new Error(`setup step '${input.type}' rejected: ${result.message}`);
    }
    return h;
}

const S = AgentStatus;
const pauseBreak: AgentStatusInput = { type: 'pause', reason: BREAK };

const FIXTURES: Record<string, { status: AgentStatus; build: () => Harness }> = {
    Offline: { status: S.Offline, build: () => harness() },
    NotReady: { status: S.NotReady, build: () => drive(harness(), 'registered') },
    Ready: { status: S.Ready, build: () => drive(harness(), 'registered', 'setReady') },
    Ringing: { status: S.Ringing, build: () => drive(harness(), 'registered', 'setReady', 'callOffered') },
    Busy: {
        status: S.Busy,
        build: () => drive(harness(), 'registered', 'setReady', 'callOffered', 'callAnswered')
    },
    Wrap: {
        status: S.Wrap,
        build: () => drive(harness(), 'registered', 'setReady', 'callOffered', 'callAnswered', 'callEnded')
    },
    Paused: { status: S.Paused, build: () => drive(harness(), 'registered', pauseBreak) },
    Error: { status: S.Error, build: () => drive(harness(), 'registered', 'connectionFailed') },
    // Sub-conditions: connection lost during call work (deferred error), error remembered from Ready
    'Ringing(link down)': {
        status: S.Ringing,
        build: () => drive(harness(), 'registered', 'setReady', 'callOffered', 'connectionFailed')
    },
    'Busy(link down)': {
        status: S.Busy,
        build: () =>
            drive(harness(), 'registered', 'setReady', 'callOffered', 'callAnswered', 'connectionFailed')
    },
    'Wrap(link down)': {
        status: S.Wrap,
        build: () =>
            drive(
                harness(),
                'registered',
                'setReady',
                'callOffered',
                'callAnswered',
                'callEnded',
                'connectionFailed'
            )
    },
    'Error(from Ready)': {
        status: S.Error,
        build: () => drive(harness(), 'registered', 'setReady', 'connectionFailed')
    }
};

/** Legal inputs per fixture and the status they lead to; every other input must be rejected. */
const LEGAL: Record<keyof typeof FIXTURES, Partial<Record<AgentStatusInputType, AgentStatus>>> = {
    Offline: { registered: S.NotReady, connectionFailed: S.Error },
    NotReady: {
        registered: S.NotReady,
        connectionFailed: S.Error,
        logout: S.Offline,
        setReady: S.Ready,
        pause: S.Paused,
        callStarted: S.Busy
    },
    Ready: {
        registered: S.Ready,
        connectionFailed: S.Error,
        logout: S.Offline,
        setNotReady: S.NotReady,
        pause: S.Paused,
        callOffered: S.Ringing,
        callStarted: S.Busy
    },
    Ringing: {
        registered: S.Ringing,
        connectionFailed: S.Ringing,
        setNextStatus: S.Ringing,
        clearNextStatus: S.Ringing,
        callAnswered: S.Busy,
        callMissed: S.NotReady // ring-no-answer with the RONA default
    },
    Busy: {
        registered: S.Busy,
        connectionFailed: S.Busy,
        setNextStatus: S.Busy,
        clearNextStatus: S.Busy,
        callEnded: S.Wrap
    },
    Wrap: {
        registered: S.Wrap,
        connectionFailed: S.Wrap,
        logout: S.Offline,
        setReady: S.Ready,
        setNotReady: S.NotReady,
        pause: S.Paused,
        setNextStatus: S.Wrap,
        clearNextStatus: S.Wrap,
        callStarted: S.Busy,
        endWrap: S.Ready,
        wrapExpired: S.Ready
    },
    Paused: {
        registered: S.Paused,
        connectionFailed: S.Error,
        logout: S.Offline,
        setReady: S.Ready,
        setNotReady: S.NotReady,
        pause: S.Paused, // another reason
        callStarted: S.Busy
    },
    Error: { registered: S.NotReady, connectionFailed: S.Error, logout: S.Offline },
    'Ringing(link down)': {
        registered: S.Ringing,
        connectionFailed: S.Ringing,
        setNextStatus: S.Ringing,
        clearNextStatus: S.Ringing,
        callAnswered: S.Busy,
        callMissed: S.Error
    },
    'Busy(link down)': {
        registered: S.Busy,
        connectionFailed: S.Busy,
        setNextStatus: S.Busy,
        clearNextStatus: S.Busy,
        callEnded: S.Wrap
    },
    'Wrap(link down)': {
        registered: S.Wrap,
        connectionFailed: S.Wrap,
        logout: S.Offline,
        setReady: S.Error,
        setNotReady: S.Error,
        pause: S.Error,
        setNextStatus: S.Wrap,
        clearNextStatus: S.Wrap,
        callStarted: S.Busy,
        endWrap: S.Error,
        wrapExpired: S.Error
    },
    'Error(from Ready)': { registered: S.Ready, connectionFailed: S.Error, logout: S.Offline }
};

describe('AgentStatusMachine transition table: every (status, input) pair', () => {
    it('covers every status and every input type', () => {
        const statuses = new Set(Object.values(FIXTURES).map((f) => f.status));
        expect([...statuses].sort()).toEqual(Object.values(AgentStatus).sort());
        expect(Object.keys(SAMPLE).sort()).toEqual([...AGENT_STATUS_INPUT_TYPES].sort());
    });

    const rows = Object.keys(FIXTURES).flatMap((fixture) =>
        AGENT_STATUS_INPUT_TYPES.map((type) => [fixture, type, LEGAL[fixture][type] ?? 'illegal'] as const)
    );

    it.each(rows)('%s + %s -> %s', async (fixture, type, expected) => {
        const { machine, port } = FIXTURES[fixture].build();
        await machine.flush();
        expect(machine.status).toBe(FIXTURES[fixture].status);
        const before = machine.snapshot();
        const publishedBefore = port.published.length;
        expect(machine.can(type)).toBe(expected !== 'illegal');
        const result = machine.send(SAMPLE[type]);
        await machine.flush();
        if (expected === 'illegal') {
            expect(result).toMatchObject({ ok: false, code: 'illegal-transition', from: before.status });
            expect(machine.snapshot()).toEqual(before);
            expect(port.published).toHaveLength(publishedBefore);
        } else {
            expect(result).toMatchObject({ ok: true, from: before.status, to: expected });
            expect(machine.status).toBe(expected);
            // A change of status (or of pause reason) is published; a self-loop is not.
            const changed = expected !== before.status || type === 'pause';
            expect(port.published).toHaveLength(publishedBefore + (changed ? 1 : 0));
            if (changed)
                expect(port.published.at(-1)).toMatchObject({
                    from: before.status,
                    to: expected,
                    cause: type
                });
        }
    });
});

describe('AgentStatusMachine wrap', () => {
    it('ends by itself at the deadline from the injected clock', async () => {
        const h = drive(harness(), 'registered', 'setReady', 'callOffered', 'callAnswered');
        const { machine, clock, port } = h;
        machine.send({ type: 'callEnded', wrapSeconds: 30, interactionId: 'INT-1' });
        expect(machine.status).toBe(S.Wrap);
        expect(machine.canOfferCall()).toBe(false);
        expect(machine.wrapDeadline).toBe(clock.now() + 30_000);
        clock.advance(10_000);
        expect(machine.wrapRemainingMs()).toBe(20_000);
        clock.advance(19_999);
        expect(machine.status).toBe(S.Wrap);
        expect(machine.wrapRemainingMs()).toBe(1);
        clock.advance(1);
        expect(machine.status).toBe(S.Ready);
        expect(machine.wrapDeadline).toBeUndefined();
        expect(machine.wrapRemainingMs()).toBe(0);
        await machine.flush();
        const wrap = port.published.find((c) => c.to === S.Wrap);
        expect(wrap).toMatchObject({
            wrapSeconds: 30,
            wrapDeadline: 1_000_000 + 30_000,
            interactionId: 'INT-1'
        });
        expect(port.published.at(-1)).toMatchObject({
            from: S.Wrap,
            to: S.Ready,
            cause: 'wrapExpired',
            interactionId: 'INT-1'
        });
        expect(clock.pendingTimers).toBe(0);
    });

    it('the agent ends it early: the timer is cancelled and never fires', () => {
        const { machine, clock } = drive(
            harness(),
            'registered',
            'setReady',
            'callOffered',
            'callAnswered',
            'callEnded'
        );
        clock.advance(5_000);
        expect(machine.send({ type: 'endWrap' })).toMatchObject({ ok: true, to: S.Ready });
        expect(clock.pendingTimers).toBe(0);
        machine.send({ type: 'setNotReady' });
        clock.advance(60_000);
        expect(machine.status).toBe(S.NotReady);
    });

    it.each([
        [undefined, 0, S.Ready],
        [undefined, 20, S.Wrap],
        [0, 20, S.Ready],
        [-5, 0, S.Ready],
        [Number.NaN, 0, S.Ready],
        [Number.POSITIVE_INFINITY, 0, S.Ready]
    ])('callEnded(wrapSeconds %s) with default %s -> %s', (wrapSeconds, defaultWrapSeconds, expected) => {
        const { machine } = drive(
            harness({ defaultWrapSeconds }),
            'registered',
            'setReady',
            'callOffered',
            'callAnswered'
        );
        machine.send({ type: 'callEnded', wrapSeconds });
        expect(machine.status).toBe(expected);
    });

    it('clamps a wrap to maxWrapSeconds', () => {
        const { machine, clock } = drive(harness(), 'registered', 'setReady', 'callOffered', 'callAnswered');
        machine.send({ type: 'callEnded', wrapSeconds: 86_400 });
        expect(machine.wrapDeadline).toBe(clock.now() + 3_600_000);
        const small = drive(
            harness({ maxWrapSeconds: 60 }),
            'registered',
            'setReady',
            'callOffered',
            'callAnswered'
        );
        small.machine.send({ type: 'callEnded', wrapSeconds: 600 });
        expect(small.machine.snapshot().wrapSeconds).toBe(60);
    });

    it('dialling out during wrap cancels the wrap; the next call end starts a new one', () => {
        const { machine, clock } = drive(
            harness(),
            'registered',
            'setReady',
            'callOffered',
            'callAnswered',
            'callEnded'
        );
        machine.send({ type: 'callStarted' });
        expect(clock.pendingTimers).toBe(0);
        clock.advance(60_000);
        expect(machine.status).toBe(S.Busy);
        machine.send({ type: 'callEnded', wrapSeconds: 0 });
        expect(machine.status).toBe(S.Ready); // status before the first call
    });

    it('dispose stops the timer', () => {
        const { machine, clock } = drive(
            harness(),
            'registered',
            'setReady',
            'callOffered',
            'callAnswered',
            'callEnded'
        );
        machine.dispose();
        expect(clock.pendingTimers).toBe(0);
    });
});

describe('AgentStatusMachine after the call', () => {
    it('"Not ready after this call" chosen during the call wins after wrap', () => {
        const { machine, clock } = drive(harness(), 'registered', 'setReady', 'callOffered', 'callAnswered');
        machine.send({ type: 'setNextStatus', next: { status: S.NotReady } });
        expect(machine.nextStatus).toEqual({ status: S.NotReady });
        machine.send({ type: 'callEnded', wrapSeconds: 10 });
        clock.advance(10_000);
        expect(machine.status).toBe(S.NotReady);
        expect(machine.nextStatus).toBeUndefined();
    });

    it('a pause chosen during wrap carries its reason', () => {
        const { machine } = drive(
            harness(),
            'registered',
            'setReady',
            'callOffered',
            'callAnswered',
            'callEnded'
        );
        machine.send({ type: 'setNextStatus', next: { status: S.Paused, reason: LUNCH } });
        machine.send({ type: 'endWrap' });
        expect(machine.status).toBe(S.Paused);
        expect(machine.pauseReason).toEqual(LUNCH);
    });

    it('clearNextStatus returns to the status before the call', () => {
        const { machine } = drive(harness(), 'registered', 'setReady', 'callOffered', 'callAnswered');
        machine.send({ type: 'setNextStatus', next: { status: S.NotReady } });
        machine.send({ type: 'clearNextStatus' });
        machine.send({ type: 'callEnded', wrapSeconds: 0 });
        expect(machine.status).toBe(S.Ready);
    });

    it.each([
        [S.NotReady, [] as AgentStatusInput[], undefined],
        [S.Paused, [{ type: 'pause', reason: BREAK }] as AgentStatusInput[], BREAK]
    ])('an outbound call dialled from %s returns there (reason kept)', (from, setup, reason) => {
        const { machine } = drive(harness(), 'registered', ...setup);
        expect(machine.status).toBe(from);
        machine.send({ type: 'callStarted' });
        expect(machine.status).toBe(S.Busy);
        expect(machine.pauseReason).toBeUndefined();
        machine.send({ type: 'callEnded', wrapSeconds: 0 });
        expect(machine.status).toBe(from);
        expect(machine.pauseReason).toEqual(reason);
    });

    it.each([
        ['timeout', true, S.NotReady],
        ['timeout', false, S.Ready],
        ['cancelled', true, S.Ready],
        ['rejected', true, S.Ready]
    ] as const)('missed call (%s, RONA %s) -> %s', (cause, missedCallSetsNotReady, expected) => {
        const { machine } = drive(
            harness({ missedCallSetsNotReady }),
            'registered',
            'setReady',
            'callOffered'
        );
        machine.send({ type: 'callMissed', cause });
        expect(machine.status).toBe(expected);
    });

    it('a next status chosen while ringing applies to a missed call too', () => {
        const { machine } = drive(harness(), 'registered', 'setReady', 'callOffered');
        machine.send({ type: 'setNextStatus', next: { status: S.Paused, reason: LUNCH } });
        machine.send({ type: 'callMissed', cause: 'timeout' });
        expect(machine.status).toBe(S.Paused);
    });

    it.each([
        [{ status: S.Busy }],
        [{ status: S.Paused }],
        [{ status: S.Paused, reason: { id: ' ', label: 'x' } }],
        [undefined]
    ])('setNextStatus(%j) is an invalid argument', (next) => {
        const { machine } = drive(harness(), 'registered', 'setReady', 'callOffered');
        const result = machine.send({ type: 'setNextStatus', next } as unknown as AgentStatusInput);
        expect(result).toMatchObject({ ok: false, code: 'invalid-argument' });
        expect(machine.nextStatus).toBeUndefined();
    });
});

describe('AgentStatusMachine pause and commands', () => {
    it('pause with the same reason is refused; with another reason it is a change', async () => {
        const { machine, port } = drive(harness(), 'registered', pauseBreak);
        expect(machine.send(pauseBreak)).toMatchObject({ ok: false, code: 'illegal-transition' });
        expect(machine.send({ type: 'pause', reason: LUNCH })).toMatchObject({ ok: true, to: S.Paused });
        await machine.flush();
        expect(port.published.at(-1)).toMatchObject({ from: S.Paused, to: S.Paused, reason: LUNCH });
    });

    it.each([[undefined], [{ id: '', label: 'x' }], [{ label: 'x' }], [{ id: 42, label: 'x' }]])(
        'pause reason %j is an invalid argument',
        (reason) => {
            const { machine } = drive(harness(), 'registered');
            const result = machine.send({ type: 'pause', reason } as unknown as AgentStatusInput);
            expect(result).toMatchObject({ ok: false, code: 'invalid-argument' });
            expect(machine.status).toBe(S.NotReady);
        }
    );

    it('pause reasons are trimmed and capped', () => {
        const { machine } = drive(harness(), 'registered', {
            type: 'pause',
            reason: { id: ' training ', label: 'x'.repeat(500) }
        });
        expect(machine.pauseReason).toEqual({ id: 'training', label: 'x'.repeat(80) });
    });

    it('status commands during a call are rejected with a hint, never thrown', () => {
        const { machine } = drive(harness(), 'registered', 'setReady', 'callOffered', 'callAnswered');
        const rejected = jest.fn();
        machine.on('rejected', rejected);
        const result = machine.send({ type: 'setNotReady' });
        expect(result).toMatchObject({ ok: false, code: 'illegal-transition' });
        expect(!result.ok && result.message).toMatch(/setNextStatus/);
        expect(rejected).toHaveBeenCalledWith(
            expect.objectContaining({ status: S.Busy, code: 'illegal-transition' })
        );
    });

    it('an unknown input is an invalid argument', () => {
        const { machine } = harness();
        expect(machine.send({ type: 'dance' } as unknown as AgentStatusInput)).toMatchObject({
            ok: false,
            code: 'invalid-argument'
        });
    });

    it('canOfferCall is true only in Ready', () => {
        for (const [name, fixture] of Object.entries(FIXTURES)) {
            expect([name, fixture.build().machine.canOfferCall()]).toEqual([
                name,
                fixture.status === S.Ready
            ]);
        }
    });

    it('allowedInputs lists what the UI may offer', () => {
        const { machine } = drive(harness(), 'registered', 'setReady');
        expect(machine.allowedInputs()).toEqual([
            'registered',
            'connectionFailed',
            'logout',
            'setNotReady',
            'pause',
            'callOffered',
            'callStarted'
        ]);
    });
});

describe('AgentStatusMachine connection errors', () => {
    it('Paused -> Error -> registered restores the pause with its reason', () => {
        const { machine } = drive(
            harness(),
            'registered',
            { type: 'pause', reason: LUNCH },
            'connectionFailed'
        );
        expect(machine.snapshot()).toMatchObject({
            status: S.Error,
            errorReason: 'WebSocket closed',
            connectionUp: false
        });
        machine.send({ type: 'registered' });
        expect(machine.status).toBe(S.Paused);
        expect(machine.pauseReason).toEqual(LUNCH);
        expect(machine.snapshot().errorReason).toBeUndefined();
    });

    it("recoverTo 'NotReady' never restores Ready by itself", () => {
        const { machine } = drive(
            harness({ recoverTo: 'NotReady' }),
            'registered',
            'setReady',
            'connectionFailed'
        );
        machine.send({ type: 'registered' });
        expect(machine.status).toBe(S.NotReady);
    });

    it('a failed first registration recovers to NotReady', () => {
        const { machine } = drive(harness(), 'connectionFailed', 'registered');
        expect(machine.status).toBe(S.NotReady);
    });

    it('connection lost during a call: the call and its wrap go on, then Error; recovery restores the post-call status', async () => {
        const { machine, clock, port } = drive(
            harness(),
            'registered',
            'setReady',
            'callOffered',
            'callAnswered'
        );
        machine.send({ type: 'connectionFailed', reason: 'ws 1006' });
        expect(machine.snapshot()).toMatchObject({ status: S.Busy, connectionUp: false });
        machine.send({ type: 'setNextStatus', next: { status: S.NotReady } });
        machine.send({ type: 'callEnded', wrapSeconds: 10 });
        clock.advance(10_000);
        expect(machine.status).toBe(S.Error);
        machine.send({ type: 'registered' });
        expect(machine.status).toBe(S.NotReady);
        await machine.flush();
        expect(port.statuses).toEqual([
            'Offline>NotReady',
            'NotReady>Ready',
            'Ready>Ringing',
            'Ringing>Busy',
            'Busy>Wrap',
            'Wrap>Error',
            'Error>NotReady'
        ]);
        expect(port.published[5]).toMatchObject({ cause: 'wrapExpired', errorReason: 'ws 1006' });
    });

    it('connection restored before the call ends: no Error at all', () => {
        const { machine } = drive(
            harness(),
            'registered',
            'setReady',
            'callOffered',
            'callAnswered',
            'connectionFailed'
        );
        machine.send({ type: 'registered' });
        machine.send({ type: 'callEnded', wrapSeconds: 0 });
        expect(machine.status).toBe(S.Ready);
    });

    it('logout from Error goes Offline and the next registration starts at NotReady', () => {
        const { machine } = drive(
            harness(),
            'registered',
            'setReady',
            'connectionFailed',
            'logout',
            'registered'
        );
        expect(machine.status).toBe(S.NotReady);
    });
});

describe('AgentStatusMachine publishing', () => {
    it('publishes every change in order with a growing sequence, and extra data where relevant', async () => {
        const { machine, port, clock } = harness();
        drive({ machine, port, clock }, 'registered', 'setReady', 'callOffered');
        clock.advance(1_000);
        drive(
            { machine, port, clock },
            'callAnswered',
            { type: 'pause' as const, reason: LUNCH }.type === 'pause' ? 'callEnded' : 'callEnded'
        );
        await machine.flush();
        expect(port.published.map((c) => c.sequence)).toEqual([1, 2, 3, 4, 5]);
        expect(port.published[0]).toEqual({
            sequence: 1,
            from: S.Offline,
            to: S.NotReady,
            at: 1_000_000,
            cause: 'registered'
        });
        expect(port.published[2]).toMatchObject({ to: S.Ringing, interactionId: 'INT-1' });
        expect(port.published[3]).toMatchObject({ to: S.Busy, at: 1_001_000, interactionId: 'INT-1' });
        expect(port.published[4]).toMatchObject({ to: S.Wrap, wrapSeconds: 30, interactionId: 'INT-1' });
        expect(machine.syncState).toBe('synced');
    });

    it('publishes one change at a time (a slow Apex call never reorders changes)', async () => {
        const { machine, port } = harness();
        port.hold();
        drive({ machine, port, clock: new ManualClock() }, 'registered', 'setReady', 'pause');
        await Promise.resolve();
        expect(port.attempts).toHaveLength(1);
        expect(machine.syncState).toBe('pending');
        port.releaseOne();
        await new Promise((resolve) => setImmediate(resolve));
        expect(port.attempts).toHaveLength(2);
        port.releaseOne();
        await new Promise((resolve) => setImmediate(resolve));
        port.releaseOne();
        await machine.flush();
        expect(port.statuses).toEqual(['Offline>NotReady', 'NotReady>Ready', 'Ready>Paused']);
        expect(machine.syncState).toBe('synced');
    });

    it('a failed publish keeps the local state, is surfaced, and an explicit retry heals it', async () => {
        const { machine, port } = drive(harness(), 'registered');
        await machine.flush();
        const failures: unknown[] = [];
        machine.on('publishFailed', (f) => failures.push(f));
        port.failNext = 1;
        machine.send({ type: 'setReady' });
        await machine.flush();
        expect(machine.status).toBe(S.Ready);
        expect(machine.syncState).toBe('failed');
        expect(machine.publishError).toBeInstanceOf(Error);
        expect(machine.snapshot().sync).toBe('failed');
        expect(failures).toEqual([
            expect.objectContaining({ superseded: false, change: expect.objectContaining({ to: S.Ready }) })
        ]);
        await expect(machine.retryPublish()).resolves.toBe(true);
        expect(port.statuses).toEqual(['Offline>NotReady', 'NotReady>Ready']);
        expect(machine.syncState).toBe('synced');
        expect(machine.publishError).toBeUndefined();
    });

    it('a failed publish is healed by the next change', async () => {
        const { machine, port } = drive(harness(), 'registered');
        await machine.flush();
        port.failNext = 1;
        machine.send({ type: 'setReady' });
        await machine.flush();
        machine.send({ type: 'pause', reason: LUNCH });
        await machine.flush();
        expect(machine.syncState).toBe('synced');
        await expect(machine.retryPublish()).resolves.toBe(true);
        expect(port.attempts.map((c) => c.to)).toEqual([S.NotReady, S.Ready, S.Paused]);
    });

    it('a failure superseded by a queued change is reported as superseded', async () => {
        const { machine, port } = harness();
        port.failNext = 1;
        const failures: Array<{ superseded: boolean }> = [];
        machine.on('publishFailed', (f) => failures.push(f));
        drive({ machine, port, clock: new ManualClock() }, 'registered', 'setReady');
        await machine.flush();
        expect(failures).toEqual([expect.objectContaining({ superseded: true })]);
        expect(machine.syncState).toBe('synced');
    });

    it('a port that throws synchronously is handled like a rejection', async () => {
        const { machine, port } = harness();
        port.throwSync = true;
        expect(() => machine.send({ type: 'registered' })).not.toThrow();
        await machine.flush();
        expect(machine.status).toBe(S.NotReady);
        expect(machine.syncState).toBe('failed');
        port.throwSync = false;
        await expect(machine.retryPublish()).resolves.toBe(true);
    });

    it('retryPublish with a still failing port reports false', async () => {
        const { machine, port } = harness();
        port.failNext = 2;
        machine.send({ type: 'registered' });
        await expect(machine.retryPublish()).resolves.toBe(false);
        await expect(machine.retryPublish()).resolves.toBe(true);
    });
});

describe('AgentStatusMachine events and snapshot', () => {
    it('emits statusChanged for changes and updated for every accepted input', () => {
        const { machine } = harness();
        const changed: string[] = [];
        const updated: string[] = [];
        machine.on('statusChanged', (c) => changed.push(c.to));
        machine.on('updated', (s) => updated.push(s.status));
        drive(
            { machine, port: new RecordingPort(), clock: new ManualClock() },
            'registered',
            'setReady',
            'registered'
        );
        expect(changed).toEqual([S.NotReady, S.Ready]);
        expect(updated).toEqual([S.NotReady, S.Ready, S.Ready]);
    });

    it('a throwing listener does not break a transition', () => {
        const errors: unknown[] = [];
        const { machine } = harness({ onListenerError: (e) => errors.push(e) });
        machine.on('statusChanged', () => {
            throw new Error('ui');
        });
        expect(machine.send({ type: 'registered' })).toMatchObject({ ok: true });
        expect(machine.status).toBe(S.NotReady);
        expect(errors).toHaveLength(1);
    });

    it('once/off', () => {
        const { machine } = harness();
        const once = jest.fn();
        const off = jest.fn();
        machine.once('statusChanged', once);
        machine.on('statusChanged', off);
        machine.off('statusChanged', off);
        drive({ machine, port: new RecordingPort(), clock: new ManualClock() }, 'registered', 'setReady');
        expect(once).toHaveBeenCalledTimes(1);
        expect(off).not.toHaveBeenCalled();
    });

    it('snapshot is plain serialisable data and a copy', () => {
        const { machine, clock } = drive(harness(), 'registered', 'setReady', 'callOffered', 'callAnswered');
        machine.send({ type: 'setNextStatus', next: { status: S.Paused, reason: LUNCH } });
        machine.send({ type: 'callEnded', wrapSeconds: 20, interactionId: 'INT-9' });
        clock.advance(5_000);
        const snap = machine.snapshot();
        expect(snap).toEqual({
            status: S.Wrap,
            since: 1_000_000,
            pauseReason: undefined,
            nextStatus: { status: S.Paused, reason: LUNCH },
            statusBeforeCall: S.Ready,
            interactionId: 'INT-9',
            wrapSeconds: 20,
            wrapStartedAt: 1_000_000,
            wrapDeadline: 1_020_000,
            wrapRemainingMs: 15_000,
            connectionUp: true,
            errorReason: undefined,
            canOfferCall: false,
            sync: 'pending'
        });
        expect(JSON.parse(JSON.stringify(snap))).toMatchObject({ status: 'Wrap', wrapDeadline: 1_020_000 });
        (snap.nextStatus as { reason: { id: string } }).reason.id = 'changed';
        expect(machine.nextStatus).toEqual({ status: S.Paused, reason: LUNCH });
    });
});
