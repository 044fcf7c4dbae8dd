/**
 * The part of sql.js (SQLite compiled to WebAssembly) the simulator uses; the package ships no types
 * and @types/sql.js is not installed.
 */
declare module 'sql.js' {
    /** A value SQLite can bind or return. */
    export type SqlValue = number | string | Uint8Array | null;
    /** Named (`$name`, `:name`) or positional parameters. */
    export type BindParams = SqlValue[] | Record<string, SqlValue> | null;

    export interface Statement {
        bind(values?: BindParams): boolean;
        step(): boolean;
        getAsObject(params?: BindParams): Record<string, SqlValue>;
        free(): boolean;
    }

    export interface Database {
        run(sql: string, params?: BindParams): Database;
        exec(sql: string, params?: BindParams): { columns: string[]; values: SqlValue[][] }[];
        prepare(sql: string, params?: BindParams): Statement;
        export(): Uint8Array;
        close(): void;
        getRowsModified(): number;
    }

    export interface SqlJsStatic {
        Database: new (data?: ArrayLike<number> | Buffer | null) => Database;
    }

    export interface InitSqlJsConfig {
        locateFile?: (file: string) => string;
    }

    export default function initSqlJs(config?: InitSqlJsConfig): Promise<SqlJsStatic>;
}
