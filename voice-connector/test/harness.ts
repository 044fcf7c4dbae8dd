/**
 * The connector under test, driven like the Omni-Channel softphone drives it: through the REAL base library
 * (`initializeConnector`, the SETUP_CONNECTOR window message from a Salesforce origin, then requests on the
 * channel port; scv-connector-base 3.6.2 `baseConnector.js`). Its SIP side is phone-core's real SipPhone on
 * the fake transport of phone-core's tests (`createSipRig`), so requests show up as SIP on the wire.
 */
import { initializeConnector } from '@salesforce/scv-connector-base';
import type { AgentStatusChange, SipSessionInfo } from '../../phone-core/src/index';
import { createSipRig, testCredentials, type SipRig } from '../../phone-core/test/fakes/fake-sip-harness';
import { CcphoneVoiceConnector, type VoiceConnectorOptions } from '../src/connector';
import type { TransferTarget, VoiceContactCentre } from '../src/ports';

/** A message the connector posted to the softphone. */
export interface PostedMessage {
    type: string;
    payload: Record<string, unknown> & {
        telephonyEventType?: string;
        telephonyEventPayload?: unknown;
    };
}

export const DIRECTORY: TransferTarget[] = [
    { id: 'agt-102', kind: 'agent', name: 'Piotr Nowak', target: '102', available: true },
    { id: 'agt-103', kind: 'agent', name: 'Ewa Wiśniewska', target: '103', available: false },
    { id: 'q-sales', kind: 'queue', name: 'Sales queue', target: 'queue-sales' }
];

/** The contact centre as the host page reaches it, recording what the connector asked. */
export function fakeContactCentre(overrides: Partial<VoiceContactCentre> = {}) {
    const published: AgentStatusChange[] = [];
    const recordingCalls: Array<{ interactionId: string; paused: boolean }> = [];
    const sessions = { fetched: 0 };
    const contactCentre: VoiceContactCentre = {
        getSipSession: async (): Promise<SipSessionInfo> => ({
            ...testCredentials({ authorizationPassword: `secret-${++sessions.fetched}` }),
            pauseReasons: [
                { id: 'brk', label: 'Break' },
                { id: 'trn', label: 'Training' }
            ]
        }),
        publishAgentStatus: async (change) => {
            published.push(change);
        },
        listTransferTargets: async () => DIRECTORY,
        agentAvailability: true,
        getSignedRecording: async (key) => ({
            url: `https://cc.fake.test/recordings/${key}?sig=abc`,
            durationSeconds: 42
        }),
        setRecordingPaused: async (interactionId, paused) => {
            recordingCalls.push({ interactionId, paused });
        },
        ...overrides
    };
    return { contactCentre, published, recordingCalls, sessions };
}

/** The softphone side of the base library's channel: a port whose posts are recorded. */
export class FakeSoftphone {
    readonly posted: PostedMessage[] = [];
    private readonly port: {
        postMessage: (message: PostedMessage) => void;
        onmessage?: (event: { data: Record<string, unknown> }) => Promise<void>;
    } = { postMessage: (message) => this.posted.push(message) };

    /** Hands the connector to the base library and sends SETUP_CONNECTOR as Salesforce would. */
    setup(connector: CcphoneVoiceConnector, connectorConfig: Record<string, unknown> = {}): void {
        const win = (globalThis as { window?: EventTarget }).window ?? new EventTarget();
        (globalThis as { window?: EventTarget }).window = win;
        initializeConnector(connector);
        const event = Object.assign(new Event('message'), {
            data: { type: 'SETUP_CONNECTOR', connectorConfig },
            origin: 'https://acme.lightning.force.com',
            ports: [this.port]
        });
        win.dispatchEvent(event);
    }

    /** A softphone request (`ACCEPT_CALL`, `HOLD`...): resolves when the base library handled it. */
    send(type: string, data: Record<string, unknown> = {}): Promise<void> {
        if (!this.port.onmessage) throw new Error('the connector was not set up');
        return this.port.onmessage({ data: { type, ...data } });
    }

    /** Payloads of the telephony events of `type`, in order. */
    events<T = Record<string, unknown>>(type: string): T[] {
        return this.posted
            .filter((m) => m.type === 'TELEPHONY_EVENT_DISPATCHED' && m.payload.telephonyEventType === type)
            .map((m) => m.payload.telephonyEventPayload as T);
    }

    /** Every telephony event type, in order. */
    eventTypes(): string[] {
        return this.posted
            .filter((m) => m.type === 'TELEPHONY_EVENT_DISPATCHED')
            .map((m) => String(m.payload.telephonyEventType));
    }

