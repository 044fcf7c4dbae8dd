import { AgentStatus } from '../../src/agent-status';
import {
    OmniPresenceSync,
    readOmniPresenceMapping,
    type OmniPresenceMapping
} from '../../src/omni/omni-presence';

const LUNCH = { id: 'lunch', label: 'Lunch' };
const ENTRIES: OmniPresenceMapping['entries'] = [
    { phoneStatus: 'Ready', omniStatus: 'Available' },
    { phoneStatus: 'NotReady', omniStatus: 'Away' },
    { phoneStatus: 'Paused', omniStatus: 'Lunch_Break', pauseReasonId: 'lunch' }
];

function sync(overrides: Partial<OmniPresenceMapping> = {}): OmniPresenceSync {
    return new OmniPresenceSync({
        master: 'phone',
        entries: ENTRIES,
        busyBlocksOmni: true,
        busyOmniStatus: 'On_Phone',
        ...overrides
    });
}

describe('readOmniPresenceMapping: the mapping from Apex, read tolerantly', () => {
    it('keeps well-formed rows and drops the rest', () => {
        expect(
            readOmniPresenceMapping({
                master: 'omni',
                busyBlocksOmni: true,
                busyOmniStatus: 'On_Phone',
                entries: [
                    { phoneStatus: 'Ready', omniStatus: 'Available' },
                    { phoneStatus: 'Busy', omniStatus: 'Busy' },
                    { phoneStatus: 'NotReady', omniStatus: 'not an api name' },
                    { phoneStatus: 'Paused', omniStatus: 'Lunch_Break' },
                    { phoneStatus: 'Paused', omniStatus: 'Lunch_Break', pauseReasonId: 'lunch' },
                    null
                ]
            })
        ).toEqual({
            master: 'omni',
            busyBlocksOmni: true,
            busyOmniStatus: 'On_Phone',
            entries: [
                { phoneStatus: 'Ready', omniStatus: 'Available' },
                { phoneStatus: 'Paused', omniStatus: 'Lunch_Break', pauseReasonId: 'lunch' }
            ]
        });
    });

    it('is null when nothing usable is configured: the phone leaves Omni alone', () => {
        expect(readOmniPresenceMapping(null)).toBeNull();
        expect(readOmniPresenceMapping({ entries: [] })).toBeNull();
        expect(readOmniPresenceMapping({ entries: [], busyBlocksOmni: true })).toBeNull();
    });

    it('defaults the master to the phone and busy blocking off without a busy status', () => {
        expect(readOmniPresenceMapping({ master: 'x', busyBlocksOmni: true, entries: [ENTRIES[0]] })).toEqual(
            {
                master: 'phone',
                busyBlocksOmni: false,
                entries: [ENTRIES[0]]
            }
        );
    });
});

describe('OmniPresenceSync, phone master', () => {
    it('sets the mapped Omni status on every phone change, pause reasons included', () => {
        const presence = sync();
        expect(presence.phoneChanged(AgentStatus.Ready)).toEqual([
            { type: 'setOmniStatus', omniStatus: 'Available' }
        ]);
        expect(presence.phoneChanged(AgentStatus.NotReady)).toEqual([
            { type: 'setOmniStatus', omniStatus: 'Away' }
        ]);
        expect(presence.phoneChanged(AgentStatus.Paused, LUNCH)).toEqual([
            { type: 'setOmniStatus', omniStatus: 'Lunch_Break' }
        ]);
        expect(presence.omniStatus).toBe('Lunch_Break');
    });

    it('blocks Omni work while ringing, on the call and in wrap-up, then follows the phone again', () => {
        const presence = sync();
        presence.phoneChanged(AgentStatus.Ready);
        expect(presence.phoneChanged(AgentStatus.Ringing)).toEqual([
            { type: 'setOmniStatus', omniStatus: 'On_Phone' }
        ]);
        expect(presence.phoneChanged(AgentStatus.Busy)).toEqual([]);
        expect(presence.phoneChanged(AgentStatus.Wrap)).toEqual([]);
        expect(presence.phoneChanged(AgentStatus.Ready)).toEqual([
            { type: 'setOmniStatus', omniStatus: 'Available' }
        ]);
    });

    it('leaves Omni alone during calls when the admin did not ask for blocking', () => {
        const presence = sync({ busyBlocksOmni: false });
        presence.phoneChanged(AgentStatus.Ready);
        expect(presence.phoneChanged(AgentStatus.Busy)).toEqual([]);
        expect(presence.phoneChanged(AgentStatus.Wrap)).toEqual([]);
    });

    it('uses a Wrap row in wrap-up rather than the busy status', () => {
        const presence = sync({
            entries: [...ENTRIES, { phoneStatus: 'Wrap', omniStatus: 'After_Call_Work' }]
        });
        presence.phoneChanged(AgentStatus.Busy);
        expect(presence.phoneChanged(AgentStatus.Wrap)).toEqual([
            { type: 'setOmniStatus', omniStatus: 'After_Call_Work' }
        ]);
    });

    it('does not copy Omni changes to the phone and ignores its own change coming back', () => {
        const presence = sync();
        presence.phoneChanged(AgentStatus.Ready);
        expect(presence.omniChanged('Available')).toEqual([]);
        expect(presence.omniChanged('Away')).toEqual([]);
        expect(presence.omniStatus).toBe('Away');
        expect(presence.phoneChanged(AgentStatus.NotReady)).toEqual([]); // Omni is already Away
    });
});

