/**
 * The pure parts of the session: the interaction state machine, the call log built from an interaction, the
 * wrap-up form merge, the caller card, and the session storage.
 */
import { CallDirection, CallOutcome } from '../../src/call/call-machine';
import type { RecordMatch, ScreenPopDecision } from '../../src/screen-pop/screen-pop';
import {
    callerCardFor,
    cardWithDecision,
    matchFromRef,
    relatedFromDecision,
    relatedFromRecord
} from '../../src/session/caller-card';
import {
    InteractionState,
    MAX_DISPOSITION,
    buildCallLogEntry,
    callLogOutcomeOf,
    canTransitionInteraction,
    emptyWrapUpForm,
    interactionView,
    mergeWrapUpForm,
    parseInteractionRecord,
    transitionInteraction,
    type InteractionRecord
} from '../../src/session/interaction';
import { PhoneSessionStore } from '../../src/session/session-store';
import { PHONE_ERROR_MESSAGE_KEYS, type PhoneErrorCode } from '../../src/session/types';
import { MemoryStorage } from '../fakes/memory-storage';

const PL = { defaultCountry: 'PL' };
const T0 = Date.UTC(2024, 4, 1, 9, 0, 0);

function record(overrides: Partial<InteractionRecord> = {}): InteractionRecord {
    return {
        v: 1,
        interactionId: 'int-1',
        callId: 'call-1',
        state: InteractionState.InCall,
        direction: 'inbound',
        caller: callerCardFor('+48600700800', 'Jan', PL),
        agentNumber: 'agent42',
        startedAt: T0,
        draft: emptyWrapUpForm(),
        related: null,
        candidates: [],
        screenPop: null,
        ownDeadline: false,
        wrapSeconds: 30,
        updatedAt: T0,
        ...overrides
    };
}

describe('interaction state machine', () => {
    const S = InteractionState;
    it.each([
        [S.InCall, S.WrapUp, true],
        [S.InCall, S.Logged, true],
        [S.WrapUp, S.Logged, true],
        [S.WrapUp, S.InCall, false],
        [S.Logged, S.Logged, false],
        [S.Logged, S.WrapUp, false],
        [S.Logged, S.InCall, false],
        [S.InCall, S.InCall, false]
    ])('%s -> %s allowed: %s', (from, to, allowed) => {
        expect(canTransitionInteraction(from, to)).toBe(allowed);
        if (allowed) expect(transitionInteraction(from, to)).toBe(to);
        else expect(() => transitionInteraction(from, to)).toThrow(/Illegal interaction transition/);
    });
});

