// The local org's Apex ports against its seeded sample data: record creation, "attach number" and a custom
// object's record page and new-record form.
// Run: node --import tsx --test workbench/test/local-org-records.test.mjs
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApexFailure, apex, findCallers, org, useLocalOrg } from './local-org-rig.mjs';

useLocalOrg();

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
            () =>
                org.createFromForm('Service_Request__c', 'Service_Request__c', { Phone__c: '+48609000111' }),
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
