/**
 * Sends each recorded call's conversation (conversation.ts) to the paired org after the call:
 * `PUT /services/apexrest/ccphone/conversations/v1/{interactionId}` with `X-Tenant-Id`, through the same
 * jsforce connection kind as the call-record push. Once per call (a record pushed again after a recording
 * upload sends nothing new).
 *
 * ```text
 *  call ended (answered, recorded, wanted by the integration settings)
 *    └─ the record's push done (its Task exists), then wait firstDelayMs (the analysis takes a moment;
 *       `late`: held until released or its delay)
 *        └─ PUT ─► 200 saved / empty ............ done
 *                ─► 202 pending (no Task yet) ... wait retryDelaysMs[n], PUT again
 *                ─► error (5xx, 503, network) ... wait retryDelaysMs[n], PUT again; given up after the last
 * ```
 *
 * jsforce hands back the body, not the headers: a 202 is known by its `status: pending`, and the waits are
 * the simulator's (their first step is the Apex's Retry-After, 30 s). Test options (`/_sim/conversations`):
 * `empty`, `oversized`, `late` (held until `POST /_sim/conversations/{id}/send` or `delayMs`), `off`.
 */
import type { Clock } from '../../../phone-core/src/util/clock';
import type { EventLog } from '../acd/events';
import type { CallRecordData } from '../model';
import type { ApexConnection } from './call-record-push';
import {
    APEX_CONVERSATIONS_PATH,
    conversationOf,
    hasConversation,
    type ConversationVariant
} from './conversation';

/** How the next calls' conversations are sent (tests). */
export interface ConversationMode {
    /** `normal` (default), `empty`, `oversized`, `late` (held) or `off` (none sent). */
    mode: ConversationVariant | 'late' | 'off';
    /** `late`: sent by itself after this many ms (default: only when released). */
    delayMs?: number | null;
}

/** Options of {@link ConversationPusher}. */
export interface ConversationPusherOptions {
    connection: ApexConnection | (() => Promise<ApexConnection>);
    tenantId: string;
    clock: Clock;
    events: EventLog;
    /** Whether the integration settings want the call in Salesforce (the call-record push's rule). */
    wants(record: CallRecordData): boolean;
    /** Resolves when the call-record pushes in flight are done (the call's Task exists before the first send). */
    afterPushes?: () => Promise<void>;
    /** Wait between the end of the call (and its record's push) and the first send (default 2 s). */
    firstDelayMs?: number;
    /** Waits before each retry (default 30 s, 60 s, 120 s, 300 s, 600 s). */
    retryDelaysMs?: number[];
}

interface Held {
    record: CallRecordData;
    release: () => void;
    /** Clears its delay, if any. */
    cancel: () => void;
}

/** See the module documentation. */
export class ConversationPusher {
    private connection: Promise<ApexConnection> | undefined;
    private readonly pending = new Set<Promise<void>>();
    private readonly waits = new Map<unknown, () => void>();
    private readonly sent = new Set<string>();
    private readonly held = new Map<string, Held>();
    private current: ConversationMode = { mode: 'normal' };
    private closed = false;

    constructor(private readonly options: ConversationPusherOptions) {}

    /** Sets how the next calls' conversations are sent. */
    setMode(mode: ConversationMode): void {
        this.current = { ...mode };
    }

    /** The mode in force. */
    mode(): ConversationMode {
        return { ...this.current };
    }

    /** Interaction ids of conversations held (`late`), oldest first. */
    heldIds(): string[] {
        return [...this.held.keys()];
    }

    /** Sends a held conversation now; false when none is held for the call. */
    release(interactionId: string): boolean {
        const held = this.held.get(interactionId);
        if (!held) return false;
        held.release();
        return true;
    }

    /** The ACD's call-ended listener (and the recording library's record-replaced one). */
    handle(record: CallRecordData): void {
        if (this.closed || this.current.mode === 'off') return;
        if (
            record.tenantId !== this.options.tenantId ||
            !hasConversation(record) ||
            !this.options.wants(record)
        )
            return;
        if (this.sent.has(record.interactionId)) return;
        this.sent.add(record.interactionId);
        const mode = this.current;
        if (mode.mode === 'late') this.hold(record, mode);
        else this.track(this.run(record, mode));
    }

    /** Resolves when every conversation started so far was sent or given up (held ones excepted). */
    async idle(): Promise<void> {
        while (this.pending.size > 0) await Promise.all([...this.pending]);
    }

    /** Stops sending (held conversations are dropped). */
    close(): void {
        this.closed = true;
        for (const [timer, release] of this.waits) {
            this.options.clock.clearTimeout(timer);
            release();
        }
        this.waits.clear();
        for (const held of this.held.values()) held.cancel();
        this.held.clear();
    }

    private async run(record: CallRecordData, mode: ConversationMode): Promise<void> {
        await this.options.afterPushes?.();
        if (mode.mode !== 'late') await this.wait(this.options.firstDelayMs ?? 2000);
        if (this.closed) return;
        const variant = mode.mode === 'empty' || mode.mode === 'oversized' ? mode.mode : 'normal';
        await this.send(record.interactionId, conversationOf(record, variant), 0);
    }

    /** `late`: kept aside (not counted by idle()) until released or its delay passes. */
    private hold(record: CallRecordData, mode: ConversationMode): void {
        let timer: unknown;
        const cancel = (): void => {
            if (timer !== undefined) this.options.clock.clearTimeout(timer);
        };
        const release = (): void => {
            cancel();
            if (!this.held.delete(record.interactionId) || this.closed) return;
            this.track(this.run(record, mode));
        };
        this.held.set(record.interactionId, { record, release, cancel });
        if (typeof mode.delayMs === 'number') timer = this.options.clock.setTimeout(release, mode.delayMs);
    }

    private async send(interactionId: string, body: object, attempt: number): Promise<void> {
        const path = `${APEX_CONVERSATIONS_PATH}/${encodeURIComponent(interactionId)}`;
        const fields = { tenantId: this.options.tenantId, interactionId };
        let retry = false;
        try {
            this.connection ??= this.open();
            const connection = await this.connection;
            if (!connection.apex.put) {
                this.options.events.add('conversation-failed', fields, { path, attempt, error: 'no PUT' });
                return; // a connection without PUT (a test's fake) never gets one
            }
            const response = await connection.apex.put<{ status?: string }>(path, body, {
                headers: { 'X-Tenant-Id': this.options.tenantId }
            });
            retry = response?.status === 'pending';
            this.options.events.add('conversation-sent', fields, { path, attempt, response });
        } catch (error) {
            if (attempt === 0) this.connection = undefined;
            retry = true;
            this.options.events.add('conversation-failed', fields, {
                path,
                attempt,
                error: error instanceof Error ? error.message : String(error)
            });
        }
        const delay = (this.options.retryDelaysMs ?? [30_000, 60_000, 120_000, 300_000, 600_000])[attempt];
        if (!retry || delay === undefined || this.closed) return;
        await this.wait(delay);
        if (!this.closed) await this.send(interactionId, body, attempt + 1);
    }

    private wait(ms: number): Promise<void> {
        return new Promise<void>((resolve) => {
            const timer = this.options.clock.setTimeout(() => {
                this.waits.delete(timer);
                resolve();
            }, ms);
            this.waits.set(timer, resolve);
        });
    }

    private open(): Promise<ApexConnection> {
        const { connection } = this.options;
        return typeof connection === 'function' ? connection() : Promise.resolve(connection);
    }

    private track(promise: Promise<void>): void {
        this.pending.add(promise);
        void promise.finally(() => this.pending.delete(promise));
    }
}
