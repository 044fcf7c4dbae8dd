/**
 * Types of the phone session: the one object the UI (LWC utility item, workbench) binds to.
 *
 * - {@link HostPorts}: what the host implements (Apex calls in Salesforce, the simulator in the workbench).
 * - {@link PhoneSettings}: the org's and user's phone settings.
 * - {@link PhoneViewState}: the plain, JSON-serialisable, versioned picture of the phone that every tab renders
 *   (the leader tab builds it; follower tabs receive a copy over BroadcastChannel).
 * - {@link PhoneCommand}: everything the UI can ask; follower tabs forward them to the leader unchanged.
 * - {@link PhoneSessionEvents}: `stateChanged`, `screenPop`, `callEvent`, `notification` (emitted in every tab).
 *
 * Text rules: the core never produces English for the agent. Errors and warnings are codes
 * ({@link PhoneErrorCode}, {@link PhoneWarning}); the UI maps them to Custom Labels. Names, numbers and call
 * data are caller-controlled text: render them as text, never as HTML.
 *
 * @packageDocumentation
 */
import type { TransferFailureReason } from '../call/transfer-failure';
import type {
    AgentStatus,
    AgentStatusChange,
    AgentStatusSyncState,
    NextStatus,
    PauseReason
} from '../agent-status';
import type { CallRole, CallState } from '../call/call-machine';
import type {
    CallLogEntry,
    CallLogOutcome,
    CallLogSendResult,
    KeyValueStorage
} from '../outbox/call-log-outbox';
import type { PhoneNumberKind } from '../phone-number';
import type { RecordMatch, ScreenPopDecision, ScreenPopRules } from '../screen-pop/screen-pop';
import type { SipCredentials } from '../sip/credentials';
import type { AudioDevices, MediaPort, MicrophoneProblem } from '../sip/media';
import type { NetworkEvents } from '../sip/network';
import type { QualityLevel } from '../sip/call-quality';
import type {
    ConsentState,
    RecordingPauseReason,
    RecordingInput,
    RecordingMode,
    RecordingRequest
} from '../recording/recording-control';
import type { RegistrationState } from '../sip/registration';
import type { SipPhoneOptions, UserAgentFactory } from '../sip/sip-phone';
import type { ConnectionState } from '../sip/types';
import type {
    BroadcastChannelFactory,
    LockManagerPort,
    PageLifecyclePort,
    WindowKind
} from '../tabs/tab-election';
import type { Clock } from '../util/clock';
import type { PhoneErrorCode, PhoneErrorView, PhoneWarning } from './phone-errors';

/** Version of {@link PhoneViewState}; bumped on any incompatible change of its shape. */
export const PHONE_VIEW_STATE_VERSION = 1;

// =============================================================================================================
// Host ports
// =============================================================================================================

/** A contact-centre campaign as far as the phone needs it (its wrap time, F2). */
export interface CampaignInfo {
    id: string;
    name?: string;
    /** After-call work in seconds (0..3600). */
    wrapSeconds: number;
}

/**
 * What {@link HostPorts.getSipSession} returns: short-lived SIP credentials (see {@link SipCredentials}) plus
 * the agent's campaigns (wrap times) and pause reasons, which come from the same contact-centre call.
 */
export interface SipSessionInfo extends SipCredentials {
    campaigns?: CampaignInfo[];
    pauseReasons?: PauseReason[];
}

/**
 * Why {@link HostPorts.getSipSession} failed, when the host says so (issue 11, finding 6; FAULT-CASES 16).
 * The host rejects with it, or with an error whose message (or, from Apex through LWC, `body.message`: the
 * AuraHandledException's message) is this as JSON; `parseSipSessionFailure` reads every such form and
 * returns null for anything else (then the failure counts as transient, as before).
 * - `retryable: false` (wrong API key, no seat, unknown agent...): the phone stops asking until the agent
 *   or admin acts (`restartPhone`), and the error code says what to do.
 * - `retryable: true` with `retryAfterSeconds` (429): the next try waits at least that long.
 * Codes the phone names precisely: `unauthorized` (401), `no-seat` / `licence-limit-exceeded`,
 * `agent-not-found` / `unknown-agent` (404); any other non-retryable code is `credentials-refused`.
 */
