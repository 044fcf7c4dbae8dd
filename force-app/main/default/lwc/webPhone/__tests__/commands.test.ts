import type { PhoneApi, PhoneCommand } from 'webphone-core';
import { runCommand } from '../commands';

/** Every PhoneCommand and the PhoneApi call it must become. */
const TABLE: Array<[PhoneCommand, keyof PhoneApi, unknown[]]> = [
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

function fakeApi(): PhoneApi & Record<string, jest.Mock> {
    return new Proxy({} as Record<string, jest.Mock>, {
        get(target, property: string) {
            target[property] ??= jest.fn().mockResolvedValue({ ok: true });
            return target[property];
        }
    }) as PhoneApi & Record<string, jest.Mock>;
}

describe('webPhone runCommand', () => {
    it.each(TABLE)('%j calls %s', async (command, method, args) => {
        const api = fakeApi();
        await expect(runCommand(api, command)).resolves.toEqual({ ok: true });
        expect(api[method]).toHaveBeenCalledWith(...args);
    });

    it('covers every command type of phone-core', () => {
        expect(new Set(TABLE.map(([command]) => command.type)).size).toBe(TABLE.length);
    });

    it('refuses an unknown command without calling the session', async () => {
        const api = fakeApi();
        await expect(runCommand(api, { type: 'selfDestruct' } as unknown as PhoneCommand)).resolves.toEqual({
            ok: false,
            error: 'invalid-argument',
            detail: 'unknown command selfDestruct'
        });
    });
});
