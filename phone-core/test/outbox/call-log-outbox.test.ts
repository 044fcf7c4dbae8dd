import {
    CallLogOutbox,
    OutboxEntryState,
    canTransitionOutboxEntry,
    retryDelayMs,
    transitionOutboxEntry,
    type CallLogEntry,
    type CallLogOutboxEvents,
    type CallLogOutboxOptions,
    type CallLogSendResult,
    type CallLogSender
} from '../../src/outbox/call-log-outbox';
import type { Clock } from '../../src/util/clock';
import { MemoryStorage } from '../fakes/memory-storage';

const T0 = Date.UTC(2024, 4, 1, 9, 0, 0);
const SCOPE = '00D000000000001:005000000000001';
const BASE = `ccphone.outbox.v1:${SCOPE}`;

function entry(id: string, extra: Partial<CallLogEntry> = {}): CallLogEntry {
    return {
        interactionId: id,
        direction: 'inbound',
        fromNumber: '+48600700800',
        toNumber: '+48221234567',
        startedAt: '2024-05-01T09:00:00.000Z',
        answeredAt: '2024-05-01T09:00:05.000Z',
        endedAt: '2024-05-01T09:03:05.000Z',
        durationSeconds: 180,
        outcome: 'answered',
        ...extra
    };
}

type Reply = CallLogSendResult | Error | 'hang';

/** A sender answering from a script (default: saved), recording calls and concurrency per id. */
class ScriptedSender implements CallLogSender {
    readonly calls: CallLogEntry[] = [];
    readonly script: Reply[] = [];
    private readonly inFlight = new Map<string, number>();
    maxInFlightPerId = 0;
    private readonly hung: Array<(result: CallLogSendResult) => void> = [];
    private taskCounter = 0;

    send(sent: CallLogEntry): Promise<CallLogSendResult> {
        this.calls.push(sent);
        const id = sent.interactionId;
        const count = (this.inFlight.get(id) ?? 0) + 1;
        this.inFlight.set(id, count);
        this.maxInFlightPerId = Math.max(this.maxInFlightPerId, count);
        const done = <T>(value: T): T => {
            this.inFlight.set(id, (this.inFlight.get(id) ?? 1) - 1);
            return value;
        };
        const reply = this.script.shift() ?? { status: 'saved', taskId: `00T${++this.taskCounter}` };
        if (reply === 'hang') {
            return new Promise((resolve) => this.hung.push((result) => resolve(done(result))));
        }
        if (reply instanceof Error) return Promise.reject(done(reply));
        return Promise.resolve(done(reply));
    }

    /** Answers the oldest hung send. */
    release(result: CallLogSendResult = { status: 'saved', taskId: '00Tlate' }): void {
        const resolve = this.hung.shift();
        if (!resolve) throw new Error('no hung send');
        resolve(result);
    }

    idsSent(): string[] {
        return this.calls.map((c) => c.interactionId);
    }
}

function recordEvents(outbox: CallLogOutbox): Array<[keyof CallLogOutboxEvents, unknown]> {
    const seen: Array<[keyof CallLogOutboxEvents, unknown]> = [];
    const names: Array<keyof CallLogOutboxEvents> = [
        'queued',
        'sent',
        'failed',
        'needsAttention',
        'drained',
        'dismissed',
        'quarantined',
        'storageError',
        'capacityExceeded'
    ];
    for (const name of names) outbox.on(name, (payload) => seen.push([name, payload]));
    return seen;
}

function names(events: Array<[keyof CallLogOutboxEvents, unknown]>): string[] {
    return events.map(([name]) => name);
}

function make(options: Partial<CallLogOutboxOptions> & { sender: CallLogSender }): CallLogOutbox {
    return new CallLogOutbox({
        storage: new MemoryStorage(),
        scope: SCOPE,
        random: () => 0.5,
        ...options
    });
}

function stored(storage: MemoryStorage, id: string): Record<string, unknown> | undefined {
    const raw = storage.peek(`${BASE}:e:${id}`);
    return raw === undefined ? undefined : (JSON.parse(raw) as Record<string, unknown>);
}

/** Lets pending promise callbacks and due timers run. */
async function tick(ms = 0): Promise<void> {
    await jest.advanceTimersByTimeAsync(ms);
}

beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
});

afterEach(() => {
    jest.useRealTimers();
});

