/**
 * Workbench implementation of the part of `lightning/uiRecordApi` the package uses: the `getRecord` wire
 * adapter (read from the local org; the record in the UI API shape, `fields` keyed by API name) and
 * `getFieldValue`. A requested `fields` entry the record lacks is an error, as on the platform; a missing
 * `optionalFields` entry is left out.
 */
import { orgGet, OrgWireAdapter } from 'wb/orgClient';

interface LocalRecord {
    id: string;
    objectApiName: string;
    fields: Array<{ apiName: string; value: unknown; displayValue: string }>;
}

/** A record as the UI API returns it (the parts the workbench fills). */
export interface UiRecord {
    id: string;
    apiName: string;
    fields: Record<string, { value: unknown; displayValue: string | null }>;
}

interface GetRecordConfig {
    recordId?: string;
    fields?: string | string[];
    optionalFields?: string | string[];
}

type FieldRef = string | { fieldApiName: string; objectApiName: string };

const list = (value: string | string[] | undefined): string[] =>
    value === undefined ? [] : Array.isArray(value) ? value : [value];

/** `Account.Name` -> `Name` (a field of the record itself; spanning fields are not supported). */
const fieldNameOf = (field: FieldRef): string =>
    typeof field === 'string' ? field.slice(field.indexOf('.') + 1) : field.fieldApiName;

function toUiRecord(local: LocalRecord, config: GetRecordConfig): UiRecord {
    const fields: UiRecord['fields'] = {};
    const wanted = [
        ...list(config.fields).map((field) => ({ field, required: true })),
        ...list(config.optionalFields).map((field) => ({ field, required: false }))
    ];
    for (const { field, required } of wanted) {
        const name = fieldNameOf(field);
        const found = local.fields.find((f) => f.apiName.toLowerCase() === name.toLowerCase());
        if (found)
            fields[found.apiName] = { value: found.value ?? null, displayValue: found.displayValue ?? null };
        else if (required) throw { body: { message: `No such column '${name}' on ${local.objectApiName}` } };
    }
    return { id: local.id, apiName: local.objectApiName, fields };
}

/** Wire adapter: `{ recordId, fields?, optionalFields? }`; waits until `recordId` is set. */
export class getRecord extends OrgWireAdapter<GetRecordConfig, UiRecord> {
    protected override load(config: GetRecordConfig): Promise<UiRecord> | null {
        if (!config.recordId) return null;
        return orgGet<LocalRecord>(`/records/${encodeURIComponent(config.recordId)}`).then((local) =>
            toUiRecord(local, config)
        );
    }
}

/** A field's value from a `getRecord` record (`'Account.Name'` or a field reference); undefined if absent. */
export function getFieldValue(record: UiRecord | null | undefined, field: FieldRef): unknown {
    return record?.fields?.[fieldNameOf(field)]?.value;
}
