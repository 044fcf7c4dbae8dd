import { isDeadSocketResult, OptionsKeepalive, type ProbeResult } from '../../src/sip/keepalive';
import { systemClock } from '../../src/util/clock';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

async function flush(ms = 0): Promise<void> {
    await jest.advanceTimersByTimeAsync(ms);
}

describe('isDeadSocketResult', () => {
    it.each<[ProbeResult, boolean]>([
        [200, false],
        [404, false],
        [484, false],
        [401, false],
        [408, true],
        [503, true],
        ['timeout', true]
    ])('%p -> dead %p', (result, dead) => {
        expect(isDeadSocketResult(result)).toBe(dead);
    });
});

describe('OptionsKeepalive', () => {
    function setup(answer: () => Promise<number>) {
        const dead: ProbeResult[] = [];
        let probes = 0;
        const keepalive = new OptionsKeepalive({
            clock: systemClock,
            intervalMs: 20000,
            timeoutMs: 5000,
            probe: () => {
                probes++;
                return answer();
            },
            onDead: (result) => dead.push(result)
        });
        return { keepalive, dead, probes: () => probes };
    }

    it('probes every interval while the server answers', async () => {
        const { keepalive, dead, probes } = setup(() => Promise.resolve(200));
        keepalive.start();
        await flush(19999);
        expect(probes()).toBe(0);
        await flush(1);
        expect(probes()).toBe(1);
        await flush(20000 * 3);
        expect(probes()).toBe(4);
        expect(dead).toEqual([]);
        expect(keepalive.isRunning).toBe(true);
    });

    it.each([408, 503])('a %p answer means a dead socket', async (status) => {
        const { keepalive, dead } = setup(() => Promise.resolve(status));
        keepalive.start();
        await flush(20000);
        expect(dead).toEqual([status]);
        expect(keepalive.isRunning).toBe(false);
    });

    it('no answer within the timeout means a dead socket, reported once', async () => {
        const { keepalive, dead, probes } = setup(() => new Promise<number>(() => undefined));
        keepalive.start();
        await flush(20000 + 4999);
        expect(dead).toEqual([]);
        await flush(1);
        expect(dead).toEqual(['timeout']);
        await flush(100000);
        expect(probes()).toBe(1);
    });

    it('a rejected probe counts as 503', async () => {
        const { keepalive, dead } = setup(() => Promise.reject(new Error('send failed')));
        keepalive.start();
        await flush(20000);
        expect(dead).toEqual([503]);
    });

    it('probeNow() checks at once; stop() ignores the answer still in flight', async () => {
        let answer: ((code: number) => void) | undefined;
        const { keepalive, dead, probes } = setup(
            () =>
                new Promise<number>((resolve) => {
                    answer = resolve;
                })
        );
        keepalive.start();
        keepalive.probeNow();
        expect(probes()).toBe(1);
        keepalive.probeNow(); // one in flight already
        expect(probes()).toBe(1);
        keepalive.stop();
        answer?.(503);
        await flush(60000);
        expect(dead).toEqual([]);
    });
});
