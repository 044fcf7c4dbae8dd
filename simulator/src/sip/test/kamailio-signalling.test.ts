/**
 * KamailioSignalling against the real ACD and store (manual clock), with Kamailio replaced by this
 * test: it sends the INVITE/CANCEL datagrams Kamailio would relay to the endpoint and calls the event
 * URLs Kamailio's http_client would call.
 */
import * as dgram from 'node:dgram';
import { AgentStatusName } from '../../acd/agent-status';
import { startSimulator, type Simulator } from '../../server';
import { SEED } from '../../store/seed';
import { ManualClock } from '../../util/manual-clock';
import { storeDirectory } from '../directory';
import {
    contactCentreHeaders,
    KamailioSignalling,
    OfferState,
    offerResultOf,
    outgoingProgressOf,
    transitionOffer
} from '../kamailio-signalling';
import type { TransferLeg } from '../../acd/signalling';
import type { SipEdge, SipEdgeEndpoints } from '../sip-edge';

const TENANT = SEED.test.tenantId;

class FakeEdge implements SipEdge {
    readonly wsUrl = 'ws://127.0.0.1:1';
    readonly cancels: [string, string][] = [];
    constructor(readonly endpoints: SipEdgeEndpoints) {}
    async cancelInvite(callId: string, cseq: string): Promise<boolean> {
        this.cancels.push([callId, cseq]);
        return true;
    }
    async contacts(): Promise<[]> {
        return [];
    }
    async close(): Promise<void> {}
}

interface Reply {
    status: number;
    reason: string;
    headers: Map<string, string>;
    raw: string;
}

/** Plays Kamailio's part on UDP. */
class FakeKamailio {
    readonly replies: Reply[] = [];
    private readonly socket = dgram.createSocket('udp4');
    private branchSeq = 0;

    async open(): Promise<void> {
        await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', () => resolve()));
        this.socket.on('message', (message) => {
            const raw = message.toString('utf8');
            const [statusLine = '', ...lines] = raw.split('\r\n');
            const match = /^SIP\/2\.0 (\d{3}) (.*)$/.exec(statusLine);
            if (!match) return;
            const headers = new Map<string, string>();
            for (const line of lines) {
                const colon = line.indexOf(':');
                if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
            }
            this.replies.push({ status: Number(match[1]), reason: match[2]!, headers, raw });
        });
    }

    close(): void {
        this.socket.close();
    }

    send(port: number, text: string): void {
        this.socket.send(Buffer.from(text), port, '127.0.0.1');
    }

    invite(
        port: number,
        options: {
            to: string;
            from: string;
            callId: string;
            fromTag?: string;
            headers?: string[];
            branch?: string;
            displayName?: string;
        }
    ): string {
        const branch = options.branch ?? `z9hG4bK-test-${++this.branchSeq}`;
        const name = options.displayName ? `"${options.displayName}" ` : '';
        this.send(
            port,
            [
                `INVITE sip:${options.to}@127.0.0.1 SIP/2.0`,
                `Via: SIP/2.0/UDP 127.0.0.1:5999;branch=${branch}`,
                'Via: SIP/2.0/WS abc.invalid;branch=z9hG4bKclient',
                `From: ${name}<sip:${options.from}@127.0.0.1>;tag=${options.fromTag ?? 'callertag'}`,
                `To: <sip:${options.to}@127.0.0.1>`,
                `Call-ID: ${options.callId}`,
                'CSeq: 1 INVITE',
                ...(options.headers ?? []),
                'Content-Length: 0',
                '',
                ''
            ].join('\r\n')
        );
        return branch;
    }

    cancel(port: number, options: { to: string; from: string; callId: string; branch: string }): void {
        this.send(
            port,
            [
                `CANCEL sip:${options.to}@127.0.0.1 SIP/2.0`,
                `Via: SIP/2.0/UDP 127.0.0.1:5999;branch=${options.branch}`,
                `From: <sip:${options.from}@127.0.0.1>;tag=callertag`,
                `To: <sip:${options.to}@127.0.0.1>`,
                `Call-ID: ${options.callId}`,
                'CSeq: 1 CANCEL',
                'Content-Length: 0',
                '',
                ''
            ].join('\r\n')
        );
    }

