/**
 * The local org's database: SQLite compiled to WebAssembly (sql.js), one file under the data dir (or memory
 * only). Records are JSON documents keyed by their Salesforce-shaped id; beside them the two index objects
 * the package relies on: `phone_keys` (Phone_Key__c: normalised number -> record and field) and
 * `call_log_legs` (Call_Log_Key__c: one row per agent leg of a call, unique on interaction id + owner and on
 * SIP Call-ID + owner -> its one Task; `call_log_keys` is the table of the one-row-per-call era, no longer written),
 * and `files` (ContentVersion published to a record: FirstPublishLocationId -> ContentDocumentLink, text only).
 *
 * What the platform does on save is done here too, so the Apex ports see the same data they would see in
 * an org: names are derived (`Name` of people, Person Accounts), a Person Account gets its person contact,
 * Cases get the next auto-number, `IsClosed` follows the status, `LastActivityDate` follows completed Tasks,
 * and the phone key "triggers" (PhoneKeyIndexer) keep `phone_keys` current in the same write.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import initSqlJs, { type Database, type SqlJsStatic, type SqlValue } from 'sql.js';
import { storageKey, MAX_KEY_LENGTH } from './phone-keys';
import {
    OBJECTS,
    newId,
    objectOfId,
    phoneFieldsOf,
    phoneObjectTypeOf,
    type ObjectName,
    type SObject
} from './schema';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (id TEXT PRIMARY KEY, object TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS records_by_object ON records (object);
CREATE TABLE IF NOT EXISTS phone_keys (
    record_field TEXT PRIMARY KEY, normalized_number TEXT NOT NULL, record_id TEXT NOT NULL,
    object_type TEXT NOT NULL, field_name TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS phone_keys_by_number ON phone_keys (normalized_number);
CREATE INDEX IF NOT EXISTS phone_keys_by_record ON phone_keys (record_id);
CREATE TABLE IF NOT EXISTS call_log_keys (interaction_id TEXT PRIMARY KEY, task_id TEXT);
CREATE TABLE IF NOT EXISTS call_log_legs (leg_id TEXT PRIMARY KEY, sip_leg_id TEXT UNIQUE, interaction_id TEXT NOT NULL,
    task_id TEXT, created_by TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS files (id INTEGER PRIMARY KEY AUTOINCREMENT, linked_entity_id TEXT NOT NULL,
    title TEXT NOT NULL, path_on_client TEXT NOT NULL, data TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS files_by_record ON files (linked_entity_id);
`;

/** File name of the database inside the data dir. */
export const DATABASE_FILE = 'local-org.sqlite';

/** First case number handed out (`00001025`). */
const FIRST_CASE_NUMBER = 1025;

/** A file published to a record (ContentVersion: Title, PathOnClient, VersionData as text). */
export interface StoredFile {
    title: string;
    pathOnClient: string;
    data: string;
}

/** A Phone_Key__c row. */
export interface PhoneKeyRow {
    normalizedNumber: string;
    recordId: string;
    objectType: string;
    fieldName: string;
}

let sqlJs: Promise<SqlJsStatic> | undefined;
function loadSqlJs(): Promise<SqlJsStatic> {
    const require = createRequire(import.meta.url);
    sqlJs ??= initSqlJs({ locateFile: (file) => path.join(path.dirname(require.resolve('sql.js')), file) });
    return sqlJs;
}

function isoNow(clock: () => number): string {
    return new Date(clock()).toISOString();
}

/** A record written (inserted or updated). */
export interface RecordChange {
    object: ObjectName;
    id: string;
    /** Task: its WhoId and WhatId (a record page shows the Task in its history). */
    relatedIds: string[];
}

export class OrgDatabase {
    private saveTimer: ReturnType<typeof setTimeout> | undefined;
    private readonly listeners = new Set<(change: RecordChange) => void>();

    private constructor(
        private readonly db: Database,
        private readonly file: string | null,
        /** True when the database was created now (the caller seeds it). */
        readonly created: boolean,
        private readonly clock: () => number
    ) {}