describe('entry state machine', () => {
    const S = OutboxEntryState;
    const table: Array<[OutboxEntryState, OutboxEntryState, boolean]> = [
        [S.Pending, S.Sending, true],
        [S.Pending, S.Confirmed, true],
        [S.Pending, S.NeedsAttention, false],
        [S.Sending, S.Confirmed, true],
        [S.Sending, S.RetryWait, true],
        [S.Sending, S.NeedsAttention, true],
        [S.Sending, S.Pending, true],
        [S.RetryWait, S.Sending, true],
        [S.RetryWait, S.Pending, true],
        [S.RetryWait, S.NeedsAttention, false],
        [S.NeedsAttention, S.Pending, true],
        [S.NeedsAttention, S.Sending, false],
        [S.NeedsAttention, S.Confirmed, false],
        [S.Confirmed, S.Pending, true],
        [S.Confirmed, S.Sending, false],
        [S.Confirmed, S.NeedsAttention, false]
    ];
    it.each(table)('%s -> %s allowed: %s', (from, to, allowed) => {
        expect(canTransitionOutboxEntry(from, to)).toBe(allowed);
        if (allowed) expect(transitionOutboxEntry(from, to)).toBe(to);
        else expect(() => transitionOutboxEntry(from, to)).toThrow(/Illegal outbox entry transition/);
    });
});

describe('retryDelayMs', () => {
    const base = { baseDelayMs: 1000, maxDelayMs: 60_000, maxRetryAfterMs: 600_000 };
    const table: Array<[string, number, number, number | undefined, number]> = [
        ['first failure, no jitter', 1, 0, undefined, 500],
        ['first failure, full jitter', 1, 0.999999, undefined, 1000],
        ['second failure doubles', 2, 0, undefined, 1000],
        ['fifth failure', 5, 0.5, undefined, 12_000],
        ['capped', 20, 1, undefined, 60_000],
        ['huge failure count stays capped', 10_000, 0.5, undefined, 45_000],
        ['Retry-After longer than backoff wins', 1, 0.5, 30_000, 30_000],
        ['Retry-After shorter than backoff is a floor only', 5, 0.5, 100, 12_000],
        ['Retry-After capped', 1, 0.5, 86_400_000, 600_000],
        ['negative Retry-After ignored', 1, 0, -5, 500],
        ['random out of range is clamped', 1, 7, undefined, 1000]
    ];
    it.each(table)('%s', (_name, failures, random, retryAfterMs, expected) => {
        expect(retryDelayMs(failures, { ...base, random: () => random, retryAfterMs })).toBe(expected);
    });
});

