/**
 * PhoneSession, one tab, inbound calls end to end: SIP on the fake server, the host's lookup and call log,
 * the agent status published, the view state the UI renders.
 */
import type { RecordMatch } from '../../src/screen-pop/screen-pop';
import { PL_SETTINGS, SimWorld, ccHeaders, readyTab } from './session-world';

beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2024, 4, 1, 9, 0, 0) }));
afterEach(() => jest.useRealTimers());

const CONTACT: RecordMatch = {
    id: '003000000000001AAA',
    objectType: 'Contact',
    name: 'Jan Kowalski',
    subtitle: 'Acme sp. z o.o.',
    accountId: '001000000000001AAA'
};
const LEAD: RecordMatch = {
    id: '00Q000000000001AAA',
    objectType: 'Lead',
    name: 'Anna Nowak',
    subtitle: 'Beta'
};
const CASE: RecordMatch = {
    id: '500000000000001AAA',
    objectType: 'Case',
    name: 'Broken router',
    caseNumber: '00001026',
    contactId: CONTACT.id
};

function sipCallOf(world: SimWorld): string {
    const calls = Array.from(world.server.inboundCalls.values());
    return calls[calls.length - 1].callId;
}

describe('inbound call: ring, screen pop, answer, wrap, log', () => {
    it('one match: card with name and company, one lookup, open pop, Busy, campaign wrap, one Task, Ready', async () => {
        const world = new SimWorld();
        world.host.matches = () => [CONTACT];
        const tab = await readyTab(world);

        await world.ring({
            displayName: 'J. Kowalski',
            headers: ccHeaders('int-1', ['X-CC-Ivr-Code: 12 34'])
        });
        const ringing = tab.state();
        expect(ringing.agent.status).toBe('Ringing');
        expect(ringing.incoming).toMatchObject({
            interactionId: 'int-1',
            direction: 'inbound',
            state: 'Ringing',
            lookup: 'done',
            queue: 'Sales',
            caller: {
                e164: '+48600700800',
                numberDisplay: '600 700 800',
                displayName: 'J. Kowalski',
                name: 'Jan Kowalski',
                company: 'Acme sp. z o.o.',
                unknown: false
            },
            screenPop: { action: 'open', source: 'single-match', record: { id: CONTACT.id } },
            related: { id: CONTACT.id, whoId: CONTACT.id, source: 'screen-pop' }
        });
        expect(world.host.lookups).toEqual([
            {
                searchKeys: expect.arrayContaining(['+48600700800', '600700800']),
                e164: '+48600700800',
                number: '+48600700800',
                ivrCaseCode: '1234',
                direction: 'inbound',
                interactionId: 'int-1'
            }
        ]);
        expect(tab.screenPops).toHaveLength(1);
        expect(tab.screenPops[0]).toMatchObject({ interactionId: 'int-1', decision: { action: 'open' } });
        expect(tab.notifications).toEqual([
            {
                kind: 'incoming-call',
                tag: 'ccphone-int-1',
                interactionId: 'int-1',
                name: 'Jan Kowalski',
                company: 'Acme sp. z o.o.',
                numberDisplay: '600 700 800',
                queue: 'Sales'
            }
        ]);

        expect(await tab.session.answer()).toMatchObject({ ok: true, interactionId: 'int-1' });
        await world.advance(10);
        expect(tab.state().agent.status).toBe('Busy');
        expect(tab.state().calls[0]).toMatchObject({ state: 'Connected', answeredAt: expect.any(Number) });
        expect(tab.state().incoming).toBeNull();

        await tab.session.updateWrapUp({ notes: 'Router reset', disposition: 'Solved' });
        await world.advance(61_000); // a minute of talk
        world.server.sendBye(sipCallOf(world));
        await world.advance(10);

        const wrapping = tab.state();
        expect(wrapping.agent.status).toBe('Wrap');
        expect(wrapping.agent.wrap).toMatchObject({ seconds: 30 }); // campaign camp-1 from getSipSession
        expect(wrapping.calls).toEqual([]);
        expect(wrapping.wrapUp).toMatchObject({
            interactionId: 'int-1',
            state: 'WrapUp',
            outcome: 'answered',
            durationSeconds: 61,
            deadline: wrapping.agent.wrap?.deadline,
            draft: { notes: 'Router reset', disposition: 'Solved', relatedRecordId: CONTACT.id }
        });
        expect(world.host.sent).toEqual([]); // nothing logged before the wrap-up

        expect(await tab.session.submitWrapUp({ notes: 'Router reset, works again' })).toMatchObject({
            ok: true
        });
        await world.advance(10);
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({
            interactionId: 'int-1',
            direction: 'inbound',
            fromNumber: '+48600700800',
            toNumber: 'agent',
            outcome: 'answered',
            durationSeconds: 61,
            disposition: 'Solved',
            notes: 'Router reset, works again',
            whoId: CONTACT.id,
            displayName: 'Jan Kowalski',
            campaign: 'camp-1',
            queue: 'Sales',
            ivrCode: '1234',
            agentUserId: expect.any(String)
        });
        expect(world.host.sent[0].whatId).toBeUndefined();
        const done = tab.state();
        expect(done.agent.status).toBe('Ready');
        expect(done.wrapUp).toBeNull();
        expect(done.outbox).toMatchObject({ unsent: 0, needsAttention: 0 });
        expect(done.recentCalls[0]).toMatchObject({
            interactionId: 'int-1',
            outcome: 'answered',
            missed: false,
            name: 'Jan Kowalski',
            recordId: CONTACT.id,
            dialable: true
        });
        expect(world.host.statuses()).toEqual(['NotReady', 'Ready', 'Ringing', 'Busy', 'Wrap', 'Ready']);
        expect(tab.callEvents.map((e) => e.kind)).toEqual(['ringing', 'answered', 'ended', 'logged']);
        // `logged`: the Task exists, and the event names it
        expect(tab.callEvents[3]).toEqual({
            kind: 'logged',
            interactionId: 'int-1',
            callId: tab.callEvents[0].callId,
            direction: 'inbound',
            number: '+48600700800',
            name: 'Jan Kowalski',
            recordId: CONTACT.id,
            outcome: 'answered',
            durationSeconds: 61,
            taskId: '00Tint-1'
        });
        await world.shutdown();
    });

    it('several matches: chooser; the agent chooses one and it becomes the Task Who', async () => {
        const world = new SimWorld();
        world.host.matches = () => [LEAD, CONTACT];
        const tab = await readyTab(world);
        await world.ring({ headers: ccHeaders('int-2', ['X-CC-Wrap-Seconds: 0']) });
        const pop = tab.state().incoming?.screenPop;
        expect(pop?.action).toBe('choose');
        expect(pop?.action === 'choose' && pop.candidates.map((c) => c.id)).toEqual([CONTACT.id, LEAD.id]);
        expect(tab.state().incoming?.related).toBeNull();
        expect(tab.state().incoming?.caller).toMatchObject({ name: '', matchCount: 2, record: null });

        expect(await tab.session.chooseRecord('001000000000999AAA')).toMatchObject({
            ok: false,
            error: 'not-found'
        });
        expect(await tab.session.chooseRecord(LEAD.id)).toMatchObject({ ok: true, interactionId: 'int-2' });
        await world.advance();
        expect(tab.state().incoming).toMatchObject({
            related: { id: LEAD.id, whoId: LEAD.id, source: 'chosen' },
            caller: { name: 'Anna Nowak', company: 'Beta' }
        });
        await tab.session.answer();
        await world.advance(10);
        await tab.session.hangup();
        await world.advance(10);
        // campaign header says 0 s wrap: logged at once, straight back to Ready
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({
            interactionId: 'int-2',
            whoId: LEAD.id,
            outcome: 'answered'
        });
        expect(world.host.sent[0].whatId).toBeUndefined();
        expect(tab.state().agent.status).toBe('Ready');
        await world.shutdown();
    });

    it('no match: create/attach options; relating the record on screen sets Who/What', async () => {
        const world = new SimWorld();
        const tab = await readyTab(world);
        await world.ring({ fromUser: '0048501234567', headers: ccHeaders('int-3') });
        const pop = tab.state().incoming?.screenPop;
        expect(pop).toMatchObject({ action: 'create' });
        expect(
            pop?.action === 'create' && pop.options.map((o) => (o.kind === 'create' ? o.objectType : o.kind))
        ).toEqual(['Contact', 'Lead', 'Case', 'attach-number']);
        expect(tab.state().incoming?.caller).toMatchObject({
            e164: '+48501234567',
            name: '',
            unknown: false
        });
        await tab.session.answer();
        await world.advance(10);
        expect(
            await tab.session.relateToRecord({
                id: '001000000000002AAA',
                objectType: 'PersonAccount',
                name: 'Ewa Zielińska',
                contactId: '003000000000002AAA'
            })
        ).toMatchObject({ ok: true });
        expect(await tab.session.relateToRecord({ id: 'not an id' })).toMatchObject({
            ok: false,
            error: 'invalid-argument'
        });
        await tab.session.hangup();
        await world.advance(10);
        await tab.session.endWrapEarly();
        await world.advance(10);
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({
            interactionId: 'int-3',
            whoId: '003000000000002AAA',
            whatId: '001000000000002AAA',
            displayName: 'Ewa Zielińska'
        });
        expect(tab.state().agent.status).toBe('Ready');
        await world.shutdown();
    });

    it('IVR case code: the Case opens, the call is related to it and its contact', async () => {
        const world = new SimWorld();
        world.host.matches = (request) => (request.ivrCaseCode === '1026' ? [CASE, CONTACT] : [CONTACT]);
        const tab = await readyTab(world);
        await world.ring({ headers: ccHeaders('int-ivr', ['X-CC-Ivr-Code: 1026']) });
        expect(tab.state().incoming).toMatchObject({
            screenPop: { action: 'open', source: 'ivr-case', record: { id: CASE.id } },
            related: { id: CASE.id, whatId: CASE.id, whoId: CONTACT.id },
            caller: { name: 'Jan Kowalski' }
        });
        await world.shutdown();
    });

    it.each([
        ['anonymous', 'anonymous'],
        ['Restricted', 'Restricted']
    ])(
        'withheld caller (%s): no lookup, "Unknown caller" in the Task, missed call flagged',
        async (fromUser) => {
            const world = new SimWorld();
            const tab = await readyTab(world);
            await world.ring({ fromUser, headers: ccHeaders('int-anon') });
            expect(world.host.lookups).toEqual([]);
            expect(tab.state().incoming).toMatchObject({
                lookup: 'skipped',
                screenPop: { action: 'none', reason: 'anonymous' },
                caller: { unknown: true, name: '', numberDisplay: '' }
            });
            world.server.sendCancel(Array.from(world.server.inboundCalls.values())[0]);
            await world.advance(10);
            expect(world.host.sent).toHaveLength(1);
            expect(world.host.sent[0]).toMatchObject({
                interactionId: 'int-anon',
                outcome: 'missed',
                displayName: 'Unknown caller',
                durationSeconds: 0
            });
            expect(world.host.sent[0].answeredAt).toBeUndefined();
            expect(tab.state().recentCalls[0]).toMatchObject({
                number: '',
                name: '',
                missed: true,
                dialable: false
            });
            // the caller gave up: back to Ready (not the RONA rule)
            expect(tab.state().agent.status).toBe('Ready');
            await world.shutdown();
        }
    );

    it('hostile display name stays literal text in the state and the Task', async () => {
        const world = new SimWorld();
        const tab = await readyTab(world);
        await world.ring({ displayName: '<img src=x onerror=alert(1)>', headers: ccHeaders('int-xss') });
        expect(tab.state().incoming?.caller.name).toBe('<img src=x onerror=alert(1)>');
        await tab.session.reject();
        await world.advance(10);
        expect(world.host.sent[0].displayName).toBe('<img src=x onerror=alert(1)>');
        await world.shutdown();
    });
});

