// The local org's Apex ports against its seeded sample data, with the search keys phone-core computes in the
// browser: who each caller finds (the table in workbench/org/seed.ts), one Task per interaction id, the
// platform's Who/What rules, record creation and "attach number", settings, the contact-centre calls and
// their error messages. Run: node --test workbench/test/local-org.test.mjs
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { LocalOrg, ApexFailure } = await tsImport('../org/local-org.ts', import.meta.url);
const { phoneSearchKeys } = await tsImport('../../phone-core/src/phone-number.ts', import.meta.url);

/** A contact centre that answers what the tests need (the simulator's shapes), or fails on request. */
function fakeContactCentre() {
    const requests = [];
    let failure = null;
    const server = http.createServer((request, response) => {
        let body = '';
        request.on('data', (chunk) => (body += chunk));
        request.on('end', () => {
            requests.push({
                method: request.method,
                url: request.url,
                headers: request.headers,
                body: body ? JSON.parse(body) : null
            });
            const send = (status, value, headers = {}) =>
                response
                    .writeHead(status, { 'Content-Type': 'application/json', ...headers })
                    .end(JSON.stringify(value));
            if (failure) return send(failure.status, { code: failure.code }, failure.headers);
            if (request.url.startsWith('/v1/agents?')) {
                // the agent holds Anna's Federation ID as its SSO id (no Salesforce user id)
                const query = new URL(request.url, 'http://cc').searchParams;
                const anna = query.get('ssoId')?.toLowerCase() === 'anna.kowalska@acme.example';
                return send(200, {
                    items: anna
                        ? [
                              {
                                  id: 'agt-101',
                                  displayName: 'Anna Kowalska',
                                  extension: '101',
                                  active: true,
                                  ssoId: 'Anna.Kowalska@acme.example',
                                  salesforceUserId: null
                              }
                          ]
                        : [],
                    nextCursor: null
                });
            }
            if (request.url === '/v1/agents/agt-101/webrtc-session') {
                return send(200, {
                    wssUrl: 'ws://127.0.0.1:9/ws',
                    sipUri: 'sip:agt-101@127.0.0.1',
                    authorizationUsername: '1741598100:agt-101',
                    authorizationPassword: 'secret',
                    expiresAt: '2025-03-10T09:15:00Z',
                    iceServers: [{ urls: ['stun:127.0.0.1:3478'] }, { urls: [] }]
                });
            }
            if (request.url === '/v1/agents/agt-101/interactions/verification') {
                // every id is Anna's but the ones named foreign (issue 11 finding 3)
                const body = requests.at(-1).body;
                return send(200, {
                    agentId: 'agt-101',
                    interactions: body.interactionIds.map((interactionId) => ({
                        interactionId,
                        issued: !interactionId.startsWith('int-foreign')
                    })),
                    sipCalls: (body.sipCallIds ?? []).map((sipCallId) => ({
                        sipCallId,
                        issued: sipCallId.startsWith('own-'),
                        interactionId: sipCallId.startsWith('own-') ? 'int-real' : null
                    }))
                });
            }
            if (request.url === '/v1/agents/agt-101/status')
                return send(200, { status: 'Wrap', since: '2025-03-10T09:00:00Z' });
            if (request.url === '/v1/recordings/rec-1/signed-url?ttlSeconds=300')
                return send(200, {
                    url: 'https://cc.example/rec-1/audio?signature=ab',
                    expiresAt: '2025-03-10T09:20:00Z'
                });
            if (request.url === '/v1/callbacks' && request.method === 'POST')
                return body.includes('"campaignId":"cmp-support"')
                    ? send(201, { id: 'cbk-wb-1', state: 'waiting' })
                    : send(422, { code: 'validation-failed' });
            if (request.url === '/v1/pause-reasons')
                return send(200, { items: [{ id: 'lunch', name: 'Lunch' }, { id: 'x' }, null] });
            return send(404, { code: 'not-found' });
        });
    });
    return {
        requests,
        fail(status, code, headers) {
            failure = { status, code, headers };
        },
        succeed() {
            failure = null;
        },
        listen: () =>
            new Promise((resolve) =>
                server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`))
            ),
        close: () => new Promise((resolve) => server.close(resolve))
    };
}

let org;
let contactCentre;
before(async () => {
    contactCentre = fakeContactCentre();
    const baseUrl = await contactCentre.listen();
    org = await LocalOrg.open({
        root: ROOT,
        dataDir: null,
        contactCentre: { baseUrl, apiKey: 'key', tenantId: 'tenant' }
    });
});
after(async () => {
    org?.close();
    await contactCentre?.close();
});

const apex = (name, params = {}) => {
    const [className, method] = name.split('.');
    return org.invokeApex(className, method, params);
};
const findCallers = (number, ivrCaseCode = null) =>
    apex('CallerLookupController.findCallers', {
        searchKeys: phoneSearchKeys(number, { defaultCountry: 'PL' }),
        ivrCaseCode
    });

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

describe('record creation (RecordCreationService)', () => {
    test('a Lead needs a last name and a company', async () => {
        await assert.rejects(
            apex('RecordCreationController.createRecord', {
                request: { objectType: 'Lead', lastName: 'X', phone: '+48600000001' }
            }),
            (error) => error instanceof ApexFailure && /required/i.test(error.message)
        );
    });

    test('a number that is not + and digits is refused', async () => {
        await assert.rejects(
            apex('RecordCreationController.createRecord', {
                request: { objectType: 'Contact', lastName: 'X', phone: '600 700' }
            }),
            ApexFailure
        );
    });

    test('a Person Account gets its person contact; a Case its number and default subject', async () => {
        const accountId = await apex('RecordCreationController.createRecord', {
            request: { objectType: 'PersonAccount', firstName: 'Ola', lastName: 'Lis', phone: '+48612000111' }
        });
        const account = org.db.get(accountId);
        assert.equal(account.IsPersonAccount, true);
        assert.equal(account.Name, 'Ola Lis');
        assert.match(account.PersonContactId, /^003/);
        const caseId = await apex('RecordCreationController.createRecord', {
            request: { objectType: 'Case', phone: '+48612000111' }
        });
        const record = org.db.get(caseId);
        assert.match(record.CaseNumber, /^\d{8}$/);
        assert.equal(
            record.Subject,
            org.labels.get('Phone_Case_SubjectDefault').replace('{0}', '+48612000111')
        );
        assert.equal(record.SuppliedPhone, '+48612000111');
    });

    test('attach number writes the first empty phone field, then refuses when none is left', async () => {
        const lead = org.db.all('Lead').find((record) => record.Name === 'Lisa Müller');
        assert.equal(
            await apex('RecordCreationController.attachNumber', {
                recordId: lead.Id,
                phone: '+48613000222',
                fieldName: null
            }),
            'MobilePhone'
        );
        assert.equal(org.db.get(lead.Id).MobilePhone, '+48613000222');
        await assert.rejects(
            apex('RecordCreationController.attachNumber', {
                recordId: lead.Id,
                phone: '+48613000333',
                fieldName: null
            }),
            ApexFailure
        );
        assert.deepEqual(
            (await findCallers('+48613000222')).map((match) => match.id),
            [lead.Id],
            'the attached number finds the record'
        );
    });
});

describe("a custom object's record page and new-record form (F20, the workbench's UI API)", () => {
    test('its record page shows its fields, its phone fields dialable, and its call history', () => {
        const [request] = org.list('Service_Request__c');
        assert.equal(request.objectApiName, 'Service_Request__c');
        const view = org.record(request.id);
        assert.equal(view.objectLabel, 'Service Request');
        assert.equal(view.name, 'SR-0001');
        const phone = view.fields.find((field) => field.apiName === 'Phone__c');
        assert.equal(phone.displayValue, '606 321 654', 'as stored');
        assert.equal(phone.isPhone, true, 'click-to-dial');
        assert.deepEqual(org.activities(request.id), [], 'no calls yet');
        assert.deepEqual(
            org.objectInfos(['Service_Request__c']).map((info) => info.result.label),
            ['Service Request']
        );
    });

    test('the standard form creates one with its Name required; other objects keep their own form', () => {
        const form = org.formFields('Service_Request__c');
        assert.equal(form.label, 'Service Request');
        assert.deepEqual(
            form.fields.map((field) => field.apiName),
            ['Name', 'Customer_Name__c', 'Phone__c', 'Alternate_Phone__c', 'Status__c']
        );
        assert.equal(org.formFields('Contact'), null);
        assert.throws(
            () => org.createFromForm('Service_Request__c', 'Service_Request__c', { Phone__c: '+48609000111' }),
            (error) => error instanceof ApexFailure && /Service Request Name/.test(error.message)
        );
        const created = org.createFromForm('Service_Request__c', 'Service_Request__c', {
            Name: 'SR-0100',
            Phone__c: '+48609000111',
            OwnerId: 'not settable'
        });
        assert.equal(created.name, 'SR-0100');
        assert.equal(org.db.get(created.id).Phone__c, '+48609000111');
        assert.notEqual(org.db.get(created.id).OwnerId, 'not settable');
    });
});

describe('settings and the contact centre', () => {
    test('getSettings: PL numbering, Person Accounts detected', async () => {
        const settings = await apex('PhoneSettingsController.getSettings');
        assert.equal(settings.defaultCountry, 'PL');
        assert.equal(settings.countryCallingCode, '48');
        assert.equal(settings.internationalPrefix, '00');
        assert.equal(settings.personAccountsEnabled, true);
        assert.equal(settings.defaultWrapSeconds, 15);
    });

    test('getSipCredentials: the agent by user id then Federation ID, the API key and tenant as headers, epoch expiry', async () => {
        contactCentre.succeed();
        const before = contactCentre.requests.length;
        const credentials = await apex('AgentSessionController.getSipCredentials');
        const lookups = contactCentre.requests.slice(before, before + 2).map((r) => r.url);
        assert.match(lookups[0], /^\/v1\/agents\?limit=10&salesforceUserId=005/, 'the user id first');
        assert.equal(
            lookups[1],
            '/v1/agents?limit=10&ssoId=anna.kowalska%40acme.example',
            'then the Federation ID'
        );
        assert.equal(credentials.agentId, 'agt-101');
        assert.equal(credentials.extension, '101');
        assert.equal(credentials.expiresAt, Date.parse('2025-03-10T09:15:00Z'));
        assert.deepEqual(credentials.iceServers, [
            { urls: ['stun:127.0.0.1:3478'], username: null, credential: null }
        ]);
        const call = contactCentre.requests.at(-1);
        assert.equal(call.headers['x-api-key'], 'key');
        assert.equal(call.headers['x-tenant-id'], 'tenant');
    });

    test('getPlaybackUrl signs a contact-centre recording when it is played; refuses other schemes', async () => {
        contactCentre.succeed();
        assert.equal(
            await apex('RecordingPlaybackController.getPlaybackUrl', {
                recordingUrl: 'https://cc.example/v1/recordings/rec-1/audio'
            }),
            'https://cc.example/rec-1/audio?signature=ab'
        );
        await assert.rejects(
            apex('RecordingPlaybackController.getPlaybackUrl', { recordingUrl: 'javascript:alert(1)' }),
            ApexFailure
        );
    });

    test('setStatus maps phone-core statuses onto the API and checks pause reasons', async () => {
        const view = await apex('AgentStatusController.setStatus', {
            status: 'Ringing',
            pauseReasonId: null,
            campaignId: null
        });
        assert.equal(contactCentre.requests.at(-1).body.status, 'Ready', 'Ringing is Ready for the API');
        assert.equal(view.status, 'Wrap');
        assert.equal(view.since, Date.parse('2025-03-10T09:00:00Z'));
        await assert.rejects(
            apex('AgentStatusController.setStatus', { status: 'Paused', pauseReasonId: ' ' }),
            ApexFailure
        );
        assert.deepEqual(await apex('AgentStatusController.getPauseReasons'), [
            { id: 'lunch', label: 'Lunch', maxSeconds: null },
            { id: 'x', label: 'x', maxSeconds: null }
        ]);
    });

    const failures = [
        { status: 401, code: null, label: 'Phone_Error_Unauthorized' },
        { status: 403, code: 'no-seat', label: 'Phone_Error_NoSeat' },
        { status: 409, code: 'agent-cannot-work', label: 'Phone_Error_AgentInactive' },
        {
            status: 429,
            code: 'rate-limited',
            label: 'Phone_Error_RateLimited',
            headers: { 'Retry-After': '7' }
        },
        { status: 502, code: null, label: 'Phone_Error_Unavailable' }
    ];
    for (const failure of failures) {
        test(`HTTP ${failure.status}${failure.code ? ` ${failure.code}` : ''} becomes the ${failure.label} message`, async () => {
            contactCentre.fail(failure.status, failure.code, failure.headers);
            try {
                await assert.rejects(apex('AgentStatusController.getPauseReasons'), (error) => {
                    assert.ok(error instanceof ApexFailure);
                    const expected = org.labels.get(failure.label).replace('{0}', '7');
                    assert.equal(error.message, expected);
                    return true;
                });
            } finally {
                contactCentre.succeed();
            }
        });
    }
});

describe('languages: the user reads their own, stored Task subjects keep the org default (OrgLanguageLabels)', () => {
    test('an org whose default language is Polish logs in Polish; an agent switched to Russian reads Russian', async () => {
        const polish = await LocalOrg.open({
            root: ROOT,
            dataDir: null,
            contactCentre: { baseUrl: 'http://127.0.0.1:9', apiKey: 'key', tenantId: 'tenant' },
            language: 'pl'
        });
        try {
            polish.setUserLanguage('ru');
            const result = await polish.invokeApex('CallLogController', 'saveCallLog', {
                entry: {
                    interactionId: 'int-lang-1',
                    direction: 'inbound',
                    fromNumber: 'anonymous',
                    toNumber: 'cmp-support',
                    startedAt: '2025-03-10T09:00:00.000Z',
                    outcome: 'missed'
                }
            });
            assert.equal(polish.db.get(result.taskId).Subject, 'Nieodebrane połączenie: Nieznany rozmówca');
            await assert.rejects(
                polish.invokeApex('CallLogController', 'saveCallLogs', { entries: new Array(201).fill({}) }),
                (error) => error.message === 'Часть отправленных данных некорректна.'
            );
            assert.deepEqual(polish.objectInfos(['Case', 'PersonAccount', 'Opportunity']), [
                {
                    statusCode: 200,
                    result: { apiName: 'Case', label: 'Обращение', labelPlural: 'Обращения' }
                },
                {
                    statusCode: 200,
                    result: {
                        apiName: 'PersonAccount',
                        label: 'Персональный аккаунт',
                        labelPlural: 'Персональные аккаунты'
                    }
                },
                {
                    statusCode: 400,
                    result: { errorCode: 'INVALID_TYPE', message: 'Object Opportunity is not supported' }
                }
            ]);
            assert.throws(() => polish.setUserLanguage('de'), /Unknown language de/);
        } finally {
            polish.close();
        }
    });
});

/** Waits for `condition` (the workbench's stand-in of a Queueable runs after the save). */
async function waitUntil(condition, timeoutMs = 5000) {
    const end = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > end) throw new Error('condition not met');
        await new Promise((resolve) => setImmediate(resolve));
    }
}

describe('IVR writes and callbacks (IvrWriteService, CallbackService)', () => {
    const abandoned = (interactionId, patch = {}) => ({
        tenantId: 'tenant',
        writes: [
            {
                interactionId,
                kind: 'abandoned',
                callerNumber: '+48600700800',
                queueName: 'Support PL',
                offeredAt: '2025-03-10T09:20:00Z',
                endedAt: '2025-03-10T09:20:45Z',
                callback: { dueAt: '2025-03-10T14:00:00Z' },
                ...patch
            }
        ]
    });

    test('an abandoned call becomes one call Task and one callback, however often it is written', async () => {
        const first = org.writeIvr(abandoned('int-ivr-1'));
        const again = org.writeIvr(abandoned('int-ivr-1'));
        assert.equal(first.status, 200);
        const [result] = first.body.results;
        assert.equal(result.status, 'created');
        assert.equal(again.body.results[0].callbackTaskId, result.callbackTaskId, 'the same callback');
        assert.equal(org.db.all('Task').filter((task) => task.Interaction_Id__c === 'int-ivr-1').length, 1);
        const callbacks = await apex('CallbackController.openCallbacks');
        const callback = callbacks.find((candidate) => candidate.originalInteractionId === 'int-ivr-1');
        assert.equal(callback.id, result.callbackTaskId);
        assert.equal(callback.phoneNumber, '+48600700800');
        assert.equal(callback.recordName, 'Jan Kowalski', 'related to the one record with that number');
        assert.equal(callback.dueAt, '2025-03-10T14:00:00Z');
        assert.equal(callback.queue, 'Support PL');
        await apex('CallbackController.completeCallback', { callbackId: callback.id });
        const open = await apex('CallbackController.openCallbacks');
        assert.equal(
            open.some((candidate) => candidate.id === callback.id),
            false,
            'closed'
        );
    });

    test('a callback asked for in the wrap-up becomes one callback of the agent', async () => {
        const entry = {
            interactionId: 'int-wrap-cb-1',
            direction: 'inbound',
            fromNumber: '+48601234567',
            outcome: 'answered',
            callbackRequested: true
        };
        await apex('CallLogController.saveCallLog', { entry });
        await apex('CallLogController.saveCallLog', { entry });
        const open = (await apex('CallbackController.openCallbacks')).filter(
            (callback) => callback.originalInteractionId === 'int-wrap-cb-1'
        );
        assert.equal(open.length, 1, 'one callback however often the log is sent');
        assert.equal(open[0].phoneNumber, '+48601234567');
    });

    test('queued callbacks (QueuedCallbackService): the IVR names its id; the wrap-up path posts it; the push closes it', async () => {
        const ivr = org.writeIvr(
            abandoned('int-ivr-q', { kind: 'callback', callback: { queuedCallbackId: 'cbk-ivr-1' } })
        );
        const queuedTask = org.db.get(ivr.body.results[0].callbackTaskId);
        assert.equal(queuedTask.Contact_Centre_Callback_Id__c, 'cbk-ivr-1');
        assert.equal(queuedTask.Callback_Queued__c, true);

        const settings = JSON.parse(org.db.getMeta('Phone_Settings__c') ?? '{}');
        org.db.setMeta('Phone_Settings__c', JSON.stringify({ ...settings, Queued_Callbacks__c: true }));
        try {
            for (const [interactionId, campaign] of [
                ['int-wrap-q-1', 'cmp-support'],
                ['int-wrap-q-2', 'cmp-nope']
            ]) {
                await apex('CallLogController.saveCallLog', {
                    entry: {
                        interactionId,
                        direction: 'inbound',
                        fromNumber: '+48601234567',
                        outcome: 'answered',
                        campaign,
                        callbackRequested: true
                    }
                });
            }
        } finally {
            org.db.setMeta('Phone_Settings__c', JSON.stringify(settings));
        }
        const callbackOf = (interactionId) =>
            org.db.all('Task').find((task) => task.Callback_Of__c === interactionId);
        await waitUntil(() => callbackOf('int-wrap-q-1').Contact_Centre_Callback_Id__c === 'cbk-wb-1');
        await waitUntil(() => callbackOf('int-wrap-q-2').Callback_Queued__c === false);
        const posted = contactCentre.requests.find((request) => request.url === '/v1/callbacks');
        assert.deepEqual(
            {
                phoneNumber: posted.body.phoneNumber,
                campaignId: posted.body.campaignId,
                originalInteractionId: posted.body.originalInteractionId,
                callbackTaskId: posted.body.callbackTaskId
            },
            {
                phoneNumber: '+48601234567',
                campaignId: 'cmp-support',
                originalInteractionId: 'int-wrap-q-1',
                callbackTaskId: callbackOf('int-wrap-q-1').Id
            }
        );
        const open = (await apex('CallbackController.openCallbacks')).map(
            (callback) => callback.originalInteractionId
        );
        assert.equal(open.includes('int-ivr-q'), false, 'queued: not listed');
        assert.equal(open.includes('int-wrap-q-1'), false, 'queued: not listed');
        assert.equal(open.includes('int-wrap-q-2'), true, 'refused by the contact centre: listed');

        org.pushCallRecords({
            tenantId: 'tenant',
            records: [
                {
                    interactionId: 'int-cb-call',
                    tenantId: 'tenant',
                    direction: 'outbound',
                    outcome: 'answered',
                    callerNumber: '+48221234500',
                    calleeNumber: '+48600700800',
                    callback: { callbackId: 'cbk-ivr-1' }
                }
            ]
        });
        assert.equal(org.db.get(queuedTask.Id).Status, 'Completed', 'the answered call closed it');
    });

    test('a voicebot write attaches to the call without a callback; bad requests are refused', async () => {
        const voicebot = org.writeIvr(abandoned('int-ivr-2', { kind: 'voicebot', callback: null }));
        assert.equal(voicebot.body.results[0].callbackTaskId, null);
        assert.equal(org.writeIvr({ writes: [] }).status, 400);
        assert.equal(
            org.writeIvr(abandoned('int-ivr-3', { kind: 'teleport' })).body.results[0].status,
            'rejected'
        );
        await assert.rejects(
            apex('CallbackController.completeCallback', { callbackId: voicebot.body.results[0].taskId }),
            (error) => error instanceof ApexFailure
        );
    });
});

describe("call-record push (CallRecordPushService): one Task per agent leg, met by the agents' logs", () => {
    const PIOTR = 'piotr.nowak@acme.example';
    const pushOf = (interactionId, legs, patch = {}) => ({
        tenantId: 'tenant',
        records: [
            {
                interactionId,
                tenantId: 'tenant',
                direction: 'inbound',
                callerNumber: '+48600700800',
                offeredAt: '2025-03-10T09:20:00Z',
                endedAt: '2025-03-10T09:25:00Z',
                outcome: 'answered',
                queueName: 'Support PL',
                legs,
                ...patch
            }
        ]
    });
    const leg = (agentEmail, sipCallId) => ({ agentEmail, sipCallId, outcome: 'answered', talkSeconds: 60 });
    const tasksOf = (interactionId) =>
        org.db.all('Task').filter((task) => task.Interaction_Id__c === interactionId);
    const logAs = (user, interactionId, notes) =>
        org.invokeApex(
            'CallLogController',
            'saveCallLog',
            {
                entry: {
                    interactionId,
                    direction: 'inbound',
                    fromNumber: '+48600700800',
                    outcome: 'answered',
                    notes
                }
            },
            user
        );

    const voicebotWrite = (interactionId) => ({
        tenantId: 'tenant',
        writes: [
            {
                interactionId,
                kind: 'voicebot',
                callerNumber: '+48600700800',
                offeredAt: '2025-03-10T09:20:00Z',
                ivr: { voicebotAnswers: [{ question: 'Order number?', answer: 'A-1234' }] }
            }
        ]
    });

    test("issue 15: the voicebot's answers and the agent's notes are both kept, in either order", async () => {
        assert.equal(org.writeIvr(voicebotWrite('int-vb-1')).body.results[0].status, 'created');
        await logAs(org.user, 'int-vb-1', 'Wants the order sent again.');
        org.pushCallRecords(
            pushOf('int-vb-1', undefined, {
                agentEmail: org.user.Email,
                ivr: { voicebotAnswers: [{ question: 'Order number?', answer: 'A-1234' }] }
            })
        );
        org.pushCallRecords(pushOf('int-vb-1', undefined, { agentEmail: org.user.Email, ivr: null }));
        const [first] = tasksOf('int-vb-1');
        assert.equal(tasksOf('int-vb-1').length, 1);
        assert.equal(first.Description, 'Wants the order sent again.', "the agent's notes");
        assert.match(first.Ivr_Answers__c, /Order number\? A-1234/, "the voicebot's answers");

        await logAs(org.user, 'int-vb-2', 'Order resent.');
        assert.equal(org.writeIvr(voicebotWrite('int-vb-2')).body.results[0].status, 'updated');
        const [second] = tasksOf('int-vb-2');
        assert.equal(tasksOf('int-vb-2').length, 1);
        assert.equal(second.Description, 'Order resent.');
        assert.match(second.Ivr_Answers__c, /Order number\? A-1234/);
        const history = org.activities(first.WhoId).find((activity) => activity.id === first.Id);
        assert.match(history.ivrAnswers, /A-1234/, 'the record page shows them beside the notes');
    });

    test('a transferred call: each agent keeps their own Task and notes, whichever arrives first', async () => {
        const piotr = org.sampleUser(PIOTR);
        await logAs(org.user, 'int-push-1', 'Anna: took the order.');
        const push = pushOf('int-push-1', [leg(org.user.Email, 'sip-a'), leg(PIOTR, 'sip-p')]);
        const first = org.pushCallRecords(push);
        assert.equal(first.status, 200);
        assert.equal(first.body.results[0].status, 'created', "Piotr's leg was new");
        assert.equal(first.body.results[0].taskIds.length, 2);
        await logAs(piotr, 'int-push-1', 'Piotr: confirmed delivery.');
        const piotrsTask = tasksOf('int-push-1').find((task) => task.OwnerId === piotr.Id);
        assert.equal(
            piotrsTask.Queue__c,
            'Support PL',
            "Piotr's log keeps the pushed facts it does not carry"
        );
        const again = org.pushCallRecords(push);
        assert.equal(again.body.results[0].status, 'updated');

        const tasks = tasksOf('int-push-1');
        assert.equal(tasks.length, 2, 'one Task per agent, no duplicate');
        const byOwner = new Map(tasks.map((task) => [task.OwnerId, task]));
        assert.equal(byOwner.get(org.user.Id).Description, 'Anna: took the order.');
        assert.equal(byOwner.get(piotr.Id).Description, 'Piotr: confirmed delivery.');
        assert.equal(byOwner.get(piotr.Id).Queue__c, 'Support PL', "the push's facts on the agent's Task");
    });

    test('a leg is owned by the Salesforce user id the contact centre holds, the e-mail only without one', () => {
        const piotr = org.sampleUser(PIOTR);
        const push = pushOf('int-push-ids', [
            // a stale e-mail (Anna's) with Piotr's id (15 characters): the id decides
            { ...leg(org.user.Email, 'sip-id-p'), salesforceUserId: piotr.Id.slice(0, 15) },
            // an id naming nobody: not the user of the e-mail, the running user
            { ...leg(PIOTR, 'sip-id-x'), salesforceUserId: '005000000000000AAA' }
        ]);
        assert.equal(org.pushCallRecords(push).body.results[0].status, 'created');
        assert.equal(tasksOf('int-push-ids').length, 2, 'a Task per leg');
        const owners = tasksOf('int-push-ids').map((task) => task.OwnerId);
        assert.ok(owners.includes(piotr.Id), 'by the id, not by the e-mail');
        assert.equal(owners.filter((owner) => owner === piotr.Id).length, 1, 'the unknown id is not Piotr');
    });

    test("a record without legs is its agent's one leg; foreign tenants and bad bodies are refused", () => {
        const single = org.pushCallRecords(pushOf('int-push-2', undefined, { agentEmail: PIOTR }));
        assert.equal(single.status, 200);
        assert.deepEqual(
            tasksOf('int-push-2').map((task) => task.OwnerId),
            [org.sampleUser(PIOTR).Id]
        );
        assert.equal(org.pushCallRecords({ ...pushOf('int-push-3', []), tenantId: 'other' }).status, 403);
        assert.equal(org.pushCallRecords({ tenantId: 'tenant', records: [] }).status, 400);
        assert.equal(tasksOf('int-push-3').length, 0, 'nothing written for a refused push');
    });
});

describe('conversation (ConversationRestResource, ConversationController): the same rules as the Apex', () => {
    const logCall = (interactionId, notes) =>
        apex('CallLogController.saveCallLog', {
            entry: {
                interactionId,
                direction: 'inbound',
                fromNumber: '+48600700800',
                outcome: 'answered',
                notes,
                disposition: 'Other'
            }
        });
    const taskOf = (interactionId) =>
        org.db.all('Task').find((task) => task.Interaction_Id__c === interactionId);
    const conversation = {
        summary: '  Refund agreed.  ',
        suggestedResult: 'Resolved',
        transcript: 'A: Hi\nC: Hello'
    };

    test('before the Task: 202 pending; after: the summary beside the notes, the transcript once', async () => {
        const early = org.saveConversation('int-conv-wb-1', 'tenant', conversation);
        assert.equal(early.status, 202);
        assert.equal(early.retryAfterSeconds, 30);
        assert.deepEqual(early.body, { interactionId: 'int-conv-wb-1', status: 'pending' });
        assert.equal(
            (await apex('ConversationController.getConversation', { interactionId: 'int-conv-wb-1' }))
                .arrived,
            false
        );

        await logCall('int-conv-wb-1', 'Typed by the agent');
        const saved = org.saveConversation('int-conv-wb-1', 'tenant', conversation);
        assert.deepEqual(saved.body, { interactionId: 'int-conv-wb-1', status: 'saved' });
        org.saveConversation('int-conv-wb-1', 'tenant', conversation);
        const task = taskOf('int-conv-wb-1');
        assert.equal(task.Call_Summary__c, 'Refund agreed.');
        assert.equal(task.Suggested_Result__c, 'Resolved');
        assert.equal(task.Description, 'Typed by the agent', "the agent's notes untouched");
        assert.equal(task.CallDisposition, 'Other', "the agent's call result untouched");
        assert.deepEqual(
            org.db.filesOf(task.Id).map((file) => [file.title, file.data]),
            [['Transcript int-conv-wb-1', 'A: Hi\nC: Hello']],
            'one transcript file however often it is sent'
        );
        const view = await apex('ConversationController.getConversation', { interactionId: 'int-conv-wb-1' });
        assert.deepEqual(view, {
            interactionId: 'int-conv-wb-1',
            arrived: true,
            taskId: task.Id,
            summary: 'Refund agreed.',
            suggestedResult: 'Resolved'
        });

        // the agent saves again after it arrived (a late wrap-up): the summary stays
        await logCall('int-conv-wb-1', 'Typed by the agent, and more');
        assert.equal(taskOf('int-conv-wb-1').Call_Summary__c, 'Refund agreed.');
    });

    test('empty, oversized, refused', async () => {
        await logCall('int-conv-wb-2', 'notes');
        const empty = org.saveConversation('int-conv-wb-2', 'tenant', { summary: ' ', transcript: '' });
        assert.deepEqual(empty.body, { interactionId: 'int-conv-wb-2', status: 'empty' });
        assert.equal(
            org.saveConversation('int-conv-wb-3', 'tenant', {}).body.status,
            'empty',
            'empty before a Task too'
        );
        const task = taskOf('int-conv-wb-2');
        assert.equal(task.Call_Summary__c, undefined);
        assert.equal(org.db.filesOf(task.Id).length, 0, 'no file from an empty transcript');

        const huge = 'x'.repeat(1_000_010);
        assert.equal(org.saveConversation('int-conv-wb-2', 'tenant', { transcript: huge }).status, 200);
        const [file] = org.db.filesOf(task.Id);
        assert.equal(file.data.length, 1_000_000 + '\n[...]'.length, 'cut at a million characters');
        assert.ok(file.data.endsWith('\n[...]'), 'and marked');

        assert.equal(org.saveConversation('int-conv-wb-2', 'other', conversation).status, 403);
        assert.equal(org.saveConversation('int-conv-wb-2', undefined, conversation).status, 403);
        assert.equal(org.saveConversation(' ', 'tenant', conversation).status, 400);
        assert.equal(org.saveConversation('int-conv-wb-2', 'tenant', { summary: 5 }).status, 400);
        assert.equal(org.saveConversation('int-conv-wb-2', 'tenant', []).status, 400);
        assert.equal(
            taskOf('int-conv-wb-2').Call_Summary__c,
            undefined,
            'nothing written by a refused request'
        );
        await assert.rejects(
            apex('ConversationController.getConversation', { interactionId: ' ' }),
            (error) => error instanceof ApexFailure
        );
    });
});
