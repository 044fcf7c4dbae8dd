/**
 * The phone's recent log for the Phone Doctor's diagnostics file (B8): a bounded ring buffer of the SIP
 * messages sip.js sends and receives (its log connector, level `log`, where the transport writes
 * "Sending WebSocket message" / "Received WebSocket text message") and the phone's state changes (the host
 * notes them). Lines are kept as they are, in memory only, and are redacted when the file is built
 * (`buildDiagnosticsFile`): nothing here leaves the browser unless the agent downloads the file.
 *
 * @packageDocumentation
 */
import type { LogConnector, LogLevel } from 'sip.js';
import type { PhoneViewState } from '../session/types';
import type { Clock } from '../util/clock';

/** Lines kept (the oldest go first). */
export const DOCTOR_LOG_MAX_LINES = 300;
/** Characters kept of one line (an INVITE with its SDP fits). */
export const DOCTOR_LOG_MAX_LINE = 6000;

/** The ring buffer; see the module documentation. */
export class DoctorLog {
    private readonly buffer: string[] = [];
    private lastSummary = new Map<string, string>();

    constructor(
        private readonly clock: Pick<Clock, 'now'>,
        private readonly maxLines = DOCTOR_LOG_MAX_LINES
    ) {}

    /** sip.js's log connector: give it with `logLevel: DoctorLog.SIP_LEVEL` in the SipPhone options. */
    readonly sipConnector: LogConnector = (level, category, _label, content) => {
        this.add(`${level} ${category} ${content}`);
    };

    /** The sip.js level whose lines include the SIP messages. */
    static readonly SIP_LEVEL: LogLevel = 'log';

    /** A state change or an event of the phone, e.g. `status Ready`, `call c1 connected`. */
    note(text: string): void {
        this.add(`state ${text}`);
    }

    /**
     * Notes what changed in the phone's view state since the last one: role, connection, registration, agent
     * status, each call's state and the error code. Only ids, states and codes: no caller data.
     */
    observe(state: PhoneViewState): void {
        const summary = new Map<string, string>([
            ['role', state.role],
            ['connection', state.connection.state],
            [
                'registration',
                `${state.registration.state}${state.registration.statusCode ? ` ${state.registration.statusCode}` : ''}`
            ],
            ['agent', state.agent.status],
            ['error', state.error?.code ?? 'none']
        ]);
        for (const call of state.calls) {
            summary.set(
                `call ${call.id}`,
                `${call.direction} ${call.state}${call.onHold ? ' hold' : ''}${call.muted ? ' muted' : ''}`
            );
        }
        for (const [key, value] of summary) {
            if (this.lastSummary.get(key) !== value) this.note(`${key} ${value}`);
        }
        for (const key of this.lastSummary.keys()) {
            if (!summary.has(key)) this.note(`${key} gone`);
        }
        this.lastSummary = summary;
    }

    /** The lines, oldest first, each with its ISO time. */
    lines(): string[] {
        return [...this.buffer];
    }

    private add(text: string): void {
        const line = `${new Date(this.clock.now()).toISOString()} ${text}`;
        this.buffer.push(line.length > DOCTOR_LOG_MAX_LINE ? `${line.slice(0, DOCTOR_LOG_MAX_LINE)}…` : line);
        if (this.buffer.length > this.maxLines) this.buffer.splice(0, this.buffer.length - this.maxLines);
    }
}

/**
 * Everything personal the phone holds now (callers' names, display names, companies, numbers as typed and
 * as shown, the wrap-up notes), for `buildDiagnosticsFile`'s `names`: the file hides them wherever they
 * appear, also where no rule of the redaction would recognise them.
 */
export function personalTextOf(state: PhoneViewState | null): string[] {
    if (!state) return [];
    const out = new Set<string>();
    const add = (value: string | null | undefined): void => {
        const text = value?.trim();
        if (text) out.add(text);
    };
    const cards = [
        ...state.calls.map((call) => call.caller),
        ...(state.incoming ? [state.incoming.caller] : []),
        ...state.interactions.map((interaction) => interaction.caller)
    ];
    for (const card of cards) {
        add(card.name);
        add(card.displayName);
        add(card.company);
        add(card.rawNumber);
        add(card.numberDisplay);
    }
    for (const interaction of state.interactions) add(interaction.draft?.notes);
    for (const recent of state.recentCalls) {
        add(recent.name);
        add(recent.number);
        add(recent.numberDisplay);
    }
    return [...out];
}
