/**
 * A list view of the local org's records (one object, or every object on the home page) with their phone
 * numbers as stored, so a newcomer sees which formats the lookup must cope with. A name opens the record.
 */
import { LightningElement, api } from 'lwc';
import { orgGet, messageOf } from 'wb/orgClient';
import { navigate, pluralLabel } from 'wb/shell';

interface RecordSummary {
    id: string;
    objectApiName: string;
    recordType: string;
    name: string;
    subtitle: string;
    phones: string[];
}

const ICONS: Record<string, string> = {
    Account: 'standard:account',
    PersonAccount: 'standard:person_account',
    Contact: 'standard:contact',
    Lead: 'standard:lead',
    Case: 'standard:case'
};

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
        return ICONS[this.object] ?? 'standard:home';
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
                icon: ICONS[row.recordType] ?? 'standard:record',
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
