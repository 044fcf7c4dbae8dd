// The local org's setup-tab port (org/apex/phone-setup.ts) against the real simulator (api only): only a
// PhoneAdmin may call it, the key is write-only, Test connection explains a wrong key, seats stop at the
// ones bought, Check configuration lists every reason, options validated and read back by the phone.
// Run: node --test workbench/test/phone-setup.test.mjs
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { LocalOrg, ApexFailure } = await tsImport('../org/local-org.ts', import.meta.url);
const { startSimulator } = await tsImport('../../simulator/src/server.ts', import.meta.url);
const { OpenApiContract } = await tsImport('../../simulator/src/openapi/contract.ts', import.meta.url);
const { ManualClock } = await tsImport('../../simulator/src/util/manual-clock.ts', import.meta.url);
const { SEED } = await tsImport('../../simulator/src/store/seed.ts', import.meta.url);
const { phoneSearchKeys } = await tsImport('../../phone-core/src/phone-number.ts', import.meta.url);
const { decideScreenPop, relatedRecordsForTask } = await tsImport(
    '../../phone-core/src/screen-pop/screen-pop.ts',
    import.meta.url
);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wb-setup-'));

let sim;
let org;
const connection = () => ({
    baseUrl: sim.url,
    apiKey: SEED.test.apiKey,
    tenantId: SEED.test.tenantId,
    adminLogin: SEED.test.adminLogin
});
before(async () => {
    sim = await startSimulator({
        contract: OpenApiContract.load(path.join(ROOT, 'docs/contact-centre-api.yaml')),
        log: () => undefined,
        clock: new ManualClock(),
        config: { port: 0, dataDir }
    });
    org = await LocalOrg.open({ root: ROOT, dataDir: null, contactCentre: connection() });
});
after(async () => {
    org?.close();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
});

const apex = (name, params = {}) => {
    const [className, method] = name.split('.');
    return org.invokeApex(className, method, params);
};
const rowOf = (view, name) => view.users.find((row) => row.name === name);

/** A call the simulator gave the org user's agent (only such a call may be logged: issue 11 finding 3). */
async function answeredCallOfTheUser() {
    const auth = { 'X-Api-Key': SEED.test.apiKey, 'X-Tenant-Id': SEED.test.tenantId };
    const send = async (method, url, body, headers = {}) => {
        const response = await fetch(`${sim.url}${url}`, {
            method,
            headers: { 'Content-Type': 'application/json', ...headers },
            body: body ? JSON.stringify(body) : undefined
        });
        assert.ok(response.ok, `${method} ${url}: ${response.status}`);
        return response.json();
    };
    const { currentAgent } = await tsImport('../org/apex/agent-session.ts', import.meta.url);
    const { ContactCentreClient } = await tsImport('../org/contact-centre-client.ts', import.meta.url);
    const agent = await currentAgent({
        db: org.db,
        labels: org.labels,
        orgLabels: org.labels,
        user: org.user,
        contactCentre: new ContactCentreClient(connection())
    });
    await send('PUT', `/v1/agents/${agent.id}/status`, { status: 'Ready' }, auth);
    const { interactionId } = await send('POST', '/_sim/calls', {
        callerNumber: '+48606321654',
        campaignId: 'cmp-support'
    });
    await send('POST', `/_sim/calls/${interactionId}/answer`);
    return interactionId;
}

