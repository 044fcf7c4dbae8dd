/**
 * The Apex types the phone's LWC receive and send, field for field as the `@AuraEnabled` members of the
 * package's classes serialise them (`null` where Apex leaves a member unset). Where phone-core already
 * defines the browser's side of a contract (RecordMatch, CallLogEntry, CallLogSendResult, SipCredentials),
 * these types are checked against it below, so the local org cannot drift from what the components expect.
 */
import type {
    CallLogEntry as CoreCallLogEntry,
    CallLogSendResult,
    RecordMatch
} from '../../../phone-core/src/index';

/** Apex serialises unset members as null. */
type Nullable<T> = { [K in keyof T]-?: T[K] | null };

/** AgentSessionService.IceServer */
export interface IceServer {
    urls: string[] | null;
    username: string | null;
    credential: string | null;
}

/** AgentSessionService.SipCredentials */
export interface SipCredentials {
    agentId: string | null;
    wssUrl: string | null;
    sipUri: string | null;
    authorizationUsername: string | null;
    authorizationPassword: string | null;
    displayName: string | null;
    /** Epoch milliseconds; 0 when the API gave none. */
    expiresAt: number;
    iceServers: IceServer[];
    extension: string | null;
}

/** AgentStatusService.AgentStatusView */
export interface AgentStatusView {
    status: string | null;
    pauseReasonId: string | null;
    since: number | null;
    wrapEndsAt: number | null;
    interactionId: string | null;
}

/** AgentStatusService.PauseReasonView */
export interface PauseReasonView {
    id: string;
    label: string;
    maxSeconds: number | null;
}

/** AgentStatusService.CampaignView */
export interface CampaignView {
    id: string;
    name: string | null;
    mode: string | null;
    active: boolean;
    wrapSeconds: number;
}

/** CallerMatch (phone-core's RecordMatch with Apex's nulls). */
export interface CallerMatch {
    id: string;
    objectType: RecordMatch['objectType'];
    name: string | null;
    subtitle: string | null;
    lastActivityAt: string | null;
    ownerIsCurrentUser: boolean;
    matchedField: string | null;
    caseNumber: string | null;
    isClosed: boolean | null;
    accountId: string | null;
    contactId: string | null;
    /** Custom (F20): the object's API name. */
    objectApiName?: string | null;
}

/** CallLogEntry: what the phone's outbox sends (phone-core's CallLogEntry; any member may be missing). */
export type CallLogEntry = Partial<
    Nullable<Pick<CoreCallLogEntry, Extract<keyof CoreCallLogEntry, ApexCallLogField>>>
>;

/** The members of the Apex CallLogEntry (every other member of phone-core's is ignored by Apex). */
type ApexCallLogField =
    | 'interactionId'
    | 'direction'
    | 'fromNumber'
    | 'toNumber'
    | 'extension'
    | 'displayName'
    | 'startedAt'
    | 'answeredAt'
    | 'endedAt'
    | 'durationSeconds'
    | 'outcome'
    | 'disposition'
    | 'notes'
    | 'recordingUrl'
    | 'whoId'
    | 'whatId'
    | 'campaign'
    | 'queue'
    | 'ivrCode'
    | 'callbackRequested'
    | 'agentUserId'
    | 'sipCallId'
    | 'mosLowest'
    | 'mosAverage'
    | 'packetLossMaxPct'
    | 'jitterMaxMs'
    | 'recordingConsent'
    | 'recordingPausedSeconds'
    | 'recordingAudit';

/** CallLogResult */
export interface CallLogResult {
    interactionId: string | null;
    status: 'saved' | 'rejected';
    taskId: string | null;
    retryable: boolean | null;
    message: string | null;
    retryAfterMs: number | null;
    /** CallLogResult.code: `interaction-not-issued` (issue 11 finding 3), else absent. */
    code?: string | null;
}

/** RecordCreationService.NewRecordRequest */
export interface NewRecordRequest {
    objectType?: string | null;
    phone?: string | null;
    phoneField?: string | null;
    firstName?: string | null;
    lastName?: string | null;
    company?: string | null;
    subject?: string | null;
    description?: string | null;
    accountId?: string | null;
    contactId?: string | null;
}

/** PhoneSettingsService.PhoneSettings */
export interface PhoneSettings {
    defaultCountry: string;
    defaultAreaCode: string;
    phoneEnabled: boolean;
    keyIndexEnabled: boolean;
    autoCreateCase: boolean;
    callWaiting: boolean;
    defaultWrapSeconds: number;
    personAccountsEnabled: boolean;
    countryCallingCode: string;
    trunkPrefix: string;
    internationalPrefix: string;
    orgId: string;
    callerCardFields: Record<string, string[]>;
    callerCardUrlTemplate: string;
    dispositions: Array<{ label: string; value: string }>;
    /** PhoneSettingsService.PhoneSettings.screenPopOrder */
    screenPopOrder: string[];
    /** PhoneSettingsService.PhoneSettings.notificationTemplate */
    notificationTemplate: string;
    /** PhoneSettingsService.PhoneSettings.customObject (F20) */
    customObject: { apiName: string; phoneField: string } | null;
    /** Not in Apex: the workbench's own flag, so the phone accepts its Kamailio's ws:// (orgSettings.ts). */
    workbench: true;
    /** PhoneSettingsService.PhoneSettings.sensitivePages (F21) */
    sensitivePages: string[];
}

// Compile-time checks against phone-core: a CallerMatch without its nulls is a RecordMatch, a saved or
// rejected CallLogResult carries what CallLogSendResult needs, and every Apex CallLogEntry member exists in
// phone-core's CallLogEntry (the Pick above would fail otherwise).
type WithoutNulls<T> = { [K in keyof T]: Exclude<T[K], null> };
type Assert<T extends true> = T;
export type CallerMatchIsRecordMatch = Assert<WithoutNulls<CallerMatch> extends RecordMatch ? true : false>;
export type CallLogStatusMatches = Assert<
    CallLogResult['status'] extends CallLogSendResult['status'] ? true : false
>;
export type ApexEntryFieldsExist = Assert<ApexCallLogField extends keyof CoreCallLogEntry ? true : false>;