    /**
     * Opens (or creates) the database.
     * @param dataDir directory of the file; null keeps everything in memory
     */
    static async open(dataDir: string | null, clock: () => number = Date.now): Promise<OrgDatabase> {
        const SQL = await loadSqlJs();
        const file = dataDir ? path.join(dataDir, DATABASE_FILE) : null;
        const exists = !!file && existsSync(file);
        const db = new SQL.Database(exists ? readFileSync(file) : null);
        db.exec(SCHEMA);
        return new OrgDatabase(db, file, !exists, clock);
    }

    // ---------------------------------------------------------------------------------------------------
    // Records
    // ---------------------------------------------------------------------------------------------------

    /** A record by id (15 or 18 characters), or null. */
    get(id: string): SObject | null {
        if (typeof id !== 'string' || id.length < 15) return null;
        const rows = this.rows('SELECT doc FROM records WHERE substr(id, 1, 15) = ?', [id.slice(0, 15)]);
        return rows.length > 0 ? (JSON.parse(String(rows[0]![0])) as SObject) : null;
    }

    /** Every record of an object (the sample org is small: filters run in TypeScript). */
    all(object: ObjectName): SObject[] {
        return this.rows('SELECT doc FROM records WHERE object = ? ORDER BY id', [object]).map(
            (row) => JSON.parse(String(row[0])) as SObject
        );
    }

    /** Inserts a record; returns it as stored (with Id, derived fields and audit fields). */
    insert(object: ObjectName, fields: Record<string, unknown>, ownerId: string): SObject {
        const now = isoNow(this.clock);
        const id = newId(object, this.nextSequence(`id:${object}`, 1));
        let record: SObject = {
            ...stripUndefined(fields),
            Id: id,
            CreatedDate: fields.CreatedDate ?? now,
            LastModifiedDate: fields.LastModifiedDate ?? now
        };
        if (object !== 'User') record.OwnerId = fields.OwnerId ?? ownerId;
        if (object === 'Case') {
            record.CaseNumber ??= String(this.nextSequence('caseNumber', FIRST_CASE_NUMBER)).padStart(8, '0');
        }
        record = derive(object, record);
        if (object === 'Account' && record.IsPersonAccount === true) {
            const person = this.insert(
                'Contact',
                {
                    FirstName: record.FirstName,
                    LastName: record.LastName,
                    AccountId: id,
                    IsPersonAccount: true,
                    Email: record.PersonEmail,
                    OwnerId: record.OwnerId
                },
                ownerId
            );
            record.PersonContactId = person.Id;
        }
        this.write(object, record);
        this.afterWrite(object, record);
        return record;
    }

    /** Updates fields of a record; returns it as stored. Throws for an unknown id. */
    update(id: string, fields: Record<string, unknown>): SObject {
        const existing = this.get(id);
        const object = objectOfId(id);
        if (!existing || !object) throw new Error(`No record ${id}`);
        const record = derive(object, {
            ...existing,
            ...stripUndefined(fields),
            Id: existing.Id,
            LastModifiedDate: isoNow(this.clock)
        });
        this.write(object, record);
        this.afterWrite(object, record);
        return record;
    }

    private write(object: ObjectName, record: SObject): void {
        this.db.run('INSERT OR REPLACE INTO records (id, object, doc) VALUES (?, ?, ?)', [
            record.Id,
            object,
            JSON.stringify(record)
        ]);
        this.scheduleSave();
        const relatedIds = [record.WhoId, record.WhatId, record.AccountId, record.ContactId].filter(
            (id): id is string => typeof id === 'string'
        );
        for (const listener of [...this.listeners]) listener({ object, id: record.Id, relatedIds });
    }

