// The local org's Apex ports against its seeded sample data: the conversation (summary and transcript) pushed by
// the contact centre.
// Run: node --import tsx --test workbench/test/local-org-conversation.test.mjs
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApexFailure, apex, org, useLocalOrg } from './local-org-rig.mjs';

useLocalOrg();

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
