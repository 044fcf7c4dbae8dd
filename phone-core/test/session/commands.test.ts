/**
 * PhoneSession's command API: `send(command)` (what the UI forwards from its children) runs exactly what the
 * matching method runs.
 */
import type { PhoneApi, PhoneCommand, SessionResult } from '../../src/session/types';
import { SimWorld } from './session-world';

beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2024, 4, 1, 9, 0, 0) }));
afterEach(() => jest.useRealTimers());

type CommandMethod = Exclude<keyof PhoneApi, 'send' | 'requestLeadership'>;

/** Every PhoneCommand and the method call it stands for. */
const TABLE: Array<[PhoneCommand, CommandMethod, unknown[]]> = [
    [{ type: 'setStatus', request: { status: 'Ready' } }, 'setStatus', [{ status: 'Ready' }]],
    [{ type: 'clearNextStatus' }, 'clearNextStatus', []],
    [{ type: 'answer', callId: 'c1' }, 'answer', ['c1']],
    [{ type: 'reject', callId: 'c1' }, 'reject', ['c1']],
    [{ type: 'hangup' }, 'hangup', [undefined]],
    [{ type: 'hold', callId: 'c1' }, 'hold', ['c1']],
    [{ type: 'resume', callId: 'c1' }, 'resume', ['c1']],
    [{ type: 'mute', callId: 'c1' }, 'mute', ['c1']],
    [{ type: 'unmute', callId: 'c1' }, 'unmute', ['c1']],
    [{ type: 'sendDtmf', digits: '12#', callId: 'c1' }, 'sendDtmf', ['12#', 'c1']],
    [{ type: 'blindTransfer', target: '201', callId: 'c1' }, 'blindTransfer', ['201', 'c1']],
    [{ type: 'startConsultation', target: '202', callId: 'c1' }, 'startConsultation', ['202', 'c1']],
    [{ type: 'completeTransfer', consultCallId: 'c2' }, 'completeTransfer', ['c2']],
    [{ type: 'returnToCaller', consultCallId: 'c2' }, 'returnToCaller', ['c2']],
    [{ type: 'conference', callId: 'c1' }, 'conference', ['c1']],
    [
        { type: 'dial', number: '600700800', context: { recordId: '003A' } },
        'dial',
        ['600700800', { recordId: '003A' }]
    ],
    [{ type: 'redial' }, 'redial', []],
    [{ type: 'endWrapEarly' }, 'endWrapEarly', []],
    [
        { type: 'updateWrapUp', patch: { notes: 'n' }, interactionId: 'i' },
        'updateWrapUp',
        [{ notes: 'n' }, 'i']
    ],
    [
        { type: 'submitWrapUp', form: { disposition: 'Resolved' }, interactionId: 'i' },
        'submitWrapUp',
        [{ disposition: 'Resolved' }, 'i']
    ],
    [{ type: 'chooseRecord', recordId: '003A', callId: 'c1' }, 'chooseRecord', ['003A', 'c1']],
    [
        { type: 'relateToRecord', record: { id: '500A', objectType: 'Case' }, callId: 'c1' },
        'relateToRecord',
        [{ id: '500A', objectType: 'Case' }, 'c1']
    ],
    [{ type: 'requestCallback', interactionId: 'i', requested: true }, 'requestCallback', ['i', true]],
    [{ type: 'setAudioDevices', devices: { input: 'm' } }, 'setAudioDevices', [{ input: 'm' }]],
    [{ type: 'retryCallLog', interactionId: 'i' }, 'retryCallLog', ['i', undefined]],
    [{ type: 'dismissCallLog', interactionId: 'i' }, 'dismissCallLog', ['i']],
    [{ type: 'clearError' }, 'clearError', []],
    [{ type: 'restartPhone' }, 'restartPhone', []]
];

describe('PhoneSession.send', () => {
    it.each(TABLE)('%j runs what %s runs', async (command, method, args) => {
        const world = new SimWorld();
        const session = world.open('A', { start: false }).session;
        const run = jest
            .spyOn(session as unknown as { run(c: PhoneCommand): Promise<SessionResult> }, 'run')
            .mockResolvedValue({ ok: true });
        await expect(session.send(command)).resolves.toEqual({ ok: true });
        await (session[method] as (...a: unknown[]) => Promise<SessionResult>)(...args);
        expect(run).toHaveBeenCalledTimes(2);
        expect(run.mock.calls[1][0]).toEqual(run.mock.calls[0][0]);
        expect(run.mock.calls[0][0]).toBe(command);
    });

    it('covers every command type of phone-core', () => {
        expect(new Set(TABLE.map(([command]) => command.type)).size).toBe(TABLE.length);
    });

    it('refuses an unknown command', async () => {
        const world = new SimWorld();
        const tab = world.open('A');
        await world.advance(100);
        await expect(tab.session.send({ type: 'selfDestruct' } as unknown as PhoneCommand)).resolves.toEqual({
            ok: false,
            error: 'invalid-argument',
            detail: 'unknown command selfDestruct'
        });
        await world.shutdown();
    });
});
