import {
    CommandError,
    TabElection,
    TabRole,
    canTransitionTabRole,
    transitionTabRole,
    type BecameLeaderEvent,
    type BroadcastChannelPort,
    type LockManagerPort,
    type PageLifecycleEvent,
    type PageLifecyclePort,
    type TabElectionEvents,
    type WindowKind
} from '../../src/tabs/tab-election';
import {
    browserPageLifecycle,
    browserTabElectionPorts,
    type EventTargetLike
} from '../../src/tabs/browser-ports';
import { FakeBroadcastBus } from '../fakes/fake-broadcast';
import { FakeLockManager } from '../fakes/fake-locks';

interface PhoneState {
    registered: boolean;
    call: { id: string; state: 'ringing' | 'active' } | null;
    status: string;
}

type PhoneCommand =
    | { type: 'answer'; callId: string }
    | { type: 'hangup' }
    | { type: 'setStatus'; status: string }
    | { type: 'dial'; number: string }
    | { type: 'explode' }
    | { type: 'never' };

const ORG = '00D000000000001';
const USER = '005000000000001';
/** The agent's election secret (each tab reads the same one from storage; see election-secret.test.ts). */
const SECRET = {
    channelKey: 'c0ffee00c0ffee00c0ffee00c0ffee00',
    lockKey: '10c4ed0010c4ed0010c4ed0010c4ed00'
};
const LOCK = `ccphone:phone-leader:${ORG}:${USER}:${SECRET.lockKey}`;
const CHANNEL = `ccphone:phone:${ORG}:${USER}:${SECRET.channelKey}`;

class FakeLifecycle implements PageLifecyclePort {
    private readonly listeners = new Set<(event: PageLifecycleEvent) => void>();
    subscribe(listener: (event: PageLifecycleEvent) => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }
    fire(event: PageLifecycleEvent): void {
        for (const listener of Array.from(this.listeners)) listener(event);
    }
}

type Recorded = {
    [K in keyof TabElectionEvents<PhoneState, PhoneCommand>]: [
        K,
        TabElectionEvents<PhoneState, PhoneCommand>[K]
    ];
}[keyof TabElectionEvents<PhoneState, PhoneCommand>];

/** A simulated window with a toy phone: registers on becameLeader, unregisters on resign. */
class SimTab {
    readonly election: TabElection<PhoneState, PhoneCommand>;
    readonly lifecycle = new FakeLifecycle();
    readonly events: Recorded[] = [];
    readonly executed: PhoneCommand[] = [];
    readonly resigned: string[] = [];
    phone: PhoneState = { registered: false, call: null, status: 'NotReady' };
    closed = false;

    constructor(
        readonly browser: SimBrowser,
        readonly id: string,
        kind: WindowKind,
        options: {
            userId?: string;
            locks?: LockManagerPort | null;
            secret?: () => { channelKey: string; lockKey: string } | null;
        } = {}
    ) {
        this.election = new TabElection<PhoneState, PhoneCommand>({
            orgId: ORG,
            userId: options.userId ?? USER,
            secret: options.secret ?? SECRET,
            tabId: id,
            kind,
            locks: options.locks === undefined ? browser.locks.forTab(id) : options.locks,
            createChannel: browser.bus.factoryFor(id),
            lifecycle: this.lifecycle,
            handleCommand: (command) => this.handle(command),
            handoverBlocker: () => (this.phone.call ? 'call-in-progress' : null),
            resign: (reason) => {
                this.resigned.push(reason);
                this.unregister();
            }
        });
        const names: Array<keyof TabElectionEvents<PhoneState, PhoneCommand>> = [
            'becameLeader',
            'lostLeadership',
            'stateMirrored',
            'commandReceived',
            'leaderChanged',
            'ended'
        ];
        for (const name of names) {
            this.election.on(name, (payload) => this.events.push([name, payload] as Recorded));
        }
        this.election.on('becameLeader', (event) => {
            if (event.degraded) return;
            this.browser.register(this.id);
            this.phone = { registered: true, call: null, status: 'NotReady' };
            this.election.publishState(this.phone);
        });
    }

    /** The leader's phone changes (a call rings, is answered...). */
    update(change: Partial<PhoneState>): void {
        this.phone = { ...this.phone, ...change };
        this.election.publishState(this.phone);
    }

    of<K extends keyof TabElectionEvents<PhoneState, PhoneCommand>>(
        name: K
    ): Array<TabElectionEvents<PhoneState, PhoneCommand>[K]> {
        return this.events
            .filter((e) => e[0] === name)
            .map((e) => e[1] as TabElectionEvents<PhoneState, PhoneCommand>[K]);
    }

    /** The user closes the tab: pagehide, then the document goes away. */
    close(): void {
        this.lifecycle.fire({ type: 'pagehide', persisted: false });
        this.crash();
    }

