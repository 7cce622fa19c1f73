import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PGlite, type Results } from '@electric-sql/pglite';
import { ConnectionError, DatabaseError, LockError } from '../errors.js';
import { copyFromStatement } from './copy-sql.js';
import { describeConnection } from './connection-url.js';
import { csvChunks } from './csv-chunks.js';
import { rolledBackError, toDatabaseError } from './database-errors.js';
import { acquireDirLock } from './dir-lock.js';
import { Mutex } from './mutex.js';
import { dropTemplate, readTemplate, saveTemplate } from './pglite-template.js';
import type { CopyTarget, DbAdapter, DbSession, QueryResult, RunLockOptions, RunLocks } from '../contract/index.js';
import { VALUE_PARSERS } from './value-parsers.js';

/** In-memory database, for tests: nothing on disk, no directory lock. */
export const PGLITE_MEMORY = 'memory://';
/** PGlite reads COPY input from one in-memory Blob: cut big streams into chunks this size. */
export const DEFAULT_COPY_CHUNK_BYTES = 16 * 1024 * 1024;

export interface PgliteOpenOptions {
  lockWait?: boolean;
  onLockWait?: (holder: string) => void;
  copyChunkBytes?: number;
}

function toQueryResult<Row>(result: Results<Row>): QueryResult<Row> {
  return {
    rows: result.rows,
    rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length,
    fields: result.fields.map((f) => ({ name: f.name, dataTypeId: f.dataTypeID })),
  };
}

/** Statements straight on the PGlite instance; callers hold the adapter's mutex. */
class PgliteSession implements DbSession {
  constructor(
    private readonly db: PGlite,
    private readonly chunkBytes: number,
  ) {}

  async query<Row = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<QueryResult<Row>> {
    try {
      return toQueryResult(await this.db.query<Row>(sql, params));
    } catch (err) {
      throw toDatabaseError(err, sql);
    }
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.db.exec(sql);
    } catch (err) {
      throw toDatabaseError(err, sql);
    }
  }

  /** One COPY per chunk; outside a transaction they share one, so a failure loads nothing. */
  async copyFrom(target: CopyTarget, source: AsyncIterable<Buffer | string>): Promise<number> {
    const ownTransaction = !this.db.isInTransaction();
    if (ownTransaction) await this.exec('BEGIN');
    try {
      let copied = 0;
      let header = target.options?.header ?? false;
      for await (const chunk of csvChunks(source, this.chunkBytes)) {
        const sql = copyFromStatement(target, "'/dev/blob'", header);
        header = false;
        copied += (await this.queryBlob(sql, chunk)).rowCount;
      }
      if (ownTransaction) await this.exec('COMMIT');
      return copied;
    } catch (err) {
      if (ownTransaction && this.db.isInTransaction()) await this.db.exec('ROLLBACK').catch(() => undefined);
      throw err; // DB errors are already DatabaseErrors; a failing source passes through as is
    }
  }

  /** COMMIT of a transaction that already failed silently rolls back: say so instead. */
  async commit(): Promise<void> {
    let command: string | undefined;
    try {
      command = (await this.db.query('COMMIT')).command;
    } catch (err) {
      throw toDatabaseError(err, 'COMMIT');
    }
    if (command === 'ROLLBACK') throw rolledBackError();
  }

  private async queryBlob(sql: string, chunk: Buffer): Promise<QueryResult> {
    try {
      return toQueryResult(await this.db.query(sql, [], { blob: new Blob([chunk as Uint8Array<ArrayBuffer>]) }));
    } catch (err) {
      throw toDatabaseError(err, sql);
    }
  }
}

/**
 * Embedded PostgreSQL: one connection, so every statement, transaction and session
 * goes through one mutex and a transaction is never interleaved with other work.
 */
class PgliteAdapter implements DbAdapter {
  readonly kind = 'pglite' as const;
  readonly capabilities = { concurrent: false, maxConnections: 1 };
  private readonly mutex = new Mutex();
  private readonly session: PgliteSession;
  private runLockHeld = false;
  private runLockWaiters: (() => void)[] = [];
  private closed?: Promise<void>;

  constructor(
    private readonly db: PGlite,
    readonly description: string,
    chunkBytes: number,
    private readonly releaseDirLock: () => void,
  ) {
    this.session = new PgliteSession(db, chunkBytes);
  }

  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
    return this.mutex.run(() => this.session.query<Row>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.mutex.run(() => this.session.exec(sql));
  }

