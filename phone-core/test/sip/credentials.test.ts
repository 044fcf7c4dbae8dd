import {
    CredentialsError,
    CredentialsManager,
    validateCredentials,
    type SipCredentials
} from '../../src/sip/credentials';
import { systemClock } from '../../src/util/clock';

const good: SipCredentials = {
    wssUrl: 'wss://sip.example.com/ws',
    sipUri: 'sip:agent42@cc.example.com',
    authorizationUsername: 'agent42',
    authorizationPassword: 's3cret',
    expiresAt: 0,
    iceServers: [{ urls: ['turns:turn.example.com:443?transport=tcp'], username: 'u', credential: 'c' }]
};

describe('validateCredentials', () => {
    it('accepts good credentials and parses the address of record', () => {
        const valid = validateCredentials(good);
        expect(valid.aor.user).toBe('agent42');
        expect(valid.aor.host).toBe('cc.example.com');
        expect(valid.iceServers).toEqual(good.iceServers);
    });

    it.each([
        ['ws on loopback, outside the workbench', { wssUrl: 'ws://127.0.0.1:8080' }, false],
        ['ws on localhost, outside the workbench', { wssUrl: 'ws://localhost:8080/ws' }, false],
        ['ws on a remote host', { wssUrl: 'ws://sip.example.com' }, false],
        ['https URL', { wssUrl: 'https://sip.example.com' }, false],
        ['not a URL', { wssUrl: 'sip.example.com' }, false],
        ['missing URL', { wssUrl: '' }, false],
        ['tel: address', { sipUri: 'tel:+48600700800' }, false],
        ['address without user', { sipUri: 'sip:cc.example.com' }, false],
        ['missing username', { authorizationUsername: ' ' }, false],
        ['missing password', { authorizationPassword: '' }, false]
    ])('%s -> valid %p', (_label, patch, ok) => {
        const input = { ...good, ...patch };
        if (ok) {
            expect(() => validateCredentials(input)).not.toThrow();
        } else {
            expect(() => validateCredentials(input)).toThrow(CredentialsError);
        }
    });

    it('accepts ws:// only on loopback and only with the workbench flag (#11 finding 10)', () => {
        const workbench = { allowInsecureWebSocket: true };
        expect(() =>
            validateCredentials({ ...good, wssUrl: 'ws://127.0.0.1:8080' }, workbench)
        ).not.toThrow();
        expect(() =>
            validateCredentials({ ...good, wssUrl: 'ws://localhost:8080/ws' }, workbench)
        ).not.toThrow();
        expect(() => validateCredentials({ ...good, wssUrl: 'ws://sip.example.com' }, workbench)).toThrow(
            CredentialsError
        );
        expect(() => validateCredentials({ ...good, wssUrl: 'ws://127.0.0.1:8080' }, {})).toThrow(
            /ws:\/\/ only on loopback in the workbench/
        );
    });

    it('never puts the password into an error message', () => {
        try {
            validateCredentials({ ...good, wssUrl: 'http://x', authorizationPassword: 'TOPSECRET' });
        } catch (error) {
            expect(String(error)).not.toContain('TOPSECRET');
        }
        expect.assertions(1);
    });

    it('drops ICE servers without urls and ignores non-numeric expiry', () => {
        const valid = validateCredentials({
            ...good,
            expiresAt: 'soon',
            iceServers: [{ urls: 'stun:stun.example.com' }, { username: 'x' }, 'junk']
        });
        expect(valid.iceServers).toEqual([{ urls: 'stun:stun.example.com' }]);
        expect(valid.expiresAt).toBe(0);
    });

    it('rejects a missing object', () => {
        expect(() => validateCredentials(undefined)).toThrow('getCredentials() returned no credentials');
    });
});

describe('CredentialsManager', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('shares one request between concurrent callers', async () => {
        let calls = 0;
        const manager = new CredentialsManager({
            clock: systemClock,
            getCredentials: () => {
                calls++;
                return Promise.resolve(good);
            },
            onExpiryRefresh: () => undefined,
            onError: () => undefined
        });
        const [a, b] = await Promise.all([manager.fetch(), manager.fetch()]);
        expect(a).toBe(b);
        expect(calls).toBe(1);
        expect(manager.fetches).toBe(1);
        await manager.fetch();
        expect(calls).toBe(2);
    });

    it('refreshes before expiry: 10% of the lifetime early, at least 30 s', async () => {
        const now = Date.now();
        let calls = 0;
        const refreshed: string[] = [];
        const manager = new CredentialsManager({
            clock: systemClock,
            getCredentials: () => {
                calls++;
                return Promise.resolve({
                    ...good,
                    authorizationPassword: `p${calls}`,
                    expiresAt: Date.now() + 3600000
                });
            },
            onExpiryRefresh: (c) => refreshed.push(c.authorizationPassword),
            onError: () => undefined
        });
        await manager.fetch();
        expect(manager.current?.expiresAt).toBe(now + 3600000);
        await jest.advanceTimersByTimeAsync(3600000 - 360000 - 1);
        expect(refreshed).toEqual([]);
        await jest.advanceTimersByTimeAsync(1);
        expect(refreshed).toEqual(['p2']);
        manager.stop();
        await jest.advanceTimersByTimeAsync(7200000);
        expect(refreshed).toEqual(['p2']);
    });

    it('does not loop when the host keeps returning expired credentials', async () => {
        let calls = 0;
        const manager = new CredentialsManager({
            clock: systemClock,
            minRefreshGapMs: 5000,
            getCredentials: () => {
                calls++;
                return Promise.resolve({ ...good, expiresAt: Date.now() - 1000 });
            },
            onExpiryRefresh: () => undefined,
            onError: () => undefined
        });
        await manager.fetch();
        await jest.advanceTimersByTimeAsync(60000);
        // one refresh at once, then at most one per 5 s
        expect(calls).toBeLessThanOrEqual(1 + 1 + 60000 / 5000);
        expect(calls).toBeGreaterThan(2);
        manager.stop();
    });

    it('reports a failed expiry refresh and tries again later', async () => {
        let calls = 0;
        const errors: string[] = [];
        const manager = new CredentialsManager({
            clock: systemClock,
            getCredentials: () => {
                calls++;
                return calls === 1
                    ? Promise.resolve({ ...good, expiresAt: Date.now() + 60000 })
                    : Promise.reject(new Error('Apex said no'));
            },
            onExpiryRefresh: () => undefined,
            onError: (e) => errors.push(e.message)
        });
        await manager.fetch();
        await jest.advanceTimersByTimeAsync(30000);
        expect(errors).toEqual(['Apex said no']);
        // next try half-way to the (unchanged) expiry: 15 s later
        await jest.advanceTimersByTimeAsync(14999);
        expect(errors).toHaveLength(1);
        await jest.advanceTimersByTimeAsync(1);
        expect(errors).toHaveLength(2);
        manager.stop();
    });
});
