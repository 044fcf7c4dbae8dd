/**
 * The phone's public API (F19): the messages other components exchange with the phone over the exposed
 * `PhonePublic` Lightning message channel. Pure: the LWC host (`c/phonePublicChannel`) only subscribes,
 * publishes and runs the command this module returns.
 *
 * Payload schema, version {@link PUBLIC_CHANNEL_VERSION} (docs/PUBLIC-API.md is the admin's copy):
 *
 * - command (any publisher): `{ version: 1, kind: 'command', command: 'dial' | 'setStatus' | 'hangup',
 *   requestId?, number?, recordId?, status?, pauseReasonId? }`
 * - event (published by the phone, `source: 'ccphone'`): `{ version: 1, kind: 'event', event, ... }` with
 *   `event` one of {@link PublicEventName}; `accepted` and `error` answer a command and repeat its `requestId`.
 *
 * Commands from outside are untrusted input, read like what an agent types: the number in any format (it must
 * be dialable with the org's numbering), a record id only when it is a Salesforce id, a status only from the
 * documented list. They never run while the agent's state forbids them ({@link publicCommandRefusal}). This is
 * deliberately narrower than the cross-tab protocol in `tabs/`, which carries the phone's own commands.
 *
 * @packageDocumentation
 */
import type { AgentStatus, PauseReason } from '../agent-status';
import { isDialable, type PhoneNumberOptions } from '../phone-number';
import { objectTypeOfId, type MatchObjectType } from '../screen-pop/screen-pop';
import type { PhoneCallEvent, PhoneCommand, PhoneViewState, SessionResult } from '../session/types';

/** Version of the public payload schema; bumped on any incompatible change. */
export const PUBLIC_CHANNEL_VERSION = 1;

/** The `source` of every message the phone publishes on the public channel. */
export const PUBLIC_CHANNEL_SOURCE = 'ccphone';

/** Commands other components may send. */
export type PublicCommandName = 'dial' | 'setStatus' | 'hangup';

/** Statuses a `setStatus` command may ask for. */
export type PublicStatus = 'Ready' | 'NotReady' | 'Paused';

/** Events the phone publishes. */
export type PublicEventName = 'ringing' | 'answered' | 'ended' | 'logged' | 'status' | 'accepted' | 'error';

/** Why a command was not run (the `errorCode` of an `error` event). */
export type PublicErrorCode =
    /** `version` is missing or not one this phone speaks. */
    | 'unsupported-version'
    /** `command` is not dial, setStatus or hangup. */
    | 'unknown-command'
    /** dial: the number cannot be dialled (empty, malformed, invalid for the org's country). */
    | 'invalid-number'
    /** dial: `recordId` is given but is not a Salesforce record id. */
    | 'invalid-record-id'
    /** setStatus: not Ready, NotReady or Paused. */
    | 'unknown-status'
    /** setStatus Paused: no pause reason with that id. */
    | 'unknown-pause-reason'
    /** The phone is not registered (offline, starting, connection lost). */
    | 'phone-not-ready'
    /** The agent's state forbids the command now (on a call, ringing, in wrap-up). */
    | 'not-allowed-now'
    /** hangup: there is no call to hang up. */
    | 'no-call'
    /** The phone tried and failed (`phoneError` says why). */
    | 'command-failed';

/** A public message as published (flat, JSON; unset fields are left out). */
export interface PublicEventMessage {
    version: typeof PUBLIC_CHANNEL_VERSION;
    kind: 'event';
    event: PublicEventName;
    source: typeof PUBLIC_CHANNEL_SOURCE;
    requestId?: string;
    command?: PublicCommandName;
    interactionId?: string;
    direction?: 'inbound' | 'outbound';
    number?: string;
    name?: string;
    recordId?: string;
    outcome?: string;
    durationSeconds?: number;
    taskId?: string;
    status?: string;
    previousStatus?: string;
    errorCode?: PublicErrorCode;
    /** `command-failed`: the phone's own error code (e.g. `number-not-dialable`). */
    phoneError?: string;
}

