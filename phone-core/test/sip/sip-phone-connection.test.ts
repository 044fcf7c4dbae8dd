/**
 * SipPhone connection life cycle on the fake transport: registration, reconnect loop, keepalive, network events,
 * credentials. Time is Jest's fake clock; the backoff random is fixed at 0.5 (delays 500, 1000, 2000 ms, ...).
 */
import { MicrophoneError } from '../../src/sip/media';
import { RegistrationState } from '../../src/sip/registration';
import { ConnectionState } from '../../src/sip/types';
import { createSipRig, testCredentials, type SipRig } from '../fakes/fake-sip-harness';
import { ufragOf } from '../fakes/fake-sip-wire';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

/** Ring, answer and connect an inbound call; returns its call id and SIP Call-ID. */
async function connectedInbound(rig: SipRig): Promise<{ callId: string; sipCallId: string }> {
    const fake = rig.server.sendInvite();
    await rig.advance(10);
    const callId = rig.events.incoming[rig.events.incoming.length - 1].id;
    const answered = await rig.phone.answer(callId);
    await rig.advance(10);
    expect(answered.ok).toBe(true);
    expect(rig.phone.call(callId)?.state).toBe('Connected');
    return { callId, sipCallId: fake.callId };
}

describe('registration', () => {
    it('registers after start, with its own reconnect loop and the TURN servers in place', async () => {
        const rig = createSipRig();
        await rig.startRegistered();
        expect(rig.phone.registrationState).toBe(RegistrationState.Registered);
        expect(rig.events.registration.map((e) => e.state)).toEqual(['Registering', 'Registered']);
        expect(rig.events.connection.map((e) => e.state)).toEqual(['Connecting', 'Connected']);
        const register = rig.server.lastRequest('REGISTER');
        expect(register?.getHeader('contact')).toMatch(/;expires=600$/);
        const ua = rig.phone.userAgent;
        // sip.js's deprecated reconnect loop stays off (its default 0): the phone owns reconnects
        expect(ua?.configuration.reconnectionAttempts).toBe(0);
        const sdhOptions = ua?.configuration.sessionDescriptionHandlerFactoryOptions as {
            peerConnectionConfiguration: RTCConfiguration;
        };
        expect(sdhOptions.peerConnectionConfiguration.iceServers).toEqual(testCredentials().iceServers);
        await rig.phone.stop();
    });

    it('reports a rejected registration and retries with backoff', async () => {
        const rig = createSipRig();
        rig.server.registerBehaviour = { status: 500, reason: 'Server Internal Error' };
        await rig.phone.start();
        await rig.advance(10);
        expect(rig.events.registration[rig.events.registration.length - 1]).toMatchObject({
            state: 'Failed',
            statusCode: 500,
            authFailure: false
        });
        expect(rig.server.requests('REGISTER')).toHaveLength(1);
        rig.server.registerBehaviour = 'accept';
        // first backoff step: 500 ms after the failure (10 ms have passed)
        await rig.advance(480);
        expect(rig.server.requests('REGISTER')).toHaveLength(1);
        await rig.advance(20);
        expect(rig.server.requests('REGISTER')).toHaveLength(2);
        expect(rig.phone.registrationState).toBe(RegistrationState.Registered);
        expect(rig.credentialCalls()).toBe(1);
        await rig.phone.stop();
    });
});

