/**
 * A stand-in for phone-core's PhoneSession in the c/webPhone tests: records every constructor option and
 * every command call, and lets the test emit session events (`stateChanged`, `screenPop`, `callEvent`,
 * `notification`). Installed as `window.WebphoneCore`, the global the static resource defines.
 */
import type {
    PhoneCommand,
    PhoneCommandType,
    PhoneSessionEvents,
    PhoneSessionOptions,
    PhoneViewState,
    SessionResult
} from 'webphone-core';
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
    'controlRecording',
    'setAudioDevices',
    'retryCallLog',
    'dismissCallLog',
    'clearError',
    'restartPhone',
    'signOut',
    'requestLeadership'
] as const;

/** The fields of each command, in the order of the matching method's parameters. */
const COMMAND_ARGS: Readonly<Record<PhoneCommandType, readonly string[]>> = {
    setStatus: ['request'],
    clearNextStatus: [],
    answer: ['callId'],
    reject: ['callId'],
    hangup: ['callId'],
    hold: ['callId'],
    resume: ['callId'],
    mute: ['callId'],
    unmute: ['callId'],
    sendDtmf: ['digits', 'callId'],
    blindTransfer: ['target', 'callId'],
    startConsultation: ['target', 'callId'],
    completeTransfer: ['consultCallId'],
    returnToCaller: ['consultCallId'],
    conference: ['callId'],
    dial: ['number', 'context'],
    redial: [],
    endWrapEarly: [],
    updateWrapUp: ['patch', 'interactionId'],
    submitWrapUp: ['form', 'interactionId'],
    chooseRecord: ['recordId', 'callId'],
    relateToRecord: ['record', 'callId'],
    requestCallback: ['interactionId', 'requested'],
    controlRecording: ['input', 'interactionId'],
    setAudioDevices: ['devices'],
    retryCallLog: ['interactionId', 'patch'],
    dismissCallLog: ['interactionId'],
    clearError: [],
    restartPhone: [],
    signOut: []
};

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

    /** `send(command)` is recorded as the method call it stands for, so tests read one form. */
    send(command: PhoneCommand): Promise<SessionResult> {
        const fields = command as unknown as Record<string, unknown>;
        return (this[command.type] as (...args: unknown[]) => Promise<SessionResult>)(
            ...COMMAND_ARGS[command.type].map((field) => fields[field])
        );
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
