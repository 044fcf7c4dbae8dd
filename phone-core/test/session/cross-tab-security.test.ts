/**
 * Finding 2 (issue 11): a foreign script on the same origin (any BroadcastChannel / Web Locks user of the
 * Lightning page that cannot read this namespace's storage) cannot dial, transfer, take the leader lock or read
 * caller data, and a tab of the agent's own can forward only allow-listed, well-formed commands.
 */
import { electionSecretKey } from '../../src/tabs/election-secret';
import { forwardedCommand, FORWARDABLE_COMMANDS } from '../../src/session/session-commands';
import { ORG, SimWorld, USER, ccHeaders } from './session-world';

beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2024, 4, 1, 9, 0, 0) }));
afterEach(() => jest.useRealTimers());

const SCOPE = `${ORG}:${USER}`;
/** Names a script could build from what the page shows (host, org id, user id): the pre-fix scheme. */
const GUESSED_CHANNELS = [`ccphone:phone:${ORG}:${USER}`, `ccphone:phone:${ORG}:${USER}:`];
const GUESSED_LOCK = `ccphone:phone-leader:${ORG}:${USER}`;

function command(id: string, body: Record<string, unknown>): Record<string, unknown> {
    return { p: 'ccphone.tabs/1', t: 'command', id, to: null, from: 'evil', kind: 'tab', command: body };
}

describe('a foreign script on the same origin', () => {
    it('hears nothing of a call on any name it can guess, and its dial and transfer are never run', async () => {
        const world = new SimWorld();
        world.host.matches = () => [
            { id: '003000000000001AAA', objectType: 'Contact', name: 'Jan Kowalski' }
        ];
        const a = world.open('A');
        const b = world.open('B');
        await world.advance(100);
        await world.settle(a.session.setStatus({ status: 'Ready' }));

        const heard: unknown[] = [];
        const foreign = world.bus.factoryFor('evil');
        const listeners = GUESSED_CHANNELS.map((name) => {
            const channel = foreign(name);
            channel.addEventListener('message', (event) => heard.push(event.data));
            return channel;
        });
        await world.ring({ headers: ccHeaders('int-secret') });
        const answering = b.session.answer();
        await world.advance(10);
        expect(await answering).toMatchObject({ ok: true });
        expect(b.state().calls[0].caller.name).toBe('Jan Kowalski'); // the agent's own tab sees the caller

        const invitesBefore = world.server.requests('INVITE').length;
        const refersBefore = world.server.requests('REFER').length;
        for (const channel of listeners) {
            channel.postMessage(command('evil#1', { type: 'dial', number: '+48600700800' }));
            channel.postMessage(command('evil#2', { type: 'blindTransfer', target: '+48600700801' }));
            channel.postMessage({ p: 'ccphone.tabs/1', t: 'hello', from: 'evil', kind: 'tab' });
        }
        await world.advance(100);

        expect(heard.filter((m) => (m as { from?: string }).from !== 'evil')).toEqual([]);
        expect(JSON.stringify(heard)).not.toContain('Kowalski');
        expect(world.server.requests('INVITE').length).toBe(invitesBefore);
        expect(world.server.requests('REFER').length).toBe(refersBefore);
        expect(a.state().calls).toHaveLength(1);
        expect(a.state().calls[0].state).toBe('Connected');

        // the agent's own channel did carry the caller: the secret name is what keeps it from the page
        const own = world.bus.log.filter(
            (m) => m.tabId === 'A' && JSON.stringify(m.data).includes('Kowalski')
        );
        expect(own.length).toBeGreaterThan(0);
        for (const m of own) expect(GUESSED_CHANNELS).not.toContain(m.name);
        await world.shutdown();
    });

    it('cannot take the leader lock: the guessed name is not the phone lock, and the listed lock name does not open the channel', async () => {
        const world = new SimWorld();
        const foreignLocks = world.locks.forTab('evil');
        let foreignHeld = false;
        void foreignLocks.request(GUESSED_LOCK, { mode: 'exclusive', steal: true }, () => {
            foreignHeld = true;
            return new Promise(() => undefined); // holds it forever
        });
        await world.advance(0);
        expect(foreignHeld).toBe(true);

        const a = world.open('A');
        const b = world.open('B');
        await world.advance(100);
        expect(a.state()).toMatchObject({ role: 'leader', started: true });
        expect(b.state()).toMatchObject({ role: 'follower' });

        // what navigator.locks.query() would show a foreign script: the names held
        const listed = world.locks.grants.map((g) => g.name).filter((name) => name !== GUESSED_LOCK);
        expect(listed).toHaveLength(1);
        const secret = JSON.parse(world.storage.getItem(electionSecretKey(SCOPE)) ?? '{}') as {
            channelKey: string;
            lockKey: string;
        };
        expect(listed[0]).toContain(secret.lockKey);
        expect(listed[0]).not.toContain(secret.channelKey);
        const channels = new Set(world.bus.log.filter((m) => m.tabId === 'A').map((m) => m.name));
        expect([...channels]).toEqual([`ccphone:phone:${ORG}:${USER}:${secret.channelKey}`]);
        await world.shutdown();
    });

    it('without storage no tab shares a secret: each tab runs degraded instead of using a guessable name', async () => {
        const world = new SimWorld();
        const storageless = world.open('A', { storage: null });
        await world.advance(100);
        expect(storageless.state().role).toBe('degraded');
        expect(storageless.state().warnings).toContain('multiple-tabs-may-register');
        expect(world.bus.log).toEqual([]);
        expect(world.locks.grants).toEqual([]);
        await world.shutdown();
    });
});

describe('commands another tab forwards', () => {
    it('are allow-listed and must be well formed', () => {
        expect(forwardedCommand({ type: 'dial', number: '+48600700800' })).toEqual({
            type: 'dial',
            number: '+48600700800'
        });
        expect(forwardedCommand({ type: 'hangup' })).toEqual({ type: 'hangup' });
        for (const bad of [
            null,
            'dial',
            [],
            { type: 'constructor' },
            { type: 'toString' },
            { type: 'purgeEverything' },
            { type: 'dial', number: 42 },
            { type: 'dial', number: 'x'.repeat(300) },
            { type: 'blindTransfer', target: { sip: 'x' } },
            { type: 'setStatus', request: 'Ready' },
            { type: 'requestCallback', interactionId: 'i', requested: 'yes' }
        ]) {
            expect(forwardedCommand(bad)).toBeNull();
        }
        expect(Object.values(FORWARDABLE_COMMANDS).every((allowed) => typeof allowed === 'boolean')).toBe(
            true
        );
    });

    it('a follower forwarding a command off the list gets invalid-argument and nothing runs', async () => {
        const world = new SimWorld();
        const a = world.open('A');
        const b = world.open('B');
        await world.advance(100);
        const result = b.session.send({ type: 'purgeEverything' } as never);
        expect(await world.settle(result)).toMatchObject({ ok: false, error: 'invalid-argument' });
        expect(a.state().started).toBe(true);
        await world.shutdown();
    });
});
