import {
    MAX_RECORDING_EVENTS,
    applyRecordingInput,
    initialRecordingState,
    isSensitivePage,
    parseRecordingState,
    parseSensitivePages,
    recordingAuditText,
    recordingPausedMs,
    sensitivePageInput,
    type RecordingInput,
    type RecordingState
} from '../../src/recording/recording-control';

const T0 = Date.UTC(2026, 11, 7, 10, 0, 0);

function run(inputs: Array<[number, RecordingInput]>, from: RecordingState = initialRecordingState()) {
    const requests: unknown[] = [];
    let state = from;
    for (const [offset, input] of inputs) {
        const step = applyRecordingInput(state, input, T0 + offset);
        if (step.request) requests.push(step.request);
        state = step.next;
    }
    return { state, requests };
}

describe('recording control (F21)', () => {
    it('the agent pauses and resumes: one request each, the paused time and two audit events', () => {
        const { state, requests } = run([
            [1_000, { type: 'pause', reason: 'agent' }],
            [6_000, { type: 'resume', reason: 'agent' }]
        ]);
        expect(requests).toEqual([
            { action: 'pause', reason: 'agent' },
            { action: 'resume', reason: 'agent' }
        ]);
        expect(state).toMatchObject({ mode: 'recording', pausedBy: [], pausedMs: 5_000 });
        expect(recordingAuditText(state)).toBe(
            '2026-12-07T10:00:01.000Z pause agent\n2026-12-07T10:00:06.000Z resume agent'
        );
    });

    it('stays paused until the last reason is gone: the page and the agent each hold the pause', () => {
        const { state, requests } = run([
            [0, { type: 'pause', reason: 'sensitive-page' }],
            [1_000, { type: 'pause', reason: 'agent' }],
            [2_000, { type: 'resume', reason: 'sensitive-page' }]
        ]);
        expect(requests).toEqual([{ action: 'pause', reason: 'sensitive-page' }]);
        expect(state).toMatchObject({ mode: 'paused', pausedBy: ['agent'] });
        expect(recordingPausedMs(state, T0 + 10_000)).toBe(10_000);
        const after = applyRecordingInput(state, { type: 'resume', reason: 'agent' }, T0 + 12_000);
        expect(after.request).toEqual({ action: 'resume', reason: 'agent' });
        expect(after.next.pausedMs).toBe(12_000);
    });

    it('repeats and resumes without a pause change nothing', () => {
        const paused = run([[0, { type: 'pause', reason: 'agent' }]]).state;
        expect(applyRecordingInput(paused, { type: 'pause', reason: 'agent' }, T0 + 1).changed).toBe(false);
        const fresh = initialRecordingState();
        const resume = applyRecordingInput(fresh, { type: 'resume', reason: 'agent' }, T0);
        expect(resume).toEqual({ next: fresh, changed: false });
    });

    it('consent: announced then accepted keeps recording; declined stops it for the rest of the call', () => {
        const accepted = run([
            [0, { type: 'consent', consent: 'announced' }],
            [2_000, { type: 'consent', consent: 'accepted' }]
        ]);
        expect(accepted.requests).toEqual([]);
        expect(accepted.state).toMatchObject({ mode: 'recording', consent: 'accepted' });

        const declined = run(
            [
                [3_000, { type: 'pause', reason: 'agent' }],
                [5_000, { type: 'consent', consent: 'declined' }],
                [6_000, { type: 'resume', reason: 'agent' }],
                [7_000, { type: 'pause', reason: 'sensitive-page' }],
                [8_000, { type: 'consent', consent: 'accepted' }]
            ],
            accepted.state
        );
        expect(declined.requests).toEqual([
            { action: 'pause', reason: 'agent' },
            { action: 'stop', reason: 'consent-declined' }
        ]);
        expect(declined.state).toMatchObject({
            mode: 'stopped',
            consent: 'declined',
            pausedBy: [],
            pausedMs: 2_000
        });
        expect(declined.state.events.map((e) => `${e.action} ${e.detail}`)).toEqual([
            'consent announced',
            'consent accepted',
            'pause agent',
            'consent declined',
            'stop consent-declined'
        ]);
    });

    it('keeps at most the newest audit events', () => {
        let state = initialRecordingState();
        for (let i = 0; i < MAX_RECORDING_EVENTS + 10; i++) {
            const input: RecordingInput =
                i % 2 === 0 ? { type: 'pause', reason: 'agent' } : { type: 'resume', reason: 'agent' };
            state = applyRecordingInput(state, input, T0 + i).next;
        }
        expect(state.events).toHaveLength(MAX_RECORDING_EVENTS);
        expect(state.events[state.events.length - 1]!.at).toBe(T0 + MAX_RECORDING_EVENTS + 9);
    });

    it('a stored state is checked before use and survives JSON (a page reload)', () => {
        const { state } = run([[0, { type: 'pause', reason: 'agent' }]]);
        expect(parseRecordingState(JSON.parse(JSON.stringify(state)))).toEqual(state);
        expect(parseRecordingState({ ...state, mode: 'muted' })).toBeUndefined();
        expect(
            parseRecordingState({ ...state, pausedBy: ['agent', 'evil'], events: [{ at: 'x' }] })
        ).toMatchObject({
            pausedBy: ['agent'],
            events: []
        });
        expect(parseRecordingState(null)).toBeUndefined();
    });
});

