/**
 * FAULT-CASES 20: two tabs and the pop-out of one agent. A call comes: it rings once (one registration), one
 * window answers it (a second answer finds no ringing call); the leader tab closes during the call: a new
 * leader registers and takes the call back (B7, the contact centre held it); a second call during the first
 * gets 486 Busy Here without call waiting, and rings as a waiting call with it, never a silent 480.
 */
import type { HostPorts } from '../../src/session/types';
import { ccHeaders, SimWorld, type SimTab } from './session-world';

beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2024, 4, 1, 9, 0, 0) }));
afterEach(() => jest.useRealTimers());

const REJOIN_URI = 'sip:rejoin.int-20@fake.test';

function registers(world: SimWorld): number {
    return world.server.requests('REGISTER').filter((r) => !/expires=0/.test(r.getHeader('contact') ?? ''))
        .length;
}

/** The newest INVITE the phone sent (not a re-INVITE). */
function lastNewInvite(world: SimWorld) {
    const invites = world.server.requests('INVITE').filter((r) => !r.toTag);
    return invites[invites.length - 1];
}

async function twoTabsAndPopout(callWaiting: boolean) {
    const world = new SimWorld();
    (world.host as HostPorts).getActiveInteractions = () =>
        Promise.resolve([{ interactionId: 'int-20', rejoinUri: REJOIN_URI }]);
    const settings = { defaultCountry: 'PL', callWaiting };
    const a = world.open('A', { settings });
    const b = world.open('B', { settings });
    const popout = world.open('P', { settings, windowKind: 'popout' });
    await world.advance(100);
    return { world, a, b, popout };
}

/** The ringing call is answered from the follower tab and the pop-out at once: one of them gets it. */
async function oneAnswerer(world: SimWorld, b: SimTab, popout: SimTab, callId: string) {
    const first = b.session.answer();
    const second = popout.session.answer();
    await world.advance(50);
    const results = [await first, await second];
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ ok: false });
    expect(world.server.finalResponsesTo(callId).map((r) => r.statusCode)).toEqual([200]);
}

describe('two tabs and the pop-out, the leader closes mid-call (FAULT-CASES 20)', () => {
    it.each([
        [false, 486],
        [true, 'rings']
    ])(
        'call waiting %p: one ring, one answerer, a new leader keeps the call; a second call: %p, never 480',
        async (callWaiting, second) => {
            const { world, a, b, popout } = await twoTabsAndPopout(callWaiting);
            expect(a.state().role).toBe('leader');
            expect(registers(world)).toBe(1);
            await world.settle(popout.session.setStatus({ status: 'Ready' }));

            const call = await world.ring({ headers: ccHeaders('int-20') });
            expect(world.server.requests('INVITE')).toHaveLength(0); // the phone sent none: it only rings
            expect(world.server.responses('INVITE').filter((r) => r.statusCode === 180)).toHaveLength(1);
            for (const tab of [a, b, popout]) expect(tab.state().incoming?.interactionId).toBe('int-20');
            await oneAnswerer(world, b, popout, call.callId);
            await world.advance(5000);

            a.close();
            await world.advance(200);
            const leaders = [b, popout].filter((tab) => tab.state().role === 'leader');
            expect(leaders).toHaveLength(1);
            const leader = leaders[0];
            expect(world.server.isRegistered).toBe(true);
            expect(registers(world)).toBe(2); // the first leader's and its successor's, one at a time
            const rejoin = lastNewInvite(world);
            expect(rejoin.ruri?.toString()).toBe(REJOIN_URI);
            world.server.answer(rejoin);
            await world.advance(10);
            expect(leader.state().calls).toEqual([
                expect.objectContaining({ interactionId: 'int-20', state: 'Connected' })
            ]);
            const follower = leader === b ? popout : b;
            expect(follower.state().calls).toEqual([
                expect.objectContaining({ interactionId: 'int-20', state: 'Connected' })
            ]);

            const waiting = await world.ring({ headers: ccHeaders('int-20b') });
            const finals = world.server.finalResponsesTo(waiting.callId).map((r) => r.statusCode);
            expect(finals).not.toContain(480);
            if (second === 486) {
                expect(finals).toEqual([486]);
                expect(leader.state().incoming).toBeNull();
            } else {
                expect(finals).toEqual([]); // still ringing
                expect(leader.state().incoming).toMatchObject({ interactionId: 'int-20b' });
                expect(await world.settle(follower.session.reject())).toMatchObject({ ok: true });
                expect(world.server.finalResponsesTo(waiting.callId).map((r) => r.statusCode)).toEqual([486]);
            }

            expect(await world.settle(follower.session.hangup())).toMatchObject({ ok: true });
            await world.advance(10);
            expect(await world.settle(leader.session.submitWrapUp({ notes: 'done' }))).toMatchObject({
                ok: true
            });
            await world.advance(100);
            expect(world.host.sent.filter((e) => e.interactionId === 'int-20')).toHaveLength(1);
            await world.advance(120_000);
            expect(world.host.sent.filter((e) => e.interactionId === 'int-20')).toHaveLength(1);
            await world.shutdown();
        }
    );
});
