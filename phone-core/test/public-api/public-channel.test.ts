import {
    PUBLIC_CHANNEL_VERSION,
    isPublicCommandMessage,
    publicCallEvent,
    publicCommandOutcome,
    publicCommandRefusal,
    publicStatusEvent,
    readPublicCommand,
    type PublicCommandContext
} from '../../src/public-api/public-channel';
import { AgentStatus } from '../../src/agent-status';
import type { PhoneViewState } from '../../src/session/types';
import { agentView, callView, viewState } from '../../../force-app/test/jest-fixtures/phoneState';

const NUMBERS = { defaultCountry: 'PL' };

function context(overrides: Partial<PhoneViewState> = {}): PublicCommandContext {
    return { state: viewState(overrides), numbers: NUMBERS };
}

const command = (fields: Record<string, unknown>) => ({
    version: PUBLIC_CHANNEL_VERSION,
    kind: 'command',
    ...fields
});

describe('readPublicCommand: commands from other components are untrusted input (F19)', () => {
    it.each([['+48 600 700 800'], ['600-700-800'], ['0048600700800'], ['+48 600.700.800']])(
        'dials %s: the number in any format the phone itself accepts',
        (number) => {
            const reading = readPublicCommand(
                command({ command: 'dial', number, requestId: 'r1' }),
                context()
            );
            expect(reading).toEqual({
                ok: true,
                requestId: 'r1',
                name: 'dial',
                command: { type: 'dial', number }
            });
        }
    );

    it('dials with the record dialled from, its object type from the name or else the id', () => {
        const named = readPublicCommand(
            command({
                command: 'dial',
                number: '600700800',
                recordId: '003000000000001AAA',
                objectApiName: 'Contact',
                recordName: 'Jan'
            }),
            context()
        );
        expect(named.ok && named.command).toEqual({
            type: 'dial',
            number: '600700800',
            context: { recordId: '003000000000001AAA', objectType: 'Contact', name: 'Jan' }
        });
        const byId = readPublicCommand(
            command({
                command: 'dial',
                number: '600700800',
                recordId: '00Q000000000001',
                objectApiName: '<b>'
            }),
            context()
        );
        expect(byId.ok && byId.command).toEqual({
            type: 'dial',
            number: '600700800',
            context: { recordId: '00Q000000000001', objectType: 'Lead' }
        });
    });

    it.each([
        ['no number', {}],
        ['an empty number', { number: '   ' }],
        ['letters', { number: 'call me' }],
        ['markup', { number: '<script>alert(1)</script>' }],
        ['too long', { number: '6'.repeat(80) }],
        ['a number', { number: 600700800 }]
    ])('refuses %s with invalid-number, echoing the request id', (_label, fields) => {
        const reading = readPublicCommand(
            command({ command: 'dial', requestId: 'abc', ...fields }),
            context()
        );
        expect(reading.ok).toBe(false);
        expect(!reading.ok && reading.refusal).toEqual({
            version: 1,
            kind: 'event',
            event: 'error',
            source: 'ccphone',
            errorCode: 'invalid-number',
            requestId: 'abc',
            command: 'dial'
        });
    });

    it('refuses a record id that is not a Salesforce id', () => {
        const reading = readPublicCommand(
            command({ command: 'dial', number: '600700800', recordId: 'x;drop' }),
            context()
        );
        expect(!reading.ok && reading.refusal.errorCode).toBe('invalid-record-id');
    });

    it.each([
        ['Ready', { status: 'Ready' }],
        ['NotReady', { status: 'NotReady' }],
        ['Paused', { status: 'Paused', reason: { id: 'lunch', label: 'Lunch' } }]
    ])('sets the status %s', (status, request) => {
        const reading = readPublicCommand(
            command({ command: 'setStatus', status, pauseReasonId: 'lunch' }),
            context({ agent: agentView('NotReady') })
        );
        expect(reading.ok && reading.command).toEqual({ type: 'setStatus', request });
    });

    it.each([
        ['an unknown status', { status: 'Available' }, 'unknown-status'],
        ['a status the phone sets itself', { status: 'Busy' }, 'unknown-status'],
        ['no status', {}, 'unknown-status'],
        ['Paused without a known reason', { status: 'Paused', pauseReasonId: 'nap' }, 'unknown-pause-reason']
    ])('refuses %s with a clear error code', (_label, fields, errorCode) => {
        const reading = readPublicCommand(command({ command: 'setStatus', ...fields }), context());
        expect(!reading.ok && reading.refusal.errorCode).toBe(errorCode);
    });

    it('refuses another version and an unknown command', () => {
        expect(
            readPublicCommand({ kind: 'command', command: 'dial', number: '600700800' }, context())
        ).toMatchObject({
            ok: false,
            refusal: { errorCode: 'unsupported-version' }
        });
        expect(
            readPublicCommand(command({ version: 2, command: 'dial', number: '600700800' }), context())
        ).toMatchObject({
            ok: false,
            refusal: { errorCode: 'unsupported-version' }
        });
        expect(readPublicCommand(command({ command: 'signOut' }), context())).toMatchObject({
            ok: false,
            refusal: { errorCode: 'unknown-command' }
        });
        expect(readPublicCommand(null, context())).toMatchObject({ ok: false });
    });

    it('drops a request id with control characters and cuts a long one', () => {
        const bad = readPublicCommand(command({ command: 'hangup', requestId: 'a\u0000b' }), context());
        expect(bad.requestId).toBeUndefined();
        const long = readPublicCommand(command({ command: 'hangup', requestId: 'x'.repeat(100) }), context());
        expect(long.requestId).toHaveLength(64);
    });

    it('tells commands from other traffic on the channel', () => {
        expect(isPublicCommandMessage(command({ command: 'dial' }))).toBe(true);
        expect(isPublicCommandMessage({ kind: 'event', event: 'ringing' })).toBe(false);
        expect(isPublicCommandMessage('dial')).toBe(false);
    });
});

