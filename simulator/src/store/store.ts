/**
 * Persistence on an embedded SQLite database (sql.js: WebAssembly, no native build). Each entity is a
 * JSON document in its own table, with the columns the queries need beside it. The whole database is
 * written to one file after changes (debounced, atomically through a rename) and on close.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs, { type BindParams, type Database, type SqlJsStatic, type SqlValue } from 'sql.js';
import type {
    Agent,
    CallDirection,
    CallOutcome,
    CallRecordData,
    Campaign,
    IdempotencyEntry,
    Licence,
    LicenceAssignment,
    PauseReason,
    Queue,
    Recording,
    Tenant
} from '../model';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tenants (id TEXT PRIMARY KEY, api_key TEXT NOT NULL UNIQUE, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS agents (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, email_lower TEXT NOT NULL, doc TEXT NOT NULL,
    UNIQUE (tenant_id, email_lower));
CREATE TABLE IF NOT EXISTS campaigns (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS queues (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pause_reasons (
    tenant_id TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (tenant_id, id));
CREATE TABLE IF NOT EXISTS licences (tenant_id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS licence_assignments (
    tenant_id TEXT NOT NULL, agent_id TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (tenant_id, agent_id));
CREATE TABLE IF NOT EXISTS calls (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, ended_at INTEGER, agent_id TEXT, direction TEXT NOT NULL,
    outcome TEXT, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS calls_by_end ON calls (tenant_id, ended_at, id);
CREATE TABLE IF NOT EXISTS recordings (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency (
    tenant_id TEXT NOT NULL, operation_id TEXT NOT NULL, key TEXT NOT NULL, created_at INTEGER NOT NULL,
    doc TEXT NOT NULL, PRIMARY KEY (tenant_id, operation_id, key));
`;

/** File name of the database inside the data dir. */
export const DATABASE_FILE = 'contact-centre.sqlite';

let sqlJs: Promise<SqlJsStatic> | undefined;
function loadSqlJs(): Promise<SqlJsStatic> {
    sqlJs ??= initSqlJs({ locateFile: (file) => path.join(path.dirname(require.resolve('sql.js')), file) });
    return sqlJs;
}

/** Filters of {@link Store.listEndedCalls}. */
export interface EndedCallQuery {
    since: number;
    until?: number;
    agentId?: string;
    direction?: CallDirection;
    outcome?: CallOutcome;
    /** Keyset position: calls strictly after (endedAt, interactionId). */
    after?: { endedAt: number; id: string };
    limit: number;
}

/** Typed access to the simulator's database. */
export class Store {
    private saveTimer: NodeJS.Timeout | undefined;
    private closed = false;

    private constructor(
        private readonly db: Database,
        /** Null: in memory only. */
        private readonly file: string | null,
        /** True when the database was created now (the caller seeds it). */
        readonly created: boolean
    ) {}

    /** Opens `dataDir/contact-centre.sqlite` (created when missing), or an in-memory database. */
    static async open(dataDir: string | null): Promise<Store> {
        const SQL = await loadSqlJs();
        const file = dataDir ? path.join(dataDir, DATABASE_FILE) : null;
        const existing = file && fs.existsSync(file) ? fs.readFileSync(file) : null;
        const db = new SQL.Database(existing);
        db.exec(SCHEMA);
        return new Store(db, file, existing === null);
    }

    // ---- tenants ----

    getTenant(id: string): Tenant | undefined {
        return this.one<Tenant>('SELECT doc FROM tenants WHERE id = ?', [id]);
    }

    getTenantByApiKey(apiKey: string): Tenant | undefined {
        return this.one<Tenant>('SELECT doc FROM tenants WHERE api_key = ?', [apiKey]);
    }

    listTenants(): Tenant[] {
        return this.many<Tenant>('SELECT doc FROM tenants ORDER BY id', []);
    }

    putTenant(tenant: Tenant): void {
        this.write('INSERT OR REPLACE INTO tenants (id, api_key, doc) VALUES (?, ?, ?)', [
            tenant.id,
            tenant.apiKey,
            JSON.stringify(tenant)
        ]);
    }

    // ---- agents ----

    getAgent(tenantId: string, id: string): Agent | undefined {
        return this.one<Agent>('SELECT doc FROM agents WHERE tenant_id = ? AND id = ?', [tenantId, id]);
    }

    findAgentByEmail(tenantId: string, email: string): Agent | undefined {
        return this.one<Agent>('SELECT doc FROM agents WHERE tenant_id = ? AND email_lower = ?', [
            tenantId,
            email.toLowerCase()
        ]);
    }

