/**
 * `SessionCommands`: runs one {@link PhoneCommand} on the leader.
 *
 * Owns: what the commands remember between calls: the last number dialled (redial), the dial in flight
 * (its number and context name the outbound interaction), and the agent's chosen audio devices. Every
 * command validates its input and answers a {@link SessionResult} with a code, never English.
 *
 * Talks to: the {@link LeaderRuntime} (the live stack: SIP and agent status), the {@link InteractionBook}
 * (wrap-up forms, related records, logging on submit), the outbox (retry, dismiss, callback flag) and the
 * session's error slot (`fail`, `clearError`).
 *
 * @packageDocumentation
 */
import { AgentStatus } from '../agent-status';
import { isValidDtmf } from '../call/call-machine';
import type { CallLogEntry, OutboxItem } from '../outbox/call-log-outbox';
import { toDialString, type PhoneNumberOptions } from '../phone-number';
import type { RecordMatch, TaskRelationOptions } from '../screen-pop/screen-pop';
import type { AudioDevices } from '../sip/media';
import type { CommandResult } from '../sip/types';
import type { Clock } from '../util/clock';
import {
    applyRecordingInput,
    initialRecordingState,
    isRecordingInput,
    type RecordingInput,
    type RecordingRequest
} from '../recording/recording-control';
import { isRecordId, matchFromRef, relatedFromRecord } from './caller-card';
import { InteractionState, mergeWrapUpForm, type InteractionRecord } from './interaction';
import { findCandidate, type InteractionBook } from './interaction-book';
import type { LeaderRuntime, LeaderStack } from './leader-stack';
import { cleanDevices, cleanDialContext, entryPatchOf, nextStatusOf } from './session-helpers';
import type {
    DialContext,
    PhoneCommand,
    PhoneCommandType,
    PhoneErrorCode,
    RecordRef,
    SessionResult,
    StatusRequest,
    WrapUpForm
} from './types';

/**
 * The commands another tab may forward to the leader (finding 2: the leader ran anything a message named).
 * A `Record` over every {@link PhoneCommandType}, so a new command type does not compile until someone
 * decides whether a follower may send it. Only the agent's own tabs can post on the election's channel (its
 * name carries a secret only this namespace can read, see election-secret.ts); this list and
 * {@link forwardedCommand} are the second line: a message that is not one of these, well formed, is refused
 * before any command code runs.
 */
export const FORWARDABLE_COMMANDS: Readonly<Record<PhoneCommandType, boolean>> = Object.freeze({
    setStatus: true,
    clearNextStatus: true,
    answer: true,
    reject: true,
    hangup: true,
    hold: true,
    resume: true,
    mute: true,
    unmute: true,
    sendDtmf: true,
    blindTransfer: true,
    startConsultation: true,
    completeTransfer: true,
    returnToCaller: true,
    conference: true,
    dial: true,
    redial: true,
    endWrapEarly: true,
    updateWrapUp: true,
    submitWrapUp: true,
    chooseRecord: true,
    relateToRecord: true,
    requestCallback: true,
    controlRecording: true,
    setAudioDevices: true,
    retryCallLog: true,
    dismissCallLog: true,
    clearError: true,
    restartPhone: true,
    signOut: true
});

/** Longest id, number or target a forwarded command may carry. */
const MAX_FORWARDED_TEXT = 256;
const TEXT_FIELDS = ['callId', 'consultCallId', 'interactionId', 'target', 'digits', 'number', 'recordId'];
const OBJECT_FIELDS = ['request', 'context', 'patch', 'form', 'record', 'devices', 'input'];

/** A command another tab forwarded, when it is on the allow-list and well formed; else null. */
export function forwardedCommand(value: unknown): PhoneCommand | null {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    const command = value as Record<string, unknown>;
    const type = command.type;
    if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(FORWARDABLE_COMMANDS, type))
        return null;
    if (!FORWARDABLE_COMMANDS[type as PhoneCommandType]) return null;
    for (const field of TEXT_FIELDS) {
        const text = command[field];
        if (text !== undefined && (typeof text !== 'string' || text.length > MAX_FORWARDED_TEXT)) return null;
    }
    for (const field of OBJECT_FIELDS) {
        const object = command[field];
        if (object !== undefined && (typeof object !== 'object' || object === null)) return null;
    }
    if (command.requested !== undefined && typeof command.requested !== 'boolean') return null;
    return value as PhoneCommand;
}

