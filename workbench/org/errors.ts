/**
 * Failures of the local org's Apex, shaped like the package's: `PhoneError` is PhoneException (a translated,
 * user-safe message), `ContactCentreError` is ContactCentreException (an API failure by status and problem
 * code), and {@link toAuraMessage} is PhoneErrors.messageFor: what an `@AuraEnabled` method throws.
 */
import { label, type Labels } from './labels';

/** PhoneException: its message is already translated and safe to show. */
export class PhoneError extends Error {
    override readonly name = 'PhoneError';
}

/** ContactCentreException and its subclasses, by HTTP status. */
export class ContactCentreError extends Error {
    override readonly name = 'ContactCentreError';
    constructor(
        message: string,
        /** HTTP status; 0 for a timeout or a network failure. */
        readonly status: number,
        readonly problemCode: string | null,
        readonly retryAfterSeconds: number | null,
        readonly timedOut = false
    ) {
        super(message);
    }
}

/** The user-safe message of a failure (PhoneErrors.messageFor); never a response body or a stack. */
export function toAuraMessage(error: unknown, labels: Labels): string {
    if (error instanceof PhoneError) return error.message;
    if (error instanceof ContactCentreError) return contactCentreMessage(error, labels);
    return label(labels, 'Phone_Error_Unexpected');
}

function contactCentreMessage(error: ContactCentreError, labels: Labels): string {
    if (error.timedOut) return label(labels, 'Phone_Error_Timeout');
    switch (error.status) {
        case 401:
            return label(labels, 'Phone_Error_Unauthorized');
        case 403:
            return error.problemCode === 'no-seat' || error.problemCode === 'licence-limit-exceeded'
                ? label(labels, 'Phone_Error_NoSeat')
                : label(labels, 'Phone_Error_Forbidden');
        case 404:
            return label(labels, 'Phone_Error_NotFound');
        case 409:
            return error.problemCode === 'agent-cannot-work'
                ? label(labels, 'Phone_Error_AgentInactive')
                : label(labels, 'Phone_Error_StatusConflict');
        case 400:
        case 422:
            return label(labels, 'Phone_Error_InvalidRequest');
        case 429:
            return label(labels, 'Phone_Error_RateLimited', String(error.retryAfterSeconds ?? 30));
        default:
            return label(labels, 'Phone_Error_Unavailable');
    }
}
