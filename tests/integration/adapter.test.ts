import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvChunks } from '../../src/adapter/csv-chunks.js';
import { acquireDirLock, lockPathFor, readProcStart, type LockHolder } from '../../src/adapter/dir-lock.js';
import { openAdapter } from '../../src/adapter/open-adapter.js';
import { isTransientError, type DbAdapter } from '../../src/contract/index.js';
import { ConnectionError, DatabaseError, LockError } from '../../src/errors.js';
import { TEST_DATABASES, type CreatedDatabase } from '../support/databases.js';

/** Yields `text` in pieces of pseudo-random sizes, so pieces end mid-record and mid-quote. */
async function* pieces(text: string, seed = 7): AsyncGenerator<string> {
  let i = 0;
  let s = seed;
  while (i < text.length) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const size = 1 + (s % 700);
    yield text.slice(i, i + size);
    i += size;
  }
}

/** `id,name,note` rows: commas and newlines and quotes inside quoted fields, NULL vs "". */
function sampleCsv(rows: number, header = true): string {
  const lines = header ? ['id,name,note'] : [];
  for (let i = 1; i <= rows; i++) {
    const note = i % 10 === 0 ? '' : i % 10 === 1 ? '""' : `"line one, ${i}\nline ""two"""`;
    lines.push(`${i},"name, ${i}",${note}`);
  }
  return `${lines.join('\n')}\n`;
}

