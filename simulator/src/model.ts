/**
 * The simulator's data model: what the store keeps and the ACD works on. Times are epoch
 * milliseconds here; `api/mappers.ts` turns them into the API's RFC 3339 strings.
 */

/** The contact-centre environment a tenant is. */
export type Environment = 'test' | 'production';

/** The contact centre's options for the Salesforce integration (A4). */
export interface IntegrationSettings {
    active: boolean;
    /** Calls nobody took are logged against this agent. */
    defaultAgentId: string | null;
    /** Campaign for calls that arrive without one. */
    outsideCampaignId: string | null;
    /** Also push calls of agents on hard phones / other softphones. */
    logNonWebPhoneCalls: boolean;
    autoCreateCase: boolean;
    ivrCaseLookup: boolean;
    personAccounts: boolean;
    syncCampaignIds: string[];
}

/** A tenant (one contact-centre domain) with its API key. */
export interface Tenant {
    id: string;
    name: string;
    environment: Environment;
    apiKey: string;
    adminLogins: string[];
    adminUrl: string;
    settings: IntegrationSettings;
    createdAt: number;
}

/** What an agent usually answers calls with. */
export type PhoneType = 'webphone' | 'softphone' | 'hardphone';

/** One line (device or number) of an agent. */
export interface AgentLine {
    id: string;
    label: string;
    number: string;
    kind: 'webrtc' | 'sip-phone' | 'mobile';
}

/** A contact-centre user. */
export interface Agent {
    id: string;
    tenantId: string;
    email: string;
    firstName: string;
    lastName: string;
    login: string;
    ssoId: string | null;
    salesforceUserId: string | null;
    pbxUser: boolean;
    active: boolean;
    phoneType: PhoneType;
    extension: string | null;
    lines: AgentLine[];
    outboundNumber: string | null;
    presentation: string | null;
    createdAt: number;
    updatedAt: number;
}

/** How a campaign dials. */
export type CampaignMode = 'manual-phone' | 'preview' | 'progressive' | 'predictive' | 'inbound';

/** A campaign. */
export interface Campaign {
    id: string;
    tenantId: string;
    name: string;
    mode: CampaignMode;
    active: boolean;
    wrapSeconds: number;
    queueIds: string[];
    outboundPresentationNumber: string | null;
    /**
     * True: a caller who asks the IVR for a callback, or hangs up in the queue, gets a queued callback the
     * contact centre places itself when an agent is Ready (`acd/callback-queue.ts`); false or absent: the
     * callback is only written to Salesforce for agents to call back (I3).
     */
    queuedCallbacks?: boolean;
}

/** A queue of calls and the agents that serve it. */
export interface Queue {
    id: string;
    tenantId: string;
    name: string;
    campaignId: string | null;
    memberAgentIds: string[];
    /** Null: the simulator's default ring timeout. */
    ringTimeoutSeconds: number | null;
    /** Null: the simulator's default maximum wait. */
    maxWaitSeconds: number | null;
}

/** A reason an agent can pause for. */
export interface PauseReason {
    tenantId: string;
    id: string;
    name: string;
    maxSeconds: number | null;
}

/** The tenant's licence of the Salesforce integration. */
export interface Licence {
    tenantId: string;
    product: string;
    seatsBought: number;
    validUntil: string | null;
}

/** A seat held by an agent. */
export interface LicenceAssignment {
    tenantId: string;
    agentId: string;
    assignedAt: number;
}

export type CallDirection = 'inbound' | 'outbound';
export type CallState = 'ivr' | 'queued' | 'ringing' | 'connected' | 'ended';
export type CallOutcome = 'answered' | 'missed' | 'busy' | 'rejected' | 'failed' | 'abandoned';
export type HangupBy = 'caller' | 'agent' | 'callee' | 'system';
export type OfferResult = 'answered' | 'rejected' | 'timeout' | 'cancelled' | 'failed';

/** Data the IVR / voicebot collected. */
export interface IvrData {
    digits: string | null;
    caseCode: string | null;
    voicebotAnswers: { question: string; answer: string }[];
    data: Record<string, string>;
}

/** One time a call rang at an agent. */
export interface CallOffer {
    agentId: string;
    ringingAt: number;
    endedAt: number | null;
    result: OfferResult | null;
}

/**
 * One agent's part of a call (`CallLeg`): Salesforce logs one Task per leg. `sipCallId` is the Call-ID of the
 * INVITE to (or from) the agent's phone, which meets a log the phone wrote under a generated interaction id.
 */
export interface CallLegData {
    agentId: string;
    agentEmail: string | null;
    sipCallId: string | null;
    answeredAt: number;
    endedAt: number | null;
    /** Reached by a transfer: it ends on its own BYE, not with the call's first leg. */
    viaTransfer?: boolean;
}

/** What a call placed for a queued callback relates to (the contract's `CallbackLink`). */
export interface CallbackLink {
    callbackId: string;
    /** The interaction the caller asked for the callback in (or hung up in), when known. */
    originalInteractionId: string | null;
    /** The Salesforce record the callback relates to (a Contact, Account, Lead or Case id), when known. */
    relatedRecordId: string | null;
    /** The Salesforce callback Task, when known. */
    callbackTaskId: string | null;
    /** The attempt this call is (1 for the first). */
    attempt: number;
}

