/**
 * SipPhone as the target of an attended transfer on the fake transport: INVITE with Replaces (RFC 3891).
 */
import type { SipRig } from '../fakes/fake-sip-harness';
import { directionOf } from '../fakes/fake-sip-wire';
import { finalStatuses, registeredRig, ring } from './sip-call-rig';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('attended transfer: this phone is the transfer target (INVITE with Replaces, RFC 3891)', () => {
    /** The consultation call as the consulted agent sees it: an inbound call from a colleague, connected. */
    async function consultationFromColleague(rig: SipRig) {
        const r = await ring(rig, { fromUser: '101', displayName: 'Agent 101' });
        await rig.phone.answer(r.callId);
        await rig.advance(10);
        expect(rig.phone.call(r.callId)?.state).toBe('Connected');
        return r;
    }

    /** The transferred customer follows the REFER: a new INVITE replacing `replaces`. */
    async function customerReplacing(rig: SipRig, replaces: string) {
        const fake = rig.server.sendInvite({
            fromUser: '+48600700800',
            displayName: 'Jan Kowalski',
            headers: [`Replaces: ${replaces}`]
        });
        await rig.advance(10);
        return fake;
    }

    function statusesTo(rig: SipRig, sipCallId: string): number[] {
        return rig.server
            .responses('INVITE')
            .filter((r) => r.callId === sipCallId)
            .map((r) => r.statusCode ?? 0);
    }

    it('replaces the matching consultation call: accepted without ringing or busy check, one continuous call', async () => {
        const rig = await registeredRig();
        const consult = await consultationFromColleague(rig);
        const before = rig.phone.call(consult.callId)!;
        const oldOutput = rig.media.outputs[0];

        const customer = await customerReplacing(rig, rig.server.replacesFor(consult.fake.callId));
        // no 180 and no 486 although a call is up (call waiting is off): 200 at once
        expect(statusesTo(rig, customer.callId)).toEqual([100, 200]);
        expect(rig.events.incoming).toHaveLength(1);
        expect(rig.events.busy).toEqual([]);
        // the recipient of the INVITE with Replaces ends the replaced dialog (RFC 3891 section 3)
        expect(rig.server.requests('BYE').map((b) => b.callId)).toEqual([consult.fake.callId]);
        expect(rig.server.dialogEnded(consult.fake.callId)).toBe(true);

        // the same call goes on with the new remote party: no callEnded for the replaced leg
        expect(rig.events.ended).toEqual([]);
        const calls = rig.phone.activeCalls();
        expect(calls).toHaveLength(1);
        expect(calls[0]).toMatchObject({
            id: consult.callId,
            state: 'Connected',
            direction: 'Inbound',
            remote: { number: '+48600700800', displayName: 'Jan Kowalski' },
            startedAt: before.startedAt,
            answeredAt: before.answeredAt,
            interactionId: before.interactionId
        });
        expect(rig.events.updated[rig.events.updated.length - 1]).toMatchObject({
            id: consult.callId,
            remote: { number: '+48600700800', displayName: 'Jan Kowalski' }
        });
        // the audio now comes from the new session
        expect(oldOutput.stopped).toBe(true);
        const output = rig.media.outputs[rig.media.outputs.length - 1];
        expect(output.played).toEqual([rig.sdh.last?.remoteMediaStream]);
        expect(output.stopped).toBe(false);

        // call controls act on the new dialog
        const held = rig.phone.hold(consult.callId);
        await rig.advance(10);
        expect((await held).ok).toBe(true);
        const reInvites = rig.server.requests('INVITE').filter((r) => r.toTag);
        expect(reInvites.map((r) => r.callId)).toEqual([customer.callId]);

        // the customer hangs up: exactly one callEnded for the whole call
        rig.server.sendBye(customer.callId);
        await rig.advance(10);
        expect(rig.events.ended).toHaveLength(1);
        expect(rig.events.ended[0]).toMatchObject({
            id: consult.callId,
            outcome: 'Answered',
            endedBy: 'remote',
            remote: { number: '+48600700800' }
        });
        await rig.phone.stop();
        expect(rig.events.ended).toHaveLength(1);
    });

    it('a call on hold stays on hold: the replacing session is answered sendonly', async () => {
        const rig = await registeredRig();
        const consult = await consultationFromColleague(rig);
        const held = rig.phone.hold(consult.callId);
        await rig.advance(10);
        expect((await held).ok).toBe(true);

        const customer = await customerReplacing(rig, rig.server.replacesFor(consult.fake.callId));
        const ok = rig.server.finalResponsesTo(customer.callId);
        expect(ok.map((r) => r.statusCode)).toEqual([200]);
        expect(directionOf(ok[0].body)).toBe('sendonly');
        expect(rig.phone.call(consult.callId)).toMatchObject({
            state: 'OnHold',
            onHold: true,
            remote: { number: '+48600700800' }
        });
        const resumed = rig.phone.resume(consult.callId);
        await rig.advance(10);
        expect((await resumed).ok).toBe(true);
        const reInvites = rig.server
            .requests('INVITE')
            .filter((r) => r.toTag && r.callId === customer.callId);
        expect(reInvites.map((r) => directionOf(r.body))).toEqual(['sendrecv']);
        expect(rig.phone.call(consult.callId)?.state).toBe('Connected');
        expect(rig.events.ended).toEqual([]);
        await rig.phone.stop();
        expect(rig.events.ended).toHaveLength(1);
    });

    const nonMatching: Array<[string, (rig: SipRig, sipCallId: string) => string]> = [
        ['an unknown Call-ID', () => 'no-such-call@elsewhere;to-tag=abc;from-tag=def'],
        [
            'the right Call-ID with the tags swapped',
            (rig, id) => rig.server.replacesFor(id, { swapTags: true })
        ],
        [
            'the right Call-ID with a foreign to-tag',
            (rig, id) => rig.server.replacesFor(id).replace(/to-tag=[^;]+/, 'to-tag=foreign')
        ]
    ];

    it.each(nonMatching)('a Replaces naming %s gets 481 and changes nothing', async (_name, replacesOf) => {
        const rig = await registeredRig();
        const consult = await consultationFromColleague(rig);
        const customer = await customerReplacing(rig, replacesOf(rig, consult.fake.callId));
        expect(finalStatuses(rig, customer.callId)).toEqual([481]);
        expect(statusesTo(rig, customer.callId)).not.toContain(180);
        expect(rig.events.incoming).toHaveLength(1);
        expect(rig.events.busy).toEqual([]);
        expect(rig.server.requests('BYE')).toEqual([]);
        expect(rig.phone.activeCalls()).toMatchObject([
            { id: consult.callId, state: 'Connected', remote: { number: '101' } }
        ]);
        await rig.phone.stop();
    });

    it('a Replaces header without its tags is a bad request (400), never a second ringing call', async () => {
        const rig = await registeredRig();
        const consult = await consultationFromColleague(rig);
        const customer = await customerReplacing(rig, consult.fake.callId);
        expect(finalStatuses(rig, customer.callId)).toEqual([400]);
        expect(rig.events.incoming).toHaveLength(1);
        expect(rig.events.busy).toEqual([]);
        expect(rig.phone.activeCalls()).toMatchObject([{ id: consult.callId, state: 'Connected' }]);
        await rig.phone.stop();
    });

    it('a Replaces naming a call that still rings (an early dialog this phone did not create) gets 481', async () => {
        const rig = await registeredRig();
        const ringing = await ring(rig, { fromUser: '101' });
        const ringingResponse = rig.server
            .responses('INVITE')
            .find((r) => r.callId === ringing.fake.callId && r.statusCode === 180)!;
        const replaces = `${ringing.fake.callId};to-tag=${ringingResponse.toTag};from-tag=${ringing.fake.fromTag}`;
        const customer = await customerReplacing(rig, replaces);
        expect(finalStatuses(rig, customer.callId)).toEqual([481]);
        expect(rig.phone.activeCalls()).toMatchObject([{ id: ringing.callId, state: 'Ringing' }]);
        expect(finalStatuses(rig, ringing.fake.callId)).toEqual([]);
        await rig.phone.stop();
    });
});
