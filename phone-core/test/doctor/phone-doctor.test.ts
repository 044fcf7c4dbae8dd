import {
    DOCTOR_CHECKS,
    buildDiagnosticsFile,
    hostMatches,
    redactDiagnostics,
    runDoctorChecks,
    serverFacts,
    SERVER_DOCTOR_CHECKS,
    type DoctorFacts
} from '../../src/doctor/phone-doctor';

const HEALTHY: DoctorFacts = {
    microphonePermission: 'granted',
    audioInputs: 1,
    permissionsPolicyAllowsMicrophone: true,
    sipHost: 'sip.cc.example',
    trustedSiteHosts: ['wss://sip.cc.example'],
    websocketOpened: true,
    iceCandidateTypes: ['host', 'srflx', 'relay'],
    turnConfigured: true,
    echo: { rttMs: 84, lossPct: 0 },
    taskFieldsWithoutAccess: [],
    hasSeat: true,
    hasPermissionSet: true,
    inCallCenter: true,
    lightningWebSecurity: true
};

describe('Phone Doctor checks (B8)', () => {
    it('a healthy setup is green everywhere, in the documented order', () => {
        const results = runDoctorChecks(HEALTHY);
        expect(results.map((r) => r.id)).toEqual([...DOCTOR_CHECKS]);
        expect(results.filter((r) => r.status !== 'green')).toEqual([]);
        expect(results.find((r) => r.id === 'echo-test')?.detail).toBe('rtt 84 ms, loss 0 %');
    });

    it('a blocked microphone and a missing trusted site are red, each with its fix', () => {
        const results = runDoctorChecks({
            ...HEALTHY,
            microphonePermission: 'denied',
            trustedSiteHosts: ['https://other.example']
        });
        const red = results.filter((r) => r.status === 'red');
        expect(red).toEqual([
            {
                id: 'microphone-permission',
                status: 'red',
                fix: 'Phone_Doctor_FixMicrophonePermission',
                detail: 'denied'
            },
            {
                id: 'csp-trusted-site',
                status: 'red',
                fix: 'Phone_Doctor_FixTrustedSite',
                detail: 'sip.cc.example'
            }
        ]);
    });

    it('every other fault is red with its own fix; what was not measured is unknown', () => {
        const results = runDoctorChecks({
            microphonePermission: 'prompt',
            audioInputs: 0,
            permissionsPolicyAllowsMicrophone: false,
            websocketOpened: false,
            iceCandidateTypes: ['host', 'srflx'],
            turnConfigured: true,
            echo: { rttMs: 450, lossPct: 1 },
            taskFieldsWithoutAccess: ['Mos_Lowest__c', 'Recording_Audit__c'],
            hasSeat: false,
            hasPermissionSet: false,
            inCallCenter: false,
            lightningWebSecurity: false
        });
        const byId = Object.fromEntries(results.map((r) => [r.id, r]));
        expect(byId['csp-trusted-site']!.status).toBe('unknown');
        expect(results.filter((r) => r.status === 'red').map((r) => r.fix)).toEqual([
            'Phone_Doctor_FixMicrophonePermission',
            'Phone_Doctor_FixMicrophoneDevice',
            'Phone_Doctor_FixPermissionsPolicy',
            'Phone_Doctor_FixWebSocket',
            'Phone_Doctor_FixStunTurn',
            'Phone_Doctor_FixNetwork',
            'Phone_Doctor_FixTaskFields',
            'Phone_Doctor_FixSeat',
            'Phone_Doctor_FixPermissionSet',
            'Phone_Doctor_FixCallCenter',
            'Phone_Doctor_FixLightningWebSecurity'
        ]);
        expect(byId['task-fields']!.detail).toBe('Mos_Lowest__c, Recording_Audit__c');
        expect(runDoctorChecks({}).every((r) => r.status === 'unknown')).toBe(true);
    });

    it.each([
        ['sip.cc.example', 'wss://sip.cc.example', true],
        ['sip.cc.example', 'https://SIP.cc.example:443/path', true],
        ['sip.cc.example', '*.cc.example', true],
        ['cc.example', '*.cc.example', false],
        ['sip.cc.example.evil', 'sip.cc.example', false],
        ['sip.cc.example', '', false]
    ])('host %s covered by trusted site %s: %s', (host, site, expected) => {
        expect(hostMatches(host, site)).toBe(expected);
    });
});

