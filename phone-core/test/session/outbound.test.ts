/**
 * PhoneSession, one tab: outbound calls (F9) and call controls (F8) through the session's command API.
 */
import type { RecordMatch } from '../../src/screen-pop/screen-pop';
import { SimWorld, ccHeaders, type SimTab } from './session-world';

beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2024, 4, 1, 9, 0, 0) }));
afterEach(() => jest.useRealTimers());

const ACCOUNT_ID = '001000000000001AAA';

async function registeredTab(world: SimWorld, ready = true): Promise<SimTab> {
    const tab = world.open('A');
    await world.advance(100);
    if (ready) await tab.session.setStatus({ status: 'Ready' });
    await world.advance();
    return tab;
}

/** The UA's INVITE that opened a new dialog (not a re-INVITE), newest first. */
function lastNewInvite(world: SimWorld) {
    const invites = world.server.requests('INVITE').filter((r) => !r.toTag);
    return invites[invites.length - 1];
}

describe('outbound', () => {
    it('click-to-dial from an Account: E.164 dialled, Busy, callee recognised, Task related to the Account', async () => {
        const world = new SimWorld();
        const account: RecordMatch = { id: ACCOUNT_ID, objectType: 'Account', name: 'Acme sp. z o.o.' };
        world.host.matches = () => [account];
        const tab = await registeredTab(world);

        const dialling = tab.session.dial('600 700 800', {
            recordId: ACCOUNT_ID,
            objectType: 'Account',
            name: 'Acme'
        });
        await world.advance(10);
        const result = await dialling;
        expect(result).toMatchObject({
            ok: true,
            callId: expect.any(String),
            interactionId: expect.any(String)
        });
        const invite = lastNewInvite(world);
        expect(invite.ruri?.toString()).toBe('sip:+48600700800@fake.test');
        expect(world.host.lookups).toEqual([
            expect.objectContaining({
                direction: 'outbound',
                e164: '+48600700800',
                dialledFromRecordId: ACCOUNT_ID,
                interactionId: result.ok ? result.interactionId : ''
            })
        ]);
        expect(tab.state().agent.status).toBe('Busy');
        expect(tab.state().calls[0]).toMatchObject({
            direction: 'outbound',
            state: 'Dialing',
            caller: { e164: '+48600700800', name: 'Acme sp. z o.o.' },
            screenPop: { action: 'open', source: 'dialled-from', record: { id: ACCOUNT_ID } },
            related: { id: ACCOUNT_ID, whatId: ACCOUNT_ID, source: 'dialled-from' }
        });
        expect(tab.state().lastDialled).toBe('600 700 800');

        world.server.answer(invite);
        await world.advance(10);
        expect(tab.state().calls[0].state).toBe('Connected');
        await world.advance(5000);
        expect(await tab.session.hangup()).toMatchObject({ ok: true });
        await world.advance(10);

        // no campaign and defaultWrapSeconds 0: logged at once, back to the status before the call
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({
            direction: 'outbound',
            fromNumber: 'agent',
            toNumber: '+48600700800',
            outcome: 'answered',
            durationSeconds: 5,
            whatId: ACCOUNT_ID
        });
        expect(world.host.sent[0].whoId).toBeUndefined();
        expect(tab.state().agent.status).toBe('Ready');
        expect(tab.callEvents.map((e) => e.kind)).toEqual(['dialing', 'answered', 'ended', 'logged']);
        expect(tab.callEvents[3]).toMatchObject({
            direction: 'outbound',
            number: '+48600700800',
            recordId: ACCOUNT_ID,
            taskId: expect.stringMatching(/^00T/)
        });
        await world.shutdown();
    });

    it('dialled from a Contact while Not ready: Who is the contact; busy callee logged as busy; back to Not ready', async () => {
        const world = new SimWorld();
        const tab = await registeredTab(world, false);
        const contactId = '003000000000007AAA';
        const dialling = tab.session.dial('+48 22 123 45 67', {
            recordId: contactId,
            objectType: 'Contact',
            name: 'Ola'
        });
        await world.advance(10);
        expect((await dialling).ok).toBe(true);
        expect(tab.state().agent.status).toBe('Busy');
        world.server.respond(lastNewInvite(world), 486);
        await world.advance(10);
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({
            outcome: 'busy',
            whoId: contactId,
            toNumber: '+48221234567'
        });
        expect(tab.state().agent.status).toBe('NotReady');
        expect(tab.state().recentCalls[0]).toMatchObject({
            direction: 'outbound',
            outcome: 'busy',
            missed: false
        });

        // redial dials the same number with the same record
        const again = tab.session.redial();
        await world.advance(10);
        expect((await again).ok).toBe(true);
        expect(lastNewInvite(world).ruri?.toString()).toBe('sip:+48221234567@fake.test');
        expect(world.host.lookups[1]).toMatchObject({ dialledFromRecordId: contactId });
        await tab.session.hangup();
        await world.advance(10);
        expect(world.host.sent[1]).toMatchObject({ outcome: 'no-answer', whoId: contactId });
        expect(world.host.savedIds()).toHaveLength(2);
        await world.shutdown();
    });

    it.each(['+48 0 600 700 800', 'anonymous', '', 'call me maybe'])(
        'undialable input %p: clear error code, nothing dialled',
        async (input) => {
            const world = new SimWorld();
            const tab = await registeredTab(world);
            expect(await tab.session.dial(input)).toMatchObject({ ok: false, error: 'number-not-dialable' });
            await world.advance();
            expect(world.server.requests('INVITE')).toEqual([]);
            expect(tab.state().error).toMatchObject({
                code: 'number-not-dialable',
                messageKey: 'PhoneError_NumberNotDialable'
            });
            expect(tab.state().agent.status).toBe('Ready');
            expect(await tab.session.clearError()).toEqual({ ok: true });
            await world.advance();
            expect(tab.state().error).toBeNull();
            await world.shutdown();
        }
    );

    it('a second dial during a call is refused with call-in-progress', async () => {
        const world = new SimWorld();
        const tab = await registeredTab(world);
        const first = tab.session.dial('600700800');
        await world.advance(10);
        expect((await first).ok).toBe(true);
        expect(await tab.session.dial('601 234 567')).toMatchObject({ ok: false, error: 'call-in-progress' });
        await tab.session.hangup();
        await world.advance(10);
        await world.shutdown();
    });
});