describe('sensitive pages (F21)', () => {
    const rules = parseSensitivePages(' Payment__c, Case.Card_Payment ;Opportunity\nbad entry, Case. ,Case');
    it('parses the admin list, dropping what is not an object or object.recordType', () => {
        expect(rules).toEqual(['Payment__c', 'Case.Card_Payment', 'Opportunity', 'Case']);
        expect(parseSensitivePages(undefined)).toEqual([]);
    });

    it.each([
        [{ objectApiName: 'Payment__c' }, true],
        [{ objectApiName: 'payment__c', recordTypeDeveloperName: 'Any' }, true],
        [{ objectApiName: 'Contact' }, false],
        [undefined, false],
        [{}, false]
    ])('%j sensitive: %s', (page, expected) => {
        expect(isSensitivePage(page, rules)).toBe(expected);
    });

    it('an Object.RecordType entry matches only that record type', () => {
        const onlyCards = ['Case.Card_Payment'];
        expect(
            isSensitivePage({ objectApiName: 'Case', recordTypeDeveloperName: 'Card_Payment' }, onlyCards)
        ).toBe(true);
        expect(
            isSensitivePage({ objectApiName: 'Case', recordTypeDeveloperName: 'Support' }, onlyCards)
        ).toBe(false);
        expect(isSensitivePage({ objectApiName: 'Case' }, onlyCards)).toBe(false);
    });
});

describe('sensitivePageInput (F21)', () => {
    const rules = ['Payment__c'];
    const recording = { mode: 'recording' as const, pausedBy: [] };
    const paused = { mode: 'paused' as const, pausedBy: ['sensitive-page' as const] };
    it('pauses on a sensitive page, resumes on leaving it, and otherwise asks nothing', () => {
        expect(sensitivePageInput(recording, { objectApiName: 'Payment__c' }, rules)).toEqual({
            type: 'pause',
            reason: 'sensitive-page'
        });
        expect(sensitivePageInput(paused, { objectApiName: 'Payment__c' }, rules)).toBeUndefined();
        expect(sensitivePageInput(paused, { objectApiName: 'Contact' }, rules)).toEqual({
            type: 'resume',
            reason: 'sensitive-page'
        });
        expect(sensitivePageInput(recording, { objectApiName: 'Contact' }, rules)).toBeUndefined();
        expect(
            sensitivePageInput({ mode: 'stopped', pausedBy: [] }, { objectApiName: 'Payment__c' }, rules)
        ).toBeUndefined();
        expect(sensitivePageInput(undefined, { objectApiName: 'Payment__c' }, rules)).toBeUndefined();
    });
});