describe('diagnostics file (B8)', () => {
    const LOG = [
        'INVITE sip:+48600700800@sip.cc.example SIP/2.0',
        'From: "Jan Kowalski" <sip:agent101@sip.cc.example>;tag=1',
        'P-Asserted-Identity: <tel:+48 600 700 800>',
        'Authorization: Digest username="1733600000:agt-101", response="5f1e0c"',
        'state: Ringing -> Connected (caller 0048 22 123 45 67)',
        '{"displayName":"Anna Nowak","notes":"card 4111 1111 1111 1111","authorizationPassword":"s3cr3t"}',
        'GET https://cc.example/rec/1?signature=abc123&expires=99',
        'registered after 312 ms'
    ];

    it('has no number, name, note or credential left, and keeps what support needs', () => {
        const file = buildDiagnosticsFile(
            {
                createdAt: Date.UTC(2026, 11, 7, 10, 0, 0),
                versions: { userAgent: 'Chromium 131', phoneCore: '1' },
                checks: runDoctorChecks(HEALTHY),
                log: LOG
            },
            { names: ['Jan Kowalski', 'Anna Nowak'] }
        );
        for (const secret of [
            '600700800',
            '600 700 800',
            '22 123 45 67',
            'Jan Kowalski',
            'Anna Nowak',
            '4111',
            's3cr3t',
            '5f1e0c',
            'agt-101',
            'abc123',
            'agent101'
        ]) {
            expect(file).not.toContain(secret);
        }
        expect(file).toContain('registered after 312 ms'); // short numbers are not phone numbers
        expect(file).toContain('Ringing -> Connected');
        expect(file).toContain('sip.cc.example');
        expect(JSON.parse(file).checks).toHaveLength(DOCTOR_CHECKS.length);
    });

    it('redacts personal headers, e-mail addresses, customer JSON members and names in any case', () => {
        const out = redactDiagnostics(
            [
                'Subject: Refund for Jan Kowalski',
                'Diversion: "Anna Nowak" <sip:anna@pbx.example>;reason=no-answer',
                'History-Info: <sip:desk@pbx.example?Reason=SIP;text=Anna>;index=1',
                'Call-Info: <https://crm.example/customers/jan.kowalski>;purpose=info',
                'User-to-User: 4a616e204b6f77616c736b69;encoding=hex',
                'Call-ID: a84b4c76e66710@pc33.atlanta.example',
                'mail jan.kowalski@example.com about it',
                '{"fullName":"Jan Kowalski","customerEmail":"jk@example.com"}',
                'matched JAN KOWALSKI'
            ].join('\n'),
            { names: ['Jan Kowalski'] }
        );
        expect(out).not.toMatch(/Kowalski|kowalski|Anna|Refund|4a616e|crm\.example|jk@/);
        expect(out).toContain('Call-ID: a84b4c76e66710@pc33.atlanta.example');
        expect(out).toContain('Subject: [redacted]');
    });

    it('redacts names given even where no pattern would find them', () => {
        expect(redactDiagnostics('lookup matched Zielińska Marta', { names: ['Zielińska Marta', 'x'] })).toBe(
            'lookup matched [redacted]'
        );
    });
});

describe('Phone Doctor server facts', () => {
    it("the org's view as facts; null stays unknown", () => {
        expect(serverFacts(null)).toEqual({});
        const facts = serverFacts({
            taskFieldsWithoutAccess: ['Interaction_Id__c'],
            hasSeat: null,
            hasPermissionSet: true,
            inCallCenter: false,
            trustedSiteUrls: ['wss://sip.cc.example']
        });
        expect(facts).toEqual({
            taskFieldsWithoutAccess: ['Interaction_Id__c'],
            hasPermissionSet: true,
            inCallCenter: false,
            trustedSiteHosts: ['wss://sip.cc.example']
        });
        const results = runDoctorChecks(facts).filter((r) => SERVER_DOCTOR_CHECKS.includes(r.id));
        expect(results.map((r) => [r.id, r.status])).toEqual([
            ['task-fields', 'red'],
            ['seat', 'unknown'],
            ['permission-set', 'green'],
            ['call-center', 'red']
        ]);
    });
});

describe('Phone Doctor diagnostics file: what support needs stays readable', () => {
    it('keeps ISO times and the browser version; hides bare and compact display names, longest name first', () => {
        const file = buildDiagnosticsFile(
            {
                createdAt: Date.UTC(2026, 11, 7, 10, 0, 0),
                versions: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.6778.85 Safari/537.36' },
                checks: [{ id: 'echo-test', status: 'green', detail: 'rtt 84 ms, loss 0 %' }],
                log: [
                    '2026-12-07T10:00:01.123Z log sip.Transport INVITE\r\nf: Jan Kowalski <sip:+48600700800@cc.example>;tag=9\r\nTo: Anna <sip:agent@cc.example>\r\n',
                    '2026-12-07T10:00:02.000Z state agent Busy Jan Kowalski / Jan'
                ]
            },
            { names: ['Jan', 'Jan Kowalski'] }
        );
        const parsed = JSON.parse(file) as {
            createdAt: string;
            versions: Record<string, string>;
            log: string[];
        };
        expect(parsed.createdAt).toBe('2026-12-07T10:00:00.000Z');
        expect(parsed.versions.userAgent).toContain('Chrome/131.0.6778.85');
        expect(parsed.log[0]!.startsWith('2026-12-07T10:00:01.123Z')).toBe(true);
        expect(parsed.log[0]).toContain('f: "[redacted]" <sip:[redacted]@cc.example>');
        expect(parsed.log[0]).toContain('To: "[redacted]" <sip:');
        expect(parsed.log[1]).toBe('2026-12-07T10:00:02.000Z state agent Busy [redacted] / [redacted]');
        expect(file).not.toMatch(/Kowalski|Anna|600700800/);
    });
});

describe('redaction keeps ids support needs', () => {
    it('UUIDs, hex call ids and hosts stay; numbers, also after a colon, go', () => {
        expect(redactDiagnostics('state call 2b3c4e7d-67ea-4afb-b123-456789ef19b8 inbound Connected')).toBe(
            'state call 2b3c4e7d-67ea-4afb-b123-456789ef19b8 inbound Connected'
        );
        expect(redactDiagnostics('Call-ID: te9ofa5j7459tdjmiq2t44i396lk0l')).toBe(
            'Call-ID: te9ofa5j7459tdjmiq2t44i396lk0l'
        );
        expect(redactDiagnostics('Connecting wss://sip.cc.example/ws and ws://127.0.0.1:42175')).toContain(
            'ws://127.0.0.1:'
        );
        expect(redactDiagnostics('Number:600700800 and (22) 123-45-67')).toBe('Number:[number] and [number]');
        expect(
            redactDiagnostics(
                'a=ice-pwd:U9VpvXmycAeT6KlnyXuQHw3c\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:Zm9v'
            )
        ).toBe('a=ice-pwd:[redacted]\r\na=crypto:[redacted]');
    });
});