    /** Agents of a tenant ordered by id, after `afterId`, optionally filtered. */
    listAgents(
        tenantId: string,
        options: { afterId?: string; limit?: number; emails?: string[]; active?: boolean } = {}
    ): Agent[] {
        const where = ['tenant_id = ?'];
        const params: SqlValue[] = [tenantId];
        if (options.afterId !== undefined) {
            where.push('id > ?');
            params.push(options.afterId);
        }
        if (options.emails && options.emails.length > 0) {
            where.push(`email_lower IN (${options.emails.map(() => '?').join(', ')})`);
            params.push(...options.emails.map((email) => email.toLowerCase()));
        }
        let agents = this.many<Agent>(
            `SELECT doc FROM agents WHERE ${where.join(' AND ')} ORDER BY id`,
            params
        );
        if (options.active !== undefined) agents = agents.filter((agent) => agent.active === options.active);
        return options.limit === undefined ? agents : agents.slice(0, options.limit);
    }

    putAgent(agent: Agent): void {
        this.write('INSERT OR REPLACE INTO agents (id, tenant_id, email_lower, doc) VALUES (?, ?, ?, ?)', [
            agent.id,
            agent.tenantId,
            agent.email.toLowerCase(),
            JSON.stringify(agent)
        ]);
    }

    // ---- campaigns, queues, pause reasons ----

    getCampaign(tenantId: string, id: string): Campaign | undefined {
        return this.one<Campaign>('SELECT doc FROM campaigns WHERE tenant_id = ? AND id = ?', [tenantId, id]);
    }

    listCampaigns(tenantId: string): Campaign[] {
        return this.many<Campaign>('SELECT doc FROM campaigns WHERE tenant_id = ? ORDER BY id', [tenantId]);
    }

    putCampaign(campaign: Campaign): void {
        this.write('INSERT OR REPLACE INTO campaigns (id, tenant_id, doc) VALUES (?, ?, ?)', [
            campaign.id,
            campaign.tenantId,
            JSON.stringify(campaign)
        ]);
    }

    getQueue(tenantId: string, id: string): Queue | undefined {
        return this.one<Queue>('SELECT doc FROM queues WHERE tenant_id = ? AND id = ?', [tenantId, id]);
    }

    listQueues(tenantId: string): Queue[] {
        return this.many<Queue>('SELECT doc FROM queues WHERE tenant_id = ? ORDER BY id', [tenantId]);
    }

    putQueue(queue: Queue): void {
        this.write('INSERT OR REPLACE INTO queues (id, tenant_id, doc) VALUES (?, ?, ?)', [
            queue.id,
            queue.tenantId,
            JSON.stringify(queue)
        ]);
    }

    getPauseReason(tenantId: string, id: string): PauseReason | undefined {
        return this.one<PauseReason>('SELECT doc FROM pause_reasons WHERE tenant_id = ? AND id = ?', [
            tenantId,
            id
        ]);
    }

    listPauseReasons(tenantId: string): PauseReason[] {
        return this.many<PauseReason>('SELECT doc FROM pause_reasons WHERE tenant_id = ? ORDER BY rowid', [
            tenantId
        ]);
    }

    putPauseReason(reason: PauseReason): void {
        this.write('INSERT OR REPLACE INTO pause_reasons (tenant_id, id, doc) VALUES (?, ?, ?)', [
            reason.tenantId,
            reason.id,
            JSON.stringify(reason)
        ]);
    }

    // ---- licences ----

    getLicence(tenantId: string): Licence | undefined {
        return this.one<Licence>('SELECT doc FROM licences WHERE tenant_id = ?', [tenantId]);
    }

    putLicence(licence: Licence): void {
        this.write('INSERT OR REPLACE INTO licences (tenant_id, doc) VALUES (?, ?)', [
            licence.tenantId,
            JSON.stringify(licence)
        ]);
    }

    listAssignments(tenantId: string): LicenceAssignment[] {
        return this.many<LicenceAssignment>(
            'SELECT doc FROM licence_assignments WHERE tenant_id = ? ORDER BY agent_id',
            [tenantId]
        );
    }

    getAssignment(tenantId: string, agentId: string): LicenceAssignment | undefined {
        return this.one<LicenceAssignment>(
            'SELECT doc FROM licence_assignments WHERE tenant_id = ? AND agent_id = ?',
            [tenantId, agentId]
        );
    }

    putAssignment(assignment: LicenceAssignment): void {
        this.write('INSERT OR REPLACE INTO licence_assignments (tenant_id, agent_id, doc) VALUES (?, ?, ?)', [
            assignment.tenantId,
            assignment.agentId,
            JSON.stringify(assignment)
        ]);
    }

    /** @returns whether a seat was removed */
    deleteAssignment(tenantId: string, agentId: string): boolean {
        this.write('DELETE FROM licence_assignments WHERE tenant_id = ? AND agent_id = ?', [
            tenantId,
            agentId
        ]);
        return this.db.getRowsModified() > 0;
    }

    // ---- calls and recordings ----

    getCall(tenantId: string, id: string): CallRecordData | undefined {
        return this.one<CallRecordData>('SELECT doc FROM calls WHERE tenant_id = ? AND id = ?', [
            tenantId,
            id
        ]);
    }