export interface SipSessionFailure {
    code: string;
    retryable: boolean;
    retryAfterSeconds?: number;
}

/** Request of {@link HostPorts.lookupCaller}: ONE call per call leg. */
export interface CallerLookupRequest {
    /** Keys for the indexed normalised phone field (`phoneSearchKeys`); empty when the number is not searchable. */
    searchKeys: string[];
    /** E.164 of the number, or null when not valid. */
    e164: string | null;
    /** The number as received or dialled (log/debug only; never search on it). */
    number: string;
    /** Digits the caller typed in the IVR (case number, F5). */
    ivrCaseCode?: string;
    direction: 'inbound' | 'outbound';
    interactionId: string;
    /** Outbound: the record the agent dialled from (F9). */
    dialledFromRecordId?: string;
}

/**
 * Ports the host implements (Salesforce: `@AuraEnabled` Apex through the LWC; workbench: the simulator).
 * Every method may reject; the session turns rejections into error codes in the state, never crashes.
 * UI-only actions (create a record, attach a number, navigate) are NOT ports: the LWC does them itself.
 */
export interface HostPorts {
    /**
     * The agent's SIP session: credentials (wss URL, SIP URI, auth, ICE servers, expiry) plus campaigns and
     * pause reasons. Called by the leader tab only: at start, before credentials expire, after a 401/403.
     */
    getSipSession(): Promise<SipSessionInfo>;
    /**
     * Sends one agent status change to the contact centre. Changes arrive one at a time, in order; `sequence`
     * grows across leader tabs too (the session re-bases it on the clock), so the receiver may drop any
     * change whose sequence is not greater than the last one it applied.
     */
    publishAgentStatus(change: AgentStatusChange): Promise<void>;
    /** Records matching the number (and the IVR case code), in any order: the session ranks them. */
    lookupCaller(request: CallerLookupRequest): Promise<RecordMatch[]>;
    /** Upserts the call's Task by `interactionId` (idempotent). Rejecting counts as a retryable failure. */
    saveCallLog(entry: CallLogEntry): Promise<CallLogSendResult>;
    /** Optional: pause reasons, when {@link SipSessionInfo.pauseReasons} does not carry them. */
    getPauseReasons?(): Promise<PauseReason[]>;
    /**
     * Optional (B7, a call that survives a page reload): this agent's calls in progress at the contact centre,
     * each with the SIP URI that puts the agent back on it. Asked by a new leader that found a call in progress
     * in storage (the page that had it reloaded or crashed); without it such a call is logged as it was.
     */
    getActiveInteractions?(): Promise<ActiveInteraction[]>;
    /**
     * Pauses, resumes or stops the call's recording at the contact centre (F21). Optional: without it the
     * `recording` command fails with `recording-failed`. Rejecting leaves the recording state as it was.
     */
    controlRecording?(interactionId: string, request: RecordingRequest): Promise<void>;
}

/** A call of this agent that the contact centre still holds (see {@link HostPorts.getActiveInteractions}). */
export interface ActiveInteraction {
    interactionId: string;
    /** The SIP URI to dial (with `X-CC-Interaction-Id`) to be bridged to the held customer again. */
    rejoinUri: string;
    /** When the contact centre says the call was answered (ms since the epoch), if it says. */
    answeredAt?: number;
}

/** What the phone shows of a call's recording (F21). */
export interface RecordingView {
    mode: RecordingMode;
    consent: ConsentState;
    pausedBy: RecordingPauseReason[];
}

// =============================================================================================================
// Settings and options
// =============================================================================================================