    /** Waits for a reply matching `status` for `callId` (the n-th such reply, default first). */
    async reply(callId: string, status: number, nth = 1): Promise<Reply> {
        for (let i = 0; i < 200; i++) {
            const found = this.replies.filter(
                (r) => r.headers.get('call-id') === callId && r.status === status
            );
            if (found.length >= nth) return found[nth - 1]!;
            await new Promise((resolve) => setTimeout(resolve, 10));
        }
        throw new Error(`no ${status} for ${callId}; got ${this.replies.map((r) => r.status).join(',')}`);
    }

    finals(callId: string): number[] {
        return this.replies
            .filter((r) => r.headers.get('call-id') === callId && r.status >= 200)
            .map((r) => r.status);
    }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KamailioSignalling with the ACD', () => {
    let simulator: Simulator;
    let signalling: KamailioSignalling;
    let edge: FakeEdge;
    let kamailio: FakeKamailio;
    let clock: ManualClock;
    let port: number;
    let callSeq = 0;

    beforeEach(async () => {
        clock = new ManualClock();
        signalling = await KamailioSignalling.start({
            secret: 'test-secret',
            edge: async (endpoints) => (edge = new FakeEdge(endpoints))
        });
        simulator = await startSimulator({
            clock,
            signalling,
            log: () => undefined,
            config: { port: 0, dataDir: null }
        });
        signalling.setDirectory(storeDirectory(simulator.store));
        port = edge.endpoints.simSipPort;
        kamailio = new FakeKamailio();
        await kamailio.open();
    });

    afterEach(async () => {
        kamailio.close();
        await simulator.close();
    });

    const ready = (agentId: string) =>
        simulator.acd.setStatus(TENANT, agentId, { status: AgentStatusName.Ready });
    const event = (name: string, query: Record<string, string>) =>
        fetch(`${edge.endpoints.eventUrl}/${name}?${new URLSearchParams(query).toString()}`).then((r) =>
            r.text()
        );
    const ended = () => simulator.store.listEndedCalls(TENANT, { since: 0, limit: 100 });
    const newCallId = () => `call-${++callSeq}@test`;
    const activeCall = (callId: string) => {
        const record = simulator.acd
            .activeCalls()
            .find((call) => call.callerNumber === callId || call.interactionId === callId);
        return record;
    };

    it('parks a caller until the ACD picks an agent, then redirects with the X-CC headers', async () => {
        const callId = newCallId();
        kamailio.invite(port, {
            to: 'cmp-support',
            from: '+48600700800',
            callId,
            displayName: 'Jan',
            headers: ['X-IVR-Code: 4711', 'P-Asserted-Identity: "Jan Kowalski" <sip:+48600111222@127.0.0.1>']
        });
        await kamailio.reply(callId, 100);
        await tick();
        expect(kamailio.finals(callId)).toEqual([]); // nobody Ready: queued
        const queued = simulator.acd.activeCalls()[0]!;
        expect(queued).toMatchObject({
            state: 'queued',
            callerNumber: '+48600111222',
            callerName: 'Jan Kowalski',
            campaignId: 'cmp-support'
        });
        expect(queued.ivr.digits).toBe('4711');

        ready('agt-101');
        const redirect = await kamailio.reply(callId, 302);
        expect(redirect.headers.get('x-sim-target')).toBe('agt-101');
        const block = Buffer.from(redirect.headers.get('x-sim-headers')!, 'base64').toString('utf8');
        expect(block).toContain(`X-CC-Interaction-Id: ${queued.interactionId}\r\n`);
        expect(block).toContain('X-CC-Campaign-Id: cmp-support\r\n');
        expect(block).toContain('X-CC-Campaign-Name: Customer support\r\n');
        expect(block).toContain('X-CC-Ivr-Code: 4711\r\n');
        expect(block).toContain('X-CC-Wrap-Seconds: 15\r\n');

        await event('answered', { callid: callId, cseq: '1' });
        await tick();
        expect(simulator.acd.call(TENANT, queued.interactionId)).toMatchObject({
            state: 'connected',
            agentId: 'agt-101'
        });
        expect(simulator.acd.status(TENANT, 'agt-101').status).toBe('Busy');

        await event('bye', { callid: callId, fromtag: 'callertag' });
        await tick();
        expect(simulator.acd.call(TENANT, queued.interactionId)).toMatchObject({
            state: 'ended',
            outcome: 'answered',
            hangupBy: 'caller'
        });
        // the agent's leg carries the Call-ID its phone saw (Kamailio relays the INVITE unchanged)
        expect(simulator.acd.call(TENANT, queued.interactionId)?.legs).toEqual([
            expect.objectContaining({ agentId: 'agt-101', sipCallId: callId, endedAt: expect.any(Number) })
        ]);
        expect(simulator.acd.status(TENANT, 'agt-101').status).toBe('Wrap');
    });

