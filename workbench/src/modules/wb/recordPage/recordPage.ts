/**
 * A record page of the local org (a standard object, or any custom object such as the one an admin chose for the
 * caller lookup, F20): the highlights, the record's fields, and its call history (the Tasks the phone wrote: the
 * Activity Timeline, F10). Phone fields are click-to-dial: this page stands in for the Open
 * CTI bridge page (ccphoneOpenCti), so it publishes the same `dial` message on the WebPhone message channel
 * (source `openCti`) and enables click-to-dial only while the phone says it can dial (`phoneState`), asking
 * for that state when it opens (`phoneStateRequest`). The call history reloads when the phone publishes that
 * a call was logged.
 */
import { LightningElement, api, wire } from 'lwc';
import { APPLICATION_SCOPE, MessageContext, publish, subscribe, unsubscribe } from 'lightning/messageService';
import WEBPHONE_CHANNEL from '@salesforce/messageChannel/WebPhone__c';
import { messageOf, orgGet, subscribeOrgChanges, type RecordChange } from 'wb/orgClient';
import { navigate, objectIcon, setTabLabel } from 'wb/shell';
import type { ActivityView, RecordFieldView, RecordView } from '../../../../org/local-org';

/** The Open CTI page's `source` (the phone treats this page's messages as the bridge's). */
const OPEN_CTI_SOURCE = 'openCti';

/** Fields of the highlights panel per record type. */
const HIGHLIGHTS: Record<string, string[]> = {
    Account: ['Phone', 'Industry', 'BillingCity', 'OwnerId'],
    PersonAccount: ['PersonMobilePhone', 'PersonHomePhone', 'PersonEmail', 'OwnerId'],
    Contact: ['Title', 'AccountId', 'Phone', 'MobilePhone'],
    Lead: ['Company', 'Status', 'Phone', 'MobilePhone'],
    Case: ['Subject', 'Status', 'Priority', 'ContactId']
};

function duration(seconds: number): string {
    const minutes = Math.floor(seconds / 60);
    return minutes > 0 ? `${minutes} min ${seconds % 60} s` : `${seconds} s`;
}

export default class RecordPage extends LightningElement {
    @api objectApiName = '';

    @wire(MessageContext)
    messageContext: unknown;

    record: RecordView | null = null;
    activities: ActivityView[] = [];
    error = '';
    clickToDialEnabled = false;
    private currentId = '';
    private subscription: unknown = null;
    private stopChanges: (() => void) | null = null;
    private reloadTimer: ReturnType<typeof setTimeout> | null = null;

    @api
    get recordId(): string {
        return this.currentId;
    }
    set recordId(value: string) {
        const changed = value !== this.currentId;
        this.currentId = value ?? '';
        if (changed) void this.load();
    }

    override connectedCallback(): void {
        this.subscription = subscribe(
            this.messageContext,
            WEBPHONE_CHANNEL,
            (message: unknown) => this.handleMessage(message),
            {
                scope: APPLICATION_SCOPE
            }
        );
        // the phone may have started before this page: ask for its state, as the Open CTI page does
        this.send({ type: 'phoneStateRequest' });
        this.stopChanges = subscribeOrgChanges((change) => this.handleChange(change));
    }

    override disconnectedCallback(): void {
        if (this.subscription) unsubscribe(this.subscription);
        this.subscription = null;
        this.stopChanges?.();
        this.stopChanges = null;
        if (this.reloadTimer) clearTimeout(this.reloadTimer);
    }

    /** A Task of this record (or the record itself) was written in the org: show it. */
    private handleChange(change: RecordChange): void {
        const mine = (id: string) => id.slice(0, 15) === this.currentId.slice(0, 15);
        const record = this.record;
        const relevant =
            mine(change.id) ||
            change.relatedIds.some(mine) ||
            // an Account's history rolls up its contacts' Tasks
            (change.object === 'Task' && record?.objectApiName === 'Account');
        if (!relevant || this.reloadTimer) return;
        // one reload for a burst of writes
        this.reloadTimer = setTimeout(() => {
            this.reloadTimer = null;
            void (mine(change.id) ? this.load() : this.loadActivities());
        }, 100);
    }

    private send(message: Record<string, unknown>): void {
        publish(this.messageContext, WEBPHONE_CHANNEL, {
            ...message,
            source: OPEN_CTI_SOURCE,
            sentAt: Date.now()
        });
    }

