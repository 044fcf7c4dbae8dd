/**
 * ContactCentreClient's port: JSON calls to the contact centre's external API (the simulator locally) with
 * the credentials the External Credential adds in Salesforce (`X-Api-Key`, `X-Tenant-Id`), a 10 s timeout,
 * and failures as {@link ContactCentreError} (status, problem code, Retry-After).
 */
import { ContactCentreError } from './errors';

/** Where and as whom the local org calls the contact centre (the Named/External Credential). */
export interface ContactCentreConnection {
    baseUrl: string;
    apiKey: string;
    tenantId: string;
    /** X-Admin-Login (the External Credential's AdminLogin parameter); none when absent. */
    adminLogin?: string;
    timeoutMs?: number;
}

/** ContactCentreClient.DEFAULT_TIMEOUT_MS */
const DEFAULT_TIMEOUT_MS = 10_000;

export class ContactCentreClient {
    constructor(private connection: ContactCentreConnection) {}

    /** Points the client at new credentials (the setup tab saving the External/Named Credential). */
    reconfigure(connection: ContactCentreConnection): void {
        this.connection = connection;
    }

    get<T>(path: string): Promise<T> {
        return this.send<T>('GET', path);
    }

    put<T>(path: string, body: unknown): Promise<T> {
        return this.send<T>('PUT', path, body);
    }

    post<T>(path: string, body: unknown): Promise<T> {
        return this.send<T>('POST', path, body);
    }

    delete<T>(path: string): Promise<T> {
        return this.send<T>('DELETE', path);
    }

    /** One path segment, encoded (ContactCentreClient.pathSegment). */
    static pathSegment(value: string): string {
        return encodeURIComponent(value);
    }

    private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), this.connection.timeoutMs ?? DEFAULT_TIMEOUT_MS);
        let response: Response;
        try {
            response = await fetch(`${this.connection.baseUrl}${path}`, {
                method,
                headers: {
                    Accept: 'application/json',
                    'X-Api-Key': this.connection.apiKey,
                    'X-Tenant-Id': this.connection.tenantId,
                    ...(this.connection.adminLogin ? { 'X-Admin-Login': this.connection.adminLogin } : {}),
                    ...(body === undefined || body === null ? {} : { 'Content-Type': 'application/json' })
                },
                body: body === undefined || body === null ? undefined : JSON.stringify(body),
                signal: controller.signal
            });
        } catch (error) {
            const timedOut = controller.signal.aborted;
            throw new ContactCentreError(
                `${method} ${path}: ${timedOut ? 'timed out' : 'unreachable'}`,
                0,
                null,
                null,
                timedOut
            );
        } finally {
            clearTimeout(timer);
        }
        const text = await response.text();
        if (!response.ok) {
            let problem: { code?: unknown; retryAfterSeconds?: unknown } = {};
            try {
                problem = JSON.parse(text);
            } catch {
                // an HTML error page: no problem document (ContactCentreClient's InvalidResponseException)
                problem = { code: 'invalid-response' };
            }
            const header = Number(response.headers.get('Retry-After'));
            const retryAfter =
                Number.isFinite(header) && header > 0
                    ? header
                    : typeof problem.retryAfterSeconds === 'number'
                      ? problem.retryAfterSeconds
                      : null;
            const code = typeof problem.code === 'string' ? problem.code.slice(0, 64) : null;
            throw new ContactCentreError(
                `${method} ${path}: HTTP ${response.status}${code ? ` (${code})` : ''}`,
                response.status,
                code,
                retryAfter
            );
        }
        try {
            return (text ? JSON.parse(text) : null) as T;
        } catch {
            throw new ContactCentreError(
                `${method} ${path}: not JSON`,
                response.status,
                'invalid-response',
                null
            );
        }
    }
}
