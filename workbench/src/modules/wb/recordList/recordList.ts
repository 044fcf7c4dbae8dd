/**
 * A list view of the local org's records (one object, or every object on the home page) with their phone
 * numbers as stored, so a newcomer sees which formats the lookup must cope with. A name opens the record.
 */
import { LightningElement, api } from 'lwc';
import { orgGet, messageOf } from 'wb/orgClient';
import { navigate, objectIcon, pluralLabel } from 'wb/shell';
import type { RecordSummary } from '../../../../org/local-org';

export default class RecordList extends LightningElement {
    rows: Array<RecordSummary & { icon: string; typeLabel: string; phoneText: string }> = [];
    error = '';
    loading = true;
    private object = '';

    @api
    get objectApiName(): string {
        return this.object;
    }
    set objectApiName(value: string) {
        this.object = value ?? '';
        void this.load();
    }

    override connectedCallback(): void {
        void this.load();
    }

    get heading(): string {
        return this.object ? pluralLabel(this.object) : 'Sample records of the local org';
    }

    get subtitle(): string {
        return this.object
            ? 'All records'
            : 'Phone numbers are shown as they are stored: the caller lookup finds them however they were typed.';
    }

    get icon(): string {
        return objectIcon(this.object, 'standard:home');
    }

    get isEmpty(): boolean {
        return !this.loading && !this.error && this.rows.length === 0;
    }

    private async load(): Promise<void> {
        this.loading = true;
        try {
            const rows = await orgGet<RecordSummary[]>(
                `/records${this.object ? `?object=${encodeURIComponent(this.object)}` : ''}`
            );
            this.rows = rows.map((row) => ({
                ...row,
                icon: objectIcon(row.recordType),
                typeLabel: row.recordType === 'PersonAccount' ? 'Person Account' : row.objectApiName,
                phoneText: row.phones.join('  ·  ')
            }));
            this.error = '';
        } catch (error) {
            this.error = messageOf(error);
        } finally {
            this.loading = false;
        }
    }

    handleOpen(event: Event): void {
        event.preventDefault();
        const id = (event.currentTarget as HTMLElement).dataset.recordId;
        const row = this.rows.find((candidate) => candidate.id === id);
        if (row)
            navigate({
                type: 'standard__recordPage',
                attributes: { recordId: row.id, objectApiName: row.objectApiName, actionName: 'view' }
            });
    }
}
