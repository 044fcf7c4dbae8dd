/**
 * The standard "New <Object>" form that a `standard__objectPage` navigation with `actionName: 'new'` opens
 * (screen pop "new Contact / Lead / Person Account / Case", "new Case" during a call): prefilled with the
 * page reference's `defaultFieldValues`, a record type choice first when `useRecordTypeCheck` is set on an
 * Account (Business or Person Account). A custom object (the admin's choice for the caller lookup, F20) gets
 * the form of its describe (its Name and editable fields), read from the local org. Saving creates the record in
 * the local org and opens it.
 */
import { LightningElement, api } from 'lwc';
import { messageOf, orgGet, orgPost } from 'wb/orgClient';
import type { CustomForm } from '../../../../org/local-org';
import { closeModal, navigate, type NewRecordModal as ModalState } from 'wb/shell';

interface FormField {
    apiName: string;
    label: string;
    required?: boolean;
    type?: 'text' | 'tel' | 'email' | 'textarea' | 'reference';
    referenceTo?: string;
}

const FORMS: Record<string, FormField[]> = {
    Lead: [
        { apiName: 'FirstName', label: 'First Name' },
        { apiName: 'LastName', label: 'Last Name', required: true },
        { apiName: 'Company', label: 'Company', required: true },
        { apiName: 'Phone', label: 'Phone', type: 'tel' },
        { apiName: 'MobilePhone', label: 'Mobile', type: 'tel' },
        { apiName: 'Email', label: 'Email', type: 'email' }
    ],
    Contact: [
        { apiName: 'FirstName', label: 'First Name' },
        { apiName: 'LastName', label: 'Last Name', required: true },
        { apiName: 'AccountId', label: 'Account Name', type: 'reference', referenceTo: 'Account' },
        { apiName: 'Title', label: 'Title' },
        { apiName: 'Phone', label: 'Phone', type: 'tel' },
        { apiName: 'MobilePhone', label: 'Mobile', type: 'tel' },
        { apiName: 'Email', label: 'Email', type: 'email' }
    ],
    Account: [
        { apiName: 'Name', label: 'Account Name', required: true },
        { apiName: 'Phone', label: 'Phone', type: 'tel' },
        { apiName: 'Industry', label: 'Industry' },
        { apiName: 'BillingCity', label: 'Billing City' }
    ],
    PersonAccount: [
        { apiName: 'FirstName', label: 'First Name' },
        { apiName: 'LastName', label: 'Last Name', required: true },
        { apiName: 'PersonMobilePhone', label: 'Mobile', type: 'tel' },
        { apiName: 'Phone', label: 'Phone', type: 'tel' },
        { apiName: 'PersonEmail', label: 'Email', type: 'email' }
    ],
    Case: [
        { apiName: 'Subject', label: 'Subject' },
        { apiName: 'ContactId', label: 'Contact Name', type: 'reference', referenceTo: 'Contact' },
        { apiName: 'AccountId', label: 'Account Name', type: 'reference', referenceTo: 'Account' },
        { apiName: 'SuppliedPhone', label: 'Web Phone', type: 'tel' },
        { apiName: 'Origin', label: 'Case Origin' },
        { apiName: 'Priority', label: 'Priority' },
        { apiName: 'Description', label: 'Description', type: 'textarea' }
    ]
};

export default class NewRecordModal extends LightningElement {
    values: Record<string, string> = {};
    recordType: string | null = null;
    error = '';
    saving = false;
    /** The custom object's form, once read. */
    customForm: CustomForm | null = null;
    private state: ModalState | null = null;

    @api
    get modal(): ModalState | null {
        return this.state;
    }
    set modal(value: ModalState | null) {
        this.state = value;
        this.values = { ...(value?.defaultFieldValues ?? {}) };
        // a Person Account can only be chosen on Accounts; other objects have one record type here
        this.recordType =
            value?.objectApiName === 'Account' && value.useRecordTypeCheck
                ? null
                : (value?.objectApiName ?? null);
        this.error = '';
        this.customForm = null;
        const objectApiName = value?.objectApiName ?? '';
        if (objectApiName && !FORMS[objectApiName]) void this.loadCustomForm(objectApiName);
    }

    private async loadCustomForm(objectApiName: string): Promise<void> {
        try {
            const form = await orgGet<CustomForm>(`/form-fields?object=${encodeURIComponent(objectApiName)}`);
            if (this.state?.objectApiName === objectApiName) this.customForm = form;
        } catch (error) {
            this.error = messageOf(error);
        }
    }

    private get formFields(): FormField[] {
        const custom = this.customForm;
        if (custom && custom.objectApiName === this.recordType)
            return custom.fields.map((field) => ({
                apiName: field.apiName,
                label: field.label,
                required: field.required,
                type: field.type === 'phone' ? 'tel' : field.type === 'email' ? 'email' : undefined
            }));
        return FORMS[this.recordType ?? ''] ?? [];
    }

    get choosingRecordType(): boolean {
        return this.recordType === null;
    }

    get showSave(): boolean {
        return this.recordType !== null;
    }

    get heading(): string {
        if (this.recordType === 'PersonAccount') return 'New Person Account';
        return `New ${this.customForm?.label ?? this.state?.objectApiName ?? 'Record'}`;
    }

    get fields() {
        return this.formFields.map((field) => ({
            ...field,
            key: field.apiName,
            value: this.values[field.apiName] ?? '',
            inputType: field.type === 'tel' || field.type === 'email' ? field.type : 'text',
            isReference: field.type === 'reference',
            isTextarea: field.type === 'textarea',
            inputId: `field-${field.apiName}`
        }));
    }

    handleRecordType(event: Event): void {
        this.recordType = (event.currentTarget as HTMLElement).dataset.recordType ?? 'Account';
    }

    handleInput(event: Event): void {
        const target = event.target as HTMLInputElement;
        const field = target.dataset.field;
        if (field) this.values = { ...this.values, [field]: target.value };
    }

    handleTextarea(event: CustomEvent<{ value: string }>): void {
        const field = (event.currentTarget as HTMLElement).dataset.field;
        if (field) this.values = { ...this.values, [field]: event.detail.value ?? '' };
    }

    handleReference(event: CustomEvent<{ recordId: string | null }>): void {
        const field = (event.currentTarget as HTMLElement).dataset.field;
        if (field) this.values = { ...this.values, [field]: event.detail.recordId ?? '' };
    }

    handleCancel(): void {
        closeModal();
    }

    async handleSave(): Promise<void> {
        const objectApiName = this.state?.objectApiName;
        if (!objectApiName || this.saving) return;
        this.saving = true;
        this.error = '';
        try {
            const created = await orgPost<{ id: string; objectApiName: string }>('/records', {
                objectApiName,
                recordType: this.recordType,
                fields: this.values
            });
            navigate(
                {
                    type: 'standard__recordPage',
                    attributes: {
                        recordId: created.id,
                        objectApiName: created.objectApiName,
                        actionName: 'view'
                    }
                },
                true
            );
        } catch (error) {
            this.error = messageOf(error);
        } finally {
            this.saving = false;
        }
    }
}
