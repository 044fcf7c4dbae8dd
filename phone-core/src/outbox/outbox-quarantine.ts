/**
 * The outbox's quarantine: owns the `…:q:…` keys where unreadable stored values are moved aside. A stored
 * value that cannot be parsed never crashes the phone: it is copied to a quarantine key, removed from its
 * place and reported (`quarantined`, with the unreadable text). The copy is deleted as soon as a listener heard
 * the report; when nobody listened it stays and is reported again on the next load.
 */
import type { Clock } from '../util/clock';
import { errorText } from './outbox-entry';
import type { OutboxEmitter } from './outbox-events';
import type { OutboxStorage } from './outbox-storage';

/** Quarantine copies of one outbox scope; see the module documentation. */
export class OutboxQuarantine {
    constructor(
        private readonly storage: OutboxStorage,
        private readonly emitter: OutboxEmitter,
        private readonly clock: Clock
    ) {}

    private get prefix(): string {
        return `${this.storage.base}:q:`;
    }

    /** Move an unreadable stored value aside and report it. */
    quarantine(key: string, raw: string, reason: string): void {
        const target = this.prefix + key.slice(this.storage.base.length + 1);
        if (this.storage.present) {
            try {
                this.storage.moveOrThrow(
                    key,
                    target,
                    JSON.stringify({ key, reason, quarantinedAt: this.clock.now(), raw })
                );
            } catch (error) {
                // Keep the original where it is rather than lose it; it is re-reported on the next load.
                this.emitter.emit('storageError', {
                    operation: 'write',
                    key: target,
                    message: errorText(error)
                });
            }
        }
        const heard = this.emitter.listenerCount('quarantined') > 0;
        this.emitter.emit('quarantined', { key, reason, raw });
        // reported: the copy has done its job; nobody listening: it stays for the next load to report
        if (heard && this.storage.present) this.storage.removeKey(target);
    }

    /** Quarantine copies nobody heard about (no listener then, or an older version): report, then delete. */
    reportLeftovers(): void {
        for (const key of this.storage.scopeKeys()) {
            if (!key.startsWith(this.prefix)) continue;
            const text = this.storage.read(key);
            if (text === null) continue;
            let copy: { key?: unknown; reason?: unknown; raw?: unknown } = {};
            try {
                copy = JSON.parse(text) as typeof copy;
            } catch {
                // an unreadable copy is reported as it is
            }
            if (this.emitter.listenerCount('quarantined') === 0) return;
            this.emitter.emit('quarantined', {
                key: typeof copy.key === 'string' ? copy.key : key,
                reason: typeof copy.reason === 'string' ? copy.reason : 'unreadable quarantine copy',
                raw: typeof copy.raw === 'string' ? copy.raw : text
            });
            this.storage.removeKey(key);
        }
    }
}
