/** What an operation handler gets and returns. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Tenant } from '../model';

/** A request after authentication and validation against the OpenAPI document. */
export interface RequestContext {
    operationId: string;
    /** The authenticated tenant; null for public operations and signed URLs. */
    tenant: Tenant | null;
    /** The X-Admin-Login that was sent and whether it is an admin of the tenant. */
    adminLogin: { sent: string; valid: boolean } | null;
    /** True when authenticated by a signed URL instead of the API headers. */
    signed: boolean;
    path: Record<string, string>;
    /** Query parameters declared by the operation, typed per their schema. */
    query: Record<string, unknown>;
    body: unknown;
    headers: IncomingHttpHeaders;
    /** Base URL for links in responses. */
    baseUrl: string;
    requestId: string;
}

/** A handler's answer: JSON (`body`) or bytes (`binary`). */
export interface ApiResult {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
    binary?: { contentType: string; data: Buffer };
}

/** Implements one operation of the OpenAPI document. */
export type OperationHandler = (context: RequestContext) => ApiResult;
