import { DoctorLog, DOCTOR_LOG_MAX_LINE, personalTextOf } from '../../src/doctor/doctor-log';
import { buildDiagnosticsFile } from '../../src/doctor/phone-doctor';
import type { PhoneViewState } from '../../src/session/types';
import { createSipRig } from '../fakes/fake-sip-harness';

const clock = { now: () => Date.UTC(2026, 11, 7, 12, 0, 0) };

function state(partial: {
    agent?: string;
    registration?: string;
    calls?: Array<{ id: string; state: string }>;
}): PhoneViewState {
    return {
        role: 'leader',
        connection: { state: 'connected' },
        registration: { state: partial.registration ?? 'registered' },
        agent: { status: partial.agent ?? 'NotReady' },
        error: null,
        calls: (partial.calls ?? []).map((c) => ({ ...c, direction: 'inbound', onHold: false, muted: false }))
    } as unknown as PhoneViewState;
}

describe("DoctorLog (the diagnostics file's recent log)", () => {
    it('keeps the newest lines only, each cut to its limit', () => {
        const log = new DoctorLog(clock, 3);
        for (let i = 1; i <= 5; i++) log.note(`n${i}`);
        log.sipConnector('log', 'sip.Transport', undefined, 'x'.repeat(DOCTOR_LOG_MAX_LINE + 50));
        const lines = log.lines();
        expect(lines).toHaveLength(3);
        expect(lines[0]).toBe('2026-12-07T12:00:00.000Z state n4');
        expect(lines[2]!.length).toBe(DOCTOR_LOG_MAX_LINE + 1);
    });

    it('notes what changed in the view state: status, registration, calls; no caller data', () => {
        const log = new DoctorLog(clock);
        log.observe(state({}));
        log.observe(state({ agent: 'Ready' }));
        log.observe(state({ agent: 'Ready' }));
        log.observe(state({ agent: 'Busy', calls: [{ id: 'c1', state: 'connected' }] }));
        log.observe(state({ agent: 'Wrap' }));
        const text = log.lines().map((l) => l.slice(25));
        expect(text).toEqual([
            'state role leader',
            'state connection connected',
            'state registration registered',
            'state agent NotReady',
            'state error none',
            'state agent Ready',
            'state agent Busy',
            'state call c1 inbound connected',
            'state agent Wrap',
            'state call c1 gone'
        ]);
    });

    it('SIP messages in the log are redacted in the file: numbers, display names, digest credentials', () => {
        const log = new DoctorLog(clock);
        log.sipConnector(
            'log',
            'sip.Transport',
            undefined,
            'Sending WebSocket message:\n\nINVITE sip:+48601234567@cc.example SIP/2.0\r\nFrom: "Ewa Nowak" <sip:agent42@cc.example>;tag=1\r\nAuthorization: Digest username="agent42", response="abc"\r\n'
        );
        const file = buildDiagnosticsFile(
            { createdAt: clock.now(), versions: {}, checks: [], log: log.lines() },
            { names: ['Ewa Nowak'] }
        );
        expect(file).not.toMatch(/48601234567|601 234 567|Ewa|Nowak|agent42|abc"/);
        expect(file).toContain('INVITE sip:[redacted]@cc.example');
    });
});

describe('personal text of the phone state and call data headers', () => {
    it('lists callers, numbers and notes; X-CC data headers are hidden, ids kept', () => {
        const caller = {
            name: 'Ewa Nowak',
            displayName: 'EWA',
            company: 'Acme',
            rawNumber: '+48601234567',
            numberDisplay: '601 234 567'
        };
        const s = {
            calls: [{ caller }],
            incoming: null,
            interactions: [{ caller, draft: { notes: 'pin 1234 at the door' } }],
            recentCalls: [{ name: 'Jan Kowalski', number: '+48222', numberDisplay: '22 2' }]
        } as unknown as PhoneViewState;
        expect(personalTextOf(s).sort()).toEqual(
            [
                '+48222',
                '+48601234567',
                '22 2',
                '601 234 567',
                'Acme',
                'EWA',
                'Ewa Nowak',
                'Jan Kowalski',
                'pin 1234 at the door'
            ].sort()
        );
        expect(personalTextOf(null)).toEqual([]);
        const file = buildDiagnosticsFile(
            {
                createdAt: 0,
                versions: {},
                checks: [],
                log: ['X-CC-Campaign-Name: Loans for Ewa\r\nX-CC-Interaction-Id: int-77\r\nX-CC-Queue: vip']
            },
            { names: personalTextOf(s) }
        );
        expect(file).toContain('X-CC-Interaction-Id: int-77');
        expect(file).not.toMatch(/Loans|vip/);
    });
});

describe('the SIP messages reach the recent log', () => {
    it('a phone with a log connector asks sip.js to trace its SIP messages; without one it does not', async () => {
        const log = new DoctorLog(clock);
        const withLog = createSipRig({ logLevel: DoctorLog.SIP_LEVEL, logConnector: log.sipConnector });
        await withLog.startRegistered();
        await withLog.phone.stop();
        expect((withLog.userAgentOptions[0]!.transportOptions as { traceSip?: boolean }).traceSip).toBe(true);
        expect(log.lines().some((line) => line.includes(' log sip.'))).toBe(true);

        const without = createSipRig();
        await without.startRegistered();
        await without.phone.stop();
        expect((without.userAgentOptions[0]!.transportOptions as { traceSip?: boolean }).traceSip).toBe(
            false
        );
    });
});
