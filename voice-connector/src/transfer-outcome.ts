/**
 * A blind transfer's outcome for the softphone: phone-core's `blindTransfer` returns once the REFER is accepted
 * (the call shows Transferring while the target rings) and settles it from the transferee's NOTIFYs. Salesforce
 * Voice's ADD_PARTICIPANT answer says whether the initial call has ended, so the connector waits for that: the
 * call ended (the target has the caller) or the transfer failed (the caller is still with the agent).
 */
import { CallState, type CallSnapshot, type CommandResult, type SipPhone } from '../../phone-core/src/index';

/** `phone.blindTransfer(callId, target)`, resolved with the call once it left Transferring. */
export async function blindTransferOutcome(
    phone: SipPhone,
    callId: string,
    target: string
): Promise<CommandResult> {
    let outcome: CallSnapshot | undefined;
    let wake: ((snapshot: CallSnapshot) => void) | undefined;
    const seen = (snapshot: CallSnapshot): void => {
        if (snapshot.id !== callId || snapshot.state === CallState.Transferring) return;
        outcome = snapshot;
        wake?.(snapshot);
    };
    // subscribed before the REFER goes out, so no outcome is missed
    const offs = [phone.on('callUpdated', seen), phone.on('callEnded', seen)];
    try {
        const sent = await phone.blindTransfer(callId, target);
        if (!sent.ok || sent.snapshot.state !== CallState.Transferring) return sent;
        const settled =
            outcome ??
            (await new Promise<CallSnapshot>((resolve) => {
                wake = resolve;
            }));
        return { ...sent, snapshot: settled };
    } finally {
        offs.forEach((off) => off());
    }
}
