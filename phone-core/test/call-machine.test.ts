import {
    CALL_INPUT_TYPES,
    CallDirection,
    CallMachine,
    CallOutcome,
    CallState,
    MAX_DTMF_LOG,
    decideIncomingWhileBusy,
    isValidDtmf,
    outcomeForSipFailure,
    type CallInput,
    type CallInputType
} from '../src/call/call-machine';
import { createCallData, parseCallData } from '../src/call/call-data';
import { ManualClock } from './fakes/manual-clock';

/** One valid input of every type. */
const SAMPLE: { [K in CallInputType]: Extract<CallInput, { type: K }> } = {
    offered: { type: 'offered', remote: { number: '+48600700800', displayName: 'Jan' } },
    dial: { type: 'dial', remote: { number: '+31612345678' } },
    answer: { type: 'answer' },
    reject: { type: 'reject' },
    ringTimeout: { type: 'ringTimeout' },
    callerCancel: { type: 'callerCancel' },
    progress: { type: 'progress', earlyMedia: true },
    accepted: { type: 'accepted' },
    failed: { type: 'failed', code: 503, reason: 'Service Unavailable' },
    hangup: { type: 'hangup' },
    remoteBye: { type: 'remoteBye' },
    hold: { type: 'hold' },
    holdConfirmed: { type: 'holdConfirmed' },
    holdFailed: { type: 'holdFailed', code: 491, reason: 'Request Pending' },
    resume: { type: 'resume' },
    resumeConfirmed: { type: 'resumeConfirmed' },
    resumeFailed: { type: 'resumeFailed', code: 500 },
    remoteHold: { type: 'remoteHold', held: true },
    mute: { type: 'mute' },
    unmute: { type: 'unmute' },
    dtmf: { type: 'dtmf', digits: '12#' },
    transfer: { type: 'transfer', target: 'sip:200@cc.example.com' },
    transferSucceeded: { type: 'transferSucceeded' },
    transferFailed: { type: 'transferFailed', code: 603, reason: 'Decline' },
    consultStart: { type: 'consultStart', consultCallId: 'consult-1' },
    consultEnded: { type: 'consultEnded' },
    completeTransfer: { type: 'completeTransfer' },
    returnToCaller: { type: 'returnToCaller' },
    conferenceStart: { type: 'conferenceStart', withCallId: 'consult-1' },
    conferenceEnd: { type: 'conferenceEnd' }
};

function drive(machine: CallMachine, ...types: CallInputType[]): CallMachine {
    for (const type of types) {
        const result = machine.send(SAMPLE[type]);
        if (!result.ok) throw new Error(`setup step '${type}' rejected: ${result.message}`);
    }
    return machine;
}

/** Fixtures: a machine in each state/context reached by legal inputs only. */
/** A machine on a frozen clock (snapshots compare equal over time). */
function mk(options: ConstructorParameters<typeof CallMachine>[0] = {}): CallMachine {
    return new CallMachine({ clock: new ManualClock(), ...options });
}

