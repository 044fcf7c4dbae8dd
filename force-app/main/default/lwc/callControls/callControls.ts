import { LightningElement, api } from 'lwc';
import type { CallView, PhoneCommand } from 'webphone-core';
import { commandEvent, formatClock, formatLabel } from 'c/phoneUtils';

import ANSWER from '@salesforce/label/c.Phone_Controls_Answer';
import REJECT from '@salesforce/label/c.Phone_Controls_Reject';
import HANG_UP from '@salesforce/label/c.Phone_Controls_HangUp';
import CANCEL_CALL from '@salesforce/label/c.Phone_Controls_Cancel';
import MUTE from '@salesforce/label/c.Phone_Controls_Mute';
import UNMUTE from '@salesforce/label/c.Phone_Controls_Unmute';
import HOLD from '@salesforce/label/c.Phone_Controls_Hold';
import RESUME from '@salesforce/label/c.Phone_Controls_Resume';
import KEYPAD from '@salesforce/label/c.Phone_Controls_Keypad';
import TRANSFER from '@salesforce/label/c.Phone_Controls_Transfer';
import TRANSFER_TO from '@salesforce/label/c.Phone_Controls_TransferTo';
import BLIND_TRANSFER from '@salesforce/label/c.Phone_Controls_BlindTransfer';
import CONSULT from '@salesforce/label/c.Phone_Controls_Consult';
import COMPLETE_TRANSFER from '@salesforce/label/c.Phone_Controls_CompleteTransfer';
import RETURN_TO_CALLER from '@salesforce/label/c.Phone_Controls_ReturnToCaller';
import CONFERENCE from '@salesforce/label/c.Phone_Controls_Conference';
import CONSULTING from '@salesforce/label/c.Phone_Controls_Consulting';
import REGION from '@salesforce/label/c.Phone_Controls_Region';
import STATE_RINGING from '@salesforce/label/c.Phone_CallState_Ringing';
import STATE_ANSWERING from '@salesforce/label/c.Phone_CallState_Answering';
import STATE_DIALING from '@salesforce/label/c.Phone_CallState_Dialing';
import STATE_CONNECTED from '@salesforce/label/c.Phone_CallState_Connected';
import STATE_ON_HOLD from '@salesforce/label/c.Phone_CallState_OnHold';
import STATE_REMOTE_HOLD from '@salesforce/label/c.Phone_CallState_RemoteHold';
import STATE_TRANSFERRING from '@salesforce/label/c.Phone_CallState_Transferring';
import STATE_CONFERENCE from '@salesforce/label/c.Phone_CallState_Conference';
import STATE_MEDIA_RECOVERING from '@salesforce/label/c.Phone_CallState_MediaRecovering';
import STATE_MEDIA_LOST from '@salesforce/label/c.Phone_CallState_MediaLost';
import MEDIA_LOST_HINT from '@salesforce/label/c.Phone_Call_MediaLostHint';
import TALK_TIME from '@salesforce/label/c.Phone_Controls_TalkTime';
import TRANSFER_FAILED from '@salesforce/label/c.Phone_Transfer_Failed';
import TRANSFER_BUSY from '@salesforce/label/c.Phone_Transfer_Busy';
import TRANSFER_UNAVAILABLE from '@salesforce/label/c.Phone_Transfer_Unavailable';
import TRANSFER_NO_ANSWER from '@salesforce/label/c.Phone_Transfer_NoAnswer';
import TRANSFER_DECLINED from '@salesforce/label/c.Phone_Transfer_Declined';
import TRANSFER_UNKNOWN_TARGET from '@salesforce/label/c.Phone_Transfer_UnknownTarget';
import TRANSFER_OTHER from '@salesforce/label/c.Phone_Transfer_Other';
import QUALITY_GOOD from '@salesforce/label/c.Phone_Quality_Good';
import QUALITY_FAIR from '@salesforce/label/c.Phone_Quality_Fair';
import QUALITY_POOR from '@salesforce/label/c.Phone_Quality_Poor';

