/**
 * The B2BUA of queued callbacks on its own (no Kamailio: its datagrams are captured, the answers made up): the
 * agent rung with an offerless INVITE marked as the callback, the customer dialled with the agent's offer, the
 * customer's answer in the agent's ACK, BYE relayed, declines, the customer not answering, CANCEL on abort.
 */
import type { AgentEndpoint, OfferedCall } from '../../acd/signalling';
import { CallbackB2bua } from '../callback-b2bua';
import { contactCentreHeaders } from '../kamailio-signalling';
import {
    headerValue,
    headerValues,
    parseSipRequest,
    parseSipResponse,
    type SipRequest
} from '../sip-message';

const AGENT: AgentEndpoint = {
    agentId: 'agt-101',
    tenantId: 'acme-test',
    sipUser: 'agt-101',
    extension: '101',
    displayName: 'Anna Kowalska'
};

const CALL: OfferedCall = {
    interactionId: 'int-cb',
    tenantId: 'acme-test',
    callerNumber: '+48221234500',
    callerName: 'Customer support',
    calleeNumber: '+48600700800',
    campaignId: 'cmp-support',
    campaignName: 'Customer support',
    queueId: 'que-support',
    queueName: 'Support PL',
    wrapSeconds: 15,
    ivrDigits: null,
    ivrCaseCode: null,
    ivrData: {},
    callback: {
        callbackId: 'cbk-1',
        originalInteractionId: 'int-0',
        relatedRecordId: '003000000000001AAA',
        callbackTaskId: null,
        attempt: 1
    }
};

const OFFER = 'v=0\r\no=agent 1 1 IN IP4 127.0.0.1\r\ns=-\r\n';
const ANSWER = 'v=0\r\no=customer 1 1 IN IP4 127.0.0.1\r\ns=-\r\n';

function setup() {
    const sent: SipRequest[] = [];
    const progress: [string, number][] = [];
    const hangups: [string, string][] = [];
    const b2bua = new CallbackB2bua({
        localPort: 5099,
        domain: '127.0.0.1',
        send: (data) => sent.push(parseSipRequest(data)),
        customerProgress: (id, status) => progress.push([id, status]),
        hangup: (id, by) => hangups.push([id, by]),
        log: () => undefined
    });
    /** A response to a request the B2BUA sent, as Kamailio would relay it. */
    const respond = (request: SipRequest, status: number, options: { toTag?: string; sdp?: string } = {}) => {
        const lines = [
            `SIP/2.0 ${status} Reason`,
            `Via: ${headerValue(request, 'via')}`,
            `From: ${headerValue(request, 'from')}`,
            `To: ${headerValue(request, 'to')}${options.toTag ? `;tag=${options.toTag}` : ''}`,
            `Call-ID: ${headerValue(request, 'call-id')}`,
            `CSeq: ${headerValue(request, 'cseq')}`,
            'Record-Route: <sip:127.0.0.1:8080;transport=ws;r2=on;lr=on>,<sip:127.0.0.1:5060;r2=on;lr=on>',
            `Contact: <sip:${options.toTag ?? 'x'}@remote.invalid;transport=ws>`,
            `Content-Length: ${(options.sdp ?? '').length}`,
            '',
            options.sdp ?? ''
        ];
        return b2bua.onResponse(parseSipResponse(lines.join('\r\n')));
    };
    const offer = (signal = new AbortController().signal) =>
        b2bua.offer(AGENT, CALL, contactCentreHeaders(CALL), signal);
    return { b2bua, sent, progress, hangups, respond, offer };
}

