/**
 * Omni-Channel presence kept in step with the phone status (F23), for agents who also work chats and cases.
 * Pure: the host feeds in status changes of both sides and carries out the actions returned (in Salesforce
 * through the Aura bridge `omniPresenceBridge`, which owns `lightning:omniToolkitAPI`; in the workbench a
 * fake Omni).
 *
 * The admin's mapping (per profile, `Omni_Presence_Map__mdt`) pairs phone statuses with Omni presence statuses
 * (by API name) and names the master:
 *
 * - master `phone`: every phone status change sets the mapped Omni status; an Omni change made by hand is not
 *   copied to the phone (the next phone change overrides it).
 * - master `omni`: every Omni change sets the mapped phone status; the phone's own Ready / Not ready / Pause
 *   changes are not copied to Omni. A change that arrives while the phone rings, is on a call or in wrap-up is
 *   held and applied once the phone is out of it: after-call work is never cut short (WRAP respected).
 * - `busyBlocksOmni` (either master): while the phone rings, is on a call or in wrap-up, Omni is set to the
 *   admin's busy presence status (one that takes no work), and back to the status it had when the call
 *   ends, unless something newer says otherwise. A `Wrap` row in the mapping wins over the busy status in wrap-up.
 *
 * Loops cannot happen: each side's changes flow one way only, and an Omni change this module asked for is
 * recognised when it comes back.
 *
 * @packageDocumentation
 */
import { AgentStatus, type PauseReason } from '../agent-status';
import type { StatusRequest } from '../session/types';

/** Which side's changes the other follows. */
export type OmniMaster = 'phone' | 'omni';

/** Phone statuses a mapping row can name. */
export type MappedPhoneStatus = 'Ready' | 'NotReady' | 'Paused' | 'Wrap';

/** One row of the mapping. */
export interface OmniPresenceEntry {
    phoneStatus: MappedPhoneStatus;
    /** API name of the Omni-Channel presence status (ServicePresenceStatus.DeveloperName). */
    omniStatus: string;
    /** Paused: the contact centre's pause reason this row stands for. */
    pauseReasonId?: string;
}

/** The mapping in force for the agent (resolved for their profile by Apex). */
export interface OmniPresenceMapping {
    master: OmniMaster;
    entries: OmniPresenceEntry[];
    /** Ringing, on a call and wrap-up set Omni to {@link OmniPresenceMapping.busyOmniStatus}. */
    busyBlocksOmni: boolean;
    /** API name of the Omni status that takes no work (required when `busyBlocksOmni`). */
    busyOmniStatus?: string;
}

/** What the host should do. */
export type OmniSyncAction =
    { type: 'setOmniStatus'; omniStatus: string } | { type: 'setPhoneStatus'; request: StatusRequest };

const MAPPED: readonly MappedPhoneStatus[] = ['Ready', 'NotReady', 'Paused', 'Wrap'];
const API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;
const IN_CALL_WORK: readonly string[] = [AgentStatus.Ringing, AgentStatus.Busy, AgentStatus.Wrap];
const MAX_ENTRIES = 50;

/**
 * Reads a mapping from the host (Apex), dropping rows that are not well-formed. Null when nothing usable is
 * left: the phone then does not touch Omni at all.
 */
export function readOmniPresenceMapping(raw: unknown): OmniPresenceMapping | null {
    if (!raw || typeof raw !== 'object') return null;
    const data = raw as Record<string, unknown>;
    const master: OmniMaster = data.master === 'omni' ? 'omni' : 'phone';
    const rows = Array.isArray(data.entries) ? data.entries.slice(0, MAX_ENTRIES) : [];
    const entries: OmniPresenceEntry[] = [];
    for (const row of rows) {
        if (!row || typeof row !== 'object') continue;
        const { phoneStatus, omniStatus, pauseReasonId } = row as Record<string, unknown>;
        const status = MAPPED.find((candidate) => candidate === phoneStatus);
        if (!status || typeof omniStatus !== 'string' || !API_NAME.test(omniStatus)) continue;
        if (status === 'Paused' && (typeof pauseReasonId !== 'string' || !pauseReasonId)) continue;
        entries.push(
            status === 'Paused'
                ? { phoneStatus: status, omniStatus, pauseReasonId: pauseReasonId as string }
                : { phoneStatus: status, omniStatus }
        );
    }
    const busy =
        typeof data.busyOmniStatus === 'string' && API_NAME.test(data.busyOmniStatus)
            ? data.busyOmniStatus
            : undefined;
    const busyBlocksOmni = data.busyBlocksOmni === true && !!busy;
    if (entries.length === 0 && !busyBlocksOmni) return null;
    return busy
        ? { master, entries, busyBlocksOmni, busyOmniStatus: busy }
        : { master, entries, busyBlocksOmni };
}