const FIXTURES: Record<string, { state: CallState; build: () => CallMachine }> = {
    Idle: { state: CallState.Idle, build: () => mk() },
    Ringing: { state: CallState.Ringing, build: () => drive(mk(), 'offered') },
    Dialing: { state: CallState.Dialing, build: () => drive(mk(), 'dial') },
    Progress: { state: CallState.Progress, build: () => drive(mk(), 'dial', 'progress') },
    Connected: {
        state: CallState.Connected,
        build: () => drive(mk(), 'offered', 'answer', 'accepted')
    },
    OnHold: {
        state: CallState.OnHold,
        build: () => drive(mk(), 'offered', 'answer', 'accepted', 'hold', 'holdConfirmed')
    },
    Transferring: {
        state: CallState.Transferring,
        build: () => drive(mk(), 'offered', 'answer', 'accepted', 'transfer')
    },
    Ended: {
        state: CallState.Ended,
        build: () => drive(mk(), 'offered', 'answer', 'accepted', 'hangup')
    },
    // Sub-conditions of a state that change what is legal
    'Ringing+answering': {
        state: CallState.Ringing,
        build: () => drive(mk(), 'offered', 'answer')
    },
    'Connected+holdPending': {
        state: CallState.Connected,
        build: () => drive(mk(), 'dial', 'accepted', 'hold')
    },
    'Connected+muted': {
        state: CallState.Connected,
        build: () => drive(mk(), 'dial', 'accepted', 'mute')
    },
    'Connected+conference': {
        state: CallState.Connected,
        build: () => drive(mk(), 'dial', 'accepted', 'conferenceStart')
    },
    'OnHold+resumePending': {
        state: CallState.OnHold,
        build: () => drive(mk(), 'dial', 'accepted', 'hold', 'holdConfirmed', 'resume')
    },
    'OnHold+consult': {
        state: CallState.OnHold,
        build: () => drive(mk(), 'dial', 'accepted', 'hold', 'holdConfirmed', 'consultStart')
    },
    'OnHold(consultation leg)': {
        state: CallState.OnHold,
        build: () =>
            drive(
                mk({ role: 'consultation', linkedCallId: 'primary-1' }),
                'dial',
                'accepted',
                'hold',
                'holdConfirmed'
            )
    },
    'Transferring(from hold)': {
        state: CallState.Transferring,
        build: () => drive(mk(), 'dial', 'accepted', 'hold', 'holdConfirmed', 'transfer')
    }
};

const C = CallState;
/** Legal inputs per fixture and the state they lead to; every other input must be rejected. */
const LEGAL: Record<keyof typeof FIXTURES, Partial<Record<CallInputType, CallState>>> = {
    Idle: { offered: C.Ringing, dial: C.Dialing },
    Ringing: {
        answer: C.Ringing,
        reject: C.Ended,
        ringTimeout: C.Ended,
        callerCancel: C.Ended,
        failed: C.Ended
    },
    Dialing: {
        ringTimeout: C.Ended,
        progress: C.Progress,
        accepted: C.Connected,
        failed: C.Ended,
        hangup: C.Ended
    },
    Progress: {
        ringTimeout: C.Ended,
        progress: C.Progress,
        accepted: C.Connected,
        failed: C.Ended,
        hangup: C.Ended
    },
    Connected: {
        failed: C.Ended,
        hangup: C.Ended,
        remoteBye: C.Ended,
        hold: C.Connected,
        remoteHold: C.Connected,
        mute: C.Connected,
        dtmf: C.Connected,
        transfer: C.Transferring,
        conferenceStart: C.Connected
    },
    OnHold: {
        failed: C.Ended,
        hangup: C.Ended,
        remoteBye: C.Ended,
        resume: C.OnHold,
        remoteHold: C.OnHold,
        mute: C.OnHold,
        transfer: C.Transferring,
        consultStart: C.OnHold
    },
    Transferring: {
        failed: C.Ended,
        hangup: C.Ended,
        remoteBye: C.Ended,
        transferSucceeded: C.Ended,
        transferFailed: C.Connected
    },
    Ended: {},
    'Ringing+answering': {
        reject: C.Ended,
        ringTimeout: C.Ended,
        callerCancel: C.Ended,
        accepted: C.Connected,
        failed: C.Ended
    },
    'Connected+holdPending': {
        failed: C.Ended,
        hangup: C.Ended,
        remoteBye: C.Ended,
        holdConfirmed: C.OnHold,
        holdFailed: C.Connected,
        remoteHold: C.Connected,
        mute: C.Connected,
        dtmf: C.Connected
    },
    'Connected+muted': {
        failed: C.Ended,
        hangup: C.Ended,
        remoteBye: C.Ended,
        hold: C.Connected,
        remoteHold: C.Connected,
        unmute: C.Connected,
        dtmf: C.Connected,
        transfer: C.Transferring,
        conferenceStart: C.Connected
    },
    'Connected+conference': {
        failed: C.Ended,
        hangup: C.Ended,
        remoteBye: C.Ended,
        hold: C.Connected,
        remoteHold: C.Connected,
        mute: C.Connected,
        dtmf: C.Connected,
        transfer: C.Transferring,
        conferenceEnd: C.Connected
    },
    'OnHold+resumePending': {
        failed: C.Ended,
        hangup: C.Ended,
        remoteBye: C.Ended,
        resumeConfirmed: C.Connected,
        resumeFailed: C.OnHold,
        remoteHold: C.OnHold,
        mute: C.OnHold
    },
    'OnHold+consult': {
        failed: C.Ended,
        hangup: C.Ended,
        remoteBye: C.Ended,
        resume: C.OnHold,
        remoteHold: C.OnHold,
        mute: C.OnHold,
        consultEnded: C.OnHold,
        completeTransfer: C.Transferring,
        returnToCaller: C.OnHold
    },
    'OnHold(consultation leg)': {
        failed: C.Ended,
        hangup: C.Ended,
        remoteBye: C.Ended,
        resume: C.OnHold,
        remoteHold: C.OnHold,
        mute: C.OnHold,
        transfer: C.Transferring
    },
    'Transferring(from hold)': {
        failed: C.Ended,
        hangup: C.Ended,
        remoteBye: C.Ended,
        transferSucceeded: C.Ended,
        transferFailed: C.OnHold
    }
};

