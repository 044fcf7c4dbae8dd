/**
 * Queued callbacks with the ACD (in-memory store, manual clock, in-memory signalling): due time, Ready agents
 * only (Wrap and NotReady wait), the agent rung first then the customer, retries on no answer, cancel, and the
 * IVR path of a campaign with queued callbacks.
 */
import { Acd, type StatusRequest } from '../src/acd/acd';
import { AgentStatusName } from '../src/acd/agent-status';
import { CallbackQueue, CallbackState, transitionCallback } from '../src/acd/callback-queue';
import { EventLog } from '../src/acd/events';
import { InMemorySignalling } from '../src/acd/in-memory-signalling';
import { ivrWriteOf } from '../src/push/ivr-write';
import { RecordingFiles } from '../src/recording/wav';
import { SEED, seedStore } from '../src/store/seed';
import { Store } from '../src/store/store';
import { ManualClock } from '../src/util/manual-clock';
import type { CallRecordData } from '../src/model';
import { tick } from './helpers';

const T = SEED.test.tenantId;
const { Ready, Wrap, NotReady, Busy } = AgentStatusName;
const CUSTOMER = '+48600700800';

async function setup() {
    const clock = new ManualClock();
    const store = await Store.open(null);
    seedStore(store, clock.now());
    const signalling = new InMemorySignalling();
    const events = new EventLog(clock);
    const acd = new Acd({
        store,
        clock,
        signalling,
        recordings: new RecordingFiles(null),
        events,
        ringTimeoutSeconds: 20,
        maxWaitSeconds: 120
    });
    const callbacks = new CallbackQueue({ store, clock, events });
    const ended: CallRecordData[] = [];
    acd.onCallEnded((record) => callbacks.fromEndedCall(record));
    acd.setCallbackQueue(callbacks);
    acd.onCallEnded((record) => ended.push(structuredClone(record)));
    const set = (agentId: string, request: StatusRequest | AgentStatusName) =>
        acd.setStatus(T, agentId, typeof request === 'string' ? { status: request } : request);
    const ringing = () => signalling.ringing();
    const queue = (input: Partial<Parameters<CallbackQueue['create']>[1]> = {}) =>
        callbacks.create(T, {
            phoneNumber: CUSTOMER,
            campaignId: 'cmp-support',
            originalInteractionId: 'int-original',
            relatedRecordId: '003000000000001AAA',
            callbackTaskId: '00T000000000001AAA',
            ...input
        });
    /** A caller in cmp-support (no IVR data unless given). */
    const placeInbound = (callerNumber: string, ivrData?: Record<string, string>) =>
        signalling.placeCall({
            tenantId: T,
            callerNumber,
            callerName: null,
            calleeNumber: null,
            campaignId: 'cmp-support',
            queueId: null,
            ivr: ivrData ? { data: ivrData } : null,
            holdInIvr: false
        });
    return { clock, store, signalling, acd, callbacks, ended, set, ringing, queue, placeInbound };
}