describe('connection', () => {
    test('the key is never returned; a wrong key gives the 401 message; the right one works again', async () => {
        const view = await apex('PhoneSetupController.getConnection');
        assert.equal(view.credentialsSet, true);
        assert.equal(JSON.stringify(view).includes(SEED.test.apiKey), false, 'never the key');
        const input = {
            endpoint: sim.url,
            tenantId: 'acme-test',
            adminLogin: 'admin@acme.example',
            environment: 'test'
        };
        await apex('PhoneSetupController.saveConnection', { input: { ...input, apiKey: 'wrong' } });
        const failed = await apex('PhoneSetupController.testConnection');
        assert.equal(failed.ok, false);
        assert.equal(failed.statusCode, 401);
        assert.match(failed.message, /refused the API key \(HTTP 401\)/);
        await apex('PhoneSetupController.saveConnection', { input: { ...input, apiKey: SEED.test.apiKey } });
        const ok = await apex('PhoneSetupController.testConnection');
        assert.deepEqual(
            [ok.ok, ok.tenantName, ok.agents, ok.seatsBought, ok.seatsUsed],
            [true, 'Acme Sp. z o.o. (test)', 9, 5, 3]
        );
        const checklist = await apex('PhoneSetupController.getChecklist', { sipHost: '' });
        assert.equal(checklist.find((item) => item.key === 'credentials').ok, true, 'saved and tested');
    });

    test('refuses a non-https endpoint, a bad tenant and a new tenant without the key', async () => {
        const input = {
            endpoint: 'http://example.com/api',
            tenantId: 'acme-test',
            environment: 'test',
            apiKey: 'k'
        };
        await assert.rejects(apex('PhoneSetupController.saveConnection', { input }), /https URL/);
        await assert.rejects(
            apex('PhoneSetupController.saveConnection', {
                input: { ...input, endpoint: sim.url, tenantId: 'a b' }
            }),
            /tenant ID/
        );
        await assert.rejects(
            apex('PhoneSetupController.saveConnection', {
                input: { ...input, endpoint: sim.url, tenantId: 'acme-prod', apiKey: '' }
            }),
            /Enter the API key/
        );
    });
});

describe('users and seats', () => {
    test('Check configuration lists every reason; e-mail only suggests', async () => {
        const view = await apex('PhoneSetupController.getUsers');
        assert.equal(view.contactCentreSeats, 5);
        assert.equal(view.canGrant, true);
        assert.deepEqual(rowOf(view, 'Anna Kowalska').problemCodes, []);
        assert.equal(rowOf(view, 'Anna Kowalska').matchedBy, 'federationId');
        assert.deepEqual(rowOf(view, 'Katarzyna Wójcik').problemCodes, [
            'no-presentation',
            'no-seat',
            'no-permission-set',
            'no-task-access'
        ]);
        assert.deepEqual(rowOf(view, 'Ewa Nowak').problemCodes.slice(0, 1), ['no-agent']);
    });

    test('seats up to the 5 bought, then refused with the reason', async () => {
        const users = (await apex('PhoneSetupController.getUsers')).users;
        const id = (name) => users.find((row) => row.name === name).userId;
        await apex('PhoneSetupController.grantSeat', { userId: id('Eva Dvořáková'), persona: 'PhoneAgent' });
        await apex('PhoneSetupController.grantSeat', {
            userId: id('Tomasz Lewandowski'),
            persona: 'PhoneSupervisor'
        });
        const full = await apex('PhoneSetupController.getUsers');
        assert.equal(full.contactCentreSeatsUsed, 5);
        assert.equal(full.canGrant, false);
        assert.match(full.limitReason, /All 5 seats/);
        assert.deepEqual(rowOf(full, 'Eva Dvořáková').problemCodes, [], 'Eva green');
        await assert.rejects(
            apex('PhoneSetupController.grantSeat', { userId: id('Katarzyna Wójcik'), persona: 'PhoneAgent' }),
            (error) => error instanceof ApexFailure && /All 5 seats/.test(error.message)
        );
        await apex('PhoneSetupController.removeSeat', { userId: id('Tomasz Lewandowski') });
        assert.equal((await apex('PhoneSetupController.getUsers')).contactCentreSeatsUsed, 4);
    });

    test('provision creates the agent with the same e-mail and the user id; deactivate frees it', async () => {
        const ewa = rowOf(await apex('PhoneSetupController.getUsers'), 'Ewa Nowak');
        const agentId = await apex('PhoneSetupController.provisionAgent', { userId: ewa.userId });
        const after = rowOf(await apex('PhoneSetupController.getUsers'), 'Ewa Nowak');
        assert.equal(after.agentId, agentId);
        assert.equal(after.matchedBy, 'salesforceUserId');
        assert.equal(after.agentEmail, 'ewa.nowak@acme.example');
        await assert.rejects(
            apex('PhoneSetupController.provisionAgent', { userId: ewa.userId }),
            /already has/
        );
        await apex('PhoneSetupController.deactivateAgent', { userId: ewa.userId });
        assert.ok(
            rowOf(await apex('PhoneSetupController.getUsers'), 'Ewa Nowak').problemCodes.includes('inactive')
        );
    });
});

