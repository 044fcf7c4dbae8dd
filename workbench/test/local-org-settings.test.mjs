// The local org's Apex ports against its seeded sample data: settings, the contact-centre calls and their error
// messages, and the user's language.
// Run: node --import tsx --test workbench/test/local-org-settings.test.mjs
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApexFailure, LocalOrg, ROOT, apex, contactCentre, org, useLocalOrg } from './local-org-rig.mjs';

useLocalOrg();

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