describe('queued callbacks', () => {
    it('wait for their due time, then ring a Ready agent marked as an outbound callback', async () => {
        const t = await setup();
        t.set('agt-101', Ready);
        const callback = t.queue({ dueAt: t.clock.now() + 60_000 });
        expect(callback.state).toBe(CallbackState.Scheduled);
        expect(t.ringing()).toEqual([]);
        t.clock.advance(60_000);
        const [offer] = t.ringing();
        expect(offer!.agentId).toBe('agt-101');
        expect(offer!.call.calleeNumber).toBe(CUSTOMER);
        expect(offer!.call.callback).toEqual({
            callbackId: callback.id,
            originalInteractionId: 'int-original',
            relatedRecordId: '003000000000001AAA',
            callbackTaskId: '00T000000000001AAA',
            attempt: 1
        });
        expect(t.acd.call(T, offer!.interactionId)!.direction).toBe('outbound');
        expect(callback.state).toBe(CallbackState.Dialling);
    });

    it('wait while nobody of the queue is Ready: an agent in Wrap is rung only when Wrap ends', async () => {
        const t = await setup();
        // agt-102 takes an inbound call and wraps up (cmp-support: 15 s of Wrap)
        t.set('agt-102', Ready);
        const inbound = t.placeInbound('+48500100200');
        t.signalling.answer(inbound);
        await tick();
        t.signalling.hangupFrom(inbound, 'customer');
        expect(t.acd.status(T, 'agt-102').status).toBe(Wrap);
        const callback = t.queue();
        expect(callback.state).toBe(CallbackState.Waiting);
        expect(t.ringing()).toEqual([]); // nobody Ready (agt-101 NotReady, agt-102 in Wrap)
        t.clock.advance(15_000);
        expect(t.ringing().map((r) => r.agentId)).toEqual(['agt-102']);
        // declined: the agent stays Ready and is not rung with it again; the next Ready agent is
        t.signalling.reject(t.ringing()[0]!.interactionId);
        await tick();
        expect(t.ringing()).toEqual([]);
        t.set('agt-101', Ready);
        expect(t.ringing().map((r) => r.agentId)).toEqual(['agt-101']);
    });

    it('callers waiting in the queue go before a due callback', async () => {
        const t = await setup();
        t.queue();
        const caller = t.placeInbound('+48500100200');
        t.set('agt-101', Ready);
        expect(t.ringing().map((r) => r.interactionId)).toEqual([caller]);
    });

    it('agent answers, the customer answers: one outbound interaction related to the callback, completed', async () => {
        const t = await setup();
        const callback = t.queue();
        t.set('agt-101', Ready);
        const { interactionId } = t.ringing()[0]!;
        t.signalling.answer(interactionId);
        await tick();
        expect(t.acd.status(T, 'agt-101').status).toBe(Busy);
        expect(t.acd.call(T, interactionId)!.state).toBe('ringing'); // the customer is being dialled
        t.signalling.progress(interactionId, 'answered');
        expect(callback.state).toBe(CallbackState.Connected);
        t.clock.advance(30_000);
        t.signalling.hangupFrom(interactionId, 'customer');
        expect(callback.state).toBe(CallbackState.Completed);
        const [record] = t.ended;
        expect(record).toMatchObject({
            interactionId,
            direction: 'outbound',
            outcome: 'answered',
            agentId: 'agt-101',
            calleeNumber: CUSTOMER,
            callback: { callbackId: callback.id, relatedRecordId: '003000000000001AAA' }
        });
        expect(record!.legs).toHaveLength(1);
        expect(t.acd.status(T, 'agt-101').status).toBe(Wrap); // the campaign's wrap, as after any call
    });

    it('the customer does not answer: retried after the delay, failed after the last attempt', async () => {
        const t = await setup();
        const callback = t.queue({ maxAttempts: 2, retryDelaySeconds: 60 });
        t.set('agt-101', Ready);
        for (const attempt of [1, 2]) {
            const { interactionId, call } = t.ringing()[0]!;
            expect(call.callback!.attempt).toBe(attempt);
            t.signalling.answer(interactionId);
            await tick();
            t.signalling.progress(interactionId, 'no-answer');
            t.set('agt-101', Ready); // ends Wrap early
            if (attempt === 1) {
                expect(callback.state).toBe(CallbackState.Scheduled);
                expect(t.ringing()).toEqual([]);
                t.clock.advance(60_000);
            }
        }
        expect(callback.state).toBe(CallbackState.Failed);
        expect(callback.attempts.map((a) => a.outcome)).toEqual(['missed', 'missed']);
        expect(t.ringing()).toEqual([]);
    });

    it('an agent who lets it ring out is set NotReady; the callback goes to the next Ready agent', async () => {
        const t = await setup();
        const callback = t.queue();
        t.set('agt-101', Ready);
        t.clock.advance(1000);
        t.set('agt-102', Ready);
        expect(t.ringing()[0]!.agentId).toBe('agt-101');
        t.clock.advance(20_000);
        await tick();
        expect(t.acd.status(T, 'agt-101').status).toBe(NotReady);
        expect(t.ringing().map((r) => r.agentId)).toEqual(['agt-102']);
        expect(callback.attempts).toHaveLength(1); // one call, offered to two agents
    });

    it('cancel: a scheduled or waiting one; not one ringing', async () => {
        const t = await setup();
        const later = t.queue({ dueAt: t.clock.now() + 60_000 });
        expect(t.callbacks.cancel(T, later.id).state).toBe(CallbackState.Cancelled);
        t.clock.advance(60_000);
        t.set('agt-101', Ready);
        expect(t.ringing()).toEqual([]);
        const now = t.queue();
        expect(t.ringing()).toHaveLength(1);
        expect(() => t.callbacks.cancel(T, now.id)).toThrow(/ringing/);
        // declined: waits for another agent; then it can be cancelled and its call ends missed
        t.signalling.reject(t.ringing()[0]!.interactionId);
        await tick();
        expect(t.callbacks.cancel(T, now.id).state).toBe(CallbackState.Cancelled);
        expect(t.ended.map((r) => r.outcome)).toEqual(['missed']);
        t.set('agt-102', Ready);
        expect(t.ringing()).toEqual([]);
        expect(() => t.callbacks.cancel(T, 'cbk-nope')).toThrow(/does not exist/);
    });

    it('the state machine refuses moves outside its diagram', () => {
        const callback = { state: CallbackState.Completed };
        expect(transitionCallback(callback, CallbackState.Waiting)).toBe(false);
        expect(callback.state).toBe(CallbackState.Completed);
    });
});