/** What the phone must know to read a command. */
export interface PublicCommandContext {
    state: PhoneViewState;
    numbers: PhoneNumberOptions;
}

/** A command read from a message: run `command`, or publish `refusal`. */
export type PublicCommandReading =
    | { ok: true; requestId?: string; name: PublicCommandName; command: PhoneCommand }
    | { ok: false; requestId?: string; name?: PublicCommandName; refusal: PublicEventMessage };

const MAX_REQUEST_ID = 64;
const MAX_NUMBER = 64;
const MAX_NAME = 255;
const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const OBJECT_TYPES: readonly MatchObjectType[] = ['PersonAccount', 'Contact', 'Lead', 'Account', 'Case'];
const PUBLIC_COMMANDS: readonly PublicCommandName[] = ['dial', 'setStatus', 'hangup'];
const PUBLIC_STATUSES: readonly PublicStatus[] = ['Ready', 'NotReady', 'Paused'];
/** Agent statuses in which an outside component may start a call: never over a call or its after-call work. */
const DIAL_STATUSES: readonly string[] = ['Ready', 'NotReady', 'Paused'];
/** Statuses in which the status is the contact centre's or the phone's to change, not an outside component's. */
const STATUS_LOCKED: readonly string[] = ['Offline', 'Error', 'Wrap'];

/** Whether a message is a public command at all (anything else on the channel is not for the phone). */
export function isPublicCommandMessage(message: unknown): boolean {
    return (
        !!message && typeof message === 'object' && (message as Record<string, unknown>).kind === 'command'
    );
}

/**
 * Reads one public command message. Never throws: malformed input gives a refusal (an `error` event to
 * publish), a valid command the {@link PhoneCommand} to run now. `context` null: the phone has not started
 * (every well-formed command is refused with `phone-not-ready`).
 */
export function readPublicCommand(
    message: unknown,
    context: PublicCommandContext | null
): PublicCommandReading {
    const data = (message && typeof message === 'object' ? message : {}) as Record<string, unknown>;
    const requestId = requestIdOf(data.requestId);
    const name = PUBLIC_COMMANDS.find((candidate) => candidate === data.command);
    const refuse = (errorCode: PublicErrorCode): PublicCommandReading => ({
        ok: false,
        requestId,
        name,
        refusal: publicError(errorCode, requestId, name)
    });
    if (data.version !== PUBLIC_CHANNEL_VERSION) return refuse('unsupported-version');
    if (!name) return refuse('unknown-command');
    if (!context) return refuse('phone-not-ready');
    const command =
        name === 'dial'
            ? dialCommand(data, context.numbers)
            : name === 'setStatus'
              ? statusCommand(data, context.state.pauseReasons)
              : ({ type: 'hangup' } as const);
    if (typeof command === 'string') return refuse(command);
    const refusal = publicCommandRefusal(name, context.state);
    if (refusal) return refuse(refusal);
    return { ok: true, requestId, name, command };
}

/**
 * The state guard: why the agent's state forbids a public command now, or null when it may run.
 * - dial: registered, no call at all, status Ready, NotReady or Paused (never over a call or a wrap-up);
 * - setStatus: registered and not in Wrap (the after-call work is the agent's); on a call it becomes the
 *   status after the call, as in the phone's own menu;
 * - hangup: a call that is connected or dialling out (a ringing inbound call is the agent's to answer or reject).
 */
export function publicCommandRefusal(name: PublicCommandName, state: PhoneViewState): PublicErrorCode | null {
    const registered = state.started && state.registration.state === 'Registered';
    const status: string = state.agent.status;
    switch (name) {
        case 'dial':
            if (!registered) return 'phone-not-ready';
            return state.calls.length === 0 && DIAL_STATUSES.includes(status) ? null : 'not-allowed-now';
        case 'setStatus':
            if (!registered) return 'phone-not-ready';
            return STATUS_LOCKED.includes(status) ? 'not-allowed-now' : null;
        case 'hangup':
            return state.calls.some((call) => call.role === 'primary' && call.id !== state.incoming?.id)
                ? null
                : 'no-call';
        default:
            return 'unknown-command';
    }
}