    /** Calls `listener` after every record write; returns the unsubscribe function. */
    onChange(listener: (change: RecordChange) => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    /** What triggers and the platform do after a save. */
    private afterWrite(object: ObjectName, record: SObject): void {
        if (object === 'Account' || object === 'Contact' || object === 'Lead' || object === 'Case')
            this.reindex(object, record);
        if (object === 'Task' && record.Status === 'Completed') this.touchActivity(record);
    }

    /** LastActivityDate of the Task's Who and What (what the platform maintains for completed activities). */
    private touchActivity(task: SObject): void {
        const date =
            typeof task.ActivityDate === 'string' ? task.ActivityDate : isoNow(this.clock).slice(0, 10);
        for (const id of [task.WhoId, task.WhatId]) {
            if (typeof id !== 'string') continue;
            const target = this.get(id);
            const object = objectOfId(id);
            if (!target || !object) continue;
            if (typeof target.LastActivityDate === 'string' && target.LastActivityDate >= date) continue;
            this.write(object, { ...target, LastActivityDate: date });
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Phone keys (PhoneKeyIndexer, PhoneKeyStore)
    // ---------------------------------------------------------------------------------------------------

    /** Makes the record's Phone_Key__c rows match its phone fields now (PhoneKeyIndexer.reindex). */
    private reindex(object: ObjectName, record: SObject): void {
        this.db.run('DELETE FROM phone_keys WHERE record_id = ?', [record.Id]);
        const objectType = phoneObjectTypeOf(object, record);
        for (const field of phoneFieldsOf(object, record)) {
            const value = record[field];
            const key = typeof value === 'string' ? storageKey(value) : null;
            if (key === null || key.length > MAX_KEY_LENGTH) continue;
            this.db.run(
                'INSERT OR REPLACE INTO phone_keys (record_field, normalized_number, record_id, object_type, field_name) VALUES (?, ?, ?, ?, ?)',
                [`${record.Id}:${field}`, key, record.Id, objectType, field]
            );
        }
    }

    /** Key rows with one of these numbers (PhoneKeyStore.findByKeys). */
    findByKeys(keys: readonly string[]): PhoneKeyRow[] {
        if (keys.length === 0) return [];
        const marks = keys.map(() => '?').join(', ');
        return this.rows(
            `SELECT normalized_number, record_id, object_type, field_name FROM phone_keys WHERE normalized_number IN (${marks}) ORDER BY record_field LIMIT 200`,
            [...keys]
        ).map(([normalizedNumber, recordId, objectType, fieldName]) => ({
            normalizedNumber: String(normalizedNumber),
            recordId: String(recordId),
            objectType: String(objectType),
            fieldName: String(fieldName)
        }));
    }

    // ---------------------------------------------------------------------------------------------------
    // Call-log keys (Call_Log_Key__c)
    // ---------------------------------------------------------------------------------------------------

    /**
     * The row of an agent's leg of a call (PhoneKeyStore.lockCallLogKeys): by leg id, else by SIP leg id, else
     * created. Null when `create` is false and there is none.
     */
    lockCallLogLeg(
        leg: { legId: string; sipLegId: string | null; interactionId: string },
        createdBy: string,
        create = true
    ): { legId: string; interactionId: string; taskId: string | null } | null {
        const find = () =>
            this.rows(
                'SELECT leg_id, interaction_id, task_id FROM call_log_legs WHERE leg_id = ? OR sip_leg_id = ? ORDER BY leg_id = ? DESC LIMIT 1',
                [leg.legId, leg.sipLegId, leg.legId]
            )[0];
        let row = find();
        if (!row && create) {
            this.db.run(
                'INSERT INTO call_log_legs (leg_id, sip_leg_id, interaction_id, task_id, created_by, created_at) VALUES (?, ?, ?, NULL, ?, ?)',
                [leg.legId, leg.sipLegId, leg.interactionId, createdBy, Date.now()]
            );
            row = find();
        }
        if (!row) return null;
        const [legId, interactionId, taskId] = row;
        return {
            legId: String(legId),
            interactionId: String(interactionId),
            taskId: typeof taskId === 'string' ? taskId : null
        };
    }

    /** Records the leg's Task on its row. */
    linkCallLogLeg(legId: string, taskId: string): void {
        this.db.run('UPDATE call_log_legs SET task_id = ? WHERE leg_id = ?', [taskId, legId]);
        this.scheduleSave();
    }

    /** How many leg rows a user created since a moment (the phone's per-day cap). */
    countCallLogLegsCreated(userId: string, since: number): number {
        const rows = this.rows(
            'SELECT COUNT(*) FROM call_log_legs WHERE created_by = ? AND created_at >= ?',
            [userId, since]
        );
        return Number(rows[0]?.[0] ?? 0);
    }

    // ---------------------------------------------------------------------------------------------------
    // Files (ContentVersion with FirstPublishLocationId, read back through ContentDocumentLink)
    // ---------------------------------------------------------------------------------------------------

    /** Publishes a text file to a record. */
    attachFile(recordId: string, title: string, pathOnClient: string, data: string): void {
        this.db.run(
            'INSERT INTO files (linked_entity_id, title, path_on_client, data, created_at) VALUES (?, ?, ?, ?, ?)',
            [recordId, title, pathOnClient, data, this.clock()]
        );
        this.scheduleSave();
        for (const listener of [...this.listeners])
            listener({ object: 'Task', id: recordId, relatedIds: [] });
    }

    /** The files linked to a record, oldest first. */
    filesOf(recordId: string): StoredFile[] {
        return this.rows(
            'SELECT title, path_on_client, data FROM files WHERE linked_entity_id = ? ORDER BY id',
            [recordId]
        ).map(([title, pathOnClient, data]) => ({
            title: String(title),
            pathOnClient: String(pathOnClient),
            data: String(data)
        }));
    }

    // ---------------------------------------------------------------------------------------------------
    // Settings and counters
    // ---------------------------------------------------------------------------------------------------

    getMeta(key: string): string | null {
        const rows = this.rows('SELECT value FROM meta WHERE key = ?', [key]);
        return rows.length > 0 ? String(rows[0]![0]) : null;
    }

    setMeta(key: string, value: string): void {
        this.db.run('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', [key, value]);
        this.scheduleSave();
    }

    private nextSequence(name: string, first: number): number {
        const current = Number(this.getMeta(`seq:${name}`) ?? first - 1);
        const next = current + 1;
        this.setMeta(`seq:${name}`, String(next));
        return next;
    }

    // ---------------------------------------------------------------------------------------------------
    // Persistence
    // ---------------------------------------------------------------------------------------------------

    private rows(sql: string, params: SqlValue[]): SqlValue[][] {
        const result = this.db.exec(sql, params);
        return result.length > 0 ? result[0]!.values : [];
    }

    private scheduleSave(): void {
        if (!this.file || this.saveTimer) return;
        this.saveTimer = setTimeout(() => {
            this.saveTimer = undefined;
            this.save();
        }, 200);
    }

    /** Writes the file now (atomically). */
    save(): void {
        if (!this.file) return;
        mkdirSync(path.dirname(this.file), { recursive: true });
        const temp = `${this.file}.tmp`;
        writeFileSync(temp, Buffer.from(this.db.export()));
        renameSync(temp, this.file);
    }

    /** Saves and closes. */
    close(): void {
        if (this.saveTimer) clearTimeout(this.saveTimer);
        this.saveTimer = undefined;
        this.save();
        this.db.close();
    }
}

function stripUndefined(fields: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** Fields the platform computes: Name of people, IsClosed of Cases. */
function derive(object: ObjectName, record: SObject): SObject {
    const copy: SObject = { ...record };
    const personName = () =>
        [copy.FirstName, copy.LastName].filter((part) => typeof part === 'string' && part !== '').join(' ');
    if (object === 'Contact' || object === 'Lead') copy.Name = personName();
    if (object === 'Account' && copy.IsPersonAccount === true) copy.Name = personName();
    if (object === 'Case') copy.IsClosed = copy.Status === 'Closed';
    if (object === 'Lead') copy.IsConverted = copy.IsConverted === true;
    for (const field of OBJECTS[object].fields) {
        if (field.type === 'boolean' && copy[field.apiName] === undefined) copy[field.apiName] = false;
    }
    return copy;
}