describe('CallMachine transition table: every (state, input) pair', () => {
    it('covers every state and every input type', () => {
        const states = new Set(Object.values(FIXTURES).map((f) => f.state));
        expect([...states].sort()).toEqual(Object.values(CallState).sort());
        expect(new Set(CALL_INPUT_TYPES).size).toBe(30);
        expect(Object.keys(SAMPLE).sort()).toEqual([...CALL_INPUT_TYPES].sort());
    });

    const rows = Object.keys(FIXTURES).flatMap((fixture) =>
        CALL_INPUT_TYPES.map((type) => [fixture, type, LEGAL[fixture][type] ?? 'illegal'] as const)
    );

    it.each(rows)('%s + %s -> %s', (fixture, type, expected) => {
        const machine = FIXTURES[fixture].build();
        expect(machine.state).toBe(FIXTURES[fixture].state);
        const before = machine.snapshot();
        expect(machine.can(type)).toBe(expected !== 'illegal');
        const result = machine.send(SAMPLE[type]);
        if (expected === 'illegal') {
            expect(result).toMatchObject({ ok: false, code: 'illegal-transition', from: before.state });
            expect(machine.snapshot()).toEqual(before);
        } else {
            expect(result).toMatchObject({ ok: true, from: before.state, to: expected });
            expect(machine.state).toBe(expected);
        }
    });
});

