import { LightningElement, api, wire } from 'lwc';
import { getObjectInfos } from 'lightning/uiObjectInfoApi';
import type {
    ConversationOffer,
    ConversationWatch,
    InteractionView,
    WrapUpForm as WrapUpDraft
} from 'webphone-core';
import type * as WebphoneCoreModule from 'webphone-core';
import getConversation from '@salesforce/apex/ConversationController.getConversation';
import {
    commandEvent,
    formatClock,
    formatLabel,
    objectTypeLabel,
    objectLabelsFrom,
    ORG_LABELLED_OBJECTS,
    type ObjectInfosData,
    type ObjectLabels
} from 'c/phoneUtils';

import TITLE from '@salesforce/label/c.Phone_WrapUp_Title';
import NOTES from '@salesforce/label/c.Phone_WrapUp_Notes';
import RESULT from '@salesforce/label/c.Phone_WrapUp_Result';
import RESULT_PLACEHOLDER from '@salesforce/label/c.Phone_WrapUp_ResultPlaceholder';
import RELATED_TO from '@salesforce/label/c.Phone_WrapUp_RelatedTo';
import OTHER_RECORD from '@salesforce/label/c.Phone_WrapUp_OtherRecord';
import SEARCH_IN from '@salesforce/label/c.Phone_SearchIn';
import OTHER_RECORD_IN from '@salesforce/label/c.Phone_SearchRecord';
import CALLBACK from '@salesforce/label/c.Phone_WrapUp_Callback';
import SAVE from '@salesforce/label/c.Phone_WrapUp_Save';
import END_EARLY from '@salesforce/label/c.Phone_WrapUp_EndEarly';
import TIME_LEFT from '@salesforce/label/c.Phone_WrapUp_TimeLeft';
import DURATION from '@salesforce/label/c.Phone_WrapUp_Duration';
import UNKNOWN_CALLER from '@salesforce/label/c.Phone_Label_UnknownCaller';
import RESULT_RESOLVED from '@salesforce/label/c.Phone_Result_Resolved';
import RESULT_FOLLOW_UP from '@salesforce/label/c.Phone_Result_FollowUp';
import RESULT_INFORMATION from '@salesforce/label/c.Phone_Result_Information';
import RESULT_WRONG_NUMBER from '@salesforce/label/c.Phone_Result_WrongNumber';
import RESULT_OTHER from '@salesforce/label/c.Phone_Result_Other';
import SUMMARY_TITLE from '@salesforce/label/c.Phone_WrapUp_SummaryTitle';
import USE_SUMMARY from '@salesforce/label/c.Phone_WrapUp_UseSummary';
import USE_SUMMARY_HELP from '@salesforce/label/c.Phone_WrapUp_UseSummaryHelp';
import SUGGESTED_RESULT from '@salesforce/label/c.Phone_WrapUp_SuggestedResult';
import SUMMARY_USED from '@salesforce/label/c.Phone_WrapUp_SummaryUsed';

/** phone-core's conversation helpers (F22), handed down by the phone (this component cannot load phone-core). */
export type ConversationCore = Pick<
    typeof WebphoneCoreModule,
    'ConversationWatch' | 'notesWithSummary' | 'suggestedDisposition' | 'systemClock'
>;

/** A call result (Task.CallDisposition): the stored value and the text the agent sees. */
export interface DispositionOption {
    label: string;
    value: string;
}

/** Used when the org configures no call results: stable stored values, translated labels. */
const DEFAULT_DISPOSITIONS: readonly DispositionOption[] = [
    { value: 'Resolved', label: RESULT_RESOLVED },
    { value: 'Follow-up needed', label: RESULT_FOLLOW_UP },
    { value: 'Information given', label: RESULT_INFORMATION },
    { value: 'Wrong number', label: RESULT_WRONG_NUMBER },
    { value: 'Other', label: RESULT_OTHER }
];

const SEARCHABLE_OBJECTS = ['Case', 'Account', 'Contact', 'Lead'] as const;
const OTHER = '__other__';

/**
 * The wrap-up form (F12): notes, call result, the record to relate the Task to (a screen-pop candidate or any
 * Case/Account/Contact/Lead found with lightning-record-picker), callback request, the WRAP countdown, "end
 * wrap-up early" and save. The session keeps the draft (it survives a reload); this form keeps what is being
 * typed locally so a state arriving late never overwrites a keystroke.
 *
 * The contact centre's summary (F22): while the form shows a call it asks Salesforce with backoff
 * (phone-core's ConversationWatch over ConversationController.getConversation) until the summary has reached
 * the call's Task, then shows it (as text) with "Use summary": the summary goes after the agent's notes (never
 * replacing them; editing undoes it) and the suggested result is chosen unless the agent chose one. Asking
 * stops when the wrap-up ends; a summary that arrives later stays on the Task only.
 */
export default class WrapUpForm extends LightningElement {
    /** The org's own object names (getObjectInfos); the package's labels until they arrive or if they fail. */
    objectLabels: ObjectLabels = {};

