/**
 * Omni-Channel presence -> Ready / NotReady / Paused (pause reasons) / Wrap, through SET_AGENT_STATUS and
 * WRAP_UP_CALL, and the pure mapping rules.
 */
import { Constants } from '@salesforce/scv-connector-base';
import { parseStatusMap, presenceTarget } from '../src/presence';
import { advance, connected, loggedInRig } from './harness';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

const REASONS = [
    { id: 'brk', label: 'Break' },
    { id: 'trn', label: 'Training' }
];

describe('presenceTarget', () => {
    it.each([
        ['Online', { statusApiName: 'Available_For_Voice' }, { status: 'Ready' }],
        ['Offline', { statusApiName: 'Busy_Other_Work' }, { status: 'NotReady' }],
        ['Offline', { statusApiName: 'Break' }, { status: 'Paused', reason: REASONS[0] }],
        [
            'Offline',
            { statusApiName: 'Coffee', statusName: 'training' },
            { status: 'Paused', reason: REASONS[1] }
        ],
        ['AfterCallWork', {}, { status: 'Wrap' }]
    ])('%s %j -> %j', (agentStatus, info, expected) => {
        expect(presenceTarget(agentStatus, info, REASONS)).toEqual(expected);
    });

    it('an admin mapping wins over the defaults', () => {
        const map = parseStatusMap('{"Lunch":"Pause:brk","Online_Backoffice":"NotReady","Done":"Ready"}');
        expect(presenceTarget('Offline', { statusApiName: 'Lunch' }, REASONS, map)).toEqual({
            status: 'Paused',
            reason: REASONS[0]
        });
        expect(presenceTarget('Online', { statusApiName: 'Online_Backoffice' }, REASONS, map)).toEqual({
            status: 'NotReady'
        });
    });

    it.each([
        ['[]', 'must be a JSON object'],
        ['{"A":"Sleep"}', 'expected Ready, NotReady, Wrap or Pause'],
        ['{"A":3}', 'expected Ready']
    ])('refuses the mapping %s with a clear message', (text, message) => {
        expect(() => parseStatusMap(text)).toThrow(message);
    });

    it('a mapping to an unknown pause reason names it', () => {
        const map = parseStatusMap('{"Lunch":"Pause:lunch"}');
        expect(() => presenceTarget('Offline', { statusApiName: 'Lunch' }, REASONS, map)).toThrow(
            'no pause reason lunch'
        );
    });
});

describe('SET_AGENT_STATUS', () => {
    it('Online -> Ready, a pause presence -> Paused with its reason, another -> NotReady', async () => {
        const rig = await loggedInRig();
        await rig.request('SET_AGENT_STATUS', {
            agentStatus: Constants.AGENT_STATUS.ONLINE,
            statusInfo: { statusId: '0N5xx1', statusApiName: 'Available', statusName: 'Available' }
        });
        await rig.request('SET_AGENT_STATUS', {
            agentStatus: Constants.AGENT_STATUS.OFFLINE,
            statusInfo: { statusId: '0N5xx2', statusApiName: 'Break', statusName: 'Break' }
        });
        await rig.request('SET_AGENT_STATUS', {
            agentStatus: Constants.AGENT_STATUS.OFFLINE,
            statusInfo: { statusId: '0N5xx3', statusApiName: 'Email_Only', statusName: 'Email only' }
        });
        expect(rig.statuses()).toEqual(['NotReady', 'Ready', 'Paused:brk', 'NotReady']);
        expect(rig.softphone.events('SET_AGENT_STATUS_RESULT')).toEqual([
            { success: true },
            { success: true },
            { success: true }
        ]);
        await rig.connector.logout();
    });

    it('AfterCallWork without a call is refused: INVALID_AGENT_STATUS and success false', async () => {
        const rig = await loggedInRig();
        await rig.request('SET_AGENT_STATUS', {
            agentStatus: Constants.AGENT_STATUS.ACW,
            statusInfo: { statusId: '0N5xx4', statusApiName: 'ACW' }
        });
        expect(rig.softphone.events('SET_AGENT_STATUS_RESULT')).toEqual([{ success: false }]);
        expect(rig.softphone.errors()).toEqual(['INVALID_AGENT_STATUS']);
        expect(rig.statuses()).toEqual(['NotReady']);
        await rig.connector.logout();
    });

    it('during a call a presence change becomes the status after the call; WRAP_UP_CALL ends the wrap', async () => {
        const rig = await loggedInRig();
        await rig.request('SET_AGENT_STATUS', {
            agentStatus: 'Online',
            statusInfo: { statusApiName: 'Available' }
        });
        const fake = await connected(rig, 'int-7', ['X-CC-Wrap-Seconds: 60']);
        await rig.request('SET_AGENT_STATUS', {
            agentStatus: 'Offline',
            statusInfo: { statusApiName: 'Training' }
        });
        expect(rig.statuses()).toEqual(['NotReady', 'Ready', 'Ringing', 'Busy']);
        rig.sip.server.sendBye(fake.callId);
        await advance(rig);
        expect(rig.statuses().at(-1)).toBe('Wrap');
        expect(rig.softphone.events('AFTER_CALL_WORK_STARTED')).toEqual([{ callId: 'int-7' }]);
        await rig.request('WRAP_UP_CALL', { call: { callId: 'int-7' } });
        expect(rig.statuses().at(-1)).toBe('Paused:trn');
        expect(rig.softphone.events('WRAP_UP_ENDED')).toEqual([{ callId: 'int-7' }]);
        await rig.connector.logout();
    });

    it('the wrap ends by itself at the campaign deadline', async () => {
        const rig = await loggedInRig();
        await rig.request('SET_AGENT_STATUS', {
            agentStatus: 'Online',
            statusInfo: { statusApiName: 'Available' }
        });
        const fake = await connected(rig, 'int-8', ['X-CC-Wrap-Seconds: 30']);
        rig.sip.server.sendBye(fake.callId);
        await advance(rig);
        expect(rig.statuses().at(-1)).toBe('Wrap');
        await advance(rig, 8000);
        expect(rig.statuses().at(-1)).toBe('Ready');
        expect(rig.softphone.events('WRAP_UP_ENDED')).toEqual([{ callId: 'int-8' }]);
        await rig.connector.logout();
    });
});
