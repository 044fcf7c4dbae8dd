/**
 * A SipPhone wired to the fakes: fake transport + scripted server, fake SDH, fake media and network ports,
 * a recording of every event. Time is Jest's fake timers (sip.js's own timers use the globals too), so tests
 * call `rig.advance(ms)` instead of waiting.
 */
import { UserAgent } from 'sip.js';
import type { UserAgentOptions } from 'sip.js';
import type { CallSnapshot } from '../../src/call/call-machine';
import type { SipCredentials } from '../../src/sip/credentials';
import type { RegistrationChange } from '../../src/sip/registration';
import { SipPhone, type SipPhoneOptions } from '../../src/sip/sip-phone';
import type { ConnectionChange, QualityEvent, SipPhoneError, BusyRejectedEvent } from '../../src/sip/types';
import { systemClock } from '../../src/util/clock';
import { FakeMediaPort, FakeNetworkEvents } from './fake-sip-media';
import { FakeSdhFactory } from './fake-sip-sdh';
import { FakeSipServer } from './fake-sip-server';
import { FakeSipTransport } from './fake-sip-transport';

/** Everything the phone emitted, in order. */
export interface RecordedEvents {
    registration: RegistrationChange[];
    connection: ConnectionChange[];
    incoming: CallSnapshot[];
    updated: CallSnapshot[];
    ended: CallSnapshot[];
    quality: QualityEvent[];
    errors: SipPhoneError[];
    busy: BusyRejectedEvent[];
}

/** Credentials the fake host hands out (password changes per call when `rotate` is set). */
export function testCredentials(overrides: Partial<SipCredentials> = {}): SipCredentials {
    return {
        wssUrl: 'wss://sip.fake.test/ws',
        sipUri: 'sip:agent@fake.test',
        authorizationUsername: 'agent',
        authorizationPassword: 'secret-1',
        displayName: 'Agent Smith',
        expiresAt: 0,
        iceServers: [{ urls: 'turn:turn.fake.test:443?transport=tcp', username: 'u', credential: 'c' }],
        ...overrides
    };
}

/** A phone on fakes. */
export interface SipRig {
    phone: SipPhone;
    server: FakeSipServer;
    sdh: FakeSdhFactory;
    media: FakeMediaPort;
    network: FakeNetworkEvents;
    events: RecordedEvents;
    /** Credentials returned by the next getCredentials() calls (the last one repeats). */
    credentialQueue: SipCredentials[];
    /** Number of getCredentials() calls. */
    credentialCalls(): number;
    /** UA options the phone built, per UserAgent created. */
    userAgentOptions: UserAgentOptions[];
    /** Let promises and `ms` of fake time run. */
    advance(ms?: number): Promise<void>;
    /** start() and wait until registered. */
    startRegistered(): Promise<void>;
}

/** Builds a {@link SipRig}; needs `jest.useFakeTimers()` in the test. */
export function createSipRig(
    options: Partial<SipPhoneOptions> = {},
    credentials: SipCredentials[] = [testCredentials()]
): SipRig {
    const server = new FakeSipServer();
    const sdh = new FakeSdhFactory();
    const media = new FakeMediaPort();
    const network = new FakeNetworkEvents();
    const credentialQueue = [...credentials];
    let calls = 0;
    const userAgentOptions: UserAgentOptions[] = [];
    const events: RecordedEvents = {
        registration: [],
        connection: [],
        incoming: [],
        updated: [],
        ended: [],
        quality: [],
        errors: [],
        busy: []
    };
    const phone = new SipPhone({
        getCredentials: () => {
            calls++;
            const next = credentialQueue.length > 1 ? credentialQueue.shift() : credentialQueue[0];
            return next ? Promise.resolve(next) : Promise.reject(new Error('no credentials'));
        },
        clock: systemClock,
        random: () => 0.5,
        network,
        media,
        userAgentFactory: (uaOptions) => {
            userAgentOptions.push(uaOptions);
            return new UserAgent({
                ...uaOptions,
                transportConstructor: FakeSipTransport,
                transportOptions: {
                    server: (uaOptions.transportOptions as { server: string }).server,
                    network: server
                },
                sessionDescriptionHandlerFactory: sdh.factory,
                logBuiltinEnabled: process.env.SIP_LOG === '1',
                logLevel: process.env.SIP_LOG === '1' ? 'debug' : 'error'
            });
        },
        ...options
    });
    phone.on('registrationChanged', (e) => events.registration.push(e));
    phone.on('connectionChanged', (e) => events.connection.push(e));
    phone.on('incomingCall', (e) => events.incoming.push(e));
    phone.on('callUpdated', (e) => events.updated.push(e));
    phone.on('callEnded', (e) => events.ended.push(e));
    phone.on('quality', (e) => events.quality.push(e));
    phone.on('error', (e) => events.errors.push(e));
    phone.on('busyRejected', (e) => events.busy.push(e));

    const advance = async (ms = 0): Promise<void> => {
        for (let i = 0; i < 5; i++) {
            await Promise.resolve();
        }
        await jest.advanceTimersByTimeAsync(ms);
        for (let i = 0; i < 5; i++) {
            await Promise.resolve();
        }
    };

    return {
        phone,
        server,
        sdh,
        media,
        network,
        events,
        credentialQueue,
        credentialCalls: () => calls,
        userAgentOptions,
        advance,
        startRegistered: async () => {
            await phone.start();
            await advance(10);
            if (!server.isRegistered) {
                throw new Error('the phone did not register');
            }
        }
    };
}