describe('publicCommandRefusal: the state guard', () => {
    const connected = callView('Connected', { id: 'c1' });
    const ringing = callView('Ringing', { id: 'c2', direction: 'inbound' });

    it.each(['Ready', 'NotReady', 'Paused'] as const)('lets an outside component dial in %s', (status) => {
        expect(publicCommandRefusal('dial', viewState({ agent: agentView(status) }))).toBeNull();
    });

    it.each(['Ringing', 'Busy', 'Wrap'] as const)('never dials over a call or its wrap-up (%s)', (status) => {
        expect(publicCommandRefusal('dial', viewState({ agent: agentView(status) }))).toBe('not-allowed-now');
    });

    it('never dials while a call exists, whatever the status says', () => {
        expect(publicCommandRefusal('dial', viewState({ calls: [connected] }))).toBe('not-allowed-now');
    });

    it('refuses everything but hangup while the phone is not registered', () => {
        const offline = viewState({
            registration: { state: 'Unregistered' as never },
            agent: agentView('Offline')
        });
        expect(publicCommandRefusal('dial', offline)).toBe('phone-not-ready');
        expect(publicCommandRefusal('setStatus', offline)).toBe('phone-not-ready');
        expect(publicCommandRefusal('dial', viewState({ started: false }))).toBe('phone-not-ready');
    });

    it("keeps the wrap-up the agent's: no status change from outside in Wrap", () => {
        expect(publicCommandRefusal('setStatus', viewState({ agent: agentView('Wrap') }))).toBe(
            'not-allowed-now'
        );
        expect(
            publicCommandRefusal('setStatus', viewState({ agent: agentView('Busy'), calls: [connected] }))
        ).toBeNull();
    });

    it('hangs up a connected call but not a ringing inbound one', () => {
        expect(publicCommandRefusal('hangup', viewState({ calls: [connected] }))).toBeNull();
        expect(publicCommandRefusal('hangup', viewState({ calls: [ringing], incoming: ringing }))).toBe(
            'no-call'
        );
        expect(publicCommandRefusal('hangup', viewState())).toBe('no-call');
    });

    it('runs the guard inside readPublicCommand', () => {
        const reading = readPublicCommand(
            command({ command: 'dial', number: '600700800', requestId: 'q' }),
            context({ agent: agentView('Wrap') })
        );
        expect(reading).toMatchObject({
            ok: false,
            requestId: 'q',
            refusal: { errorCode: 'not-allowed-now', command: 'dial' }
        });
    });
});

describe('events the phone publishes', () => {
    it("answers a command it ran with accepted, or command-failed with the phone's reason", () => {
        const reading = readPublicCommand(
            command({ command: 'dial', number: '600700800', requestId: 'r9' }),
            context()
        );
        if (!reading.ok) throw new Error('expected a command');
        expect(publicCommandOutcome(reading, { ok: true, interactionId: 'i-1' })).toEqual({
            version: 1,
            kind: 'event',
            event: 'accepted',
            source: 'ccphone',
            requestId: 'r9',
            command: 'dial',
            interactionId: 'i-1'
        });
        expect(publicCommandOutcome(reading, { ok: false, error: 'number-not-dialable' })).toEqual({
            version: 1,
            kind: 'event',
            event: 'error',
            source: 'ccphone',
            requestId: 'r9',
            command: 'dial',
            errorCode: 'command-failed',
            phoneError: 'number-not-dialable'
        });
    });

    it('publishes call events with the documented names: dialing rings too, logged carries the Task id', () => {
        expect(
            publicCallEvent({
                kind: 'dialing',
                interactionId: 'i-2',
                callId: 'c',
                direction: 'outbound',
                number: '+48600700800',
                name: ''
            })
        ).toEqual({
            version: 1,
            kind: 'event',
            event: 'ringing',
            source: 'ccphone',
            interactionId: 'i-2',
            direction: 'outbound',
            number: '+48600700800'
        });
        expect(
            publicCallEvent({
                kind: 'logged',
                interactionId: 'i-2',
                callId: '',
                direction: 'outbound',
                number: '+48600700800',
                name: 'Jan',
                recordId: '003000000000001AAA',
                outcome: 'answered',
                durationSeconds: 12,
                taskId: '00T000000000001AAA'
            })
        ).toMatchObject({
            event: 'logged',
            taskId: '00T000000000001AAA',
            recordId: '003000000000001AAA',
            outcome: 'answered',
            name: 'Jan'
        });
    });

    it('publishes status only when it changed', () => {
        expect(publicStatusEvent(AgentStatus.Ready, AgentStatus.Ready)).toBeNull();
        expect(publicStatusEvent(AgentStatus.Ready, AgentStatus.Busy)).toEqual({
            version: 1,
            kind: 'event',
            event: 'status',
            source: 'ccphone',
            status: 'Busy',
            previousStatus: 'Ready'
        });
        expect(publicStatusEvent(null, AgentStatus.Offline)).toEqual({
            version: 1,
            kind: 'event',
            event: 'status',
            source: 'ccphone',
            status: 'Offline'
        });
    });
});

describe('before the phone started', () => {
    it('refuses well-formed commands with phone-not-ready, and still reads the request id', () => {
        expect(
            readPublicCommand(command({ command: 'dial', number: '600700800', requestId: 'early' }), null)
        ).toMatchObject({
            ok: false,
            requestId: 'early',
            refusal: { errorCode: 'phone-not-ready', requestId: 'early', command: 'dial' }
        });
    });
});