/** A call and everything known about it. */
export interface CallRecordData {
    interactionId: string;
    tenantId: string;
    version: number;
    direction: CallDirection;
    state: CallState;
    callerNumber: string | null;
    callerName: string | null;
    calleeNumber: string | null;
    agentId: string | null;
    agentEmail: string | null;
    agentPhoneType: PhoneType | null;
    ownerAgentId: string | null;
    ownerEmail: string | null;
    campaignId: string | null;
    campaignName: string | null;
    queueId: string | null;
    queueName: string | null;
    offeredAt: number;
    answeredAt: number | null;
    endedAt: number | null;
    wrapSeconds: number | null;
    outcome: CallOutcome | null;
    hangupBy: HangupBy | null;
    ivr: IvrData;
    offers: CallOffer[];
    /** Every agent who handled the call, in order (records stored before legs existed have none). */
    legs?: CallLegData[];
    /** A call the contact centre placed for a queued callback: what it relates to (absent otherwise). */
    callback?: CallbackLink | null;
    /** An unanswered inbound call that became a queued callback: the callback's id (absent otherwise). */
    queuedCallbackId?: string | null;
    recordingId: string | null;
    updatedAt: number;
}

/** Media types of recordings (the OpenAPI document's `Recording.contentType`). */
export type RecordingContentType = 'audio/wav' | 'audio/webm' | 'audio/ogg';

/**
 * Where a recording's audio comes from: `customer-leg` is the call's real audio, recorded in the
 * customer's browser and uploaded at the hang-up; `synthetic` is the placeholder the ACD writes when
 * there is none (DTMF tones, see `recording/wav.ts`).
 */
export type RecordingSource = 'customer-leg' | 'synthetic';

/** A recording file of an answered call. */
export interface Recording {
    id: string;
    tenantId: string;
    interactionId: string;
    /** File name relative to the data dir's recordings folder. */
    file: string;
    contentType: RecordingContentType;
    durationMs: number;
    sizeBytes: number;
    createdAt: number;
    /** Absent in data dirs written before customer-leg recordings: synthetic. */
    source?: RecordingSource;
}

/** A stored response for an Idempotency-Key. */
export interface IdempotencyEntry {
    tenantId: string;
    operationId: string;
    key: string;
    requestHash: string;
    status: number;
    headers: Record<string, string>;
    body: unknown;
    createdAt: number;
}

/** Why an agent is not (fully) configured for the integration. */
export type ConfigurationProblemCode = 'not-pbx-user' | 'no-outbound-number' | 'no-presentation' | 'inactive';

const PROBLEM_MESSAGES: Record<ConfigurationProblemCode, string> = {
    'not-pbx-user': 'The user is not a PBX user.',
    'no-outbound-number': 'The user has no outbound number.',
    'no-presentation': 'The user has no caller ID presentation.',
    inactive: 'The user is not active.'
};

/** The configuration problems of an agent (empty when fine), in a stable order. */
export function configurationProblems(agent: Agent): { code: ConfigurationProblemCode; message: string }[] {
    const codes: ConfigurationProblemCode[] = [];
    if (!agent.pbxUser) codes.push('not-pbx-user');
    if (!agent.outboundNumber) codes.push('no-outbound-number');
    if (!agent.presentation) codes.push('no-presentation');
    if (!agent.active) codes.push('inactive');
    return codes.map((code) => ({ code, message: PROBLEM_MESSAGES[code] }));
}

/** Problems that stop an agent from working at all (inbound needs neither number nor presentation). */
export function blockingProblems(agent: Agent): ConfigurationProblemCode[] {
    return configurationProblems(agent)
        .map((problem) => problem.code)
        .filter((code) => code === 'not-pbx-user' || code === 'inactive');
}

/**
 * A new call record: what varies per kind of call (direction, state, parties, campaign and queue, IVR data), every
 * other member empty (version 1, nothing answered or ended yet).
 */
export function newCallRecord(
    init: Pick<
        CallRecordData,
        | 'interactionId'
        | 'tenantId'
        | 'direction'
        | 'state'
        | 'callerNumber'
        | 'callerName'
        | 'calleeNumber'
        | 'offeredAt'
    > &
        Partial<CallRecordData>
): CallRecordData {
    return {
        version: 1,
        agentId: null,
        agentEmail: null,
        agentPhoneType: null,
        ownerAgentId: null,
        ownerEmail: null,
        campaignId: null,
        campaignName: null,
        queueId: null,
        queueName: null,
        answeredAt: null,
        endedAt: null,
        wrapSeconds: null,
        outcome: null,
        hangupBy: null,
        ivr: { digits: null, caseCode: null, voicebotAnswers: [], data: {} },
        offers: [],
        legs: [],
        recordingId: null,
        updatedAt: init.offeredAt,
        ...init
    };
}
