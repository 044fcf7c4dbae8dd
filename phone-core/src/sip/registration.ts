/**
 * Registration: the phone's view of its SIP binding, and the controller that owns the sip.js `Registerer`.
 *
 * sip.js pitfalls handled here (TOOLCHAIN.md, FAULT-CASES.md):
 * - after the WebSocket reconnects sip.js does NOT re-REGISTER by itself: the owner calls
 *   {@link RegistrationController.register} from its onConnect;
 * - a REGISTER in flight when the socket dropped blocks the `Registerer` (`register()` rejects with
 *   RequestPendingError until Timer F, 32 s later): the controller disposes it and creates a new one;
 * - a `Registerer` re-sends ONE request message, and sip.js writes the digest answer of every challenge onto it:
 *   the `Authorization` header of the last challenge rides along on every later REGISTER, even after the
 *   credentials changed. A registrar that refuses it outright (Kamailio auth_ephemeral: `403 Credentials
 *   expired` for an expired `<expiry>:<user>` username, no new challenge) would refuse every retry, so a
 *   `Registerer` that holds no binding is never reused: the next REGISTER starts clean and is challenged.
 */
import { Registerer, RegistererState } from 'sip.js';
import type { Emitter as SipEmitter, UserAgent } from 'sip.js';

/**
 * `waiting` / `waitingChange` are public in sip.js's JavaScript but declared private in its typings;
 * they are the only way to know a REGISTER is still in flight.
 */
interface RegistererWaiting {
    readonly waiting: boolean;
    readonly waitingChange: SipEmitter<boolean>;
}

function waitingOf(registerer: Registerer): RegistererWaiting {
    return registerer as unknown as RegistererWaiting;
}

/**
 * Registration state as the phone reports it.
 *
 * ```text
 *                 register()              200 OK
 *  Unregistered ─────────────► Registering ─────────► Registered
 *       ▲  ▲                    │   ▲   │                 │  │
 *       │  │   transport lost / │   │   │ final non-2xx,  │  │ refresh rejected,
 *       │  └────── stop() ──────┘   │   │ timeout         │  │ binding expired
 *       │                           │   ▼                 │  ▼
 *       │                  retry    └─ Failed ◄───────────┘ Failed
 *       │                              │
 *       └──── transport lost / stop() ─┘   (Registered ── re-register after reconnect ──► Registering)
 * ```
 */
export enum RegistrationState {
    Unregistered = 'Unregistered',
    Registering = 'Registering',
    Registered = 'Registered',
    Failed = 'Failed'
}

const ALLOWED: Readonly<Record<RegistrationState, readonly RegistrationState[]>> = {
    [RegistrationState.Unregistered]: [RegistrationState.Registering],
    [RegistrationState.Registering]: [
        RegistrationState.Registered,
        RegistrationState.Failed,
        RegistrationState.Unregistered
    ],
    [RegistrationState.Registered]: [
        RegistrationState.Registering,
        RegistrationState.Unregistered,
        RegistrationState.Failed
    ],
    [RegistrationState.Failed]: [RegistrationState.Registering, RegistrationState.Unregistered]
};

/** True when `from -> to` is a legal registration transition. */
export function canTransitionRegistration(from: RegistrationState, to: RegistrationState): boolean {
    return ALLOWED[from].includes(to);
}

/**
 * The one guarded transition of {@link RegistrationState}.
 * @throws Error on an illegal transition (a programming error, never a network condition).
 */
export function transitionRegistration(from: RegistrationState, to: RegistrationState): RegistrationState {
    if (!canTransitionRegistration(from, to)) {
        throw new Error(`Illegal registration transition ${from} -> ${to}`);
    }
    return to;
}

/** Payload of the phone's `registrationChanged` event. */
export interface RegistrationChange {
    state: RegistrationState;
    /** Human-readable cause ("200 OK", "403 Forbidden", "connection lost", ...). */
    reason?: string;
    /** SIP status code of the final response that caused the change, when there was one. */
    statusCode?: number;
    /** True when the registrar refused the credentials (403, or a 401/407 after sip.js answered the challenge). */
    authFailure?: boolean;
}

/** Options of {@link RegistrationController}. */
export interface RegistrationControllerOptions {
    /** Current user agent (the owner may replace it after a credential change). */
    userAgent: () => UserAgent;
    /** Called on every state change. */
    onChange: (change: RegistrationChange) => void;
    /** Binding lifetime asked of the registrar, seconds (default 600). */
    expiresSeconds?: number;
}

/** Status codes meaning "these credentials are not accepted". */
const AUTH_FAILURE_CODES = new Set([401, 403, 407]);

/**
 * Owns one sip.js `Registerer` at a time and reports {@link RegistrationChange}s.
 * Events of a replaced (disposed) `Registerer` are ignored, so a late 408 of a REGISTER sent on a dead socket
 * cannot spoil the registration made on the new one.
 */
export class RegistrationController {
    private readonly options: RegistrationControllerOptions;
    private registerer: Registerer | undefined;
    private current: RegistrationState = RegistrationState.Unregistered;
    private lastReject: { statusCode: number; reason: string } | undefined;
    private registererCount = 0;

