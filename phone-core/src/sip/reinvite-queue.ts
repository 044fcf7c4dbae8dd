/**
 * The re-INVITEs of one call: one at a time, none before the caller's ACK of our 200 OK, a collision retried
 * (`ReinviteQueue`). It owns the queue of re-INVITEs and the ACK wait; the {@link CallSession} it belongs to owns
 * the call and decides what a re-INVITE's outcome means (hold confirmed or failed, the dialog gone).
 */
import { SessionState } from 'sip.js';
import type { Session, Web } from 'sip.js';
import type { Clock } from '../util/clock';
import { audioRejected } from './media-watch';
import { failureOf } from './session-access';

/** How a re-INVITE ended: accepted (with the answer), rejected (with the status), or not sent / failed locally. */
export type ReinviteOutcome =
    | { kind: 'accepted'; body: string | undefined }
    | { kind: 'rejected'; code?: number; reason?: string; retryAfterS?: number }
    | { kind: 'error'; code?: undefined; reason: string };

/** What a {@link ReinviteQueue} needs from its call. */
export interface ReinviteQueueOptions {
    clock: Clock;
    /** Random number in [0, 1) (re-INVITE collision back-off). */
    random: () => number;
    /** The call's bound sip.js session, if any. */
    session: () => Session | undefined;
    /** A re-INVITE answer rejected the audio (port 0). */
    onAudioRejected: () => void;
}

/** The re-INVITEs of one call; see the module documentation. */
export class ReinviteQueue {
    private readonly options: ReinviteQueueOptions;
    private reinviteQueue: Promise<unknown> = Promise.resolve();
    /**
     * Inbound: the caller's ACK to our 200 OK arrived. A re-INVITE sent before it opens a second INVITE
     * transaction (RFC 3261 14.1 forbids it), and sip.js answers the late ACK, which then meets our pending
     * offer, with BYE 488: the call drops. Outbound calls send the ACK themselves.
     */
    private acknowledged = true;
    private readonly ackWaiters: Array<() => void> = [];

    constructor(options: ReinviteQueueOptions) {
        this.options = options;
    }

    /** A session was bound: an Invitation (inbound or Replaces) waits for the caller's ACK, an Inviter does not. */
    expectAck(waits: boolean): void {
        this.acknowledged = !waits;
    }

    /** The ACK of our 200 OK arrived (or the call ended): re-INVITEs may go. */
    noteAcknowledged(): void {
        this.acknowledged = true;
        for (const wake of this.ackWaiters.splice(0)) wake();
    }

    /** Resolves once the initial ACK arrived, the call ended, or after sip.js's own ACK wait (64 x T1). */
    private untilAcknowledged(): Promise<void> {
        if (this.acknowledged) return Promise.resolve();
        return new Promise<void>((resolve) => {
            const timer = this.options.clock.setTimeout(resolve, ACK_WAIT_MS);
            this.ackWaiters.push(() => {
                this.options.clock.clearTimeout(timer);
                resolve();
            });
        });
    }

    /**
     * One re-INVITE at a time (sip.js rejects a second with RequestPendingError). The SDH options are stored on
     * the session (`sessionDescriptionHandlerOptionsReInvite`) because sip.js also uses them to answer the
     * remote's re-INVITEs: `hold` must persist while held, `iceRestart` must not.
     * A collision is retried (RFC 3261 14.1): 491 after 2.1..4 s, 500 with Retry-After after that many seconds,
     * at most 3 (a sip.js peer still processing the ACK of the previous re-INVITE answers so, seen against
     * Kamailio when hold and resume follow each other within milliseconds).
     */
    send(change: { hold?: boolean; iceRestart?: boolean }): Promise<ReinviteOutcome> {
        const run = async (): Promise<ReinviteOutcome> => {
            await this.untilAcknowledged();
            let outcome = await this.reinviteOnce(change);
            for (let retry = 0; retry < MAX_REINVITE_RETRIES && outcome.kind === 'rejected'; retry++) {
                const delayMs = collisionDelayMs(outcome, this.options.random);
                if (delayMs === undefined) {
                    break;
                }
                await new Promise<void>((resolve) => this.options.clock.setTimeout(resolve, delayMs));
                outcome = await this.reinviteOnce(change);
            }
            return outcome;
        };
        const next = this.reinviteQueue.then(run, run);
        this.reinviteQueue = next.catch(() => undefined);
        return next;
    }

    private reinviteOnce(change: { hold?: boolean; iceRestart?: boolean }): Promise<ReinviteOutcome> {
        const session = this.options.session();
        if (!session || session.state !== SessionState.Established) {
            return Promise.resolve({ kind: 'error', reason: 'call is not established' });
        }
        if (change.hold !== undefined) {
            this.setHold(change.hold);
        }
        const base = session.sessionDescriptionHandlerOptionsReInvite as Web.SessionDescriptionHandlerOptions;
        const options: Web.SessionDescriptionHandlerOptions = change.iceRestart
            ? { ...base, offerOptions: { iceRestart: true } }
            : { ...base, offerOptions: undefined };
        return new Promise<ReinviteOutcome>((resolve) => {
            session
                .invite({
                    sessionDescriptionHandlerOptions: options,
                    requestDelegate: {
                        onAccept: (response) => {
                            if (audioRejected(response.message.body)) this.options.onAudioRejected();
                            resolve({ kind: 'accepted', body: response.message.body });
                        },
                        onReject: (response) => {
                            const f = failureOf(response);
                            const retryAfter = Number.parseInt(
                                response.message.getHeader('retry-after') ?? '',
                                10
                            );
                            resolve({
                                kind: 'rejected',
                                code: f.code,
                                reason: f.reason,
                                retryAfterS: Number.isFinite(retryAfter) ? retryAfter : undefined
                            });
                        }
                    }
                })
                .catch((error: unknown) => resolve({ kind: 'error', reason: errorText(error) }));
        }).finally(() => {
            // keep hold, drop the one-shot ICE restart
            const reset: Web.SessionDescriptionHandlerOptions = { hold: !!base.hold };
            session.sessionDescriptionHandlerOptionsReInvite = reset;
        });
    }

    /** Keep (or drop) `hold` in the SDH options sip.js also answers the remote's re-INVITEs with. */
    setHold(hold: boolean): void {
        const session = this.options.session();
        if (session) {
            const options: Web.SessionDescriptionHandlerOptions = {
                ...(session.sessionDescriptionHandlerOptionsReInvite as Web.SessionDescriptionHandlerOptions),
                hold
            };
            session.sessionDescriptionHandlerOptionsReInvite = options;
        }
    }
}

const MAX_REINVITE_RETRIES = 2;
/** How long sip.js waits for the ACK of a 2xx before it ends the call (64 x T1 = 32 s, RFC 3261 13.3.1.4). */
const ACK_WAIT_MS = 32_000;

/** Wait before retrying a re-INVITE that collided; undefined when the rejection is not a collision. */
export function collisionDelayMs(
    outcome: { code?: number; retryAfterS?: number },
    random: () => number
): number | undefined {
    if (outcome.code === 491) {
        return 2100 + Math.floor(random() * 1900);
    }
    if (outcome.code === 500 && outcome.retryAfterS !== undefined) {
        // capped at 3 s: the usual cause (the peer still processing the last ACK) clears in milliseconds,
        // and an agent waiting 10 s for "resume" is worse than one more 500
        return Math.min(Math.max(outcome.retryAfterS, 0), 3) * 1000;
    }
    return undefined;
}

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