describe('CallMachine inbound', () => {
    it('answered call: durations from the injected clock, hold time included in talk time', () => {
        const clock = new ManualClock(1_000_000);
        const callData = parseCallData({ 'X-CC-Interaction-Id': 'INT-1', 'X-CC-Wrap-Seconds': '30' });
        const call = new CallMachine({ id: 'call-1', clock });
        call.send({ type: 'offered', remote: { number: '+48600700800', displayName: 'Jan' }, callData });
        clock.advance(3_000);
        call.send({ type: 'answer' });
        expect(call.snapshot()).toMatchObject({ state: C.Ringing, answering: true });
        clock.advance(200);
        call.send({ type: 'accepted' });
        clock.advance(6_800);
        call.send({ type: 'hold' });
        clock.advance(100);
        call.send({ type: 'holdConfirmed' });
        clock.advance(10_000);
        const mid = call.snapshot();
        expect(mid).toMatchObject({
            state: C.OnHold,
            onHold: true,
            holdDurationMs: 10_000,
            talkDurationMs: 16_900
        });
        call.send({ type: 'resume' });
        clock.advance(100);
        call.send({ type: 'resumeConfirmed' });
        clock.advance(39_800);
        call.send({ type: 'remoteBye' });
        clock.advance(5_000); // time after the end does not count

        expect(call.snapshot()).toEqual({
            id: 'call-1',
            interactionId: 'INT-1',
            role: 'primary',
            direction: CallDirection.Inbound,
            state: C.Ended,
            outcome: CallOutcome.Answered,
            endedBy: 'remote',
            remote: { number: '+48600700800', displayName: 'Jan' },
            callData,
            originRecordId: undefined,
            startedAt: 1_000_000,
            answeredAt: 1_003_200,
            endedAt: 1_060_000,
            ringDurationMs: 3_200,
            talkDurationMs: 56_800,
            holdDurationMs: 10_100,
            answering: false,
            earlyMedia: false,
            muted: false,
            onHold: false,
            remoteHold: false,
            holdPending: undefined,
            dtmfSent: '',
            transfer: undefined,
            transferTarget: undefined,
            sipFailure: undefined,
            linkedCallId: undefined,
            consultActive: false,
            conference: undefined
        });
    });

    it.each([
        ['reject', { type: 'reject' }, CallOutcome.Rejected, 'local'],
        ['ringTimeout', { type: 'ringTimeout' }, CallOutcome.Missed, 'timeout'],
        ['callerCancel', { type: 'callerCancel' }, CallOutcome.Missed, 'remote'],
        [
            'callerCancel elsewhere',
            { type: 'callerCancel', completedElsewhere: true },
            CallOutcome.Cancelled,
            'remote'
        ],
        ['failed', { type: 'failed', code: 500 }, CallOutcome.Failed, 'failure']
    ] as const)('ringing + %s -> %s', (_label, input, outcome, endedBy) => {
        const clock = new ManualClock(0);
        const call = new CallMachine({ clock });
        call.send(SAMPLE.offered);
        clock.advance(20_000);
        call.send(input);
        expect(call.snapshot()).toMatchObject({
            state: C.Ended,
            outcome,
            endedBy,
            ringDurationMs: 20_000,
            talkDurationMs: 0,
            answeredAt: undefined
        });
    });

    it('a caller who hangs up while the agent is answering is a missed call', () => {
        const call = drive(new CallMachine(), 'offered', 'answer');
        call.send({ type: 'callerCancel' });
        expect(call.outcome).toBe(CallOutcome.Missed);
        expect(call.snapshot().answering).toBe(false);
    });

    it('hangup on a ringing call is refused with a hint to reject', () => {
        const result = drive(new CallMachine(), 'offered').send({ type: 'hangup' });
        expect(result).toMatchObject({ ok: false, code: 'illegal-transition' });
        expect(!result.ok && result.message).toMatch(/reject/);
    });

    it('anonymous caller (empty number) still rings', () => {
        const call = new CallMachine();
        expect(call.send({ type: 'offered', remote: { number: '' } }).ok).toBe(true);
        expect(call.direction).toBe(CallDirection.Inbound);
    });

    it('rejects a malformed offer', () => {
        const call = new CallMachine();
        const result = call.send({ type: 'offered', remote: undefined } as unknown as CallInput);
        expect(result).toMatchObject({ ok: false, code: 'invalid-argument' });
        expect(call.state).toBe(C.Idle);
    });
});