describe('options', () => {
    test('validated, saved, and read by the phone', async () => {
        await assert.rejects(
            apex('PhoneSetupController.saveOptions', {
                options: { callerCardFields: 'Contact:Nope;User:Email', clickUrlTemplate: 'javascript:x' }
            }),
            /Contact has no field Nope\. User is not an object .* must start with https/
        );
        await apex('PhoneSetupController.saveOptions', {
            options: {
                defaultCountry: 'nl',
                callerCardFields: 'Contact:title',
                clickUrlTemplate: 'https://erp.example/c?id={Id}',
                dispositions: 'Resolved;Callback;resolved',
                contactCentre: {
                    defaultAgentId: '',
                    outsideCampaignId: 'cmp-support',
                    logNonWebPhoneCalls: true,
                    syncCampaignIds: []
                }
            }
        });
        const settings = await apex('PhoneSettingsController.getSettings');
        assert.equal(settings.defaultCountry, 'NL');
        assert.deepEqual(settings.callerCardFields, { Contact: ['Title'] });
        assert.equal(settings.callerCardUrlTemplate, 'https://erp.example/c?id={Id}');
        assert.deepEqual(
            settings.dispositions.map((item) => item.value),
            ['Resolved', 'Callback']
        );
        const options = await apex('PhoneSetupController.getOptions');
        assert.equal(options.contactCentre.defaultAgentId, null, 'null sent to the contact centre');
        assert.equal(options.contactCentre.outsideCampaignId, 'cmp-support');
        assert.equal(options.contactCentre.logNonWebPhoneCalls, true);
    });

    test('the phone switch per user', async () => {
        await apex('PhoneSetupController.setPhoneEnabled', { scopeId: org.user.Id, enabled: false });
        assert.equal((await apex('PhoneSettingsController.getSettings')).phoneEnabled, false);
        await apex('PhoneSetupController.setPhoneEnabled', { scopeId: org.user.Id, enabled: null });
        assert.equal((await apex('PhoneSettingsController.getSettings')).phoneEnabled, true);
        await assert.rejects(
            apex('PhoneSetupController.setPhoneEnabled', { scopeId: 'x', enabled: true }),
            /profile or a user/
        );
    });
});

describe('access', () => {
    test('a user without PhoneAdmin is refused everywhere', async () => {
        const agent = await LocalOrg.open({
            root: ROOT,
            dataDir: null,
            contactCentre: connection(),
            userEmail: 'piotr.nowak@acme.example'
        });
        try {
            for (const method of [
                'getConnection',
                'getUsers',
                'getOptions',
                'getChecklist',
                'getContactCentre'
            ])
                await assert.rejects(
                    agent.invokeApex('PhoneSetupController', method, {}),
                    /Phone Admin|administrator/i
                );
            await assert.rejects(
                agent.invokeApex('PhoneAdminController', 'startKeyBackfill', {}),
                /administrator|Admin/i
            );
        } finally {
            agent.close();
        }
    });
});

