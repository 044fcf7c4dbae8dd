/**
 * Sign out of the phone (issue 11, finding 5): on a shared desk nothing of this agent's calls stays in the
 * browser, and no unsent log is stranded there: it is sent to the org first, or the sign-out is refused.
 */
import { electionSecretKey } from '../../src/tabs/election-secret';
import { ORG, SimWorld, USER, ccHeaders, lastSipCall, type SimTab } from './session-world';

beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2024, 4, 1, 9, 0, 0) }));
afterEach(() => jest.useRealTimers());

const SCOPE = `${ORG}:${USER}`;

/** Keys of this org and user in the profile's storage. */
function userKeys(world: SimWorld): string[] {
    const keys: string[] = [];
    for (let i = 0; i < world.storage.length; i++) {
        const key = world.storage.key(i);
        if (key !== null && key.includes(SCOPE)) keys.push(key);
    }
    return keys.sort();
}

/** A leader and a follower; one answered call in wrap-up with notes, its log not sent (the org is offline). */
async function deskWithUnsentLog(world: SimWorld): Promise<{ leader: SimTab; follower: SimTab }> {
    const leader = world.open('A');
    const follower = world.open('B');
    await world.advance(100);
    await world.settle(leader.session.setStatus({ status: 'Ready' }));
    await world.ring({ headers: ccHeaders('int-missed') });
    await world.settle(leader.session.reject());
    await world.ring({ headers: ccHeaders('int-desk') });
    await world.settle(leader.session.answer());
    world.server.sendBye(lastSipCall(world));
    await world.advance(10);
    await world.settle(follower.session.updateWrapUp({ notes: 'Quote for 20 seats' }));
    return { leader, follower };
}

describe('sign out of the phone', () => {
    it('logs the open wrap-up, sends every unsent log to the org, then purges this user and stops every tab', async () => {
        const world = new SimWorld();
        world.host.online = false;
        const { leader, follower } = await deskWithUnsentLog(world);
        expect(leader.state().outbox.unsent).toBe(1); // the missed call's log waits for a retry
        expect(userKeys(world)).toEqual(
            expect.arrayContaining([expect.stringContaining('ccphone.outbox.v1'), electionSecretKey(SCOPE)])
        );

        world.host.online = true;
        const result = follower.session.signOut(); // from the tab that does not hold the phone
        expect(await world.settle(result, 100)).toEqual({ ok: true });
        await world.advance(100);

        const saved = world.host.sent.filter((e) => e.interactionId === 'int-desk');
        expect(saved[saved.length - 1]).toMatchObject({ notes: 'Quote for 20 seats', outcome: 'answered' });
        expect(world.host.savedIds().sort()).toEqual(['int-desk', 'int-missed']);
        expect(userKeys(world)).toEqual([]);
        expect(world.host.statusChanges.map((c) => c.to)).toContain('Offline');
        for (const tab of [leader, follower]) {
            expect(tab.state()).toMatchObject({
                role: 'stopped',
                calls: [],
                recentCalls: [],
                interactions: []
            });
            expect(JSON.stringify(tab.state())).not.toContain('Quote for 20 seats');
        }
        // nobody took the phone over after the sign-out
        const registersAfter = world.server.requests('REGISTER').length;
        await world.advance(10_000);
        expect(world.server.requests('REGISTER').length).toBe(registersAfter);
        expect(follower.state().role).toBe('stopped');
        await world.shutdown();
    });

    it('a follower waits for a slow org: the sign-out outlasts the usual 5 s command timeout', async () => {
        const world = new SimWorld();
        world.host.online = false;
        const { follower } = await deskWithUnsentLog(world);
        world.host.online = true;
        const save = world.host.saveCallLog.bind(world.host);
        world.host.saveCallLog = (entry) =>
            new Promise((resolve) => setTimeout(() => resolve(save(entry)), 4_000)); // 4 s per log
        const result = follower.session.signOut();
        await world.advance(12_000);
        expect(await result).toEqual({ ok: true });
        expect(world.host.savedIds().sort()).toEqual(['int-desk', 'int-missed']);
        expect(userKeys(world)).toEqual([]);
        await world.shutdown();
    });

    it('refuses while a log cannot be sent, and deletes nothing', async () => {
        const world = new SimWorld();
        world.host.saveResult = () => ({ status: 'rejected', retryable: true, message: 'offline' });
        const { leader } = await deskWithUnsentLog(world);
        const keys = userKeys(world);

        const result = leader.session.signOut();
        expect(await world.settle(result, 20_000)).toMatchObject({ ok: false, error: 'call-logs-unsent' });
        expect(leader.state().error?.messageKey).toBe('PhoneError_CallLogsUnsent');
        expect(userKeys(world)).toEqual(expect.arrayContaining(keys.filter((k) => k.includes(':e:'))));
        expect(leader.state()).toMatchObject({ role: 'leader', started: true });
        expect(leader.state().outbox.unsent).toBe(2);
        await world.shutdown();
    });

    it('refuses during a call', async () => {
        const world = new SimWorld();
        const tab = world.open('A');
        await world.advance(100);
        await world.settle(tab.session.setStatus({ status: 'Ready' }));
        await world.ring({ headers: ccHeaders('int-live') });
        await world.settle(tab.session.answer());
        expect(await world.settle(tab.session.signOut())).toMatchObject({
            ok: false,
            error: 'call-in-progress'
        });
        expect(tab.state().calls).toHaveLength(1);
        await world.shutdown();
    });

    it('a new sign-in afterwards elects one leader again, on a new secret', async () => {
        const world = new SimWorld();
        const first = world.open('A');
        await world.advance(100);
        const before = world.storage.getItem(electionSecretKey(SCOPE));
        expect(await world.settle(first.session.signOut(), 100)).toEqual({ ok: true });
        await world.advance(100);
        const again = [world.open('C'), world.open('D')];
        await world.advance(100);
        expect(again.map((t) => t.state().role).sort()).toEqual(['follower', 'leader']);
        expect(world.storage.getItem(electionSecretKey(SCOPE))).not.toBe(before);
        await world.shutdown();
    });
});
