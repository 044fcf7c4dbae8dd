import {
    ConversationWatch,
    ConversationWatchState,
    MAX_NOTES_LENGTH,
    notesWithSummary,
    offerOf,
    suggestedDisposition,
    type ConversationOffer,
    type ConversationView
} from '../../src/conversation/conversation-watch';
import { ManualClock } from '../fakes/manual-clock';

const flush = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
};

function watchWith(answers: Array<ConversationView | Error | null>, delaysMs = [1000, 2000, 4000]) {
    const clock = new ManualClock();
    const asked: string[] = [];
    const offers: ConversationOffer[] = [];
    const watch = new ConversationWatch({
        interactionId: 'int-1',
        clock,
        delaysMs,
        fetch: async (id) => {
            asked.push(id);
            const answer = answers.shift() ?? null;
            if (answer instanceof Error) throw answer;
            return answer;
        },
        onArrived: (offer) => offers.push(offer)
    });
    return { clock, asked, offers, watch };
}

describe('ConversationWatch (F22)', () => {
    it('asks with growing waits until the summary arrives, then stops asking', async () => {
        const { clock, asked, offers, watch } = watchWith([
            { arrived: false },
            { arrived: true, summary: '  Refund agreed. ', suggestedResult: 'Resolved' }
        ]);
        watch.start();
        expect(watch.state).toBe(ConversationWatchState.Waiting);
        clock.advance(999);
        expect(asked).toHaveLength(0);
        clock.advance(1);
        await flush();
        expect(asked).toEqual(['int-1']);
        clock.advance(1999);
        await flush();
        expect(asked).toHaveLength(1);
        clock.advance(1);
        await flush();
        expect(offers).toEqual([
            { interactionId: 'int-1', summary: 'Refund agreed.', suggestedResult: 'Resolved' }
        ]);
        expect(watch.state).toBe(ConversationWatchState.Arrived);
        clock.advance(60_000);
        await flush();
        expect(asked).toHaveLength(2);
        expect(clock.pendingTimers).toBe(0);
    });

    it('stops when the wrap-up ends, even with an answer on its way', async () => {
        const { clock, asked, offers, watch } = watchWith([{ arrived: true, summary: 'Late' }]);
        watch.start();
        clock.advance(1000);
        watch.stop(); // the fetch is in flight
        await flush();
        expect(asked).toHaveLength(1);
        expect(offers).toEqual([]);
        expect(watch.state).toBe(ConversationWatchState.Stopped);

        const idle = watchWith([]);
        idle.watch.start();
        idle.watch.stop();
        expect(idle.clock.pendingTimers).toBe(0);
    });

    it('gives up after the last wait, or after three failures in a row', async () => {
        const nothing = watchWith([null, { arrived: false }, { arrived: true, summary: ' ' }]);
        nothing.watch.start();
        for (const ms of [1000, 2000, 4000]) {
            nothing.clock.advance(ms);
            await flush();
        }
        expect(nothing.asked).toHaveLength(3);
        expect(nothing.watch.state).toBe(ConversationWatchState.GaveUp);
        expect(nothing.offers).toEqual([]);

        const failing = watchWith([new Error('a'), new Error('b'), new Error('c')], [1, 1, 1, 1, 1]);
        failing.watch.start();
        for (let i = 0; i < 5; i++) {
            failing.clock.advance(1);
            await flush();
        }
        expect(failing.asked).toHaveLength(3);
        expect(failing.watch.state).toBe(ConversationWatchState.GaveUp);

        const recovering = watchWith(
            [new Error('a'), new Error('b'), { arrived: true, summary: 'S' }],
            [1, 1, 1]
        );
        recovering.watch.start();
        for (let i = 0; i < 3; i++) {
            recovering.clock.advance(1);
            await flush();
        }
        expect(recovering.offers).toHaveLength(1);
        recovering.watch.start(); // once only
        expect(recovering.watch.state).toBe(ConversationWatchState.Arrived);
    });
});

describe('offerOf', () => {
    it('needs an arrived summary or result', () => {
        expect(offerOf('i', null)).toBeNull();
        expect(offerOf('i', { arrived: false, summary: 'S' })).toBeNull();
        expect(offerOf('i', { arrived: true, summary: '', suggestedResult: null })).toBeNull();
        expect(offerOf('i', { arrived: true, suggestedResult: 'Resolved' })).toEqual({
            interactionId: 'i',
            summary: null,
            suggestedResult: 'Resolved'
        });
    });
});

describe('notesWithSummary', () => {
    it('appends after what was typed, once, never replacing it', () => {
        expect(notesWithSummary('', 'Summary.')).toBe('Summary.');
        expect(notesWithSummary('Typed.\n', 'Summary.')).toBe('Typed.\n\nSummary.');
        expect(notesWithSummary('Typed.\n\nSummary.', 'Summary.')).toBe('Typed.\n\nSummary.');
        expect(notesWithSummary('Typed.', '  ')).toBe('Typed.');
        expect(notesWithSummary('Typed.', null)).toBe('Typed.');
    });

    it('fits the notes field', () => {
        const typed = 'x'.repeat(MAX_NOTES_LENGTH - 10);
        const notes = notesWithSummary(typed, 'y'.repeat(100));
        expect(notes).toHaveLength(MAX_NOTES_LENGTH);
        expect(notes.startsWith(typed)).toBe(true);
        const full = 'x'.repeat(MAX_NOTES_LENGTH);
        expect(notesWithSummary(full, 'more')).toBe(full);
    });

    it('keeps hostile text as text', () => {
        expect(notesWithSummary('', '<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
    });
});

describe('suggestedDisposition', () => {
    const options = [
        { value: 'Resolved', label: 'Opgelost' },
        { value: 'Follow-up needed', label: 'Opvolging nodig' }
    ];
    it('matches a value or label, else keeps the suggestion', () => {
        expect(suggestedDisposition('resolved', options)).toBe('Resolved');
        expect(suggestedDisposition('opvolging  nodig', options)).toBe('Follow-up needed');
        expect(suggestedDisposition('Escalated', options)).toBe('Escalated');
        expect(suggestedDisposition(' ', options)).toBeNull();
        expect(suggestedDisposition(null, options)).toBeNull();
    });
});
