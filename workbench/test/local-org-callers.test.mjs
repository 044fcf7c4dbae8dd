// The local org's Apex ports against its seeded sample data: who each caller finds (the table in
// workbench/org/seed.ts) and one Task per interaction id, with the platform's Who/What rules and the contact
// centre's verification of the agent's interactions.
// Run: node --import tsx --test workbench/test/local-org-callers.test.mjs
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tsImport } from 'tsx/esm/api';
import { apex, contactCentre, findCallers, org, useLocalOrg } from './local-org-rig.mjs';

useLocalOrg();

describe('caller lookup (CallerLookupService) on the sample data, PL org', () => {
    const table = [
        { caller: '+48600700800', found: ['Contact Jan Kowalski'], why: 'stored 600-700-800' },
        {
            caller: '+48601234567',
            found: ['Contact Agnieszka Nowak', 'Case 00001025'],
            why: '0048 prefix, plus her open Case'
        },
        {
            caller: '+48602111222',
            found: ['Contact Marek Zieliński', 'Lead Marta Zielińska'],
            why: 'a shared number'
        },
        { caller: '+48603444555', found: ['PersonAccount Katarzyna Wójcik'], why: 'Person Account mobile' },
        {
            caller: '+48227654321',
            found: ['PersonAccount Tomasz Lewandowski', 'Case 00001027'],
            why: '(22) 765 43 21'
        },
        { caller: '+31612345678', found: ['Contact Pieter de Vries'], why: '+31 (0)6: the (0) dropped' },
        { caller: '+49301234567', found: ['Lead Lisa Müller'], why: '+49 (0)30' },
        {
            caller: '+48221234567',
            found: ['Account Kowalski Logistics Sp. z o.o.'],
            why: 'business account phone'
        },
        { caller: '+14155552671', found: [], why: 'a US national form is found only in a US org' },
        { caller: '+48609000111', found: [], why: 'nobody' }
    ];
    for (const row of table) {
        test(`${row.caller}: ${row.why}`, async () => {
            const matches = await findCallers(row.caller);
            assert.deepEqual(
                matches.map((match) => `${match.objectType} ${match.name}`),
                row.found
            );
        });
    }

    test('the IVR case code finds the Case, zero-padded to 8 digits', async () => {
        const matches = await findCallers('+48609000111', '1027');
        assert.deepEqual(
            matches.map((match) => [match.objectType, match.caseNumber, match.matchedField]),
            [['Case', '00001027', 'CaseNumber']]
        );
        assert.equal(matches[0].isClosed, false);
    });

    test('matches carry the members of the Apex CallerMatch, nulls where Apex leaves them unset', async () => {
        const [jan] = await findCallers('+48600700800');
        assert.deepEqual(Object.keys(jan).sort(), [
            'accountId',
            'caseNumber',
            'contactId',
            'id',
            'isClosed',
            'lastActivityAt',
            'matchedField',
            'name',
            'objectType',
            'ownerIsCurrentUser',
            'subtitle'
        ]);
        assert.equal(jan.matchedField, 'MobilePhone');
        assert.equal(jan.subtitle, 'Kowalski Logistics Sp. z o.o.');
        assert.equal(jan.caseNumber, null);
        assert.match(jan.id, /^003[A-Za-z0-9]{15}$/);
    });

    test('keys that are not search keys are never searched (FAULT-CASES 12)', async () => {
        const matches = await apex('CallerLookupController.findCallers', {
            searchKeys: ['600700800" OR x', '+48 600'],
            ivrCaseCode: "1' OR '1"
        });
        assert.deepEqual(matches, []);
    });

    test('a record saved a second ago is found (the key "trigger")', async () => {
        const id = await apex('RecordCreationController.createRecord', {
            request: { objectType: 'Contact', lastName: 'Nowy', phone: '+48611222333' }
        });
        const matches = await findCallers('+48611222333');
        assert.deepEqual(
            matches.map((match) => match.id),
            [id]
        );
    });
});