describe('calls that are not answered', () => {
    it('missed (ring timeout): logged once as missed, red in recent calls, RONA sets Not ready, notification', async () => {
        const world = new SimWorld();
        world.host.matches = () => [CONTACT];
        const tab = await readyTab(world);
        await world.ring({ headers: ccHeaders('int-missed') });
        await world.advance(20_000); // PL_SETTINGS ring timeout
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({
            interactionId: 'int-missed',
            outcome: 'missed',
            whoId: CONTACT.id,
            displayName: 'Jan Kowalski'
        });
        const state = tab.state();
        expect(state.agent.status).toBe('NotReady');
        expect(state.calls).toEqual([]);
        expect(state.interactions).toEqual([]);
        expect(state.recentCalls[0]).toMatchObject({
            interactionId: 'int-missed',
            missed: true,
            outcome: 'missed'
        });
        expect(tab.notifications.map((n) => n.kind)).toEqual(['incoming-call', 'missed-call']);
        expect(tab.callEvents.map((e) => e.kind)).toEqual(['ringing', 'ended', 'logged']);
        // F11: a callback request on the missed call updates the same Task (same interaction id)
        expect(await tab.session.requestCallback('int-missed')).toMatchObject({ ok: true });
        await world.advance(10);
        expect(world.host.savedIds()).toEqual(['int-missed']);
        expect(world.host.sent[world.host.sent.length - 1]).toMatchObject({ callbackRequested: true });
        expect(tab.state().recentCalls[0].callbackRequested).toBe(true);
        // the re-send updates the same Task: still one `logged`
        expect(tab.callEvents.filter((e) => e.kind === 'logged')).toEqual([
            expect.objectContaining({
                interactionId: 'int-missed',
                outcome: 'missed',
                taskId: '00Tint-missed'
            })
        ]);
        await world.shutdown();
    });

    it('missed while the lookup is still running: logged once, with the Who the lookup found', async () => {
        const world = new SimWorld();
        let answerLookup: (matches: RecordMatch[]) => void = () => undefined;
        world.host.lookupCaller = (request) => {
            world.host.lookups.push(request);
            return new Promise((resolve) => (answerLookup = resolve));
        };
        const tab = await readyTab(world);
        await world.ring({ headers: ccHeaders('int-slow') });
        expect(tab.state().incoming?.lookup).toBe('pending');
        world.server.sendCancel(Array.from(world.server.inboundCalls.values())[0]);
        await world.advance(10);
        expect(world.host.sent).toEqual([]);
        answerLookup([CONTACT]);
        await world.advance(10);
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({
            interactionId: 'int-slow',
            outcome: 'missed',
            whoId: CONTACT.id
        });
        expect(tab.screenPops).toEqual([]); // the call was gone: no pop for it
        await world.shutdown();
    });

    it('rejected: 486, logged as rejected, back to Ready', async () => {
        const world = new SimWorld();
        const tab = await readyTab(world);
        const call = await world.ring({ headers: ccHeaders('int-rej') });
        expect(await tab.session.reject()).toMatchObject({ ok: true });
        await world.advance(10);
        expect(world.server.finalResponsesTo(call.callId).map((r) => r.statusCode)).toEqual([486]);
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({ interactionId: 'int-rej', outcome: 'rejected' });
        expect(tab.state().agent.status).toBe('Ready');
        expect(tab.state().recentCalls[0].missed).toBe(false);
        await world.shutdown();
    });

    it('every log carries its SIP Call-ID; without an interaction header the id is generated (finding 9)', async () => {
        const world = new SimWorld();
        const tab = await readyTab(world);
        const withHeader = await world.ring({ headers: ccHeaders('int-sip') });
        expect(await tab.session.reject()).toMatchObject({ ok: true });
        await world.advance(10);
        const withoutHeader = await world.ring({ headers: ['X-CC-Campaign-Id: camp-1'] });
        expect(await tab.session.reject()).toMatchObject({ ok: true });
        await world.advance(10);
        expect(world.host.sent).toHaveLength(2);
        expect(world.host.sent[0]).toMatchObject({ interactionId: 'int-sip', sipCallId: withHeader.callId });
        // the contact centre's push of this leg names the same Call-ID: Apex joins the two (one Task per leg)
        expect(world.host.sent[1].interactionId).not.toBe('int-sip');
        expect(world.host.sent[1].sipCallId).toBe(withoutHeader.callId);
        expect(withoutHeader.callId).not.toBe(withHeader.callId);
        await world.shutdown();
    });

    it('a call offered while Not ready is answered 486 and not logged by the phone', async () => {
        const world = new SimWorld();
        const tab = world.open('A');
        await world.advance(100);
        expect(tab.state().agent.status).toBe('NotReady');
        const call = await world.ring({ headers: ccHeaders('int-nr') });
        expect(world.server.finalResponsesTo(call.callId).map((r) => r.statusCode)).toEqual([486]);
        expect(tab.state().calls).toEqual([]);
        expect(world.host.lookups).toEqual([]);
        await world.advance(100);
        expect(world.host.sent).toEqual([]);
        await world.shutdown();
    });
});

