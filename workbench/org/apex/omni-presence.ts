/**
 * OmniPresenceController.getMapping for the workbench (F23): what OmniPresenceMappingService returns for one
 * profile's Omni_Presence_Map__mdt records. The workbench has one agent and no custom metadata, so the mapping
 * is this fixed sample: the phone is the master, calls block Omni work (status On_Phone), wrap-up too. The
 * status ids belong to the fake Omni of the workbench (wb/fakeOmni), which plays the Aura bridge.
 */
import type { ApexContext } from './context';

export interface OmniPresenceMapping {
    master: 'phone' | 'omni';
    busyBlocksOmni: boolean;
    busyOmniStatus?: string;
    entries: Array<{ phoneStatus: string; omniStatus: string; pauseReasonId?: string }>;
    statusIds: Record<string, string>;
}

/** The fake Omni's presence statuses: API name -> id (ServicePresenceStatus key prefix 0N5). */
export const FAKE_OMNI_STATUSES: Readonly<Record<string, string>> = Object.freeze({
    Available: '0N5000000000001AAA',
    Away: '0N5000000000002AAA',
    On_Phone: '0N5000000000003AAA'
});

/** OmniPresenceController.getMapping */
export function getOmniPresenceMapping(_context: ApexContext): OmniPresenceMapping {
    return {
        master: 'phone',
        busyBlocksOmni: true,
        busyOmniStatus: 'On_Phone',
        entries: [
            { phoneStatus: 'Ready', omniStatus: 'Available' },
            { phoneStatus: 'NotReady', omniStatus: 'Away' },
            { phoneStatus: 'Paused', omniStatus: 'Away', pauseReasonId: 'lunch' }
        ],
        statusIds: { ...FAKE_OMNI_STATUSES }
    };
}
