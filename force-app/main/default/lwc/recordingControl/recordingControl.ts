import { LightningElement, api, wire } from 'lwc';
import { CurrentPageReference } from 'lightning/navigation';
import { getRecord } from 'lightning/uiRecordApi';
import type { CallView, PageContext, RecordingInput, RecordingView } from 'webphone-core';
import { commandEvent } from 'c/phoneUtils';

import RECORDING_ON from '@salesforce/label/c.Phone_Recording_On';
import RECORDING_PAUSED from '@salesforce/label/c.Phone_Recording_Paused';
import RECORDING_PAUSED_SENSITIVE from '@salesforce/label/c.Phone_Recording_PausedSensitive';
import RECORDING_STOPPED from '@salesforce/label/c.Phone_Recording_Stopped';
import PAUSE from '@salesforce/label/c.Phone_Recording_Pause';
import RESUME from '@salesforce/label/c.Phone_Recording_Resume';
import CONSENT from '@salesforce/label/c.Phone_Recording_Consent';
import CONSENT_ANNOUNCED from '@salesforce/label/c.Phone_Recording_ConsentAnnounced';
import CONSENT_ACCEPTED from '@salesforce/label/c.Phone_Recording_ConsentAccepted';
import CONSENT_DECLINED from '@salesforce/label/c.Phone_Recording_ConsentDeclined';

/** phone-core's `sensitivePageInput`, handed down by the phone (this component cannot load phone-core). */
export type SensitivePageRule = (
    recording: RecordingView | undefined,
    page: PageContext | undefined,
    sensitive: readonly string[]
) => RecordingInput | undefined;

interface PageReferenceLike {
    type?: string;
    attributes?: { objectApiName?: string; recordId?: string };
}

/** The UI API's record type label member (`recordTypeInfo.name`; `name` alone is a restricted global here). */
const RECORD_TYPE_LABEL = 'name';

/** The UI API's record. */
interface RecordLike {
    apiName?: string;
    recordTypeInfo?: Record<string, unknown> | null;
}

/**
 * The recording of the active call (F21): what it does now (always shown), pause / resume, and the caller's
 * consent. It follows the page the agent is on: on a page the admin marks sensitive it pauses the recording
 * and resumes it on leaving (phone-core's rule, `sensitivePageRule`). Only the tab the agent looks at
 * decides: another tab's page is not where the agent is. Commands go up as `phonecommand`.
 */
export default class RecordingControl extends LightningElement {
    /** The answered primary call (its `recording` is set from the answer on). */
    @api call: CallView | null = null;
    @api disabled = false;
    /** The admin's sensitive pages: `Object` or `Object.Record_Type`. */
    @api sensitivePages: string[] = [];
    @api sensitivePageRule: SensitivePageRule | null = null;

    labels = { PAUSE, RESUME, CONSENT, CONSENT_ANNOUNCED, CONSENT_ACCEPTED, CONSENT_DECLINED };
    recordId: string | undefined;
    private objectApiName: string | undefined;
    private recordTypeName: string | undefined;
    private sentFor = '';

    @wire(CurrentPageReference)
    setPage(page: PageReferenceLike | undefined): void {
        const attributes = page?.attributes ?? {};
        this.objectApiName = attributes.objectApiName || undefined;
        this.recordId = page?.type === 'standard__recordPage' ? attributes.recordId || undefined : undefined;
        this.recordTypeName = undefined;
        this.followPage();
    }

    /** The record's record type (the UI API answers its name; a record without types has none). */
    get recordFields(): string[] {
        return this.objectApiName && this.recordId ? [`${this.objectApiName}.RecordTypeId`] : [];
    }

    @wire(getRecord, { recordId: '$recordId', optionalFields: '$recordFields' })
    setRecord({ data }: { data?: RecordLike }): void {
        const label = data?.recordTypeInfo?.[RECORD_TYPE_LABEL];
        const typeName = typeof label === 'string' ? label : undefined;
        // the admin writes record types as API names: "Card Payment" is entered as Card_Payment
        this.recordTypeName = typeName ? typeName.trim().replace(/\s+/g, '_') : undefined;
        this.followPage();
    }

    override renderedCallback(): void {
        this.followPage();
    }

    get recording() {
        return this.call?.recording ?? null;
    }

    get stateText(): string {
        const recording = this.recording;
        if (!recording) return '';
        if (recording.mode === 'stopped') return RECORDING_STOPPED;
        if (recording.mode === 'paused')
            return recording.pausedBy.includes('sensitive-page')
                ? RECORDING_PAUSED_SENSITIVE
                : RECORDING_PAUSED;
        return RECORDING_ON;
    }

    get stateClass(): string {
        const mode = this.recording?.mode;
        return `recording-state slds-text-body_small ${mode === 'recording' ? 'slds-text-color_error' : 'slds-text-color_weak'}`;
    }

    get canControl(): boolean {
        return this.recording !== null && this.recording.mode !== 'stopped';
    }

    get pausedByAgent(): boolean {
        return this.recording?.pausedBy.includes('agent') === true;
    }

    get consentAnnouncedDisabled(): boolean {
        return this.disabled || this.recording?.consent !== 'unknown';
    }

    get consentAnswerDisabled(): boolean {
        const consent = this.recording?.consent;
        return this.disabled || consent === 'declined';
    }

    get acceptDisabled(): boolean {
        const consent = this.recording?.consent;
        return this.disabled || consent === 'accepted' || consent === 'declined';
    }

    handlePause(): void {
        this.send({ type: 'pause', reason: 'agent' });
    }

    handleResume(): void {
        this.send({ type: 'resume', reason: 'agent' });
    }

    handleConsent(event: Event): void {
        const consent = (event.currentTarget as HTMLElement).dataset.consent;
        if (consent === 'announced' || consent === 'accepted' || consent === 'declined') {
            this.send({ type: 'consent', consent });
        }
    }

    private send(input: RecordingInput): void {
        const interactionId = this.call?.interactionId;
        this.dispatchEvent(
            commandEvent({ type: 'controlRecording', input, ...(interactionId ? { interactionId } : {}) })
        );
    }

    /** Pauses on a sensitive page, resumes on leaving it; one request per page and recording state. */
    private followPage(): void {
        const rule = this.sensitivePageRule;
        const recording = this.call?.recording;
        if (!rule || !recording || document.visibilityState !== 'visible') return;
        const page: PageContext = {};
        if (this.objectApiName) page.objectApiName = this.objectApiName;
        if (this.recordTypeName) page.recordTypeDeveloperName = this.recordTypeName;
        const input = rule(recording, page, this.sensitivePages ?? []);
        const key = JSON.stringify([this.call?.interactionId, recording, page, input]);
        if (!input || key === this.sentFor) return;
        this.sentFor = key;
        this.send(input);
    }
}