describe('call waiting', () => {
    it('a second call rings during a call; rejecting it logs it and leaves the agent Busy', async () => {
        const world = new SimWorld();
        const tab = world.open('A', { settings: { ...PL_SETTINGS, callWaiting: true } });
        await world.advance(100);
        await tab.session.setStatus({ status: 'Ready' });
        await world.ring({ headers: ccHeaders('int-first') });
        await world.settle(tab.session.answer());
        await world.ring({ fromUser: '+48501234567', headers: ccHeaders('int-second') });
        expect(tab.state().incoming).toMatchObject({ interactionId: 'int-second', state: 'Ringing' });
        expect(tab.state().calls.map((c) => c.interactionId)).toEqual(['int-first', 'int-second']);
        expect(tab.state().agent.status).toBe('Busy');
        expect(await tab.session.reject()).toMatchObject({ ok: true, interactionId: 'int-second' });
        await world.advance(10);
        expect(world.host.savedIds()).toEqual(['int-second']);
        expect(world.host.sent[0].outcome).toBe('rejected');
        expect(tab.state().agent.status).toBe('Busy');
        expect(tab.state().calls.map((c) => c.state)).toEqual(['Connected']);
        await world.settle(tab.session.hangup());
        expect(tab.state().agent.status).toBe('Wrap');
        await tab.session.endWrapEarly();
        await world.advance(10);
        expect(world.host.savedIds()).toEqual(['int-second', 'int-first']);
        await world.shutdown();
    });
});