/** The org's and user's phone settings (custom metadata / settings read by the LWC through Apex). */
export interface PhoneSettings {
    /** ISO 3166-1 alpha-2 default country for number normalisation (F17); '' = none. */
    defaultCountry: string;
    /** Default area code (see `PhoneNumberOptions.defaultAreaCode`). */
    defaultAreaCode?: string;
    /** Offer a second inbound call while on a call (else 486 Busy Here). Default false. */
    callWaiting?: boolean;
    /** Create a Case for every call (F6); merged into {@link PhoneSettings.screenPop}. Default false. */
    autoCreateCase?: boolean;
    /** A call that rang out sets Not ready (RONA). Default true. */
    missedCallSetsNotReady?: boolean;
    /** Ring time before an inbound call counts as missed. Default 30. */
    ringTimeoutSeconds?: number;
    /** Wrap time for calls without a campaign wrap time (outbound calls, calls outside campaigns). Default 0. */
    defaultWrapSeconds?: number;
    /** Screen-pop rules: object order, create options, Person Accounts (detected at run time)... */
    screenPop?: ScreenPopRules;
    /** A Contact as Task WhoId also sets WhatId to its Account. Default false. */
    relateContactAccount?: boolean;
    /** Recent calls kept (F13). Default 20, at most 100. */
    recentCallsLimit?: number;
    /**
     * Task display name for withheld/anonymous callers (FAULT-CASES 10). Pass the translated Custom Label;
     * default `'Unknown caller'`.
     */
    unknownCallerName?: string;
}

/**
 * Browser services, each optional: leave one out to use the browser's (through the existing browser-port
 * helpers); pass `null` for locks/createChannel/storage to say "not available" (degraded / memory only).
 * Tests inject fakes here.
 */
export interface PhoneSessionEnvironment {
    /** `navigator.locks`. `null`: missing (the tab leads alone, degraded). */
    locks?: LockManagerPort | null;
    /** `(name) => new BroadcastChannel(name)`. `null`: missing (degraded). */
    createChannel?: BroadcastChannelFactory | null;
    /** pagehide / pageshow / visibilitychange. */
    lifecycle?: PageLifecyclePort;
    /** `localStorage` (outbox, wrap-up drafts, recent calls). `null`: memory only. */
    storage?: KeyValueStorage | null;
    /** Microphone, speakers, tones. */
    media?: MediaPort;
    /** `online` / `offline`. */
    network?: NetworkEvents;
    clock?: Clock;
    /** Jitter source in [0, 1) (reconnect and outbox backoff). */
    random?: () => number;
    /** This window's id (default random). */
    tabId?: string;
    /** `'popout'` for the utility bar's pop-out window. Default `'tab'`. */
    windowKind?: WindowKind;
    /** Runs the coalesced state publish (default `queueMicrotask`). */
    schedule?: (task: () => void) => void;
}

/** Tuning of the tab election (defaults are the election's). */
export interface PhoneElectionOptions {
    heartbeatMs?: number;
    leaderStaleAfterMs?: number;
    commandTimeoutMs?: number;
    handoverTimeoutMs?: number;
}

/** Options of `PhoneSession`. */
export interface PhoneSessionOptions {
    host: HostPorts;
    /** Salesforce org id (scopes the election, storage and outbox). */
    orgId: string;
    /** Salesforce user id (scopes the election, storage and outbox; Task owner). */
    userId: string;
    /** The user's locale, e.g. `'nl-NL'` (reserved for formatting; numbers follow the org country). */
    userLocale?: string;
    settings: PhoneSettings;
    /** Browser services (tests inject fakes). */
    browser?: PhoneSessionEnvironment;
    /** Test seam passed to `SipPhone` (tests build the UA on a fake transport). */
    userAgentFactory?: UserAgentFactory;
    /** SipPhone tuning (keepalive, timeouts, DTMF mode, tones...). Credentials, clock, media, ring time, call
     *  waiting and the UA factory come from the session and cannot be overridden here. */
    sipOptions?: Omit<
        Partial<SipPhoneOptions>,
        | 'getCredentials'
        | 'clock'
        | 'media'
        | 'network'
        | 'userAgentFactory'
        | 'callWaiting'
        | 'ringTimeoutMs'
    >;
    election?: PhoneElectionOptions;
}

