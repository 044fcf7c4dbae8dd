/**
 * The tab election's vocabulary: the browser ports it needs (Web Locks, BroadcastChannel, page life cycle),
 * the public types of roles, events and outcomes with the one guarded role transition, and the wire
 * protocol between windows (message shapes and their validation: anything else on the channel is ignored).
 * The behaviour is {@link TabElection} (tab-election.ts); its options are here with the rest of its API.
 *
 * @packageDocumentation
 */
import type { Clock } from '../util/clock';
import type { ElectionSecretSource } from './election-names';

// ---- ports ---------------------------------------------------------------------------------------------------

/** Options of a Web Locks request (the subset used). */
export interface LockRequestOptions {
    mode?: 'exclusive' | 'shared';
    ifAvailable?: boolean;
    steal?: boolean;
    signal?: AbortSignal;
}

/** Port: `navigator.locks`. */
export interface LockManagerPort {
    request(
        name: string,
        options: LockRequestOptions,
        callback: (lock: { name: string } | null) => unknown
    ): Promise<unknown>;
}

/** Port: one `BroadcastChannel`. */
export interface BroadcastChannelPort {
    postMessage(message: unknown): void;
    close(): void;
    addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
    removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/** Port: `(name) => new BroadcastChannel(name)`. */
export type BroadcastChannelFactory = (name: string) => BroadcastChannelPort;

/** Page lifecycle events the election reacts to. */
export type PageLifecycleEvent =
    | { type: 'pagehide'; persisted: boolean }
    | { type: 'pageshow'; persisted: boolean }
    | { type: 'visibilitychange'; hidden: boolean };

/** Port: `pagehide` / `pageshow` / `visibilitychange` of the window. */
export interface PageLifecyclePort {
    /** @returns an unsubscribe function */
    subscribe(listener: (event: PageLifecycleEvent) => void): () => void;
}

// ---- public types --------------------------------------------------------------------------------------------

/** A browser tab, or the utility bar's pop-out window. */
export type WindowKind = 'tab' | 'popout';

/** One window taking part in the election. */
export interface TabInfo {
    id: string;
    kind: WindowKind;
}

/** The leader as a window sees it. */
export interface LeaderInfo extends TabInfo {
    /** False when no heartbeat came for `leaderStaleAfterMs` (frozen or hung tab). */
    responsive: boolean;
    /** Last message from it (epoch ms). */
    lastSeenAt: number;
    term: number;
}

/** Roles; see the diagram in the module documentation. */
export enum TabRole {
    Idle = 'idle',
    Follower = 'follower',
    Leader = 'leader',
    HandingOver = 'handing-over',
    Stopped = 'stopped'
}

const ALLOWED: Readonly<Record<TabRole, readonly TabRole[]>> = {
    [TabRole.Idle]: [TabRole.Follower, TabRole.Leader, TabRole.Stopped],
    [TabRole.Follower]: [TabRole.Leader, TabRole.Stopped],
    [TabRole.Leader]: [TabRole.HandingOver, TabRole.Follower, TabRole.Stopped],
    [TabRole.HandingOver]: [TabRole.Follower, TabRole.Leader, TabRole.Stopped],
    [TabRole.Stopped]: [TabRole.Follower, TabRole.Leader]
};

/** True when `from -> to` is a legal role transition. */
export function canTransitionTabRole(from: TabRole, to: TabRole): boolean {
    return ALLOWED[from].includes(to);
}

/**
 * The one guarded transition of {@link TabRole}.
 * @throws Error on an illegal transition (a programming error)
 */
export function transitionTabRole(from: TabRole, to: TabRole): TabRole {
    if (!canTransitionTabRole(from, to)) throw new Error(`Illegal tab role transition ${from} -> ${to}`);
    return to;
}

/** Why this window became leader. */
export type LeadershipReason =
    /** First leader: no other leader was heard of. */
    | 'initial'
    /** The previous leader went away (closed, crashed, resigned on pagehide). */
    | 'leader-gone'
    /** The previous leader handed over on request. */
    | 'handover'
    /** A handover this leader agreed to did not happen; it carries on. */
    | 'handover-aborted'
    /** Web Locks or BroadcastChannel are missing or failed: leader on its own. */
    | 'degraded';

/** Why this window stopped being leader. */
export type LostLeadershipReason = 'handover' | 'pagehide' | 'stopped' | 'superseded';

/** Why the election runs degraded. */
export type DegradedReason =
    'no-web-locks' | 'no-broadcast-channel' | 'lock-request-failed' | 'no-shared-secret';

/** Payload of `becameLeader`. */
export interface BecameLeaderEvent<TState> {
    reason: LeadershipReason;
    degraded: boolean;
    /** The previous leader, when one was known. */
    previousLeader?: TabInfo;
    /** The previous leader's last snapshot (what it was doing). The new leader starts with no call. */
    lastKnownState?: TState;
}

/** Events of {@link TabElection}. */
export type TabElectionEvents<TState, TCommand> = {
    becameLeader: BecameLeaderEvent<TState>;
    lostLeadership: { reason: LostLeadershipReason; to?: TabInfo };
    stateMirrored: { state: TState; leader: TabInfo };
    /** The leader received a command (also emitted for its own {@link TabElection.sendCommand}). */
    commandReceived: { id: string; command: TCommand; from: TabInfo };
    /** Leader known/unknown, changed, or its responsiveness changed; `null` between two leaders. */
    leaderChanged: { leader: LeaderInfo | null; self: boolean };
    /** The leader ended the election for every window ({@link TabElection.endForAll}): this one stopped. */
    ended: { by: TabInfo };
};

/** Why a forwarded command failed. */
export type CommandErrorCode =
    'timeout' | 'leader-changed' | 'leader-gone' | 'handing-over' | 'not-running' | 'no-handler' | 'failed';

/** A command could not be run by the leader. */
export class CommandError extends Error {
    constructor(
        readonly code: CommandErrorCode,
        message: string
    ) {
        super(message);
        this.name = 'CommandError';
    }
}

/** Result of {@link TabElection.requestLeadership}. */
export type HandoverOutcome =
    | { granted: true }
    | {
          granted: false;
          /** The leader's refusal (from `handoverBlocker`, e.g. `call-in-progress`), or `no-answer`,
           *  `handover-in-progress`, `leader-changed`, `not-running`, `lock-failed`. */
          reason: string;
      };

// ---- options ------------------------------------------------------------------------------------------------

/** Options of {@link TabElection}. */
export interface TabElectionOptions<TCommand> {
    /** Scope of the lock and channel: one leader per org and user. */
    orgId: string;
    userId: string;
    /**
     * The secret in the lock and channel names (see election-secret.ts). Null/undefined: no secret the tabs
     * can share, so the election runs degraded (`no-shared-secret`) instead of using a guessable name.
     * A function is read at every join and once per heartbeat: tabs that started at the same moment may
     * each have created a secret before seeing the other's (storage is not instantly consistent across
     * processes); a window whose secret is not the stored one any more joins again under the stored one, so
     * they converge on one leader within a heartbeat or two.
     */
    secret: ElectionSecretSource;
    /** `navigator.locks`; null/undefined = missing (degraded). */
    locks: LockManagerPort | null | undefined;
    /** BroadcastChannel factory; null/undefined = missing (degraded). */
    createChannel: BroadcastChannelFactory | null | undefined;
    lifecycle?: PageLifecyclePort;
    clock?: Clock;
    /** This window's id (default: random). */
    tabId?: string;
    kind?: WindowKind;
    /** Leader heartbeat period (default 1000 ms). */
    heartbeatMs?: number;
    /** A leader silent this long is shown as unresponsive (default 5000 ms). */
    leaderStaleAfterMs?: number;
    /** Forwarded command timeout (default 5000 ms). */
    commandTimeoutMs?: number;
    /** Handover reply/steal timeout and `resign` budget (default 5000 ms). */
    handoverTimeoutMs?: number;
    /** Leader: runs a forwarded command; its (structured-cloneable) result is sent back. */
    handleCommand?: (command: TCommand, from: TabInfo) => unknown;
    /** Leader: a reason not to hand over now (e.g. `'call-in-progress'`), or null to allow it. */
    handoverBlocker?: () => string | null;
    /** Leader: release the phone (unregister, stop audio). Awaited before a voluntary handover. */
    resign?: (reason: LostLeadershipReason) => Promise<void> | void;
}

// ---- messages ------------------------------------------------------------------------------------------------

export const PROTOCOL = 'ccphone.tabs/1';

export type Body =
    | { t: 'hello' }
    | { t: 'leader'; term: number }
    | { t: 'heartbeat'; term: number; seq: number }
    | { t: 'state'; term: number; seq: number; state: unknown }
    | { t: 'resigning'; term: number; state?: unknown }
    | { t: 'end'; term: number }
    | { t: 'command'; id: string; to: string | null; command: unknown }
    | { t: 'result'; id: string; to: string; ok: true; value: unknown }
    | { t: 'result'; id: string; to: string; ok: false; code: CommandErrorCode; message: string }
    | { t: 'handover-request'; id: string; to: string | null }
    | { t: 'handover-reply'; id: string; to: string; granted: true; term: number; state?: unknown }
    | { t: 'handover-reply'; id: string; to: string; granted: false; reason: string };

export type Message = Body & { p: typeof PROTOCOL; from: string; kind: WindowKind };

export const LEADER_MESSAGES = new Set(['leader', 'heartbeat', 'state']);

// ---- helpers -------------------------------------------------------------------------------------------------

const BODY_TYPES = new Set([
    'hello',
    'leader',
    'heartbeat',
    'state',
    'resigning',
    'end',
    'command',
    'result',
    'handover-request',
    'handover-reply'
]);

/** Validates a message from the channel; anything else (other code, other versions) is ignored. */
export function parseMessage(data: unknown): Message | null {
    if (typeof data !== 'object' || data === null) return null;
    const m = data as Record<string, unknown>;
    if (m.p !== PROTOCOL || typeof m.from !== 'string' || typeof m.t !== 'string' || !BODY_TYPES.has(m.t)) {
        return null;
    }
    if (m.kind !== 'tab' && m.kind !== 'popout') return null;
    if ('term' in m && (typeof m.term !== 'number' || !Number.isFinite(m.term))) return null;
    if (LEADER_MESSAGES.has(m.t) || m.t === 'resigning' || m.t === 'end') {
        if (typeof m.term !== 'number') return null;
    }
    if ((m.t === 'heartbeat' || m.t === 'state') && typeof m.seq !== 'number') return null;
    if (
        ['command', 'result', 'handover-request', 'handover-reply'].includes(m.t) &&
        typeof m.id !== 'string'
    ) {
        return null;
    }
    if ((m.t === 'result' || m.t === 'handover-reply') && typeof m.to !== 'string') return null;
    if (m.t === 'handover-reply' && m.granted === true && typeof m.term !== 'number') return null;
    if (m.t === 'handover-reply' && m.granted !== true && typeof m.reason !== 'string') return null;
    if (m.t === 'result' && m.ok !== true && (typeof m.code !== 'string' || typeof m.message !== 'string')) {
        return null;
    }
    if ((m.t === 'command' || m.t === 'handover-request') && m.to !== null && typeof m.to !== 'string')
        return null;
    return m as unknown as Message;
}
