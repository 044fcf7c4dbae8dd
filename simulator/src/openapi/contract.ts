/**
 * The OpenAPI document (`docs/contact-centre-api.yaml`) as the single source of truth: the simulator
 * reads every operation's security and parameters from it and validates request bodies with it, and
 * the contract tests validate every response with the same compiled schemas.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

/** Where the document lives in the repository. */
export const DEFAULT_OPENAPI_PATH = path.resolve(__dirname, '../../../docs/contact-centre-api.yaml');

/** A JSON Schema as found in the document. */
export type JsonSchema = Record<string, unknown>;

/** One security requirement: scheme names that must all be satisfied. */
export type SecurityRequirement = string[];

/** A resolved operation parameter. */
export interface OperationParameter {
    name: string;
    in: 'path' | 'query' | 'header';
    required: boolean;
    schema: JsonSchema;
}

/** A resolved response of an operation. */
export interface OperationResponse {
    status: string;
    /** Media type -> schema (empty for responses without a body). */
    content: Record<string, JsonSchema | undefined>;
    /** Header name (lower case) -> required? */
    headers: Record<string, { required: boolean; schema: JsonSchema | undefined }>;
}

/** Everything the simulator and the tests need to know about one operation. */
export interface OperationInfo {
    operationId: string;
    method: string;
    /** Path template, e.g. `/v1/agents/{agentId}`. */
    path: string;
    /** Alternatives; an empty list means public. */
    security: SecurityRequirement[];
    parameters: OperationParameter[];
    requestBodySchema: JsonSchema | undefined;
    requestBodyRequired: boolean;
    responses: Record<string, OperationResponse>;
}

/** One validation failure, with a JSON-pointer-like location. */
export interface ContractError {
    pointer: string;
    detail: string;
}

const SCHEMA_BASE = 'https://contact-centre.invalid/openapi-schemas.json';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

type Doc = Record<string, unknown>;

function asRecord(value: unknown): Record<string, unknown> {
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** Rewrites `#/components/schemas/X` refs so Ajv resolves them inside one registered schema. */
function rewriteRefs(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(rewriteRefs);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
        if (key === '$ref' && typeof child === 'string' && child.startsWith('#/components/schemas/')) {
            out[key] = `${SCHEMA_BASE}#/$defs/${child.slice('#/components/schemas/'.length)}`;
        } else {
            out[key] = rewriteRefs(child);
        }
    }
    return out;
}

/** Turns Ajv errors into {@link ContractError}s under a prefix. */
function toContractErrors(errors: ErrorObject[] | null | undefined, prefix = ''): ContractError[] {
    return (errors ?? []).map((error) => ({
        pointer: `${prefix}${error.instancePath}` || '/',
        detail: error.message ?? error.keyword
    }));
}

/** Loads and compiles the OpenAPI document. */
export class OpenApiContract {
    readonly doc: Doc;
    private readonly ajv: Ajv2020;
    private readonly compiled = new WeakMap<object, ValidateFunction>();
    private readonly operationsById = new Map<string, OperationInfo>();
    private readonly namedRefs = new Map<string, JsonSchema>();

    constructor(doc: Doc) {
        this.doc = doc;
        this.ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
        addFormats(this.ajv);
        const schemas = asRecord(asRecord(doc.components).schemas);
        this.ajv.addSchema({ $id: SCHEMA_BASE, $defs: rewriteRefs(schemas) });
        this.indexOperations();
    }

    /** Reads the document from disk (default: `docs/contact-centre-api.yaml`). */
    static load(file = DEFAULT_OPENAPI_PATH): OpenApiContract {
        return new OpenApiContract(parseYaml(fs.readFileSync(file, 'utf8')) as Doc);
    }

    /** Every operation of the document, in document order. */
    operations(): OperationInfo[] {
        return [...this.operationsById.values()];
    }

    /** One operation by id; throws for an unknown id (a programming error). */
    operation(operationId: string): OperationInfo {
        const op = this.operationsById.get(operationId);
        if (!op) throw new Error(`No operation ${operationId} in the OpenAPI document`);
        return op;
    }

