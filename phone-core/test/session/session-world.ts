/**
 * A simulated browser profile for PhoneSession tests: tabs sharing Web Locks, BroadcastChannel, localStorage
 * and one fake SIP server; a fake host (Apex) that records every call. Time is Jest's fake clock (sip.js's
 * own timers use the globals), so tests call `world.advance(ms)` instead of waiting.
 */
import { UserAgent } from 'sip.js';
import type { AgentStatusChange, PauseReason } from '../../src/agent-status';
import type { CallLogEntry, CallLogSendResult } from '../../src/outbox/call-log-outbox';
import type { RecordMatch } from '../../src/screen-pop/screen-pop';
import type { PageLifecycleEvent, PageLifecyclePort } from '../../src/tabs/tab-election';
import { systemClock } from '../../src/util/clock';
import { PhoneSession } from '../../src/session/phone-session';
import type {
    CallerLookupRequest,
    CampaignInfo,
    HostPorts,
    PhoneCallEvent,
    PhoneNotification,
    PhoneSettings,
    PhoneViewState,
    ScreenPopEvent,
    SipSessionInfo
} from '../../src/session/types';
import { FakeBroadcastBus } from '../fakes/fake-broadcast';
import { FakeLockManager } from '../fakes/fake-locks';
import { MemoryStorage } from '../fakes/memory-storage';
import { testCredentials } from '../fakes/fake-sip-harness';
import { FakeMediaPort, FakeNetworkEvents } from '../fakes/fake-sip-media';
import { FakeSdhFactory } from '../fakes/fake-sip-sdh';
import { FakeSipServer } from '../fakes/fake-sip-server';
import { FakeSipTransport } from '../fakes/fake-sip-transport';

export const ORG = '00D000000000001AAA';
export const USER = '005000000000001AAA';

/** The host's side (Apex in Salesforce): records every call, answers as configured. */
export class FakeHost implements HostPorts {
    credentials: SipSessionInfo = { ...testCredentials() };
    campaigns: CampaignInfo[] = [{ id: 'camp-1', name: 'Support', wrapSeconds: 30 }];
    pauseReasons: PauseReason[] = [{ id: 'break', label: 'Break' }];
    readonly statusChanges: AgentStatusChange[] = [];
    readonly lookups: CallerLookupRequest[] = [];
    /** Every saveCallLog call, in order. */
    readonly sent: CallLogEntry[] = [];
    sessionCalls = 0;
    /** Records returned by lookupCaller. */
    matches: (request: CallerLookupRequest) => RecordMatch[] = () => [];
    /** Answer of saveCallLog (may throw to simulate a network failure). */
    saveResult: (entry: CallLogEntry) => CallLogSendResult = (entry) => ({
        status: 'saved',
        taskId: `00T${entry.interactionId}`
    });
    sessionError: Error | undefined;
    /** False: the org cannot be reached, every saveCallLog is a retryable rejection. */
    online = true;
    /** Every controlRecording call (F21); `recordingFails` makes the next ones reject. */
    readonly recordingRequests: Array<{ interactionId: string; action: string; reason: string }> = [];
    recordingFails = false;

    controlRecording(interactionId: string, request: { action: string; reason: string }): Promise<void> {
        this.recordingRequests.push({ interactionId, ...request });
        return this.recordingFails ? Promise.reject(new Error('503 from the contact centre')) : Promise.resolve();
    }

    getSipSession(): Promise<SipSessionInfo> {
        this.sessionCalls++;
        if (this.sessionError) return Promise.reject(this.sessionError);
        return Promise.resolve({
            ...this.credentials,
            campaigns: this.campaigns,
            pauseReasons: this.pauseReasons
        });
    }

    publishAgentStatus(change: AgentStatusChange): Promise<void> {
        this.statusChanges.push(change);
        return Promise.resolve();
    }

    lookupCaller(request: CallerLookupRequest): Promise<RecordMatch[]> {
        this.lookups.push(request);
        return Promise.resolve(this.matches(request));
    }

    saveCallLog(entry: CallLogEntry): Promise<CallLogSendResult> {
        this.sent.push(entry);
        if (!this.online) return Promise.resolve({ status: 'rejected', retryable: true, message: 'offline' });
        try {
            return Promise.resolve(this.saveResult(entry));
        } catch (error) {
            return Promise.reject(error);
        }
    }

    /** Interaction ids of the saved Tasks, once each (what the server's upsert ends up with). */
    savedIds(): string[] {
        return Array.from(new Set(this.sent.map((e) => e.interactionId)));
    }

    statuses(): string[] {
        return this.statusChanges.map((c) => c.to);
    }
}

/** pagehide / pageshow / visibilitychange under test control. */
export class FakeLifecycle implements PageLifecyclePort {
    private readonly listeners = new Set<(event: PageLifecycleEvent) => void>();
    subscribe(listener: (event: PageLifecycleEvent) => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }
    fire(event: PageLifecycleEvent): void {
        for (const listener of Array.from(this.listeners)) listener(event);
    }
}

/** One browser tab running a PhoneSession. */
export interface SimTab {
    id: string;
    session: PhoneSession;
    media: FakeMediaPort;
    lifecycle: FakeLifecycle;
    states: PhoneViewState[];
    screenPops: ScreenPopEvent[];
    callEvents: PhoneCallEvent[];
    notifications: PhoneNotification[];
    /** This tab's session description handlers (their fake peer connections carry the stats). */
    sdh: FakeSdhFactory;
    /** The last state this tab rendered. */
    state(): PhoneViewState;
    /** The user closes the tab: pagehide, then the document goes away. */
    close(): void;
}