const QUALITY_TEXT: Readonly<Record<string, string>> = {
    good: QUALITY_GOOD,
    fair: QUALITY_FAIR,
    poor: QUALITY_POOR
};
/** phone-core's TransferFailureReason values. */
const TRANSFER_FAILURE_TEXT: Readonly<Record<string, string>> = {
    busy: TRANSFER_BUSY,
    unavailable: TRANSFER_UNAVAILABLE,
    noAnswer: TRANSFER_NO_ANSWER,
    declined: TRANSFER_DECLINED,
    unknownTarget: TRANSFER_UNKNOWN_TARGET,
    other: TRANSFER_OTHER
};
const ESTABLISHED = new Set(['Connected', 'OnHold']);

/**
 * Call controls (F3, F8): answer, reject, mute, hold/resume, keypad (DTMF through c/dialPad), blind
 * transfer, consultation with complete/return, three-way conference, hang up. Buttons are enabled per call
 * state; every action is a `phonecommand` event with the call id. Labels double as aria labels.
 */
export default class CallControls extends LightningElement {
    /** The primary call leg, or null. */
    @api call: CallView | null = null;
    /** The consultation leg of an attended transfer, or null. */
    @api consultCall: CallView | null = null;
    /** Disables everything (phone not ready). */
    @api disabled = false;

    showKeypad = false;
    showTransfer = false;
    transferTarget = '';
    now = Date.now();
    private ticker: ReturnType<typeof setInterval> | undefined;

    labels = {
        answer: ANSWER,
        reject: REJECT,
        keypad: KEYPAD,
        transfer: TRANSFER,
        transferTo: TRANSFER_TO,
        blindTransfer: BLIND_TRANSFER,
        consult: CONSULT,
        completeTransfer: COMPLETE_TRANSFER,
        returnToCaller: RETURN_TO_CALLER,
        conference: CONFERENCE,
        region: REGION,
        talkTime: TALK_TIME
    };

    override connectedCallback(): void {
        // eslint-disable-next-line @lwc/lwc/no-async-operation -- one-second tick of the visible talk timer
        this.ticker = setInterval(() => {
            if (this.call?.answeredAt) this.now = Date.now();
        }, 1000);
        this.now = Date.now();
    }

    override disconnectedCallback(): void {
        if (this.ticker !== undefined) clearInterval(this.ticker);
        this.ticker = undefined;
    }

    get hasCall(): boolean {
        return !!this.call;
    }

    get state(): string {
        return this.call?.state ?? 'Idle';
    }

    get isRinging(): boolean {
        return this.state === 'Ringing' && this.call?.direction === 'inbound';
    }

    get isDialing(): boolean {
        return this.state === 'Dialing' || this.state === 'Progress';
    }

    get isEstablished(): boolean {
        return ESTABLISHED.has(this.state);
    }

    get stateText(): string {
        const call = this.call;
        if (!call) return '';
        // silence on a "Connected" call is worse than any other state: it comes first
        if (call.mediaHealth === 'lost' && this.isEstablished) return STATE_MEDIA_LOST;
        if (call.mediaHealth === 'recovering' && this.isEstablished) return STATE_MEDIA_RECOVERING;
        if (call.conference) return STATE_CONFERENCE;
        switch (call.state) {
            case 'Ringing':
                return call.answering ? STATE_ANSWERING : STATE_RINGING;
            case 'Dialing':
            case 'Progress':
                return STATE_DIALING;
            case 'OnHold':
                return STATE_ON_HOLD;
            case 'Transferring':
                return STATE_TRANSFERRING;
            case 'Connected':
                return call.remoteHold ? STATE_REMOTE_HOLD : STATE_CONNECTED;
            default:
                return '';
        }
    }

    /** The audio could not be restored: what the agent can do (hang up stays enabled). */
    get mediaLostHint(): string {
        return this.call?.mediaHealth === 'lost' && this.isEstablished ? MEDIA_LOST_HINT : '';
    }

    /** A transfer that did not go through: to whom and why; the caller is still with the agent. */
    get transferFailedText(): string {
        const transfer = this.call?.transfer;
        if (transfer?.status !== 'failed' || !this.isEstablished) return '';
        const reason = TRANSFER_FAILURE_TEXT[transfer.failureReason ?? 'other'] ?? TRANSFER_OTHER;
        return formatLabel(TRANSFER_FAILED, transfer.target, reason);
    }

