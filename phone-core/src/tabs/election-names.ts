/**
 * The names the tab election runs under (B1): `ElectionNames` is the one owner of the secret this window joined
 * with (election-secret.ts) and derives the Web Lock and BroadcastChannel names from it, scoped by org and user.
 * A window whose secret is not the stored one any more ({@link ElectionNames.moved}) joins again under the stored
 * one: see the `secret` option of {@link TabElection} (tab-election.ts).
 */
import type { ElectionSecret } from './election-secret';

/** Where the secret comes from: a fixed one, none, or a function read at every join and heartbeat. */
export type ElectionSecretSource = ElectionSecret | null | undefined | (() => ElectionSecret | null);

/** The secret and names of one window's election; see the module documentation. */
export class ElectionNames {
    private readonly orgId: string;
    private readonly userId: string;
    private readonly source: ElectionSecretSource;
    private secret: ElectionSecret | null;

    constructor(orgId: string, userId: string, source: ElectionSecretSource) {
        this.orgId = orgId;
        this.userId = userId;
        this.source = source;
        this.secret = this.readSecret();
    }

    /** Web Lock name (scoped by org, user and the secret's lock key); empty without a secret. */
    get lockName(): string {
        return this.secret ? `ccphone:phone-leader:${this.orgId}:${this.userId}:${this.secret.lockKey}` : '';
    }

    /** BroadcastChannel name (scoped by org, user and the secret's channel key); empty without a secret. */
    get channelName(): string {
        return this.secret ? `ccphone:phone:${this.orgId}:${this.userId}:${this.secret.channelKey}` : '';
    }

    /** Read the stored secret again (at every join). @returns false when there is none to share */
    refresh(): boolean {
        this.secret = this.readSecret();
        return this.secret !== null;
    }

    /** The stored secret is not the one this window runs under (see the `secret` option). */
    moved(): boolean {
        if (typeof this.source !== 'function' || !this.secret) return false;
        const stored = this.readSecret();
        return (
            stored !== null &&
            (stored.channelKey !== this.secret.channelKey || stored.lockKey !== this.secret.lockKey)
        );
    }

    private readSecret(): ElectionSecret | null {
        const source = this.source;
        if (typeof source !== 'function') return source ?? null;
        try {
            return source();
        } catch {
            return null;
        }
    }
}
