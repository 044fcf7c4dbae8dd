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
            if (request.url === '/v1/agents/by-email/anna.kowalska%40acme.example') {
                return send(200, {
                    id: 'agt-101',
                    displayName: 'Anna Kowalska',
                    extension: '101',
                    active: true
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
            if (request.url === '/v1/agents/agt-101/status')
                return send(200, { status: 'Wrap', since: '2025-03-10T09:00:00Z' });
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

describe('settings and the contact centre', () => {
    test('getSettings: PL numbering, Person Accounts detected', async () => {
        const settings = await apex('PhoneSettingsController.getSettings');
        assert.equal(settings.defaultCountry, 'PL');
        assert.equal(settings.countryCallingCode, '48');
        assert.equal(settings.internationalPrefix, '00');
        assert.equal(settings.personAccountsEnabled, true);
        assert.equal(settings.defaultWrapSeconds, 15);
    });

    test('getSipCredentials: the agent by the user e-mail, the API key and tenant as headers, epoch expiry', async () => {
        contactCentre.succeed();
        const credentials = await apex('AgentSessionController.getSipCredentials');
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