    @wire(getObjectInfos, { objectApiNames: ORG_LABELLED_OBJECTS })
    wiredObjectInfos({ data }: { data?: ObjectInfosData }): void {
        this.objectLabels = objectLabelsFrom(data, this.objectLabels);
    }

    /** The agent is in Wrap (enables "end wrap-up early"). */
    @api agentInWrap = false;
    @api disabled = false;
    /** Call results configured by the org; empty: the built-in list. */
    @api dispositions: DispositionOption[] = [];

    /** phone-core's conversation helpers; without them no summary is asked for. */
    @api
    get conversationCore(): ConversationCore | null {
        return this.core;
    }
    set conversationCore(value: ConversationCore | null) {
        this.core = value ?? null;
        this.watchConversation();
    }

    /** The contact centre's summary of the call in wrap-up, once it has arrived. */
    offer: ConversationOffer | null = null;

    notes = '';
    disposition = '';
    relatedRecordId: string | null = null;
    callbackRequested = false;
    searchObject: string = 'Case';
    /** The agent chose "another record" and is searching. */
    pickOther = false;
    now = Date.now();

    private view: InteractionView | null = null;
    private core: ConversationCore | null = null;
    private watch: ConversationWatch | null = null;
    private watchedId: string | null = null;
    private ticker: ReturnType<typeof setInterval> | undefined;

    labels = {
        title: TITLE,
        notes: NOTES,
        result: RESULT,
        resultPlaceholder: RESULT_PLACEHOLDER,
        relatedTo: RELATED_TO,
        searchIn: SEARCH_IN,
        callback: CALLBACK,
        save: SAVE,
        endEarly: END_EARLY,
        timeLeft: TIME_LEFT,
        summaryTitle: SUMMARY_TITLE,
        useSummary: USE_SUMMARY,
        useSummaryHelp: USE_SUMMARY_HELP,
        summaryUsed: SUMMARY_USED
    };

    /** The interaction in wrap-up (`PhoneViewState.wrapUp`). */
    @api
    get wrapUp(): InteractionView | null {
        return this.view;
    }
    set wrapUp(value: InteractionView | null) {
        const changedInteraction = value?.interactionId !== this.view?.interactionId;
        this.view = value ?? null;
        if (changedInteraction && value) this.adoptDraft(value.draft);
        this.watchConversation();
    }

    override connectedCallback(): void {
        // eslint-disable-next-line @lwc/lwc/no-async-operation -- one-second tick of the visible wrap-up countdown
        this.ticker = setInterval(() => {
            if (this.view?.deadline) this.now = Date.now();
        }, 1000);
        this.now = Date.now();
        this.watchConversation();
    }

    override disconnectedCallback(): void {
        if (this.ticker !== undefined) clearInterval(this.ticker);
        this.ticker = undefined;
        this.stopWatching();
    }

    get hasWrapUp(): boolean {
        return !!this.view;
    }

    get callerName(): string {
        const caller = this.view?.caller;
        return caller?.name || caller?.displayName || UNKNOWN_CALLER;
    }

    get callerNumber(): string {
        return this.view?.caller.numberDisplay || this.view?.caller.rawNumber || '';
    }

    get durationText(): string {
        const seconds = this.view?.durationSeconds;
        return seconds !== undefined ? formatLabel(DURATION, formatClock(seconds * 1000)) : '';
    }

    get hasDeadline(): boolean {
        return !!this.view?.deadline;
    }

    get timeLeft(): string {
        return formatClock((this.view?.deadline ?? this.now) - this.now);
    }

    get dispositionOptions(): DispositionOption[] {
        const configured = (this.dispositions ?? []).filter((option) => option && option.value);
        const options = configured.length > 0 ? [...configured] : [...DEFAULT_DISPOSITIONS];
        // a value from an older draft or another tab stays selectable
        if (this.disposition && !options.some((option) => option.value === this.disposition)) {
            options.push({ value: this.disposition, label: this.disposition });
        }
        return options;
    }

    get candidateOptions(): Array<{ label: string; value: string }> {
        const options = (this.view?.candidates ?? []).map((record) => ({
            value: record.id,
            label: `${record.name} (${objectTypeLabel(record.objectType, this.objectLabels)})`
        }));
        const related = this.view?.related;
        if (related && !options.some((option) => option.value === related.id)) {
            options.unshift({
                value: related.id,
                label: `${related.name} (${objectTypeLabel(related.objectType, this.objectLabels)})`
            });
        }
        options.push({ value: OTHER, label: OTHER_RECORD });
        return options;
    }

    get candidateValue(): string {
        if (this.showPicker) return OTHER;
        return this.relatedRecordId ?? this.view?.related?.id ?? '';
    }

    get showPicker(): boolean {
        if (this.pickOther) return true;
        const id = this.relatedRecordId;
        return !!id && !this.candidateOptions.some((option) => option.value === id);
    }

    get searchObjectOptions(): Array<{ label: string; value: string }> {
        return SEARCHABLE_OBJECTS.map((name) => ({
            value: name,
            label: objectTypeLabel(name, this.objectLabels)
        }));
    }