    /** Messages of a framework type (`CONNECTOR_READY`). */
    messages(type: string): PostedMessage[] {
        return this.posted.filter((m) => m.type === type);
    }

    /** `message` of the ERROR events (the base library sends the error type there). */
    errors(): string[] {
        return this.events<{ message: string }>('ERROR').map((e) => e.message);
    }
}

/** A connector with its fake contact centre, its SipPhone on fakes, and the softphone. */
export interface VoiceRig {
    connector: CcphoneVoiceConnector;
    softphone: FakeSoftphone;
    sip: SipRig;
    published: AgentStatusChange[];
    recordingCalls: Array<{ interactionId: string; paused: boolean }>;
    /** How often the connector fetched SIP credentials. */
    sessions: { fetched: number };
    /** Sends a softphone request and lets SIP and timers run until it is handled. */
    request(type: string, data?: Record<string, unknown>): Promise<void>;
    /** The agent statuses published to the contact centre, in order. */
    statuses(): string[];
}

/** Builds and logs in a connector (needs `jest.useFakeTimers()`). */
export async function loggedInRig(
    options: {
        contactCentre?: Partial<VoiceContactCentre>;
        connector?: Partial<VoiceConnectorOptions>;
        config?: Record<string, unknown>;
        expectReady?: boolean;
        /** Scripts the fake SIP server before the phone starts (e.g. a registrar that refuses). */
        prepareSip?: (sip: SipRig) => void;
    } = {}
): Promise<VoiceRig> {
    const { contactCentre, published, recordingCalls, sessions } = fakeContactCentre(options.contactCentre);
    let sip: SipRig | undefined;
    const connector = new CcphoneVoiceConnector({
        contactCentre,
        createPhone: (phoneOptions) => {
            sip = createSipRig(phoneOptions);
            sip.sdh.behaviour.rtpDtmf = false;
            options.prepareSip?.(sip);
            return sip.phone;
        },
        ...options.connector
    });
    const softphone = new FakeSoftphone();
    softphone.setup(connector, { '/reqCcphone/reqDtmfMode': 'info', ...options.config });
    const rig: VoiceRig = {
        connector,
        softphone,
        get sip(): SipRig {
            if (!sip) throw new Error('no phone was created');
            return sip;
        },
        published,
        recordingCalls,
        sessions,
        request: async (type, data) => {
            const handled = softphone.send(type, data);
            await advance(rig);
            await handled;
            await advance(rig);
        },
        statuses: () => published.map((c) => (c.reason ? `${c.to}:${c.reason.id}` : c.to))
    };
    await advance(rig, 50);
    if (options.expectReady !== false && softphone.messages('CONNECTOR_READY').length !== 1) {
        throw new Error(
            `the connector did not become ready: ${JSON.stringify(softphone.posted).slice(0, 2000)}`
        );
    }
    return rig;
}

/** Lets promises, SIP messages and `ms` of fake time run (several rounds: requests chain awaits). */
export async function advance(rig: Pick<VoiceRig, 'sip'> | undefined, ms = 10): Promise<void> {
    for (let round = 0; round < 4; round++) {
        for (let i = 0; i < 10; i++) await Promise.resolve();
        await jest.advanceTimersByTimeAsync(ms);
    }
    void rig;
}

/** An inbound call from the contact centre rings the agent; resolves with the fake's SIP call. */
export async function ring(rig: VoiceRig, interactionId = 'int-1', headers: string[] = []) {
    const fake = rig.sip.server.sendInvite({
        displayName: 'Jan Kowalski',
        headers: [
            `X-CC-Interaction-Id: ${interactionId}`,
            'X-CC-Queue: Support',
            'X-CC-Campaign-Id: cmp-support',
            ...headers
        ]
    });
    await advance(rig);
    return fake;
}

/** Ring + ACCEPT_CALL: the call is connected. */
export async function connected(rig: VoiceRig, interactionId = 'int-1', headers: string[] = []) {
    const fake = await ring(rig, interactionId, headers);
    await rig.request('ACCEPT_CALL', { call: { callId: interactionId, callType: 'Inbound' } });
    return fake;
}

/** ADD_PARTICIPANT (consultation) to `target` answered by the fake: returns the consultation's SIP INVITE. */
export async function consultation(rig: VoiceRig, primarySipCallId: string, target = '102') {
    await rig.request('ADD_PARTICIPANT', {
        contact: { phoneNumber: target },
        call: { callId: 'int-1' },
        isBlindTransfer: false
    });
    const invite = rig.sip.server.requests('INVITE').find((r) => !r.toTag && r.callId !== primarySipCallId);
    if (!invite) throw new Error('no consultation INVITE');
    rig.sip.server.answer(invite);
    await advance(rig);
    return invite;
}
