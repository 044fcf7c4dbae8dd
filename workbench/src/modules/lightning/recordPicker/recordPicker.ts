/**
 * Workbench implementation of `lightning-record-picker` (the platform's searches through GraphQL, which the
 * workbench does not have): an SLDS lookup that searches the local org's records of `object-api-name` by
 * name (and number, for Cases) and fires `change` with `{ recordId }` like the platform's.
 */
import { LightningElement, api } from 'lwc';
import { orgGet } from 'wb/orgClient';

interface SearchResult {
    id: string;
    name: string;
    subtitle?: string;
}

const SEARCH_DELAY_MS = 200;

export default class RecordPicker extends LightningElement {
    @api label = '';
    @api placeholder = 'Search...';
    @api objectApiName = '';
    @api disabled = false;
    @api required = false;
    @api variant = 'standard';
    @api fieldLevelHelp = '';
    @api filter: unknown;
    @api displayInfo: unknown;
    @api matchingInfo: unknown;

    results: SearchResult[] = [];
    searchText = '';
    open = false;
    selected: SearchResult | null = null;
    private recordId: string | null = null;
    private timer: ReturnType<typeof setTimeout> | null = null;
    private searchSeq = 0;

    @api
    get value(): string | null {
        return this.recordId;
    }
    set value(id: string | null) {
        this.recordId = id || null;
        if (!this.recordId) {
            this.selected = null;
        } else if (this.selected?.id !== this.recordId) {
            this.selected = { id: this.recordId, name: this.recordId };
            void orgGet<{ name: string }>(`/records/${encodeURIComponent(this.recordId)}`).then(
                (record) => {
                    if (this.selected?.id === id) this.selected = { id: id as string, name: record.name };
                },
                () => undefined
            );
        }
    }

    @api
    clearSelection(): void {
        this.select(null);
    }

    @api
    checkValidity(): boolean {
        return !this.required || !!this.recordId;
    }

    @api
    reportValidity(): boolean {
        return this.checkValidity();
    }

    @api
    focus(): void {
        (this.template?.querySelector('input') as HTMLInputElement | null)?.focus();
    }

    @api
    blur(): void {
        (this.template?.querySelector('input') as HTMLInputElement | null)?.blur();
    }

    override disconnectedCallback(): void {
        if (this.timer) clearTimeout(this.timer);
    }

    get hideLabel(): boolean {
        return this.variant === 'label-hidden';
    }

    get labelClass(): string {
        return this.hideLabel ? 'slds-assistive-text' : 'slds-form-element__label';
    }

    get comboboxClass(): string {
        return `slds-combobox slds-dropdown-trigger slds-dropdown-trigger_click${this.open && this.results.length > 0 ? ' slds-is-open' : ''}`;
    }

    get expanded(): string {
        return this.open && this.results.length > 0 ? 'true' : 'false';
    }

    get hasSelection(): boolean {
        return !!this.selected;
    }

    get noResults(): boolean {
        return this.open && this.searchText.length >= 2 && this.results.length === 0;
    }

    handleInput(event: Event): void {
        this.searchText = (event.target as HTMLInputElement).value;
        if (this.timer) clearTimeout(this.timer);
        if (this.searchText.trim().length < 2) {
            this.results = [];
            this.open = false;
            return;
        }
        // debounce typing, like the platform's picker
        this.timer = setTimeout(() => void this.search(), SEARCH_DELAY_MS);
    }

    handleFocus(): void {
        this.dispatchEvent(new CustomEvent('focus'));
    }

    handleBlur(): void {
        // let a click on a result land first
        setTimeout(() => {
            this.open = false;
        }, 150);
        this.dispatchEvent(new CustomEvent('blur'));
    }

    handleResultClick(event: Event): void {
        const id = (event.currentTarget as HTMLElement).dataset.recordId;
        const result = this.results.find((candidate) => candidate.id === id);
        if (result) this.select(result);
    }

    handleRemove(): void {
        this.select(null);
    }

    private async search(): Promise<void> {
        const seq = ++this.searchSeq;
        const query = this.searchText.trim();
        try {
            const results = await orgGet<SearchResult[]>(
                `/search?object=${encodeURIComponent(this.objectApiName)}&q=${encodeURIComponent(query)}`
            );
            if (seq !== this.searchSeq) return;
            this.results = results;
            this.open = true;
        } catch (error) {
            this.results = [];
            this.dispatchEvent(new CustomEvent('error', { detail: { message: String(error) } }));
        }
    }

    private select(result: SearchResult | null): void {
        this.selected = result;
        this.recordId = result?.id ?? null;
        this.results = [];
        this.searchText = '';
        this.open = false;
        this.dispatchEvent(new CustomEvent('change', { detail: { recordId: this.recordId } }));
    }
}
