import {
    callbackDueMs,
    callbackMadeBy,
    isCallbackDue,
    sortCallbacks,
    type OpenCallback
} from '../../src/callbacks/callbacks';
import type { RecentCall } from '../../src/session/types';

function call(overrides: Partial<RecentCall>): RecentCall {
    return {
        interactionId: 'int-1',
        direction: 'outbound',
        number: '+48600700800',
        numberDisplay: '+48 600 700 800',
        name: '',
        outcome: 'answered',
        missed: false,
        startedAt: 10_000,
        durationSeconds: 30,
        callbackRequested: false,
        dialable: true,
        ...overrides
    };
}

describe('callbacks', () => {
    it('orders callbacks by due time, undated ones last, and drops those without a number', () => {
        const callbacks: OpenCallback[] = [
            { id: 'undated', phoneNumber: '+48600700801' },
            { id: 'later', phoneNumber: '+48600700802', dueAt: '2030-01-02T10:00:00Z' },
            { id: 'no-number', phoneNumber: null, dueAt: '2020-01-01T00:00:00Z' },
            { id: 'sooner', phoneNumber: '+48600700803', dueAt: Date.parse('2030-01-01T10:00:00Z') },
            { id: 'unreadable', phoneNumber: '+48600700804', dueAt: 'tomorrow' }
        ];
        expect(sortCallbacks(callbacks).map((callback) => callback.id)).toEqual([
            'sooner',
            'later',
            'undated',
            'unreadable'
        ]);
        expect(sortCallbacks(null)).toEqual([]);
    });

    it('reads the due time and says whether a callback is due', () => {
        const due = { id: 'a', phoneNumber: '1', dueAt: '2030-01-01T10:00:00Z' };
        expect(callbackDueMs(due)).toBe(Date.parse('2030-01-01T10:00:00Z'));
        expect(isCallbackDue(due, Date.parse('2030-01-01T09:59:59Z'))).toBe(false);
        expect(isCallbackDue(due, Date.parse('2030-01-01T10:00:00Z'))).toBe(true);
        expect(isCallbackDue({ id: 'b' }, 0)).toBe(true);
        expect(callbackDueMs({ id: 'c', dueAt: Number.NaN })).toBeNull();
    });

    it('finds the answered outbound call to the same number started after the click', () => {
        const attempt = { callbackId: 'cb-1', number: '0048 600-700-800', startedAt: 10_000 };
        const made = call({ interactionId: 'out-2', startedAt: 12_000 });
        expect(callbackMadeBy(attempt, [made])).toBe(made);
        expect(callbackMadeBy(attempt, [call({ startedAt: 5_000 })])).toBeUndefined(); // an older call
        expect(callbackMadeBy(attempt, [call({ outcome: 'no-answer', startedAt: 12_000 })])).toBeUndefined();
        expect(callbackMadeBy(attempt, [call({ direction: 'inbound', startedAt: 12_000 })])).toBeUndefined();
        expect(
            callbackMadeBy(attempt, [call({ number: '+48600700801', startedAt: 12_000 })])
        ).toBeUndefined();
        expect(callbackMadeBy(null, [made])).toBeUndefined();
        expect(callbackMadeBy({ ...attempt, number: '' }, [made])).toBeUndefined();
    });

    it('a callback stored in national format is made by the E.164 call, read with the org country', () => {
        const attempt = { callbackId: 'cb-2', number: '06-12345678', startedAt: 10_000 };
        const made = call({ number: '+31612345678', startedAt: 12_000 });
        expect(callbackMadeBy(attempt, [made], { defaultCountry: 'NL' })).toBe(made);
        expect(callbackMadeBy(attempt, [made])).toBeUndefined(); // without the org's numbering: no guess
        expect(
            callbackMadeBy(attempt, [call({ number: '+31612345679', startedAt: 12_000 })], {
                defaultCountry: 'NL'
            })
        ).toBeUndefined();
    });
});