describe('OmniPresenceSync, Omni master', () => {
    it('sets the mapped phone status on every Omni change', () => {
        const presence = sync({ master: 'omni' });
        presence.phoneChanged(AgentStatus.NotReady);
        expect(presence.omniChanged('Available')).toEqual([
            { type: 'setPhoneStatus', request: { status: 'Ready' } }
        ]);
        expect(presence.omniChanged('Lunch_Break', [LUNCH])).toEqual([
            { type: 'setPhoneStatus', request: { status: 'Paused', reason: LUNCH } }
        ]);
        expect(presence.omniChanged('Lunch_Break', [])).toEqual([]); // the contact centre lost that reason
        expect(presence.omniChanged('Some_Other_Status')).toEqual([]);
    });

    it("does not copy the phone's own menu changes to Omni", () => {
        const presence = sync({ master: 'omni' });
        presence.omniChanged('Available');
        expect(presence.phoneChanged(AgentStatus.Ready)).toEqual([]);
        expect(presence.phoneChanged(AgentStatus.NotReady)).toEqual([]);
    });

    it('blocks Omni during the call and restores the status it had afterwards', () => {
        const presence = sync({ master: 'omni' });
        presence.omniChanged('Available');
        presence.phoneChanged(AgentStatus.Ready);
        expect(presence.phoneChanged(AgentStatus.Ringing)).toEqual([
            { type: 'setOmniStatus', omniStatus: 'On_Phone' }
        ]);
        expect(presence.omniChanged('On_Phone')).toEqual([]); // our own change
        presence.phoneChanged(AgentStatus.Busy);
        presence.phoneChanged(AgentStatus.Wrap);
        expect(presence.phoneChanged(AgentStatus.Ready)).toEqual([
            { type: 'setOmniStatus', omniStatus: 'Available' }
        ]);
    });

    it('respects WRAP: an Omni change during wrap-up waits until the wrap-up is over', () => {
        const presence = sync({ master: 'omni' });
        presence.omniChanged('Available');
        presence.phoneChanged(AgentStatus.Ready);
        presence.phoneChanged(AgentStatus.Busy);
        presence.phoneChanged(AgentStatus.Wrap);
        // a supervisor sets Away during the wrap-up: the phone is not told yet, Omni stays blocked
        expect(presence.omniChanged('Away')).toEqual([{ type: 'setOmniStatus', omniStatus: 'On_Phone' }]);
        expect(presence.phoneChanged(AgentStatus.Ready)).toEqual([
            { type: 'setOmniStatus', omniStatus: 'Away' },
            { type: 'setPhoneStatus', request: { status: 'NotReady' } }
        ]);
    });

    it('holds Omni changes during the call even without blocking, and never wakes an offline phone', () => {
        const presence = sync({ master: 'omni', busyBlocksOmni: false });
        presence.phoneChanged(AgentStatus.Wrap);
        expect(presence.omniChanged('Away')).toEqual([]);
        expect(presence.phoneChanged(AgentStatus.Ready)).toEqual([
            { type: 'setPhoneStatus', request: { status: 'NotReady' } }
        ]);
        presence.phoneChanged(AgentStatus.Offline);
        expect(presence.omniChanged('Available')).toEqual([]);
    });
});