describe('reconnect loop', () => {
    it('drop while idle -> reconnect with backoff -> re-REGISTER on the new socket', async () => {
        const rig = createSipRig();
        await rig.startRegistered();
        rig.server.connectMode = 'refuse';
        rig.server.dropConnection();
        await rig.advance(0);
        expect(rig.phone.registrationState).toBe(RegistrationState.Unregistered);
        expect(rig.events.connection[rig.events.connection.length - 1]).toMatchObject({
            state: ConnectionState.WaitingToReconnect,
            retryInMs: 500
        });
        expect(rig.server.connectAttempts).toBe(1);
        await rig.advance(499);
        expect(rig.server.connectAttempts).toBe(1);
        await rig.advance(1);
        expect(rig.server.connectAttempts).toBe(2); // refused
        await rig.advance(999);
        expect(rig.server.connectAttempts).toBe(2);
        await rig.advance(1);
        expect(rig.server.connectAttempts).toBe(3); // refused again, next in 2000
        rig.server.connectMode = 'accept';
        await rig.advance(2000);
        expect(rig.server.connectAttempts).toBe(4);
        expect(rig.phone.connectionState).toBe(ConnectionState.Connected);
        expect(rig.server.isRegistered).toBe(true);
        expect(rig.phone.registrationState).toBe(RegistrationState.Registered);
        const registers = rig.server.received.filter(
            (r) => 'method' in r.message && r.message.method === 'REGISTER'
        );
        expect(registers.map((r) => r.connectionId)).toEqual([1, 4]);
        const retries = rig.events.connection.filter((e) => e.state === ConnectionState.WaitingToReconnect);
        expect(retries.map((e) => e.retryInMs)).toEqual([500, 1000, 2000]);
        await rig.phone.stop();
    });

    it('drop while a REGISTER is in flight -> the Registerer is replaced and registers again', async () => {
        const rig = createSipRig();
        rig.server.registerBehaviour = 'silence';
        await rig.phone.start();
        await rig.advance(10);
        expect(rig.phone.registrationState).toBe(RegistrationState.Registering);
        rig.server.dropConnection();
        rig.server.registerBehaviour = 'accept';
        await rig.advance(500);
        expect(rig.server.connectAttempts).toBe(2);
        await rig.advance(10);
        const registers = rig.server.requests('REGISTER');
        expect(registers).toHaveLength(2);
        // a new Registerer has a new Call-ID; the stuck one would have answered RequestPendingError
        expect(registers[1].callId).not.toBe(registers[0].callId);
        expect(rig.phone.registrationState).toBe(RegistrationState.Registered);
        expect(rig.server.isRegistered).toBe(true);
        // the abandoned REGISTER times out later (Timer F) without spoiling the new registration
        await rig.advance(40000);
        expect(rig.phone.registrationState).toBe(RegistrationState.Registered);
        await rig.phone.stop();
    });

    it('drop during a call -> re-REGISTER and an ICE-restart re-INVITE; the call survives', async () => {
        const rig = createSipRig();
        await rig.startRegistered();
        const { callId, sipCallId } = await connectedInbound(rig);
        const sdh = rig.sdh.last;
        const ufragBefore = ufragOf(sdh?.localDescriptions[sdh.localDescriptions.length - 1]);
        rig.server.dropConnection();
        await rig.advance(500);
        await rig.advance(10);
        expect(rig.server.isRegistered).toBe(true);
        const reInvites = rig.server.requests('INVITE').filter((r) => r.callId === sipCallId && r.toTag);
        expect(reInvites).toHaveLength(1);
        expect(ufragOf(reInvites[0].body)).not.toBe(ufragBefore);
        expect(sdh?.descriptionOptions.some((o) => o?.offerOptions?.iceRestart === true)).toBe(true);
        // TURN servers (fresh from the credentials) are put on the peer connection before the restart
        expect(sdh?.peerConnection.configurations[0]?.iceServers).toEqual(testCredentials().iceServers);
        expect(rig.phone.call(callId)?.state).toBe('Connected');
        expect(rig.events.ended).toEqual([]);
        // the restart is one-shot: the next re-INVITE (hold) is a plain one
        await rig.phone.hold(callId);
        await rig.advance(10);
        const last = sdh?.descriptionOptions[sdh.descriptionOptions.length - 1];
        expect(last?.offerOptions?.iceRestart).toBeFalsy();
        expect(last?.hold).toBe(true);
        await rig.phone.stop();
    });

    it.each([
        [481, 'Call/Transaction Does Not Exist'],
        [408, 'Request Timeout'],
        // FAULT-CASES 19: the edge restarted and the other party's connection is gone (RFC 5057: usage ends)
        [410, 'Gone'],
        [404, 'Not Found'],
        [480, 'Temporarily Unavailable'],
        [477, 'Send failed']
    ])(
        'drop during a call whose dialog died (%p to the re-INVITE) -> callEnded exactly once',
        async (code, reason) => {
            const rig = createSipRig();
            await rig.startRegistered();
            const { callId } = await connectedInbound(rig);
            rig.server.reInviteBehaviour = { status: code, reason };
            rig.server.dropConnection();
            await rig.advance(510);
            expect(rig.events.ended).toHaveLength(1);
            expect(rig.events.ended[0]).toMatchObject({
                id: callId,
                state: 'Ended',
                outcome: 'Answered',
                sipFailure: { code }
            });
            await rig.advance(60000);
            rig.server.dropConnection();
            await rig.advance(60000);
            expect(rig.events.ended).toHaveLength(1);
            expect(rig.phone.activeCalls()).toEqual([]);
            await rig.phone.stop();
            expect(rig.events.ended).toHaveLength(1);
        }
    );

    it('hang up while the socket is down: sip.js ends the session on the transport error, callEnded once', async () => {
        const rig = createSipRig();
        await rig.startRegistered();
        const { callId } = await connectedInbound(rig);
        rig.server.connectMode = 'refuse';
        rig.server.dropConnection();
        await rig.advance(0);
        const r = await rig.phone.hangup(callId);
        expect(r.ok).toBe(true);
        await rig.advance(10);
        expect(rig.events.ended).toHaveLength(1);
        expect(rig.events.ended[0]).toMatchObject({ outcome: 'Answered', endedBy: 'local' });
        rig.server.connectMode = 'accept';
        await rig.advance(5000);
        expect(rig.server.isRegistered).toBe(true);
        expect(rig.events.ended).toHaveLength(1);
        await rig.phone.stop();
    });

    it('OPTIONS keepalive timeout -> the socket is declared dead and replaced', async () => {
        const rig = createSipRig({ keepaliveIntervalMs: 20000, keepaliveTimeoutMs: 5000 });
        await rig.startRegistered();
        rig.server.blackhole = true; // looks open, carries nothing
        await rig.advance(20000);
        expect(rig.server.requests('OPTIONS')).toHaveLength(1);
        expect(rig.server.connectAttempts).toBe(1);
        await rig.advance(5000);
        expect(rig.events.connection[rig.events.connection.length - 1]).toMatchObject({
            state: ConnectionState.WaitingToReconnect,
            reason: 'keepalive timeout'
        });
        rig.server.blackhole = false;
        await rig.advance(500);
        expect(rig.server.connectAttempts).toBe(2);
        await rig.advance(10);
        expect(rig.server.isRegistered).toBe(true);
        await rig.phone.stop();
    });

    it.each([
        [503, true],
        [408, true],
        [200, false],
        [484, false]
    ])('OPTIONS answered %p -> socket dead: %p', async (status, dead) => {
        const rig = createSipRig({ keepaliveIntervalMs: 20000, keepaliveTimeoutMs: 5000 });
        await rig.startRegistered();
        rig.server.optionsBehaviour = status;
        await rig.advance(20010);
        expect(rig.server.requests('OPTIONS')).toHaveLength(1);
        await rig.advance(1000);
        expect(rig.server.connectAttempts).toBe(dead ? 2 : 1);
        expect(rig.server.isRegistered).toBe(true);
        await rig.phone.stop();
    });

    it('a dead socket whose close never completes does not block the reconnect', async () => {
        const rig = createSipRig({ keepaliveIntervalMs: 20000, keepaliveTimeoutMs: 5000 });
        await rig.startRegistered();
        rig.server.closeNeverCompletes = true;
        rig.server.optionsBehaviour = 'silence';
        await rig.advance(25000);
        rig.server.optionsBehaviour = 'accept';
        await rig.advance(510);
        expect(rig.server.connectAttempts).toBe(2);
        expect(rig.server.isRegistered).toBe(true);
        rig.server.closeNeverCompletes = false;
        await rig.phone.stop();
    });

    it('the browser `online` event triggers an immediate reconnect attempt', async () => {
        const rig = createSipRig();
        await rig.startRegistered();
        rig.server.connectMode = 'refuse';
        rig.network.fire('offline');
        rig.server.dropConnection();
        await rig.advance(0);
        // offline: the next attempt waits for the backoff ceiling, not the jittered delay
        expect(rig.events.connection[rig.events.connection.length - 1]).toMatchObject({
            state: ConnectionState.WaitingToReconnect,
            retryInMs: 2000,
            online: false
        });
        await rig.advance(100);
        expect(rig.server.connectAttempts).toBe(1);
        rig.server.connectMode = 'accept';
        rig.network.fire('online');
        await rig.advance(0);
        expect(rig.server.connectAttempts).toBe(2);
        await rig.advance(10);
        expect(rig.server.isRegistered).toBe(true);
        // the pending backoff timer was replaced: no extra attempt later
        await rig.advance(10000);
        expect(rig.server.connectAttempts).toBe(2);
        await rig.phone.stop();
    });

    it('`online` while connected probes the socket and moves established calls to the new network', async () => {
        const rig = createSipRig({ keepaliveIntervalMs: 20000 });
        await rig.startRegistered();
        const { sipCallId } = await connectedInbound(rig);
        rig.network.fire('online');
        await rig.advance(10);
        expect(rig.server.requests('OPTIONS')).toHaveLength(1);
        const reInvites = rig.server.requests('INVITE').filter((r) => r.callId === sipCallId && r.toTag);
        expect(reInvites).toHaveLength(1);
        expect(rig.server.connectAttempts).toBe(1);
        await rig.phone.stop();
    });

    it('start() fails clearly when the microphone is denied, before connecting', async () => {
        const rig = createSipRig();
        rig.media.permission = 'denied';
        await expect(rig.phone.start()).rejects.toBeInstanceOf(MicrophoneError);
        expect(rig.events.errors[0]).toMatchObject({ kind: 'microphone', code: 'denied' });
        expect(rig.server.connectAttempts).toBe(0);
        expect(rig.phone.isStarted).toBe(false);
    });

    it('stop() ends calls (one callEnded each), unregisters and stops listening to the network', async () => {
        const rig = createSipRig();
        await rig.startRegistered();
        expect(rig.network.listenerCount()).toBe(2);
        await connectedInbound(rig);
        const stopping = rig.phone.stop();
        await rig.advance(10);
        await stopping;
        expect(rig.events.ended).toHaveLength(1);
        expect(rig.events.ended[0]).toMatchObject({ outcome: 'Answered', endedBy: 'local' });
        expect(rig.server.requests('BYE')).toHaveLength(1);
        const unregister = rig.server.lastRequest('REGISTER');
        expect(unregister?.getHeader('contact')).toMatch(/expires=0/);
        expect(rig.server.isRegistered).toBe(false);
        expect(rig.network.listenerCount()).toBe(0);
        expect(rig.phone.connectionState).toBe(ConnectionState.Disconnected);
    });
});

