/**
 * Contract tests: every operation of docs/contact-centre-api.yaml is called on a real simulator over
 * HTTP, on its success and error paths, and every response is validated against the document
 * (status documented, media type, JSON schema, required headers). A missing operation fails the run.
 */
import { contract } from './helpers';
import { ADMIN_CASES } from './contract-cases-admin';
import { AGENT_CASES } from './contract-cases-agents';
import { CALL_CASES } from './contract-cases-calls';
import { OPERATION_IDS } from './contract-support';

/** Every operation's cases: the operations themselves run in contract-agents, -calls and -admin.test.ts. */
const CASES = { ...AGENT_CASES, ...CALL_CASES, ...ADMIN_CASES };

describe('contract coverage', () => {
    it('has success and error cases for every operation of the document, and no others', () => {
        const missing = OPERATION_IDS.filter((id) => {
            const statuses = (CASES[id] ?? []).map((c) => c.status);
            return !statuses.some((s) => s < 300) || !statuses.some((s) => s >= 400);
        });
        expect(missing).toEqual([]);
        expect(Object.keys(CASES).filter((id) => !OPERATION_IDS.includes(id))).toEqual([]);
    });

    it('documents 429, 500, 502 and 503 on every operation', () => {
        for (const operation of contract.operations()) {
            for (const status of ['429', '500', '502', '503'])
                expect(Object.keys(operation.responses)).toContain(status);
        }
    });
});

describe('the document itself', () => {
    const doc = contract.doc as Record<string, any>;

    function examplesOf(media: Record<string, any>): [string, unknown][] {
        return Object.entries(media.examples ?? {}).map(([name, example]) => [
            name,
            contract.resolve<{ value: unknown }>(example).value
        ]);
    }

    const cases: [string, Record<string, unknown>, unknown][] = [];
    const seen = new Set<unknown>(); // shared component responses would repeat their examples per operation
    const operations = [...Object.values(doc.paths), ...Object.values(doc.webhooks)] as Record<string, any>[];
    for (const pathItem of operations) {
        for (const operation of Object.values(pathItem)) {
            const bodies = [
                contract.resolve(operation.requestBody ?? {}),
                ...Object.values(operation.responses).map((r) => contract.resolve(r))
            ];
            for (const body of bodies as Record<string, any>[]) {
                for (const [mediaType, media] of Object.entries(body.content ?? {}) as [
                    string,
                    Record<string, any>
                ][]) {
                    for (const [name, value] of examplesOf(media)) {
                        if (seen.has(value)) continue;
                        seen.add(value);
                        cases.push([`${operation.operationId} ${mediaType} ${name}`, media.schema, value]);
                    }
                }
            }
        }
    }
    for (const [name, schema] of Object.entries(doc.components.schemas) as [string, Record<string, any>][]) {
        for (const [index, value] of ((schema.examples as unknown[]) ?? []).entries()) {
            cases.push([`schema ${name} example ${index}`, { $ref: `#/components/schemas/${name}` }, value]);
        }
    }

    it('has examples', () => expect(cases.length).toBeGreaterThan(30));

    it.each(cases)('example %s matches its schema', (_name, schema, value) => {
        expect(contract.validate(schema, value)).toEqual([]);
    });

    it('compiles every component schema', () => {
        for (const name of Object.keys(doc.components.schemas))
            expect(() => contract.validateSchema(name, null)).not.toThrow();
    });
});