describe('CallMachine outbound', () => {
    it('dial -> progress (early media) -> accepted; generated call data replaced by the network one', () => {
        const clock = new ManualClock(0);
        const call = new CallMachine({ clock });
        const local = createCallData(() => 'local-key');
        call.send({
            type: 'dial',
            remote: { number: ' +31612345678 ' },
            callData: local,
            originRecordId: '001xx'
        });
        expect(call.snapshot()).toMatchObject({
            direction: 'Outbound',
            interactionId: 'local-key',
            remote: { number: '+31612345678' }
        });
        clock.advance(1_000);
        call.send({ type: 'progress', earlyMedia: false });
        call.send({
            type: 'progress',
            earlyMedia: true,
            callData: parseCallData({ 'X-CC-Interaction-Id': 'CC-9' })
        });
        expect(call.snapshot()).toMatchObject({ state: C.Progress, earlyMedia: true, interactionId: 'CC-9' });
        clock.advance(4_000);
        call.send({
            type: 'accepted',
            remote: { displayName: 'Acme BV' },
            callData: parseCallData({ 'X-CC-Interaction-Id': 'other' })
        });
        expect(call.snapshot()).toMatchObject({
            state: C.Connected,
            earlyMedia: false,
            interactionId: 'CC-9', // a real id is never replaced
            remote: { number: '+31612345678', displayName: 'Acme BV' },
            ringDurationMs: 5_000,
            originRecordId: '001xx'
        });
    });

    it.each([
        [486, CallOutcome.Busy],
        [600, CallOutcome.Busy],
        [603, CallOutcome.Rejected],
        [408, CallOutcome.NoAnswer],
        [480, CallOutcome.NoAnswer],
        [487, CallOutcome.Cancelled],
        [404, CallOutcome.Failed],
        [503, CallOutcome.Failed],
        [undefined, CallOutcome.Failed]
    ])('failed %s -> %s', (code, outcome) => {
        expect(outcomeForSipFailure(code)).toBe(outcome);
        const call = drive(new CallMachine(), 'dial', 'progress');
        call.send({ type: 'failed', code, reason: 'x' });
        expect(call.outcome).toBe(outcome);
        expect(call.snapshot().sipFailure).toEqual(
            code === undefined ? { reason: 'x' } : { code, reason: 'x' }
        );
    });

    it('hangup before answer is Cancelled; local ring timeout is NoAnswer', () => {
        expect(drive(new CallMachine(), 'dial', 'hangup').outcome).toBe(CallOutcome.Cancelled);
        expect(drive(new CallMachine(), 'dial', 'progress', 'ringTimeout').outcome).toBe(
            CallOutcome.NoAnswer
        );
    });

    it('a dropped connected call keeps outcome Answered and records the failure', () => {
        const call = drive(new CallMachine(), 'dial', 'accepted', 'failed');
        expect(call.snapshot()).toMatchObject({
            outcome: CallOutcome.Answered,
            endedBy: 'failure',
            sipFailure: { code: 503 }
        });
    });

    it.each(['', '   '])('dial %j is an invalid argument', (number) => {
        const call = new CallMachine();
        expect(call.send({ type: 'dial', remote: { number } })).toMatchObject({
            ok: false,
            code: 'invalid-argument'
        });
        expect(call.state).toBe(C.Idle);
    });
});