/** A number with the record it was dialled from. */
export interface DialRequest {
    number: string;
    context?: DialContext;
}

/** What the commands need from the session. */
export interface SessionCommandsPorts {
    readonly clock: Clock;
    readonly numberOptions: PhoneNumberOptions;
    readonly relationOptions: TaskRelationOptions;
    readonly runtime: LeaderRuntime;
    readonly book: InteractionBook;
    readonly outbox: {
        retry(interactionId: string, patch: Partial<Omit<CallLogEntry, 'interactionId'>>): boolean;
        dismiss(interactionId: string): boolean;
        get(interactionId: string): OutboxItem | undefined;
        enqueue(entry: CallLogEntry): unknown;
    };
    fail(code: PhoneErrorCode, detail?: string, reason?: string | number, callId?: string): SessionResult;
    clearError(): void;
    /** The code of the error shown now, if any. */
    errorCode(): PhoneErrorCode | undefined;
    /** The `signOut` command (it ends the session: the session runs it). */
    signOut(): Promise<SessionResult>;
    /** The contact centre's recording operation (F21); rejects when it was not done. */
    controlRecording(interactionId: string, request: RecordingRequest): Promise<void>;
}

/** The leader's command execution; see the module documentation. */
export class SessionCommands {
    lastDialled: DialRequest | null = null;
    audioDevices: AudioDevices = {};
    private pendingDialRequest: DialRequest | undefined;
    private recordingQueue: Promise<unknown> = Promise.resolve();

    constructor(private readonly ports: SessionCommandsPorts) {}

    /** The dial in flight. */
    get pendingDial(): DialRequest | undefined {
        return this.pendingDialRequest;
    }

    /** Runs one command; may throw (the session turns that into `unknown`). */
    async execute(command: PhoneCommand): Promise<SessionResult> {
        const { fail, outbox } = this.ports;
        if (!command || typeof command !== 'object') return fail('invalid-argument', 'no command');
        switch (command.type) {
            case 'clearError':
                this.ports.clearError();
                return { ok: true };
            case 'updateWrapUp':
                return this.updateWrapUp(command.patch, command.interactionId);
            case 'submitWrapUp':
                return this.submitWrapUp(command.form, command.interactionId);
            case 'chooseRecord':
                return this.chooseRecord(command.recordId, command.callId);
            case 'relateToRecord':
                return this.relateToRecord(command.record, command.callId);
            case 'requestCallback':
                return this.requestCallback(command.interactionId, command.requested !== false);
            case 'controlRecording':
                return this.recording(command.input, command.interactionId);
            case 'retryCallLog':
                return outbox.retry(command.interactionId, entryPatchOf(command.patch))
                    ? { ok: true, interactionId: command.interactionId }
                    : fail('not-found', command.interactionId);
            case 'dismissCallLog':
                return outbox.dismiss(command.interactionId)
                    ? { ok: true, interactionId: command.interactionId }
                    : fail('not-found', command.interactionId);
            case 'endWrapEarly':
                return this.endWrap();
            case 'signOut':
                return this.ports.signOut();
            case 'setAudioDevices': {
                this.audioDevices = { ...this.audioDevices, ...cleanDevices(command.devices) };
                const current = this.ports.runtime.current;
                if (current) await current.phone.setAudioDevices(cleanDevices(command.devices));
                return { ok: true };
            }
            default:
                break;
        }
        const stack = this.ports.runtime.usable;
        if (!stack) return fail('not-started');
        switch (command.type) {
            case 'restartPhone':
                return (await this.ports.runtime.restart(stack))
                    ? { ok: true }
                    : fail(this.ports.errorCode() ?? 'not-started');
            case 'setStatus':
                return this.setStatus(stack, command.request);
            case 'clearNextStatus': {
                const r = stack.agent.send({ type: 'clearNextStatus' });
                return r.ok ? { ok: true } : fail('status-change-not-allowed', r.message);
            }
            case 'dial':
                return this.dial(stack, command.number, command.context);
            case 'redial':
                return this.lastDialled
                    ? this.dial(stack, this.lastDialled.number, this.lastDialled.context)
                    : fail('number-not-dialable', 'nothing dialled yet');
            default:
                return this.callCommand(stack, command);
        }
    }