    /** The tab dies without any event (crash, killed process). */
    crash(): void {
        this.closed = true;
        this.browser.locks.closeTab(this.id);
        this.browser.bus.closeTab(this.id);
        this.unregister(); // its WebSocket dies with it
    }

    private unregister(): void {
        this.browser.unregister(this.id);
        this.phone = { ...this.phone, registered: false };
        this.election.publishState(this.phone); // allowed while handing over; ignored once not leading
    }

    private handle(command: PhoneCommand): unknown {
        this.executed.push(command);
        switch (command.type) {
            case 'answer':
                this.update({ call: { id: command.callId, state: 'active' } });
                return { answeredBy: this.id };
            case 'hangup':
                this.update({ call: null });
                return { ok: true };
            case 'setStatus':
                this.update({ status: command.status });
                return { status: command.status };
            case 'dial':
                return { dialled: command.number };
            case 'explode':
                throw new Error('microphone blocked');
            case 'never':
                return new Promise(() => undefined);
        }
    }
}

class SimBrowser {
    readonly locks = new FakeLockManager();
    readonly bus = new FakeBroadcastBus();
    readonly tabs: SimTab[] = [];
    /** Windows registered with the SIP registrar right now. */
    readonly registered = new Set<string>();
    /** Set when a window registered while another still was (a call would ring twice). */
    doubleRegistration: string[] | null = null;

    open(
        id: string,
        kind: WindowKind = 'tab',
        options: {
            userId?: string;
            start?: boolean;
            secret?: () => { channelKey: string; lockKey: string } | null;
        } = {}
    ): SimTab {
        const tab = new SimTab(this, id, kind, options);
        this.tabs.push(tab);
        if (options.start !== false) tab.election.start();
        return tab;
    }

    register(id: string): void {
        if (this.registered.size > 0 && !this.registered.has(id)) {
            this.doubleRegistration = [...this.registered, id];
        }
        this.registered.add(id);
    }

    unregister(id: string): void {
        this.registered.delete(id);
    }

    leaders(): string[] {
        return this.tabs.filter((t) => !t.closed && t.election.isLeader).map((t) => t.id);
    }
}

/** Runs queued messages, lock grants and promise callbacks (no time passes). */
async function settle(): Promise<void> {
    for (let i = 0; i < 10; i++) await jest.advanceTimersByTimeAsync(0);
}

async function elapse(ms: number): Promise<void> {
    await jest.advanceTimersByTimeAsync(ms);
    await settle();
}

beforeEach(() => {
    jest.useFakeTimers({ now: Date.UTC(2024, 4, 1, 9, 0, 0) });
});

afterEach(() => {
    jest.useRealTimers();
});

describe('role state machine', () => {
    const R = TabRole;
    const table: Array<[TabRole, TabRole, boolean]> = [
        [R.Idle, R.Follower, true],
        [R.Idle, R.Leader, true],
        [R.Idle, R.HandingOver, false],
        [R.Follower, R.Leader, true],
        [R.Follower, R.HandingOver, false],
        [R.Leader, R.HandingOver, true],
        [R.Leader, R.Follower, true],
        [R.Leader, R.Idle, false],
        [R.HandingOver, R.Follower, true],
        [R.HandingOver, R.Leader, true],
        [R.Stopped, R.Follower, true],
        [R.Stopped, R.Leader, true],
        [R.Stopped, R.HandingOver, false],
        [R.Follower, R.Stopped, true]
    ];
    it.each(table)('%s -> %s allowed: %s', (from, to, allowed) => {
        expect(canTransitionTabRole(from, to)).toBe(allowed);
        if (allowed) expect(transitionTabRole(from, to)).toBe(to);
        else expect(() => transitionTabRole(from, to)).toThrow(/Illegal tab role transition/);
    });
});

