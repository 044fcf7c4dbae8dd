/**
 * PhoneSession, one tab: the remote party of a call changes under the same call id (this agent is the target
 * of an attended transfer: INVITE with Replaces). New card, one new lookup, stale lookups ignored, the agent's
 * own relation kept, one Task naming the party the agent ended up talking to.
 */
import type { CallerLookupRequest } from '../../src/session/types';
import type { RecordMatch } from '../../src/screen-pop/screen-pop';
import type { FakeInboundCall } from '../fakes/fake-sip-server';
import { SimWorld, ccHeaders, readyTab, type SimTab } from './session-world';

beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2024, 4, 1, 9, 0, 0) }));
afterEach(() => jest.useRealTimers());

const OLD_NUMBER = '+48600111222';
const NEW_NUMBER = '+48600700800';

/** Who the first call was with. */
const LEAD: RecordMatch = {
    id: '00Q000000000001AAA',
    objectType: 'Lead',
    name: 'Anna Nowak',
    subtitle: 'Beta'
};
const LEAD_B: RecordMatch = {
    id: '00Q000000000002AAA',
    objectType: 'Lead',
    name: 'Anna Nowak',
    subtitle: 'Gamma'
};
/** Who the call was transferred to this agent for. */
const CONTACT: RecordMatch = {
    id: '003000000000001AAA',
    objectType: 'Contact',
    name: 'Jan Kowalski',
    subtitle: 'Acme sp. z o.o.',
    accountId: '001000000000001AAA'
};
const PICKED_ACCOUNT = { id: '001000000000009AAA', objectType: 'Account' as const, name: 'Globex' };

/** An inbound call from the first party, answered by the agent. */
async function answeredCall(
    world: SimWorld,
    tab: SimTab,
    headers: string[] = ccHeaders('int-t', ['X-CC-Wrap-Seconds: 0'])
): Promise<FakeInboundCall> {
    const call = await world.ring({ fromUser: OLD_NUMBER, displayName: 'Old Caller', headers });
    expect(await tab.session.answer()).toMatchObject({ ok: true });
    await world.advance(10);
    expect(tab.state().calls[0]).toMatchObject({ state: 'Connected' });
    return call;
}

/** The transferred customer's INVITE with Replaces naming the agent's established dialog `replaced`. */
async function transferIn(
    world: SimWorld,
    replaced: FakeInboundCall,
    party: { fromUser?: string; displayName?: string } = {}
): Promise<FakeInboundCall> {
    const customer = world.server.sendInvite({
        fromUser: party.fromUser ?? NEW_NUMBER,
        displayName: party.displayName ?? 'Jan Kowalski',
        headers: [`Replaces: ${world.server.replacesFor(replaced.callId)}`]
    });
    await world.advance(10);
    expect(world.server.dialogEnded(replaced.callId)).toBe(true);
    return customer;
}

/** Lookups answered by the test, in any order. */
function deferLookups(world: SimWorld): Array<{
    request: CallerLookupRequest;
    resolve: (matches: RecordMatch[]) => void;
    reject: (error: Error) => void;
}> {
    const pending: ReturnType<typeof deferLookups> = [];
    world.host.lookupCaller = (request) => {
        world.host.lookups.push(request);
        return new Promise<RecordMatch[]>((resolve, reject) => pending.push({ request, resolve, reject }));
    };
    return pending;
}

function matchesByNumber(request: CallerLookupRequest): RecordMatch[] {
    if (request.e164 === OLD_NUMBER) return [LEAD];
    if (request.e164 === NEW_NUMBER) return [CONTACT];
    return [];
}

