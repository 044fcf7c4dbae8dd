/**
 * What the Voice connector needs from its host page: the contact centre, reached the way the host can
 * reach it without ever holding the tenant's API key (Salesforce: Apex behind a Named Credential; the
 * workbench: the local org's ports). The connector itself only speaks SIP (through phone-core) and the
 * base library's message protocol.
 *
 * Optional members are capabilities: a contact centre without recording control leaves
 * `setRecordingPaused` out and the connector reports RECORD as not supported (never faked).
 */
import type { AgentStatusChange, SipSessionInfo } from '../../phone-core/src/index';

/** A transfer target from the contact centre's directory: an agent or a queue. */
export interface TransferTarget {
    /** Stable id in the contact centre (agent id, queue id). */
    id: string;
    kind: 'agent' | 'queue';
    /** Display name. */
    name: string;
    /** What to dial or REFER to: a number, a SIP user or a SIP URI. */
    target: string;
    /** Agents: whether the contact centre would route a call to them now. */
    available?: boolean;
}

/** A recording link the contact centre signed for playback. */
export interface SignedRecording {
    url: string;
    /** Length in seconds, when known. */
    durationSeconds?: number;
}

/** The host's ports; every method may reject (the connector turns rejections into base-library errors). */
export interface VoiceContactCentre {
    /** Short-lived SIP credentials (wss URL, SIP URI, auth, ICE servers, expiry) and the pause reasons. */
    getSipSession(): Promise<SipSessionInfo>;
    /** One agent status change, in order (phone-core's AgentStatusMachine publishes through it). */
    publishAgentStatus(change: AgentStatusChange): Promise<void>;
    /** The directory of agents and queues (transfer and consultation targets). */
    listTransferTargets(): Promise<TransferTarget[]>;
    /** True when the directory's agents carry `available` (advertised as VENDOR_PROVIDED_AVAILABILITY). */
    readonly agentAvailability?: boolean;
    /** A playable, signed URL of the call's recording (`vendorCallKey` = the interaction id). */
    getSignedRecording?(vendorCallKey: string): Promise<SignedRecording>;
    /** Pause or resume the contact centre's recording of the interaction. */
    setRecordingPaused?(interactionId: string, paused: boolean): Promise<void>;
}
