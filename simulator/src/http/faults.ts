/**
 * Fault injection for the package's error-handling tests (FAULT-CASES 15, 16): the next N API
 * responses become a given status (as a problem document, 429/503 with Retry-After), an HTML error
 * page (with status 200 or 502: what a proxy sends), or a stall of N seconds (then the normal
 * response, or a dropped connection). Faults apply to `/v1/...` only, first queued first used.
 */

/** A fault as posted to `POST /_sim/faults`. */
export type FaultSpec =
    | {
          kind: 'status';
          status: 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 502 | 503;
          retryAfterSeconds?: number;
          count?: number;
          pathPrefix?: string;
      }
    | { kind: 'html'; status: 200 | 500 | 502 | 503; count?: number; pathPrefix?: string }
    | { kind: 'stall'; seconds: number; then?: 'respond' | 'close'; count?: number; pathPrefix?: string };

/** A queued fault with the responses it still applies to. */
export interface QueuedFault {
    id: number;
    spec: FaultSpec;
    remaining: number;
}

const STATUSES = new Set([400, 401, 403, 404, 409, 422, 429, 500, 502, 503]);
const HTML_STATUSES = new Set([200, 500, 502, 503]);

/** Validates a fault posted by a client; returns an error message or undefined. */
export function checkFaultSpec(value: unknown): string | undefined {
    if (value === null || typeof value !== 'object') return 'a JSON object is required';
    const spec = value as Record<string, unknown>;
    const count = spec.count;
    if (
        count !== undefined &&
        (!Number.isInteger(count) || (count as number) < 1 || (count as number) > 1000)
    ) {
        return 'count must be an integer 1..1000';
    }
    if (
        spec.pathPrefix !== undefined &&
        (typeof spec.pathPrefix !== 'string' || !spec.pathPrefix.startsWith('/v1'))
    ) {
        return 'pathPrefix must start with /v1';
    }
    switch (spec.kind) {
        case 'status':
            if (!STATUSES.has(spec.status as number))
                return `status must be one of ${[...STATUSES].join(', ')}`;
            if (
                spec.retryAfterSeconds !== undefined &&
                !(Number.isInteger(spec.retryAfterSeconds) && (spec.retryAfterSeconds as number) >= 0)
            ) {
                return 'retryAfterSeconds must be a non-negative integer';
            }
            return undefined;
        case 'html':
            return HTML_STATUSES.has(spec.status as number)
                ? undefined
                : 'status must be 200, 500, 502 or 503';
        case 'stall':
            if (typeof spec.seconds !== 'number' || spec.seconds < 0 || spec.seconds > 600)
                return 'seconds must be 0..600';
            if (spec.then !== undefined && spec.then !== 'respond' && spec.then !== 'close')
                return 'then must be respond or close';
            return undefined;
        default:
            return 'kind must be status, html or stall';
    }
}

/** The queue of faults. */
export class FaultInjector {
    private readonly queue: QueuedFault[] = [];
    private nextId = 1;

    /** Queues a fault (validate with {@link checkFaultSpec} first). */
    add(spec: FaultSpec): QueuedFault {
        const fault = { id: this.nextId++, spec, remaining: spec.count ?? 1 };
        this.queue.push(fault);
        return fault;
    }

    /** Faults still queued. */
    list(): QueuedFault[] {
        return this.queue.map((fault) => ({ ...fault }));
    }

    /** Drops every queued fault. */
    clear(): void {
        this.queue.length = 0;
    }

    /** Takes the fault for a request to `pathname`, if one applies. */
    take(pathname: string): FaultSpec | undefined {
        const index = this.queue.findIndex(
            (fault) => !fault.spec.pathPrefix || pathname.startsWith(fault.spec.pathPrefix)
        );
        if (index < 0) return undefined;
        const fault = this.queue[index]!;
        fault.remaining -= 1;
        if (fault.remaining <= 0) this.queue.splice(index, 1);
        return fault.spec;
    }
}

/** The HTML page a broken proxy answers with; it carries a script so a client that renders it is caught. */
export function proxyErrorPage(status: number): string {
    return [
        '<!DOCTYPE html>',
        `<html><head><title>${status === 200 ? 'Maintenance' : `${status} Bad Gateway`}</title></head>`,
        '<body><h1>Bad Gateway</h1><p>The upstream server did not respond.</p>',
        '<script>window.__proxyPageRendered = true;</script>',
        '<hr><address>nginx</address></body></html>'
    ].join('\n');
}
