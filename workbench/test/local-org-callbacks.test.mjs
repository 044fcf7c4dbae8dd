// The local org's Apex ports against its seeded sample data: IVR writes, callbacks and the contact centre's
// call-record push.
// Run: node --import tsx --test workbench/test/local-org-callbacks.test.mjs
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApexFailure, apex, contactCentre, org, waitUntil, useLocalOrg } from './local-org-rig.mjs';

useLocalOrg();

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
