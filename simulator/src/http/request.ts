/**
 * Turning a raw request into typed, validated input with the OpenAPI document: path and query
 * parameters (400 on error), the Idempotency-Key header (400) and the JSON body (400 when it is not
 * JSON, 422 when it does not match its schema).
 */
import type { IncomingMessage } from 'node:http';
import type { JsonSchema, OpenApiContract, OperationInfo } from '../openapi/contract';
import { ApiError } from './problem';

/** Largest accepted body. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the whole body (at most {@link MAX_BODY_BYTES}). */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY_BYTES)
            throw new ApiError(400, 'bad-request', `The body is larger than ${MAX_BODY_BYTES} bytes.`);
        chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
}

function typed(raw: string, schema: JsonSchema): unknown {
    switch (schema.type) {
        case 'integer':
        case 'number':
            return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
        case 'boolean':
            return raw === 'true' ? true : raw === 'false' ? false : raw;
        default:
            return raw;
    }
}

/** Path, query and header parameters of an operation, typed and validated. */
export function readParameters(
    contract: OpenApiContract,
    operation: OperationInfo,
    pathParams: Record<string, string>,
    searchParams: URLSearchParams,
    headers: IncomingMessage['headers']
): { path: Record<string, string>; query: Record<string, unknown> } {
    const errors: { pointer: string; detail: string }[] = [];
    const query: Record<string, unknown> = {};
    for (const parameter of operation.parameters) {
        const schema = contract.resolve<JsonSchema>(parameter.schema);
        const pointer = `#/${parameter.in}/${parameter.name}`;
        let value: unknown;
        if (parameter.in === 'path') {
            value = pathParams[parameter.name];
        } else if (parameter.in === 'query') {
            if (schema.type === 'array') {
                const all = searchParams.getAll(parameter.name);
                const items = contract.resolve<JsonSchema>(schema.items);
                value = all.length > 0 ? all.map((raw) => typed(raw, items)) : undefined;
            } else {
                const raw = searchParams.get(parameter.name);
                value = raw === null ? undefined : typed(raw, schema);
            }
        } else {
            const raw = headers[parameter.name.toLowerCase()];
            value = Array.isArray(raw) ? raw[0] : raw;
        }
        if (value === undefined) {
            if (parameter.required) errors.push({ pointer, detail: 'required' });
            continue;
        }
        errors.push(
            ...contract
                .validate(parameter.schema, value, pointer)
                .map((e) => ({ ...e, pointer: e.pointer.replace(/\/$/, '') }))
        );
        if (parameter.in === 'query') query[parameter.name] = value;
    }
    if (errors.length > 0) {
        throw new ApiError(400, 'bad-request', errors.map((e) => `${e.pointer}: ${e.detail}`).join('; '), {
            errors
        });
    }
    return { path: pathParams, query };
}

/** The JSON body of an operation that takes one, validated against its schema. */
export function parseJsonBody(
    contract: OpenApiContract,
    operation: OperationInfo,
    raw: Buffer,
    contentType: string | undefined
): unknown {
    if (!operation.requestBodySchema) return undefined;
    if (raw.length === 0) {
        if (operation.requestBodyRequired) throw new ApiError(400, 'bad-request', 'A JSON body is required.');
        return undefined;
    }
    const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (mediaType !== 'application/json' && !mediaType.endsWith('+json')) {
        throw new ApiError(
            400,
            'bad-request',
            `Content-Type must be application/json, not "${mediaType || 'none'}".`
        );
    }
    let body: unknown;
    try {
        body = JSON.parse(raw.toString('utf8'));
    } catch (error) {
        throw new ApiError(400, 'invalid-json', `The body is not valid JSON: ${(error as Error).message}`);
    }
    const errors = contract.validate(operation.requestBodySchema, body);
    if (errors.length > 0) {
        throw new ApiError(
            422,
            'validation-failed',
            errors.map((e) => `${e.pointer}: ${e.detail}`).join('; '),
            { errors }
        );
    }
    return body;
}