const TABLE = { table: '"t_copy"', columns: ['"id"', '"name"', '"note"'], options: { header: true } };

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`${db.name}${db.skipNote}`, () => {
    let created: CreatedDatabase;
    let adapter: DbAdapter;

    beforeAll(async () => {
      created = await db.create();
      adapter = await openAdapter(created.spec, { copyChunkBytes: 4096 });
    });
    afterAll(async () => {
      await adapter?.close();
      await created?.cleanup();
    });

    it('runs a query with parameters and normalises values across drivers', async () => {
      const result = await adapter.query<{ s: number; t: string; c: number; d: string }>(
        'select $1::int + $2::int as s, $3::text as t, count(*) as c, $4::date as d from generate_series(1, 5)',
        [1, 2, 'x', '2024-03-01'],
      );
      expect(result.rows).toEqual([{ s: 3, t: 'x', c: 5, d: '2024-03-01' }]);
      expect(result.rowCount).toBe(1);
      expect(result.fields.map((f) => f.name)).toEqual(['s', 't', 'c', 'd']);
    });

    it('execs several statements at once', async () => {
      await adapter.exec('create table t_exec (a int); insert into t_exec values (1); insert into t_exec values (2), (3);');
      const { rows } = await adapter.query('select sum(a)::int as total from t_exec');
      expect(rows[0].total).toBe(6);
    });

    it('maps errors to DatabaseError with SQLSTATE, position and line', async () => {
      const err = await adapter.query('select 1,\n  2 from from t').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseError);
      expect(err).toMatchObject({ code: '42601', position: 20, location: { line: 2, column: 10 } });
      const dup = await adapter.exec('create table t_dup (id int primary key); insert into t_dup values (1), (1)').catch((e: unknown) => e);
      expect(dup).toMatchObject({ code: '23505', detail: 'Key (id)=(1) already exists.' });
    });

    it('commits and rolls back transactions', async () => {
      await adapter.exec('create table t_tx (a int)');
      await adapter.transaction(async (tx) => {
        await tx.query('insert into t_tx values ($1)', [1]);
      });
      await expect(
        adapter.transaction(async (tx) => {
          await tx.query('insert into t_tx values ($1)', [2]);
          throw new Error('stop');
        }),
      ).rejects.toThrow('stop');
      // A failed statement whose error fn swallowed must not look like a commit.
      await expect(
        adapter.transaction(async (tx) => {
          await tx.query('insert into t_tx values ($1)', [3]);
          await tx.query('select 1/0').catch(() => undefined);
        }),
      ).rejects.toMatchObject({ code: '25P02' });
      const { rows } = await adapter.query('select array_agg(a order by a) as a from t_tx');
      expect(rows[0].a).toEqual([1]);
    });

    it('copies CSV with quoted commas, newlines, quotes, and NULL vs empty', async () => {
      await adapter.exec('create table t_copy (id int primary key, name text, note text)');
      const copied = await adapter.copyFrom(TABLE, pieces(sampleCsv(3000)));
      expect(copied).toBe(3000);
      const { rows } = await adapter.query(`
        select count(*) as n, count(*) filter (where note is null) as nulls,
               count(*) filter (where note = '') as empties, max(length(name)) as longest
        from t_copy`);
      expect(rows[0]).toEqual({ n: 3000, nulls: 300, empties: 300, longest: 10 });
      const row = await adapter.query('select name, note from t_copy where id = 42');
      expect(row.rows[0]).toEqual({ name: 'name, 42', note: 'line one, 42\nline "two"' });
    });

    it('copies a stream much bigger than one chunk and keeps row counts exact', async () => {
      await adapter.exec('truncate t_copy');
      // ~1.2 MB against 4 KB chunks on PGlite: hundreds of COPY statements, header only once.
      const copied = await adapter.copyFrom(TABLE, pieces(sampleCsv(30_000), 3));
      expect(copied).toBe(30_000);
      const { rows } = await adapter.query('select count(*) as n, min(id) as lo, max(id) as hi from t_copy');
      expect(rows[0]).toEqual({ n: 30_000, lo: 1, hi: 30_000 });
    });

    it('loads nothing when a copy fails in a later chunk, and passes source errors through', async () => {
      await adapter.exec('truncate t_copy');
      const bad = `${sampleCsv(5000)}oops,"x",y\n`;
      const err = await adapter.copyFrom(TABLE, pieces(bad)).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: '22P02' });
      async function* failing(): AsyncGenerator<string> {
        yield sampleCsv(2000);
        throw new Error('disk gone');
      }
      await expect(adapter.copyFrom(TABLE, failing())).rejects.toThrow('disk gone');
      expect((await adapter.query('select count(*) as n from t_copy')).rows[0].n).toBe(0);
      // The adapter is still usable afterwards.
      expect(await adapter.copyFrom({ ...TABLE, options: {} }, pieces('1,a,\n'))).toBe(1);
    });

    it('copies inside a transaction and rolls back with it', async () => {
      await adapter.exec('truncate t_copy');
      await expect(
        adapter.transaction(async (tx) => {
          expect(await tx.copyFrom(TABLE, pieces(sampleCsv(2000)))).toBe(2000);
          throw new Error('undo');
        }),
      ).rejects.toThrow('undo');
      expect((await adapter.query('select count(*) as n from t_copy')).rows[0].n).toBe(0);
    });

    it('runs concurrent work in parallel on pg and serialized on PGlite', async () => {
      await adapter.exec('create table t_conc (a int)');
      const order: string[] = [];
      const tx = adapter.transaction(async (t) => {
        await t.exec('insert into t_conc values (1)');
        await sleep(300);
        await t.exec('insert into t_conc values (2)');
        order.push('tx');
      });
      await sleep(50);
      const seen = await adapter.query('select count(*) as n from t_conc');
      order.push('query');
      await tx;
      if (adapter.capabilities.concurrent) {
        expect(order).toEqual(['query', 'tx']);
        expect(seen.rows[0].n).toBe(0); // the other session does not see uncommitted rows
        const start = Date.now();
        await Promise.all([1, 2, 3].map(() => adapter.query('select pg_sleep(0.4)')));
        expect(Date.now() - start).toBeLessThan(1000);
      } else {
        expect(order).toEqual(['tx', 'query']); // waited for the whole transaction
        expect(seen.rows[0].n).toBe(2);
        expect(adapter.capabilities).toEqual({ concurrent: false, maxConnections: 1 });
      }
    });

    it('does not leak session settings out of withSession', async () => {
      await adapter.withSession(async (s) => {
        await s.exec("set statement_timeout = '7s'");
        expect((await s.query('show statement_timeout')).rows[0].statement_timeout).toBe('7s');
      });
      const all = await Promise.all([1, 2, 3, 4].map(() => adapter.query('show statement_timeout')));
      expect(all.map((r) => r.rows[0].statement_timeout)).not.toContain('7s');
      if (adapter.kind === 'postgres') {
        expect((await adapter.query('show application_name')).rows[0].application_name).toBe('tspipe');
      }
    });

    it('locks relations, not the database: one writer per relation, others go ahead', async () => {
      // PGlite: its directory lock keeps other processes out, so the guard is one run per process.
      const other = adapter.kind === 'postgres' ? await openAdapter(created.spec) : adapter;
      const first = await adapter.acquireRunLocks({ wait: false });
      try {
        const events = { schema: 'public', name: 'events' };
        const release = await first.lockRelation(events);
        if (adapter.kind === 'pglite') {
          await expect(other.acquireRunLocks({ wait: false })).rejects.toBeInstanceOf(LockError);
          await release();
          return;
        }
        const second = await other.acquireRunLocks({ wait: false });
        try {
          // A different relation: no waiting.
          await (await second.lockRelation({ schema: 'public', name: 'sessions' }))();
          await expect(second.lockRelation(events)).rejects.toBeInstanceOf(LockError);
          const holders: string[] = [];
          const waiting = await other.acquireRunLocks({ wait: true, onWait: (holder, what) => holders.push(`${what} ${holder}`) });
          const queued = waiting.lockRelation(events);
          await sleep(300);
          expect(holders).toHaveLength(1);
          expect(holders[0]).toMatch(/^public\.events pid \d+ \(tspipe, user \w+.*since \d{4}-/);
          await release();
          await (await queued)();
          await waiting.release();
          // Released: the first run takes it again at once.
          await (await first.lockRelation(events))();
        } finally {
          await second.release();
        }
      } finally {
        await first.release();
        if (other !== adapter) await other.close();
      }
    });

    it.skipIf(db.name !== 'postgres')(
      `classifies a backend terminated mid-transaction as transient${db.name !== 'postgres' ? ' (skipped: PostgreSQL only)' : ''}`,
      async () => {
        const err = await adapter
          .transaction(async (tx) => {
            const { rows } = await tx.query<{ pid: number }>('select pg_backend_pid() as pid');
            await adapter.query('select pg_terminate_backend($1)', [rows[0].pid]);
            await sleep(100);
            await tx.query('select 1');
          })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(DatabaseError);
        expect(isTransientError(err)).toBe(true);
        // The broken connection was dropped, not returned to the pool.
        const results = await Promise.all([1, 2, 3, 4, 5].map(() => adapter.query('select 1 as one')));
        expect(results.every((r) => r.rows[0].one === 1)).toBe(true);
      },
    );
  });
}

