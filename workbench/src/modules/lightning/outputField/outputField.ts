/**
 * Workbench implementation of `lightning-output-field`: shows one field of the enclosing
 * `lightning-record-view-form`'s record (label above value, SLDS stacked form element).
 */
import { LightningElement, api } from 'lwc';

interface FieldValue {
    label: string;
    displayValue: string;
}

const REGISTER_FIELD_EVENT = 'wbregisteroutputfield';

export default class OutputField extends LightningElement {
    @api fieldName = '';
    @api variant = 'standard';
    @api fieldClass = '';

    label = '';
    displayValue = '';

    override connectedCallback(): void {
        this.dispatchEvent(
            new CustomEvent(REGISTER_FIELD_EVENT, {
                bubbles: true,
                composed: true,
                detail: {
                    fieldName: this.fieldName,
                    callback: (field: FieldValue | null) => {
                        this.label = field?.label ?? this.fieldName;
                        this.displayValue = field?.displayValue ?? '';
                    }
                }
            })
        );
    }

    get showLabel(): boolean {
        return this.variant !== 'label-hidden';
    }
}
