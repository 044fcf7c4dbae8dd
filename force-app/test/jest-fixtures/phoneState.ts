/// <reference path="../jest-mocks/mocks.d.ts" />
/**
 * Builders of phone-core view-state objects for the component tests: complete, valid defaults that a test
 * overrides field by field. Plain data only (the LWC tests never run phone-core itself).
 */
import type {
    AgentView,
    CallView,
    CallerCard,
    InteractionView,
    PhoneViewState,
    RecentCall,
    RecordMatch
} from 'webphone-core';

/** A display name that would run script if it were ever rendered as HTML (FAULT-CASES 13). */
export const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

/** A script URL (built, so linters do not mistake the test data for code). */
export const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');

type AgentStatusName = 'Offline' | 'NotReady' | 'Ready' | 'Ringing' | 'Busy' | 'Wrap' | 'Paused' | 'Error';
type CallStateName =
    'Idle' | 'Ringing' | 'Dialing' | 'Progress' | 'Connected' | 'OnHold' | 'Transferring' | 'Ended';

/** Fixed "now" of the tests (epoch ms). */
export const NOW = Date.UTC(2026, 0, 15, 10, 0, 0);

export function record(overrides: Partial<RecordMatch> = {}): RecordMatch {
    return {
        id: '003000000000001AAA',
        objectType: 'Contact',
        name: 'Jan Kowalski',
        subtitle: 'Acme Sp. z o.o.',
        ...overrides
    };
}

export function agentView(status: AgentStatusName = 'Ready', overrides: Partial<AgentView> = {}): AgentView {
    return {
        status: status as AgentView['status'],
        since: NOW,
        pauseReason: null,
        nextStatus: null,
        wrap: null,
        sync: 'synced',
        allowed: ['Ready', 'NotReady', 'Paused'],
        ...overrides
    };
}

export function callerCard(overrides: Partial<CallerCard> = {}): CallerCard {
    return {
        rawNumber: '+48600700800',
        e164: '+48600700800',
        numberKind: 'valid',
        numberDisplay: '600 700 800',
        displayName: 'Jan K',
        name: 'Jan Kowalski',
        company: 'Acme Sp. z o.o.',
        unknown: false,
        record: record(),
        matchCount: 1,
        ...overrides
    };
}

export function callView(state: CallStateName = 'Connected', overrides: Partial<CallView> = {}): CallView {
    return {
        id: 'call-1',
        interactionId: 'ia-1',
        role: 'primary',
        direction: 'inbound',
        state: state as CallView['state'],
        caller: callerCard(),
        startedAt: NOW - 60_000,
        answeredAt: state === 'Connected' || state === 'OnHold' ? NOW - 30_000 : undefined,
        talkDurationMs: 30_000,
        holdDurationMs: 0,
        muted: false,
        onHold: state === 'OnHold',
        remoteHold: false,
        holdPending: null,
        answering: false,
        earlyMedia: false,
        consultActive: false,
        conference: false,
        quality: null,
        lookup: 'done',
        screenPop: null,
        related: null,
        ...overrides
    };
}

export function interactionView(overrides: Partial<InteractionView> = {}): InteractionView {
    return {
        interactionId: 'ia-1',
        callId: 'call-1',
        state: 'WrapUp',
        direction: 'inbound',
        caller: callerCard(),
        startedAt: NOW - 120_000,
        answeredAt: NOW - 100_000,
        endedAt: NOW - 10_000,
        outcome: 'answered',
        durationSeconds: 90,
        draft: { notes: '', disposition: '', relatedRecordId: null, callbackRequested: false },
        related: null,
        candidates: [],
        screenPop: null,
        ...overrides
    };
}

export function recentCall(overrides: Partial<RecentCall> = {}): RecentCall {
    return {
        interactionId: 'ia-r1',
        direction: 'inbound',
        number: '+48600700800',
        numberDisplay: '600 700 800',
        name: 'Jan Kowalski',
        outcome: 'answered',
        missed: false,
        startedAt: NOW - 3_600_000,
        durationSeconds: 125,
        callbackRequested: false,
        dialable: true,
        ...overrides
    };
}

export function viewState(overrides: Partial<PhoneViewState> = {}): PhoneViewState {
    return {
        version: 1,
        revision: 1,
        at: NOW,
        role: 'leader',
        leader: { tabId: 'tab-1', kind: 'tab', responsive: true, self: true },
        started: true,
        registration: { state: 'Registered' as PhoneViewState['registration']['state'] },
        connection: { state: 'Connected' as PhoneViewState['connection']['state'] },
        agent: agentView('Ready'),
        pauseReasons: [
            { id: 'lunch', label: 'Lunch' },
            { id: 'training', label: 'Training' }
        ],
        calls: [],
        incoming: null,
        interactions: [],
        wrapUp: null,
        recentCalls: [],
        outbox: { unsent: 0, needsAttention: 0, attention: [], durable: true },
        error: null,
        microphone: null,
        warnings: [],
        audioDevices: {},
        lastDialled: null,
        events: [],
        ...overrides
    };
}

/** Lets pending promises and re-renders settle. */
export function flushPromises(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

/** An element created by `createElement`, with its public properties settable. */
export type TestElement = HTMLElement & Record<string, any>;

/** The `phonecommand` events an element dispatched, as their details. */
export function captureCommands(element: HTMLElement): unknown[] {
    const commands: unknown[] = [];
    element.addEventListener('phonecommand', (event) => commands.push((event as CustomEvent).detail));
    return commands;
}
