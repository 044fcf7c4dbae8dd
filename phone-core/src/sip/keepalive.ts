/**
 * OPTIONS keepalive: browsers cannot ping a WebSocket, and a socket whose network vanished (Wi-Fi switch,
 * sleeping laptop, NAT timeout) can look open for minutes. A SIP OPTIONS every few seconds proves the path:
 * any final response (even 404 or 484) means the socket works; 408, 503 (sip.js's own answer to a transport
 * error) or no answer within the timeout means it is dead and must be replaced.
 */
import type { Clock, TimerHandle } from '../util/clock';

/** Result of one probe: the SIP status code of the final response, or `'timeout'`. */
export type ProbeResult = number | 'timeout';

/** Sends one OPTIONS and resolves with its final status code (never rejects for a SIP error response). */
export type OptionsProbe = () => Promise<number>;

/** Options of {@link OptionsKeepalive}. */
export interface OptionsKeepaliveOptions {
    clock: Clock;
    probe: OptionsProbe;
    /** Called once per dead socket found; the keepalive stops itself before calling it. */
    onDead: (result: ProbeResult) => void;
    /** Time between the end of one probe and the next (default 25000 ms). */
    intervalMs?: number;
    /** How long a probe may stay unanswered (default 10000 ms). */
    timeoutMs?: number;
}

/** Default keepalive period, below common NAT/proxy idle timeouts of 30 s and more. */
export const DEFAULT_KEEPALIVE_INTERVAL_MS = 25000;
/** Default probe timeout. */
export const DEFAULT_KEEPALIVE_TIMEOUT_MS = 10000;

/** Status codes that mean the socket (not the server's opinion of the request) failed. */
export function isDeadSocketResult(result: ProbeResult): boolean {
    return result === 'timeout' || result === 408 || result === 503;
}

/**
 * Periodic OPTIONS probe. `start()` when the transport connects, `stop()` when it disconnects;
 * `probeNow()` checks at once (the browser said the network changed).
 */
export class OptionsKeepalive {
    private readonly clock: Clock;
    private readonly probe: OptionsProbe;
    private readonly onDead: (result: ProbeResult) => void;
    private readonly intervalMs: number;
    private readonly timeoutMs: number;
    private timer: TimerHandle | undefined;
    private generation = 0;
    private running = false;
    private inFlight = false;

    constructor(options: OptionsKeepaliveOptions) {
        this.clock = options.clock;
        this.probe = options.probe;
        this.onDead = options.onDead;
        this.intervalMs =
            options.intervalMs && options.intervalMs > 0 ? options.intervalMs : DEFAULT_KEEPALIVE_INTERVAL_MS;
        this.timeoutMs =
            options.timeoutMs && options.timeoutMs > 0 ? options.timeoutMs : DEFAULT_KEEPALIVE_TIMEOUT_MS;
    }

    /** True between start() and stop(). */
    get isRunning(): boolean {
        return this.running;
    }

    /** Start probing every `intervalMs` (first probe after one interval). */
    start(): void {
        this.stop();
        this.running = true;
        this.schedule(this.intervalMs);
    }

    /** Stop probing; a probe still in flight is ignored when it completes. */
    stop(): void {
        this.running = false;
        this.generation++;
        this.inFlight = false;
        this.cancelTimer();
    }

    /** Probe immediately (unless one is already in flight). */
    probeNow(): void {
        if (!this.running || this.inFlight) {
            return;
        }
        this.cancelTimer();
        this.runProbe();
    }

    private schedule(delayMs: number): void {
        this.cancelTimer();
        this.timer = this.clock.setTimeout(() => {
            this.timer = undefined;
            this.runProbe();
        }, delayMs);
    }

    private runProbe(): void {
        const generation = this.generation;
        this.inFlight = true;
        let settled = false;
        const finish = (result: ProbeResult): void => {
            if (settled || generation !== this.generation) {
                return;
            }
            settled = true;
            this.inFlight = false;
            this.cancelTimer();
            if (isDeadSocketResult(result)) {
                this.stop();
                this.onDead(result);
                return;
            }
            this.schedule(this.intervalMs);
        };
        this.timer = this.clock.setTimeout(() => {
            this.timer = undefined;
            finish('timeout');
        }, this.timeoutMs);
        let pending: Promise<number>;
        try {
            pending = this.probe();
        } catch {
            pending = Promise.resolve(503);
        }
        pending.then(
            (statusCode) => finish(statusCode),
            () => finish(503)
        );
    }

    private cancelTimer(): void {
        if (this.timer !== undefined) {
            this.clock.clearTimeout(this.timer);
            this.timer = undefined;
        }
    }
}