// Errors and warnings: phone-errors.ts (re-exported here, so importers keep one module)
export * from './phone-errors';

// =============================================================================================================
// The view state
// =============================================================================================================

/**
 * The role of this tab. `degraded`: leader without an election (APIs missing). `starting`: before the
 * election decided; `stopped`: after `stop()`.
 */
export type PhoneRole = 'starting' | 'leader' | 'follower' | 'degraded' | 'stopped';

/** Registration with the SIP registrar. */
export interface RegistrationView {
    state: RegistrationState;
    /** SIP status code of the last failure. */
    statusCode?: number;
    /** The registrar refused the credentials (admin action needed). */
    authFailure?: boolean;
}

/** The WebSocket to the SIP server. */
export interface ConnectionView {
    state: ConnectionState;
    /** Reconnect attempt since the last stable connection. */
    attempt?: number;
    /** Epoch ms of the next reconnect attempt (WaitingToReconnect). */
    retryAt?: number;
    /** The browser says it is offline. */
    offline?: boolean;
}

/** The agent status (F2). */
export interface AgentView {
    status: AgentStatus;
    /** Epoch ms of the last change. */
    since: number;
    pauseReason: PauseReason | null;
    /** "Not ready after this call" and friends. */
    nextStatus: NextStatus | null;
    /** Set in Wrap: the countdown is `deadline - now` (the state is not re-published every second). */
    wrap: { seconds: number; startedAt: number; deadline: number } | null;
    /** Publishing to the contact centre. */
    sync: AgentStatusSyncState;
    /** Statuses the agent may pick now (for the status menu). */
    allowed: Array<'Ready' | 'NotReady' | 'Paused'>;
}

/** The other party of a call, ready to render (as text). */
export interface CallerCard {
    /** Number or SIP user as received/dialled. */
    rawNumber: string;
    /** E.164 when valid. */
    e164: string | null;
    numberKind: PhoneNumberKind;
    /** Extension split off the number. */
    extension?: string;
    /** Formatted for display (national in the org country); '' when withheld/empty. */
    numberDisplay: string;
    /** SIP display name as plain text (`parseDisplayName`); '' when none. */
    displayName: string;
    /** What to show as the caller: the best record's name, else the display name, else ''. */
    name: string;
    /** The company: the best record's subtitle (e.g. a Contact's account). '' when unknown. */
    company: string;
    /** Withheld, empty, or nothing known: the UI shows its "Unknown caller" label. */
    unknown: boolean;
    /** The record the card is about (opened or top-ranked), if any. */
    record: RecordMatch | null;
    /** Matches after ranking and collapsing. */
    matchCount: number;
}

/** State of the caller lookup of a call. */
export type LookupState = 'pending' | 'done' | 'failed' | 'skipped';

/** Where the Task's related record came from. */
export type RelatedRecordSource = 'screen-pop' | 'chosen' | 'on-screen' | 'dialled-from';

/** The record the call's Task is related to, with the Who/What it gives (F7, F9, F10). */
export interface RelatedRecord {
    id: string;
    objectType: RecordMatch['objectType'];
    name: string;
    whoId?: string;
    whatId?: string;
    source: RelatedRecordSource;
}

/** A reference to a record the UI knows (the record on screen, a search result, the click-to-dial source). */
export interface RecordRef {
    id: string;
    /** When unknown, guessed from the id's key prefix (001 Account, 003 Contact, 00Q Lead, 500 Case). */
    objectType?: RecordMatch['objectType'];
    name?: string;
    /** Contact/Case: AccountId. */
    accountId?: string;
    /** Case: ContactId; Person Account: PersonContactId. */
    contactId?: string;
}