    constructor(options: RegistrationControllerOptions) {
        this.options = options;
    }

    /** Current state. */
    get state(): RegistrationState {
        return this.current;
    }

    /** How many `Registerer`s were created so far (diagnostics and tests). */
    get registerersCreated(): number {
        return this.registererCount;
    }

    /**
     * Send a REGISTER now (initial, after a reconnect, after new credentials).
     * Only a `Registerer` that holds a binding and is idle is reused (its refreshes keep that binding); one still
     * waiting for a final response, or one whose last REGISTER failed (its request carries the Authorization
     * header of the credentials that were refused), is disposed and replaced. Disposing one without a binding
     * sends nothing (sip.js only un-REGISTERs a registered one).
     */
    register(): void {
        let registerer = this.registerer;
        if (registerer && !isReusable(registerer)) {
            this.discard(registerer);
            registerer = undefined;
        }
        if (!registerer) {
            registerer = this.create();
        }
        this.lastReject = undefined;
        this.moveTo({ state: RegistrationState.Registering });
        const target = registerer;
        target
            .register({
                requestDelegate: {
                    onReject: (response) => {
                        if (target !== this.registerer) {
                            return;
                        }
                        this.lastReject = {
                            statusCode: response.message.statusCode ?? 0,
                            reason: response.message.reasonPhrase ?? ''
                        };
                    }
                }
            })
            .catch((error: unknown) => {
                if (target === this.registerer) {
                    this.moveTo({ state: RegistrationState.Failed, reason: errorText(error) });
                }
            });
    }

    /** The transport dropped: the server-side binding can no longer be trusted. */
    transportLost(): void {
        this.moveTo({ state: RegistrationState.Unregistered, reason: 'connection lost' });
    }

    /**
     * Remove the binding (REGISTER with expires 0) when registered and connected, then forget the Registerer.
     * Never throws: a stopping phone must stop even if the registrar is gone.
     */
    async unregister(): Promise<void> {
        const registerer = this.registerer;
        this.registerer = undefined;
        this.moveTo({ state: RegistrationState.Unregistered, reason: 'stopped' });
        if (!registerer) {
            return;
        }
        try {
            if (registerer.state === RegistererState.Registered && !waitingOf(registerer).waiting) {
                await registerer.unregister();
            }
        } catch {
            // a dead socket or a pending request: dispose below is all we can do
        }
        this.discard(registerer);
    }

    /** Drop the current Registerer without unregistering (the user agent is being replaced). */
    detach(): void {
        const registerer = this.registerer;
        this.registerer = undefined;
        if (registerer) {
            this.discard(registerer);
        }
        this.moveTo({ state: RegistrationState.Unregistered, reason: 'user agent replaced' });
    }

    private create(): Registerer {
        const registerer = new Registerer(this.options.userAgent(), {
            expires: this.options.expiresSeconds ?? 600,
            logConfiguration: false
        });
        this.registererCount++;
        this.registerer = registerer;
        registerer.stateChange.addListener((state) => {
            if (registerer !== this.registerer) {
                return;
            }
            if (state === RegistererState.Registered) {
                this.moveTo({ state: RegistrationState.Registered, reason: 'registered' });
            } else if (
                state === RegistererState.Unregistered &&
                this.current === RegistrationState.Registered
            ) {
                // refresh rejected or binding expired while nothing of ours was pending
                this.moveTo({ state: RegistrationState.Failed, reason: 'registration lost' });
            }
        });
        waitingOf(registerer).waitingChange.addListener((waiting) => {
            if (waiting || registerer !== this.registerer) {
                return;
            }
            // sip.js re-sends by itself on 423 (Interval Too Brief): look again after it had the chance.
            void Promise.resolve().then(() => this.settle(registerer));
        });
        return registerer;
    }

    private settle(registerer: Registerer): void {
        if (
            registerer !== this.registerer ||
            waitingOf(registerer).waiting ||
            this.current !== RegistrationState.Registering
        ) {
            return;
        }
        if (registerer.state === RegistererState.Registered) {
            this.moveTo({ state: RegistrationState.Registered, reason: 'registered' });
            return;
        }
        const reject = this.lastReject;
        if (reject) {
            this.moveTo({
                state: RegistrationState.Failed,
                statusCode: reject.statusCode,
                reason: `${reject.statusCode} ${reject.reason}`.trim(),
                authFailure: AUTH_FAILURE_CODES.has(reject.statusCode)
            });
        } else {
            this.moveTo({ state: RegistrationState.Failed, reason: 'invalid response to REGISTER' });
        }
    }

    private discard(registerer: Registerer): void {
        if (registerer === this.registerer) {
            this.registerer = undefined;
        }
        // dispose() waits for a pending REGISTER to end; nothing here waits for it.
        registerer.dispose().catch(() => undefined);
    }

    private moveTo(change: RegistrationChange): void {
        if (change.state === this.current) {
            return;
        }
        this.current = transitionRegistration(this.current, change.state);
        this.options.onChange(change);
    }
}

/** Registered and idle: the binding is alive and sip.js refreshes it with the current request. */
function isReusable(registerer: Registerer): boolean {
    return registerer.state === RegistererState.Registered && !waitingOf(registerer).waiting;
}

function errorText(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
