import {
    electionSecretKey,
    forgetElectionSecret,
    loadElectionSecret,
    type RandomBytes
} from '../../src/tabs/election-secret';
import { MemoryStorage } from '../fakes/memory-storage';

const SCOPE = '00D000000000001:005000000000001';

/** A deterministic byte source (each call fills with the next counter value). */
function counterBytes(): RandomBytes {
    let n = 0;
    return (bytes) => {
        n++;
        bytes.fill(n);
    };
}

describe('election secret', () => {
    it('is created once, stored under this org and user, and read back by every other tab', () => {
        const storage = new MemoryStorage();
        const first = loadElectionSecret(storage, SCOPE, counterBytes());
        expect(first).toEqual({ channelKey: '01'.repeat(16), lockKey: '02'.repeat(16) });
        expect(JSON.parse(storage.getItem(electionSecretKey(SCOPE)) ?? '')).toMatchObject({ v: 1, ...first });
        // another tab: reads the stored one, never creates a second
        const random = jest.fn<void, [Uint8Array]>();
        expect(loadElectionSecret(storage, SCOPE, random)).toEqual(first);
        expect(random).not.toHaveBeenCalled();
        // another user of the same browser: another secret
        expect(loadElectionSecret(storage, 'org:other-user', counterBytes())).not.toBeNull();
        expect(storage.getItem(electionSecretKey('org:other-user'))).not.toBeNull();
    });

    it('uses the real random source by default: 128 bits per key, channel and lock independent', () => {
        const storage = new MemoryStorage();
        const secret = loadElectionSecret(storage, SCOPE);
        expect(secret?.channelKey).toMatch(/^[0-9a-f]{32}$/);
        expect(secret?.lockKey).toMatch(/^[0-9a-f]{32}$/);
        expect(secret?.channelKey).not.toBe(secret?.lockKey);
    });

    it('replaces a malformed or planted value (too short to be a secret) with a new one', () => {
        for (const planted of ['nonsense', '{"v":1,"channelKey":"a","lockKey":"b"}', '{"v":2}']) {
            const storage = new MemoryStorage();
            storage.setItem(electionSecretKey(SCOPE), planted);
            const secret = loadElectionSecret(storage, SCOPE, counterBytes());
            expect(secret).toEqual({ channelKey: '01'.repeat(16), lockKey: '02'.repeat(16) });
        }
    });

    it('is null without storage, when storage throws, or without a strong random source', () => {
        expect(loadElectionSecret(null, SCOPE, counterBytes())).toBeNull();
        const throwing = {
            getItem: () => {
                throw new DOMException('denied', 'SecurityError');
            },
            setItem: () => undefined,
            removeItem: () => undefined
        };
        expect(loadElectionSecret(throwing, SCOPE, counterBytes())).toBeNull();
        expect(loadElectionSecret(new MemoryStorage(), SCOPE, null)).toBeNull();
    });

    it('is forgotten on sign-out; the next sign-in creates another', () => {
        const storage = new MemoryStorage();
        const before = loadElectionSecret(storage, SCOPE);
        forgetElectionSecret(storage, SCOPE);
        expect(storage.getItem(electionSecretKey(SCOPE))).toBeNull();
        const after = loadElectionSecret(storage, SCOPE);
        expect(after?.channelKey).not.toBe(before?.channelKey);
    });
});