/** One call leg (not ended). */
export interface CallView {
    id: string;
    interactionId: string;
    role: CallRole;
    direction: 'inbound' | 'outbound';
    state: CallState;
    caller: CallerCard;
    campaignId?: string;
    campaignName?: string;
    queue?: string;
    ivrCode?: string;
    recordingUrl?: string;
    /**
     * A callback the contact centre queued and places now (callbacks/queued-callback.ts): the phone rings like an
     * incoming call, the agent answers, then the contact centre dials `customerNumber`; logged as outbound.
     */
    callback?: { callbackId: string; attempt: number; customerNumber?: string };
    /** Epoch ms. */
    startedAt: number;
    answeredAt?: number;
    /** Durations at {@link PhoneViewState.at}; count on from `answeredAt` in the UI. */
    talkDurationMs: number;
    holdDurationMs: number;
    muted: boolean;
    onHold: boolean;
    /** The remote side holds us. */
    remoteHold: boolean;
    /** A hold/resume is being negotiated (disable the button). */
    holdPending: 'hold' | 'resume' | null;
    /** Set when audio stopped mid-call: being recovered (ICE restart), or lost (tell the agent; hang up works). */
    mediaHealth?: 'recovering' | 'lost';
    /** The agent pressed answer; media is being set up. */
    answering: boolean;
    /** Outbound: ringback/early media. */
    earlyMedia: boolean;
    /** Primary: its consultation leg; consultation: its primary. */
    linkedCallId?: string;
    consultActive: boolean;
    conference: boolean;
    transfer?: {
        kind: 'blind' | 'attended';
        target: string;
        status: 'requested' | 'completed' | 'failed';
        /** A failed transfer: why, for the agent (the call stays with them). */
        failureReason?: TransferFailureReason;
    };
    /** Last quality sample (B4). */
    quality: { mos: number; level: QualityLevel } | null;
    /** The call's recording (F21): recording, paused (and why), stopped; the caller's consent. Primary legs once answered. */
    recording?: RecordingView;
    lookup: LookupState;
    /** Primary legs: what the screen pop decided (null while the lookup runs). */
    screenPop: ScreenPopDecision | null;
    /** Primary legs: the record the Task will be related to. */
    related: RelatedRecord | null;
}

/** Life cycle of one interaction's log; see `InteractionState` in interaction.ts. */
export type InteractionStateName = 'InCall' | 'WrapUp' | 'Logged';

/** The wrap-up form (F12). */
export interface WrapUpForm {
    notes: string;
    /** Task.CallDisposition (the call result). */
    disposition: string;
    /** Id of the record to relate the Task to (one of the candidates, or any record the agent picked). */
    relatedRecordId: string | null;
    /** Register a callback request (F11). */
    callbackRequested: boolean;
}

/** An interaction (one primary call) that is not logged yet: its call summary and wrap-up draft. */
export interface InteractionView {
    interactionId: string;
    /** The call leg (gone once the call ended and the page reloaded). */
    callId: string;
    state: InteractionStateName;
    direction: 'inbound' | 'outbound';
    caller: CallerCard;
    startedAt: number;
    answeredAt?: number;
    endedAt?: number;
    /** Set once the call ended. */
    outcome?: CallLogOutcome;
    /** Talk time, set once the call ended. */
    durationSeconds?: number;
    draft: WrapUpForm;
    related: RelatedRecord | null;
    /** Records to relate to: the screen-pop candidates plus records the agent related. */
    candidates: RecordMatch[];
    screenPop: ScreenPopDecision | null;
    /** WrapUp: when it is logged by itself (epoch ms). Absent when it waits for the agent's submit only. */
    deadline?: number;
    recordingUrl?: string;
    campaignName?: string;
}

