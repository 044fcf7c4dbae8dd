/**
 * Forwarded commands of the tab election (B1): `CommandRelay` is the one owner of the commands this window
 * forwarded to the leader and still awaits. A follower forwards a command with an id and a timeout; the leader
 * runs it through the host's `handleCommand` and posts the result back; a change of leader rejects what is
 * pending. {@link TabElection} (tab-election.ts) decides whether this window forwards, runs or refuses a command.
 */
import type { Clock, TimerHandle } from '../util/clock';
import { CommandError, type Body, type CommandErrorCode, type TabInfo } from './tab-protocol';

/** A command's result as it travels back to the window that sent it. */
export type CommandReply =
    { ok: true; value: unknown } | { ok: false; code: CommandErrorCode; message: string };

/** A forwarded command waiting for its result. */
export interface PendingCommand {
    resolve: (value: unknown) => void;
    reject: (error: CommandError) => void;
    timer: TimerHandle;
    /** The leader it was sent to (null: whoever leads). */
    to: string | null;
}

/** What a {@link CommandRelay} needs from its election. */
export interface CommandRelayOptions<TCommand> {
    clock: Clock;
    /** Posts on the election's channel; false when it could not. */
    post: (body: Body) => boolean;
    /** Leader: the host's handler of forwarded commands (the election's `handleCommand` option), if any. */
    handler: () => ((command: TCommand, from: TabInfo) => unknown) | undefined;
    /** A command is about to run in this window (the election's `commandReceived` event). */
    onReceived: (event: { id: string; command: TCommand; from: TabInfo }) => void;
}

/** The forwarded commands of one window; see the module documentation. */
export class CommandRelay<TCommand> {
    private readonly options: CommandRelayOptions<TCommand>;
    private readonly pendingCommands = new Map<string, PendingCommand>();

    constructor(options: CommandRelayOptions<TCommand>) {
        this.options = options;
    }

    /** Leader: run a command of this very window; rejects with a CommandError when the handler failed. */
    runHere(id: string, command: TCommand, from: TabInfo): Promise<unknown> {
        return this.execute(id, command, from).then((reply) =>
            reply.ok ? reply.value : Promise.reject(new CommandError(reply.code, reply.message))
        );
    }

    /** Follower: send a command to the leader `to` and await its result (a timeout rejects it). */
    forward(id: string, to: string | null, command: TCommand, timeoutMs: number): Promise<unknown> {
        const clock = this.options.clock;
        return new Promise((resolve, reject) => {
            const timer = clock.setTimeout(() => {
                if (this.pendingCommands.delete(id)) {
                    reject(new CommandError('timeout', 'The phone did not answer in time'));
                }
            }, timeoutMs);
            this.pendingCommands.set(id, { resolve, reject, timer, to });
            if (!this.options.post({ t: 'command', id, to, command })) {
                this.settle(id, {
                    ok: false,
                    code: 'failed',
                    message: 'The command could not be sent'
                });
            }
        });
    }

    /** Leader: run a command forwarded by `sender` and post its result back. */
    answer(id: string, command: TCommand, sender: TabInfo): void {
        const post = this.options.post;
        void this.execute(id, command, sender).then((reply) => {
            if (post({ ...reply, t: 'result', id, to: sender.id })) return;
            post({
                t: 'result',
                id,
                to: sender.id,
                ok: false,
                code: 'failed',
                message: 'The result could not be sent back'
            });
        });
    }

    /** Handing over: refuse a forwarded command (the sender retries with the next leader). */
    refuseWhileHandingOver(id: string, sender: TabInfo): void {
        this.options.post({
            t: 'result',
            id,
            to: sender.id,
            ok: false,
            code: 'handing-over',
            message: 'The phone is moving to another window'
        });
    }

    /** The result of a forwarded command arrived (or it failed here): resolve or reject its promise once. */
    settle(id: string, reply: CommandReply): void {
        const pending = this.pendingCommands.get(id);
        if (!pending) return;
        this.pendingCommands.delete(id);
        this.options.clock.clearTimeout(pending.timer);
        if (reply.ok) pending.resolve(reply.value);
        else pending.reject(new CommandError(reply.code, reply.message));
    }

    /** Reject the pending commands `which` selects (all by default) with `code`. */
    rejectPending(
        code: CommandErrorCode,
        message: string,
        which: (pending: PendingCommand) => boolean = () => true
    ): void {
        for (const [id, pending] of Array.from(this.pendingCommands)) {
            if (which(pending)) this.settle(id, { ok: false, code, message });
        }
    }

    private async execute(id: string, command: TCommand, from: TabInfo): Promise<CommandReply> {
        this.options.onReceived({ id, command, from });
        const handler = this.options.handler();
        if (!handler) return { ok: false, code: 'no-handler', message: 'The phone does not take commands' };
        try {
            return { ok: true, value: await handler(command, from) };
        } catch (error) {
            return { ok: false, code: 'failed', message: errorText(error) };
        }
    }
}

function errorText(error: unknown): string {
    if (error instanceof Error) return error.message || error.name;
    return typeof error === 'string' ? error : 'Unknown error';
}
