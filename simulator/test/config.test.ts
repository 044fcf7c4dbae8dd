import * as path from 'node:path';
import { DEFAULT_DATA_DIR, HelpRequested, readConfig } from '../src/config';

describe('readConfig', () => {
    it('has defaults: port 4010, simulator/.data, 20 s ring, push off', () => {
        const config = readConfig([], {});
        expect(config).toMatchObject({
            port: 4010,
            dataDir: DEFAULT_DATA_DIR,
            ringTimeoutSeconds: 20,
            maxWaitSeconds: 120,
            push: null
        });
        expect(DEFAULT_DATA_DIR.endsWith(path.join('simulator', '.data'))).toBe(true);
    });

    it('reads flags, which win over the environment', () => {
        const config = readConfig(
            ['--port', '4999', '--data-dir=/tmp/x', '--ring-timeout', '5', '--manual-clock'],
            {
                SIM_PORT: '1234',
                SIM_RATE_LIMIT: '7'
            }
        );
        expect(config).toMatchObject({
            port: 4999,
            dataDir: '/tmp/x',
            ringTimeoutSeconds: 5,
            rateLimitPerSecond: 7,
            manualClock: true
        });
    });

    it('--in-memory keeps nothing on disk', () => {
        expect(readConfig(['--in-memory'], {}).dataDir).toBeNull();
    });

    it.each([
        [['--host', '0.0.0.0'], /Unknown option --host/],
        [['--port'], /needs a value/],
        [['--port', 'x'], /port must be a number/],
        [['4010'], /Unexpected argument/]
    ])('rejects %j', (argv, message) => {
        expect(() => readConfig(argv, {})).toThrow(message);
    });

    it('prints usage for --help', () => {
        expect(() => readConfig(['--help'], {})).toThrow(HelpRequested);
    });

    it.each([
        [{}, null],
        [
            { SF_INSTANCE_URL: 'https://x.my.salesforce.com', SF_ACCESS_TOKEN: 't' },
            { kind: 'token', instanceUrl: 'https://x.my.salesforce.com', accessToken: 't' }
        ],
        [
            { SF_USERNAME: 'u@x.example', SF_PASSWORD: 'p' },
            {
                kind: 'password',
                loginUrl: 'https://login.salesforce.com',
                username: 'u@x.example',
                password: 'p'
            }
        ],
        [
            { SF_LOGIN_URL: 'https://test.salesforce.com', SF_USERNAME: 'u@x.example', SF_PASSWORD: 'p' },
            {
                kind: 'password',
                loginUrl: 'https://test.salesforce.com',
                username: 'u@x.example',
                password: 'p'
            }
        ]
    ])('push credentials from %j', (env, credentials) => {
        const config = readConfig([], env);
        expect(config.push?.credentials ?? null).toEqual(credentials);
        if (credentials)
            expect(config.push).toMatchObject({ tenantId: 'acme-test', path: '/ccphone/calls/v1' });
    });
});