describe('remote party change on an established call (INVITE with Replaces)', () => {
    it('new card at once, one new lookup, new screen pop; the one Task names the new party', async () => {
        const world = new SimWorld();
        world.host.matches = matchesByNumber;
        const tab = await readyTab(world);
        const first = await answeredCall(world, tab, ccHeaders('int-t')); // campaign wrap: 30 s
        const callId = tab.state().calls[0].id;
        expect(tab.state().calls[0]).toMatchObject({
            caller: { e164: OLD_NUMBER, displayName: 'Old Caller', name: 'Anna Nowak' },
            related: { id: LEAD.id, source: 'screen-pop' }
        });
        expect(tab.screenPops).toHaveLength(1);

        const customer = await transferIn(world, first);
        expect(world.host.lookups).toHaveLength(2);
        expect(world.host.lookups[1]).toMatchObject({
            e164: NEW_NUMBER,
            number: NEW_NUMBER,
            direction: 'inbound',
            interactionId: 'int-t'
        });
        expect(world.host.lookups[1].dialledFromRecordId).toBeUndefined();
        const call = tab.state().calls[0];
        expect(tab.state().calls).toHaveLength(1);
        expect(call).toMatchObject({
            id: callId,
            interactionId: 'int-t',
            state: 'Connected',
            lookup: 'done',
            caller: {
                rawNumber: NEW_NUMBER,
                e164: NEW_NUMBER,
                numberDisplay: '600 700 800',
                displayName: 'Jan Kowalski',
                name: 'Jan Kowalski',
                company: 'Acme sp. z o.o.',
                record: { id: CONTACT.id }
            },
            screenPop: { action: 'open', record: { id: CONTACT.id } },
            related: { id: CONTACT.id, whoId: CONTACT.id, source: 'screen-pop' }
        });
        expect(tab.state().interactions[0]).toMatchObject({
            interactionId: 'int-t',
            candidates: [{ id: CONTACT.id }],
            draft: { relatedRecordId: CONTACT.id }
        });
        expect(tab.screenPops).toHaveLength(2);
        expect(tab.screenPops[1]).toMatchObject({
            callId,
            interactionId: 'int-t',
            decision: { action: 'open', record: { id: CONTACT.id } },
            caller: { e164: NEW_NUMBER, name: 'Jan Kowalski' }
        });

        // later updates of the same party (hold, resume) start no lookup
        expect(await world.settle(tab.session.hold())).toMatchObject({ ok: true });
        expect(await world.settle(tab.session.resume())).toMatchObject({ ok: true });
        expect(world.host.lookups).toHaveLength(2);
        expect(tab.screenPops).toHaveLength(2);

        world.server.sendBye(customer.callId);
        await world.advance(10);
        expect(tab.state().wrapUp).toMatchObject({ interactionId: 'int-t', caller: { e164: NEW_NUMBER } });
        expect(await tab.session.submitWrapUp({ notes: 'transferred from the first line' })).toMatchObject({
            ok: true
        });
        await world.advance(60_000);
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({
            interactionId: 'int-t',
            direction: 'inbound',
            fromNumber: NEW_NUMBER,
            outcome: 'answered',
            displayName: 'Jan Kowalski',
            whoId: CONTACT.id,
            notes: 'transferred from the first line'
        });
        expect(tab.callEvents.map((e) => e.kind)).toEqual(['ringing', 'answered', 'ended', 'logged']);
        expect(tab.callEvents[3]).toMatchObject({
            number: NEW_NUMBER,
            name: 'Jan Kowalski',
            recordId: CONTACT.id
        });
        expect(tab.state().recentCalls).toHaveLength(1);
        expect(tab.state().recentCalls[0]).toMatchObject({ number: NEW_NUMBER, recordId: CONTACT.id });
        await world.shutdown();
        expect(world.host.savedIds()).toEqual(['int-t']);
    });

    it('same number, another display name: new card and lookup; the Task keeps no old relation', async () => {
        const world = new SimWorld();
        const tab = await readyTab(world);
        const first = await answeredCall(world, tab);
        world.host.matches = () => [LEAD, LEAD_B]; // the shared line now matches two people
        const customer = await transferIn(world, first, {
            fromUser: OLD_NUMBER,
            displayName: 'Ewa <b>Nowak</b>'
        });
        expect(world.host.lookups.map((l) => l.e164)).toEqual([OLD_NUMBER, OLD_NUMBER]);
        expect(tab.state().calls[0]).toMatchObject({
            caller: {
                e164: OLD_NUMBER,
                displayName: 'Ewa <b>Nowak</b>',
                name: 'Ewa <b>Nowak</b>',
                record: null
            },
            screenPop: { action: 'choose' },
            related: null
        });
        world.server.sendBye(customer.callId);
        await world.advance(10);
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({ fromNumber: OLD_NUMBER, displayName: 'Ewa <b>Nowak</b>' });
        expect(world.host.sent[0].whoId).toBeUndefined();
        await world.shutdown();
    });

    it.each([
        ['the old lookup answers after the new one', [1, 0], 'resolve'],
        ['the old lookup answers before the new one', [0, 1], 'resolve'],
        ['the old lookup fails late', [1, 0], 'reject']
    ] as const)('stale lookup ignored: %s', async (_name, order, oldOutcome) => {
        const world = new SimWorld();
        const pending = deferLookups(world);
        const tab = await readyTab(world);
        const first = await answeredCall(world, tab);
        expect(tab.state().calls[0].lookup).toBe('pending');
        const customer = await transferIn(world, first);
        expect(pending.map((p) => p.request.e164)).toEqual([OLD_NUMBER, NEW_NUMBER]);
        // the card follows the new party before its lookup answers; nothing of the old party is related
        expect(tab.state().calls[0]).toMatchObject({
            lookup: 'pending',
            caller: { e164: NEW_NUMBER, name: 'Jan Kowalski', record: null },
            screenPop: null,
            related: null
        });

        for (const index of order) {
            if (index === 0) {
                if (oldOutcome === 'reject') pending[0].reject(new Error('lookup timed out'));
                else pending[0].resolve([LEAD]);
            } else {
                pending[1].resolve([CONTACT]);
            }
            await world.advance();
            if (index === 0 && order[0] === 0) {
                // only the stale answer is in: nothing changed
                expect(tab.state().calls[0]).toMatchObject({ lookup: 'pending', related: null });
                expect(tab.screenPops).toEqual([]);
            }
        }
        expect(tab.state().calls[0]).toMatchObject({
            lookup: 'done',
            caller: { e164: NEW_NUMBER, name: 'Jan Kowalski', record: { id: CONTACT.id } },
            screenPop: { action: 'open', record: { id: CONTACT.id } },
            related: { id: CONTACT.id, source: 'screen-pop' }
        });
        expect(tab.state().interactions[0].candidates.map((c) => c.id)).toEqual([CONTACT.id]);
        expect(tab.screenPops).toHaveLength(1);
        expect(tab.screenPops[0].decision).toMatchObject({ record: { id: CONTACT.id } });
        expect(tab.state().error).toBeNull();

        world.server.sendBye(customer.callId);
        await world.advance(10);
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({ fromNumber: NEW_NUMBER, whoId: CONTACT.id });
        await world.shutdown();
    });

    it.each([
        [
            'chosen from the candidates',
            (tab: SimTab) => tab.session.chooseRecord(LEAD_B.id),
            { id: LEAD_B.id, source: 'chosen', whoId: LEAD_B.id },
            { whoId: LEAD_B.id }
        ],
        [
            'the record on screen',
            (tab: SimTab) => tab.session.relateToRecord(PICKED_ACCOUNT),
            { id: PICKED_ACCOUNT.id, source: 'on-screen', whatId: PICKED_ACCOUNT.id },
            { whatId: PICKED_ACCOUNT.id }
        ],
        [
            'set in the wrap-up form',
            (tab: SimTab) => tab.session.updateWrapUp({ relatedRecordId: LEAD_B.id }),
            { id: LEAD_B.id, source: 'chosen', whoId: LEAD_B.id },
            { whoId: LEAD_B.id }
        ]
    ] as const)(
        'a record related by hand (%s) is kept: no re-pop, only card and candidates follow',
        async (_name, relate, related, taskRelation) => {
            const world = new SimWorld();
            world.host.matches = (request) => (request.e164 === OLD_NUMBER ? [LEAD, LEAD_B] : [CONTACT]);
            const tab = await readyTab(world);
            const first = await answeredCall(world, tab);
            expect(tab.state().calls[0].screenPop).toMatchObject({ action: 'choose' });
            expect(await relate(tab)).toMatchObject({ ok: true, interactionId: 'int-t' });
            await world.advance();
            expect(tab.state().calls[0].related).toMatchObject(related);
            expect(tab.screenPops).toHaveLength(1);

            const customer = await transferIn(world, first);
            expect(world.host.lookups).toHaveLength(2);
            const call = tab.state().calls[0];
            expect(call).toMatchObject({
                lookup: 'done',
                related,
                screenPop: { action: 'open', record: { id: CONTACT.id } },
                caller: {
                    e164: NEW_NUMBER,
                    displayName: 'Jan Kowalski',
                    name: 'Jan Kowalski',
                    company: 'Acme sp. z o.o.'
                }
            });
            const interaction = tab.state().interactions[0];
            expect(interaction.draft.relatedRecordId).toBe(related.id);
            expect(interaction.candidates.map((c) => c.id)).toEqual([CONTACT.id, related.id]);
            expect(tab.screenPops).toHaveLength(1); // the agent is not navigated away from their record

            world.server.sendBye(customer.callId);
            await world.advance(10);
            expect(world.host.sent).toHaveLength(1);
            const entry = world.host.sent[0];
            expect(entry).toMatchObject({
                interactionId: 'int-t',
                fromNumber: NEW_NUMBER,
                displayName: 'Jan Kowalski',
                ...taskRelation
            });
            expect(entry.whoId === CONTACT.id || entry.whatId === CONTACT.accountId).toBe(false);
            await world.shutdown();
        }
    );
});

describe('not a remote party change', () => {
    it('outbound: the callee asserted by the answer (P-Asserted-Identity) is no new party', async () => {
        const world = new SimWorld();
        world.host.matches = () => [CONTACT];
        const tab = await readyTab(world);
        const dialling = tab.session.dial('600 700 800', { recordId: CONTACT.id, name: 'Jan' });
        await world.advance(10);
        expect(await dialling).toMatchObject({ ok: true });
        expect(world.host.lookups).toHaveLength(1);
        const invite = world.server.requests('INVITE').filter((r) => !r.toTag)[0];
        world.server.answer(invite, [
            `P-Asserted-Identity: "J. Kowalski (mobile)" <sip:${NEW_NUMBER}@fake.test>`
        ]);
        await world.advance(10);
        expect(tab.state().calls[0]).toMatchObject({
            state: 'Connected',
            related: { id: CONTACT.id, source: 'dialled-from' }
        });
        expect(world.host.lookups).toHaveLength(1);
        expect(tab.screenPops).toHaveLength(1);
        await tab.session.hangup();
        await world.advance(10);
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({ toNumber: NEW_NUMBER, whoId: CONTACT.id });
        await world.shutdown();
    });
});