describe('call log entry', () => {
    it.each([
        [CallOutcome.Answered, CallDirection.Inbound, 'answered'],
        [CallOutcome.Missed, CallDirection.Inbound, 'missed'],
        [CallOutcome.Rejected, CallDirection.Inbound, 'rejected'],
        [CallOutcome.Busy, CallDirection.Outbound, 'busy'],
        [CallOutcome.NoAnswer, CallDirection.Outbound, 'no-answer'],
        [CallOutcome.Cancelled, CallDirection.Inbound, 'missed'],
        [CallOutcome.Cancelled, CallDirection.Outbound, 'no-answer'],
        [CallOutcome.Failed, CallDirection.Outbound, 'failed']
    ])('call outcome %s (%s) is logged as %s', (outcome, direction, expected) => {
        expect(callLogOutcomeOf({ outcome, direction, answeredAt: undefined })).toBe(expected);
    });

    it('an answered inbound call: numbers, times, talk time, draft, relations, call data', () => {
        const entry = buildCallLogEntry(
            record({
                answeredAt: T0 + 5_000,
                endedAt: T0 + 65_000,
                outcome: 'answered',
                durationSeconds: 60,
                draft: {
                    notes: 'n',
                    disposition: 'd',
                    relatedRecordId: '003000000000001AAA',
                    callbackRequested: true
                },
                related: {
                    id: '003000000000001AAA',
                    objectType: 'Contact',
                    name: 'Jan',
                    whoId: '003000000000001AAA',
                    source: 'chosen'
                },
                campaignId: 'camp-1',
                queue: 'Sales',
                ivrCode: '12',
                recordingUrl: 'https://rec.example/1'
            }),
            { agentUserId: '005x', unknownCallerName: 'Unknown caller', now: T0 + 99_000 }
        );
        expect(entry).toEqual({
            interactionId: 'int-1',
            direction: 'inbound',
            fromNumber: '+48600700800',
            toNumber: 'agent42',
            startedAt: '2024-05-01T09:00:00.000Z',
            answeredAt: '2024-05-01T09:00:05.000Z',
            endedAt: '2024-05-01T09:01:05.000Z',
            durationSeconds: 60,
            outcome: 'answered',
            displayName: 'Jan',
            notes: 'n',
            disposition: 'd',
            whoId: '003000000000001AAA',
            campaign: 'camp-1',
            queue: 'Sales',
            ivrCode: '12',
            recordingUrl: 'https://rec.example/1',
            callbackRequested: true,
            agentUserId: '005x'
        });
    });

    it('an interrupted call without an end: ended now, talk time up to now, missed when never answered', () => {
        const interrupted = buildCallLogEntry(record({ answeredAt: T0 + 1_000 }), {
            agentUserId: '005x',
            unknownCallerName: 'Unknown caller',
            now: T0 + 11_000
        });
        expect(interrupted).toMatchObject({
            outcome: 'answered',
            durationSeconds: 10,
            endedAt: '2024-05-01T09:00:11.000Z'
        });
        const neverAnswered = buildCallLogEntry(record(), {
            agentUserId: '005x',
            unknownCallerName: 'x',
            now: T0
        });
        expect(neverAnswered).toMatchObject({ outcome: 'missed', durationSeconds: 0 });
        expect(neverAnswered.answeredAt).toBeUndefined();
    });

    it.each([
        ['anonymous', '', 'Onbekende beller', 'anonymous'],
        ['', '', 'Onbekende beller', ''],
        ['12345', '', 'Onbekende beller', '12345'],
        ['+48600700800', '', undefined, '+48600700800']
    ])('caller %p: display name %p -> Task name %p', (number, displayName, expected, fromNumber) => {
        const entry = buildCallLogEntry(record({ caller: callerCardFor(number, displayName, PL) }), {
            agentUserId: '005x',
            unknownCallerName: 'Onbekende beller',
            now: T0
        });
        expect(entry.displayName).toBe(expected);
        expect(entry.fromNumber).toBe(fromNumber);
    });

    it('carries the call quality summary (B4) when samples were taken, and none otherwise', () => {
        const quality = {
            samples: 4,
            mosSum: 15.1,
            mosLowest: 2.93,
            packetLossMaxPct: 7.5,
            jitterMaxMs: 31.25
        };
        const options = { agentUserId: '005x', unknownCallerName: 'x', now: T0 };
        expect(buildCallLogEntry(record({ quality }), options)).toMatchObject({
            mosLowest: 2.93,
            mosAverage: 3.78,
            packetLossMaxPct: 7.5,
            jitterMaxMs: 31.3
        });
        const none = buildCallLogEntry(record(), options);
        expect(none.mosLowest).toBeUndefined();
        expect(none.mosAverage).toBeUndefined();
        const stored = parseInteractionRecord(JSON.parse(JSON.stringify(record({ quality }))));
        expect(stored?.quality).toEqual(quality);
        expect(parseInteractionRecord({ ...record(), quality: { samples: 'x' } })?.quality).toBeUndefined();
    });

    it('an outbound call is from the agent to the callee, with the extension split off', () => {
        const entry = buildCallLogEntry(
            record({ direction: 'outbound', caller: callerCardFor('+48 22 123 45 67 ext. 89', '', PL) }),
            { agentUserId: '005x', unknownCallerName: 'x', now: T0 }
        );
        expect(entry).toMatchObject({ fromNumber: 'agent42', toNumber: '+48221234567', extension: '89' });
    });
});

describe('wrap-up form', () => {
    it('merges known fields only, caps text at the Task limits, ignores wrong types', () => {
        const form = mergeWrapUpForm(emptyWrapUpForm(), {
            notes: 'a',
            disposition: 'x'.repeat(300),
            callbackRequested: true,
            relatedRecordId: ''
        });
        expect(form).toEqual({
            notes: 'a',
            disposition: 'x'.repeat(MAX_DISPOSITION),
            relatedRecordId: null,
            callbackRequested: true
        });
        const unchanged = mergeWrapUpForm(form, { notes: 42, callbackRequested: 'yes' } as never);
        expect(unchanged).toEqual(form);
        expect(mergeWrapUpForm(form, undefined)).toEqual(form);
        // a surrogate pair is never split at the cap
        expect(mergeWrapUpForm(form, { disposition: 'x'.repeat(254) + '😀' }).disposition).toBe(
            'x'.repeat(254)
        );
    });

    it('the view shows the agent wrap deadline, or its own one after a reload', () => {
        const wrap = record({ state: InteractionState.WrapUp });
        expect(interactionView(wrap, T0 + 30_000).deadline).toBe(T0 + 30_000);
        const restored = record({ state: InteractionState.WrapUp, ownDeadline: true, deadline: T0 + 5_000 });
        expect(interactionView(restored, T0 + 30_000).deadline).toBe(T0 + 5_000);
        expect(interactionView(record(), T0 + 30_000).deadline).toBeUndefined();
    });

    it('stored records are checked before use', () => {
        expect(parseInteractionRecord(JSON.parse(JSON.stringify(record())))).toMatchObject({
            interactionId: 'int-1'
        });
        expect(parseInteractionRecord({ ...record(), state: 'Bogus' })).toBeUndefined();
        expect(parseInteractionRecord({ ...record(), v: 2 })).toBeUndefined();
        expect(parseInteractionRecord('x')).toBeUndefined();
        expect(parseInteractionRecord({ ...record(), draft: { notes: 7 } })?.draft).toEqual(
            emptyWrapUpForm()
        );
    });
});