/** Default org settings of the tests: Poland. */
export const PL_SETTINGS: PhoneSettings = {
    defaultCountry: 'PL',
    callWaiting: false,
    missedCallSetsNotReady: true,
    ringTimeoutSeconds: 20,
    defaultWrapSeconds: 0,
    screenPop: { personAccountsEnabled: true }
};

/** Tabs of one browser profile against one SIP server and one host. */
export class SimWorld {
    readonly locks = new FakeLockManager();
    readonly bus = new FakeBroadcastBus();
    readonly storage = new MemoryStorage();
    readonly server = new FakeSipServer();
    readonly host = new FakeHost();
    readonly tabs: SimTab[] = [];

    open(
        id: string,
        options: {
            settings?: PhoneSettings;
            media?: FakeMediaPort;
            noLocks?: boolean;
            start?: boolean;
            /** This tab's storage (default: the profile's shared localStorage; null: none). */
            storage?: MemoryStorage | null;
            /** 'popout': the phone's pop-out window (default: a tab). */
            windowKind?: 'tab' | 'popout';
        } = {}
    ): SimTab {
        const media = options.media ?? new FakeMediaPort();
        const lifecycle = new FakeLifecycle();
        const sdh = new FakeSdhFactory();
        const server = this.server;
        const session = new PhoneSession({
            host: this.host,
            orgId: ORG,
            userId: USER,
            settings: options.settings ?? PL_SETTINGS,
            browser: {
                locks: options.noLocks ? null : this.locks.forTab(id),
                createChannel: this.bus.factoryFor(id),
                lifecycle,
                storage: options.storage === undefined ? this.storage : options.storage,
                media,
                network: new FakeNetworkEvents(),
                clock: systemClock,
                random: () => 0.5,
                tabId: id,
                windowKind: options.windowKind
            },
            sipOptions: { playTones: false },
            userAgentFactory: (uaOptions) =>
                new UserAgent({
                    ...uaOptions,
                    transportConstructor: FakeSipTransport,
                    transportOptions: {
                        server: (uaOptions.transportOptions as { server: string }).server,
                        network: server
                    },
                    sessionDescriptionHandlerFactory: sdh.factory,
                    logBuiltinEnabled: false,
                    logLevel: 'error'
                })
        });
        const states: PhoneViewState[] = [];
        const tab: SimTab = {
            id,
            session,
            media,
            lifecycle,
            states,
            screenPops: [],
            callEvents: [],
            notifications: [],
            sdh,
            state: () => states[states.length - 1] ?? session.state,
            close: () => {
                lifecycle.fire({ type: 'pagehide', persisted: false });
                this.locks.closeTab(id);
                this.bus.closeTab(id);
            }
        };
        session.on('stateChanged', (state) => states.push(state));
        session.on('screenPop', (event) => tab.screenPops.push(event));
        session.on('callEvent', (event) => tab.callEvents.push(event));
        session.on('notification', (event) => tab.notifications.push(event));
        this.tabs.push(tab);
        if (options.start !== false) void session.start();
        return tab;
    }

    /** Let messages, lock grants, SIP answers and promise callbacks run, and `ms` of fake time pass. */
    async advance(ms = 0): Promise<void> {
        for (let i = 0; i < 8; i++) await jest.advanceTimersByTimeAsync(0);
        if (ms > 0) await jest.advanceTimersByTimeAsync(ms);
        for (let i = 0; i < 8; i++) await jest.advanceTimersByTimeAsync(0);
    }

    /**
     * Runs a command to completion. A follower's command travels over the fake BroadcastChannel, which delivers
     * in (faked) microtasks: time must be advanced for the answer to come back.
     */
    async settle<T>(pending: Promise<T>, ms = 10): Promise<T> {
        await this.advance(ms);
        return pending;
    }

    /** A call from `fromUser` (with contact-centre headers) rings the registered tab. */
    async ring(
        options: Parameters<FakeSipServer['sendInvite']>[0] = {}
    ): Promise<ReturnType<FakeSipServer['sendInvite']>> {
        const call = this.server.sendInvite(options);
        await this.advance(10);
        return call;
    }

    /** Stops every open session (no timers left behind). */
    async shutdown(): Promise<void> {
        for (const tab of this.tabs) await tab.session.dispose();
        await this.advance(5000);
    }
}

/** The SIP Call-ID of the newest inbound call. */
export function lastSipCall(world: SimWorld): string {
    const calls = Array.from(world.server.inboundCalls.values());
    return calls[calls.length - 1].callId;
}

/** Contact-centre headers of an inbound call. */
export function ccHeaders(interactionId: string, extra: string[] = []): string[] {
    return [
        `X-CC-Interaction-Id: ${interactionId}`,
        'X-CC-Campaign-Id: camp-1',
        'X-CC-Queue: Sales',
        ...extra
    ];
}

/** Opens tab `A`, waits for its REGISTER and sets the agent Ready. */
export async function readyTab(world: SimWorld): Promise<SimTab> {
    const tab = world.open('A');
    await world.advance(100);
    expect(world.server.isRegistered).toBe(true);
    expect(await tab.session.setStatus({ status: 'Ready' })).toEqual({ ok: true });
    await world.advance();
    return tab;
}
