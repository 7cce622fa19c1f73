/**
 * The only door to a database. Every stage speaks PostgreSQL SQL through this
 * interface; adapter/ implements it and is the only folder importing `pg` or PGlite.
 */
export const DATABASE_KINDS = ['postgres', 'pglite'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

/**
 * Values come back the same from both drivers: int8 (count(*)) as a number (a string
 * beyond 2^53), numeric as a string, date/timestamp/interval as their text, timestamptz
 * as a Date, json as parsed values, arrays as arrays.
 */
export interface QueryResult<Row = Record<string, unknown>> {
  rows: Row[];
  /** Rows affected by INSERT/UPDATE/DELETE/COPY/CREATE TABLE AS, or returned by SELECT. */
  rowCount: number;
  fields: { name: string; dataTypeId: number }[];
}

/** One connection's worth of work: what a model's transaction runs on. */
export interface DbSession {
  /** One statement, values passed as parameters ($1, $2, ...). */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>>;
  /** One or more statements without parameters (simple query protocol). */
  exec(sql: string): Promise<void>;
  /**
   * Streams CSV text into `COPY <table> (<columns>) FROM STDIN (FORMAT csv ...)`.
   * `table` and `columns` are already quoted identifiers. Returns the rows copied.
   * The source may be split anywhere (mid-record, mid-quote); quote and escape are `"`.
   * All or nothing: outside a transaction a failed copy loads no row (PGlite runs one
   * COPY per ~16 MB chunk, inside one transaction). Source errors are rethrown as is.
   */
  copyFrom(target: CopyTarget, source: AsyncIterable<Buffer | string>): Promise<number>;
}

export interface CopyTarget {
  /** Quoted, schema-qualified table name, e.g. `"raw"."events"`. */
  table: string;
  /** Quoted column names, in the order of the CSV fields. */
  columns: string[];
  /** COPY options, default `FORMAT csv`. */
  options?: { header?: boolean; delimiter?: string; nullString?: string };
}

export interface AdapterCapabilities {
  /** Several connections at once (PostgreSQL); false for PGlite, a single connection. */
  concurrent: boolean;
  /** How many sessions may run at once; 1 when not concurrent. */
  maxConnections: number;
}

export interface RunLockOptions {
  /** Wait for another run to release a lock (true) or fail at once with a LockError (false). */
  wait: boolean;
  /** Called once per lock held by someone else, when we start waiting: who holds it, and what. */
  onWait?: (holder: string, what: string) => void;
  /** Called once if the locks' own connection dies mid-run: from then on no relation can be locked. */
  onLost?: (reason: string) => void;
}

/** A relation a run writes: what its lock is keyed by. */
export interface RelationRef {
  schema: string;
  name: string;
}

/** The locks a run holds; see DbAdapter.acquireRunLocks. */
export interface RunLocks {
  /** Locks a relation just before writing it (waiting or failing as the options say); resolves to its release. */
  lockRelation(relation: RelationRef): Promise<() => Promise<void>>;
  /** Releases every lock still held. */
  release(): Promise<void>;
}

export interface DbAdapter extends DbSession {
  readonly kind: DatabaseKind;
  readonly capabilities: AdapterCapabilities;
  /** A human description without secrets: `postgres://user@host:5432/db` or `pglite .tspipe/pglite`. */
  readonly description: string;
  /** Runs fn in BEGIN/COMMIT on one session, ROLLBACK when fn throws. */
  transaction<T>(fn: (tx: DbSession) => Promise<T>): Promise<T>;
  /** Runs fn on one dedicated session outside any transaction (e.g. for session settings). */
  withSession<T>(fn: (session: DbSession) => Promise<T>): Promise<T>;
  /**
   * The run's locks. PostgreSQL: one advisory lock per relation written, so runs writing
   * different relations overlap and runs writing the same one queue. PGlite (one process
   * per data directory): one run at a time in this process; relation locks are free.
   */
  acquireRunLocks(options: RunLockOptions): Promise<RunLocks>;
  close(): Promise<void>;
}

/** How to reach a database, resolved from project targets, flags and environment. */
export type ConnectionSpec = { kind: 'postgres'; url: string; maxConnections?: number } | { kind: 'pglite'; dataDir: string };
