/**
 * Recording control with consent through the session (F21): the leader asks the contact centre first and
 * keeps the new state only when that worked; the state shows on the call, survives a reload in storage,
 * and its audit trail goes to the Task.
 */
import { PhoneSessionStore } from '../../src/session/session-store';
import { ORG, PL_SETTINGS, SimWorld, USER, ccHeaders, lastSipCall, type SimTab } from './session-world';

beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2024, 4, 1, 9, 0, 0) }));
afterEach(() => jest.useRealTimers());

async function answeredCall(world: SimWorld, interactionId: string): Promise<SimTab> {
    const tab = world.open('A', { settings: PL_SETTINGS });
    await world.advance(100);
    await tab.session.setStatus({ status: 'Ready' });
    await world.advance();
    await world.ring({ headers: ccHeaders(interactionId) });
    await world.settle(tab.session.answer());
    await world.advance(10);
    return tab;
}

it('pause and resume by the agent: requests in order, the state on the call, paused time and audit on the Task', async () => {
    const world = new SimWorld();
    const tab = await answeredCall(world, 'int-rec');
    expect(tab.state().calls[0]?.recording).toEqual({ mode: 'recording', consent: 'unknown', pausedBy: [] });

    await world.settle(tab.session.controlRecording({ type: 'consent', consent: 'announced' }));
    await world.settle(tab.session.controlRecording({ type: 'pause', reason: 'agent' }));
    expect(tab.state().calls[0]?.recording).toEqual({
        mode: 'paused',
        consent: 'announced',
        pausedBy: ['agent']
    });
    await world.advance(7_000);
    await world.settle(tab.session.controlRecording({ type: 'pause', reason: 'sensitive-page' }));
    await world.settle(tab.session.controlRecording({ type: 'resume', reason: 'agent' }));
    expect(tab.state().calls[0]?.recording?.mode).toBe('paused'); // the page still holds it
    await world.advance(3_000);
    await world.settle(tab.session.controlRecording({ type: 'resume', reason: 'sensitive-page' }));
    expect(tab.state().calls[0]?.recording).toMatchObject({ mode: 'recording', pausedBy: [] });
    expect(world.host.recordingRequests).toEqual([
        { interactionId: 'int-rec', action: 'pause', reason: 'agent' },
        { interactionId: 'int-rec', action: 'resume', reason: 'sensitive-page' }
    ]);

    world.server.sendBye(lastSipCall(world));
    await world.advance(10);
    await world.settle(tab.session.submitWrapUp({}));
    await world.advance(10);
    const entry = world.host.sent[0]!;
    expect(entry).toMatchObject({ recordingConsent: 'announced', recordingPausedSeconds: 10 });
    expect(entry.recordingAudit?.split('\n').map((line) => line.replace(/^\S+ /, ''))).toEqual([
        'consent announced',
        'pause agent',
        'pause sensitive-page',
        'resume agent',
        'resume sensitive-page'
    ]);
});

it('a refused request keeps the state as it was and says so; declined consent stops for good', async () => {
    const world = new SimWorld();
    const tab = await answeredCall(world, 'int-declined');
    world.host.recordingFails = true;
    expect(
        await world.settle(tab.session.controlRecording({ type: 'pause', reason: 'agent' }))
    ).toMatchObject({
        ok: false,
        error: 'recording-failed'
    });
    expect(tab.state().calls[0]?.recording?.mode).toBe('recording');

    world.host.recordingFails = false;
    await world.settle(tab.session.controlRecording({ type: 'consent', consent: 'declined' }));
    expect(tab.state().calls[0]?.recording).toMatchObject({ mode: 'stopped', consent: 'declined' });
    await world.settle(tab.session.controlRecording({ type: 'pause', reason: 'sensitive-page' }));
    await world.settle(tab.session.controlRecording({ type: 'consent', consent: 'accepted' }));
    expect(world.host.recordingRequests.map((r) => r.action)).toEqual(['pause', 'stop']);
    expect(tab.state().calls[0]?.recording?.mode).toBe('stopped');
});

it('is refused before the answer and for malformed input', async () => {
    const world = new SimWorld();
    const tab = world.open('A', { settings: PL_SETTINGS });
    await world.advance(100);
    await tab.session.setStatus({ status: 'Ready' });
    await world.advance();
    await world.ring({ headers: ccHeaders('int-ringing') });
    expect(
        await world.settle(tab.session.controlRecording({ type: 'pause', reason: 'agent' }))
    ).toMatchObject({
        ok: false,
        error: 'no-call'
    });
    const bad = { type: 'pause', reason: 'because' } as unknown as Parameters<
        typeof tab.session.controlRecording
    >[0];
    expect(await world.settle(tab.session.controlRecording(bad))).toMatchObject({
        ok: false,
        error: 'invalid-argument'
    });
    expect(world.host.recordingRequests).toEqual([]);
});

it('the recording state is in storage: a reload finds the pause and its audit trail', async () => {
    const world = new SimWorld();
    const tab = await answeredCall(world, 'int-reload');
    await world.settle(tab.session.controlRecording({ type: 'pause', reason: 'agent' }));
    const stored = new PhoneSessionStore(world.storage, `${ORG}:${USER}`, () => Date.now())
        .loadInteractions()
        .find((record) => record.interactionId === 'int-reload');
    expect(stored?.recording).toMatchObject({
        mode: 'paused',
        pausedBy: ['agent'],
        events: [{ action: 'pause', detail: 'agent' }]
    });
});
