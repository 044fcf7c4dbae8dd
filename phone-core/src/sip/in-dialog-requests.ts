/**
 * The in-dialog requests of a call that carry no state of the call: the REFER of a blind transfer, the REFER with
 * Replaces of an attended transfer (it owns its settle-once flag and NOTIFY timer until the transfer settles),
 * DTMF as SIP INFO, and ending a session whatever its state. {@link CallSession} decides what an outcome means for
 * the call.
 */
import { SessionState } from 'sip.js';
import type { Invitation, Inviter, Session, URI } from 'sip.js';
import type { Clock, TimerHandle } from '../util/clock';
import { failureOf, sipfragStatus } from './session-access';

/** How a transfer's REFER ended: succeeded, or failed with the status and reason when known. */
export type ReferResult = { ok: true } | { ok: false; code?: number; reason?: string };

/**
 * Blind transfer: REFER to `target`. `settle` runs once, inside sip.js's callback, when the REFER is accepted
 * (the transferee now calls the target), rejected or could not be sent; the promise resolves right after.
 */
export function referTo(session: Session, target: URI, settle: (result: ReferResult) => void): Promise<void> {
    return new Promise<void>((resolve) => {
        session
            .refer(target, {
                requestDelegate: {
                    onAccept: () => {
                        settle({ ok: true });
                        resolve();
                    },
                    onReject: (response) => {
                        const f = failureOf(response);
                        settle({ ok: false, code: f.code, reason: f.reason });
                        resolve();
                    }
                }
            })
            .catch((error: unknown) => {
                settle({ ok: false, reason: errorText(error) });
                resolve();
            });
    });
}

/**
 * Attended transfer: REFER with Replaces pointing at `other`'s dialog (sip.js `session.refer(otherSession)`).
 * Success is the NOTIFY carrying a 2xx sipfrag (or no NOTIFY within `transferNotifyTimeoutMs` after 202);
 * `settle` runs once, the promise resolves right after.
 */
export function referReplacing(
    session: Session,
    other: Session,
    timing: { clock: Clock; transferNotifyTimeoutMs: number },
    settleOnce: (result: ReferResult) => void
): Promise<void> {
    return new Promise<void>((resolve) => {
        let done = false;
        let timer: TimerHandle | undefined;
        const settle = (ok: boolean, code?: number, reason?: string): void => {
            if (done) {
                return;
            }
            done = true;
            if (timer !== undefined) {
                timing.clock.clearTimeout(timer);
            }
            settleOnce(ok ? { ok: true } : { ok: false, code, reason });
            resolve();
        };
        session
            .refer(other, {
                onNotify: (notification) => {
                    notification.accept().catch(() => undefined);
                    const code = sipfragStatus(notification.request.body);
                    if (code !== undefined && code >= 200) {
                        settle(code < 300, code, `transfer target answered ${code}`);
                    }
                },
                requestDelegate: {
                    onAccept: () => {
                        timer = timing.clock.setTimeout(() => settle(true), timing.transferNotifyTimeoutMs);
                    },
                    onReject: (response) => {
                        const f = failureOf(response);
                        settle(false, f.code, f.reason);
                    }
                }
            })
            .catch((error: unknown) => settle(false, undefined, errorText(error)));
    });
}

/** One DTMF tone as SIP INFO (application/dtmf-relay) on an established session; resolves when answered. */
export function sendDtmfInfo(session: Session | undefined, tone: string): Promise<void> {
    if (!session || session.state !== SessionState.Established) {
        return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
        session
            .info({
                requestOptions: {
                    body: {
                        contentDisposition: 'render',
                        contentType: 'application/dtmf-relay',
                        content: `Signal=${tone}\r\nDuration=160\r\n`
                    }
                },
                requestDelegate: {
                    onAccept: () => resolve(),
                    onReject: () => resolve()
                }
            })
            .catch(() => resolve());
    });
}

/** BYE / CANCEL / reject a sip.js session according to its state; never throws. */
export function endSession(session: Session | undefined): void {
    if (!session) {
        return;
    }
    try {
        switch (session.state) {
            case SessionState.Initial:
            case SessionState.Establishing:
                if ('cancel' in session) {
                    (session as Inviter).cancel().catch(() => undefined);
                } else {
                    safeReject(session as Invitation, 486);
                }
                break;
            case SessionState.Established:
                session.bye().catch(() => undefined);
                break;
            default:
                break;
        }
    } catch {
        // a session in a state sip.js does not expect: it is going away anyway
    }
}

/** Reject an INVITE not yet answered; nothing when it was answered or terminated meanwhile. */
export function safeReject(invitation: Invitation, statusCode: number): void {
    try {
        invitation.reject({ statusCode }).catch(() => undefined);
    } catch {
        // already answered or terminated
    }
}

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