describe('the IVR path (a campaign with queued callbacks)', () => {
    it('a caller who hangs up in the queue becomes a queued callback; the IVR write carries its id', async () => {
        const t = await setup();
        t.store.putCampaign({ ...t.store.getCampaign(T, 'cmp-support')!, queuedCallbacks: true });
        const original = t.signalling.placeCall({
            tenantId: T,
            callerNumber: CUSTOMER,
            callerName: null,
            calleeNumber: '+48221234500',
            campaignId: 'cmp-support',
            queueId: null,
            ivr: { data: { relatedRecordId: '003000000000001AAA' } },
            holdInIvr: false
        });
        t.signalling.hangupFrom(original, 'customer');
        const [abandoned] = t.ended;
        const [callback] = t.callbacks.list(T);
        expect(callback).toMatchObject({
            phoneNumber: CUSTOMER,
            originalInteractionId: original,
            relatedRecordId: '003000000000001AAA',
            state: CallbackState.Waiting
        });
        const write = ivrWriteOf(abandoned!)!.writes[0]!;
        expect(write.kind).toBe('callback');
        expect(write.callback.queuedCallbackId).toBe(callback!.id);
        t.set('agt-101', Ready);
        expect(t.ringing()[0]!.call.callback!.originalInteractionId).toBe(original);
    });

    it('a caller who chose "call me back" in the IVR gets a queued callback due at the chosen time', async () => {
        const t = await setup();
        t.store.putCampaign({ ...t.store.getCampaign(T, 'cmp-support')!, queuedCallbacks: true });
        const due = t.clock.now() + 3_600_000;
        const original = t.placeInbound(CUSTOMER, { callbackAt: new Date(due).toISOString() });
        t.signalling.hangupFrom(original, 'customer');
        const [callback] = t.callbacks.list(T);
        expect(callback).toMatchObject({ state: CallbackState.Scheduled, dueAt: due });
        t.set('agt-101', Ready);
        expect(t.ringing()).toEqual([]);
        t.clock.advance(3_600_000);
        expect(t.ringing()[0]!.call.callback!.callbackId).toBe(callback!.id);
    });

    it('without the campaign setting nothing is queued (the callback is listed in Salesforce)', async () => {
        const t = await setup();
        const original = t.placeInbound(CUSTOMER, {
            callbackAt: new Date(t.clock.now() + 3_600_000).toISOString()
        });
        t.signalling.hangupFrom(original, 'customer');
        expect(t.callbacks.list(T)).toEqual([]);
        expect(ivrWriteOf(t.ended[0]!)!.writes[0]!.callback.queuedCallbackId).toBeUndefined();
    });
});