/** One line of the recent calls list (F11, F13, F14). */
export interface RecentCall {
    interactionId: string;
    direction: 'inbound' | 'outbound';
    /** E.164 when valid, else the raw number ('' when withheld). */
    number: string;
    numberDisplay: string;
    /** Record or display name; '' when unknown (the UI shows "Unknown caller"). */
    name: string;
    outcome: CallLogOutcome;
    /** Inbound and not answered: shown in red (F11). */
    missed: boolean;
    /** Epoch ms. */
    startedAt: number;
    durationSeconds: number;
    recordingUrl?: string;
    callbackRequested: boolean;
    /** Record the Task was related to (click opens it). */
    recordId?: string;
    /** The number can be called back. */
    dialable: boolean;
}

/** A call log the server refused: it stays stored; the agent may retry (after fixing) or dismiss it. */
export interface OutboxAttentionItem {
    interactionId: string;
    /** The server's message (Salesforce validation text: show under "details"). */
    message: string;
    attempts: number;
    name: string;
    number: string;
    startedAt: number;
}

/** The call-log outbox (B2). */
export interface OutboxView {
    /** Waiting to be sent or being sent or waiting to retry. */
    unsent: number;
    needsAttention: number;
    attention: OutboxAttentionItem[];
    /** False while some entry lives in memory only (storage full/unavailable). */
    durable: boolean;
}

/** Why the microphone cannot be used (checked before registering). */
export interface MicrophoneView {
    problem: MicrophoneProblem;
}

/** The leader tab as this tab knows it. */
export interface LeaderView {
    tabId: string;
    kind: WindowKind;
    responsive: boolean;
    /** It is this tab. */
    self: boolean;
}

/** A one-off event carried in the state so follower tabs emit it too (see {@link PhoneViewState.events}). */
export type PhoneEventRecord =
    | { seq: number; at: number; type: 'screenPop'; payload: ScreenPopEvent }
    | { seq: number; at: number; type: 'callEvent'; payload: PhoneCallEvent }
    | { seq: number; at: number; type: 'notification'; payload: PhoneNotification };

/**
 * Everything the phone UI renders. Plain JSON (structured-cloneable), built by the leader, mirrored by
 * followers. Times are epoch ms; the UI counts timers on from them (the state is not re-published per second).
 */
export interface PhoneViewState {
    version: typeof PHONE_VIEW_STATE_VERSION;
    /** Grows with every publish of one leader. */
    revision: number;
    /** Epoch ms when the leader built this state. */
    at: number;
    /** This tab's role (filled in by each tab: a mirrored state says `follower`). */
    role: PhoneRole;
    leader: LeaderView | null;
    /** The leader is started (credentials fetched, SIP stack up) */
    started: boolean;
    registration: RegistrationView;
    connection: ConnectionView;
    agent: AgentView;
    pauseReasons: PauseReason[];
    /** Call legs that have not ended, primary first. */
    calls: CallView[];
    /** The ringing inbound call (also in `calls`), or null. */
    incoming: CallView | null;
    /** Interactions not logged yet (in call or in wrap-up), oldest first. */
    interactions: InteractionView[];
    /** The wrap-up the form shows: the oldest interaction in WrapUp, or null. */
    wrapUp: InteractionView | null;
    recentCalls: RecentCall[];
    outbox: OutboxView;
    error: PhoneErrorView | null;
    microphone: MicrophoneView | null;
    warnings: PhoneWarning[];
    audioDevices: AudioDevices;
    /** The last number dialled (redial). */
    lastDialled: string | null;
    /** The most recent one-off events (bounded); each tab emits those it has not seen. */
    events: PhoneEventRecord[];
}

// =============================================================================================================
// Commands
// =============================================================================================================

/** A status the agent picks. During a call it becomes the status after the call. */
export type StatusRequest =
    { status: 'Ready' } | { status: 'NotReady' } | { status: 'Paused'; reason: PauseReason };

/** Outbound call context (F9): the record the agent dialled from. */
export interface DialContext {
    recordId?: string;
    objectType?: RecordMatch['objectType'];
    /** Shown on the call card until the lookup answers. */
    name?: string;
    whoId?: string;
    whatId?: string;
    accountId?: string;
    contactId?: string;
}