    get pickerLabel(): string {
        return formatLabel(
            OTHER_RECORD_IN,
            objectTypeLabel(this.searchObject as (typeof SEARCHABLE_OBJECTS)[number], this.objectLabels)
        );
    }

    get endEarlyDisabled(): boolean {
        return this.disabled || !this.agentInWrap;
    }

    handleNotesChange(event: CustomEvent<{ value: string }>): void {
        this.notes = event.detail.value ?? '';
        this.update({ notes: this.notes });
    }

    handleDispositionChange(event: CustomEvent<{ value: string }>): void {
        this.disposition = event.detail.value ?? '';
        this.update({ disposition: this.disposition });
    }

    handleCandidateChange(event: CustomEvent<{ value: string }>): void {
        const value = event.detail.value;
        if (value === OTHER) {
            this.pickOther = true;
            return;
        }
        this.pickOther = false;
        this.relatedRecordId = value || null;
        this.update({ relatedRecordId: this.relatedRecordId });
    }

    handleSearchObjectChange(event: CustomEvent<{ value: string }>): void {
        this.searchObject = event.detail.value;
    }

    handleRecordPicked(event: CustomEvent<{ recordId: string | null }>): void {
        const recordId = event.detail.recordId ?? null;
        if (!recordId) return;
        this.relatedRecordId = recordId;
        this.update({ relatedRecordId: recordId });
    }

    handleCallbackChange(event: CustomEvent<{ checked: boolean }>): void {
        this.callbackRequested = !!event.detail.checked;
        this.update({ callbackRequested: this.callbackRequested });
    }

    get hasOffer(): boolean {
        return !!this.offer;
    }

    get suggestedResultText(): string {
        const suggested = this.offer?.suggestedResult;
        if (!suggested) return '';
        const options = this.dispositionOptions;
        const value = this.core?.suggestedDisposition(suggested, options) ?? suggested;
        const option = options.find((candidate) => candidate.value === value);
        return formatLabel(SUGGESTED_RESULT, option?.label ?? suggested);
    }

    /** The notes already hold the summary (the agent can edit it away, which offers the button again). */
    get summaryUsed(): boolean {
        const summary = this.offer?.summary;
        return !!summary && this.notes.includes(summary);
    }

    get useSummaryDisabled(): boolean {
        return this.disabled || (this.summaryUsed && !this.resultToSuggest);
    }

    /** The suggested result, when the agent has chosen none yet. */
    private get resultToSuggest(): string | null {
        if (this.disposition || !this.core || !this.offer) return null;
        return this.core.suggestedDisposition(this.offer.suggestedResult, this.dispositionOptions);
    }

    handleUseSummary(): void {
        if (!this.offer || !this.core) return;
        const result = this.resultToSuggest;
        const notes = this.core.notesWithSummary(this.notes, this.offer.summary);
        const patch: Partial<WrapUpDraft> = {};
        if (notes !== this.notes) {
            this.notes = notes;
            patch.notes = notes;
        }
        if (result) {
            this.disposition = result;
            patch.disposition = result;
        }
        if (Object.keys(patch).length > 0) this.update(patch);
    }

    handleSave(): void {
        if (!this.view) return;
        this.dispatchEvent(
            commandEvent({
                type: 'submitWrapUp',
                interactionId: this.view.interactionId,
                form: this.currentForm()
            })
        );
    }

    handleEndEarly(): void {
        if (!this.view) return;
        // the draft already holds every change: ending the wrap logs the call with it
        this.dispatchEvent(commandEvent({ type: 'endWrapEarly' }));
    }

    /** Asks for the summary of the call on show (one watch per call); stops for another call or none. */
    private watchConversation(): void {
        const interactionId = this.view?.interactionId ?? null;
        if (interactionId === this.watchedId && this.watch) return;
        this.stopWatching();
        this.offer = null;
        if (!interactionId || typeof this.core?.ConversationWatch !== 'function') return;
        this.watchedId = interactionId;
        this.watch = new this.core.ConversationWatch({
            interactionId,
            clock: this.core.systemClock,
            fetch: (id) => getConversation({ interactionId: id }),
            onArrived: (offer) => {
                if (offer.interactionId === this.view?.interactionId) this.offer = offer;
            }
        });
        this.watch.start();
    }

    private stopWatching(): void {
        this.watch?.stop();
        this.watch = null;
        this.watchedId = null;
    }

    private update(patch: Partial<WrapUpDraft>): void {
        if (!this.view) return;
        this.dispatchEvent(
            commandEvent({ type: 'updateWrapUp', interactionId: this.view.interactionId, patch })
        );
    }

    private currentForm(): WrapUpDraft {
        return {
            notes: this.notes,
            disposition: this.disposition,
            relatedRecordId: this.relatedRecordId,
            callbackRequested: this.callbackRequested
        };
    }

    private adoptDraft(draft: WrapUpDraft): void {
        this.notes = draft.notes ?? '';
        this.disposition = draft.disposition ?? '';
        this.relatedRecordId = draft.relatedRecordId ?? null;
        this.callbackRequested = !!draft.callbackRequested;
        this.pickOther = false;
    }
}