describe('CallLogOutbox', () => {
    it('stores before sending, sends once, confirms, and emits queued/sent/drained', async () => {
        const storage = new MemoryStorage();
        const sender = new ScriptedSender();
        const outbox = make({ storage, sender });
        const events = recordEvents(outbox);

        const item = outbox.enqueue(entry('int-1'));
        expect(item.state).toBe(OutboxEntryState.Pending);
        expect(item.durable).toBe(true);
        expect(stored(storage, 'int-1')?.state).toBe('pending');
        expect(JSON.parse(storage.peek(`${BASE}:index`) as string)).toEqual(['int-1']);
        expect(sender.calls).toHaveLength(0);

        outbox.start();
        await tick();

        expect(sender.calls).toEqual([entry('int-1')]);
        expect(outbox.get('int-1')).toMatchObject({ state: 'confirmed', taskId: '00T1', attempts: 1 });
        expect(stored(storage, 'int-1')).toMatchObject({ state: 'confirmed', taskId: '00T1' });
        expect(names(events)).toEqual(['queued', 'sent', 'drained']);
        expect(events[2][1]).toEqual({ needsAttention: 0 });
    });

    it('retries a transient failure after the backoff, then succeeds', async () => {
        const sender = new ScriptedSender();
        sender.script.push({ status: 'rejected', retryable: true, message: '503 Service Unavailable' });
        const outbox = make({ sender, baseDelayMs: 2000 });
        const events = recordEvents(outbox);
        outbox.start();
        outbox.enqueue(entry('int-2'));
        await tick();

        expect(sender.calls).toHaveLength(1);
        const waiting = outbox.get('int-2');
        expect(waiting).toMatchObject({ state: 'retry-wait', lastError: '503 Service Unavailable' });
        // equal jitter with random 0.5 on a 2000 ms step: 1000 + 500
        expect(waiting?.nextAttemptAt).toBe(T0 + 1500);

        await tick(1499);
        expect(sender.calls).toHaveLength(1);
        await tick(1);
        expect(sender.calls).toHaveLength(2);
        expect(outbox.get('int-2')).toMatchObject({ state: 'confirmed', attempts: 2 });
        expect(names(events)).toEqual(['queued', 'failed', 'sent', 'drained']);
    });

    it('honours Retry-After and backs off exponentially while failures go on', async () => {
        const sender = new ScriptedSender();
        sender.script.push(
            { status: 'rejected', retryable: true, message: '429', retryAfterMs: 60_000 },
            new Error('Failed to fetch'),
            { status: 'rejected', retryable: true, message: '502' }
        );
        const outbox = make({ sender, baseDelayMs: 1000, random: () => 0 });
        outbox.start();
        outbox.enqueue(entry('int-3'));
        await tick();
        expect(outbox.get('int-3')?.nextAttemptAt).toBe(T0 + 60_000);

        await tick(60_000);
        expect(sender.calls).toHaveLength(2); // the rejection (thrown error) counts as retryable
        expect(outbox.get('int-3')).toMatchObject({ state: 'retry-wait', lastError: 'Failed to fetch' });
        expect(outbox.get('int-3')?.nextAttemptAt).toBe(T0 + 60_000 + 1000); // 2nd failure: 2000 / 2

        await tick(1000);
        expect(sender.calls).toHaveLength(3);
        expect(outbox.get('int-3')?.nextAttemptAt).toBe(T0 + 61_000 + 2000); // 3rd failure: 4000 / 2
        await tick(2000);
        expect(outbox.get('int-3')?.state).toBe('confirmed');
    });

    it('keeps a permanently rejected entry for the agent; retry after fixing sends it again', async () => {
        const storage = new MemoryStorage();
        const sender = new ScriptedSender();
        sender.script.push({
            status: 'rejected',
            retryable: false,
            message: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Disposition is required'
        });
        const outbox = make({ storage, sender });
        const events = recordEvents(outbox);
        outbox.start();
        outbox.enqueue(entry('int-4'));
        await tick();

        expect(outbox.get('int-4')).toMatchObject({
            state: 'needs-attention',
            lastError: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Disposition is required'
        });
        expect(names(events)).toEqual(['queued', 'needsAttention', 'drained']);
        expect(events[2][1]).toEqual({ needsAttention: 1 });

        await tick(24 * 3600_000);
        expect(sender.calls).toHaveLength(1); // never retried by itself
        expect(stored(storage, 'int-4')?.state).toBe('needs-attention'); // never dropped

        expect(outbox.retry('int-4', { disposition: 'Sale' })).toBe(true);
        await tick();
        expect(sender.calls).toHaveLength(2);
        expect(sender.calls[1].disposition).toBe('Sale');
        expect(outbox.get('int-4')?.state).toBe('confirmed');
        expect(outbox.retry('unknown')).toBe(false);
    });

    it('a merge with new data moves a needs-attention entry back to pending', async () => {
        const sender = new ScriptedSender();
        sender.script.push({ status: 'rejected', retryable: false, message: 'INSUFFICIENT_ACCESS' });
        const outbox = make({ sender });
        outbox.start();
        outbox.enqueue(entry('int-5'));
        await tick();
        outbox.enqueue(entry('int-5', { notes: 'fixed by the admin' }));
        await tick();
        expect(sender.calls.map((c) => c.notes)).toEqual([undefined, 'fixed by the admin']);
        expect(outbox.get('int-5')?.state).toBe('confirmed');
    });

    it('dismiss removes only needs-attention entries, on request', async () => {
        const storage = new MemoryStorage();
        const sender = new ScriptedSender();
        sender.script.push({ status: 'rejected', retryable: false, message: 'no access' });
        const outbox = make({ storage, sender });
        const events = recordEvents(outbox);
        outbox.start();
        outbox.enqueue(entry('bad'));
        outbox.enqueue(entry('good'));
        await tick();
        expect(outbox.dismiss('good')).toBe(false);
        expect(outbox.dismiss('bad')).toBe(true);
        expect(outbox.get('bad')).toBeUndefined();
        expect(stored(storage, 'bad')).toBeUndefined();
        expect(JSON.parse(storage.peek(`${BASE}:index`) as string)).toEqual(['good']);
        expect(names(events)).toContain('dismissed');
    });

    it('merges a duplicate enqueue instead of duplicating it; later values win, absent ones are kept', async () => {
        const storage = new MemoryStorage();
        const sender = new ScriptedSender();
        const outbox = make({ storage, sender });
        const events = recordEvents(outbox);

        outbox.enqueue(entry('int-6', { notes: 'first', whoId: '003A' }));
        const merged = outbox.enqueue(
            entry('int-6', { notes: 'second', disposition: 'Callback', whoId: undefined })
        );
        expect(merged.entry).toMatchObject({ notes: 'second', disposition: 'Callback', whoId: '003A' });
        expect(outbox.items()).toHaveLength(1);
        expect(JSON.parse(storage.peek(`${BASE}:index`) as string)).toEqual(['int-6']);
        expect(events.map(([, p]) => (p as { merged: boolean }).merged)).toEqual([false, true]);

        outbox.start();
        await tick();
        expect(sender.calls).toHaveLength(1);
        expect(sender.calls[0]).toMatchObject({ notes: 'second', disposition: 'Callback', whoId: '003A' });

        // The same data again changes nothing and sends nothing.
        const same = outbox.enqueue(entry('int-6', { notes: 'second', disposition: 'Callback' }));
        expect(same.state).toBe('confirmed');
        await tick();
        expect(sender.calls).toHaveLength(1);

        // Notes typed after the Task was saved: sent again under the same id (the server updates that Task).
        outbox.enqueue(entry('int-6', { notes: 'after wrap-up' }));
        await tick();
        expect(sender.idsSent()).toEqual(['int-6', 'int-6']);
        expect(sender.calls[1].notes).toBe('after wrap-up');
        expect(outbox.get('int-6')?.state).toBe('confirmed');
    });

    it('flush called twice sends once', async () => {
        const sender = new ScriptedSender();
        const outbox = make({ sender });
        outbox.enqueue(entry('int-7'));
        const first = outbox.flush();
        const second = outbox.flush();
        expect(second).toBe(first);
        await expect(first).resolves.toEqual({ attempted: 1 });
        expect(sender.calls).toHaveLength(1);
        await expect(outbox.flush()).resolves.toEqual({ attempted: 0 });
    });

    it('never has two sends of one id in flight: a merge during a send is sent after it', async () => {
        const sender = new ScriptedSender();
        sender.script.push('hang');
        const outbox = make({ sender });
        outbox.start();
        outbox.enqueue(entry('int-8', { notes: 'v1' }));
        await tick();
        expect(outbox.get('int-8')?.state).toBe('sending');

        outbox.enqueue(entry('int-8', { notes: 'v2' }));
        const extraFlush = outbox.flush();
        await tick();
        expect(sender.calls).toHaveLength(1);

        sender.release({ status: 'saved', taskId: '00Tone' });
        await extraFlush;
        await tick();
        expect(sender.calls.map((c) => c.notes)).toEqual(['v1', 'v2']);
        expect(sender.maxInFlightPerId).toBe(1);
        expect(outbox.get('int-8')).toMatchObject({ state: 'confirmed' });
    });

    it('sends entries one at a time, oldest first', async () => {
        const sender = new ScriptedSender();
        const outbox = make({ sender });
        outbox.enqueue(entry('a'));
        jest.setSystemTime(T0 + 10);
        outbox.enqueue(entry('c'));
        jest.setSystemTime(T0 + 20);
        outbox.enqueue(entry('b'));
        await outbox.flush();
        expect(sender.idsSent()).toEqual(['a', 'c', 'b']);
    });

    it('a send that times out backs off but is not re-sent until it settles; a late save confirms it', async () => {
        const sender = new ScriptedSender();
        sender.script.push('hang');
        const outbox = make({ sender, sendTimeoutMs: 10_000, baseDelayMs: 1000 });
        const events = recordEvents(outbox);
        outbox.start();
        outbox.enqueue(entry('int-9'));
        await tick();
        await tick(10_000);
        expect(outbox.get('int-9')?.state).toBe('retry-wait');
        expect(names(events)).toContain('failed');

        await tick(60_000); // backoff long over, but the first send still hangs
        expect(sender.calls).toHaveLength(1);

        sender.release({ status: 'saved', taskId: '00Tlate' });
        await tick();
        expect(outbox.get('int-9')).toMatchObject({ state: 'confirmed', taskId: '00Tlate' });
        await tick(60_000);
        expect(sender.calls).toHaveLength(1);
    });

    it('a timed-out send that finally fails is retried after it settled', async () => {
        const sender = new ScriptedSender();
        sender.script.push('hang');
        const outbox = make({ sender, sendTimeoutMs: 5000, baseDelayMs: 1000 });
        outbox.start();
        outbox.enqueue(entry('int-10'));
        await tick(5000);
        sender.release({ status: 'rejected', retryable: true, message: '504' });
        await tick(1000);
        expect(sender.calls).toHaveLength(2);
        expect(outbox.get('int-10')?.state).toBe('confirmed');
    });

    it('treats a malformed sender answer as a retryable failure', async () => {
        const sender = new ScriptedSender();
        sender.script.push({ status: 'saved' } as unknown as CallLogSendResult);
        const outbox = make({ sender });
        outbox.start();
        outbox.enqueue(entry('int-11'));
        await tick();
        expect(outbox.get('int-11')).toMatchObject({
            state: 'retry-wait',
            lastError: 'Unexpected answer from the server'
        });
    });

    it('a sender that throws synchronously is a retryable failure, not a crash', async () => {
        const outbox = make({
            sender: {
                send: () => {
                    throw new Error('boom');
                }
            }
        });
        outbox.enqueue(entry('int-12'));
        await expect(outbox.flush()).resolves.toEqual({ attempted: 1 });
        expect(outbox.get('int-12')).toMatchObject({ state: 'retry-wait', lastError: 'boom' });
    });

    describe('reload', () => {
        it('a new instance over the same storage resumes pending and retry-wait entries', async () => {
            const storage = new MemoryStorage();
            const failing = new ScriptedSender();
            failing.script.push({ status: 'rejected', retryable: true, message: '500' });
            const leaderTab = make({ storage, sender: failing, baseDelayMs: 4000 });
            leaderTab.enqueue(entry('p-2'));
            await leaderTab.flush();
            expect(leaderTab.get('p-2')?.state).toBe('retry-wait');
            const followerTab = make({ storage, sender: new ScriptedSender(), isLeader: () => false });
            followerTab.enqueue(entry('p-1'));

            // page reload
            const sender = new ScriptedSender();
            const reloaded = make({ storage, sender, baseDelayMs: 4000 });
            expect(reloaded.items().map((i) => [i.interactionId, i.state])).toEqual([
                ['p-1', 'pending'],
                ['p-2', 'retry-wait']
            ]);
            reloaded.start();
            await tick();
            expect(sender.idsSent()).toEqual(['p-1']); // p-2 still waits for its backoff (2000..4000 ms)
            await tick(4000);
            expect(sender.idsSent()).toEqual(['p-1', 'p-2']);
            expect(reloaded.counts()).toMatchObject({ confirmed: 2, pending: 0, 'retry-wait': 0 });
        });

        it('mid-flight: the new page waits for the old send lease, then sends once', async () => {
            const storage = new MemoryStorage();
            const oldSender = new ScriptedSender();
            oldSender.script.push('hang');
            // The old page is unloaded right after sending: its timers never fire, its send never answers.
            const deadPageClock: Clock = {
                now: () => Date.now(),
                setTimeout: () => 0,
                clearTimeout: () => undefined
            };
            const oldPage = make({ storage, sender: oldSender, sendTimeoutMs: 30_000, clock: deadPageClock });
            oldPage.enqueue(entry('flight'));
            void oldPage.flush();
            await tick();
            expect(stored(storage, 'flight')).toMatchObject({ state: 'sending', leaseUntil: T0 + 30_000 });

            const sender = new ScriptedSender();
            const newPage = make({ storage, sender, sendTimeoutMs: 30_000 });
            newPage.start();
            await tick(29_999);
            expect(sender.calls).toHaveLength(0);
            await tick(1);
            expect(sender.idsSent()).toEqual(['flight']);
            expect(newPage.get('flight')).toMatchObject({ state: 'confirmed', attempts: 2 });
            expect(stored(storage, 'flight')?.state).toBe('confirmed');
        });

        it('mid-flight: a send the old page finished after all is not repeated', async () => {
            const storage = new MemoryStorage();
            const oldSender = new ScriptedSender();
            oldSender.script.push('hang');
            const oldTab = make({ storage, sender: oldSender, sendTimeoutMs: 30_000 });
            oldTab.start();
            oldTab.enqueue(entry('flight'));
            await tick();

            const sender = new ScriptedSender();
            const newTab = make({ storage, sender, sendTimeoutMs: 30_000 });
            newTab.start();
            expect(newTab.get('flight')?.state).toBe('sending');
            oldTab.stop();
            oldSender.release({ status: 'saved', taskId: '00Told' });
            await tick(30_000);
            expect(sender.calls).toHaveLength(0);
            expect(newTab.get('flight')).toMatchObject({ state: 'confirmed', taskId: '00Told' });
        });

        it('reload() picks up what another tab stored and keeps its own in-flight send', async () => {
            const storage = new MemoryStorage();
            const sender = new ScriptedSender();
            sender.script.push('hang');
            const mine = make({ storage, sender });
            mine.enqueue(entry('mine'));
            const flushing = mine.flush();
            await tick();

            const otherTab = make({ storage, sender: new ScriptedSender(), isLeader: () => false });
            otherTab.enqueue(entry('theirs'));

            mine.reload();
            expect(mine.items().map((i) => [i.interactionId, i.state])).toEqual([
                ['mine', 'sending'],
                ['theirs', 'pending']
            ]);
            sender.release();
            await flushing;
            expect(sender.idsSent()).toEqual(['mine', 'theirs']);
            expect(sender.maxInFlightPerId).toBe(1);
        });
    });

    describe('tabs', () => {
        it('only the leader flushes', async () => {
            let leader = false;
            const sender = new ScriptedSender();
            const outbox = make({ sender, isLeader: () => leader });
            outbox.start();
            outbox.enqueue(entry('int-13'));
            await tick(60_000);
            expect(sender.calls).toHaveLength(0);
            await expect(outbox.flush()).resolves.toEqual({ attempted: 0, skipped: 'not-leader' });

            leader = true;
            outbox.start(); // becameLeader
            await tick();
            expect(sender.calls).toHaveLength(1);
        });

        it('stop() stops automatic flushing', async () => {
            const sender = new ScriptedSender();
            const outbox = make({ sender });
            outbox.start();
            outbox.stop();
            outbox.enqueue(entry('int-14'));
            await tick(60_000);
            expect(sender.calls).toHaveLength(0);
        });

        it('scopes keep users apart', async () => {
            const storage = new MemoryStorage();
            make({ storage, sender: new ScriptedSender(), scope: 'org:userA' }).enqueue(entry('a-call'));
            const userB = make({ storage, sender: new ScriptedSender(), scope: 'org:userB' });
            expect(userB.items()).toEqual([]);
        });
    });

    describe('corrupted storage', () => {
        it('quarantines unreadable entries and loads the rest', async () => {
            const storage = new MemoryStorage();
            const good = { ...stubRecord('good'), state: 'pending' };
            storage.poke(
                `${BASE}:index`,
                JSON.stringify(['good', 'broken', 'wrong-id', 'bad-state', 'missing'])
            );
            storage.poke(`${BASE}:e:good`, JSON.stringify(good));
            storage.poke(`${BASE}:e:broken`, '{"v":1,"entry":{"interact');
            storage.poke(`${BASE}:e:wrong-id`, JSON.stringify(stubRecord('someone-else')));
            storage.poke(
                `${BASE}:e:bad-state`,
                JSON.stringify({ ...stubRecord('bad-state'), state: 'exploded' })
            );

            const sender = new ScriptedSender();
            const outbox = make({ storage, sender });
            const events = recordEvents(outbox);
            expect(outbox.items().map((i) => i.interactionId)).toEqual(['good']);

            expect(events.filter(([n]) => n === 'quarantined').map(([, p]) => p)).toEqual([
                { key: `${BASE}:e:broken`, reason: 'not valid JSON', raw: '{"v":1,"entry":{"interact' },
                {
                    key: `${BASE}:e:wrong-id`,
                    reason: 'entry missing or interaction id does not match its key',
                    raw: JSON.stringify(stubRecord('someone-else'))
                },
                {
                    key: `${BASE}:e:bad-state`,
                    reason: 'unknown state',
                    raw: JSON.stringify({ ...stubRecord('bad-state'), state: 'exploded' })
                }
            ]);
            expect(storage.peek(`${BASE}:e:broken`)).toBeUndefined();
            // reported (a listener heard it, with the text): the quarantine copy is gone (finding 5)
            expect(storage.peek(`${BASE}:q:e:broken`)).toBeUndefined();
            expect(JSON.parse(storage.peek(`${BASE}:index`) as string)).toEqual(['good']);

            await outbox.flush();
            expect(sender.idsSent()).toEqual(['good']);
        });

        it('a corrupt index is quarantined and rebuilt from the stored entry keys', () => {
            const storage = new MemoryStorage();
            storage.poke(`${BASE}:index`, 'not json at all');
            storage.poke(`${BASE}:e:one`, JSON.stringify(stubRecord('one')));
            storage.poke(`${BASE}:e:two`, JSON.stringify(stubRecord('two')));
            const outbox = make({ storage, sender: new ScriptedSender() });
            const events = recordEvents(outbox);
            expect(
                outbox
                    .items()
                    .map((i) => i.interactionId)
                    .sort()
            ).toEqual(['one', 'two']);
            expect(names(events)).toEqual(['quarantined']);
            expect(JSON.parse(storage.peek(`${BASE}:index`) as string).sort()).toEqual(['one', 'two']);
            expect(storage.peek(`${BASE}:q:index`)).toBeUndefined(); // reported: no copy left
        });

        it('an index of the wrong shape is treated as corrupt', () => {
            const storage = new MemoryStorage();
            storage.poke(`${BASE}:index`, JSON.stringify({ ids: ['x'] }));
            const outbox = make({ storage, sender: new ScriptedSender() });
            const events = recordEvents(outbox);
            expect(outbox.items()).toEqual([]);
            expect(names(events)).toEqual(['quarantined']);
        });

        it('finds entries the index lost (written before a failed index update)', () => {
            const storage = new MemoryStorage();
            storage.poke(`${BASE}:index`, JSON.stringify([]));
            storage.poke(`${BASE}:e:orphan`, JSON.stringify(stubRecord('orphan')));
            const outbox = make({ storage, sender: new ScriptedSender() });
            expect(outbox.items().map((i) => i.interactionId)).toEqual(['orphan']);
            expect(JSON.parse(storage.peek(`${BASE}:index`) as string)).toEqual(['orphan']);
        });
    });

    describe('storage limits', () => {
        it('quota full: the entry is kept in memory, reported, and still sent', async () => {
            const storage = new MemoryStorage({ quota: 50 });
            const sender = new ScriptedSender();
            const outbox = make({ storage, sender });
            const events = recordEvents(outbox);
            const item = outbox.enqueue(entry('int-15'));
            expect(item.durable).toBe(false);
            expect(names(events)).toEqual(['storageError', 'queued']);
            expect(events[0][1]).toMatchObject({ operation: 'write', key: `${BASE}:e:int-15` });

            await outbox.flush();
            expect(sender.idsSent()).toEqual(['int-15']);
            expect(outbox.get('int-15')?.state).toBe('confirmed');
        });

        it('quota full: confirmed entries are evicted, oldest first, to make room', async () => {
            const storage = new MemoryStorage();
            const sender = new ScriptedSender();
            const outbox = make({ storage, sender });
            outbox.enqueue(entry('old-1'));
            jest.setSystemTime(T0 + 1);
            outbox.enqueue(entry('old-2'));
            await outbox.flush();
            storage.quota = storage.usedBytes() + 200; // room for an index update, not for a new entry

            jest.setSystemTime(T0 + 2);
            const item = outbox.enqueue(entry('new'));
            expect(item.durable).toBe(true);
            expect(outbox.get('old-1')).toBeUndefined();
            expect(outbox.get('old-2')?.state).toBe('confirmed');
            expect(stored(storage, 'new')?.state).toBe('pending');
            expect(JSON.parse(storage.peek(`${BASE}:index`) as string)).toEqual(['old-2', 'new']);
        });

        it('a non-durable entry is written as soon as storage has room again', async () => {
            const storage = new MemoryStorage({ quota: 10 });
            const sender = new ScriptedSender();
            sender.script.push({ status: 'rejected', retryable: true, message: 'offline' });
            const outbox = make({ storage, sender });
            expect(outbox.enqueue(entry('int-16')).durable).toBe(false);
            storage.quota = Infinity;
            await outbox.flush();
            expect(outbox.get('int-16')?.durable).toBe(true);
            expect(stored(storage, 'int-16')?.state).toBe('retry-wait');
        });

        it('storage disabled (SecurityError): works from memory', async () => {
            const storage = new MemoryStorage();
            storage.disabled = true;
            const sender = new ScriptedSender();
            const outbox = make({ storage, sender });
            const events = recordEvents(outbox);
            expect(outbox.storageAvailable).toBe(false);
            expect(outbox.enqueue(entry('int-17')).durable).toBe(false);
            await outbox.flush();
            expect(outbox.get('int-17')?.state).toBe('confirmed');
            expect(names(events)[0]).toBe('storageError');
        });

        it('no storage at all: memory only', async () => {
            const sender = new ScriptedSender();
            const outbox = make({ storage: null, sender });
            expect(outbox.enqueue(entry('int-18')).durable).toBe(false);
            await outbox.flush();
            expect(outbox.get('int-18')?.state).toBe('confirmed');
        });

        it('bounded: confirmed entries are evicted oldest first; unconfirmed never, but reported', async () => {
            const storage = new MemoryStorage();
            const sender = new ScriptedSender();
            const outbox = make({ storage, sender, maxEntries: 3 });
            const events = recordEvents(outbox);
            for (const [i, id] of ['c1', 'c2', 'c3'].entries()) {
                jest.setSystemTime(T0 + i);
                outbox.enqueue(entry(id));
            }
            await outbox.flush();
            jest.setSystemTime(T0 + 10);
            outbox.enqueue(entry('n1'));
            expect(outbox.items().map((i) => i.interactionId)).toEqual(['c2', 'c3', 'n1']);
            expect(stored(storage, 'c1')).toBeUndefined();

            const offline = make({
                storage: new MemoryStorage(),
                sender: new ScriptedSender(),
                maxEntries: 2
            });
            const offlineEvents = recordEvents(offline);
            offline.enqueue(entry('u1'));
            offline.enqueue(entry('u2'));
            offline.enqueue(entry('u3'));
            expect(offline.items()).toHaveLength(3);
            expect(offlineEvents.find(([n]) => n === 'capacityExceeded')?.[1]).toEqual({
                unconfirmed: 3,
                maxEntries: 2
            });
            expect(names(events)).not.toContain('capacityExceeded');
        });
    });

    it('rejects an entry without an interaction id', () => {
        const outbox = make({ sender: new ScriptedSender() });
        expect(() => outbox.enqueue(entry(''))).toThrow(TypeError);
        expect(() => outbox.enqueue({} as CallLogEntry)).toThrow(TypeError);
        expect(() => new CallLogOutbox({ storage: null, sender: new ScriptedSender(), scope: '' })).toThrow(
            TypeError
        );
    });

    it('returned items are copies', () => {
        const outbox = make({ sender: new ScriptedSender() });
        const original = entry('int-19', { notes: 'keep' });
        outbox.enqueue(original);
        original.notes = 'changed by the caller';
        const item = outbox.get('int-19');
        (item?.entry as CallLogEntry).notes = 'changed by a listener';
        expect(outbox.get('int-19')?.entry.notes).toBe('keep');
    });
});

