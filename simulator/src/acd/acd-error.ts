/** The ACD's refusals: each names a code the API maps to an HTTP status. */

/** Why the ACD refused a request; the API maps each code to an HTTP status. */
export type AcdErrorCode =
    | 'not-found'
    | 'validation-failed'
    | 'illegal-status-transition'
    | 'call-in-progress'
    | 'call-not-pending'
    | 'agent-cannot-work'
    | 'no-seat'
    | 'licence-limit-exceeded';

/** A refused request. */
export class AcdError extends Error {
    constructor(
        readonly code: AcdErrorCode,
        message: string,
        readonly extra: Record<string, unknown> = {}
    ) {
        super(message);
        this.name = 'AcdError';
    }
}

/** A 400 `validation-failed` naming the JSON pointer of the bad field. */
export function invalid(pointer: string, detail: string): AcdError {
    return new AcdError('validation-failed', `${pointer.slice(1)}: ${detail}`, {
        errors: [{ pointer, detail }]
    });
}
