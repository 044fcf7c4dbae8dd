/**
 * RFC 9457 problem details: every error of the API is one of these, with a stable `code` (also the
 * last segment of `type`) so Apex can branch on it without parsing text.
 */

/** Base of every problem `type` URI. */
export const PROBLEM_TYPE_BASE = 'https://api.contact-centre.example/problems/';

const TITLES: Record<string, string> = {
    'bad-request': 'Bad request',
    'invalid-json': 'Invalid JSON',
    'invalid-cursor': 'Invalid cursor',
    'invalid-api-key': 'Invalid API key',
    'missing-tenant-id': 'Missing tenant id',
    'invalid-signature': 'Invalid or expired signature',
    'tenant-mismatch': 'Tenant mismatch',
    'admin-login-required': 'Admin login required',
    'admin-login-invalid': 'Admin login not recognised',
    'no-seat': 'No licence seat',
    'licence-limit-exceeded': 'Licence limit exceeded',
    'not-found': 'Not found',
    'method-not-allowed': 'Method not allowed',
    'not-acceptable': 'Not acceptable',
    'illegal-status-transition': 'Illegal status transition',
    'call-in-progress': 'Call in progress',
    'call-not-pending': 'Call not pending',
    'email-taken': 'E-mail already in use',
    'extension-taken': 'Extension already in use',
    'no-free-seat': 'No free seat',
    'agent-cannot-work': 'Agent cannot work',
    'agent-not-eligible': 'Agent not eligible',
    'idempotency-key-reused': 'Idempotency key reused',
    'validation-failed': 'Validation failed',
    'rate-limited': 'Too many requests',
    'internal-error': 'Internal server error',
    'bad-gateway': 'Bad gateway',
    'service-unavailable': 'Service unavailable'
};

/** A problem document. */
export interface Problem {
    type: string;
    title: string;
    status: number;
    detail: string;
    instance: string;
    code: string;
    requestId: string;
    [extension: string]: unknown;
}

/** An error a handler throws to answer with a problem document. */
export class ApiError extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        detail: string,
        readonly extensions: Record<string, unknown> = {},
        readonly headers: Record<string, string> = {}
    ) {
        super(detail);
        this.name = 'ApiError';
    }
}

/** Builds the problem document of an {@link ApiError}. */
export function problemOf(error: ApiError, instance: string, requestId: string): Problem {
    return {
        type: `${PROBLEM_TYPE_BASE}${error.code}`,
        title: TITLES[error.code] ?? error.code,
        status: error.status,
        detail: error.message,
        instance,
        code: error.code,
        requestId,
        ...error.extensions
    };
}