    putCall(call: CallRecordData): void {
        this.write(
            'INSERT OR REPLACE INTO calls (id, tenant_id, ended_at, agent_id, direction, outcome, doc) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [
                call.interactionId,
                call.tenantId,
                call.endedAt,
                call.agentId,
                call.direction,
                call.outcome,
                JSON.stringify(call)
            ]
        );
    }

    /** Finished calls ordered by (endedAt, interactionId). */
    listEndedCalls(tenantId: string, query: EndedCallQuery): CallRecordData[] {
        const where = ['tenant_id = ?', 'ended_at IS NOT NULL', 'ended_at >= ?'];
        const params: SqlValue[] = [tenantId, query.since];
        if (query.until !== undefined) {
            where.push('ended_at < ?');
            params.push(query.until);
        }
        if (query.agentId !== undefined) {
            where.push('agent_id = ?');
            params.push(query.agentId);
        }
        if (query.direction !== undefined) {
            where.push('direction = ?');
            params.push(query.direction);
        }
        if (query.outcome !== undefined) {
            where.push('outcome = ?');
            params.push(query.outcome);
        }
        if (query.after) {
            where.push('(ended_at > ? OR (ended_at = ? AND id > ?))');
            params.push(query.after.endedAt, query.after.endedAt, query.after.id);
        }
        params.push(query.limit);
        return this.many<CallRecordData>(
            `SELECT doc FROM calls WHERE ${where.join(' AND ')} ORDER BY ended_at, id LIMIT ?`,
            params
        );
    }

    /** Calls that never ended (left over by a stop in the middle of a call). */
    listUnendedCalls(): CallRecordData[] {
        return this.many<CallRecordData>('SELECT doc FROM calls WHERE ended_at IS NULL', []);
    }

    getRecording(tenantId: string, id: string): Recording | undefined {
        return this.one<Recording>('SELECT doc FROM recordings WHERE tenant_id = ? AND id = ?', [
            tenantId,
            id
        ]);
    }

    /** A recording by id in any tenant (signed URLs carry no tenant). */
    getRecordingById(id: string): Recording | undefined {
        return this.one<Recording>('SELECT doc FROM recordings WHERE id = ?', [id]);
    }

    putRecording(recording: Recording): void {
        this.write('INSERT OR REPLACE INTO recordings (id, tenant_id, doc) VALUES (?, ?, ?)', [
            recording.id,
            recording.tenantId,
            JSON.stringify(recording)
        ]);
    }

    // ---- idempotency ----

    getIdempotency(tenantId: string, operationId: string, key: string): IdempotencyEntry | undefined {
        return this.one<IdempotencyEntry>(
            'SELECT doc FROM idempotency WHERE tenant_id = ? AND operation_id = ? AND key = ?',
            [tenantId, operationId, key]
        );
    }

    putIdempotency(entry: IdempotencyEntry): void {
        this.write(
            'INSERT OR REPLACE INTO idempotency (tenant_id, operation_id, key, created_at, doc) VALUES (?, ?, ?, ?, ?)',
            [entry.tenantId, entry.operationId, entry.key, entry.createdAt, JSON.stringify(entry)]
        );
    }

    /** Forgets idempotency keys created before `before`. */
    purgeIdempotency(before: number): void {
        this.write('DELETE FROM idempotency WHERE created_at < ?', [before]);
    }

    // ---- persistence ----

    /** Writes the database file now (no-op in memory). */
    flush(): void {
        if (this.saveTimer) clearTimeout(this.saveTimer);
        this.saveTimer = undefined;
        if (!this.file || this.closed) return;
        fs.mkdirSync(path.dirname(this.file), { recursive: true });
        const temporary = `${this.file}.tmp`;
        fs.writeFileSync(temporary, this.db.export());
        fs.renameSync(temporary, this.file);
    }

    /** Flushes and closes the database. */
    close(): void {
        if (this.closed) return;
        this.flush();
        this.closed = true;
        this.db.close();
    }

    private write(sql: string, params: BindParams): void {
        if (this.closed) throw new Error('Store is closed');
        this.db.run(sql, params);
        this.scheduleSave();
    }

    private scheduleSave(): void {
        if (!this.file || this.saveTimer) return;
        // Debounced so a burst of writes costs one export; close() flushes whatever is pending.
        this.saveTimer = setTimeout(() => {
            this.saveTimer = undefined;
            this.flush();
        }, 50);
        this.saveTimer.unref();
    }

    private one<T>(sql: string, params: SqlValue[]): T | undefined {
        return this.many<T>(sql, params)[0];
    }

    private many<T>(sql: string, params: SqlValue[]): T[] {
        if (this.closed) throw new Error('Store is closed');
        const statement = this.db.prepare(sql);
        try {
            statement.bind(params);
            const rows: T[] = [];
            while (statement.step()) rows.push(JSON.parse(String(statement.getAsObject().doc)) as T);
            return rows;
        } finally {
            statement.free();
        }
    }
}
