/**
 * The customer phone for people, served by the simulator (127.0.0.1 only):
 *
 * | route | what |
 * |---|---|
 * | `GET /customer` | the form (simulator/customer/customer-app.html) |
 * | `GET /customer/customer.js` | page.js + ui.js + recorder.js with JsSIP, bundled by esbuild (customer.mjs) |
 * | `GET /customer/config` | Kamailio's WebSocket URL, the SIP domain, every tenant's campaigns |
 * | `POST /customer/credentials` | `{user}` -> ephemeral SIP credentials of a customer number |
 *
 * Credentials are issued for customer numbers only (`+` and 3-20 digits, not an agent's id or
 * extension, not a campaign or queue), so the page cannot act as an agent.
 */
import type * as http from 'node:http';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ephemeralCredentials } from '../api/sip-credentials';
import type { SimulatorConfig } from '../config';
import { ApiError } from '../http/problem';
import { readBody } from '../http/request';
import type { Store } from '../store/store';
import type { Clock } from '../../../phone-core/src/util/clock';

/** One file of the page. */
export interface CustomerPageAsset {
    type: string;
    body: string | Buffer;
}

/** The page's files by path (`/customer.js`, `/customer-app.html`, ...), as customer.mjs builds them. */
export type CustomerPageAssets = Map<string, CustomerPageAsset>;

/** Lifetime of the page's credentials: a person keeps the tab open for a working day. */
export const CUSTOMER_CREDENTIALS_TTL_SECONDS = 12 * 60 * 60;

const CUSTOMER_NUMBER = /^\+?[0-9]{3,20}$/;

/** Builds the page's files with simulator/customer/customer.mjs (esbuild; ES module, loaded at run time). */
export async function loadCustomerPageAssets(): Promise<CustomerPageAssets> {
    const specifier = pathToFileURL(path.resolve(__dirname, '../../customer/customer.mjs')).href;
    const module = (await import(specifier)) as { customerAssets(): Promise<CustomerPageAssets> };
    return module.customerAssets();
}

/** What the page handler works with. */
export interface CustomerPageDeps {
    store: Store;
    config: SimulatorConfig;
    clock: Clock;
    /** Default {@link loadCustomerPageAssets}; called once, on the first request. */
    assets?: () => Promise<CustomerPageAssets>;
    sendJson(response: http.ServerResponse, status: number, body: unknown): void;
    sendProblem(response: http.ServerResponse, error: ApiError, instance: string, requestId: string): void;
}

/** Builds the handler of `/customer` and `/customer/...`. */
export function createCustomerPageHandler(deps: CustomerPageDeps) {
    let assets: Promise<CustomerPageAssets> | undefined;
    const load = (): Promise<CustomerPageAssets> => {
        assets ??= (deps.assets ?? loadCustomerPageAssets)().catch((error: unknown) => {
            assets = undefined; // try again on the next request
            throw error;
        });
        return assets;
    };

    function isDirectoryEntry(user: string): boolean {
        for (const tenant of deps.store.listTenants()) {
            if (deps.store.getCampaign(tenant.id, user) || deps.store.getQueue(tenant.id, user)) return true;
            if (
                deps.store
                    .listAgents(tenant.id)
                    .some((agent) => agent.id === user || agent.extension === user)
            )
                return true;
        }
        return false;
    }

    function pageConfig() {
        return {
            wsUrl: deps.config.sip.wssUrl,
            domain: deps.config.sip.domain,
            iceServers: deps.config.sip.iceServers,
            tenants: deps.store.listTenants().map((tenant) => ({
                id: tenant.id,
                name: tenant.name,
                campaigns: deps.store.listCampaigns(tenant.id).map((campaign) => ({
                    id: campaign.id,
                    name: campaign.name,
                    mode: campaign.mode,
                    active: campaign.active
                }))
            }))
        };
    }

    async function credentials(request: http.IncomingMessage) {
        let body: { user?: unknown };
        try {
            body = JSON.parse((await readBody(request)).toString('utf8') || '{}') as { user?: unknown };
        } catch {
            throw new ApiError(400, 'invalid-json', 'The body must be JSON: {"user": "+48600700800"}.');
        }
        const user = typeof body.user === 'string' ? body.user.trim() : '';
        if (!CUSTOMER_NUMBER.test(user))
            throw new ApiError(
                422,
                'validation-failed',
                'user must be a phone number: + and 3 to 20 digits.'
            );
        if (isDirectoryEntry(user))
            throw new ApiError(
                422,
                'validation-failed',
                `${user} is an agent, campaign or queue, not a customer.`
            );
        const expiresAtMs = deps.clock.now() + CUSTOMER_CREDENTIALS_TTL_SECONDS * 1000;
        const issued = ephemeralCredentials(deps.config.sip.secret, user, expiresAtMs);
        return {
            uri: `sip:${user}@${deps.config.sip.domain}`,
            username: issued.username,
            password: issued.password,
            expiresAt: new Date(expiresAtMs).toISOString()
        };
    }

    function sendAsset(response: http.ServerResponse, asset: CustomerPageAsset | undefined): void {
        if (!asset) throw new ApiError(404, 'not-found', 'The customer page was not built.');
        const body = typeof asset.body === 'string' ? Buffer.from(asset.body, 'utf8') : asset.body;
        response.writeHead(200, {
            'Content-Type': asset.type,
            'Content-Length': String(body.length),
            'Cache-Control': 'no-store',
            'X-Content-Type-Options': 'nosniff'
        });
        response.end(body);
    }

    return async (
        request: http.IncomingMessage,
        response: http.ServerResponse,
        url: URL,
        requestId: string
    ): Promise<void> => {
        const method = request.method ?? 'GET';
        const rest = url.pathname.replace(/^\/customer\/?/, '');
        try {
            if (method === 'GET' && rest === '')
                sendAsset(response, (await load()).get('/customer-app.html'));
            else if (method === 'GET' && rest === 'customer.js')
                sendAsset(response, (await load()).get('/customer.js'));
            else if (method === 'GET' && rest === 'config') deps.sendJson(response, 200, pageConfig());
            else if (method === 'POST' && rest === 'credentials')
                deps.sendJson(response, 200, await credentials(request));
            else throw new ApiError(404, 'not-found', `Nothing at ${url.pathname}.`);
        } catch (error) {
            if (!(error instanceof ApiError)) throw error;
            deps.sendProblem(response, error, url.pathname, requestId);
        }
    };
}
