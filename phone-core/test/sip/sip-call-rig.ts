/**
 * The shared setup of the SipPhone call tests (sip-phone-calls-*.test.ts): a registered rig on the fake
 * transport, an inbound call ringing or connected, an outbound call connected, and the final statuses on the wire.
 */
import { createSipRig, type SipRig } from '../fakes/fake-sip-harness';

/** A rig whose phone is started and registered. */
export async function registeredRig(options: Parameters<typeof createSipRig>[0] = {}): Promise<SipRig> {
    const rig = createSipRig(options);
    await rig.startRegistered();
    return rig;
}

/** The fake server calls the phone; the snapshot the host was given. */
export async function ring(rig: SipRig, options: Parameters<SipRig['server']['sendInvite']>[0] = {}) {
    const fake = rig.server.sendInvite(options);
    await rig.advance(10);
    const snapshot = rig.events.incoming[rig.events.incoming.length - 1];
    return { fake, callId: snapshot.id, snapshot };
}

/** An inbound call, answered and connected. */
export async function connectedInbound(rig: SipRig) {
    const r = await ring(rig);
    await rig.phone.answer(r.callId);
    await rig.advance(10);
    expect(rig.phone.call(r.callId)?.state).toBe('Connected');
    return r;
}

/** An outbound call, answered by the far end and connected. */
export async function connectedOutbound(rig: SipRig, target = '+48600700800') {
    const dialled = await rig.phone.dial(target);
    expect(dialled.ok).toBe(true);
    const callId = dialled.ok ? dialled.snapshot.id : '';
    await rig.advance(10);
    const invite = rig.server.lastRequest('INVITE');
    if (!invite) throw new Error('no INVITE');
    rig.server.answer(invite);
    await rig.advance(10);
    expect(rig.phone.call(callId)?.state).toBe('Connected');
    return { callId, invite };
}

/** The final statuses the UA sent to the fake's INVITE `sipCallId`. */
export function finalStatuses(rig: SipRig, sipCallId: string): number[] {
    return rig.server.finalResponsesTo(sipCallId).map((r) => r.statusCode ?? 0);
}