    it("a blind transfer adds the second agent's leg to the call record, with its own Call-ID", async () => {
        const original = newCallId();
        kamailio.invite(port, { to: 'cmp-support', from: '+48600700802', callId: original });
        await kamailio.reply(original, 100);
        ready('agt-101');
        await kamailio.reply(original, 302);
        await event('answered', { callid: original, cseq: '1' });
        await tick();
        const interactionId = simulator.acd
            .activeCalls()
            .find((call) => call.callerNumber === '+48600700802')!.interactionId;

        // the customer follows agt-101's REFER to agt-102
        const transferred = newCallId();
        kamailio.invite(port, {
            to: 'agt-102',
            from: '+48600700802',
            callId: transferred,
            headers: [`X-Transfer-Of: ${original}`]
        });
        const redirect = await kamailio.reply(transferred, 302);
        expect(redirect.headers.get('x-sim-target')).toBe('agt-102');
        await event('answered', { callid: transferred, cseq: '1' });
        await event('bye', { callid: original, fromtag: 'agenttag' });
        await tick();
        const afterFirst = simulator.store.getCall(TENANT, interactionId)!;
        expect(afterFirst.state).toBe('ended');
        expect(afterFirst.legs).toEqual([
            expect.objectContaining({ agentId: 'agt-101', sipCallId: original, endedAt: expect.any(Number) }),
            expect.objectContaining({ agentId: 'agt-102', sipCallId: transferred, endedAt: null })
        ]);

        await event('bye', { callid: transferred, fromtag: 'callertag' });
        await tick();
        const done = simulator.store.getCall(TENANT, interactionId)!;
        expect(done.legs?.[1]).toMatchObject({ agentId: 'agt-102', endedAt: expect.any(Number) });
        expect(done.version).toBeGreaterThan(afterFirst.version);
    });

    it('a BYE from the agent side is a hang-up by the agent', async () => {
        ready('agt-101');
        const callId = newCallId();
        kamailio.invite(port, { to: 'cmp-hotline', from: '+48600700801', callId });
        await kamailio.reply(callId, 302);
        await event('answered', { callid: callId });
        await event('bye', { callid: callId, fromtag: 'agenttag' });
        await tick();
        const [record] = ended();
        expect(record).toMatchObject({ outcome: 'answered', hangupBy: 'agent' });
    });

    it('rejoin (B7): only the agent of the call gets the held customer back (Replaces); the old leg BYE does not end it', async () => {
        ready('agt-101');
        const callId = newCallId();
        kamailio.invite(port, { to: 'cmp-support', from: '+48600700802', callId, fromTag: 'customertag' });
        await kamailio.reply(callId, 302);
        await event('answered', { callid: callId, cseq: '1', totag: 'agenttag' });
        await tick();
        const call = simulator.acd.activeCalls()[0]!;
        expect(simulator.acd.agentInteractions(TENANT, 'agt-101').map((c) => c.interactionId)).toEqual([
            call.interactionId
        ]);
        expect(simulator.acd.agentInteractions(TENANT, 'agt-102')).toEqual([]);

        // another agent cannot take it
        const stranger = newCallId();
        kamailio.invite(port, { to: `rejoin.${call.interactionId}`, from: 'agt-102', callId: stranger });
        expect((await kamailio.reply(stranger, 404)).reason).toBe('No call to rejoin');

        // the page reloaded: the agent's new registration dials the rejoin URI
        const rejoin = newCallId();
        kamailio.invite(port, {
            to: `rejoin.${call.interactionId}`,
            from: 'agt-101',
            callId: rejoin,
            fromTag: 'newagenttag'
        });
        const redirect = await kamailio.reply(rejoin, 302);
        expect(redirect.headers.get('x-sim-target')).toBe('+48600700802');
        const block = Buffer.from(redirect.headers.get('x-sim-headers')!, 'base64').toString('utf8');
        expect(block).toBe(`Replaces: ${callId};to-tag=agenttag;from-tag=customertag\r\n`);
        await event('answered', { callid: rejoin, cseq: '1', totag: 'newcustomertag' });
        // the customer's UA ends the replaced leg: still the same call in progress
        await event('bye', { callid: callId, fromtag: 'customertag' });
        await tick();
        expect(simulator.acd.call(TENANT, call.interactionId)).toMatchObject({ state: 'connected' });
        expect(ended()).toEqual([]);

        // the agent hangs up on the rejoined leg: one call record, hung up by the agent
        await event('bye', { callid: rejoin, fromtag: 'newagenttag' });
        await tick();
        const records = ended();
        expect(records).toHaveLength(1);
        expect(records[0]).toMatchObject({
            interactionId: call.interactionId,
            outcome: 'answered',
            hangupBy: 'agent'
        });
    });