/** The `accepted` or `error` event answering a command the phone ran. */
export function publicCommandOutcome(
    reading: Extract<PublicCommandReading, { ok: true }>,
    result: SessionResult
): PublicEventMessage {
    if (result.ok) {
        return compact({
            ...base('accepted'),
            requestId: reading.requestId,
            command: reading.name,
            interactionId: result.interactionId
        });
    }
    return compact({
        ...publicError('command-failed', reading.requestId, reading.name),
        phoneError: result.error
    });
}

/**
 * A call event as published: `dialing` is published as `ringing` with direction outbound (the call rings at
 * the other end), the others keep their name.
 */
export function publicCallEvent(event: PhoneCallEvent): PublicEventMessage {
    return compact({
        ...base(event.kind === 'dialing' ? 'ringing' : event.kind),
        interactionId: event.interactionId,
        direction: event.direction,
        number: event.number,
        name: event.name || undefined,
        recordId: event.recordId,
        outcome: event.outcome,
        durationSeconds: event.durationSeconds,
        taskId: event.taskId
    });
}

/** The `status` event when the agent status changed between two states (null when it did not). */
export function publicStatusEvent(
    previous: AgentStatus | null | undefined,
    next: AgentStatus
): PublicEventMessage | null {
    if (previous === next) return null;
    return compact({ ...base('status'), status: next, previousStatus: previous ?? undefined });
}

/** An `error` event. */
export function publicError(
    errorCode: PublicErrorCode,
    requestId?: string,
    command?: PublicCommandName
): PublicEventMessage {
    return compact({ ...base('error'), errorCode, requestId, command });
}

function base(event: PublicEventName): PublicEventMessage {
    return { version: PUBLIC_CHANNEL_VERSION, kind: 'event', event, source: PUBLIC_CHANNEL_SOURCE };
}

function dialCommand(
    data: Record<string, unknown>,
    numbers: PhoneNumberOptions
): PhoneCommand | PublicErrorCode {
    const number = typeof data.number === 'string' ? data.number.trim() : '';
    if (!number || number.length > MAX_NUMBER || !isDialable(number, numbers)) return 'invalid-number';
    if (data.recordId === undefined || data.recordId === null || data.recordId === '') {
        return { type: 'dial', number };
    }
    if (typeof data.recordId !== 'string' || !RECORD_ID.test(data.recordId)) return 'invalid-record-id';
    const named = OBJECT_TYPES.find((candidate) => candidate === data.objectApiName);
    const objectType: MatchObjectType = named ?? objectTypeOfId(data.recordId);
    const name = typeof data.recordName === 'string' ? data.recordName.slice(0, MAX_NAME) : undefined;
    return { type: 'dial', number, context: compact({ recordId: data.recordId, objectType, name }) };
}

function statusCommand(
    data: Record<string, unknown>,
    reasons: PauseReason[]
): PhoneCommand | PublicErrorCode {
    const status = PUBLIC_STATUSES.find((candidate) => candidate === data.status);
    if (!status) return 'unknown-status';
    if (status !== 'Paused') return { type: 'setStatus', request: { status } };
    const reason = reasons.find((candidate) => candidate.id === data.pauseReasonId);
    if (!reason) return 'unknown-pause-reason';
    return {
        type: 'setStatus',
        request: { status: 'Paused', reason: { id: reason.id, label: reason.label } }
    };
}

function requestIdOf(value: unknown): string | undefined {
    if (typeof value !== 'string' && typeof value !== 'number') return undefined;
    const text = String(value).trim();
    // control characters never travel back: the id is echoed to every subscriber
    return text && !hasControlCharacter(text) ? text.slice(0, MAX_REQUEST_ID) : undefined;
}

function hasControlCharacter(text: string): boolean {
    for (let index = 0; index < text.length; index++) {
        const code = text.charCodeAt(index);
        if (code < 0x20 || code === 0x7f) return true;
    }
    return false;
}

function compact<T extends object>(value: T): T {
    const copy = { ...value } as Record<string, unknown>;
    for (const key of Object.keys(copy)) if (copy[key] === undefined) delete copy[key];
    return copy as T;
}