describe('caller card and related record', () => {
    const contact: RecordMatch = {
        id: '003000000000001AAA',
        objectType: 'Contact',
        name: 'Jan',
        subtitle: 'Acme',
        accountId: '001000000000001AAA'
    };

    it('number only: formatted, not unknown; withheld: unknown', () => {
        expect(callerCardFor('0048600700800', '', PL)).toMatchObject({
            e164: '+48600700800',
            numberDisplay: '600 700 800',
            unknown: false,
            name: ''
        });
        expect(callerCardFor('anonymous', '', PL)).toMatchObject({ numberKind: 'anonymous', unknown: true });
        expect(callerCardFor('anonymous', 'Anna', PL)).toMatchObject({ unknown: false, name: 'Anna' });
    });

    it('an open decision puts the record name and company on the card; choose keeps the display name', () => {
        const card = callerCardFor('+48600700800', 'J.K.', PL);
        const open: ScreenPopDecision = {
            action: 'open',
            record: contact,
            source: 'single-match',
            alternatives: [],
            collapsed: [],
            autoCreateCase: null
        };
        expect(cardWithDecision(card, open)).toMatchObject({
            name: 'Jan',
            company: 'Acme',
            record: contact,
            matchCount: 1
        });
        const choose: ScreenPopDecision = {
            action: 'choose',
            candidates: [contact, contact],
            collapsed: [],
            autoCreateCase: null
        };
        expect(cardWithDecision(card, choose)).toMatchObject({
            name: 'J.K.',
            company: '',
            record: null,
            matchCount: 2
        });
        expect(relatedFromDecision(open, {})).toEqual({
            id: contact.id,
            objectType: 'Contact',
            name: 'Jan',
            whoId: contact.id,
            source: 'screen-pop'
        });
        expect(relatedFromDecision(choose, {})).toBeNull();
        expect(relatedFromRecord(contact, 'chosen', { relateContactAccount: true })).toMatchObject({
            whoId: contact.id,
            whatId: '001000000000001AAA'
        });
    });

    it.each([
        ['001000000000001AAA', 'Account'],
        ['003000000000001AAA', 'Contact'],
        ['00Q000000000001AAA', 'Lead'],
        ['500000000000001AAA', 'Case'],
        ['a0X000000000001AAA', 'Custom']
    ])('a record reference %s without a type is a %s', (id, type) => {
        expect(matchFromRef({ id }).objectType).toBe(type);
    });
});

describe('session storage', () => {
    it('round-trips interactions and recent calls; a throwing storage only turns it unavailable', () => {
        const storage = new MemoryStorage();
        const store = new PhoneSessionStore(storage, 'org:user', () => T0);
        expect(store.saveInteractions([record()])).toBe(true);
        expect(store.loadInteractions()).toHaveLength(1);
        expect(store.saveInteractions([])).toBe(true);
        expect(store.loadInteractions()).toEqual([]);
        storage.disabled = true;
        expect(store.saveInteractions([record()])).toBe(false);
        expect(store.available).toBe(false);
        expect(store.loadRecent()).toEqual([]);
        storage.disabled = false;
        expect(store.saveRecent([])).toBe(true);
        expect(store.available).toBe(true);
        expect(new PhoneSessionStore(null, 'org:user', () => T0).available).toBe(false);
    });
});

it('every error code has a Custom Label name', () => {
    const keys = Object.entries(PHONE_ERROR_MESSAGE_KEYS) as Array<[PhoneErrorCode, string]>;
    expect(keys.length).toBeGreaterThan(10);
    for (const [, label] of keys) expect(label).toMatch(/^PhoneError_[A-Za-z]+$/);
    expect(new Set(keys.map(([, label]) => label)).size).toBe(keys.length);
});
