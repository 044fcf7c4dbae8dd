/**
 * A stand-in for phone-core's PhoneSession in the c/webPhone tests: records every constructor option and
 * every command call, and lets the test emit session events (`stateChanged`, `screenPop`, `callEvent`,
 * `notification`). Installed as `window.WebphoneCore`, the global the static resource defines.
 */
import type { PhoneSessionEvents, PhoneSessionOptions, PhoneViewState, SessionResult } from 'webphone-core';
import { viewState } from './phoneState';

type Listener = (payload: unknown) => void;

const COMMAND_METHODS = [
    'setStatus',
    'clearNextStatus',
    'answer',
    'reject',
    'hangup',
    'hold',
    'resume',
    'mute',
    'unmute',
    'sendDtmf',
    'blindTransfer',
    'startConsultation',
    'completeTransfer',
    'returnToCaller',
    'conference',
    'dial',
    'redial',
    'endWrapEarly',
    'updateWrapUp',
    'submitWrapUp',
    'chooseRecord',
    'relateToRecord',
    'requestCallback',
    'setAudioDevices',
    'retryCallLog',
    'dismissCallLog',
    'clearError',
    'restartPhone',
    'requestLeadership'
] as const;

export class FakePhoneSession {
    /** Every session the component created, newest last. */
    static instances: FakePhoneSession[] = [];

    readonly options: PhoneSessionOptions;
    /** `[method, ...args]` of every command, in order. */
    readonly calls: unknown[][] = [];
    readonly start = jest.fn(() => Promise.resolve());
    readonly dispose = jest.fn(() => Promise.resolve());
    isLeader = true;
    private current: PhoneViewState = viewState();
    private readonly listeners = new Map<string, Set<Listener>>();
    [method: string]: unknown;

    constructor(options: PhoneSessionOptions) {
        this.options = options;
        FakePhoneSession.instances.push(this);
        for (const method of COMMAND_METHODS) {
            this[method] = jest.fn((...args: unknown[]) => {
                this.calls.push([method, ...args]);
                return Promise.resolve({ ok: true } as SessionResult);
            });
        }
    }

    get state(): PhoneViewState {
        return this.current;
    }

    on<K extends keyof PhoneSessionEvents>(
        eventName: K,
        listener: (payload: PhoneSessionEvents[K]) => void
    ): () => void {
        const set = this.listeners.get(eventName) ?? new Set<Listener>();
        set.add(listener as Listener);
        this.listeners.set(eventName, set);
        return () => set.delete(listener as Listener);
    }

    /** Emits an event to the component, as the session would. */
    emit<K extends keyof PhoneSessionEvents>(eventName: K, payload: PhoneSessionEvents[K]): void {
        if (eventName === 'stateChanged') this.current = payload as PhoneViewState;
        for (const listener of this.listeners.get(eventName) ?? []) listener(payload);
    }

    /** Active listeners (all events). */
    get listenerCount(): number {
        return [...this.listeners.values()].reduce((sum, set) => sum + set.size, 0);
    }
}

/** What the static resource puts on `window` (only what c/webPhone reads). */
export function installFakeCore(overrides: Record<string, unknown> = {}): void {
    (window as unknown as Record<string, unknown>).WebphoneCore = {
        CORE_API_VERSION: 1,
        PhoneSession: FakePhoneSession,
        isDialable: (raw: string) => raw.replace(/\D/g, '').length >= 9,
        formatForDisplay: (raw: string) => `+${raw.replace(/\D/g, '')}`,
        ...overrides
    };
}

export function removeFakeCore(): void {
    delete (window as unknown as Record<string, unknown>).WebphoneCore;
    FakePhoneSession.instances = [];
}