    private handleMessage(message: unknown): void {
        const data = (message ?? {}) as Record<string, unknown>;
        if (data.source === OPEN_CTI_SOURCE) return;
        if (data.type === 'phoneState') this.clickToDialEnabled = data.clickToDialEnabled === true;
        // the history also follows the org's writes (handleChange): this covers a Task written elsewhere
        if (data.type === 'callEvent' && data.event === 'logged') void this.loadActivities();
    }

    private async load(): Promise<void> {
        const id = this.currentId;
        if (!id) return;
        try {
            const record = await orgGet<RecordView>(`/records/${encodeURIComponent(id)}`);
            if (id !== this.currentId) return;
            this.record = record;
            this.error = '';
            setTabLabel(
                {
                    type: 'standard__recordPage',
                    attributes: { recordId: id, objectApiName: this.objectApiName }
                },
                record.name
            );
        } catch (error) {
            this.record = null;
            this.error = messageOf(error);
        }
        await this.loadActivities();
    }

    private async loadActivities(): Promise<void> {
        const id = this.currentId;
        if (!id) return;
        try {
            const activities = await orgGet<ActivityView[]>(`/records/${encodeURIComponent(id)}/activities`);
            if (id === this.currentId) this.activities = activities;
        } catch {
            // the record's error is shown already
        }
    }

    get hasRecord(): boolean {
        return !!this.record;
    }

    get icon(): string {
        return objectIcon(this.record?.recordType ?? '');
    }

    get highlights() {
        const record = this.record;
        if (!record) return [];
        // a custom object (F20): its own fields, as its compact layout would show them
        const names =
            HIGHLIGHTS[record.recordType] ??
            record.fields
                .filter((field) => field.apiName.endsWith('__c'))
                .slice(0, 4)
                .map((field) => field.apiName);
        return names
            .map((name) => record.fields.find((field) => field.apiName === name))
            .filter((field): field is RecordFieldView => !!field)
            .map((field) => this.fieldRow(field));
    }

    get fields() {
        return (this.record?.fields ?? []).map((field) => this.fieldRow(field));
    }

    private fieldRow(field: RecordFieldView) {
        const hasValue = field.displayValue !== '';
        return {
            ...field,
            key: field.apiName,
            isDialable: !!field.isPhone && hasValue,
            isLink: !!field.referenceId && !!field.referenceObject,
            isText: !(field.isPhone && hasValue) && !(field.referenceId && field.referenceObject),
            dialDisabled: !this.clickToDialEnabled,
            dialTitle: this.clickToDialEnabled
                ? `Call ${field.displayValue}`
                : 'Click-to-dial is available when the phone is registered and idle'
        };
    }

    get activityRows() {
        return this.activities.map((activity) => {
            const missed = ['missed', 'no-answer', 'rejected', 'abandoned'].includes(activity.outcome);
            const when = activity.startedAt ? new Date(activity.startedAt) : null;
            return {
                ...activity,
                when: when
                    ? when.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })
                    : activity.activityDate,
                durationText: duration(activity.durationSeconds),
                subjectClass: `slds-text-heading_small activity__subject${missed ? ' slds-text-color_error' : ''}`,
                hasRecording: /^https:\/\//.test(activity.recordingUrl),
                related: [activity.whoName, activity.whatName].filter(Boolean).join(' · ')
            };
        });
    }

    get hasActivities(): boolean {
        return this.activities.length > 0;
    }

    get activityCount(): string {
        return `Call history (${this.activities.length})`;
    }

    handleDial(event: Event): void {
        const field = (event.currentTarget as HTMLElement).dataset.field;
        const record = this.record;
        const value = record?.fields.find((candidate) => candidate.apiName === field)?.displayValue;
        if (!record || !value || !this.clickToDialEnabled) return;
        this.send({
            type: 'dial',
            number: value,
            recordId: record.id,
            objectApiName: record.objectApiName,
            recordName: record.name
        });
    }

    handleReference(event: Event): void {
        event.preventDefault();
        const { referenceId, referenceObject } = (event.currentTarget as HTMLElement).dataset;
        if (referenceId && referenceObject) {
            navigate({
                type: 'standard__recordPage',
                attributes: { recordId: referenceId, objectApiName: referenceObject, actionName: 'view' }
            });
        }
    }

    handleRefresh(): void {
        void this.load();
    }
}