describe('call logging (CallLogService): one Task per interaction id', () => {
    const entry = (patch = {}) => ({
        interactionId: 'int-test-1',
        direction: 'inbound',
        fromNumber: '+48603444555',
        toNumber: 'cmp-support',
        startedAt: '2025-03-10T09:00:00.000Z',
        endedAt: '2025-03-10T09:03:00.000Z',
        durationSeconds: 170,
        outcome: 'answered',
        ...patch
    });

    test('the first save inserts, later saves update the same Task', async () => {
        const first = await apex('CallLogController.saveCallLog', { entry: entry() });
        assert.equal(first.status, 'saved');
        const again = await apex('CallLogController.saveCallLog', {
            entry: entry({ notes: 'Wrap-up notes', disposition: 'Resolved' })
        });
        assert.equal(again.taskId, first.taskId, 'the same Task');
        const tasks = org.db.all('Task').filter((task) => task.Interaction_Id__c === 'int-test-1');
        assert.equal(tasks.length, 1);
        assert.equal(tasks[0].Description, 'Wrap-up notes');
        assert.equal(tasks[0].CallDisposition, 'Resolved');
        assert.equal(tasks[0].Subject, 'Inbound call: +48603444555');
        assert.equal(tasks[0].CallType, 'Inbound');
        assert.equal(tasks[0].TaskSubtype, 'Call');
        assert.equal(tasks[0].CallDurationInSeconds, 170);
        assert.equal(tasks[0].OwnerId, org.user.Id);
    });

    test('free text that starts like a formula is prefixed; a + number stays dialable (SpreadsheetSafe)', async () => {
        await apex('CallLogController.saveCallLog', {
            entry: entry({
                interactionId: 'int-formula',
                displayName: '=HYPERLINK("https://evil.example")',
                notes: '@SUM(1)',
                fromNumber: '+48 603 444 555'
            })
        });
        const task = org.db.all('Task').find((record) => record.Interaction_Id__c === 'int-formula');
        assert.equal(task.Caller_Name__c, '\'=HYPERLINK("https://evil.example")');
        assert.equal(task.Description, "'@SUM(1)");
        assert.equal(task.Phone_Number__c, '+48 603 444 555');
    });

    test('the call quality summary (B4) lands on the Task, clamped, and a later save without it keeps it', async () => {
        const first = await apex('CallLogController.saveCallLog', {
            entry: entry({
                interactionId: 'int-quality',
                mosLowest: 2.934,
                mosAverage: 9,
                packetLossMaxPct: 7.5,
                jitterMaxMs: 31.25
            })
        });
        await apex('CallLogController.saveCallLog', {
            entry: entry({ interactionId: 'int-quality', notes: 'n' })
        });
        const task = org.db.get(first.taskId);
        assert.equal(task.Mos_Lowest__c, 2.93);
        assert.equal(task.Mos_Average__c, 4.5);
        assert.equal(task.Packet_Loss_Max__c, 7.5);
        assert.equal(task.Jitter_Max__c, 31.3);
        assert.equal(task.Description, 'n');
    });

    const person = () => org.db.all('Account').find((account) => account.Name === 'Katarzyna Wójcik');
    const lead = () => org.db.all('Lead').find((record) => record.Name === 'Marta Zielińska');
    const rules = [
        {
            name: 'Person Account: WhoId the person contact, WhatId the account',
            entry: () => ({ whoId: person().PersonContactId, whatId: person().Id }),
            expect: () => ({ WhoId: person().PersonContactId, WhatId: person().Id })
        },
        {
            name: 'a Lead as WhoId forbids a WhatId',
            entry: () => ({ whoId: lead().Id, whatId: person().Id }),
            expect: () => ({ WhoId: lead().Id, WhatId: null })
        },
        {
            name: 'a person is never a WhatId',
            entry: () => ({ whatId: lead().Id }),
            expect: () => ({ WhoId: undefined, WhatId: undefined })
        }
    ];
    for (const [index, rule] of rules.entries()) {
        test(rule.name, async () => {
            const result = await apex('CallLogController.saveCallLog', {
                entry: entry({ interactionId: `int-rule-${index}`, ...rule.entry() })
            });
            const task = org.db.get(result.taskId);
            const { WhoId, WhatId } = rule.expect();
            assert.equal(task.WhoId ?? undefined, WhoId ?? undefined);
            assert.equal(task.WhatId ?? (WhatId === null ? null : undefined), WhatId);
        });
    }

    test('a transferred call: one Task per agent, each with its own notes (issue 11 finding 1)', async () => {
        const { saveCallLog } = await tsImport('../org/apex/call-log.ts', import.meta.url);
        const second = org.db.all('User').find((user) => user.Id !== org.user.Id);
        assert.ok(second, 'a second sample user');
        // a contact centre that issued the call to both agents
        const issuedToAll = {
            get: async (path) => ({
                items: [
                    {
                        id: 'agt-any',
                        active: true,
                        salesforceUserId: new URL(path, 'http://cc').searchParams.get('salesforceUserId')
                    }
                ]
            }),
            post: async (_path, body) => ({
                interactions: body.interactionIds.map((interactionId) => ({ interactionId, issued: true })),
                sipCalls: []
            })
        };
        const context = (user) => ({
            db: org.db,
            labels: org.labels,
            orgLabels: org.labels,
            user: { Id: user.Id, Name: String(user.Name), Email: String(user.Email) },
            contactCentre: issuedToAll
        });
        const first = await saveCallLog(context(org.user), {
            entry: entry({ interactionId: 'int-transfer', notes: 'First agent', sipCallId: 'leg-1@kamailio' })
        });
        const taken = await saveCallLog(context(second), {
            entry: entry({
                interactionId: 'int-transfer',
                notes: 'Second agent',
                sipCallId: 'leg-2@kamailio'
            })
        });
        assert.equal(first.status, 'saved');
        assert.equal(taken.status, 'saved', taken.message);
        assert.notEqual(first.taskId, taken.taskId, 'a Task per agent');
        const again = await saveCallLog(context(org.user), {
            entry: entry({ interactionId: 'int-transfer', notes: 'First agent, edited' })
        });
        assert.equal(again.taskId, first.taskId, 'the first agent updates their own Task');
        const tasks = org.db.all('Task').filter((task) => task.Interaction_Id__c === 'int-transfer');
        assert.deepEqual(tasks.map((task) => task.Description).sort(), [
            'First agent, edited',
            'Second agent'
        ]);
    });

    test('a first log is written only for an interaction the contact centre issued to the agent (issue 11 finding 3)', async () => {
        const before = contactCentre.requests.length;
        const results = await apex('CallLogController.saveCallLogs', {
            entries: [
                entry({ interactionId: 'int-issued-1' }),
                entry({ interactionId: 'int-foreign-1', notes: 'Typed on a call that was not mine' }),
                entry({ interactionId: 'gen-1', sipCallId: 'own-leg@kamailio' })
            ]
        });
        assert.equal(results[0].status, 'saved');
        assert.equal(results[1].status, 'rejected');
        assert.equal(results[1].retryable, false, 'retrying cannot change the answer');
        assert.equal(results[1].code, 'interaction-not-issued');
        assert.match(results[1].message, /contact centre/i);
        assert.equal(results[2].status, 'saved', 'vouched by its SIP Call-ID');
        const verifications = contactCentre.requests
            .slice(before)
            .filter((request) => request.url.endsWith('/interactions/verification'));
        assert.equal(verifications.length, 1, 'one call for the request');
        assert.deepEqual(verifications[0].body, {
            interactionIds: ['int-issued-1', 'int-foreign-1', 'gen-1'],
            sipCallIds: ['own-leg@kamailio']
        });
        assert.equal(
            org.db.all('Task').filter((task) => task.Interaction_Id__c === 'int-foreign-1').length,
            0,
            'no Task for it'
        );
        const again = await apex('CallLogController.saveCallLog', {
            entry: entry({ interactionId: 'int-issued-1', notes: 'later' })
        });
        assert.equal(again.taskId, results[0].taskId);
        assert.equal(
            contactCentre.requests.slice(before).filter((request) => request.url.endsWith('/verification'))
                .length,
            1,
            'a later save of the leg asks nothing'
        );
    });

    test('the contact centre unreachable: the log is saved, flagged unverified', async () => {
        contactCentre.fail(503, 'service-unavailable', { 'Retry-After': '1' });
        try {
            const result = await apex('CallLogController.saveCallLog', {
                entry: entry({ interactionId: 'int-outage' })
            });
            assert.equal(result.status, 'saved');
            assert.equal(org.db.get(result.taskId).Interaction_Unverified__c, true);
        } finally {
            contactCentre.succeed();
        }
    });

    test('at most 50 logs per request from the phone', async () => {
        await assert.rejects(
            apex('CallLogController.saveCallLogs', {
                entries: Array.from({ length: 51 }, (_, i) => entry({ interactionId: `int-many-${i}` }))
            }),
            /.+/
        );
    });

    test('an entry without an interaction id is rejected, not retried; the rest are saved', async () => {
        const results = await apex('CallLogController.saveCallLogs', {
            entries: [entry({ interactionId: '  ' }), entry({ interactionId: 'int-test-2' })]
        });
        assert.equal(results[0].status, 'rejected');
        assert.equal(results[0].retryable, false);
        assert.equal(results[1].status, 'saved');
    });

    test('missed calls get the missed subject; only https recordings are kept; control characters go', async () => {
        const result = await apex('CallLogController.saveCallLog', {
            entry: entry({
                interactionId: 'int-test-3',
                outcome: 'missed',
                recordingUrl: 'javascript:alert(1)',
                displayName: 'Jan\u0007 K'
            })
        });
        const task = org.db.get(result.taskId);
        assert.equal(task.Subject, 'Missed call: +48603444555');
        assert.equal(task.Recording_Url__c, null);
        assert.equal(task.Caller_Name__c, 'Jan K');
    });
});