    it('a rejected offer re-queues the call; when the queue gives up the caller gets 486', async () => {
        ready('agt-101');
        const callId = newCallId();
        kamailio.invite(port, { to: 'cmp-support', from: '+48600700802', callId });
        await kamailio.reply(callId, 302);
        kamailio.invite(port, {
            to: 'cmp-support',
            from: '+48600700802',
            callId,
            headers: ['X-Sim-Result: 486']
        });
        await kamailio.reply(callId, 100, 2);
        await tick();
        const call = simulator.acd.activeCalls()[0]!;
        expect(call.state).toBe('queued');
        expect(call.offers.map((offer) => offer.result)).toEqual(['rejected']);
        clock.advance(120_000);
        await tick();
        await kamailio.reply(callId, 486);
        expect(kamailio.finals(callId)).toEqual([302, 486]);
    });

    it('a rejected offer goes to the next Ready agent at once', async () => {
        ready('agt-101');
        ready('agt-102');
        const callId = newCallId();
        kamailio.invite(port, { to: 'cmp-support', from: '+48600700803', callId });
        const first = await kamailio.reply(callId, 302);
        kamailio.invite(port, {
            to: 'cmp-support',
            from: '+48600700803',
            callId,
            headers: ['X-Sim-Result: 603']
        });
        const second = await kamailio.reply(callId, 302, 2);
        expect([first.headers.get('x-sim-target'), second.headers.get('x-sim-target')].sort()).toEqual([
            'agt-101',
            'agt-102'
        ]);
    });

    it('the ACD ring timeout cancels the target leg; the caller gets 480 when the queue gives up', async () => {
        ready('agt-101');
        const callId = newCallId();
        kamailio.invite(port, { to: 'cmp-support', from: '+48600700804', callId });
        await kamailio.reply(callId, 302);
        clock.advance(20_000);
        await tick();
        expect(edge.cancels).toEqual([[callId, '1']]);
        expect(simulator.acd.status(TENANT, 'agt-101').status).toBe('NotReady');
        kamailio.invite(port, {
            to: 'cmp-support',
            from: '+48600700804',
            callId,
            headers: ['X-Sim-Result: 487']
        });
        await kamailio.reply(callId, 100, 2);
        clock.advance(120_000);
        await tick();
        await kamailio.reply(callId, 480);
        const [record] = ended();
        expect(record).toMatchObject({ outcome: 'missed' });
        expect(record!.offers[0]!.result).toBe('timeout');
    });

    it('a CANCEL of a parked caller answers 200 and 487 and ends the call as abandoned', async () => {
        const callId = newCallId();
        const branch = kamailio.invite(port, { to: 'cmp-support', from: '+48600700805', callId });
        await kamailio.reply(callId, 100);
        kamailio.cancel(port, { to: 'cmp-support', from: '+48600700805', callId, branch });
        await kamailio.reply(callId, 487);
        expect(
            kamailio.replies.some((r) => r.status === 200 && /CANCEL/.test(r.headers.get('cseq') ?? ''))
        ).toBe(true);
        await tick();
        const [record] = ended();
        expect(record).toMatchObject({ outcome: 'abandoned', hangupBy: 'caller' });
    });

    it('answers a retransmitted INVITE with the last response', async () => {
        const callId = newCallId();
        const branch = kamailio.invite(port, { to: 'nobody-here', from: '+48600700806', callId });
        await kamailio.reply(callId, 404);
        kamailio.invite(port, { to: 'nobody-here', from: '+48600700806', callId, branch });
        await kamailio.reply(callId, 404, 2);
        expect(activeCall(callId)).toBeUndefined();
    });

