import { LightningElement, api, wire } from 'lwc';
import { getObjectInfos } from 'lightning/uiObjectInfoApi';
import type { CreateRecordOption, RecordMatch, ScreenPopDecision } from 'webphone-core';
import {
    commandEvent,
    formatLabel,
    objectApiNameOf,
    objectTypeLabel,
    type AttachNumberDetail,
    type CreateRecordDetail,
    type OpenRecordDetail,
    objectLabelsFrom,
    ORG_LABELLED_OBJECTS,
    customApiNameOf,
    objectInfoNames,
    type ObjectInfosData,
    type ObjectLabels
} from 'c/phoneUtils';

import CHOOSE_TITLE from '@salesforce/label/c.Phone_Pop_ChooseTitle';
import CREATE_TITLE from '@salesforce/label/c.Phone_Pop_CreateTitle';
import NEW_RECORD from '@salesforce/label/c.Phone_Pop_NewRecord';
import ATTACH_TITLE from '@salesforce/label/c.Phone_Pop_AttachTitle';
import ATTACH_SEARCH_IN from '@salesforce/label/c.Phone_SearchIn';
import ATTACH_RECORD from '@salesforce/label/c.Phone_SearchRecord';
import ATTACH_BUTTON from '@salesforce/label/c.Phone_Pop_AttachButton';
import CLOSED from '@salesforce/label/c.Phone_Pop_Closed';

const ATTACHABLE_OBJECTS = ['Contact', 'Lead', 'Account'] as const;

interface CandidateRow {
    id: string;
    title: string;
    subtitle: string;
    objectLabel: string;
    isClosed: boolean;
}

interface CreateRow {
    key: string;
    label: string;
    option: CreateRecordOption;
}

/**
 * The screen pop when one record is not enough (F4): several matches -> a list to choose from (the choice
 * relates the call and opens the record); no match -> "new Contact / Lead / Person Account / Case" prefilled
 * with the number, or "add this number to an existing record" with a record picker. Names are text.
 */
export default class ScreenPopChooser extends LightningElement {
    /** The org's own object names (getObjectInfos); the package's labels until they arrive or if they fail. */
    objectLabels: ObjectLabels = {};

    /** The objects whose labels are asked for: the phone's, and the admin's custom object when offered (F20). */
    objectInfoNames: readonly string[] = ORG_LABELLED_OBJECTS;
    private decisionView: ScreenPopDecision | null = null;

    @wire(getObjectInfos, { objectApiNames: '$objectInfoNames' })
    wiredObjectInfos({ data }: { data?: ObjectInfosData }): void {
        this.objectLabels = objectLabelsFrom(data, this.objectLabels, this.customApiName);
    }

    /** The call's screen-pop decision (`CallView.screenPop` / `InteractionView.screenPop`). */
    @api
    get decision(): ScreenPopDecision | null {
        return this.decisionView;
    }
    set decision(value: ScreenPopDecision | null) {
        this.decisionView = value ?? null;
        const names = objectInfoNames(this.customApiName);
        if (names.join() !== this.objectInfoNames.join()) this.objectInfoNames = names;
    }

    /** The custom object (F20) among the candidates or the create options. */
    private get customApiName(): string | undefined {
        const decision = this.decisionView;
        if (decision?.action === 'choose') return customApiNameOf(decision.candidates);
        if (decision?.action === 'create')
            return customApiNameOf(decision.options.filter((option) => option.kind === 'create'));
        return undefined;
    }
    /** The call the choice is for. */
    @api callId: string | undefined;
    @api disabled = false;

    attachObject: string = 'Contact';
    attachRecordId: string | null = null;

    labels = {
        chooseTitle: CHOOSE_TITLE,
        createTitle: CREATE_TITLE,
        attachTitle: ATTACH_TITLE,
        attachSearchIn: ATTACH_SEARCH_IN,
        attachButton: ATTACH_BUTTON,
        closed: CLOSED
    };

    get isChoose(): boolean {
        return this.decision?.action === 'choose';
    }

    get isCreate(): boolean {
        return this.decision?.action === 'create';
    }

    get candidates(): CandidateRow[] {
        const decision = this.decision;
        if (!decision || decision.action !== 'choose') return [];
        return decision.candidates.map((record) => ({
            id: record.id,
            title: record.name,
            subtitle: record.subtitle ?? '',
            objectLabel: objectTypeLabel(record.objectType, this.objectLabels),
            isClosed: record.objectType === 'Case' && record.isClosed === true
        }));
    }

    get createRows(): CreateRow[] {
        const decision = this.decision;
        if (!decision || decision.action !== 'create') return [];
        return decision.options
            .filter((option): option is CreateRecordOption => option.kind === 'create')
            .map((option) => ({
                key: option.objectType,
                label: formatLabel(NEW_RECORD, objectTypeLabel(option.objectType, this.objectLabels)),
                option
            }));
    }

    get attachE164(): string {
        const decision = this.decision;
        if (!decision || decision.action !== 'create') return '';
        const attach = decision.options.find((option) => option.kind === 'attach-number');
        return attach && attach.kind === 'attach-number' ? attach.e164 : '';
    }

    get canAttach(): boolean {
        return this.attachE164 !== '';
    }

    get attachObjectOptions(): Array<{ label: string; value: string }> {
        return ATTACHABLE_OBJECTS.map((name) => ({
            value: name,
            label: objectTypeLabel(name, this.objectLabels)
        }));
    }

    get attachPickerLabel(): string {
        return formatLabel(
            ATTACH_RECORD,
            objectTypeLabel(this.attachObject as (typeof ATTACHABLE_OBJECTS)[number], this.objectLabels)
        );
    }

    get attachDisabled(): boolean {
        return this.disabled || !this.attachRecordId;
    }

    handleChoose(event: Event): void {
        const id = (event.currentTarget as HTMLElement).dataset.recordId;
        const record = this.candidateById(id);
        if (!record) return;
        this.dispatchEvent(commandEvent({ type: 'chooseRecord', recordId: record.id, callId: this.callId }));
        this.dispatchEvent(
            new CustomEvent<OpenRecordDetail>('openrecord', {
                detail: {
                    recordId: record.id,
                    objectApiName: objectApiNameOf(record.objectType, record.objectApiName)
                }
            })
        );
    }

    handleCreate(event: Event): void {
        const key = (event.currentTarget as HTMLElement).dataset.key;
        const option = this.createRows.find((row) => row.key === key)?.option;
        if (!option) return;
        this.dispatchEvent(
            new CustomEvent<CreateRecordDetail>('createrecord', {
                detail: {
                    objectApiName: option.objectApiName,
                    defaultFieldValues: { ...option.defaultFieldValues },
                    chooseRecordType: option.objectType === 'PersonAccount'
                }
            })
        );
    }

    handleAttachObjectChange(event: CustomEvent<{ value: string }>): void {
        this.attachObject = event.detail.value;
        this.attachRecordId = null;
    }

    handleAttachRecordChange(event: CustomEvent<{ recordId: string | null }>): void {
        this.attachRecordId = event.detail.recordId ?? null;
    }

    handleAttach(): void {
        if (!this.attachRecordId || !this.attachE164) return;
        this.dispatchEvent(
            new CustomEvent<AttachNumberDetail>('attachnumber', {
                detail: { recordId: this.attachRecordId, e164: this.attachE164 }
            })
        );
    }

    private candidateById(id: string | undefined): RecordMatch | undefined {
        const decision = this.decision;
        if (!id || !decision || decision.action !== 'choose') return undefined;
        return decision.candidates.find((record) => record.id === id);
    }
}
