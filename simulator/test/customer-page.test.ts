/**
 * The simulator's customer page for people (`/customer`): the page files, its configuration (Kamailio's
 * WebSocket, the campaigns) and credentials for customer numbers only. The page's own bundle is built by
 * simulator/customer/customer.mjs (an ES module: built here in a child process).
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import * as path from 'node:path';
import { CUSTOMER_CREDENTIALS_TTL_SECONDS, type CustomerPageAssets } from '../src/control/customer-page';
import { client, startTestSimulator, type TestSimulator } from './helpers';

const SECRET = 'page-test-secret';

const assets: CustomerPageAssets = new Map([
    ['/customer-app.html', { type: 'text/html; charset=utf-8', body: '<main id="customer-app"></main>' }],
    ['/customer.js', { type: 'text/javascript; charset=utf-8', body: 'window.customerReady = true;' }]
]);

let sim: TestSimulator;
let api: ReturnType<typeof client>;
let builds = 0;

beforeEach(async () => {
    builds = 0;
    sim = await startTestSimulator({
        config: { sip: { secret: SECRET, wssUrl: 'ws://127.0.0.1:5066', domain: '127.0.0.1' } },
        customerPageAssets: async () => {
            builds += 1;
            return assets;
        }
    });
    api = client(sim);
});
afterEach(() => sim.close());

describe('GET /customer', () => {
    it.each([
        ['/customer', 'text/html; charset=utf-8', '<main id="customer-app">'],
        ['/customer/', 'text/html; charset=utf-8', '<main id="customer-app">'],
        ['/customer/customer.js', 'text/javascript; charset=utf-8', 'customerReady']
    ])('%s', async (url, type, content) => {
        const response = await api.get(url);
        expect(response.status).toBe(200);
        expect(response.contentType).toBe(type);
        expect(response.headers['cache-control']).toBe('no-store');
        expect(String(response.body)).toContain(content);
    });

    it('builds the page once', async () => {
        await api.get('/customer');
        await api.get('/customer/customer.js');
        expect(builds).toBe(1);
    });

    it('answers 404 for other paths', async () => {
        const response = await api.get('/customer/secret.txt');
        expect(response.status).toBe(404);
        expect(response.body.code).toBe('not-found');
    });

    it('gives the WebSocket URL, the domain and every tenant with its campaigns', async () => {
        const response = await api.get('/customer/config');
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ wsUrl: 'ws://127.0.0.1:5066', domain: '127.0.0.1' });
        const test = response.body.tenants.find((tenant: { id: string }) => tenant.id === 'acme-test');
        expect(test.campaigns.map((campaign: { id: string }) => campaign.id)).toEqual(
            expect.arrayContaining(['cmp-support', 'cmp-sales', 'cmp-hotline'])
        );
    });
});

describe('POST /customer/credentials', () => {
    it('issues auth_ephemeral credentials of a customer number', async () => {
        const response = await api.post('/customer/credentials', { body: { user: '+48600700999' } });
        expect(response.status).toBe(200);
        const { uri, username, password, expiresAt } = response.body;
        expect(uri).toBe('sip:+48600700999@127.0.0.1');
        const [expiry, user] = String(username).split(':');
        expect(user).toBe('+48600700999');
        expect(Number(expiry) * 1000).toBe(
            Math.floor((sim.manualClock.now() + CUSTOMER_CREDENTIALS_TTL_SECONDS * 1000) / 1000) * 1000
        );
        expect(password).toBe(createHmac('sha1', SECRET).update(username).digest('base64'));
        expect(Date.parse(expiresAt)).toBeGreaterThan(sim.manualClock.now());
    });

    it.each([
        ['an agent id', { user: 'agt-101' }, 422],
        ['a campaign', { user: 'cmp-support' }, 422],
        ['a queue', { user: 'que-hotline' }, 422],
        ['letters', { user: 'alice' }, 422],
        ['no user', {}, 422],
        ['too short', { user: '12' }, 422]
    ])('refuses %s', async (_name, body, status) => {
        const response = await api.post('/customer/credentials', { body });
        expect(response.status).toBe(status);
    });

    it("refuses an agent's extension", async () => {
        const agent = sim.store.listAgents('acme-test').find((candidate) => candidate.extension);
        expect(agent).toBeDefined();
        const response = await api.post('/customer/credentials', { body: { user: agent!.extension } });
        expect(response.status).toBe(422);
    });

    it('refuses a body that is not JSON', async () => {
        const response = await api.post('/customer/credentials', { rawBody: 'user=1' });
        expect(response.status).toBe(400);
    });
});

describe('the real page bundle (simulator/customer/customer.mjs)', () => {
    it('bundles page.js with JsSIP, the form and the recorder; the form loads it from /customer/', () => {
        const root = path.resolve(__dirname, '../..');
        const script = `
            const { customerAssets } = await import('./simulator/customer/customer.mjs');
            const assets = await customerAssets();
            const js = assets.get('/customer.js').body;
            const app = assets.get('/customer-app.html').body;
            console.log(JSON.stringify({
                keys: [...assets.keys()],
                jssip: js.includes('JsSIP'),
                form: js.includes('customer-app') && js.includes('customerchange'),
                recorder: js.includes('MediaRecorder') && js.includes('/_sim/recordings/by-call-id/'),
                appScript: app.includes('<script src="/customer/customer.js">'),
                appRoot: app.includes('id="customer-app"')
            }));`;
        const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
            cwd: root,
            encoding: 'utf8'
        });
        expect(JSON.parse(output)).toEqual({
            keys: ['/customer.html', '/customer.js', '/customer-app.html'],
            jssip: true,
            form: true,
            recorder: true,
            appScript: true,
            appRoot: true
        });
    }, 60_000);
});
