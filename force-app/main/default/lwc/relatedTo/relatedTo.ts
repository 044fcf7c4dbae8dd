import { LightningElement, api, wire } from 'lwc';
import { getObjectInfos } from 'lightning/uiObjectInfoApi';
import { getFieldValue, getRecord } from 'lightning/uiRecordApi';
import type { CallView } from 'webphone-core';
import {
    commandEvent,
    formatLabel,
    objectTypeLabel,
    objectTypeOf,
    type CreateRecordDetail,
    type PhoneObjectType,
    type ScreenRecord,
    objectLabelsFrom,
    ORG_LABELLED_OBJECTS,
    type ObjectInfosData,
    type ObjectLabels
} from 'c/phoneUtils';

import TITLE from '@salesforce/label/c.Phone_Related_Title';
import RELATED_TO from '@salesforce/label/c.Phone_Related_Current';
import NOT_RELATED from '@salesforce/label/c.Phone_Related_None';
import RELATE_ON_SCREEN from '@salesforce/label/c.Phone_Related_OnScreen';
import NEW_CASE from '@salesforce/label/c.Phone_Related_NewCase';
import SEARCH_IN from '@salesforce/label/c.Phone_SearchIn';
import SEARCH_RECORD from '@salesforce/label/c.Phone_SearchRecord';

const SEARCHABLE_OBJECTS = ['Case', 'Account', 'Contact', 'Lead'] as const;

/** The fields that name a record, best first: Name, except a Case (its number, as the caller lookup names it). */
function nameFieldsOf(objectApiName: string | undefined): string[] | undefined {
    if (!objectApiName) return undefined;
    return objectApiName === 'Case' ? ['Case.CaseNumber', 'Case.Subject'] : [`${objectApiName}.Name`];
}

/**
 * During a call (F7): what the call is related to, "relate to the record now on screen", "new Case" (prefilled
 * with the caller's contact/account and number) and a "related to" search for a Case or another record.
 */
export default class RelatedTo extends LightningElement {
    /** The org's own object names (getObjectInfos); the package's labels until they arrive or if they fail. */
    objectLabels: ObjectLabels = {};

    @wire(getObjectInfos, { objectApiNames: ORG_LABELLED_OBJECTS })
    wiredObjectInfos({ data }: { data?: ObjectInfosData }): void {
        this.objectLabels = objectLabelsFrom(data, this.objectLabels);
    }

    /** The primary call. */
    @api call: CallView | null = null;
    @api disabled = false;

    /** The record on screen, or null (home page, list view...). */
    @api
    get screenRecord(): ScreenRecord | null {
        return this.currentScreenRecord;
    }
    set screenRecord(value: ScreenRecord | null) {
        this.currentScreenRecord = value;
        this.screenRecordId = value?.recordId || undefined;
        this.screenNameFields = nameFieldsOf(value?.objectApiName);
    }

    // the wire reads the on-screen record's name so the phone can show it (the page knows only id and object)
    screenRecordId: string | undefined;
    screenNameFields: string[] | undefined;
    private currentScreenRecord: ScreenRecord | null = null;
    private screenRecordName: { id: string; name: string } | null = null;

    @wire(getRecord, { recordId: '$screenRecordId', optionalFields: '$screenNameFields' })
    wiredScreenRecord({ data }: { data?: { id: string }; error?: unknown }): void {
        const name = data
            ? (this.screenNameFields ?? [])
                  .map((field) => getFieldValue(data, field))
                  .find((value) => !!value)
            : undefined;
        this.screenRecordName = data && typeof name === 'string' ? { id: data.id, name } : null;
    }

    searchObject: string = 'Case';

    labels = { title: TITLE, relateOnScreen: RELATE_ON_SCREEN, newCase: NEW_CASE, searchIn: SEARCH_IN };

    get hasCall(): boolean {
        return !!this.call;
    }

    get relatedText(): string {
        const related = this.call?.related;
        return related
            ? formatLabel(RELATED_TO, related.name, objectTypeLabel(related.objectType, this.objectLabels))
            : NOT_RELATED;
    }

    get onScreenDisabled(): boolean {
        const screen = this.screenRecord;
        return this.disabled || !screen?.recordId || screen.recordId === this.call?.related?.id;
    }

    get searchObjectOptions(): Array<{ label: string; value: string }> {
        return SEARCHABLE_OBJECTS.map((name) => ({
            value: name,
            label: objectTypeLabel(name, this.objectLabels)
        }));
    }

    get searchLabel(): string {
        return formatLabel(
            SEARCH_RECORD,
            objectTypeLabel(this.searchObject as PhoneObjectType, this.objectLabels)
        );
    }

    handleRelateOnScreen(): void {
        const screen = this.screenRecord;
        if (!screen?.recordId || !this.call) return;
        // not loaded (yet, or no access): relate anyway, the phone then shows the object type only
        const loaded = this.screenRecordName;
        const name = loaded && loaded.id.slice(0, 15) === screen.recordId.slice(0, 15) ? loaded.name : '';
        this.relate(screen.recordId, objectTypeOf(screen.objectApiName, screen.recordId), name);
    }

    handleSearchObjectChange(event: CustomEvent<{ value: string }>): void {
        this.searchObject = event.detail.value;
    }

    handleRecordPicked(event: CustomEvent<{ recordId: string | null }>): void {
        const recordId = event.detail.recordId;
        if (!recordId || !this.call) return;
        this.relate(recordId, objectTypeOf(this.searchObject, recordId));
    }

    handleNewCase(): void {
        const call = this.call;
        if (!call) return;
        const values: Record<string, string> = { Origin: 'Phone' };
        const number = call.caller.e164 ?? '';
        if (number) values.SuppliedPhone = number;
        const related = call.related;
        const contactId = related?.whoId?.startsWith('003')
            ? related.whoId
            : related?.objectType === 'Contact'
              ? related.id
              : '';
        const accountId = related?.whatId?.startsWith('001')
            ? related.whatId
            : related?.objectType === 'Account' || related?.objectType === 'PersonAccount'
              ? related.id
              : '';
        if (contactId) values.ContactId = contactId;
        if (accountId) values.AccountId = accountId;
        this.dispatchEvent(
            new CustomEvent<CreateRecordDetail>('createrecord', {
                detail: { objectApiName: 'Case', defaultFieldValues: values }
            })
        );
    }

    private relate(id: string, objectType: PhoneObjectType, name = ''): void {
        const record = name ? { id, objectType, name } : { id, objectType };
        this.dispatchEvent(commandEvent({ type: 'relateToRecord', record, callId: this.call?.id }));
    }
}
