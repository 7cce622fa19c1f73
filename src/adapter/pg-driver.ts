import type { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg, { type ClientConfig, type PoolClient, type QueryResult as PgResult } from 'pg';
import { connectionError, describePostgresUrl } from './connection-url.js';
import { copyFromStatement } from './copy-sql.js';
import { rolledBackError, toDatabaseError } from './database-errors.js';
import { acquirePgRunLock } from './pg-run-lock.js';
import type { CopyTarget, DbAdapter, DbSession, QueryResult, RunLockOptions } from '../contract/index.js';
import { VALUE_PARSERS } from './value-parsers.js';

const DEFAULT_MAX_CONNECTIONS = 4;

/** Per-connection parsers: never touch pg's global type registry (other code may use pg). */
const typeParsers = {
  getTypeParser: ((oid: number, format?: string) =>
    VALUE_PARSERS[oid] ?? pg.types.getTypeParser(oid, (format ?? 'text') as 'text')) as typeof pg.types.getTypeParser,
};

function toQueryResult<Row>(result: PgResult): QueryResult<Row> {
  return {
    rows: result.rows as Row[],
    rowCount: result.rowCount ?? result.rows.length,
    fields: result.fields.map((f) => ({ name: f.name, dataTypeId: f.dataTypeID })),
  };
}

/** What a checked-out client learned about its connection while we held it. */
interface ClientState {
  /** The socket died (pg emits 'error' on the client): destroy instead of reusing it. */
  error?: Error;
  broken?: boolean;
}

async function copyOnClient(client: PoolClient, target: CopyTarget, source: AsyncIterable<Buffer | string>): Promise<number> {
  const sql = copyFromStatement(target, 'STDIN', target.options?.header ?? false);
  // Loaded on first use: a `tspipe run` of models (one per Airflow task) never copies.
  // A CommonJS package: bundled by esbuild, its dynamic import has only `default`.
  const copyFromStdin = (await import('pg-copy-streams')).default.from;
  let sourceError: unknown;
  async function* tagged(): AsyncGenerator<Buffer | string> {
    try {
      yield* source;
    } catch (err) {
      sourceError = err;
      throw err;
    }
  }
  const stream = client.query(copyFromStdin(sql));
  try {
    // pipeline waits for 'drain' between writes: memory stays flat whatever the source size.
    // One chunk read ahead, not Readable.from's 16: several COPYs may share one source.
    await pipeline(Readable.from(tagged(), { highWaterMark: 1 }), stream);
  } catch (err) {
    await untilReady(client);
    throw err === sourceError ? err : toDatabaseError(err, sql);
  }
  return stream.rowCount;
}

/**
 * A failed COPY is reported before the server's ReadyForQuery: wait for it, or the
 * next statement on this client gets queued behind the dead COPY (deprecated in pg).
 */
function untilReady(client: PoolClient): Promise<void> {
  const { readyForQuery, connection } = client as PoolClient & { readyForQuery?: boolean; connection?: EventEmitter };
  if (readyForQuery !== false || !connection) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      connection.off('readyForQuery', done);
      connection.off('end', done);
      resolve();
    };
    connection.on('readyForQuery', done);
    connection.on('end', done);
  });
}

/** A DbSession on one checked-out client (transactions and withSession). */
class PgClientSession implements DbSession {
  constructor(
    private readonly client: PoolClient,
    private readonly state: ClientState,
  ) {}

  private fail(err: unknown, sql: string): Error {
    // After the socket died every call says "not queryable": report the real cause instead.
    return toDatabaseError(this.state.error ?? err, sql);
  }

  async query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
    try {
      return toQueryResult<Row>(await this.client.query(sql, params));
    } catch (err) {
      throw this.fail(err, sql);
    }
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.client.query(sql);
    } catch (err) {
      throw this.fail(err, sql);
    }
  }

  copyFrom(target: CopyTarget, source: AsyncIterable<Buffer | string>): Promise<number> {
    return copyOnClient(this.client, target, source);
  }

  /** COMMIT of a transaction that already failed silently rolls back: say so instead. */
  async commit(): Promise<void> {
    let command: string;
    try {
      command = (await this.client.query('COMMIT')).command;
    } catch (err) {
      throw this.fail(err, 'COMMIT');
    }
    if (command === 'ROLLBACK') throw rolledBackError();
  }
}

/** PostgreSQL through a pg Pool: sessions run in parallel up to maxConnections. */
class PgAdapter implements DbAdapter {
  readonly kind = 'postgres' as const;
  readonly capabilities: { concurrent: true; maxConnections: number };
  private closed?: Promise<void>;