    get talkTime(): string {
        const call = this.call;
        if (!call?.answeredAt) return '';
        return formatClock(Math.max(call.talkDurationMs, this.now - call.answeredAt));
    }

    get qualityText(): string {
        const level = this.call?.quality?.level;
        // one whole label per level ("Call quality: good"): the adjective agrees with its noun in pl, cs, ru
        return level ? (QUALITY_TEXT[level] ?? '') : '';
    }

    get answerDisabled(): boolean {
        return this.disabled || !!this.call?.answering;
    }

    get muteLabel(): string {
        return this.call?.muted ? UNMUTE : MUTE;
    }

    get muteIcon(): string {
        return this.call?.muted ? 'utility:unmuted' : 'utility:muted';
    }

    get holdLabel(): string {
        return this.call?.onHold ? RESUME : HOLD;
    }

    get holdIcon(): string {
        return this.call?.onHold ? 'utility:play' : 'utility:pause';
    }

    get holdDisabled(): boolean {
        return this.disabled || !!this.call?.holdPending || this.hasConsultation;
    }

    get hangUpLabel(): string {
        return this.isDialing ? CANCEL_CALL : HANG_UP;
    }

    get showHangUp(): boolean {
        return this.hasCall && !this.isRinging;
    }

    get hasConsultation(): boolean {
        return !!this.consultCall;
    }

    get consultText(): string {
        const consult = this.consultCall;
        if (!consult) return '';
        const name =
            consult.caller.name ||
            consult.caller.displayName ||
            consult.caller.numberDisplay ||
            consult.caller.rawNumber;
        return formatLabel(CONSULTING, name);
    }

    get consultEstablished(): boolean {
        return !!this.consultCall && ESTABLISHED.has(this.consultCall.state);
    }

    get completeDisabled(): boolean {
        return this.disabled || !this.consultEstablished;
    }

    get conferenceDisabled(): boolean {
        return this.disabled || !this.consultEstablished || !!this.call?.conference;
    }

    get transferControlsDisabled(): boolean {
        return this.disabled || this.hasConsultation || this.state === 'Transferring';
    }

    get transferSubmitDisabled(): boolean {
        return this.transferControlsDisabled || this.transferTarget.trim() === '';
    }

    handleAnswer(): void {
        this.send({ type: 'answer', callId: this.call?.id });
    }

    handleReject(): void {
        this.send({ type: 'reject', callId: this.call?.id });
    }

    handleHangUp(): void {
        this.send({ type: 'hangup', callId: this.call?.id });
    }

    handleMute(): void {
        this.send({ type: this.call?.muted ? 'unmute' : 'mute', callId: this.call?.id });
    }

    handleHold(): void {
        this.send({ type: this.call?.onHold ? 'resume' : 'hold', callId: this.call?.id });
    }

    handleToggleKeypad(): void {
        this.showKeypad = !this.showKeypad;
    }

    handleToggleTransfer(): void {
        this.showTransfer = !this.showTransfer;
    }

    handleTargetChange(event: CustomEvent<{ value: string }>): void {
        this.transferTarget = event.detail.value ?? '';
    }

    handleBlindTransfer(): void {
        const target = this.transferTarget.trim();
        if (!target) return;
        this.send({ type: 'blindTransfer', target, callId: this.call?.id });
        this.resetTransfer();
    }

    handleConsult(): void {
        const target = this.transferTarget.trim();
        if (!target) return;
        this.send({ type: 'startConsultation', target, callId: this.call?.id });
        this.resetTransfer();
    }

    handleCompleteTransfer(): void {
        this.send({ type: 'completeTransfer', consultCallId: this.consultCall?.id });
    }

    handleReturnToCaller(): void {
        this.send({ type: 'returnToCaller', consultCallId: this.consultCall?.id });
    }

    handleConference(): void {
        this.send({ type: 'conference', callId: this.call?.id });
    }

    /** DTMF from the keypad: forwarded as is (it carries the call id). */
    handleKeypadCommand(event: CustomEvent<PhoneCommand>): void {
        event.stopPropagation();
        this.send(event.detail);
    }

    private resetTransfer(): void {
        this.transferTarget = '';
        this.showTransfer = false;
    }

    private send(command: PhoneCommand): void {
        this.dispatchEvent(commandEvent(command));
    }
}