describe('CallMachine hold, mute, DTMF', () => {
    it('a failed hold re-INVITE leaves the call connected and records the SIP failure', () => {
        const call = drive(new CallMachine(), 'dial', 'accepted', 'hold');
        expect(call.snapshot().holdPending).toBe('hold');
        expect(call.send({ type: 'hold' }).ok).toBe(false); // double click
        call.send({ type: 'holdFailed', code: 491, reason: 'Request Pending' });
        expect(call.snapshot()).toMatchObject({
            state: C.Connected,
            onHold: false,
            holdPending: undefined,
            sipFailure: { code: 491, reason: 'Request Pending' }
        });
    });

    it('a failed resume keeps the call on hold', () => {
        const call = drive(
            new CallMachine(),
            'dial',
            'accepted',
            'hold',
            'holdConfirmed',
            'resume',
            'resumeFailed'
        );
        expect(call.snapshot()).toMatchObject({ state: C.OnHold, onHold: true, holdPending: undefined });
    });

    it('tracks remote hold separately from local hold', () => {
        const call = drive(new CallMachine(), 'dial', 'accepted');
        call.send({ type: 'remoteHold', held: true });
        expect(call.snapshot()).toMatchObject({ state: C.Connected, onHold: false, remoteHold: true });
        call.send({ type: 'remoteHold', held: false });
        expect(call.snapshot().remoteHold).toBe(false);
    });

    it('mute survives hold and resume', () => {
        const call = drive(
            new CallMachine(),
            'dial',
            'accepted',
            'mute',
            'hold',
            'holdConfirmed',
            'resume',
            'resumeConfirmed'
        );
        expect(call.snapshot().muted).toBe(true);
        expect(call.send({ type: 'mute' }).ok).toBe(false);
        expect(call.send({ type: 'unmute' }).ok).toBe(true);
    });

    it('records sent DTMF digits, upper-cased, and validates them', () => {
        const call = drive(new CallMachine(), 'dial', 'accepted');
        expect(call.send({ type: 'dtmf', digits: '1' }).ok).toBe(true);
        expect(call.send({ type: 'dtmf', digits: '*#abcd0' }).ok).toBe(true);
        for (const bad of ['', 'E', '1 2', '12,3', '<script>', '١', 'x'.repeat(3), '1'.repeat(65)]) {
            expect(call.send({ type: 'dtmf', digits: bad })).toMatchObject({
                ok: false,
                code: 'invalid-argument'
            });
        }
        expect(call.send({ type: 'dtmf', digits: 42 } as unknown as CallInput).ok).toBe(false);
        expect(call.snapshot().dtmfSent).toBe('1*#ABCD0');
    });

    it(`caps the DTMF log at ${MAX_DTMF_LOG} characters`, () => {
        const call = drive(new CallMachine(), 'dial', 'accepted');
        for (let i = 0; i < 10; i++) call.send({ type: 'dtmf', digits: '1234567890'.repeat(3) });
        expect(call.snapshot().dtmfSent).toHaveLength(MAX_DTMF_LOG);
    });

    it.each([
        ['0123456789', true],
        ['*#', true],
        ['ABCDabcd', true],
        ['', false],
        ['E', false],
        [' 1', false]
    ])('isValidDtmf(%j) = %s', (digits, valid) => {
        expect(isValidDtmf(digits)).toBe(valid);
    });
});