  copyFrom(target: CopyTarget, source: AsyncIterable<Buffer | string>): Promise<number> {
    return this.mutex.run(() => this.session.copyFrom(target, source));
  }

  transaction<T>(fn: (tx: DbSession) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      if (this.db.isInTransaction()) {
        // Reached only from inside another transaction: one connection cannot nest them.
        throw new DatabaseError('transaction() called inside a transaction: the embedded database has one connection', {
          hint: 'run the inner statements on the outer transaction session',
        });
      }
      await this.session.exec('BEGIN');
      let result: T;
      try {
        result = await fn(this.session);
      } catch (err) {
        if (this.db.isInTransaction()) await this.db.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
      await this.session.commit();
      return result;
    });
  }

  withSession<T>(fn: (session: DbSession) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      try {
        return await fn(this.session);
      } finally {
        // Same contract as pg: settings, temp tables and open transactions end with the session.
        if (this.db.isInTransaction()) await this.db.exec('ROLLBACK').catch(() => undefined);
        await this.db.exec('DISCARD ALL').catch(() => undefined);
      }
    });
  }

  /**
   * The directory lock already keeps other processes out and the one connection runs one
   * statement at a time: this guards runs in this process, and relation locks are free.
   */
  async acquireRunLocks(options: RunLockOptions): Promise<RunLocks> {
    if (this.runLockHeld) {
      const holder = `another run in this process (pid ${process.pid})`;
      if (!options.wait) {
        throw new LockError(`${this.description} is in use by ${holder}: wait for it to finish, or run without --no-wait to queue behind it`);
      }
      options.onWait?.(holder, this.description);
      while (this.runLockHeld) await new Promise<void>((resolve) => this.runLockWaiters.push(resolve));
    }
    this.runLockHeld = true;
    let released = false;
    return {
      lockRelation: async () => async () => undefined,
      release: async () => {
        if (released) return;
        released = true;
        this.runLockHeld = false;
        for (const wake of this.runLockWaiters.splice(0)) wake();
      },
    };
  }

  close(): Promise<void> {
    // Through the mutex: closing under an in-flight statement wedges PGlite (pglite#1084).
    this.closed ??= this.mutex.run(() => this.db.close()).finally(() => this.releaseDirLock());
    return this.closed;
  }
}

/** Opens (creating if needed) the PGlite database in `spec.dataDir`, or in memory for `memory://`. */
export async function openPglite(spec: { kind: 'pglite'; dataDir: string }, options: PgliteOpenOptions = {}): Promise<DbAdapter> {
  const inMemory = spec.dataDir.startsWith(PGLITE_MEMORY);
  let releaseDirLock = (): void => undefined;
  if (!inMemory) {
    mkdirSync(spec.dataDir, { recursive: true });
    releaseDirLock = await acquireDirLock(spec.dataDir, { wait: options.lockWait ?? false, onWait: options.onLockWait });
  }
  try {
    const db = await startPglite(inMemory ? spec.dataDir : path.resolve(spec.dataDir));
    return new PgliteAdapter(db, describeConnection(spec), options.copyChunkBytes ?? DEFAULT_COPY_CHUNK_BYTES, releaseDirLock);
  } catch (err) {
    releaseDirLock();
    throw new ConnectionError(`cannot open the embedded database ${spec.dataDir}: ${(err as Error).message ?? err}`, {
      hint: 'if the folder was made by another tspipe/PGlite version or is damaged, move it away and run again',
      cause: err,
    });
  }
}

/** A new database starts from the cached initdb (pglite-template.ts); an existing one resumes. */
async function startPglite(dataDir: string): Promise<PGlite> {
  const inMemory = dataDir.startsWith(PGLITE_MEMORY);
  const isNew = inMemory || !existsSync(path.join(dataDir, 'PG_VERSION'));
  const template = isNew ? readTemplate() : undefined;
  if (template) {
    const db = new PGlite(dataDir, { parsers: VALUE_PARSERS, loadDataDir: template });
    try {
      await db.waitReady;
      return db;
    } catch {
      // A template this PGlite cannot load: forget it, clear what it half-wrote, initdb.
      dropTemplate();
      await db.close().catch(() => undefined);
      if (!inMemory) {
        rmSync(dataDir, { recursive: true, force: true });
        mkdirSync(dataDir, { recursive: true });
      }
    }
  }
  const db = new PGlite(dataDir, { parsers: VALUE_PARSERS });
  await db.waitReady;
  if (isNew) await saveTemplate(db);
  return db;
}
