import { LightningElement, api } from 'lwc';
import type { CallView } from 'webphone-core';
import {
    commandEvent,
    formatLabel,
    objectTypeLabel,
    objectTypeOf,
    type CreateRecordDetail,
    type PhoneObjectType,
    type ScreenRecord
} from 'c/phoneUtils';

import TITLE from '@salesforce/label/c.Phone_Related_Title';
import RELATED_TO from '@salesforce/label/c.Phone_Related_Current';
import NOT_RELATED from '@salesforce/label/c.Phone_Related_None';
import RELATE_ON_SCREEN from '@salesforce/label/c.Phone_Related_OnScreen';
import NEW_CASE from '@salesforce/label/c.Phone_Related_NewCase';
import SEARCH_IN from '@salesforce/label/c.Phone_SearchIn';
import SEARCH_RECORD from '@salesforce/label/c.Phone_SearchRecord';

const SEARCHABLE_OBJECTS = ['Case', 'Account', 'Contact', 'Lead'] as const;

/**
 * During a call (F7): what the call is related to, "relate to the record now on screen", "new Case" (prefilled
 * with the caller's contact/account and number) and a "related to" search for a Case or another record.
 */
export default class RelatedTo extends LightningElement {
    /** The primary call. */
    @api call: CallView | null = null;
    /** The record on screen, or null (home page, list view...). */
    @api screenRecord: ScreenRecord | null = null;
    @api disabled = false;

    searchObject: string = 'Case';

    labels = { title: TITLE, relateOnScreen: RELATE_ON_SCREEN, newCase: NEW_CASE, searchIn: SEARCH_IN };

    get hasCall(): boolean {
        return !!this.call;
    }

    get relatedText(): string {
        const related = this.call?.related;
        return related
            ? formatLabel(RELATED_TO, related.name, objectTypeLabel(related.objectType))
            : NOT_RELATED;
    }

    get onScreenDisabled(): boolean {
        const screen = this.screenRecord;
        return this.disabled || !screen?.recordId || screen.recordId === this.call?.related?.id;
    }

    get searchObjectOptions(): Array<{ label: string; value: string }> {
        return SEARCHABLE_OBJECTS.map((name) => ({ value: name, label: objectTypeLabel(name) }));
    }

    get searchLabel(): string {
        return formatLabel(SEARCH_RECORD, objectTypeLabel(this.searchObject as PhoneObjectType));
    }

    handleRelateOnScreen(): void {
        const screen = this.screenRecord;
        if (!screen?.recordId || !this.call) return;
        this.relate(screen.recordId, objectTypeOf(screen.objectApiName, screen.recordId));
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

    private relate(id: string, objectType: PhoneObjectType): void {
        this.dispatchEvent(
            commandEvent({ type: 'relateToRecord', record: { id, objectType }, callId: this.call?.id })
        );
    }
}
