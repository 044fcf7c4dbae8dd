/**
 * B7: a call survives a page reload. The page that had the call leaves it without a BYE; the reloaded page
 * (a new leader on the same storage) asks the contact centre for the calls in progress and dials the rejoin
 * URI, and the leg it gets continues the same interaction: caller card, first answer time, notes draft and
 * related record, one Task. Without the host port the old behaviour stays (BYE on the way out, logged).
 */
import type { ActiveInteraction, HostPorts } from '../../src/session/types';
import { ccHeaders, SimWorld, type SimTab } from './session-world';

beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2024, 4, 1, 9, 0, 0) }));
afterEach(() => jest.useRealTimers());

const CONTACT = { id: '003000000000001AAA', objectType: 'Contact' as const, name: 'Jan Kowalski' };
const REJOIN_URI = 'sip:rejoin.int-reload@fake.test';

/** The newest INVITE the phone sent (not a re-INVITE). */
function lastNewInvite(world: SimWorld) {
    const invites = world.server.requests('INVITE').filter((r) => !r.toTag);
    return invites[invites.length - 1];
}

/** A world whose host lists `active` as the agent's calls in progress (counted in `asked`). */
function worldWithContactCentre(active: () => ActiveInteraction[]) {
    const world = new SimWorld();
    const asked = { count: 0 };
    (world.host as HostPorts).getActiveInteractions = () => {
        asked.count++;
        return Promise.resolve(active());
    };
    world.host.matches = () => [CONTACT];
    return { world, asked };
}

/** Tab A takes `int-reload`, the agent types notes; resolves with the SIP Call-ID and the answer time. */
async function callInProgress(world: SimWorld): Promise<{ tab: SimTab; callId: string; answeredAt: number }> {
    const tab = world.open('A');
    await world.advance(100);
    await world.settle(tab.session.setStatus({ status: 'Ready' }));
    const call = await world.ring({ headers: ccHeaders('int-reload') });
    await world.settle(tab.session.answer());
    await world.advance(20_000);
    expect(
        await world.settle(
            tab.session.updateWrapUp({ notes: 'Typed before the reload', disposition: 'Callback' })
        )
    ).toMatchObject({ ok: true });
    const answeredAt = tab.state().calls[0].answeredAt!;
    expect(tab.state().calls[0].related).toMatchObject({ id: CONTACT.id });
    return { tab, callId: call.callId, answeredAt };
}

describe('a call survives a page reload (B7)', () => {
    it('the reloaded page takes the call back on the same interaction: card, timer, notes, relation; one Task', async () => {
        const { world, asked } = worldWithContactCentre(() => [
            { interactionId: 'int-reload', rejoinUri: REJOIN_URI }
        ]);
        const { tab, answeredAt } = await callInProgress(world);
        const byesBefore = world.server.requests('BYE').length;

        tab.close(); // the reload: pagehide, the document goes away
        await world.advance(100);
        expect(world.server.requests('BYE')).toHaveLength(byesBefore); // the customer is not hung up on
        expect(world.host.sent).toEqual([]);

        const reloaded = world.open('A-reloaded');
        await world.advance(100);
        expect(asked.count).toBe(1);
        const rejoin = lastNewInvite(world);
        expect(rejoin.ruri?.toString()).toBe(REJOIN_URI);
        expect(rejoin.getHeader('X-CC-Interaction-Id')).toBe('int-reload');
        world.server.answer(rejoin);
        await world.advance(10);

        const [call] = reloaded.state().calls;
        expect(call).toMatchObject({
            interactionId: 'int-reload',
            state: 'Connected',
            direction: 'inbound',
            answeredAt,
            caller: { name: 'Jan Kowalski' },
            related: { id: CONTACT.id }
        });
        expect(call.talkDurationMs).toBeGreaterThanOrEqual(20_000); // the timer runs from the first answer
        expect(reloaded.state().interactions).toEqual([
            expect.objectContaining({
                interactionId: 'int-reload',
                draft: expect.objectContaining({ notes: 'Typed before the reload', disposition: 'Callback' })
            })
        ]);
        expect(reloaded.state().agent.status).toBe('Busy');
        expect(world.host.lookups).toHaveLength(1); // no new lookup: the card came back from storage

        await world.advance(5000);
        expect(await reloaded.session.hangup()).toMatchObject({ ok: true, interactionId: 'int-reload' });
        await world.advance(10);
        expect(reloaded.state().wrapUp).toMatchObject({ interactionId: 'int-reload', state: 'WrapUp' });
        expect(reloaded.state().agent.status).toBe('Wrap'); // the campaign's wrap time, not the leg's
        expect(
            await world.settle(reloaded.session.submitWrapUp({ notes: 'Typed before the reload, done' }))
        ).toMatchObject({ ok: true });
        await world.advance(100);
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({
            interactionId: 'int-reload',
            direction: 'inbound',
            outcome: 'answered',
            notes: 'Typed before the reload, done',
            whoId: CONTACT.id
        });
        expect(world.host.sent[0].durationSeconds).toBeGreaterThanOrEqual(25);
        await world.advance(120_000);
        expect(world.host.sent).toHaveLength(1);
        await world.shutdown();
    });

    it('a call the contact centre no longer lists is logged as it was, once, and nothing is dialled', async () => {
        const { world, asked } = worldWithContactCentre(() => []);
        const { tab } = await callInProgress(world);
        tab.close();
        await world.advance(100);
        const invites = world.server.requests('INVITE').length;

        world.open('A-reloaded');
        await world.advance(100);
        expect(asked.count).toBe(1);
        expect(world.server.requests('INVITE')).toHaveLength(invites);
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({
            interactionId: 'int-reload',
            outcome: 'answered',
            notes: 'Typed before the reload'
        });
        await world.advance(120_000);
        expect(world.host.sent).toHaveLength(1);
        await world.shutdown();
    });

    it('a rejoin the customer side refuses logs the call as it was, once', async () => {
        const { world } = worldWithContactCentre(() => [
            { interactionId: 'int-reload', rejoinUri: REJOIN_URI }
        ]);
        const { tab } = await callInProgress(world);
        tab.close();
        await world.advance(100);
        world.open('A-reloaded');
        await world.advance(100);
        world.server.respond(lastNewInvite(world), 404);
        await world.advance(100);
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({ interactionId: 'int-reload', outcome: 'answered' });
        await world.advance(120_000);
        expect(world.host.sent).toHaveLength(1);
        await world.shutdown();
    });

    it('without the host port the page hangs up on its way out, as before (the customer is not left on a dead leg)', async () => {
        const world = new SimWorld();
        world.host.matches = () => [CONTACT];
        const { tab, callId } = await callInProgress(world);
        tab.close();
        await world.advance(100);
        expect(world.server.requests('BYE').map((r) => r.callId)).toEqual([callId]);
        await world.shutdown();
    });
});