    it('an agent dialling a number is an outbound call of the ACD, routed to that number', async () => {
        const callId = newCallId();
        kamailio.invite(port, {
            to: '+48600999888',
            from: 'agt-102',
            callId,
            fromTag: 'agenttag',
            headers: ['X-CC-Campaign-Id: cmp-sales']
        });
        const redirect = await kamailio.reply(callId, 302);
        expect(redirect.headers.get('x-sim-target')).toBe('+48600999888');
        const call = simulator.acd.activeCalls()[0]!;
        expect(call).toMatchObject({
            direction: 'outbound',
            agentId: 'agt-102',
            calleeNumber: '+48600999888',
            campaignId: 'cmp-sales'
        });
        await event('answered', { callid: callId });
        await tick();
        expect(simulator.acd.call(TENANT, call.interactionId)!.state).toBe('connected');
        await event('bye', { callid: callId, fromtag: 'agenttag' });
        await tick();
        expect(simulator.acd.call(TENANT, call.interactionId)).toMatchObject({
            state: 'ended',
            hangupBy: 'agent'
        });
    });

    it('a busy customer ends the outbound call as busy and the agent hears 486', async () => {
        const callId = newCallId();
        kamailio.invite(port, { to: '+48600999887', from: 'agt-102', callId });
        await kamailio.reply(callId, 302);
        kamailio.invite(port, {
            to: '+48600999887',
            from: 'agt-102',
            callId,
            headers: ['X-Sim-Result: 486']
        });
        await kamailio.reply(callId, 486);
        const [record] = ended();
        expect(record).toMatchObject({ direction: 'outbound', outcome: 'busy' });
    });

    it('agent-to-agent calls are routed directly, outside the ACD', async () => {
        const callId = newCallId();
        kamailio.invite(port, { to: '102', from: 'agt-101', callId });
        const redirect = await kamailio.reply(callId, 302);
        expect(redirect.headers.get('x-sim-target')).toBe('agt-102');
        expect(simulator.acd.activeCalls()).toHaveLength(0);
    });

    /** A direct INVITE (agent to agent, or a customer after a REFER) and its 302. */
    const directInvite = async (to: string, from: string, headers: string[]) => {
        const callId = newCallId();
        kamailio.invite(port, { to, from, callId, headers });
        return { callId, redirect: await kamailio.reply(callId, 302) };
    };

    it('reports consultation and transfer legs of an interaction; a blind transfer leg gets its key', async () => {
        const legs: TransferLeg[] = [];
        signalling.onTransferLeg((leg) => legs.push(leg));
        ready('agt-101');
        const customerCall = newCallId();
        kamailio.invite(port, { to: 'cmp-support', from: '+48600700802', callId: customerCall });
        await kamailio.reply(customerCall, 302);
        const interactionId = activeCall('+48600700802')!.interactionId;

        // the agent consults agt-102: its INVITE names its own leg and the interaction
        const consult = await directInvite('102', 'agt-101', [
            'X-CC-Interaction-Id: leg-consult-1',
            `X-CC-Parent-Interaction-Id: ${interactionId}`
        ]);
        // an attended transfer: the customer follows the REFER with Replaces to agt-102
        await directInvite('agt-102', '+48600700802', [
            `X-Transfer-Of: ${customerCall}`,
            `Replaces: ${consult.callId};to-tag=a;from-tag=b`
        ]);
        // a blind transfer of the same interaction to agt-103
        const blind = await directInvite('agt-103', '+48600700802', [`X-Transfer-Of: ${customerCall}`]);
        const block = Buffer.from(blind.redirect.headers.get('x-sim-headers')!, 'base64').toString('utf8');
        expect(block).toContain(`X-CC-Interaction-Id: ${interactionId}\r\n`);
        expect(block).toContain(`X-CC-Leg-Id: ${interactionId}.t1\r\n`);

        expect(legs.map((l) => [l.kind, l.legKey, l.newLeg, l.targetAgentId, l.parentInteractionId])).toEqual(
            [
                ['consultation', 'leg-consult-1', true, 'agt-102', interactionId],
                ['transfer', 'leg-consult-1', false, 'agt-102', interactionId],
                ['transfer', `${interactionId}.t1`, true, 'agt-103', interactionId]
            ]
        );
    });

