/**
 * PhoneSession across tabs (B1, FAULT-CASES 20): one registration, followers mirror and forward, the next tab
 * takes over when the leader closes, and no call is logged twice.
 */
import { SimWorld, ccHeaders } from './session-world';

beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2024, 4, 1, 9, 0, 0) }));
afterEach(() => jest.useRealTimers());

function registers(world: SimWorld): number {
    return world.server.requests('REGISTER').filter((r) => !/expires=0/.test(r.getHeader('contact') ?? ''))
        .length;
}

describe('two tabs', () => {
    it('one registration; the follower mirrors the state, emits the events, and its commands run on the leader', async () => {
        const world = new SimWorld();
        world.host.matches = () => [
            { id: '003000000000001AAA', objectType: 'Contact', name: 'Jan Kowalski' }
        ];
        const a = world.open('A');
        const b = world.open('B');
        await world.advance(100);
        expect(a.state()).toMatchObject({
            role: 'leader',
            leader: { tabId: 'A', self: true },
            started: true
        });
        expect(b.state()).toMatchObject({ role: 'follower', leader: { tabId: 'A', self: false } });
        expect(b.state().registration.state).toBe('Registered'); // mirrored from the leader
        expect(registers(world)).toBe(1);
        expect(world.host.sessionCalls).toBe(1); // only the leader asked Apex for SIP credentials

        expect(await world.settle(b.session.setStatus({ status: 'Ready' }))).toEqual({ ok: true });
        expect(a.state().agent.status).toBe('Ready');
        expect(b.state().agent.status).toBe('Ready');

        await world.ring({ headers: ccHeaders('int-tabs') });
        for (const tab of [a, b]) {
            expect(tab.state().incoming?.caller.name).toBe('Jan Kowalski');
            expect(tab.screenPops.map((p) => p.interactionId)).toEqual(['int-tabs']);
            expect(tab.callEvents.map((e) => e.kind)).toEqual(['ringing']);
        }
        const answering = b.session.answer();
        await world.advance(10);
        expect(await answering).toMatchObject({ ok: true, interactionId: 'int-tabs' });
        expect(a.state().calls[0].state).toBe('Connected');
        expect(b.state().calls[0].state).toBe('Connected');
        expect(b.callEvents.map((e) => e.kind)).toEqual(['ringing', 'answered']);

        // a handover is refused while the leader has a call
        expect(await world.settle(b.session.requestLeadership())).toMatchObject({
            ok: false,
            error: 'handover-refused'
        });
        expect(a.session.isLeader).toBe(true);
        await world.shutdown();
    });

    it('the leader closes during a call: the follower takes over, registers, restores the wrap-up, one Task', async () => {
        const world = new SimWorld();
        const a = world.open('A');
        const b = world.open('B');
        await world.advance(100);
        await world.settle(b.session.setStatus({ status: 'Ready' }));
        const call = await world.ring({ headers: ccHeaders('int-failover') });
        const answering = b.session.answer();
        await world.advance(10);
        await answering;
        const typing = b.session.updateWrapUp({ notes: 'Typed in tab B', disposition: 'Callback' });
        expect(await world.settle(typing)).toMatchObject({ ok: true });

        a.close();
        await world.advance(100);
        // A hung up on its way out (its media dies with it) and unregistered; B leads and registers
        expect(world.server.requests('BYE').map((r) => r.callId)).toEqual([call.callId]);
        expect(b.state()).toMatchObject({
            role: 'leader',
            started: true,
            leader: { tabId: 'B', self: true }
        });
        expect(world.server.isRegistered).toBe(true);
        expect(registers(world)).toBe(2);
        // the wrap-up survived with what the agent typed, waiting for its own deadline (campaign: 30 s)
        expect(b.state().wrapUp).toMatchObject({
            interactionId: 'int-failover',
            state: 'WrapUp',
            outcome: 'answered',
            draft: { notes: 'Typed in tab B', disposition: 'Callback' },
            deadline: expect.any(Number)
        });
        expect(b.state().agent.status).toBe('NotReady'); // a call was in progress: not put back in the queue
        expect(world.host.sent).toEqual([]);

        await world.advance(30_000);
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({
            interactionId: 'int-failover',
            notes: 'Typed in tab B',
            disposition: 'Callback',
            outcome: 'answered'
        });
        expect(b.state().wrapUp).toBeNull();
        await world.advance(120_000);
        expect(world.host.sent).toHaveLength(1);
        await world.shutdown();
    });

    it('the leader closes with an unsent log: the new leader sends it, exactly once; Ready is restored', async () => {
        const world = new SimWorld();
        let online = false;
        world.host.saveResult = (entry) =>
            online
                ? { status: 'saved', taskId: `00T${entry.interactionId}` }
                : { status: 'rejected', retryable: true, message: 'Unable to reach the server' };
        const a = world.open('A');
        const b = world.open('B');
        await world.advance(100);
        await a.session.setStatus({ status: 'Ready' });
        await world.ring({ headers: ccHeaders('int-unsent') });
        await a.session.reject();
        await world.advance(10);
        expect(world.host.sent).toHaveLength(1); // tried once, failed
        expect(b.state().outbox.unsent).toBe(1);

        online = true;
        a.close();
        await world.advance(100);
        expect(b.state().role).toBe('leader');
        expect(b.state().agent.status).toBe('Ready'); // the old leader's status is taken again
        await world.advance(5_000);
        expect(world.host.sent.filter((e) => e.interactionId === 'int-unsent')).toHaveLength(2);
        expect(world.host.savedIds()).toEqual(['int-unsent']);
        expect(b.state().outbox).toMatchObject({ unsent: 0, needsAttention: 0 });
        // the new leader announces the Task it saved; the call itself was the old leader's (no call id)
        expect(a.callEvents.some((e) => e.kind === 'logged')).toBe(false);
        expect(b.callEvents.filter((e) => e.kind === 'logged')).toEqual([
            {
                kind: 'logged',
                interactionId: 'int-unsent',
                callId: '',
                direction: 'inbound',
                number: '+48600700800',
                name: '',
                outcome: 'rejected',
                durationSeconds: 0,
                taskId: '00Tint-unsent'
            }
        ]);
        await world.advance(60_000);
        expect(world.host.sent).toHaveLength(2);
        await world.shutdown();
    });

    it('the pop-out asks for the phone while idle: the leader unregisters first, then the pop-out registers', async () => {
        const world = new SimWorld();
        const a = world.open('A');
        await world.advance(100);
        await a.session.setStatus({ status: 'Ready' });
        const p = world.open('P');
        await world.advance(100);
        expect(await world.settle(p.session.requestLeadership(), 200)).toEqual({ ok: true });
        await world.advance(100);
        expect(p.state()).toMatchObject({ role: 'leader', started: true });
        expect(a.state()).toMatchObject({ role: 'follower', leader: { tabId: 'P' } });
        const registerContacts = world.server
            .requests('REGISTER')
            .map((r) => /expires=0/.test(r.getHeader('contact') ?? ''));
        expect(registerContacts).toEqual([false, true, false]); // A in, A out, P in: never two at once
        expect(world.server.isRegistered).toBe(true);
        expect(p.state().agent.status).toBe('Ready');
        await world.shutdown();
    });

    it('a follower whose leader stopped answering gets leader-unavailable, and a warning', async () => {
        const world = new SimWorld();
        const a = world.open('A');
        const b = world.open('B');
        await world.advance(100);
        world.bus.freezeTab('A');
        const pending = b.session.setStatus({ status: 'Ready' });
        await world.advance(6_000);
        expect(await pending).toMatchObject({ ok: false, error: 'leader-unavailable' });
        expect(b.state().error).toMatchObject({ code: 'leader-unavailable' });
        expect(b.state().warnings).toContain('leader-unresponsive');
        expect(a.state().agent.status).toBe('NotReady');
        world.bus.thawTab('A');
        await world.advance(2_000);
        expect(b.state().warnings).not.toContain('leader-unresponsive');
        await world.shutdown();
    });

    it('without Web Locks the tab leads alone and warns that other tabs may register too', async () => {
        const world = new SimWorld();
        const a = world.open('A', { noLocks: true });
        await world.advance(100);
        expect(a.state()).toMatchObject({ role: 'degraded', started: true });
        expect(a.state().warnings).toContain('multiple-tabs-may-register');
        expect(world.server.isRegistered).toBe(true);
        await world.shutdown();
    });
});