/** The two sides' statuses kept in step by one mapping. Create one per phone session. */
export class OmniPresenceSync {
    private phone: AgentStatus | null = null;
    private omni: string | null = null;
    /** The Omni status this module set last and has not seen come back yet. */
    private expectedOmni: string | null = null;
    /** Omni's status before the call took it to busy (restored after). */
    private omniBeforeCall: string | null = null;
    /** Omni master: a phone status held until the call and its wrap-up are over. */
    private heldPhoneRequest: StatusRequest | null = null;

    constructor(private readonly mapping: OmniPresenceMapping) {}

    /** The Omni status as last reported or set ('' before anything is known). */
    get omniStatus(): string {
        return this.omni ?? '';
    }

    /** The phone status changed (every change, including Ringing, Busy and Wrap). */
    phoneChanged(status: AgentStatus, pauseReason?: PauseReason | null): OmniSyncAction[] {
        const previous = this.phone;
        this.phone = status;
        if (previous === status && status !== AgentStatus.Paused) return [];
        const inCallWork = IN_CALL_WORK.includes(status);
        const wasInCallWork = previous !== null && IN_CALL_WORK.includes(previous);
        const actions: OmniSyncAction[] = [];
        if (inCallWork) {
            if (!wasInCallWork) this.omniBeforeCall = this.omni;
            const target = this.callWorkOmniStatus(status);
            if (target) this.pushOmni(target, actions);
            return actions;
        }
        if (this.mapping.master === 'phone') {
            const target = this.omniFor(status, pauseReason?.id);
            if (target) this.pushOmni(target, actions);
        } else {
            if (wasInCallWork && this.omniBeforeCall && this.blocksDuringCalls()) {
                this.pushOmni(this.omniBeforeCall, actions);
            }
            if (this.heldPhoneRequest) {
                actions.push({ type: 'setPhoneStatus', request: this.heldPhoneRequest });
                this.heldPhoneRequest = null;
            }
        }
        if (!inCallWork) this.omniBeforeCall = null;
        return actions;
    }

    /** Omni reported a presence status (the agent, a supervisor, a push timeout, or our own change coming back). */
    omniChanged(omniStatus: string, pauseReasons: PauseReason[] = []): OmniSyncAction[] {
        this.omni = omniStatus;
        if (this.expectedOmni === omniStatus) {
            this.expectedOmni = null;
            return [];
        }
        this.expectedOmni = null;
        if (this.mapping.master !== 'omni') return [];
        const request = this.phoneRequestFor(omniStatus, pauseReasons);
        if (!request) return [];
        if (this.phone !== null && IN_CALL_WORK.includes(this.phone)) {
            // after-call work is the agent's: the change waits, and Omni is not taken off busy meanwhile
            this.heldPhoneRequest = request;
            this.omniBeforeCall = omniStatus;
            const busy = this.callWorkOmniStatus(this.phone);
            const actions: OmniSyncAction[] = [];
            if (busy) this.pushOmni(busy, actions);
            return actions;
        }
        if (this.phone === AgentStatus.Offline || this.phone === AgentStatus.Error) return [];
        return [{ type: 'setPhoneStatus', request }];
    }

    private blocksDuringCalls(): boolean {
        return this.mapping.busyBlocksOmni && !!this.mapping.busyOmniStatus;
    }

    private callWorkOmniStatus(status: AgentStatus): string | null {
        if (status === AgentStatus.Wrap) {
            const wrap = this.mapping.entries.find((entry) => entry.phoneStatus === 'Wrap')?.omniStatus;
            if (wrap) return wrap;
        }
        return this.blocksDuringCalls() ? (this.mapping.busyOmniStatus as string) : null;
    }

    private omniFor(status: AgentStatus, pauseReasonId?: string): string | null {
        const entries = this.mapping.entries;
        if (status === AgentStatus.Paused) {
            return (
                entries.find(
                    (entry) => entry.phoneStatus === 'Paused' && entry.pauseReasonId === pauseReasonId
                )?.omniStatus ?? null
            );
        }
        return entries.find((entry) => entry.phoneStatus === status)?.omniStatus ?? null;
    }

    private phoneRequestFor(omniStatus: string, pauseReasons: PauseReason[]): StatusRequest | null {
        const entry = this.mapping.entries.find(
            (candidate) => candidate.omniStatus === omniStatus && candidate.phoneStatus !== 'Wrap'
        );
        if (!entry) return null;
        if (entry.phoneStatus === 'Ready') return { status: 'Ready' };
        if (entry.phoneStatus === 'NotReady') return { status: 'NotReady' };
        const reason = pauseReasons.find((candidate) => candidate.id === entry.pauseReasonId);
        return reason ? { status: 'Paused', reason: { id: reason.id, label: reason.label } } : null;
    }

    private pushOmni(target: string, actions: OmniSyncAction[]): void {
        if (target === this.omni) return;
        this.omni = target;
        this.expectedOmni = target;
        actions.push({ type: 'setOmniStatus', omniStatus: target });
    }
}