    /** Follows a local `$ref` (`#/components/...`) to its target. */
    resolve<T = Record<string, unknown>>(value: unknown): T {
        let current = asRecord(value);
        for (let depth = 0; typeof current.$ref === 'string' && depth < 10; depth++) {
            const parts = current.$ref.replace(/^#\//, '').split('/');
            let target: unknown = this.doc;
            for (const part of parts) target = asRecord(target)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
            if (target === undefined) throw new Error(`Unresolvable $ref ${String(current.$ref)}`);
            current = asRecord(target);
        }
        return current as T;
    }

    /** Validates a value against a schema of the document; returns the errors (empty when valid). */
    validate(schema: JsonSchema, value: unknown, prefix = ''): ContractError[] {
        let fn = this.compiled.get(schema);
        if (!fn) {
            fn = this.ajv.compile(rewriteRefs(schema) as JsonSchema);
            this.compiled.set(schema, fn);
        }
        return fn(value) ? [] : toContractErrors(fn.errors, prefix);
    }

    /** Validates against `components.schemas[name]`. */
    validateSchema(name: string, value: unknown): ContractError[] {
        let ref = this.namedRefs.get(name);
        if (!ref) {
            ref = { $ref: `#/components/schemas/${name}` };
            this.namedRefs.set(name, ref);
        }
        return this.validate(ref, value);
    }

    /**
     * Checks a response against the operation's documented responses: the status must be documented,
     * the media type must be one of the documented ones, a JSON body must match its schema and
     * required headers must be present.
     */
    validateResponse(
        operationId: string,
        response: {
            status: number;
            contentType: string | undefined;
            headers: Record<string, string>;
            body: unknown;
        }
    ): ContractError[] {
        const op = this.operation(operationId);
        const documented = op.responses[String(response.status)];
        if (!documented)
            return [{ pointer: '#/status', detail: `status ${response.status} is not documented` }];
        const errors: ContractError[] = [];
        for (const [name, header] of Object.entries(documented.headers)) {
            const value = response.headers[name];
            if (value === undefined) {
                if (header.required)
                    errors.push({ pointer: `#/header/${name}`, detail: 'required header missing' });
            } else if (header.schema) {
                const typed =
                    header.schema.type === 'integer' && /^-?\d+$/.test(value) ? Number(value) : value;
                errors.push(...this.validate(header.schema, typed, `#/header/${name}`));
            }
        }
        const mediaTypes = Object.keys(documented.content);
        const mediaType = (response.contentType ?? '').split(';')[0]!.trim().toLowerCase();
        if (mediaTypes.length === 0) {
            if (response.body !== undefined && response.body !== '' && response.body !== null) {
                errors.push({ pointer: '#/body', detail: 'no body is documented for this status' });
            }
            return errors;
        }
        if (!mediaTypes.includes(mediaType)) {
            errors.push({
                pointer: '#/content-type',
                detail: `"${mediaType}" is not one of ${mediaTypes.join(', ')}`
            });
            return errors;
        }
        const schema = documented.content[mediaType];
        if (schema && /json$/.test(mediaType)) errors.push(...this.validate(schema, response.body));
        return errors;
    }

    private indexOperations(): void {
        const globalSecurity = (this.doc.security as Record<string, unknown>[] | undefined) ?? [];
        for (const [pathTemplate, pathItemRaw] of Object.entries(asRecord(this.doc.paths))) {
            const pathItem = asRecord(pathItemRaw);
            const shared = (pathItem.parameters as unknown[] | undefined) ?? [];
            for (const method of HTTP_METHODS) {
                const opRaw = pathItem[method];
                if (!opRaw) continue;
                const op = asRecord(opRaw);
                const operationId = String(op.operationId);
                const security = (
                    (op.security as Record<string, unknown>[] | undefined) ?? globalSecurity
                ).map((requirement) => Object.keys(requirement));
                const parameters = [...shared, ...((op.parameters as unknown[] | undefined) ?? [])].map(
                    (raw) => {
                        const param = this.resolve(raw);
                        return {
                            name: String(param.name),
                            in: param.in as OperationParameter['in'],
                            required: param.required === true,
                            schema: asRecord(param.schema)
                        };
                    }
                );
                const body = op.requestBody ? this.resolve(op.requestBody) : undefined;
                const responses: Record<string, OperationResponse> = {};
                for (const [status, responseRaw] of Object.entries(asRecord(op.responses))) {
                    const response = this.resolve(responseRaw);
                    const content: Record<string, JsonSchema | undefined> = {};
                    for (const [mediaType, media] of Object.entries(asRecord(response.content))) {
                        const schema = asRecord(media).schema;
                        content[mediaType] = schema ? asRecord(schema) : undefined;
                    }
                    const headers: OperationResponse['headers'] = {};
                    for (const [name, headerRaw] of Object.entries(asRecord(response.headers))) {
                        const header = this.resolve(headerRaw);
                        headers[name.toLowerCase()] = {
                            required: header.required === true,
                            schema: header.schema ? asRecord(header.schema) : undefined
                        };
                    }
                    responses[status] = { status, content, headers };
                }
                this.operationsById.set(operationId, {
                    operationId,
                    method: method.toUpperCase(),
                    path: pathTemplate,
                    security,
                    parameters,
                    requestBodySchema: body
                        ? asRecord(asRecord(asRecord(body.content)['application/json']).schema)
                        : undefined,
                    requestBodyRequired: body?.required === true,
                    responses
                });
            }
        }
    }
}