    setStatus(stack: LeaderStack, request: StatusRequest): SessionResult {
        const next = nextStatusOf(request);
        if (!next) return this.ports.fail('invalid-argument', 'status');
        const agent = stack.agent;
        const inCall = agent.status === AgentStatus.Ringing || agent.status === AgentStatus.Busy;
        let r;
        if (inCall) r = agent.send({ type: 'setNextStatus', next });
        else if (next.status === AgentStatus.Paused) r = agent.send({ type: 'pause', reason: next.reason });
        else if (next.status === AgentStatus.Ready) r = agent.send({ type: 'setReady' });
        else r = agent.send({ type: 'setNotReady' });
        return r.ok ? { ok: true } : this.ports.fail('status-change-not-allowed', r.message);
    }

    /** Commands on a call leg. */
    private async callCommand(stack: LeaderStack, command: PhoneCommand): Promise<SessionResult> {
        const phone = stack.phone;
        const { book, fail } = this.ports;
        switch (command.type) {
            case 'answer': {
                const call = book.findCall(command.callId, 'ringing');
                return call ? this.sipResult(await phone.answer(call.id)) : fail('no-call');
            }
            case 'reject': {
                const call = book.findCall(command.callId, 'ringing');
                return call ? this.sipResult(await phone.reject(call.id)) : fail('no-call');
            }
            case 'hangup': {
                const call = book.findCall(command.callId, 'active') ?? book.findCall(undefined, 'ringing');
                return call ? this.sipResult(await phone.hangup(call.id)) : fail('no-call');
            }
            case 'hold':
            case 'resume':
            case 'mute':
            case 'unmute': {
                const call = book.findCall(command.callId, 'active');
                return call ? this.sipResult(await phone[command.type](call.id)) : fail('no-call');
            }
            case 'sendDtmf': {
                if (!isValidDtmf(command.digits)) return fail('invalid-argument', 'DTMF digits');
                const call = book.findCall(command.callId, 'active');
                return call ? this.sipResult(await phone.sendDtmf(call.id, command.digits)) : fail('no-call');
            }
            case 'blindTransfer': {
                const target = this.transferTarget(command.target);
                if (!target) return fail('invalid-transfer-target', String(command.target));
                const call = book.findCall(command.callId, 'primary');
                return call ? this.sipResult(await phone.blindTransfer(call.id, target)) : fail('no-call');
            }
            case 'startConsultation': {
                const target = this.transferTarget(command.target);
                if (!target) return fail('invalid-transfer-target', String(command.target));
                const call = book.findCall(command.callId, 'primary');
                return call
                    ? this.sipResult(await phone.startConsultation(call.id, target))
                    : fail('no-call');
            }
            case 'completeTransfer':
            case 'returnToCaller': {
                const consult = book.findCall(command.consultCallId, 'consultation');
                if (!consult) return fail('no-call');
                const r =
                    command.type === 'completeTransfer'
                        ? await phone.completeTransfer(consult.id)
                        : await phone.returnToCaller(consult.id);
                return this.sipResult(r);
            }
            case 'conference': {
                const primary = book.findCall(command.callId, 'primary');
                const consult = primary && book.findCall(primary.snapshot.linkedCallId, 'consultation');
                if (!primary || !consult) return fail('no-call');
                return this.sipResult(await phone.conference(primary.snapshot.id, consult.snapshot.id));
            }
            default:
                return fail('invalid-argument', `unknown command ${(command as { type?: unknown }).type}`);
        }
    }