describe('CallMachine transfer, consultation, conference', () => {
    it('blind transfer succeeds: ended, answered, by transfer', () => {
        const clock = new ManualClock(0);
        const call = drive(new CallMachine({ clock }), 'offered', 'answer', 'accepted');
        call.send({ type: 'transfer', target: ' sip:200@cc.example.com ' });
        expect(call.snapshot()).toMatchObject({
            state: C.Transferring,
            transferTarget: 'sip:200@cc.example.com',
            transfer: { kind: 'blind', status: 'requested' }
        });
        call.send({ type: 'transferSucceeded' });
        expect(call.snapshot()).toMatchObject({
            state: C.Ended,
            outcome: CallOutcome.Answered,
            endedBy: 'transfer',
            transfer: { kind: 'blind', status: 'completed', target: 'sip:200@cc.example.com' }
        });
    });

    it('blind transfer fails: back to Connected with the failure', () => {
        const call = drive(new CallMachine(), 'offered', 'answer', 'accepted', 'transfer');
        call.send({ type: 'transferFailed', code: 404, reason: 'Not Found' });
        expect(call.snapshot()).toMatchObject({
            state: C.Connected,
            transfer: { status: 'failed', failure: { code: 404, reason: 'Not Found' } },
            sipFailure: { code: 404 }
        });
    });

    it('transfer without a target is an invalid argument', () => {
        const call = drive(new CallMachine(), 'dial', 'accepted');
        expect(call.send({ type: 'transfer', target: ' ' })).toMatchObject({
            ok: false,
            code: 'invalid-argument'
        });
    });

    function startConsultation(clock = new ManualClock(0)): { primary: CallMachine; consult: CallMachine } {
        const primary = drive(new CallMachine({ id: 'p', clock }), 'offered', 'answer', 'accepted');
        expect(primary.send({ type: 'consultStart', consultCallId: 'c' }).ok).toBe(false); // hold first
        drive(primary, 'hold', 'holdConfirmed');
        const consult = new CallMachine({ id: 'c', clock, role: 'consultation', linkedCallId: 'p' });
        expect(primary.send({ type: 'consultStart', consultCallId: 'c' }).ok).toBe(true);
        drive(consult, 'dial', 'progress', 'accepted');
        return { primary, consult };
    }

    it('consultation then attended transfer (REFER with Replaces)', () => {
        const { primary, consult } = startConsultation();
        expect(primary.snapshot()).toMatchObject({ state: C.OnHold, linkedCallId: 'c', consultActive: true });
        expect(consult.snapshot()).toMatchObject({
            role: 'consultation',
            linkedCallId: 'p',
            state: C.Connected
        });
        expect(primary.send({ type: 'transfer', target: 'x' }).ok).toBe(false); // consultation active
        expect(primary.send({ type: 'completeTransfer' }).ok).toBe(true);
        expect(primary.snapshot().transfer).toMatchObject({
            kind: 'attended',
            target: 'c',
            status: 'requested'
        });
        consult.send({ type: 'remoteBye' });
        expect(primary.send({ type: 'consultEnded' }).ok).toBe(true);
        primary.send({ type: 'transferSucceeded' });
        expect(primary.snapshot()).toMatchObject({
            state: C.Ended,
            endedBy: 'transfer',
            linkedCallId: 'c',
            consultActive: false
        });
        expect(consult.outcome).toBe(CallOutcome.Answered);
    });

    it('attended transfer that fails keeps the caller on hold with the consultation', () => {
        const { primary } = startConsultation();
        primary.send({ type: 'completeTransfer', target: 'sip:300@cc' });
        primary.send({ type: 'transferFailed', code: 488 });
        expect(primary.snapshot()).toMatchObject({
            state: C.OnHold,
            consultActive: true,
            transfer: { target: 'sip:300@cc' }
        });
    });

    it('consultation then return to the caller', () => {
        const { primary, consult } = startConsultation();
        consult.send({ type: 'hangup' });
        primary.send({ type: 'returnToCaller' });
        expect(primary.snapshot()).toMatchObject({
            state: C.OnHold,
            consultActive: false,
            holdPending: 'resume'
        });
        primary.send({ type: 'resumeConfirmed' });
        expect(primary.snapshot()).toMatchObject({ state: C.Connected, onHold: false, linkedCallId: 'c' });
    });

    it('three-way conference: resume the primary, then both legs join', () => {
        const { primary, consult } = startConsultation();
        drive(primary, 'resume', 'resumeConfirmed');
        expect(primary.snapshot().consultActive).toBe(true);
        expect(primary.send({ type: 'conferenceStart', withCallId: 'c' }).ok).toBe(true);
        expect(consult.send({ type: 'conferenceStart', withCallId: 'p' }).ok).toBe(true);
        expect(primary.snapshot().conference).toEqual({ active: true, legs: ['p', 'c'] });
        expect(consult.snapshot().conference).toEqual({ active: true, legs: ['c', 'p'] });
        expect(primary.send({ type: 'conferenceStart', withCallId: 'c' }).ok).toBe(false);
        consult.send({ type: 'remoteBye' });
        primary.send({ type: 'consultEnded' });
        expect(primary.snapshot()).toMatchObject({
            state: C.Connected,
            consultActive: false,
            conference: { active: false }
        });
    });

    it('conference with itself is an invalid argument', () => {
        const call = drive(new CallMachine({ id: 'self' }), 'dial', 'accepted');
        expect(call.send({ type: 'conferenceStart', withCallId: 'self' })).toMatchObject({
            code: 'invalid-argument'
        });
    });
});