/**
 * Commands, as plain data. Omitted `callId` means "the current call" (the ringing one for answer/reject, the
 * active primary otherwise); omitted `interactionId` means "the current wrap-up".
 */
export type PhoneCommand =
    | { type: 'setStatus'; request: StatusRequest }
    | { type: 'clearNextStatus' }
    | { type: 'answer'; callId?: string }
    | { type: 'reject'; callId?: string }
    | { type: 'hangup'; callId?: string }
    | { type: 'hold'; callId?: string }
    | { type: 'resume'; callId?: string }
    | { type: 'mute'; callId?: string }
    | { type: 'unmute'; callId?: string }
    | { type: 'sendDtmf'; digits: string; callId?: string }
    | { type: 'blindTransfer'; target: string; callId?: string }
    | { type: 'startConsultation'; target: string; callId?: string }
    | { type: 'completeTransfer'; consultCallId?: string }
    | { type: 'returnToCaller'; consultCallId?: string }
    | { type: 'conference'; callId?: string }
    | { type: 'dial'; number: string; context?: DialContext }
    | { type: 'redial' }
    | { type: 'endWrapEarly' }
    | { type: 'updateWrapUp'; patch: Partial<WrapUpForm>; interactionId?: string }
    | { type: 'submitWrapUp'; form?: Partial<WrapUpForm>; interactionId?: string }
    | { type: 'chooseRecord'; recordId: string; callId?: string }
    | { type: 'relateToRecord'; record: RecordRef; callId?: string }
    | { type: 'requestCallback'; interactionId: string; requested?: boolean }
    | { type: 'controlRecording'; input: RecordingInput; interactionId?: string }
    | { type: 'setAudioDevices'; devices: AudioDevices }
    | { type: 'retryCallLog'; interactionId: string; patch?: Partial<WrapUpForm> }
    | { type: 'dismissCallLog'; interactionId: string }
    | { type: 'clearError' }
    /** Run the phone start again (after the agent allowed the microphone, or fixed credentials). */
    | { type: 'restartPhone' }
    /**
     * Sign out of the phone (a shared desk): open wrap-ups are logged, every unsent log is sent to the org,
     * then this user's phone data leaves the browser (outbox, drafts, recent calls, the tabs' secret) and the
     * phone stops in every tab. Refused during a call, and (`call-logs-unsent`) while a log could not be sent:
     * nothing is deleted then.
     */
    | { type: 'signOut' };

/** The `type` of a {@link PhoneCommand}. */
export type PhoneCommandType = PhoneCommand['type'];

/** Result of every command. Never thrown: check `ok`. On failure the state's `error` says the same. */
export type SessionResult =
    | { ok: true; callId?: string; interactionId?: string }
    | { ok: false; error: PhoneErrorCode; detail?: string };

// =============================================================================================================
// Events
// =============================================================================================================

/** Payload of `screenPop`: what to show for a call (emitted once per decision, in every tab). */
export interface ScreenPopEvent {
    callId: string;
    interactionId: string;
    direction: 'inbound' | 'outbound';
    decision: ScreenPopDecision;
    caller: CallerCard;
}

/**
 * Kinds of {@link PhoneCallEvent} (F19: republished on the message channel): `ringing` / `dialing` when the
 * call starts, `answered`, `ended`, then `logged` once the server saved the call's Task (once per
 * interaction; never for a log left in needs-attention until a retry saves it).
 */
export type PhoneCallEventKind = 'ringing' | 'dialing' | 'answered' | 'ended' | 'logged';

/** Payload of `callEvent`. */
export interface PhoneCallEvent {
    kind: PhoneCallEventKind;
    interactionId: string;
    /** The call leg's id ('' on a `logged` for a call another tab's phone handled). */
    callId: string;
    direction: 'inbound' | 'outbound';
    /** E.164 or raw number ('' when withheld). */
    number: string;
    /** Best known name ('' when unknown). */
    name: string;
    recordId?: string;
    /** `ended` / `logged`. */
    outcome?: CallLogOutcome;
    durationSeconds?: number;
    /** `logged` (always set there): the id of the Task the server saved. */
    taskId?: string;
}

