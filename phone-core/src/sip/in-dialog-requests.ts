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

/** How long a blind transfer waits for the target's final answer once the transferee reported progress. */
export const BLIND_TRANSFER_ANSWER_TIMEOUT_MS = 120_000;

/**
 * Blind transfer: REFER to `target`, then follow the transferee's NOTIFYs (RFC 3515 section 2.4.5: each carries a
 * sipfrag with the status of its INVITE to the target). The promise resolves once the REFER itself is answered
 * (202: the transfer is under way; or its rejection), so the command returns while the target rings; `settle`
 * runs once with the transfer's outcome:
 * - a final 2xx sipfrag: ok (the target answered; our leg can end);
 * - a final failure (486 the target is busy or not ready, 480, 404, 603...): failed, and the caller is still on
 *   our dialog (the transferee keeps it until we send BYE, RFC 5589 section 6), so the call goes on with the
 *   agent instead of being lost;
 * - no NOTIFY at all within `transferNotifyTimeoutMs` after 202 (a transferee that sends none): ok, as the REFER
 *   was accepted;
 * - progress reported but no final answer within BLIND_TRANSFER_ANSWER_TIMEOUT_MS: failed (408), the agent keeps
 *   the caller.
 */
export function referTo(
    session: Session,
    target: URI,
    timing: { clock: Clock; transferNotifyTimeoutMs: number },
    settleOnce: (result: ReferResult) => void
): Promise<void> {
    return followRefer(session, target, timing, settleOnce, 'blind');
}

/**
 * Attended transfer: REFER with Replaces pointing at `other`'s dialog (sip.js `session.refer(otherSession)`).
 * Success is the NOTIFY carrying a 2xx sipfrag (or no NOTIFY within `transferNotifyTimeoutMs` after 202);
 * `settle` runs once, the promise resolves right after (the target answers a Replaces INVITE at once: its
 * progress NOTIFYs change nothing).
 */
export function referReplacing(
    session: Session,
    other: Session,
    timing: { clock: Clock; transferNotifyTimeoutMs: number },
    settleOnce: (result: ReferResult) => void
): Promise<void> {
    return followRefer(session, other, timing, settleOnce, 'attended');
}

/** The REFER and its NOTIFYs for both kinds of transfer; `settleOnce` runs exactly once. */
function followRefer(
    session: Session,
    referTo: URI | Session,
    timing: { clock: Clock; transferNotifyTimeoutMs: number },
    settleOnce: (result: ReferResult) => void,
    kind: 'blind' | 'attended'
): Promise<void> {
    return new Promise<void>((resolve) => {
        let done = false;
        let sawNotify = false;
        let timer: TimerHandle | undefined;
        const restartTimer = (ms: number, onExpiry: () => void): void => {
            if (timer !== undefined) {
                timing.clock.clearTimeout(timer);
            }
            timer = timing.clock.setTimeout(onExpiry, ms);
        };
        const settle = (result: ReferResult): void => {
            if (done) {
                return;
            }
            done = true;
            if (timer !== undefined) {
                timing.clock.clearTimeout(timer);
            }
            settleOnce(result);
            resolve();
        };
        session
            .refer(referTo, {
                onNotify: (notification) => {
                    notification.accept().catch(() => undefined);
                    const code = sipfragStatus(notification.request.body);
                    if (code === undefined || done) {
                        return;
                    }
                    sawNotify = true;
                    if (code >= 200) {
                        settle(
                            code < 300
                                ? { ok: true }
                                : { ok: false, code, reason: `transfer target answered ${code}` }
                        );
                    } else if (kind === 'blind') {
                        restartTimer(BLIND_TRANSFER_ANSWER_TIMEOUT_MS, () =>
                            settle({ ok: false, code: 408, reason: 'the transfer target did not answer' })
                        );
                    }
                },
                requestDelegate: {
                    onAccept: () => {
                        // a progress NOTIFY may come before the 202 (RFC 3515 allows it): its wait stands
                        if (!(kind === 'blind' && sawNotify)) {
                            restartTimer(timing.transferNotifyTimeoutMs, () => settle({ ok: true }));
                        }
                        if (kind === 'blind') {
                            // the command returns now; the outcome follows the NOTIFYs
                            resolve();
                        }
                    },
                    onReject: (response) => {
                        const f = failureOf(response);
                        settle({ ok: false, code: f.code, reason: f.reason });
                    }
                }
            })
            .catch((error: unknown) => settle({ ok: false, reason: errorText(error) }));
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
