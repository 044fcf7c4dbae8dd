/**
 * Workbench implementation of `lightning-record-view-form`: reads the record from the local org and hands
 * each `lightning-output-field` inside it its field's label and value (the children register with a bubbling
 * event, as the platform's do). `density` is accepted and ignored.
 */
import { LightningElement, api } from 'lwc';
import { orgGet } from 'wb/orgClient';

/** A field of a record as the local org's REST API returns it. */
export interface RecordField {
    apiName: string;
    label: string;
    value: unknown;
    displayValue: string;
    type: string;
}

interface RecordDetail {
    id: string;
    objectApiName: string;
    name: string;
    fields: RecordField[];
}

type FieldCallback = (field: RecordField | null) => void;

export const REGISTER_FIELD_EVENT = 'wbregisteroutputfield';

export default class RecordViewForm extends LightningElement {
    @api objectApiName = '';
    @api density = 'auto';

    private currentRecordId: string | null = null;
    private record: RecordDetail | null = null;
    private readonly fields = new Map<FieldCallback, string>();

    constructor() {
        super();
        this.addEventListener(REGISTER_FIELD_EVENT, (event: Event) =>
            this.handleRegister(event as CustomEvent)
        );
    }

    @api
    get recordId(): string | null {
        return this.currentRecordId;
    }
    set recordId(value: string | null) {
        this.currentRecordId = value || null;
        void this.load();
    }

    private handleRegister(event: CustomEvent<{ fieldName: string; callback: FieldCallback }>): void {
        event.stopPropagation();
        const { fieldName, callback } = event.detail;
        this.fields.set(callback, fieldName);
        callback(this.fieldOf(fieldName));
    }

    private fieldOf(fieldName: string): RecordField | null {
        return (
            this.record?.fields.find(
                (field) => field.apiName.toLowerCase() === String(fieldName).toLowerCase()
            ) ?? null
        );
    }

    private async load(): Promise<void> {
        const id = this.currentRecordId;
        if (!id) return;
        try {
            const record = await orgGet<RecordDetail>(`/records/${encodeURIComponent(id)}`);
            if (id !== this.currentRecordId) return;
            this.record = record;
            for (const [callback, fieldName] of this.fields) callback(this.fieldOf(fieldName));
            this.dispatchEvent(new CustomEvent('load', { detail: { records: { [id]: record } } }));
        } catch (error) {
            this.dispatchEvent(new CustomEvent('error', { detail: error }));
        }
    }
}
