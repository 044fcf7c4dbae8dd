/**
 * The login's wait for the first registration: it succeeds on Registered, fails when the registrar refused
 * the credentials twice in a row (phone-core fetched fresh ones in between) or nothing happened in time.
 */
import { RegistrationState, type Clock, type SipPhone } from '../../phone-core/src/index';

/** Refusals of the registrar, before the first registration, that fail the login. */
const AUTH_FAILURES_BEFORE_GIVING_UP = 2;

/** Waits for `phone` to register; `cancel` stops waiting (the login failed elsewhere). */
export function waitForRegistration(
    phone: SipPhone,
    clock: Clock,
    timeoutMs: number
): { promise: Promise<void>; cancel: () => void } {
    let cancel = (): void => undefined;
    const promise = new Promise<void>((resolve, reject) => {
        let refusals = 0;
        const timer = clock.setTimeout(
            () => finish(new Error('the phone did not register in time')),
            timeoutMs
        );
        const off = phone.on('registrationChanged', (change) => {
            if (change.state === RegistrationState.Registered) {
                finish();
            } else if (change.state === RegistrationState.Failed && change.authFailure) {
                refusals += 1;
                if (refusals >= AUTH_FAILURES_BEFORE_GIVING_UP) {
                    finish(
                        new Error(
                            `the SIP registrar refused the credentials (${change.reason ?? 'no reason'})`
                        )
                    );
                }
            }
        });
        const finish = (error?: Error): void => {
            off();
            clock.clearTimeout(timer);
            if (error) reject(error);
            else resolve();
        };
        cancel = () => {
            off();
            clock.clearTimeout(timer);
        };
    });
    return { promise, cancel };
}
