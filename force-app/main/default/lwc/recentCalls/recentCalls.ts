import { LightningElement, api } from 'lwc';
import type { RecentCall } from 'webphone-core';
import {
    callBackEvent,
    commandEvent,
    errorMessage,
    formatClock,
    formatLabel,
    isHttpsUrl,
    type OpenRecordDetail
} from 'c/phoneUtils';
import getPlaybackUrl from '@salesforce/apex/RecordingPlaybackController.getPlaybackUrl';

import TITLE from '@salesforce/label/c.Phone_Recent_Title';
import EMPTY from '@salesforce/label/c.Phone_Recent_Empty';
import UNKNOWN_CALLER from '@salesforce/label/c.Phone_Label_UnknownCaller';
import INBOUND from '@salesforce/label/c.Phone_Caller_Inbound';
import OUTBOUND from '@salesforce/label/c.Phone_Caller_Outbound';
import CALL_BACK from '@salesforce/label/c.Phone_Recent_CallBack';
import PLAY_RECORDING from '@salesforce/label/c.Phone_Recent_PlayRecording';
import CALLBACK_REQUESTED from '@salesforce/label/c.Phone_Recent_CallbackRequested';
import REQUEST_CALLBACK from '@salesforce/label/c.Phone_Recent_RequestCallback';
import OPEN_RECORD from '@salesforce/label/c.Phone_Caller_OpenRecord';
import RECORDING_REFUSED from '@salesforce/label/c.Phone_Error_RecordingLinkRefused';
import NUMBER_WITHHELD from '@salesforce/label/c.Phone_Caller_NumberWithheld';
import OUTCOME_ANSWERED from '@salesforce/label/c.Phone_Outcome_Answered';
import OUTCOME_MISSED from '@salesforce/label/c.Phone_Outcome_Missed';
import OUTCOME_BUSY from '@salesforce/label/c.Phone_Outcome_Busy';
import OUTCOME_REJECTED from '@salesforce/label/c.Phone_Outcome_Rejected';
import OUTCOME_FAILED from '@salesforce/label/c.Phone_Outcome_Failed';
import OUTCOME_NO_ANSWER from '@salesforce/label/c.Phone_Outcome_NoAnswer';

const OUTCOME_TEXT: Readonly<Record<string, string>> = {
    answered: OUTCOME_ANSWERED,
    missed: OUTCOME_MISSED,
    busy: OUTCOME_BUSY,
    rejected: OUTCOME_REJECTED,
    failed: OUTCOME_FAILED,
    'no-answer': OUTCOME_NO_ANSWER
};

interface RecentCallRow {
    key: string;
    interactionId: string;
    title: string;
    nameClass: string;
    canOpen: boolean;
    openTitle: string;
    number: string;
    directionText: string;
    outcomeText: string;
    duration: string;
    startedAt: number;
    missed: boolean;
    recordingUrl: string | null;
    /** The short-lived URL Apex signed when "play" was clicked, or null. */
    playbackUrl: string | null;
    /** Why the recording cannot be played, or null. */
    playbackError: string | null;
    callbackRequested: boolean;
    canRequestCallback: boolean;
    callBackTitle: string;
    callBackDisabled: boolean;
    iconName: string;
}

/**
 * Recent calls (F11, F13, F14): missed calls in red (and labelled "Missed", not by colour alone), call back,
 * a link that plays the recording, the callback-requested marker. Names come from callers: text only.
 */
export default class RecentCalls extends LightningElement {
    /** `PhoneViewState.recentCalls`, newest first. */
    @api calls: RecentCall[] = [];
    /** Disables call back (the phone cannot dial now). */
    @api disabled = false;

    /** The recording being played: signed on demand, because a stored signed link would expire. */
    private playback: { interactionId: string; url: string | null; error: string | null } | null = null;

    labels = {
        title: TITLE,
        empty: EMPTY,
        missed: OUTCOME_MISSED,
        playRecording: PLAY_RECORDING,
        callbackRequested: CALLBACK_REQUESTED,
        requestCallback: REQUEST_CALLBACK
    };

    get hasCalls(): boolean {
        return (this.calls?.length ?? 0) > 0;
    }

    get rows(): RecentCallRow[] {
        return (this.calls ?? []).map((call) => {
            const name = call.name || UNKNOWN_CALLER;
            return {
                key: call.interactionId,
                interactionId: call.interactionId,
                title: name,
                nameClass: `slds-truncate ${call.missed ? 'slds-text-color_error' : ''}`,
                canOpen: !!call.recordId,
                openTitle: formatLabel(OPEN_RECORD, name),
                number: call.numberDisplay || call.number || NUMBER_WITHHELD,
                directionText: call.direction === 'outbound' ? OUTBOUND : INBOUND,
                outcomeText: OUTCOME_TEXT[call.outcome] ?? call.outcome,
                duration: call.durationSeconds > 0 ? formatClock(call.durationSeconds * 1000) : '',
                startedAt: call.startedAt,
                missed: call.missed,
                recordingUrl: isHttpsUrl(call.recordingUrl) ? (call.recordingUrl as string) : null,
                playbackUrl: this.playback?.interactionId === call.interactionId ? this.playback.url : null,
                playbackError:
                    this.playback?.interactionId === call.interactionId ? this.playback.error : null,
                callbackRequested: call.callbackRequested,
                canRequestCallback: call.missed && !call.callbackRequested,
                callBackTitle: formatLabel(CALL_BACK, name),
                callBackDisabled: this.disabled || !call.dialable,
                iconName:
                    call.direction === 'outbound'
                        ? 'utility:outbound_call'
                        : call.missed
                          ? 'utility:missed_call'
                          : 'utility:incoming_call'
            };
        });
    }

    handleOpen(event: Event): void {
        const call = this.callOf(event);
        if (!call?.recordId) return;
        this.dispatchEvent(
            new CustomEvent<OpenRecordDetail>('openrecord', { detail: { recordId: call.recordId } })
        );
    }

    handleCallBack(event: Event): void {
        const call = this.callOf(event);
        if (!call || !call.dialable || this.disabled) return;
        this.dispatchEvent(callBackEvent(call.number, call.recordId, call.name));
    }

    /** Asks Apex for a URL signed now and plays it here (the stored link stays the link's fallback). */
    async handlePlayRecording(event: Event): Promise<void> {
        event.preventDefault();
        const call = this.callOf(event);
        if (!call || !isHttpsUrl(call.recordingUrl)) return;
        const interactionId = call.interactionId;
        try {
            const url = await getPlaybackUrl({ recordingUrl: call.recordingUrl });
            this.playback = isHttpsUrl(url)
                ? { interactionId, url, error: null }
                : { interactionId, url: null, error: RECORDING_REFUSED };
        } catch (error) {
            this.playback = { interactionId, url: null, error: errorMessage(error) || RECORDING_REFUSED };
        }
    }

    handleRequestCallback(event: Event): void {
        const call = this.callOf(event);
        if (!call) return;
        this.dispatchEvent(
            commandEvent({ type: 'requestCallback', interactionId: call.interactionId, requested: true })
        );
    }

    private callOf(event: Event): RecentCall | undefined {
        const id = (event.currentTarget as HTMLElement).dataset.interactionId;
        return (this.calls ?? []).find((call) => call.interactionId === id);
    }
}