describe('TabElection', () => {
    it('a single tab becomes leader', async () => {
        const browser = new SimBrowser();
        const tab = browser.open('A');
        expect(tab.election.role).toBe(TabRole.Follower);
        await settle();
        expect(tab.election.isLeader).toBe(true);
        expect(tab.election.degraded).toBe(false);
        expect(tab.of('becameLeader')).toEqual([{ reason: 'initial', degraded: false }]);
        expect(tab.election.leader).toMatchObject({ id: 'A', kind: 'tab', responsive: true });
        expect(browser.locks.holderOf(LOCK)).toBe('A');
        expect(tab.election.lockName).toBe(LOCK);
    });

    it('three tabs and the pop-out starting together: exactly one leader, everyone knows it', async () => {
        const browser = new SimBrowser();
        const tabs = [browser.open('A'), browser.open('B'), browser.open('C'), browser.open('P', 'popout')];
        await settle();
        expect(browser.leaders()).toEqual(['A']);
        expect(browser.locks.grants).toHaveLength(1);
        expect(browser.locks.queueOf(LOCK)).toEqual(['B', 'C', 'P']);
        for (const tab of tabs.slice(1)) {
            expect(tab.election.role).toBe(TabRole.Follower);
            expect(tab.election.leader?.id).toBe('A');
        }
        expect(browser.doubleRegistration).toBeNull();
    });

    it.each([[['A', 'B', 'C', 'P']], [['P', 'C', 'B', 'A']], [['C', 'A', 'P', 'B']]])(
        'no duplicate leaders under racing starts (%j)',
        async (order) => {
            const browser = new SimBrowser();
            const tabs = order.map((id) => browser.open(id, id === 'P' ? 'popout' : 'tab', { start: false }));
            // Start all in the same turn, interleaved with message delivery.
            for (const tab of tabs) tab.election.start();
            await settle();
            expect(browser.leaders()).toEqual([order[0]]);
            for (const tab of tabs) expect(tab.of('becameLeader').length).toBe(tab.id === order[0] ? 1 : 0);
            await elapse(10_000);
            expect(browser.leaders()).toEqual([order[0]]);
        }
    );

    it('a follower that joins later asks for and receives the state', async () => {
        const browser = new SimBrowser();
        const leader = browser.open('A');
        await settle();
        leader.update({ status: 'Ready' });
        await settle();

        const late = browser.open('B');
        await settle();
        expect(late.of('stateMirrored')).toEqual([
            { state: { registered: true, call: null, status: 'Ready' }, leader: { id: 'A', kind: 'tab' } }
        ]);
        expect(late.election.state).toEqual({ registered: true, call: null, status: 'Ready' });
    });

    it('followers mirror every state change', async () => {
        const browser = new SimBrowser();
        const [leader, b, c] = [browser.open('A'), browser.open('B'), browser.open('C')];
        await settle();
        leader.update({ call: { id: 'int-1', state: 'ringing' } });
        leader.update({ status: 'Busy' });
        await settle();
        for (const follower of [b, c]) {
            expect(follower.election.state).toEqual({
                registered: true,
                call: { id: 'int-1', state: 'ringing' },
                status: 'Busy'
            });
        }
    });

    it('a follower that missed a snapshot asks again when the heartbeat shows it', async () => {
        const browser = new SimBrowser();
        const a = browser.open('A');
        const b = browser.open('B');
        await settle();
        const hellos = browser.bus.sent('B', 'hello').length;
        // A heartbeat announcing snapshot #7 while B has seen fewer: B asks for the state again.
        const wire = browser.bus.factoryFor('wire')(CHANNEL);
        wire.postMessage({
            p: 'ccphone.tabs/1',
            t: 'heartbeat',
            from: 'A',
            kind: 'tab',
            term: a.election.leader?.term,
            seq: 7
        });
        await settle();
        expect(browser.bus.sent('B', 'hello').length).toBe(hellos + 1);
        expect(b.election.state).toEqual(a.phone);
        // a heartbeat that matches what B has seen asks nothing
        await elapse(1000);
        expect(browser.bus.sent('B', 'hello').length).toBe(hellos + 1);
    });

    it('a window asking for a handover while the leader closes gets leadership through the queue', async () => {
        const browser = new SimBrowser();
        const a = browser.open('A');
        const popout = browser.open('P', 'popout');
        await settle();
        browser.bus.freezeTab('A'); // the request is never answered...
        const outcome = popout.election.requestLeadership();
        await settle();
        a.crash(); // ...because the leader's tab goes away
        await settle();
        await expect(outcome).resolves.toEqual({ granted: true });
        expect(popout.of('becameLeader')[0].reason).toBe('leader-gone');
        expect(browser.leaders()).toEqual(['P']);
    });

    describe('commands', () => {
        it('are forwarded to the leader, run once, and answered', async () => {
            const browser = new SimBrowser();
            const [leader, b, popout] = [browser.open('A'), browser.open('B'), browser.open('P', 'popout')];
            await settle();
            leader.update({ call: { id: 'int-7', state: 'ringing' } });
            await settle();

            const answered = b.election.sendCommand({ type: 'answer', callId: 'int-7' });
            await settle();
            await expect(answered).resolves.toEqual({ answeredBy: 'A' });
            expect(leader.executed).toEqual([{ type: 'answer', callId: 'int-7' }]);
            expect(leader.of('commandReceived')).toEqual([
                { id: 'B#1', command: { type: 'answer', callId: 'int-7' }, from: { id: 'B', kind: 'tab' } }
            ]);
            expect(b.executed).toEqual([]);
            expect(popout.executed).toEqual([]);
            expect(popout.election.state?.call).toEqual({ id: 'int-7', state: 'active' });

            const status = popout.election.sendCommand({ type: 'setStatus', status: 'Ready' });
            await settle();
            await expect(status).resolves.toEqual({ status: 'Ready' });
        });

        it("the leader's own commands run locally", async () => {
            const browser = new SimBrowser();
            const leader = browser.open('A');
            await settle();
            await expect(
                leader.election.sendCommand({ type: 'dial', number: '+48600700800' })
            ).resolves.toEqual({
                dialled: '+48600700800'
            });
            expect(leader.of('commandReceived')[0].from).toEqual({ id: 'A', kind: 'tab' });
        });

        it('a failing handler rejects with CommandError "failed"', async () => {
            const browser = new SimBrowser();
            browser.open('A');
            const b = browser.open('B');
            await settle();
            const result = b.election.sendCommand({ type: 'explode' });
            const assertion = expect(result).rejects.toMatchObject({
                code: 'failed',
                message: 'microphone blocked'
            });
            await settle();
            await assertion;
            await expect(result).rejects.toBeInstanceOf(CommandError);
        });

        it('time out when the leader does not answer', async () => {
            const browser = new SimBrowser();
            browser.open('A');
            const b = browser.open('B');
            await settle();
            const result = b.election.sendCommand({ type: 'never' }, { timeoutMs: 3000 });
            const assertion = expect(result).rejects.toMatchObject({ code: 'timeout' });
            await elapse(2999);
            await elapse(1);
            await assertion;
        });

        it('pending commands fail with "leader-gone" when the leader leaves', async () => {
            const browser = new SimBrowser();
            const leader = browser.open('A');
            const b = browser.open('B');
            await settle();
            const result = b.election.sendCommand({ type: 'never' });
            const assertion = expect(result).rejects.toMatchObject({ code: 'leader-gone' });
            await settle();
            leader.close();
            await settle();
            await assertion;
        });

        it('reject after stop, and without a handler say so', async () => {
            const browser = new SimBrowser();
            browser.open('A');
            const b = browser.open('B');
            await settle();
            b.election.stop();
            await expect(b.election.sendCommand({ type: 'hangup' })).rejects.toMatchObject({
                code: 'not-running'
            });

            const bare = new TabElection<PhoneState, PhoneCommand>({
                orgId: ORG,
                userId: 'other-user',
                secret: SECRET,
                tabId: 'X',
                locks: browser.locks.forTab('X'),
                createChannel: browser.bus.factoryFor('X')
            });
            bare.start();
            await settle();
            await expect(bare.sendCommand({ type: 'hangup' })).rejects.toMatchObject({ code: 'no-handler' });
        });
    });

    describe('leader goes away', () => {
        it('leader closes: exactly one new leader, the next in line, with the last known state', async () => {
            const browser = new SimBrowser();
            const [a, b, c] = [browser.open('A'), browser.open('B'), browser.open('C')];
            await settle();
            a.update({ status: 'Ready' });
            await settle();

            a.close();
            await settle();
            expect(browser.leaders()).toEqual(['B']);
            expect(a.of('lostLeadership')).toEqual([{ reason: 'pagehide' }]);
            expect(a.resigned).toEqual(['pagehide']);
            const became = b.of('becameLeader');
            expect(became).toHaveLength(1);
            expect(became[0]).toMatchObject({
                reason: 'leader-gone',
                previousLeader: { id: 'A', kind: 'tab' },
                lastKnownState: { status: 'Ready' }
            });
            expect(c.election.leader?.id).toBe('B');
            expect(c.election.role).toBe(TabRole.Follower);
            expect(browser.doubleRegistration).toBeNull();
        });

        it('leader crashes without pagehide: the browser releases the lock and the next takes over', async () => {
            const browser = new SimBrowser();
            const [a, b, c] = [browser.open('A'), browser.open('B'), browser.open('C')];
            await settle();
            a.crash();
            await settle();
            expect(browser.leaders()).toEqual(['B']);
            expect(b.of('becameLeader')[0].reason).toBe('leader-gone');
            expect(c.election.leader?.id).toBe('B');
            b.crash();
            await settle();
            expect(browser.leaders()).toEqual(['C']);
        });

        it('fault case 20: two tabs + pop-out, a call rings, is answered once, the leader closes', async () => {
            const browser = new SimBrowser();
            const [a, b, popout] = [browser.open('A'), browser.open('B'), browser.open('P', 'popout')];
            await settle();
            a.update({ call: { id: 'int-20', state: 'ringing' } });
            await settle();
            // every window shows the ringing call; two agents' clicks race, one answer reaches the phone
            expect(b.election.state?.call?.state).toBe('ringing');
            expect(popout.election.state?.call?.state).toBe('ringing');
            const fromB = b.election.sendCommand({ type: 'answer', callId: 'int-20' });
            await settle();
            await expect(fromB).resolves.toEqual({ answeredBy: 'A' });
            expect(a.executed.filter((c) => c.type === 'answer')).toHaveLength(1);

            a.close();
            await settle();
            expect(browser.leaders()).toEqual(['B']);
            const became = b.of('becameLeader')[0] as BecameLeaderEvent<PhoneState>;
            expect(became.lastKnownState?.call).toEqual({ id: 'int-20', state: 'active' });
            // the new leader starts with no call and its own registration only
            expect(b.phone.call).toBeNull();
            expect(b.election.state?.call).toBeNull();
            expect([...browser.registered]).toEqual(['B']);
            expect(browser.doubleRegistration).toBeNull();
            await settle();
            expect(popout.election.state).toEqual({ registered: true, call: null, status: 'NotReady' });
        });

        it('a new leader takes over well within 3 s', async () => {
            const browser = new SimBrowser();
            const a = browser.open('A');
            const b = browser.open('B');
            await settle();
            const closedAt = Date.now();
            a.close();
            let tookOverAt: number | undefined;
            b.election.on('becameLeader', () => (tookOverAt = Date.now()));
            await elapse(3000);
            expect(tookOverAt).toBeDefined();
            expect((tookOverAt as number) - closedAt).toBeLessThan(3000);
        });
    });

    describe('frozen leader', () => {
        it('followers warn after missing heartbeats, never steal, and recover when it thaws', async () => {
            const browser = new SimBrowser();
            const a = browser.open('A');
            const b = browser.open('B');
            await settle();
            browser.bus.freezeTab('A');

            await elapse(4000);
            expect(b.election.leader?.responsive).toBe(true);
            await elapse(3000);
            expect(b.election.leader).toMatchObject({ id: 'A', responsive: false });
            expect(b.of('leaderChanged').at(-1)).toMatchObject({ leader: { id: 'A', responsive: false } });

            await elapse(60_000);
            expect(browser.leaders()).toEqual(['A']); // still holds the lock: nobody takes over
            expect(b.election.role).toBe(TabRole.Follower);
            expect(browser.doubleRegistration).toBeNull();

            browser.bus.thawTab('A');
            await elapse(1000);
            expect(b.election.leader).toMatchObject({ id: 'A', responsive: true });
            expect(a.election.isLeader).toBe(true);
        });
    });

    describe('voluntary handover (pop-out)', () => {
        it('an idle leader hands over to the pop-out, which jumps the queue', async () => {
            const browser = new SimBrowser();
            const [a, b, c] = [browser.open('A'), browser.open('B'), browser.open('C')];
            await settle();
            a.update({ status: 'Ready' });
            await settle();
            const popout = browser.open('P', 'popout');
            await settle();

            const outcome = popout.election.requestLeadership();
            await settle();
            await expect(outcome).resolves.toEqual({ granted: true });
            expect(browser.leaders()).toEqual(['P']);
            expect(a.of('lostLeadership')).toEqual([{ reason: 'handover', to: { id: 'P', kind: 'popout' } }]);
            expect(a.resigned).toEqual(['handover']);
            expect(a.election.role).toBe(TabRole.Follower);
            expect(popout.of('becameLeader')).toEqual([
                {
                    reason: 'handover',
                    degraded: false,
                    previousLeader: { id: 'A', kind: 'tab' },
                    lastKnownState: { registered: false, call: null, status: 'Ready' }
                }
            ]);
            expect(browser.locks.grants.at(-1)).toEqual({ name: LOCK, tabId: 'P', stolen: true });
            expect(browser.doubleRegistration).toBeNull();
            for (const tab of [a, b, c]) expect(tab.election.leader?.id).toBe('P');

            // the old leader queued again, behind the others
            expect(browser.locks.queueOf(LOCK)).toEqual(['B', 'C', 'A']);
            await elapse(10_000);
            expect(browser.leaders()).toEqual(['P']);
            expect(a.of('becameLeader')).toHaveLength(1);
        });

        it('is refused during a call', async () => {
            const browser = new SimBrowser();
            const a = browser.open('A');
            const popout = browser.open('P', 'popout');
            await settle();
            a.update({ call: { id: 'int-9', state: 'active' } });
            const outcome = popout.election.requestLeadership();
            await settle();
            await expect(outcome).resolves.toEqual({ granted: false, reason: 'call-in-progress' });
            expect(browser.leaders()).toEqual(['A']);
            expect(a.resigned).toEqual([]);
            expect(a.of('lostLeadership')).toEqual([]);
        });

        it('gets no answer from a frozen leader and does not steal', async () => {
            const browser = new SimBrowser();
            browser.open('A');
            const popout = browser.open('P', 'popout');
            await settle();
            browser.bus.freezeTab('A');
            const outcome = popout.election.requestLeadership();
            await elapse(5000);
            await expect(outcome).resolves.toEqual({ granted: false, reason: 'no-answer' });
            expect(browser.locks.holderOf(LOCK)).toBe('A');
        });

        it('the old leader resumes when the requester vanishes before taking over', async () => {
            const browser = new SimBrowser();
            const a = browser.open('A');
            const b = browser.open('B');
            const popout = browser.open('P', 'popout');
            await settle();
            void popout.election.requestLeadership();
            popout.crash();
            await settle();
            expect(a.election.role).toBe(TabRole.HandingOver);
            expect(a.election.isLeader).toBe(false);
            await elapse(5000);
            expect(a.election.isLeader).toBe(true);
            expect(a.of('becameLeader').map((e) => e.reason)).toEqual(['initial', 'handover-aborted']);
            expect(browser.leaders()).toEqual(['A']);
            expect(b.election.leader?.id).toBe('A');
        });

        it('a second request during a handover is refused; the leader itself is already leader', async () => {
            const browser = new SimBrowser();
            const a = browser.open('A');
            const b = browser.open('B');
            const popout = browser.open('P', 'popout');
            await settle();
            const first = popout.election.requestLeadership();
            const second = b.election.requestLeadership();
            await settle();
            await expect(first).resolves.toEqual({ granted: true });
            await expect(second).resolves.toEqual({ granted: false, reason: 'handover-in-progress' });
            await expect(popout.election.requestLeadership()).resolves.toEqual({ granted: true });
            expect(browser.leaders()).toEqual(['P']);
            expect(a.election.role).toBe(TabRole.Follower);
        });

        it('commands reaching a leader that is handing over are refused, not run', async () => {
            const browser = new SimBrowser();
            const a = browser.open('A');
            const b = browser.open('B');
            const popout = browser.open('P', 'popout');
            await settle();
            void popout.election.requestLeadership();
            popout.crash();
            await settle();
            expect(a.election.role).toBe(TabRole.HandingOver);
            const result = b.election.sendCommand({ type: 'dial', number: '+48600700800' });
            const assertion = expect(result).rejects.toMatchObject({ code: 'handing-over' });
            await settle();
            await assertion;
            expect(a.executed).toEqual([]);
            await expect(a.election.sendCommand({ type: 'hangup' })).rejects.toMatchObject({
                code: 'handing-over'
            });
        });
    });

    describe('page lifecycle', () => {
        it('hidden: the leader re-broadcasts its state but keeps leading', async () => {
            const browser = new SimBrowser();
            const a = browser.open('A');
            browser.open('B');
            await settle();
            const before = browser.bus.sent('A', 'state').length;
            a.lifecycle.fire({ type: 'visibilitychange', hidden: true });
            expect(browser.bus.sent('A', 'state').length).toBe(before + 1);
            expect(a.election.isLeader).toBe(true);
        });

        it('back from the bfcache: rejoins as a follower', async () => {
            const browser = new SimBrowser();
            const a = browser.open('A');
            const b = browser.open('B');
            await settle();
            a.lifecycle.fire({ type: 'pagehide', persisted: true });
            await settle();
            expect(a.election.role).toBe(TabRole.Stopped);
            expect(browser.leaders()).toEqual(['B']);
            a.lifecycle.fire({ type: 'pageshow', persisted: true });
            await settle();
            expect(a.election.role).toBe(TabRole.Follower);
            expect(a.election.leader?.id).toBe('B');
            expect(a.election.state).toEqual(b.election.state);
            expect(browser.leaders()).toEqual(['B']);
        });

        it('stop() resigns, another tab takes over; start() again joins as follower', async () => {
            const browser = new SimBrowser();
            const a = browser.open('A');
            const b = browser.open('B');
            await settle();
            a.election.stop();
            a.election.stop();
            await settle();
            expect(a.of('lostLeadership')).toEqual([{ reason: 'stopped' }]);
            expect(b.election.isLeader).toBe(true);
            a.lifecycle.fire({ type: 'pageshow', persisted: true }); // no restart after an explicit stop
            expect(a.election.role).toBe(TabRole.Stopped);
            a.election.start();
            await settle();
            expect(a.election.role).toBe(TabRole.Follower);
        });
    });

    it('a leader whose lock is stolen steps down and queues again', async () => {
        const browser = new SimBrowser();
        const a = browser.open('A');
        const b = browser.open('B');
        await settle();
        let release!: () => void;
        void browser.locks
            .forTab('intruder')
            .request(LOCK, { steal: true }, () => new Promise<void>((resolve) => (release = resolve)));
        await settle();
        expect(a.of('lostLeadership')).toEqual([{ reason: 'superseded' }]);
        expect(a.resigned).toEqual(['superseded']);
        expect(browser.leaders()).toEqual([]);
        release();
        await settle();
        expect(browser.leaders()).toEqual(['B']);
        expect(b.of('becameLeader')[0].reason).toBe('leader-gone');
    });

    it('elections of different users do not interfere', async () => {
        const browser = new SimBrowser();
        browser.open('A');
        browser.open('B', 'tab', { userId: '005000000000002' });
        await settle();
        expect(browser.leaders().sort()).toEqual(['A', 'B']);
    });

    it('ignores foreign and malformed messages', async () => {
        const browser = new SimBrowser();
        const a = browser.open('A');
        const b = browser.open('B');
        await settle();
        const rogue = browser.bus.factoryFor('rogue')(CHANNEL);
        for (const junk of [
            null,
            'hello',
            { p: 'other', t: 'leader', from: 'X', kind: 'tab', term: 9e15 },
            { p: 'ccphone.tabs/1', t: 'leader', from: 'X', kind: 'tab' },
            { p: 'ccphone.tabs/1', t: 'leader', from: 'X', kind: 'window', term: 9e15 },
            { p: 'ccphone.tabs/1', t: 'state', from: 'X', kind: 'tab', term: 9e15 },
            { p: 'ccphone.tabs/1', t: 'command', from: 'X', kind: 'tab', to: null },
            { p: 'ccphone.tabs/1', t: 'nonsense', from: 'X', kind: 'tab' }
        ]) {
            rogue.postMessage(junk);
        }
        await settle();
        expect(a.election.isLeader).toBe(true);
        expect(b.election.leader?.id).toBe('A');
        expect(a.executed).toEqual([]);
    });

    it('two windows that each created a secret at the same moment converge on the stored one: one leader', async () => {
        const browser = new SimBrowser();
        const mine = { channelKey: 'a'.repeat(32), lockKey: 'b'.repeat(32) };
        const theirs = { channelKey: 'c'.repeat(32), lockKey: 'd'.repeat(32) };
        let stored = mine; // what storage holds; B has not seen A's write yet when it starts
        const a = browser.open('A', 'tab', { secret: () => stored });
        let bSees: typeof mine | null = null;
        const b = browser.open('B', 'tab', { secret: () => bSees ?? theirs });
        await settle();
        expect(browser.leaders().sort()).toEqual(['A', 'B']); // the race: two leaders, two registrations
        stored = theirs; // B's write was the last one: that is what every window reads from now on
        bSees = theirs;
        await elapse(3_000);
        expect(browser.leaders()).toHaveLength(1);
        expect(a.election.lockName).toBe(b.election.lockName);
        expect(a.election.channelName).toContain(theirs.channelKey);
        expect(browser.registered.size).toBe(1);
    });

    describe('ending the election for every window (sign-out)', () => {
        it('the leader ends it: every follower stops and none takes the lock', async () => {
            const browser = new SimBrowser();
            const [a, b, c] = [browser.open('A'), browser.open('B'), browser.open('C')];
            await settle();
            a.election.endForAll();
            await elapse(10_000);
            for (const tab of [a, b, c]) expect(tab.election.role).toBe(TabRole.Stopped);
            expect(b.of('ended')).toEqual([{ by: { id: 'A', kind: 'tab' } }]);
            expect(browser.leaders()).toEqual([]);
            expect(b.of('becameLeader')).toEqual([]);
            expect(c.of('becameLeader')).toEqual([]);
        });

        it('an end from a window that is not the leader is ignored', async () => {
            const browser = new SimBrowser();
            const a = browser.open('A');
            const b = browser.open('B');
            await settle();
            const wire = browser.bus.factoryFor('wire')(CHANNEL);
            wire.postMessage({ p: 'ccphone.tabs/1', t: 'end', from: 'X', kind: 'tab', term: 9e15 });
            await settle();
            expect(a.election.isLeader).toBe(true);
            expect(b.election.role).toBe(TabRole.Follower);
            expect(b.of('ended')).toEqual([]);
        });
    });

    describe('missing APIs: degraded, this window leads on its own', () => {
        it('no Web Locks', async () => {
            const browser = new SimBrowser();
            const tab = new SimTab(browser, 'A', 'tab', { locks: null });
            tab.election.start();
            expect(tab.election.isLeader).toBe(true);
            expect(tab.election.degraded).toBe(true);
            expect(tab.election.degradedReason).toBe('no-web-locks');
            expect(tab.of('becameLeader')).toEqual([{ reason: 'degraded', degraded: true }]);
            await expect(tab.election.sendCommand({ type: 'setStatus', status: 'Ready' })).resolves.toEqual({
                status: 'Ready'
            });
            expect(tab.election.state?.status).toBe('Ready');
        });

        it('no BroadcastChannel', () => {
            const election = new TabElection({
                orgId: ORG,
                userId: USER,
                secret: SECRET,
                locks: new FakeLockManager().forTab('A'),
                createChannel: null
            });
            election.start();
            expect(election.isLeader).toBe(true);
            expect(election.degradedReason).toBe('no-broadcast-channel');
        });

        it('BroadcastChannel constructor throws', () => {
            const election = new TabElection({
                orgId: ORG,
                userId: USER,
                secret: SECRET,
                locks: new FakeLockManager().forTab('A'),
                createChannel: () => {
                    throw new DOMException('blocked', 'SecurityError');
                }
            });
            election.start();
            expect(election.degradedReason).toBe('no-broadcast-channel');
        });

        it('the lock request fails (e.g. SecurityError in an opaque origin)', async () => {
            const browser = new SimBrowser();
            const election = new TabElection({
                orgId: ORG,
                userId: USER,
                secret: SECRET,
                locks: { request: () => Promise.reject(new DOMException('denied', 'SecurityError')) },
                createChannel: browser.bus.factoryFor('A')
            });
            election.start();
            expect(election.role).toBe(TabRole.Follower);
            await settle();
            expect(election.isLeader).toBe(true);
            expect(election.degradedReason).toBe('lock-request-failed');
        });

        it('no shared secret: degraded, never a guessable lock or channel name', () => {
            const browser = new SimBrowser();
            const election = new TabElection({
                orgId: ORG,
                userId: USER,
                secret: null,
                locks: browser.locks.forTab('A'),
                createChannel: browser.bus.factoryFor('A')
            });
            election.start();
            expect(election.degradedReason).toBe('no-shared-secret');
            expect(election.lockName).toBe('');
            expect(browser.locks.grants).toEqual([]);
            expect(browser.bus.log).toEqual([]);
        });

        it('stop() of a degraded leader', () => {
            const election = new TabElection({
                orgId: ORG,
                userId: USER,
                secret: SECRET,
                locks: null,
                createChannel: null
            });
            const lost: unknown[] = [];
            election.on('lostLeadership', (e) => lost.push(e));
            election.start();
            election.stop();
            expect(lost).toEqual([{ reason: 'stopped' }]);
            expect(election.role).toBe(TabRole.Stopped);
        });
    });

    it('needs an org and a user', () => {
        expect(
            () =>
                new TabElection({ orgId: '', userId: USER, secret: SECRET, locks: null, createChannel: null })
        ).toThrow(TypeError);
    });
});

