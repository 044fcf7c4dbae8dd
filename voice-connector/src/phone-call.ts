/**
 * phone-core call snapshots as the base library's `PhoneCall` (scv-connector-base 3.6.2 `types.js`): the
 * softphone matches calls by `callId`, which is the contact centre's interaction id, the same key the
 * contact centre gives the VoiceCall record as its vendor call key.
 */
import { CallInfo, Constants, Contact, PhoneCall, PhoneCallAttributes } from '@salesforce/scv-connector-base';
import { CallDirection, CallOutcome, CallState, type CallSnapshot } from '../../phone-core/src/index';

/** What the softphone may offer on a call, from the connector's capabilities. */
export interface CallButtons {
    record: boolean;
    isRecordingPaused: boolean;
}

/** The id the softphone knows a call by: the interaction id (vendor call key), else phone-core's id. */
export function vendorCallKey(snapshot: CallSnapshot): string {
    return snapshot.interactionId ?? snapshot.id;
}

function callType(snapshot: CallSnapshot): string {
    if (snapshot.role === 'consultation') {
        return Constants.CALL_TYPE.ADD_PARTICIPANT;
    }
    return snapshot.direction === CallDirection.Outbound
        ? Constants.CALL_TYPE.OUTBOUND
        : Constants.CALL_TYPE.INBOUND;
}

/** `ringing | connected | transferring | transferred | ended`; a consultation leg is "transferring" until answered. */
export function callStateOf(snapshot: CallSnapshot): string {
    const consult = snapshot.role === 'consultation';
    switch (snapshot.state) {
        case CallState.Connected:
        case CallState.OnHold:
            return consult ? Constants.CALL_STATE.TRANSFERRED : Constants.CALL_STATE.CONNECTED;
        case CallState.Transferring:
            return Constants.CALL_STATE.TRANSFERRING;
        case CallState.Ended:
            return Constants.CALL_STATE.ENDED;
        default:
            return consult ? Constants.CALL_STATE.TRANSFERRING : Constants.CALL_STATE.RINGING;
    }
}

/** The base library's CallInfo of a call. */
export function callInfoOf(snapshot: CallSnapshot, buttons: CallButtons, initialCallId?: string): CallInfo {
    const since = snapshot.answeredAt ?? snapshot.startedAt;
    return new CallInfo({
        isOnHold: snapshot.onHold,
        isMuted: snapshot.muted,
        isRecordingPaused: buttons.isRecordingPaused,
        initialCallId,
        callStateTimestamp: since === undefined ? undefined : new Date(since),
        queueName: snapshot.callData?.queue,
        queueId: snapshot.callData?.campaignId,
        isSoftphoneCall: true,
        recordEnabled: buttons.record,
        showRecordButton: buttons.record,
        // a call survives a reload of the connector only as a SIP dialog of this page: never replay it
        isReplayable: false
    });
}

/**
 * A phone-core call as a `PhoneCall`.
 * @param parent for a consultation leg: the customer's call (its id becomes `parentId`)
 * @param originRecordId outbound: the Salesforce record the call was placed from
 */
export function toPhoneCall(
    snapshot: CallSnapshot,
    buttons: CallButtons,
    options: { parent?: CallSnapshot; originRecordId?: string } = {}
): PhoneCall {
    const consult = snapshot.role === 'consultation';
    const contact = new Contact({
        phoneNumber: snapshot.remote.number,
        name: snapshot.remote.displayName,
        type: Constants.CONTACT_TYPE.PHONENUMBER as 'PhoneNumber',
        recordId: options.originRecordId ?? snapshot.originRecordId
    });
    const ended = snapshot.state === CallState.Ended;
    return new PhoneCall({
        callId: vendorCallKey(snapshot),
        callType: callType(snapshot),
        contact,
        state: callStateOf(snapshot),
        phoneNumber: snapshot.remote.number,
        callAttributes: new PhoneCallAttributes({
            participantType: consult
                ? Constants.PARTICIPANT_TYPE.THIRD_PARTY
                : Constants.PARTICIPANT_TYPE.INITIAL_CALLER,
            parentId: options.parent ? vendorCallKey(options.parent) : undefined,
            isOnHold: snapshot.onHold
        }),
        callInfo: callInfoOf(snapshot, buttons, options.parent ? vendorCallKey(options.parent) : undefined),
        reason: ended ? endReason(snapshot) : undefined
    });
}

/** `error` when the call failed, else `ended` (the base library's HANGUP_REASON values). */
export function endReason(snapshot: CallSnapshot): string {
    return snapshot.outcome === CallOutcome.Failed
        ? Constants.HANGUP_REASON.PHONE_CALL_ERROR
        : Constants.HANGUP_REASON.PHONE_CALL_ENDED;
}
