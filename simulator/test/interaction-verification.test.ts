/**
 * verifyInteractions (issue 11 finding 3): what the contact centre vouches for when Salesforce asks before the
 * first log of an agent's leg.
 */
import { issuedTo, verifyInteractions, type CallLookup } from '../src/acd/interaction-verification';
import type { CallRecordData } from '../src/model';

function record(patch: Partial<CallRecordData>): CallRecordData {
    return {
        interactionId: 'int-1',
        tenantId: 't',
        version: 1,
        direction: 'inbound',
        state: 'ended',
        callerNumber: null,
        callerName: null,
        calleeNumber: null,
        agentId: null,
        agentEmail: null,
        agentPhoneType: null,
        ownerAgentId: null,
        ownerEmail: null,
        campaignId: null,
        campaignName: null,
        queueId: null,
        queueName: null,
        offeredAt: 0,
        answeredAt: null,
        endedAt: 1,
        wrapSeconds: null,
        outcome: null,
        hangupBy: null,
        ivr: { digits: null, caseCode: null, voicebotAnswers: [], data: {} },
        offers: [],
        recordingId: null,
        updatedAt: 1,
        ...patch
    } as CallRecordData;
}

const leg = (agentId: string, sipCallId: string | null) => ({
    agentId,
    agentEmail: null,
    sipCallId,
    answeredAt: 0,
    endedAt: 1
});

const calls = [
    record({ interactionId: 'int-answered', agentId: 'agt-1', legs: [leg('agt-1', 'call-a@pbx')] }),
    record({
        interactionId: 'int-missed',
        offers: [{ agentId: 'agt-1', ringingAt: 0, endedAt: 1, result: 'timeout' }]
    }),
    record({ interactionId: 'int-callback', direction: 'outbound', ownerAgentId: 'agt-1' }),
    record({
        interactionId: 'int-transfer',
        agentId: 'agt-2',
        legs: [leg('agt-1', 'call-t1@pbx'), leg('agt-2', 'call-t2@pbx')]
    }),
    record({ interactionId: 'int-other', agentId: 'agt-2', legs: [leg('agt-2', 'call-o@pbx')] })
];

const lookup: CallLookup = {
    byInteractionId: (id) => calls.find((call) => call.interactionId === id),
    candidatesForSipCalls: () => calls
};

describe('verifyInteractions', () => {
    it('vouches for calls offered to, taken, placed or owned by the agent, and for its transfer legs', () => {
        const { interactions } = verifyInteractions(
            lookup,
            'agt-1',
            ['int-answered', 'int-missed', 'int-callback', 'int-transfer', 'int-other', 'int-unknown'],
            []
        );
        expect(interactions).toEqual([
            { interactionId: 'int-answered', issued: true },
            { interactionId: 'int-missed', issued: true },
            { interactionId: 'int-callback', issued: true },
            { interactionId: 'int-transfer', issued: true },
            { interactionId: 'int-other', issued: false },
            { interactionId: 'int-unknown', issued: false }
        ]);
    });

    it("vouches for the SIP Call-IDs of the agent's own legs only, naming the contact centre's id", () => {
        const { sipCalls } = verifyInteractions(
            lookup,
            'agt-1',
            [],
            ['call-t1@pbx', 'call-t2@pbx', 'call-o@pbx', 'call-t1@pbx']
        );
        expect(sipCalls).toEqual([
            { sipCallId: 'call-t1@pbx', issued: true, interactionId: 'int-transfer' },
            { sipCallId: 'call-t2@pbx', issued: false, interactionId: null },
            { sipCallId: 'call-o@pbx', issued: false, interactionId: null }
        ]);
    });

    it('answers each id once, in first-seen order', () => {
        const { interactions } = verifyInteractions(lookup, 'agt-2', ['int-other', 'int-1', 'int-other'], []);
        expect(interactions.map((answer) => answer.interactionId)).toEqual(['int-other', 'int-1']);
    });

    it('issuedTo: an agent merely in the queue is not issued the call', () => {
        expect(issuedTo(record({ queueId: 'que-1' }), 'agt-1')).toBe(false);
    });
});
