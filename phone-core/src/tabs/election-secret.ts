/**
 * The per-user secret that names the tab election's BroadcastChannel and Web Lock (issue 11, finding 2).
 *
 * Why: a BroadcastChannel and a Web Lock are shared by every script of the origin, and every Lightning page
 * shares one origin with other namespaces' components. A name built from host, org and user id is guessable:
 * any script could then listen to the leader's state snapshots (caller numbers, names, notes), forward
 * commands (dial, transfer, dismiss a log) or queue for the leader lock. With a random secret in the names,
 * only code that can read the secret takes part:
 * - **Channel**: `BroadcastChannel` delivers a message only to channel objects constructed with the same
 *   name (https://html.spec.whatwg.org/multipage/web-messaging.html#broadcasting-to-other-browsing-contexts),
 *   and no browser API lists the names in use. 128 random bits in the name make it a capability: a
 *   script without the secret can neither hear the snapshots nor post a command the leader would see.
 * - **Lock**: `navigator.locks.query()` lists the names of held and queued locks to every script of the
 *   origin (https://w3c.github.io/web-locks/), so the lock name must not carry the channel secret. It carries an independent random value: a
 *   script that reads it from `query()` learns nothing about the channel, and a guessed name (host, org, user)
 *   is not the phone's lock. (A script that reads the name and steals the lock can stop this phone from
 *   leading, a denial of service any same-origin script has other ways to cause; it still cannot join the
 *   channel, read state or run commands.)
 *
 * Where it is held: `localStorage`, under a key of this org and user. Under Lightning Web Security each
 * namespace gets synthetic storage whose keys other namespaces cannot read ("localStorage and
 * sessionStorage are partitioned by keys ... key values that are set outside the namespace aren't
 * accessible", https://developer.salesforce.com/docs/platform/lwc/guide/security-lwsec-local-storage.html),
 * and phone-core runs inside the `ccphone` sandbox. `sessionStorage` is partitioned the same way but is per
 * tab, so two tabs of the same agent could never find each other through it; `localStorage` is shared by the
 * agent's tabs of the origin, which is exactly the set that must agree on one leader. Memory only (no
 * storage) cannot be shared between tabs: the election then runs degraded (one phone per tab, with the
 * warning that several tabs may register) rather than fall back to a guessable name.
 *
 * Life: created by the first tab that finds none, read by the others, deleted by "sign out of the phone"
 * ({@link forgetElectionSecret}); the next sign-in creates a new one.
 *
 * @packageDocumentation
 */

/** The two independent random values of the election's names. */
export interface ElectionSecret {
    /** In the BroadcastChannel name: never appears anywhere a foreign script can list. */
    readonly channelKey: string;
    /** In the Web Lock name (listable by `navigator.locks.query()`). */
    readonly lockKey: string;
}

/** The storage the secret lives in (`localStorage`). */
export interface SecretStorage {
    getItem(key: string): string | null;
    setItem(key: string, value: string): void;
    removeItem(key: string): void;
}

/** Fills `bytes` with cryptographically strong random values (`crypto.getRandomValues`). */
export type RandomBytes = (bytes: Uint8Array) => void;

const KEY_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;
/** 16 bytes = 128 bits per key. */
const KEY_BYTES = 16;

/** The storage key of the secret of one org and user. */
export function electionSecretKey(scope: string): string {
    return `ccphone:tabs-secret:${scope}`;
}

/**
 * This user's secret: the stored one, else a new one (stored, then read back so two tabs creating one at
 * the same moment end on the value that stayed). Null when it cannot be shared between tabs (no storage,
 * storage throws, no strong random source).
 */
export function loadElectionSecret(
    storage: SecretStorage | null | undefined,
    scope: string,
    random: RandomBytes | null = browserRandomBytes()
): ElectionSecret | null {
    if (!storage) return null;
    const key = electionSecretKey(scope);
    try {
        const stored = parseSecret(storage.getItem(key));
        if (stored) return stored;
        if (!random) return null;
        const created: ElectionSecret = { channelKey: randomKey(random), lockKey: randomKey(random) };
        storage.setItem(key, JSON.stringify({ v: 1, ...created }));
        return parseSecret(storage.getItem(key));
    } catch {
        return null; // storage disabled or full: no shared secret, the election runs degraded
    }
}

/** Sign-out: the secret goes; the next sign-in creates another. */
export function forgetElectionSecret(storage: SecretStorage | null | undefined, scope: string): void {
    try {
        storage?.removeItem(electionSecretKey(scope));
    } catch {
        // storage unavailable: there is nothing to delete
    }
}

function parseSecret(raw: string | null): ElectionSecret | null {
    if (!raw) return null;
    try {
        const value = JSON.parse(raw) as Partial<ElectionSecret> & { v?: unknown };
        if (
            value.v === 1 &&
            typeof value.channelKey === 'string' &&
            typeof value.lockKey === 'string' &&
            KEY_PATTERN.test(value.channelKey) &&
            KEY_PATTERN.test(value.lockKey) &&
            value.channelKey !== value.lockKey
        ) {
            return { channelKey: value.channelKey, lockKey: value.lockKey };
        }
    } catch {
        // not JSON: replaced below by a new secret
    }
    return null;
}

function randomKey(random: RandomBytes): string {
    const bytes = new Uint8Array(KEY_BYTES);
    random(bytes);
    let text = '';
    for (const byte of bytes) text += byte.toString(16).padStart(2, '0');
    return text;
}

function browserRandomBytes(): RandomBytes | null {
    const crypto = (globalThis as { crypto?: { getRandomValues?: (bytes: Uint8Array) => Uint8Array } })
        .crypto;
    return crypto && typeof crypto.getRandomValues === 'function'
        ? (bytes) => void crypto.getRandomValues!(bytes)
        : null;
}