describe('call controls', () => {
    async function connectedInbound(world: SimWorld, tab: SimTab): Promise<string> {
        const call = await world.ring({ headers: ccHeaders('int-ctl') });
        const answering = tab.session.answer();
        await world.advance(10);
        expect((await answering).ok).toBe(true);
        return call.callId;
    }

    it('hold, resume, mute, unmute and DTMF act on the current call', async () => {
        const world = new SimWorld();
        const tab = await registeredTab(world);
        await connectedInbound(world, tab);
        const holding = tab.session.hold();
        await world.advance(10);
        expect(await holding).toMatchObject({ ok: true });
        expect(tab.state().calls[0]).toMatchObject({ state: 'OnHold', onHold: true });
        const resuming = tab.session.resume();
        await world.advance(10);
        expect(await resuming).toMatchObject({ ok: true });
        expect(tab.state().calls[0]).toMatchObject({ state: 'Connected', onHold: false });
        expect(await tab.session.mute()).toMatchObject({ ok: true });
        await world.advance();
        expect(tab.state().calls[0].muted).toBe(true);
        expect(await tab.session.unmute()).toMatchObject({ ok: true });
        const dtmf = tab.session.sendDtmf('12#');
        await world.advance(10);
        expect(await dtmf).toMatchObject({ ok: true });
        expect(await tab.session.sendDtmf('12x')).toMatchObject({ ok: false, error: 'invalid-argument' });
        expect(await tab.session.hold('no-such-call')).toMatchObject({ ok: false, error: 'no-call' });
        await tab.session.hangup();
        await world.advance(10);
        await world.shutdown();
    });

    it('a blind transfer the target refuses leaves the call with the agent and says why', async () => {
        const world = new SimWorld();
        world.server.referNotifyStatus = 486;
        const tab = await registeredTab(world);
        await connectedInbound(world, tab);
        const transferring = tab.session.blindTransfer('agt-102');
        await world.advance(10);
        expect(await transferring).toMatchObject({ ok: true });
        await world.advance(10);
        expect(tab.state().calls).toEqual([
            expect.objectContaining({
                state: 'Connected',
                transfer: { kind: 'blind', target: 'agt-102', status: 'failed', failureReason: 'busy' }
            })
        ]);
        expect(world.server.requests('BYE')).toEqual([]);
        await tab.session.hangup();
        await world.advance(10);
        await world.shutdown();
    });

    it('consultation then attended transfer: the caller is transferred, one Task for the interaction', async () => {
        const world = new SimWorld();
        world.server.referNotifyStatus = 200;
        const tab = await registeredTab(world);
        const sipCallId = await connectedInbound(world, tab);
        const consulting = tab.session.startConsultation('201');
        await world.advance(10);
        const consult = await consulting;
        expect(consult).toMatchObject({ ok: true, callId: expect.any(String) });
        const consultInvite = world.server
            .requests('INVITE')
            .find((r) => !r.toTag && r.callId !== sipCallId)!;
        expect(consultInvite.ruri?.toString()).toBe('sip:201@fake.test');
        world.server.answer(consultInvite);
        await world.advance(10);
        const state = tab.state();
        expect(state.calls.map((c) => [c.role, c.state])).toEqual([
            ['primary', 'OnHold'],
            ['consultation', 'Connected']
        ]);
        expect(state.interactions).toHaveLength(1); // the consultation leg is not an interaction
        const completing = tab.session.completeTransfer();
        await world.advance(10);
        expect(await completing).toMatchObject({ ok: true });
        await world.advance(10);
        expect(tab.state().calls).toEqual([]);
        expect(tab.state().agent.status).toBe('Wrap');
        await tab.session.submitWrapUp({ notes: 'Transferred to 201' });
        await world.advance(10);
        expect(world.host.sent).toHaveLength(1);
        expect(world.host.sent[0]).toMatchObject({ interactionId: 'int-ctl', notes: 'Transferred to 201' });
        await world.shutdown();
    });

    it('blind transfer to an invalid target is refused without SIP', async () => {
        const world = new SimWorld();
        const tab = await registeredTab(world);
        await connectedInbound(world, tab);
        expect(await tab.session.blindTransfer('<script>')).toMatchObject({
            ok: false,
            error: 'invalid-transfer-target'
        });
        expect(world.server.requests('REFER')).toEqual([]);
        await tab.session.hangup();
        await world.advance(10);
        await world.shutdown();
    });
});