describe('a custom object too (F20): the sample Service_Request__c', () => {
    const serviceRequest = {
        customObjectName: 'Service_Request__c',
        customPhoneFields: 'Phone__c, Alternate_Phone__c',
        customNameFields: 'Name,Customer_Name__c',
        customCardFields: 'Status__c,Requested_At__c'
    };
    const findCallers = (number) =>
        apex('CallerLookupController.findCallers', {
            searchKeys: phoneSearchKeys(number, { defaultCountry: 'PL' }),
            ivrCaseCode: null
        });

    test('only a custom object with phone or text fields is accepted', async () => {
        await assert.rejects(
            apex('PhoneSetupController.saveOptions', {
                options: { customObjectName: 'Contact', customPhoneFields: 'Phone' }
            }),
            /Contact is not a custom object/
        );
        await assert.rejects(
            apex('PhoneSetupController.saveOptions', {
                options: { ...serviceRequest, customPhoneFields: 'Requested_At__c,Nope__c' }
            }),
            /Service_Request__c has no field Requested_At__c\. Service_Request__c has no field Nope__c/
        );
        await assert.rejects(
            apex('PhoneSetupController.saveOptions', {
                options: { ...serviceRequest, customPhoneFields: ' ' }
            }),
            /at least one phone field/
        );
        assert.deepEqual(await findCallers('+48606321654'), [], 'not searched before the admin chooses it');
    });

    test('chosen in the options: searched by the lookup, offered by the screen pop, related to the Task', async () => {
        await apex('PhoneSetupController.saveOptions', {
            options: { ...serviceRequest, screenPopOrder: 'service_request__c,Contact,Lead' }
        });
        const options = await apex('PhoneSetupController.getOptions');
        assert.equal(options.customObjectName, 'Service_Request__c');
        assert.equal(options.customPhoneFields, 'Phone__c,Alternate_Phone__c');
        assert.equal(options.screenPopOrder, 'Custom,Contact,Lead', "stored under phone-core's name");
        const settings = await apex('PhoneSettingsController.getSettings');
        assert.deepEqual(settings.callerCardFields.Service_Request__c, ['Status__c', 'Requested_At__c']);
        assert.deepEqual(settings.screenPopOrder, ['Custom', 'Contact', 'Lead']);
        assert.deepEqual(settings.customObject, { apiName: 'Service_Request__c', phoneField: 'Phone__c' });

        const [formatted] = await findCallers('+48 606 321 654');
        assert.equal(formatted.objectType, 'Custom', 'a phone field stored as 606 321 654');
        assert.equal(formatted.objectApiName, 'Service_Request__c');
        assert.equal(formatted.name, 'SR-0001 Ewa Mazur');
        const [textField] = await findCallers('+48607888999');
        assert.equal(textField.name, 'SR-0002 Adam Wiśniewski', 'a text field stored as 48607888999');

        const decision = decideScreenPop(
            {
                matches: [formatted],
                number: { e164: '+48606321654', searchable: true },
                direction: 'inbound'
            },
            { objectOrder: settings.screenPopOrder }
        );
        assert.equal(decision.action, 'open');
        assert.equal(decision.record.id, formatted.id);
        const relations = relatedRecordsForTask(decision);
        assert.deepEqual(relations, { whatId: formatted.id });
        const log = (interactionId, extra = {}) =>
            apex('CallLogController.saveCallLog', {
                entry: {
                    interactionId,
                    direction: 'inbound',
                    fromNumber: '+48606321654',
                    toNumber: 'cmp-support',
                    startedAt: '2025-03-10T09:00:00.000Z',
                    endedAt: '2025-03-10T09:01:00.000Z',
                    durationSeconds: 60,
                    outcome: 'answered',
                    ...extra
                }
            });
        const saved = await log(await answeredCallOfTheUser(), relations);
        assert.equal(org.db.get(saved.taskId).WhatId, formatted.id, "the call's Task is related to it");
        assert.notEqual(
            org.db.get(saved.taskId).Interaction_Unverified__c,
            true,
            'the simulator vouched for the call (issue 11 finding 3)'
        );
        const foreign = await log('int-never-issued');
        assert.equal(foreign.code, 'interaction-not-issued', 'the simulator never issued it');
    });
});
