/**
 * `CallRejoin`: B7, a call that survives a page reload (or a crash, or the leader tab closing).
 *
 * The page that had the call left it without a BYE (`LeaderRuntime.resign` on `pagehide`), so the contact
 * centre still holds the customer's leg. The new leader finds the interaction InCall in storage (caller card,
 * start and answer time, notes draft, related record) and, once registered, asks the contact centre for this
 * agent's calls in progress (`HostPorts.getActiveInteractions`). Each held interaction the contact centre still
 * lists is dialled back through its `rejoinUri` with `X-CC-Interaction-Id`; the contact centre bridges that leg
 * to the held customer, and the call flow attaches it to the same interaction ({@link InteractionBook.attachRejoined}):
 * one interaction, one Task. An interaction it does not list (the customer hung up meanwhile), a failed
 * rejoin or a host without the port: the call is logged as it was ({@link InteractionBook.giveUp}).
 *
 * Owns: the interactions waiting to be taken back and the rejoin dial in flight. Talks to the host, the
 * interaction book and the stack's SipPhone.
 *
 * @packageDocumentation
 */
import type { Clock } from '../util/clock';
import type { InteractionRecord } from './interaction';
import type { InteractionBook } from './interaction-book';
import type { LeaderStack } from './leader-stack';
import type { ActiveInteraction, HostPorts } from './types';

/** How long the contact centre may take to list the calls in progress before the held ones are logged. */
export const ACTIVE_INTERACTIONS_BUDGET_MS = 10_000;

/** An interaction id that may go into a SIP header as it is. */
const HEADER_SAFE_ID = /^[A-Za-z0-9._:#@+-]{1,128}$/;

/** What the rejoin needs from the session. */
export interface CallRejoinPorts {
    readonly host: HostPorts;
    readonly clock: Clock;
    readonly book: InteractionBook;
    changed(): void;
}

/** See the module documentation. */
export class CallRejoin {
    private readonly held = new Map<string, InteractionRecord>();
    private dialling: InteractionRecord | undefined;
    private running = false;

    constructor(private readonly ports: CallRejoinPorts) {}

    /** New leader: the calls in progress a previous page left (see {@link InteractionBook.recover}). */
    hold(records: readonly InteractionRecord[]): void {
        for (const record of records) this.held.set(record.interactionId, record);
    }

    /** The host can list the calls in progress: a call a previous page left is worth holding for. */
    get possible(): boolean {
        return typeof this.ports.host.getActiveInteractions === 'function';
    }

    /** True while a held call waits to be taken back. */
    get waiting(): boolean {
        return this.held.size > 0 || this.dialling !== undefined;
    }

    /** The interaction the dial in flight takes back (the call flow attaches that leg's first update to it). */
    pendingRecord(): InteractionRecord | undefined {
        return this.dialling;
    }

    /** The stack is gone: what is held stays in storage for the next leader. */
    clear(): void {
        this.held.clear();
        this.dialling = undefined;
    }

    /** The stack registered: take the held calls back, one at a time. */
    async registered(stack: LeaderStack): Promise<void> {
        if (this.running || this.held.size === 0) return;
        this.running = true;
        try {
            const active = await this.activeInteractions();
            for (const record of Array.from(this.held.values())) {
                this.held.delete(record.interactionId);
                if (stack.tearingDown) return;
                const live = active.find((a) => a.interactionId === record.interactionId);
                if (
                    !live ||
                    !HEADER_SAFE_ID.test(record.interactionId) ||
                    stack.phone.activeCalls().length > 0
                ) {
                    this.ports.book.giveUp(record);
                    continue;
                }
                if (live.answeredAt !== undefined && record.answeredAt === undefined)
                    record.answeredAt = live.answeredAt;
                this.dialling = record;
                let ok = false;
                try {
                    const result = await stack.phone.dial(live.rejoinUri, {
                        extraHeaders: [`X-CC-Interaction-Id: ${record.interactionId}`]
                    });
                    ok = result.ok;
                } finally {
                    this.dialling = undefined;
                }
                if (!ok) this.ports.book.giveUp(record);
            }
        } finally {
            this.running = false;
            this.ports.changed();
        }
    }

    /** The contact centre's calls in progress for this agent; none when it cannot say in time. */
    private async activeInteractions(): Promise<ActiveInteraction[]> {
        const ask = this.ports.host.getActiveInteractions;
        if (!ask) return [];
        const clock = this.ports.clock;
        let timer: ReturnType<Clock['setTimeout']> | undefined;
        const timeout = new Promise<ActiveInteraction[]>((resolve) => {
            timer = clock.setTimeout(() => resolve([]), ACTIVE_INTERACTIONS_BUDGET_MS);
        });
        try {
            const answer = await Promise.race([ask.call(this.ports.host), timeout]);
            return Array.isArray(answer)
                ? answer.filter(
                      (a) =>
                          a &&
                          typeof a.interactionId === 'string' &&
                          typeof a.rejoinUri === 'string' &&
                          /^sips?:/i.test(a.rejoinUri)
                  )
                : [];
        } catch {
            return []; // the held calls are logged as they were: nothing is lost
        } finally {
            if (timer !== undefined) clock.clearTimeout(timer);
        }
    }
}