    it('an agent call naming an interaction nobody knows is no leg', async () => {
        const legs: TransferLeg[] = [];
        signalling.onTransferLeg((leg) => legs.push(leg));
        await directInvite('102', 'agt-101', [
            'X-CC-Interaction-Id: leg-x',
            'X-CC-Parent-Interaction-Id: int-nobody-knows'
        ]);
        expect(legs).toEqual([]);
    });

    it('ignores events with a wrong token', async () => {
        const response = await fetch(
            edge.endpoints.eventUrl.replace(/\/[^/]+$/, '/wrong') + '/answered?callid=x'
        );
        expect(response.status).toBe(404);
    });
});

describe('mappings', () => {
    it.each([
        [200, 'answered'],
        [486, 'rejected'],
        [603, 'rejected'],
        [480, 'rejected'],
        [408, 'timeout'],
        [487, 'cancelled'],
        [404, 'failed'],
        [503, 'failed']
    ])('target %i -> offer %s', (status, result) => {
        expect(offerResultOf(status)).toBe(result);
    });

    it.each([
        [200, 'answered'],
        [486, 'busy'],
        [600, 'busy'],
        [480, 'no-answer'],
        [487, 'no-answer'],
        [404, 'failed']
    ])('customer %i -> outbound %s', (status, progress) => {
        expect(outgoingProgressOf(status)).toBe(progress);
    });

    const call = {
        interactionId: 'int-1',
        tenantId: TENANT,
        callerNumber: '+48600',
        callerName: null,
        calleeNumber: 'cmp-support',
        campaignId: 'cmp-support',
        campaignName: 'Support\r\nX-Evil: 1',
        queueId: 'que-support',
        queueName: 'Support PL',
        wrapSeconds: 15,
        ivrDigits: '12',
        ivrCaseCode: null,
        ivrData: {},
        callback: null
    };

    it('a queued callback is marked outbound with the callback, original interaction and records', () => {
        const headers = new Map(
            contactCentreHeaders({
                ...call,
                calleeNumber: '+48600700800',
                callback: {
                    callbackId: 'cbk-1',
                    originalInteractionId: 'int-0',
                    relatedRecordId: '003000000000001AAA',
                    callbackTaskId: '00T000000000001AAA',
                    attempt: 2
                }
            })
        );
        expect(headers.get('X-CC-Direction')).toBe('outbound');
        expect(headers.get('X-CC-Callback-Id')).toBe('cbk-1');
        expect(headers.get('X-CC-Original-Interaction-Id')).toBe('int-0');
        expect(headers.get('X-CC-Related-Record-Id')).toBe('003000000000001AAA');
        expect(headers.get('X-CC-Callback-Task-Id')).toBe('00T000000000001AAA');
        expect(headers.get('X-CC-Customer-Number')).toBe('+48600700800');
        expect(headers.get('X-CC-Callback-Attempt')).toBe('2');
        expect(new Map(contactCentreHeaders(call)).has('X-CC-Direction')).toBe(false);
    });

    it.each([
        [undefined, 1],
        ['duplicate', 2],
        ['missing', 0]
    ])('header fault %s gives %i interaction id headers', (fault, count) => {
        const headers = contactCentreHeaders(call, fault);
        expect(headers.filter(([name]) => name === 'X-CC-Interaction-Id')).toHaveLength(count);
    });

    it('oversize makes 10 kB values; values never carry line breaks', () => {
        const headers = new Map(contactCentreHeaders(call, 'oversize'));
        expect(headers.get('X-CC-Ivr-Code')!.length).toBe(10 * 1024);
        expect(headers.get('X-CC-Campaign-Name')!.length).toBeGreaterThan(10 * 1024);
        expect(new Map(contactCentreHeaders(call)).get('X-CC-Campaign-Name')).toBe('Support X-Evil: 1');
    });
});

describe('transitionOffer', () => {
    it.each([
        [OfferState.Pending, OfferState.Delivered, true],
        [OfferState.Pending, OfferState.Settled, true],
        [OfferState.Delivered, OfferState.Settled, true],
        [OfferState.Delivered, OfferState.Pending, false],
        [OfferState.Settled, OfferState.Delivered, false],
        [OfferState.Settled, OfferState.Settled, false]
    ])('%s -> %s allowed: %s', (from, to, allowed) => {
        const offer = { state: from };
        expect(transitionOffer(offer, to)).toBe(allowed);
        expect(offer.state).toBe(allowed ? to : from);
    });
});
