/**
 * A log the contact centre did not issue to the agent (issue 11 finding 3): refused by Salesforce with
 * `interaction-not-issued`, it is never sent again by the outbox itself; it stays in needs-attention with
 * everything typed, the agent is told, and only the agent's retry sends it again.
 */
import {
    CallLogOutbox,
    OutboxEntryState,
    type CallLogEntry,
    type CallLogSendResult
} from '../../src/outbox/call-log-outbox';
import { normaliseResult } from '../../src/outbox/outbox-entry';
import { INTERACTION_NOT_ISSUED, isFinalRefusal, refusalCode } from '../../src/outbox/final-refusals';
import { MemoryStorage } from '../fakes/memory-storage';

const SCOPE = '00D000000000001:005000000000001';
const NOT_ISSUED: CallLogSendResult = {
    status: 'rejected',
    retryable: false,
    message: 'The contact centre has no record of giving you this call.',
    code: INTERACTION_NOT_ISSUED
};

function entry(extra: Partial<CallLogEntry> = {}): CallLogEntry {
    return {
        interactionId: 'int-squat',
        direction: 'inbound',
        fromNumber: '+48600700800',
        toNumber: '+48221234567',
        startedAt: '2024-05-01T09:00:00.000Z',
        endedAt: '2024-05-01T09:03:05.000Z',
        durationSeconds: 180,
        outcome: 'answered',
        ...extra
    };
}

/** Answers from a script, then saves. */
function sender(...replies: Array<CallLogSendResult | 'hang'>) {
    const calls: CallLogEntry[] = [];
    const hung: Array<(result: CallLogSendResult) => void> = [];
    return {
        calls,
        release: (result: CallLogSendResult) => hung.shift()!(result),
        send(sent: CallLogEntry): Promise<CallLogSendResult> {
            calls.push(sent);
            const reply = replies.shift() ?? { status: 'saved', taskId: '00T1' };
            if (reply === 'hang') return new Promise((resolve) => hung.push(resolve));
            return Promise.resolve(reply);
        }
    };
}

const tick = (ms = 0) => jest.advanceTimersByTimeAsync(ms);

beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2024, 4, 1, 9, 0, 0) }));
afterEach(() => jest.useRealTimers());

describe('a log refused as not issued to the agent', () => {
    it('goes to needs-attention once, the agent is told, and later notes are kept without sending', async () => {
        const storage = new MemoryStorage();
        const server = sender(NOT_ISSUED);
        const outbox = new CallLogOutbox({ storage, sender: server, scope: SCOPE });
        const told: string[] = [];
        outbox.on('needsAttention', ({ message }) => told.push(message));
        outbox.start();
        outbox.enqueue(entry());
        await tick(60 * 60_000);
        expect(server.calls).toHaveLength(1);
        expect(told).toEqual([NOT_ISSUED.message]);
        expect(outbox.get('int-squat')).toMatchObject({
            state: OutboxEntryState.NeedsAttention,
            lastErrorCode: INTERACTION_NOT_ISSUED
        });

        outbox.enqueue(entry({ notes: 'Typed after the refusal' }));
        await tick(60 * 60_000);
        expect(server.calls).toHaveLength(1); // not sent again by itself
        expect(outbox.get('int-squat')?.state).toBe(OutboxEntryState.NeedsAttention);
        expect(outbox.get('int-squat')?.entry.notes).toBe('Typed after the refusal'); // nothing typed is lost

        // after a reload the refusal is still known
        const reloaded = new CallLogOutbox({ storage, sender: server, scope: SCOPE });
        reloaded.start();
        reloaded.enqueue(entry({ notes: 'Typed after the reload' }));
        await tick(60 * 60_000);
        expect(server.calls).toHaveLength(1);
        expect(reloaded.get('int-squat')?.entry.notes).toBe('Typed after the reload');
    });

    it("the agent's retry sends it again", async () => {
        const server = sender(NOT_ISSUED);
        const outbox = new CallLogOutbox({ storage: new MemoryStorage(), sender: server, scope: SCOPE });
        outbox.start();
        outbox.enqueue(entry());
        await tick();
        expect(outbox.retry('int-squat')).toBe(true);
        await tick();
        expect(server.calls).toHaveLength(2);
        expect(outbox.get('int-squat')).toMatchObject({ state: OutboxEntryState.Confirmed, taskId: '00T1' });
        expect(outbox.get('int-squat')?.lastErrorCode).toBeUndefined();
    });

    it('notes merged while the refused send was in flight are kept, not sent', async () => {
        const server = sender('hang');
        const outbox = new CallLogOutbox({ storage: new MemoryStorage(), sender: server, scope: SCOPE });
        outbox.start();
        outbox.enqueue(entry());
        await tick();
        outbox.enqueue(entry({ notes: 'While sending' }));
        server.release(NOT_ISSUED);
        await tick(60 * 60_000);
        expect(server.calls).toHaveLength(1);
        expect(outbox.get('int-squat')).toMatchObject({ state: OutboxEntryState.NeedsAttention });
        expect(outbox.get('int-squat')?.entry.notes).toBe('While sending');
    });

    it('another non-retryable refusal is still sent again when the agent changes the log', async () => {
        const server = sender({ status: 'rejected', retryable: false, message: 'Subject is required' });
        const outbox = new CallLogOutbox({ storage: new MemoryStorage(), sender: server, scope: SCOPE });
        outbox.start();
        outbox.enqueue(entry());
        await tick();
        outbox.enqueue(entry({ notes: 'fixed' }));
        await tick();
        expect(server.calls).toHaveLength(2);
    });
});

describe('refusal codes', () => {
    it('keeps a short code from the server and knows which are final', () => {
        expect(
            normaliseResult({
                status: 'rejected',
                retryable: false,
                message: 'm',
                code: 'interaction-not-issued'
            })
        ).toEqual(notIssuedWith('m'));
        expect(
            normaliseResult({ status: 'rejected', retryable: false, message: 'm', code: 'x'.repeat(65) })
        ).toEqual({
            status: 'rejected',
            retryable: false,
            message: 'm'
        });
        expect(refusalCode(42)).toBeUndefined();
        expect(isFinalRefusal(INTERACTION_NOT_ISSUED)).toBe(true);
        expect(isFinalRefusal('validation-failed')).toBe(false);
        expect(isFinalRefusal(undefined)).toBe(false);
    });
});

function notIssuedWith(message: string): CallLogSendResult {
    return { status: 'rejected', retryable: false, message, code: INTERACTION_NOT_ISSUED };
}