describe('wrap-up', () => {
    it('the wrap time runs out: logged with the draft typed so far, then Ready', async () => {
        const world = new SimWorld();
        world.host.matches = () => [CONTACT];
        const tab = await readyTab(world);
        await world.ring({ headers: ccHeaders('int-wrap') });
        await tab.session.answer();
        await world.advance(10);
        await tab.session.hangup();
        await world.advance(10);
        expect(tab.state().agent.status).toBe('Wrap');
        await tab.session.updateWrapUp({ notes: 'Half-written', callbackRequested: true });
        await world.advance(29_000);
        expect(world.host.sent).toEqual([]);
        expect(tab.state().wrapUp?.draft).toMatchObject({ notes: 'Half-written', callbackRequested: true });
        await world.advance(1_000);
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({
            interactionId: 'int-wrap',
            notes: 'Half-written',
            callbackRequested: true
        });
        expect(tab.state().agent.status).toBe('Ready');
        expect(tab.state().wrapUp).toBeNull();
        expect(world.host.statusChanges[world.host.statusChanges.length - 1]).toMatchObject({
            from: 'Wrap',
            to: 'Ready',
            cause: 'wrapExpired'
        });
        await world.advance(60_000);
        expect(world.host.sent).toHaveLength(1); // nothing logs twice
        await world.shutdown();
    });

    it('submitted early with "Not ready after this call": the next status wins', async () => {
        const world = new SimWorld();
        const tab = await readyTab(world);
        await world.ring({ headers: ccHeaders('int-next') });
        await tab.session.answer();
        await world.advance(10);
        expect(await tab.session.setStatus({ status: 'NotReady' })).toEqual({ ok: true }); // during the call: next status
        await world.advance();
        expect(tab.state().agent).toMatchObject({ status: 'Busy', nextStatus: { status: 'NotReady' } });
        expect(await tab.session.submitWrapUp({ notes: 'x' })).toMatchObject({
            ok: false,
            error: 'call-in-progress'
        });
        await tab.session.hangup();
        await world.advance(10);
        expect(tab.state().wrapUp?.draft.notes).toBe('x'); // kept although the submit was early
        await world.advance(5_000);
        expect(await tab.session.submitWrapUp({ disposition: 'Sale' })).toMatchObject({
            ok: true,
            interactionId: 'int-next'
        });
        await world.advance(10);
        expect(world.host.sent).toEqual([expect.objectContaining({ notes: 'x', disposition: 'Sale' })]);
        expect(tab.state().agent.status).toBe('NotReady');
        expect(await tab.session.submitWrapUp()).toMatchObject({ ok: false, error: 'not-found' });
        await world.shutdown();
    });

    it('a status change during Wrap ends it and logs the wrap-up; pause reasons come from the host', async () => {
        const world = new SimWorld();
        const tab = await readyTab(world);
        expect(tab.state().pauseReasons).toEqual([{ id: 'break', label: 'Break' }]);
        await world.ring({ headers: ccHeaders('int-pause') });
        await tab.session.answer();
        await world.advance(10);
        await tab.session.hangup();
        await world.advance(10);
        expect(
            await tab.session.setStatus({ status: 'Paused', reason: { id: 'break', label: 'Break' } })
        ).toEqual({ ok: true });
        await world.advance(10);
        expect(world.host.savedIds()).toEqual(['int-pause']);
        expect(tab.state().agent).toMatchObject({ status: 'Paused', pauseReason: { id: 'break' } });
        await world.shutdown();
    });
});

