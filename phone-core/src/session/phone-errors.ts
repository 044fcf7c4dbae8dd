// Errors and warnings of the phone, as codes: the UI maps them to Custom Labels. Split from types.ts, which
// re-exports them; nothing here imports from the session.
// =============================================================================================================
// Errors and warnings (codes only: the UI maps them to Custom Labels)
// =============================================================================================================

/** What went wrong, as a code. The UI shows the Custom Label named by {@link PHONE_ERROR_MESSAGE_KEYS}. */
export type PhoneErrorCode =
    /** The microphone cannot be used (see {@link PhoneViewState.microphone} for why). */
    | 'microphone'
    /** `getSipSession` failed or returned unusable credentials (admin: connection settings, seat). */
    | 'credentials'
    /** The contact centre refused the org's connection settings (401, e.g. a wrong API key): admin. */
    | 'credentials-unauthorized'
    /** The agent has no seat (licence) in the contact centre: admin. */
    | 'credentials-no-seat'
    /** The contact centre does not know this user as an agent: admin links the user. */
    | 'credentials-unknown-agent'
    /** Another refusal that retrying will not fix (forbidden, not configured, ambiguous agent): admin. */
    | 'credentials-refused'
    /** The registrar refused the registration (see `registration.statusCode`). */
    | 'registration-failed'
    /** The WebSocket to the SIP server is down; the phone retries by itself. */
    | 'connection-lost'
    /** The number cannot be dialled (invalid, anonymous, empty). */
    | 'number-not-dialable'
    /** The transfer target is not a number or extension. */
    | 'invalid-transfer-target'
    /** There is no call (or no such call) for this command. */
    | 'no-call'
    /** A call is already in progress: use a consultation instead. */
    | 'call-in-progress'
    /** The SIP stack refused or failed the call command (hold, transfer, DTMF...). */
    | 'call-command-failed'
    /** The agent status cannot change that way now (e.g. Ready while Offline). */
    | 'status-change-not-allowed'
    /** The contact centre did not accept the status change (it is retried with the next change). */
    | 'status-publish-failed'
    /** The caller lookup failed: the screen pop offers the create/attach options. */
    | 'lookup-failed'
    /** A call log was refused by Salesforce (validation rule, access): see `outbox.attention`. */
    | 'call-log-needs-attention'
    /** No wrap-up or call log with this interaction id. */
    | 'not-found'
    /** The phone is not started (or not registered) in the leader tab. */
    | 'not-started'
    /** The tab holding the phone did not answer (closed, frozen) or changed; try again. */
    | 'leader-unavailable'
    /** Another tab holds the phone and refused to hand it over (a call is in progress). */
    | 'handover-refused'
    /** A command argument is missing or malformed. */
    | 'invalid-argument'
    /** Browser storage is unavailable or full: drafts and logs live in memory until it works again. */
    | 'storage-unavailable'
    /** Sign-out refused: some call logs could not be sent to Salesforce yet (nothing was deleted). */
    | 'call-logs-unsent'
    /** The contact centre did not pause, resume or stop the recording (its state is unchanged). */
    | 'recording-failed'
    | 'unknown';

/** Custom Label API name for each {@link PhoneErrorCode} (`PhoneError_<PascalCase>`). */
export const PHONE_ERROR_MESSAGE_KEYS: Readonly<Record<PhoneErrorCode, string>> = Object.freeze({
    microphone: 'PhoneError_Microphone',
    credentials: 'PhoneError_Credentials',
    'credentials-unauthorized': 'PhoneError_CredentialsUnauthorized',
    'credentials-no-seat': 'PhoneError_CredentialsNoSeat',
    'credentials-unknown-agent': 'PhoneError_CredentialsUnknownAgent',
    'credentials-refused': 'PhoneError_CredentialsRefused',
    'registration-failed': 'PhoneError_RegistrationFailed',
    'connection-lost': 'PhoneError_ConnectionLost',
    'number-not-dialable': 'PhoneError_NumberNotDialable',
    'invalid-transfer-target': 'PhoneError_InvalidTransferTarget',
    'no-call': 'PhoneError_NoCall',
    'call-in-progress': 'PhoneError_CallInProgress',
    'call-command-failed': 'PhoneError_CallCommandFailed',
    'status-change-not-allowed': 'PhoneError_StatusChangeNotAllowed',
    'status-publish-failed': 'PhoneError_StatusPublishFailed',
    'lookup-failed': 'PhoneError_LookupFailed',
    'call-log-needs-attention': 'PhoneError_CallLogNeedsAttention',
    'not-found': 'PhoneError_NotFound',
    'not-started': 'PhoneError_NotStarted',
    'leader-unavailable': 'PhoneError_LeaderUnavailable',
    'handover-refused': 'PhoneError_HandoverRefused',
    'invalid-argument': 'PhoneError_InvalidArgument',
    'storage-unavailable': 'PhoneError_StorageUnavailable',
    'call-logs-unsent': 'PhoneError_CallLogsUnsent',
    'recording-failed': 'PhoneError_RecordingFailed',
    unknown: 'PhoneError_Unknown'
});

/** The last error, as the UI shows it. */
export interface PhoneErrorView {
    code: PhoneErrorCode;
    /** Custom Label API name ({@link PHONE_ERROR_MESSAGE_KEYS}). */
    messageKey: string;
    /** Technical detail (English, for the console / "details" disclosure, never the main message). */
    detail?: string;
    /** SIP status code or microphone problem, when there is one. */
    reason?: string | number;
    callId?: string;
    /** Epoch ms. */
    at: number;
}

/** Standing conditions the UI shows as a banner until they clear. */
export type PhoneWarning =
    /** No Web Locks / BroadcastChannel: every tab registers on its own (calls may ring in several tabs). */
    | 'multiple-tabs-may-register'
    /** The tab holding the phone stopped answering (frozen or hung). */
    | 'leader-unresponsive'
    /** Browser storage is unavailable: logs and drafts are kept in memory only. */
    | 'storage-unavailable'
    /** The last agent status change did not reach the contact centre. */
    | 'status-not-synced'
    /** More unsent call logs than the outbox keeps comfortably (nothing is dropped). */
    | 'outbox-over-capacity';
