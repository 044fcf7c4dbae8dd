import { LightningElement, api, wire } from 'lwc';
import { getObjectInfos } from 'lightning/uiObjectInfoApi';
import type { CallerCard as CallerCardView } from 'webphone-core';
import {
    fillUrlTemplate,
    formatLabel,
    objectApiNameOf,
    objectTypeLabel,
    type OpenRecordDetail,
    type OpenUrlDetail,
    objectLabelsFrom,
    ORG_LABELLED_OBJECTS,
    customApiNameOf,
    objectInfoNames,
    type ObjectInfosData,
    type ObjectLabels
} from 'c/phoneUtils';

import UNKNOWN_CALLER from '@salesforce/label/c.Phone_Label_UnknownCaller';
import INBOUND from '@salesforce/label/c.Phone_Caller_Inbound';
import OUTBOUND from '@salesforce/label/c.Phone_Caller_Outbound';
import OPEN_RECORD from '@salesforce/label/c.Phone_Caller_OpenRecord';
import EXTENSION from '@salesforce/label/c.Phone_Caller_Extension';
import MORE_MATCHES from '@salesforce/label/c.Phone_Caller_MoreMatches';
import NUMBER_WITHHELD from '@salesforce/label/c.Phone_Caller_NumberWithheld';
import QUEUED_CALLBACK from '@salesforce/label/c.Phone_Caller_QueuedCallback';

/**
 * The other party of a call (F3, F9): name, company, number, the admin's extra fields of the matched record
 * (F15, read through Lightning Data Service so field-level security applies) and a click action that opens
 * the record or a URL template (F16). Caller-controlled text (SIP display name, record names) is rendered
 * only through template bindings, i.e. as text: `<img src=x onerror=...>` shows as those characters.
 */
export default class CallerCard extends LightningElement {
    /** The org's own object names (getObjectInfos); the package's labels until they arrive or if they fail. */
    objectLabels: ObjectLabels = {};

    /** The objects whose labels are asked for: the phone's, and the custom object of a `Custom` match (F20). */
    objectInfoNames: readonly string[] = ORG_LABELLED_OBJECTS;
    private callerView: CallerCardView | null = null;

    @wire(getObjectInfos, { objectApiNames: '$objectInfoNames' })
    wiredObjectInfos({ data }: { data?: ObjectInfosData }): void {
        this.objectLabels = objectLabelsFrom(data, this.objectLabels, this.customApiName);
    }

    /** The caller card of a CallView or InteractionView. */
    @api
    get caller(): CallerCardView | null {
        return this.callerView;
    }
    set caller(value: CallerCardView | null) {
        this.callerView = value ?? null;
        const names = objectInfoNames(this.customApiName);
        if (names.join() !== this.objectInfoNames.join()) this.objectInfoNames = names;
    }

    private get customApiName(): string | undefined {
        return customApiNameOf([this.callerView?.record]);
    }
    /** 'inbound' or 'outbound'. */
    @api direction: 'inbound' | 'outbound' = 'inbound';
    /** A callback the contact centre queued and places (`CallView.callback`): shown as such. */
    @api callback: { callbackId: string } | null | undefined = null;
    /** Extra fields per object API name, e.g. `{ Contact: ['Title', 'Email'] }` (F15). */
    @api cardFields: Record<string, string[]> = {};
    /** Optional https URL template opened instead of the record, e.g. `https://erp.example/c?id={Id}` (F16). */
    @api clickUrlTemplate = '';

    get name(): string {
        return this.caller?.name || this.caller?.displayName || UNKNOWN_CALLER;
    }

    get company(): string {
        return this.caller?.company ?? '';
    }

    get number(): string {
        return this.caller?.numberDisplay || this.caller?.rawNumber || NUMBER_WITHHELD;
    }

    get extensionText(): string {
        return this.caller?.extension ? formatLabel(EXTENSION, this.caller.extension) : '';
    }

    get directionText(): string {
        if (this.callback) return QUEUED_CALLBACK;
        return this.direction === 'outbound' ? OUTBOUND : INBOUND;
    }

    get record() {
        return this.caller?.record ?? null;
    }

    get objectLabel(): string {
        return this.record ? objectTypeLabel(this.record.objectType, this.objectLabels) : '';
    }

    get canOpen(): boolean {
        return !!this.record;
    }

    get openTitle(): string {
        return formatLabel(OPEN_RECORD, this.name);
    }

    get recordApiName(): string | undefined {
        const record = this.record;
        return record ? objectApiNameOf(record.objectType, record.objectApiName) : undefined;
    }

    get extraFields(): string[] {
        const record = this.record;
        // Person Accounts have their own list (their fields differ from a business Account's)
        const key = record?.objectType === 'PersonAccount' ? 'PersonAccount' : this.recordApiName;
        const fields = key ? this.cardFields?.[key] : undefined;
        return Array.isArray(fields)
            ? fields.filter((field) => typeof field === 'string' && field.length > 0)
            : [];
    }

    get hasExtraFields(): boolean {
        return this.extraFields.length > 0;
    }

    get moreMatchesText(): string {
        const more = (this.caller?.matchCount ?? 0) - 1;
        return more > 0 ? formatLabel(MORE_MATCHES, more) : '';
    }

    handleOpen(): void {
        const record = this.record;
        if (!record) return;
        if (this.clickUrlTemplate) {
            const url = fillUrlTemplate(this.clickUrlTemplate, {
                Id: record.id,
                Name: record.name,
                ObjectType: record.objectType,
                Phone: this.caller?.e164 ?? this.caller?.rawNumber ?? ''
            });
            if (url) {
                this.dispatchEvent(new CustomEvent<OpenUrlDetail>('openurl', { detail: { url } }));
                return;
            }
        }
        this.dispatchEvent(
            new CustomEvent<OpenRecordDetail>('openrecord', {
                detail: { recordId: record.id, objectApiName: this.recordApiName }
            })
        );
    }
}