describe('credentials', () => {
    it('403 -> fresh credentials from the host, then registered', async () => {
        const rig = createSipRig({}, [
            testCredentials({ authorizationPassword: 'old' }),
            testCredentials({ authorizationPassword: 'new' })
        ]);
        rig.server.registerBehaviour = 'forbidden';
        await rig.phone.start();
        await rig.advance(10);
        expect(rig.events.registration[rig.events.registration.length - 1]).toMatchObject({
            state: 'Failed',
            statusCode: 403,
            authFailure: true
        });
        expect(rig.credentialCalls()).toBe(1);
        rig.server.registerBehaviour = 'accept';
        await rig.advance(500);
        await rig.advance(10);
        expect(rig.credentialCalls()).toBe(2);
        expect(rig.phone.userAgent?.configuration.authorizationPassword).toBe('new');
        expect(rig.phone.registrationState).toBe(RegistrationState.Registered);
        // same server and address: the UserAgent was updated in place, not rebuilt
        expect(rig.userAgentOptions).toHaveLength(1);
        await rig.phone.stop();
    });

    it('a 401 that survives the digest answer -> new password, real digest accepted', async () => {
        const rig = createSipRig({}, [
            testCredentials({ authorizationPassword: 'expired' }),
            testCredentials({ authorizationPassword: 'fresh' })
        ]);
        rig.server.registerBehaviour = 'challenge';
        rig.server.accounts.set('agent', 'fresh');
        await rig.phone.start();
        await rig.advance(10);
        // REGISTER, 401, REGISTER with the old digest, 401 again -> sip.js gives up
        expect(rig.server.requests('REGISTER')).toHaveLength(2);
        expect(rig.events.registration[rig.events.registration.length - 1]).toMatchObject({
            state: 'Failed',
            statusCode: 401,
            authFailure: true
        });
        await rig.advance(510);
        expect(rig.credentialCalls()).toBe(2);
        expect(rig.phone.registrationState).toBe(RegistrationState.Registered);
        expect(rig.server.lastRequest('REGISTER')?.getHeader('authorization')).toContain('username="agent"');
        await rig.phone.stop();
    });

    it('expired ephemeral credentials (403, no new challenge) -> new username, fresh digest, registered', async () => {
        // auth_ephemeral: the username is "<expiry>:<user>"; an expired one is refused with 403 even with a
        // valid digest, and the registrar never challenges a request that carries an Authorization header
        const rig = createSipRig({}, [
            testCredentials({ authorizationUsername: '1000:agent', authorizationPassword: 'old' }),
            testCredentials({ authorizationUsername: '2000:agent', authorizationPassword: 'new' })
        ]);
        rig.server.registerBehaviour = 'challenge';
        rig.server.badDigestStatus = 403;
        rig.server.accounts.set('2000:agent', 'new');
        await rig.phone.start();
        await rig.advance(10);
        // REGISTER, 401, REGISTER with the expired username's digest, 403
        expect(rig.server.requests('REGISTER')).toHaveLength(2);
        expect(rig.events.registration[rig.events.registration.length - 1]).toMatchObject({
            state: 'Failed',
            statusCode: 403,
            authFailure: true
        });
        const expired = rig.server.requests('REGISTER')[1].getHeader('authorization') ?? '';
        expect(expired).toContain('username="1000:agent"');

        await rig.advance(510);
        expect(rig.credentialCalls()).toBe(2);
        expect(rig.phone.userAgent?.configuration.authorizationUsername).toBe('2000:agent');
        expect(rig.phone.registrationState).toBe(RegistrationState.Registered);
        const after = rig.server.requests('REGISTER').slice(2);
        // a fresh REGISTER without the stale header, challenged, answered with the new username
        expect(after.map((r) => r.getHeader('authorization') ?? '')).toEqual([
            '',
            expect.stringContaining('username="2000:agent"')
        ]);
        expect(after[1].getHeader('authorization')).not.toBe(expired);
        // the address of record and the contact stay those of the agent
        for (const register of after) {
            expect(register.from.uri.toString()).toBe('sip:agent@fake.test');
            expect(register.to.uri.toString()).toBe('sip:agent@fake.test');
            expect(register.getHeader('contact')).toBe(
                rig.server.requests('REGISTER')[0].getHeader('contact')
            );
        }
        expect(rig.server.isRegistered).toBe(true);
        expect(rig.userAgentOptions).toHaveLength(1);
        await rig.phone.stop();
    });

    it('a binding refresh refused for credentials replaced meanwhile recovers with the new ones', async () => {
        const expiresAt = Date.now() + 400000;
        const rig = createSipRig({}, [
            testCredentials({ authorizationUsername: '1000:agent', authorizationPassword: 'old', expiresAt }),
            testCredentials({
                authorizationUsername: '2000:agent',
                authorizationPassword: 'new',
                expiresAt: expiresAt + 3600000
            })
        ]);
        rig.server.registerBehaviour = 'challenge';
        rig.server.badDigestStatus = 403;
        rig.server.accounts.set('1000:agent', 'old');
        rig.server.accounts.set('2000:agent', 'new');
        await rig.startRegistered();
        // new credentials in place 40 s before expiry; then the old username expires
        await rig.advance(360000 + 10);
        expect(rig.credentialCalls()).toBe(2);
        expect(rig.phone.userAgent?.configuration.authorizationUsername).toBe('2000:agent');
        rig.server.accounts.delete('1000:agent');
        const sent = rig.server.requests('REGISTER').length;
        // sip.js refreshes the binding at 99 % of 600 s with its request, still carrying the old digest: 403
        await rig.advance(594000 - 360000);
        const refresh = rig.server.requests('REGISTER').slice(sent);
        expect(refresh[0]?.getHeader('authorization')).toContain('username="1000:agent"');
        await rig.advance(1000);
        expect(rig.phone.registrationState).toBe(RegistrationState.Registered);
        expect(rig.server.lastRequest('REGISTER')?.getHeader('authorization')).toContain(
            'username="2000:agent"'
        );
        expect(rig.server.isRegistered).toBe(true);
        await rig.phone.stop();
    });

    it('credentials that keep failing are fetched at most once per backoff step', async () => {
        const rig = createSipRig();
        rig.server.registerBehaviour = 'forbidden';
        await rig.phone.start();
        await rig.advance(60000);
        // steps of 500, 1000, 2000, 4000, 8000, 15000, 15000, 15000 ms fit in a minute
        expect(rig.credentialCalls()).toBeGreaterThanOrEqual(6);
        expect(rig.credentialCalls()).toBeLessThanOrEqual(9);
        expect(rig.server.requests('REGISTER').length).toBe(rig.credentialCalls());
        await rig.phone.stop();
    });

    it('refreshes short-lived credentials before they expire, in place', async () => {
        // Ten minutes, not an hour: every timer of the fake hour runs for real, and an hour of them took
        // close to Jest's 5 s limit on a loaded machine.
        const expiresAt = Date.now() + 600000;
        const rig = createSipRig({}, [
            testCredentials({ authorizationPassword: 'p1', expiresAt }),
            testCredentials({ authorizationPassword: 'p2', expiresAt: expiresAt + 3600000 })
        ]);
        await rig.startRegistered();
        await rig.advance(600000 - 60000);
        expect(rig.credentialCalls()).toBe(2);
        expect(rig.phone.userAgent?.configuration.authorizationPassword).toBe('p2');
        expect(rig.userAgentOptions).toHaveLength(1);
        expect(rig.phone.registrationState).toBe(RegistrationState.Registered);
        await rig.phone.stop();
    });

    it('a new server address builds a new UserAgent once no call is up', async () => {
        const expiresAt = Date.now() + 600000;
        const rig = createSipRig({}, [
            testCredentials({ expiresAt }),
            testCredentials({ wssUrl: 'wss://sip2.fake.test/ws', expiresAt: expiresAt + 3600000 })
        ]);
        await rig.startRegistered();
        const { callId } = await connectedInbound(rig);
        await rig.advance(600000 - 60000);
        expect(rig.credentialCalls()).toBe(2);
        // deferred while the call is up
        expect(rig.userAgentOptions).toHaveLength(1);
        await rig.phone.hangup(callId);
        await rig.advance(10);
        expect(rig.userAgentOptions).toHaveLength(2);
        expect((rig.userAgentOptions[1].transportOptions as { server: string }).server).toBe(
            'wss://sip2.fake.test/ws'
        );
        expect(rig.server.transport.url).toBe('wss://sip2.fake.test/ws');
        expect(rig.server.isRegistered).toBe(true);
        await rig.phone.stop();
    });
});

describe('log connector', () => {
    // sip.js passes every line to the connector whatever its logLevel; the phone keeps to the level asked for
    it.each([
        ['warn', ['error', 'warn']],
        ['debug', ['error', 'warn', 'log', 'debug']]
    ] as const)('at logLevel %s receives only %j lines', async (logLevel, allowed) => {
        const levels: string[] = [];
        const rig = createSipRig({ logLevel, logConnector: (level) => levels.push(level) });
        await rig.startRegistered();
        await rig.phone.stop();
        expect(levels.every((level) => (allowed as readonly string[]).includes(level))).toBe(true);
        if (logLevel === 'debug') {
            expect(levels).toContain('debug');
        }
    });
});