describe('connection errors', () => {
  it('gives one clear ConnectionError, without the password, when nothing listens', async () => {
    const err = await openAdapter({ kind: 'postgres', url: 'postgres://postgres:s3cret@127.0.0.1:1/test' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    const { message, hint } = err as ConnectionError;
    expect(message).toBe('cannot connect to postgres://postgres@127.0.0.1:1/test: is PostgreSQL running? (ECONNREFUSED)');
    expect(hint).toMatch(/start the server/);
    expect(`${message} ${hint}`).not.toContain('s3cret');
  });
});

describe('isTransientError', () => {
  it('retries what a retry can fix, and nothing else', () => {
    for (const code of ['40001', '40P01', '08006', '57P01', '57P02', '57P03']) {
      expect(isTransientError(new DatabaseError('x', { code }))).toBe(true);
    }
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(isTransientError(new DatabaseError('x', { cause: reset }))).toBe(true);
    expect(isTransientError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientError(new DatabaseError('x', { code: '42601' }))).toBe(false);
    expect(isTransientError(new Error('boom'))).toBe(false);
    expect(isTransientError(undefined)).toBe(false);
  });
});

describe('csvChunks', () => {
  it('cuts only after complete records, never inside quotes', async () => {
    const text = sampleCsv(2000);
    const chunks: string[] = [];
    for await (const chunk of csvChunks(pieces(text, 11), 1000)) chunks.push(chunk.toString('utf8'));
    expect(chunks.length).toBeGreaterThan(20);
    expect(chunks.join('')).toBe(text);
    for (const chunk of chunks) {
      expect(chunk.endsWith('\n')).toBe(true);
      expect((chunk.match(/"/g) ?? []).length % 2).toBe(0);
    }
  });
});

describe('PGlite data directory lock', () => {
  let root: string;
  let child: ChildProcess | undefined;
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'tspipe-lock-'));
  });
  afterAll(() => {
    child?.kill();
    rmSync(root, { recursive: true, force: true });
  });

  /** A real other process, standing in for a second tspipe. */
  async function startHolder(dataDir: string): Promise<ChildProcess> {
    const proc = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await new Promise((resolve) => proc.once('spawn', resolve));
    const holder: LockHolder = {
      pid: proc.pid!,
      hostname: hostname(),
      startedAt: new Date().toISOString(),
      command: ['node', 'tspipe', 'run'],
      procStart: readProcStart(proc.pid!),
    };
    writeFileSync(lockPathFor(dataDir), JSON.stringify(holder));
    return proc;
  }

  it('refuses a directory held by a live process, naming it', async () => {
    const dataDir = path.join(root, 'busy');
    child = await startHolder(dataDir);
    const err = await openAdapter({ kind: 'pglite', dataDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockError);
    expect((err as LockError).message).toContain(`the embedded database ${dataDir} is in use by tspipe pid ${child.pid}`);
    expect((err as LockError).hint).toContain(lockPathFor(dataDir));
  });

  it('waits for a live holder when asked, telling who once, and takes over when it dies', async () => {
    const dataDir = path.join(root, 'wait');
    child = await startHolder(dataDir);
    const told: string[] = [];
    const acquiring = acquireDirLock(dataDir, { wait: true, pollMs: 50, onWait: (h) => told.push(h) });
    await sleep(300);
    expect(told).toEqual([expect.stringContaining(`tspipe pid ${child.pid}`)]);
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill();
    await exited;
    const release = await acquiring;
    expect(told).toHaveLength(1);
    release();
    expect(existsSync(lockPathFor(dataDir))).toBe(false);
  });

  /** Takes the lock without waiting, checks that the file now names this process, releases it. */
  async function takeOver(dataDir: string): Promise<void> {
    const release = await acquireDirLock(dataDir, { wait: false });
    expect((JSON.parse(readFileSync(lockPathFor(dataDir), 'utf8')) as LockHolder).pid).toBe(process.pid);
    release();
    expect(existsSync(lockPathFor(dataDir))).toBe(false);
  }

  function staleHolder(pid: number): LockHolder {
    return { pid, hostname: hostname(), startedAt: new Date().toISOString(), command: [] };
  }

  it('takes over the lock of a dead pid without fuss', async () => {
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.once('exit', resolve));
    const dataDir = path.join(root, 'stale');
    writeFileSync(lockPathFor(dataDir), JSON.stringify(staleHolder(dead.pid!)));
    await takeOver(dataDir);
  });

  // Telling a live holder from a reused pid needs /proc (Linux).
  it.skipIf(readProcStart(process.pid) === undefined)(
    `takes over a lock whose pid now belongs to another process${readProcStart(process.pid) === undefined ? ' (skipped: needs /proc, Linux only)' : ''}`,
    async () => {
      const dataDir = path.join(root, 'reused');
      // the parent process is alive, but did not start at the recorded time
      writeFileSync(lockPathFor(dataDir), JSON.stringify({ ...staleHolder(process.ppid), procStart: '1' }));
      await takeOver(dataDir);
    },
  );

  it('holds the lock while open and releases it on close', async () => {
    const created = await TEST_DATABASES[0].create();
    const dataDir = (created.spec as { dataDir: string }).dataDir;
    const a = await openAdapter(created.spec);
    try {
      expect(existsSync(lockPathFor(dataDir))).toBe(true);
      await expect(openAdapter(created.spec)).rejects.toBeInstanceOf(LockError);
    } finally {
      await a.close();
    }
    expect(existsSync(lockPathFor(dataDir))).toBe(false);
    await (await openAdapter(created.spec)).close();
    await created.cleanup();
  });
});
