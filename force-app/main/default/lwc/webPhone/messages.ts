/**
 * The translated text of phone-core's codes: errors (PhoneErrorCode: the Custom Labels named by phone-core's
 * PHONE_ERROR_MESSAGE_KEYS) and standing warnings (PhoneWarning). phone-core never produces agent-facing
 * English; the platform needs static label imports, hence one import per code.
 */
import type { PhoneErrorCode, PhoneWarning } from 'webphone-core';

import MICROPHONE from '@salesforce/label/c.PhoneError_Microphone';
import CREDENTIALS from '@salesforce/label/c.PhoneError_Credentials';
import CREDENTIALS_UNAUTHORIZED from '@salesforce/label/c.PhoneError_CredentialsUnauthorized';
import CREDENTIALS_NO_SEAT from '@salesforce/label/c.PhoneError_CredentialsNoSeat';
import CREDENTIALS_UNKNOWN_AGENT from '@salesforce/label/c.PhoneError_CredentialsUnknownAgent';
import CREDENTIALS_REFUSED from '@salesforce/label/c.PhoneError_CredentialsRefused';
import REGISTRATION_FAILED from '@salesforce/label/c.PhoneError_RegistrationFailed';
import CONNECTION_LOST from '@salesforce/label/c.PhoneError_ConnectionLost';
import NUMBER_NOT_DIALABLE from '@salesforce/label/c.PhoneError_NumberNotDialable';
import INVALID_TRANSFER_TARGET from '@salesforce/label/c.PhoneError_InvalidTransferTarget';
import NO_CALL from '@salesforce/label/c.PhoneError_NoCall';
import CALL_IN_PROGRESS from '@salesforce/label/c.PhoneError_CallInProgress';
import CALL_COMMAND_FAILED from '@salesforce/label/c.PhoneError_CallCommandFailed';
import STATUS_CHANGE_NOT_ALLOWED from '@salesforce/label/c.PhoneError_StatusChangeNotAllowed';
import STATUS_PUBLISH_FAILED from '@salesforce/label/c.PhoneError_StatusPublishFailed';
import LOOKUP_FAILED from '@salesforce/label/c.PhoneError_LookupFailed';
import CALL_LOG_NEEDS_ATTENTION from '@salesforce/label/c.PhoneError_CallLogNeedsAttention';
import NOT_FOUND from '@salesforce/label/c.PhoneError_NotFound';
import NOT_STARTED from '@salesforce/label/c.PhoneError_NotStarted';
import LEADER_UNAVAILABLE from '@salesforce/label/c.PhoneError_LeaderUnavailable';
import HANDOVER_REFUSED from '@salesforce/label/c.PhoneError_HandoverRefused';
import INVALID_ARGUMENT from '@salesforce/label/c.PhoneError_InvalidArgument';
import STORAGE_UNAVAILABLE from '@salesforce/label/c.PhoneError_StorageUnavailable';
import CALL_LOGS_UNSENT from '@salesforce/label/c.PhoneError_CallLogsUnsent';
import UNKNOWN from '@salesforce/label/c.PhoneError_Unknown';
import RECORDING_FAILED from '@salesforce/label/c.PhoneError_RecordingFailed';

import WARNING_MULTIPLE_TABS from '@salesforce/label/c.Phone_Warning_MultipleTabs';
import WARNING_LEADER_UNRESPONSIVE from '@salesforce/label/c.Phone_Warning_LeaderUnresponsive';
import WARNING_STORAGE from '@salesforce/label/c.Phone_Warning_StorageUnavailable';
import WARNING_STATUS_NOT_SYNCED from '@salesforce/label/c.Phone_Warning_StatusNotSynced';
import WARNING_OUTBOX from '@salesforce/label/c.Phone_Warning_OutboxOverCapacity';

const ERROR_TEXT: Readonly<Record<PhoneErrorCode, string>> = {
    microphone: MICROPHONE,
    credentials: CREDENTIALS,
    'credentials-unauthorized': CREDENTIALS_UNAUTHORIZED,
    'credentials-no-seat': CREDENTIALS_NO_SEAT,
    'credentials-unknown-agent': CREDENTIALS_UNKNOWN_AGENT,
    'credentials-refused': CREDENTIALS_REFUSED,
    'registration-failed': REGISTRATION_FAILED,
    'connection-lost': CONNECTION_LOST,
    'number-not-dialable': NUMBER_NOT_DIALABLE,
    'invalid-transfer-target': INVALID_TRANSFER_TARGET,
    'no-call': NO_CALL,
    'call-in-progress': CALL_IN_PROGRESS,
    'call-command-failed': CALL_COMMAND_FAILED,
    'status-change-not-allowed': STATUS_CHANGE_NOT_ALLOWED,
    'status-publish-failed': STATUS_PUBLISH_FAILED,
    'lookup-failed': LOOKUP_FAILED,
    'call-log-needs-attention': CALL_LOG_NEEDS_ATTENTION,
    'not-found': NOT_FOUND,
    'not-started': NOT_STARTED,
    'leader-unavailable': LEADER_UNAVAILABLE,
    'handover-refused': HANDOVER_REFUSED,
    'invalid-argument': INVALID_ARGUMENT,
    'storage-unavailable': STORAGE_UNAVAILABLE,
    'call-logs-unsent': CALL_LOGS_UNSENT,
    'recording-failed': RECORDING_FAILED,
    unknown: UNKNOWN
};

const WARNING_TEXT: Readonly<Record<PhoneWarning, string>> = {
    'multiple-tabs-may-register': WARNING_MULTIPLE_TABS,
    'leader-unresponsive': WARNING_LEADER_UNRESPONSIVE,
    'storage-unavailable': WARNING_STORAGE,
    'status-not-synced': WARNING_STATUS_NOT_SYNCED,
    'outbox-over-capacity': WARNING_OUTBOX
};

/** Errors after which the phone stopped trying: the agent asks again with "Try again" once someone acted. */
const RESTART_ERRORS: ReadonlySet<string> = new Set<PhoneErrorCode>([
    'credentials-unauthorized',
    'credentials-no-seat',
    'credentials-unknown-agent',
    'credentials-refused'
]);

/** True when the error banner offers "Try again" (restartPhone). */
export function errorOffersRestart(code: string | undefined): boolean {
    return code !== undefined && RESTART_ERRORS.has(code);
}

/** The agent-facing text of an error code (unknown codes: the generic message). */
export function errorText(code: string | undefined): string {
    return (code && ERROR_TEXT[code as PhoneErrorCode]) || UNKNOWN;
}

/** The agent-facing text of a warning ('' for a warning this version does not know). */
export function warningText(warning: string): string {
    return WARNING_TEXT[warning as PhoneWarning] ?? '';
}