  constructor(
    private readonly pool: pg.Pool,
    private readonly config: ClientConfig,
    readonly description: string,
    maxConnections: number,
    /** The run lock's session, already connecting (openAdapter's `runLockSession`). */
    private lockSession?: Promise<pg.Client>,
  ) {
    this.capabilities = { concurrent: true, maxConnections };
  }

  async query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
    try {
      return toQueryResult<Row>(await this.pool.query(sql, params));
    } catch (err) {
      throw toDatabaseError(err, sql);
    }
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.pool.query(sql);
    } catch (err) {
      throw toDatabaseError(err, sql);
    }
  }

  copyFrom(target: CopyTarget, source: AsyncIterable<Buffer | string>): Promise<number> {
    return this.withClient((client) => copyOnClient(client, target, source));
  }

  transaction<T>(fn: (tx: DbSession) => Promise<T>): Promise<T> {
    return this.withClient(async (client, state) => {
      const tx = new PgClientSession(client, state);
      await tx.exec('BEGIN');
      let result: T;
      try {
        result = await fn(tx);
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {
          state.broken = true;
        });
        throw err;
      }
      await tx.commit();
      return result;
    });
  }

  withSession<T>(fn: (session: DbSession) => Promise<T>): Promise<T> {
    return this.withClient(async (client, state) => {
      try {
        return await fn(new PgClientSession(client, state));
      } finally {
        // Session settings and temp tables must not leak to the next user of this pooled
        // connection; a transaction left open makes DISCARD fail and the client is dropped.
        await client.query('DISCARD ALL').catch(() => {
          state.broken = true;
        });
      }
    });
  }

  async acquireRunLock(options: RunLockOptions): Promise<() => Promise<void>> {
    // A dedicated connection outside the pool: the run keeps all its pool slots.
    const session = this.lockSession ?? connectSession(this.config, this.description);
    this.lockSession = undefined;
    const client = await session;
    try {
      return await acquirePgRunLock(client, this.description, options);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
  }

  close(): Promise<void> {
    const unused = this.lockSession;
    this.lockSession = undefined;
    this.closed ??= Promise.all([this.pool.end(), unused && endSession(unused)]).then(() => undefined);
    return this.closed;
  }

  private async withClient<T>(fn: (client: PoolClient, state: ClientState) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw connectionError(this.description, err);
    }
    const state: ClientState = {};
    const onError = (err: Error): void => {
      state.error = err;
    };
    client.on('error', onError); // without a listener a dying checked-out client crashes the process
    try {
      return await fn(client, state);
    } finally {
      client.removeListener('error', onError);
      client.release(state.error ?? state.broken === true);
    }
  }
}

/** A connection of its own (not a pool slot); a ConnectionError when the server cannot be reached. */
async function connectSession(config: ClientConfig, description: string): Promise<pg.Client> {
  const client = new pg.Client(config);
  client.on('error', () => undefined); // a dropped lock session must not crash the process
  try {
    await client.connect();
  } catch (err) {
    throw connectionError(description, err);
  }
  return client;
}

function endSession(session: Promise<pg.Client>): Promise<void> {
  return session.then(
    (client) => client.end().catch(() => undefined),
    () => undefined,
  );
}

export interface PostgresOpenOptions {
  /** Connect the run lock's session alongside the pool's first connection (one round of connection set-up instead of two). */
  runLockSession?: boolean;
}

/** Opens a pool and checks the server answers, so a wrong URL fails here, once and clearly. */
export async function openPostgres(spec: { kind: 'postgres'; url: string; maxConnections?: number }, options: PostgresOpenOptions = {}): Promise<DbAdapter> {
  const description = describePostgresUrl(spec.url);
  const maxConnections = spec.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  // Settings in the URL (e.g. ?application_name=) win over these: pg applies the URL last.
  const config: ClientConfig = {
    connectionString: spec.url,
    application_name: 'tspipe',
    connectionTimeoutMillis: 15_000,
    types: typeParsers,
  };
  const pool = new pg.Pool({ ...config, max: maxConnections });
  pool.on('error', () => undefined); // idle clients that die are removed by the pool; nothing to do
  const lockSession = options.runLockSession ? connectSession(config, description) : undefined;
  lockSession?.catch(() => undefined); // its error, if any, is acquireRunLock's to report
  try {
    await pool.query('select 1');
  } catch (err) {
    await Promise.all([pool.end().catch(() => undefined), lockSession && endSession(lockSession)]);
    throw connectionError(description, err);
  }
  return new PgAdapter(pool, config, description, maxConnections, lockSession);
}