/** Kinds of {@link PhoneNotification}. */
export type PhoneNotificationKind = 'incoming-call' | 'missed-call' | 'call-log-needs-attention';

/**
 * Payload of `notification`: the UI shows a browser Notification when the page is hidden (it decides). `tag`
 * is the same in every tab so the browser shows one notification per call.
 */
export interface PhoneNotification {
    kind: PhoneNotificationKind;
    tag: string;
    interactionId: string;
    /** The caller's name ('' when unknown: use the "Unknown caller" label). */
    name: string;
    company: string;
    numberDisplay: string;
    /** The call's campaign and queue, when the contact centre named them (notification template, F15). */
    campaign?: string;
    queue?: string;
}

/** Events of `PhoneSession`. */
export type PhoneSessionEvents = {
    /** After every change (coalesced): render it. */
    stateChanged: PhoneViewState;
    /** Navigate / show the chooser / show create options (the LWC decides what to do in this tab). */
    screenPop: ScreenPopEvent;
    /** A call started, was answered, ended, or its Task was saved (`logged`, with `taskId`). */
    callEvent: PhoneCallEvent;
    notification: PhoneNotification;
};

/** The command surface of `PhoneSession` (what the LWC calls). Identical in leader and follower tabs. */
export interface PhoneApi {
    /** Runs a command given as data (what the UI's children dispatch); each method below is one of these. */
    send(command: PhoneCommand): Promise<SessionResult>;
    setStatus(request: StatusRequest): Promise<SessionResult>;
    clearNextStatus(): Promise<SessionResult>;
    answer(callId?: string): Promise<SessionResult>;
    reject(callId?: string): Promise<SessionResult>;
    hangup(callId?: string): Promise<SessionResult>;
    hold(callId?: string): Promise<SessionResult>;
    resume(callId?: string): Promise<SessionResult>;
    mute(callId?: string): Promise<SessionResult>;
    unmute(callId?: string): Promise<SessionResult>;
    sendDtmf(digits: string, callId?: string): Promise<SessionResult>;
    blindTransfer(target: string, callId?: string): Promise<SessionResult>;
    startConsultation(target: string, callId?: string): Promise<SessionResult>;
    completeTransfer(consultCallId?: string): Promise<SessionResult>;
    returnToCaller(consultCallId?: string): Promise<SessionResult>;
    conference(callId?: string): Promise<SessionResult>;
    dial(number: string, context?: DialContext): Promise<SessionResult>;
    redial(): Promise<SessionResult>;
    endWrapEarly(): Promise<SessionResult>;
    updateWrapUp(patch: Partial<WrapUpForm>, interactionId?: string): Promise<SessionResult>;
    submitWrapUp(form?: Partial<WrapUpForm>, interactionId?: string): Promise<SessionResult>;
    chooseRecord(recordId: string, callId?: string): Promise<SessionResult>;
    relateToRecord(record: RecordRef, callId?: string): Promise<SessionResult>;
    requestCallback(interactionId: string, requested?: boolean): Promise<SessionResult>;
    /** Pause / resume the recording or record the caller's consent (F21); the active call without an id. */
    controlRecording(input: RecordingInput, interactionId?: string): Promise<SessionResult>;
    setAudioDevices(devices: AudioDevices): Promise<SessionResult>;
    retryCallLog(interactionId: string, patch?: Partial<WrapUpForm>): Promise<SessionResult>;
    dismissCallLog(interactionId: string): Promise<SessionResult>;
    clearError(): Promise<SessionResult>;
    restartPhone(): Promise<SessionResult>;
    /** See the `signOut` {@link PhoneCommand}. */
    signOut(): Promise<SessionResult>;
    /** Pop-out: ask the tab holding the phone to hand it over (refused during a call: `handover-refused`). */
    requestLeadership(): Promise<SessionResult>;
}