function stubRecord(id: string): Record<string, unknown> {
    return {
        v: 1,
        entry: entry(id),
        state: 'pending',
        attempts: 0,
        failures: 0,
        nextAttemptAt: T0,
        revision: 1,
        enqueuedAt: T0,
        updatedAt: T0
    };
}

describe('call data does not outstay its use (issue 11, finding 5)', () => {
    beforeEach(() => jest.useFakeTimers({ now: T0 }));
    afterEach(() => jest.useRealTimers());

    it('a confirmed entry expires 24 h after its last change, also while the phone sits idle', async () => {
        const storage = new MemoryStorage();
        const sender = new ScriptedSender();
        const outbox = make({ storage, sender });
        outbox.start();
        outbox.enqueue(entry('int-old', { notes: 'the caller said...' }));
        await jest.advanceTimersByTimeAsync(0);
        expect(outbox.get('int-old')?.state).toBe(OutboxEntryState.Confirmed);

        await jest.advanceTimersByTimeAsync(24 * 60 * 60_000 - 1);
        expect(outbox.get('int-old')).toBeDefined(); // still within the day: callback flag, logged event
        await jest.advanceTimersByTimeAsync(1);
        expect(outbox.get('int-old')).toBeUndefined();
        expect(storage.peek(`${BASE}:e:int-old`)).toBeUndefined();
        expect(JSON.parse(storage.peek(`${BASE}:index`) as string)).toEqual([]);
        outbox.dispose();
    });

    it('an unconfirmed entry never expires, however old', async () => {
        const storage = new MemoryStorage();
        const sender = new ScriptedSender();
        sender.script.push({
            status: 'rejected',
            retryable: false,
            message: 'FIELD_CUSTOM_VALIDATION_EXCEPTION'
        });
        const outbox = make({ storage, sender });
        outbox.start();
        outbox.enqueue(entry('int-stuck'));
        await jest.advanceTimersByTimeAsync(0);
        await jest.advanceTimersByTimeAsync(3 * 24 * 60 * 60_000);
        expect(outbox.get('int-stuck')?.state).toBe(OutboxEntryState.NeedsAttention);
        outbox.dispose();
    });

    it('a confirmed entry stored by an earlier page expires when a page loads after its time', () => {
        const storage = new MemoryStorage();
        const old = {
            ...stubRecord('int-yesterday'),
            state: 'confirmed',
            taskId: '00T1',
            updatedAt: T0 - 86_400_000
        };
        storage.poke(`${BASE}:index`, JSON.stringify(['int-yesterday', 'int-open']));
        storage.poke(`${BASE}:e:int-yesterday`, JSON.stringify(old));
        storage.poke(`${BASE}:e:int-open`, JSON.stringify(stubRecord('int-open')));
        const outbox = make({ storage, sender: new ScriptedSender() });
        expect(outbox.items().map((i) => i.interactionId)).toEqual(['int-open']);
        expect(storage.peek(`${BASE}:e:int-yesterday`)).toBeUndefined();
    });

    it('a quarantine copy nobody heard about stays, and goes once the next load reported it', () => {
        const storage = new MemoryStorage();
        storage.poke(`${BASE}:e:broken`, '{"v":1,"entry":{"interact');
        const silent = make({ storage, sender: new ScriptedSender() });
        expect(silent.items()).toEqual([]); // no listener attached: nobody was told
        expect(storage.peek(`${BASE}:q:e:broken`)).toBeDefined();

        const next = make({ storage, sender: new ScriptedSender() });
        const events = recordEvents(next);
        next.items();
        expect(events).toEqual([
            [
                'quarantined',
                { key: `${BASE}:e:broken`, reason: 'not valid JSON', raw: '{"v":1,"entry":{"interact' }
            ]
        ]);
        expect(storage.peek(`${BASE}:q:e:broken`)).toBeUndefined();
    });

    it("purge deletes every key of this user and no other user's", async () => {
        const storage = new MemoryStorage();
        const other = make({ storage, sender: new ScriptedSender(), scope: 'org:someone-else' });
        other.enqueue(entry('int-theirs'));
        const sender = new ScriptedSender();
        sender.script.push({ status: 'rejected', retryable: false, message: 'validation' });
        const outbox = make({ storage, sender });
        outbox.enqueue(entry('int-a'));
        outbox.enqueue(entry('int-b'));
        await outbox.flush();
        storage.poke(`${BASE}:q:e:left-over`, '{}');
        expect(outbox.unconfirmed()).toBe(1); // int-a needs attention; int-b is confirmed
        expect(outbox.purge()).toBeGreaterThanOrEqual(4);
        expect(outbox.items()).toEqual([]);
        for (let i = 0; i < (storage.length ?? 0); i++) expect(storage.key?.(i)).not.toContain(BASE);
        expect(other.get('int-theirs')).toBeDefined();
    });
});
