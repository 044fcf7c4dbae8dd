import { ReconnectPolicy } from '../../src/sip/reconnect-policy';

describe('ReconnectPolicy', () => {
    it.each([
        // random, expected delays of the first 7 attempts (base 1000, cap 30000)
        [0.5, [500, 1000, 2000, 4000, 8000, 15000, 15000]],
        [0.999, [999, 1998, 3996, 7992, 15984, 29970, 29970]],
        [0, [0, 0, 0, 0, 0, 0, 0]]
    ])('full jitter with random %p gives %p', (random, expected) => {
        const policy = new ReconnectPolicy({ random: () => random });
        const delays = expected.map(() => policy.nextDelayMs());
        expect(delays).toEqual(expected);
        expect(policy.attempts).toBe(expected.length);
    });

    it('never exceeds the cap, whatever the attempt count', () => {
        const policy = new ReconnectPolicy({ baseDelayMs: 1000, maxDelayMs: 30000, random: () => 0.9999999 });
        for (let i = 0; i < 2000; i++) {
            const delay = policy.nextDelayMs();
            expect(delay).toBeLessThan(30000);
            expect(Number.isFinite(delay)).toBe(true);
        }
    });

    it('clamps a misbehaving random source into [0, 1)', () => {
        expect(new ReconnectPolicy({ random: () => 7 }).nextDelayMs()).toBe(999);
        expect(new ReconnectPolicy({ random: () => -1 }).nextDelayMs()).toBe(0);
        expect(new ReconnectPolicy({ random: () => Number.NaN }).nextDelayMs()).toBe(0);
    });

    it('resets the backoff only after a stable connection', () => {
        const policy = new ReconnectPolicy({ random: () => 0.5, stableAfterMs: 60000 });
        policy.nextDelayMs();
        policy.nextDelayMs();
        policy.nextDelayMs();
        // connected for 5 s only: a flapping server keeps the growing backoff
        policy.connected(1000);
        policy.disconnected(6000);
        expect(policy.attempts).toBe(3);
        expect(policy.nextDelayMs()).toBe(4000);
        // connected for 60 s: back to the first step
        policy.connected(10000);
        policy.disconnected(70000);
        expect(policy.attempts).toBe(0);
        expect(policy.nextDelayMs()).toBe(500);
    });

    it('reset() forgets everything', () => {
        const policy = new ReconnectPolicy({ random: () => 0.5 });
        policy.nextDelayMs();
        policy.nextDelayMs();
        policy.reset();
        expect(policy.attempts).toBe(0);
        expect(policy.ceilingMs()).toBe(1000);
    });
});