describe('a queued callback over the B2BUA', () => {
    it('rings the agent, dials the customer with the offer, bridges with the answer, relays the BYE', async () => {
        const t = setup();
        const result = t.offer();
        const [invite] = t.sent;
        expect(invite!.method).toBe('INVITE');
        expect(invite!.uri).toBe('sip:agt-101@127.0.0.1');
        expect(invite!.body).toBe(''); // offerless: the agent's 200 carries the offer
        expect(headerValue(invite!, 'x-cc-direction')).toBe('outbound');
        expect(headerValue(invite!, 'x-cc-callback-id')).toBe('cbk-1');
        expect(headerValue(invite!, 'x-cc-customer-number')).toBe('+48600700800');
        expect(headerValue(invite!, 'contact')).toBe('<sip:callback@127.0.0.1:5099>');

        expect(t.respond(invite!, 180, { toTag: 'agent' })).toBe(true);
        t.respond(invite!, 200, { toTag: 'agent', sdp: OFFER });
        await expect(result).resolves.toBe('answered');

        t.b2bua.dialCustomer('int-cb');
        const customerInvite = t.sent[1]!;
        expect(customerInvite.uri).toBe('sip:+48600700800@127.0.0.1');
        expect(customerInvite.body).toBe(OFFER);
        expect(headerValue(customerInvite, 'x-cc-interaction-id')).toBe('int-cb');

        t.respond(customerInvite, 200, { toTag: 'customer', sdp: ANSWER });
        const [customerAck, agentAck] = t.sent.slice(2);
        expect(customerAck!.method).toBe('ACK');
        expect(customerAck!.uri).toBe('sip:customer@remote.invalid;transport=ws');
        expect(headerValues(customerAck!, 'route')).toEqual([
            '<sip:127.0.0.1:5060;r2=on;lr=on>',
            '<sip:127.0.0.1:8080;transport=ws;r2=on;lr=on>'
        ]);
        expect(agentAck!.method).toBe('ACK');
        expect(agentAck!.body).toBe(ANSWER);
        expect(t.progress).toEqual([['int-cb', 200]]);
        expect(t.b2bua.agentCallId('int-cb')).toBe(headerValue(invite!, 'call-id'));
        expect(t.b2bua.interactionOf(headerValue(customerInvite, 'call-id')!)).toBe('int-cb');

        t.respond(invite!, 200, { toTag: 'agent', sdp: OFFER }); // a retransmitted 2xx: the same ACK again
        expect(t.sent[4]).toEqual(agentAck);

        const replies: Buffer[] = [];
        const bye = parseSipRequest(
            [
                'BYE sip:callback@127.0.0.1:5099 SIP/2.0',
                'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKbye',
                `From: ${headerValue(customerInvite, 'to')};tag=customer`,
                `To: ${headerValue(customerInvite, 'from')}`,
                `Call-ID: ${headerValue(customerInvite, 'call-id')}`,
                'CSeq: 1 BYE',
                'Content-Length: 0',
                '',
                ''
            ].join('\r\n')
        );
        expect(t.b2bua.onRequest(bye, (data) => replies.push(data))).toBe(true);
        expect(parseSipResponse(replies[0]!).status).toBe(200);
        expect(t.sent[5]!.method).toBe('BYE');
        expect(headerValue(t.sent[5]!, 'call-id')).toBe(headerValue(invite!, 'call-id'));
        expect(t.hangups).toEqual([['int-cb', 'customer']]);
    });

    it('an agent who declines: the hop-by-hop ACK, the offer rejected', async () => {
        const t = setup();
        const result = t.offer();
        t.respond(t.sent[0]!, 486, { toTag: 'agent' });
        await expect(result).resolves.toBe('rejected');
        expect(t.sent[1]!.method).toBe('ACK');
        expect(headerValue(t.sent[1]!, 'via')).toBe(headerValue(t.sent[0]!, 'via')); // the INVITE's branch
    });

    it('the customer does not answer: the agent leg ends, the ACD hears the status', async () => {
        const t = setup();
        const result = t.offer();
        t.respond(t.sent[0]!, 200, { toTag: 'agent', sdp: OFFER });
        await result;
        t.b2bua.dialCustomer('int-cb');
        t.respond(t.sent[1]!, 480, { toTag: 'customer' });
        expect(t.sent.slice(2).map((request) => request.method)).toEqual(['ACK', 'ACK', 'BYE']);
        expect(t.progress).toEqual([['int-cb', 480]]);
    });

    it('the ACD gives up while the agent rings: CANCEL, cancelled', async () => {
        const t = setup();
        const abort = new AbortController();
        const result = t.offer(abort.signal);
        abort.abort();
        await expect(result).resolves.toBe('cancelled');
        expect(t.sent[1]!.method).toBe('CANCEL');
        expect(t.b2bua.onResponse(parseSipResponse('SIP/2.0 200 OK\r\nCall-ID: other\r\n\r\n'))).toBe(false);
    });
});