describe('browser ports', () => {
    it('detects the APIs', () => {
        const locks: LockManagerPort = { request: () => Promise.resolve() };
        class Channel implements BroadcastChannelPort {
            constructor(readonly name: string) {}
            postMessage(): void {}
            close(): void {}
            addEventListener(): void {}
            removeEventListener(): void {}
        }
        const ports = browserTabElectionPorts({ navigator: { locks }, BroadcastChannel: Channel });
        expect(ports.locks).toBe(locks);
        expect((ports.createChannel?.('x') as Channel).name).toBe('x');
        expect(ports.lifecycle).toBeUndefined();

        expect(browserTabElectionPorts({})).toEqual({
            locks: null,
            createChannel: null,
            lifecycle: undefined
        });
        expect(browserTabElectionPorts({ navigator: {} }).locks).toBeNull();
    });

    it('maps pagehide, pageshow and visibilitychange', () => {
        const listeners = new Map<string, (event: unknown) => void>();
        const target = (): EventTargetLike => ({
            addEventListener: (type, listener) => listeners.set(type, listener),
            removeEventListener: (type) => listeners.delete(type)
        });
        const doc = { ...target(), visibilityState: 'visible' };
        const seen: PageLifecycleEvent[] = [];
        const off = browserPageLifecycle(target(), doc).subscribe((e) => seen.push(e));
        listeners.get('pagehide')?.({ persisted: true });
        listeners.get('pageshow')?.({});
        doc.visibilityState = 'hidden';
        listeners.get('visibilitychange')?.({});
        expect(seen).toEqual([
            { type: 'pagehide', persisted: true },
            { type: 'pageshow', persisted: false },
            { type: 'visibilitychange', hidden: true }
        ]);
        off();
        expect(listeners.size).toBe(0);
    });

    it('the real DOM types fit the ports (compile-time check)', () => {
        const fits = (
            locks: LockManager,
            channel: BroadcastChannel,
            win: Window,
            doc: Document
        ): unknown[] => {
            const lockPort: LockManagerPort = locks;
            const channelPort: BroadcastChannelPort = channel;
            const winTarget: EventTargetLike = win;
            const docTarget: EventTargetLike = doc;
            return [lockPort, channelPort, winTarget, docTarget];
        };
        expect(typeof fits).toBe('function');
    });
});