describe('the screen pop has the Apex round trip to itself', () => {
    /** A lookup the test answers by hand. */
    function heldLookup(world: SimWorld): { answer: (matches: RecordMatch[]) => void } {
        let answer: (matches: RecordMatch[]) => void = () => undefined;
        world.host.lookupCaller = (request) => {
            world.host.lookups.push(request);
            return new Promise<RecordMatch[]>((resolve) => (answer = resolve));
        };
        return { answer: (matches) => answer(matches) };
    }

    it('Ringing is shown at once but published once the caller lookup answered', async () => {
        const world = new SimWorld();
        const lookup = heldLookup(world);
        const tab = await readyTab(world);
        await world.ring({ headers: ccHeaders('int-held') });
        expect(tab.state().agent.status).toBe('Ringing');
        expect(world.host.lookups).toHaveLength(1);
        expect(world.host.statuses()).not.toContain('Ringing');

        lookup.answer([CONTACT]);
        await world.advance();
        expect(world.host.statuses().at(-1)).toBe('Ringing');
        expect(tab.state().incoming?.caller).toMatchObject({ name: 'Jan Kowalski' });
    });

    it('a lookup that does not answer holds the Ringing publish back 2 s at most', async () => {
        const world = new SimWorld();
        heldLookup(world);
        await readyTab(world);
        await world.ring({ headers: ccHeaders('int-slow') });
        await world.advance(1900);
        expect(world.host.statuses()).not.toContain('Ringing');
        await world.advance(200);
        expect(world.host.statuses().at(-1)).toBe('Ringing');
    });
});