describe('CallMachine events, snapshot, helpers', () => {
    it('emits transition for accepted inputs, rejected for refused ones, ended once', () => {
        const call = new CallMachine({ id: 'e1' });
        const transitions: string[] = [];
        const rejected: string[] = [];
        const ended = jest.fn();
        call.on('transition', (t) =>
            transitions.push(`${t.from}>${t.to}:${t.input.type}:${t.snapshot.state}`)
        );
        call.on('rejected', (r) => rejected.push(`${r.state}:${r.input.type}:${r.code}`));
        call.on('ended', ended);
        drive(call, 'offered', 'answer', 'accepted');
        call.send({ type: 'resume' });
        call.send({ type: 'hangup' });
        call.send({ type: 'hangup' });
        expect(transitions).toEqual([
            'Idle>Ringing:offered:Ringing',
            'Ringing>Ringing:answer:Ringing',
            'Ringing>Connected:accepted:Connected',
            'Connected>Ended:hangup:Ended'
        ]);
        expect(rejected).toEqual(['Connected:resume:illegal-transition', 'Ended:hangup:illegal-transition']);
        expect(ended).toHaveBeenCalledTimes(1);
        expect(ended.mock.calls[0][0]).toMatchObject({ id: 'e1', outcome: CallOutcome.Answered });
    });

    it('a throwing listener does not break the machine and goes to the error hook', () => {
        const errors: unknown[] = [];
        const call = new CallMachine({ onListenerError: (e) => errors.push(e) });
        call.on('transition', () => {
            throw new Error('ui bug');
        });
        expect(call.send(SAMPLE.offered)).toMatchObject({ ok: true });
        expect(call.state).toBe(C.Ringing);
        expect(errors).toHaveLength(1);
    });

    it('once/off unsubscribe', () => {
        const call = new CallMachine();
        const once = jest.fn();
        const other = jest.fn();
        call.once('transition', once);
        call.on('transition', other);
        call.off('transition', other);
        drive(call, 'dial', 'progress');
        expect(once).toHaveBeenCalledTimes(1);
        expect(other).not.toHaveBeenCalled();
    });

    it('snapshot is plain data that survives JSON and is a copy', () => {
        const call = drive(
            new CallMachine(),
            'offered',
            'answer',
            'accepted',
            'dtmf',
            'conferenceStart',
            'transfer'
        );
        const snap = call.snapshot();
        expect(JSON.parse(JSON.stringify(snap))).toEqual(JSON.parse(JSON.stringify(snap)));
        expect(Object.getPrototypeOf(snap)).toBe(Object.prototype);
        snap.remote.number = 'changed';
        snap.conference!.legs.push('x');
        snap.transfer!.status = 'failed';
        expect(call.snapshot().remote.number).toBe('+48600700800');
        expect(call.snapshot().conference!.legs).toHaveLength(2);
        expect(call.snapshot().transfer!.status).toBe('requested');
    });

    it('generates distinct ids and exposes isActive', () => {
        const a = new CallMachine();
        const b = new CallMachine();
        expect(a.id).not.toBe(b.id);
        expect(a.isActive).toBe(false);
        a.send(SAMPLE.offered);
        expect(a.isActive).toBe(true);
        a.send(SAMPLE.reject);
        expect(a.isActive).toBe(false);
    });

    it('allowedInputs lists what the UI may enable', () => {
        const call = drive(new CallMachine(), 'offered');
        expect(call.allowedInputs()).toEqual(['answer', 'reject', 'ringTimeout', 'callerCancel', 'failed']);
        expect(new CallMachine().allowedInputs()).toEqual(['offered', 'dial']);
        expect(drive(new CallMachine(), 'dial', 'hangup').allowedInputs()).toEqual([]);
    });

    it('an unknown input type is an invalid argument', () => {
        const result = new CallMachine().send({ type: 'explode' } as unknown as CallInput);
        expect(result).toMatchObject({ ok: false, code: 'invalid-argument' });
    });

    it.each([
        [0, false, 'offer-waiting'],
        [0, true, 'offer-waiting'],
        [1, false, 'reject-486'],
        [1, true, 'offer-waiting'],
        [2, true, 'reject-486'],
        [3, false, 'reject-486']
    ] as const)(
        'decideIncomingWhileBusy(active %i, waiting %s) = %s',
        (activeCalls, callWaiting, decision) => {
            expect(decideIncomingWhileBusy({ activeCalls, callWaiting })).toBe(decision);
        }
    );
});