    private async dial(
        stack: LeaderStack,
        number: string,
        context: DialContext | undefined
    ): Promise<SessionResult> {
        const fail = this.ports.fail;
        const raw = typeof number === 'string' ? number : '';
        const dialString = toDialString(raw, this.ports.numberOptions);
        if (!dialString) return fail('number-not-dialable', raw.slice(0, 64));
        if (!stack.started) return fail('not-started');
        if (stack.phone.activeCalls().length > 0) return fail('call-in-progress');
        const ctx = cleanDialContext(context);
        this.pendingDialRequest = ctx ? { number: raw, context: ctx } : { number: raw };
        let result: CommandResult;
        try {
            result = await stack.phone.dial(dialString, {
                originRecordId: ctx?.recordId,
                displayName: ctx?.name
            });
        } finally {
            this.pendingDialRequest = undefined;
        }
        this.lastDialled = ctx ? { number: raw, context: ctx } : { number: raw };
        if (!result.ok) return fail('call-command-failed', result.message);
        return {
            ok: true,
            callId: result.snapshot.id,
            interactionId: this.ports.book.interactionIdOfCall(result.snapshot.id)
        };
    }

    private sipResult(result: CommandResult): SessionResult {
        const fail = this.ports.fail;
        if (result.ok) {
            return {
                ok: true,
                callId: result.snapshot.id,
                interactionId: this.ports.book.interactionIdOfCall(result.snapshot.id)
            };
        }
        if (/not started/.test(result.message)) return fail('not-started', result.message);
        if (/another call is active/.test(result.message)) return fail('call-in-progress', result.message);
        if (/no active call/.test(result.message)) return fail('no-call', result.message);
        return fail('call-command-failed', result.message, undefined, result.snapshot?.id);
    }

    // ---- recording control (F21) ----------------------------------------------------------------------------

    /**
     * Applies a recording input to the call's interaction; when it needs the contact centre, the new state is
     * kept only after the request succeeded. Inputs run one at a time per leader, so two quick clicks never
     * race on the same state.
     */
    private recording(input: RecordingInput | undefined, interactionId?: string): Promise<SessionResult> {
        const run = this.recordingQueue.then(() => this.applyRecording(input, interactionId));
        this.recordingQueue = run.then(
            () => undefined,
            () => undefined
        );
        return run;
    }

    private async applyRecording(
        input: RecordingInput | undefined,
        interactionId?: string
    ): Promise<SessionResult> {
        const { book, fail } = this.ports;
        if (!isRecordingInput(input)) return fail('invalid-argument', 'recording input');
        const record = book.findInteraction(interactionId);
        if (!record || record.state !== InteractionState.InCall || record.answeredAt === undefined)
            return fail('no-call', interactionId);
        const now = this.ports.clock.now();
        const step = applyRecordingInput(record.recording ?? initialRecordingState(), input, now);
        if (!step.changed) return { ok: true, interactionId: record.interactionId };
        if (step.request) {
            try {
                await this.ports.controlRecording(record.interactionId, step.request);
            } catch (error) {
                return fail('recording-failed', error instanceof Error ? error.message : String(error));
            }
        }
        // the call may have ended while the request was out: the audit still belongs to it
        record.recording = step.next;
        book.touch(record);
        return { ok: true, interactionId: record.interactionId };
    }

    // ---- wrap-up and related records ------------------------------------------------------------------------

    private updateWrapUp(patch: Partial<WrapUpForm> | undefined, interactionId?: string): SessionResult {
        const record = this.ports.book.findInteraction(interactionId);
        if (!record) return this.ports.fail('not-found', interactionId);
        this.applyForm(record, patch);
        return { ok: true, interactionId: record.interactionId };
    }

    private submitWrapUp(form: Partial<WrapUpForm> | undefined, interactionId?: string): SessionResult {
        const book = this.ports.book;
        const record = book.findInteraction(interactionId);
        if (!record) return this.ports.fail('not-found', interactionId);
        this.applyForm(record, form);
        if (record.state !== InteractionState.WrapUp)
            return this.ports.fail('call-in-progress', record.interactionId);
        book.log(record);
        const stack = this.ports.runtime.usable;
        if (
            stack &&
            stack.agent.status === AgentStatus.Wrap &&
            stack.phone.activeCalls().length === 0 &&
            !book.openRecords().some((r) => r.state === InteractionState.WrapUp && !r.ownDeadline)
        ) {
            stack.agent.send({ type: 'endWrap' });
        }
        return { ok: true, interactionId: record.interactionId };
    }

    private endWrap(): SessionResult {
        const book = this.ports.book;
        const stack = this.ports.runtime.usable;
        let done = false;
        if (stack && stack.agent.status === AgentStatus.Wrap) {
            done = stack.agent.send({ type: 'endWrap' }).ok; // leaving Wrap logs the agent-bound wrap-ups
        }
        for (const record of book.openRecords()) {
            if (record.state === InteractionState.WrapUp && record.ownDeadline)
                done = book.log(record) || done;
        }
        return done ? { ok: true } : this.ports.fail('not-found', 'no wrap-up');
    }

    private applyForm(record: InteractionRecord, patch: Partial<WrapUpForm> | undefined): void {
        const before = record.draft.relatedRecordId;
        record.draft = mergeWrapUpForm(record.draft, patch);
        const id = record.draft.relatedRecordId;
        if (id !== before) {
            if (id === null) record.related = null;
            else if (isRecordId(id)) {
                const match = findCandidate(record, id) ?? matchFromRef({ id });
                record.related = relatedFromRecord(match, 'chosen', this.ports.relationOptions);
            } else {
                record.draft.relatedRecordId = before; // not a record id: keep the previous choice
            }
        }
        this.ports.book.touch(record);
    }

    private chooseRecord(recordId: string, callId?: string): SessionResult {
        const record = this.ports.book.interactionForCall(callId);
        if (!record) return this.ports.fail('no-call', callId);
        const match = findCandidate(record, recordId);
        if (!match) return this.ports.fail('not-found', recordId);
        this.relate(record, match, 'chosen');
        return { ok: true, interactionId: record.interactionId };
    }

    private relateToRecord(ref: RecordRef, callId?: string): SessionResult {
        if (!ref || !isRecordId(ref.id)) return this.ports.fail('invalid-argument', 'record id');
        const record = this.ports.book.interactionForCall(callId);
        if (!record) return this.ports.fail('no-call', callId);
        const match = findCandidate(record, ref.id) ?? matchFromRef(ref);
        if (!record.candidates.some((c) => c.id === match.id))
            record.candidates = [...record.candidates, match];
        this.relate(record, match, 'on-screen');
        return { ok: true, interactionId: record.interactionId };
    }

    private relate(record: InteractionRecord, match: RecordMatch, source: 'chosen' | 'on-screen'): void {
        record.related = relatedFromRecord(match, source, this.ports.relationOptions);
        record.draft = { ...record.draft, relatedRecordId: match.id };
        const person = match.name || record.caller.displayName;
        record.caller = {
            ...record.caller,
            record: match,
            name: person,
            company: match.subtitle ?? '',
            unknown: person === '' && record.caller.numberDisplay === ''
        };
        this.ports.book.touch(record);
    }

    private requestCallback(interactionId: string, requested: boolean): SessionResult {
        const { book, outbox } = this.ports;
        const open = book.get(interactionId);
        if (open && open.state !== InteractionState.Logged) {
            this.applyForm(open, { callbackRequested: requested });
        } else {
            const item = outbox.get(interactionId);
            if (!item) return this.ports.fail('not-found', interactionId);
            // the Task exists (or is queued): the outbox merges by interaction id, the server updates it
            outbox.enqueue({ ...item.entry, callbackRequested: requested });
        }
        book.markRecentCallback(interactionId, requested);
        return { ok: true, interactionId };
    }

    private transferTarget(raw: string): string | undefined {
        if (typeof raw !== 'string') return undefined;
        const dial = toDialString(raw, this.ports.numberOptions);
        if (dial) return dial;
        const text = raw.trim();
        if (/^sips?:[^\s<>"]+$/i.test(text)) return text;
        if (/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(text)) return text; // queue or user name
        return undefined;
    }
}
