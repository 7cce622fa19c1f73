/**
 * kill -9 of `tspipe run` at random moments: every published table stays either its
 * previous or its new version (complete: row count and checksum), the dependent view
 * survives, and the next run succeeds and leaves no staging or backup relation.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAdapter } from '../../src/adapter/open-adapter.js';
import type { DbAdapter } from '../../src/contract/index.js';
import { TSPIPE_BIN, runCli } from '../support/cli.js';
import { TEST_DATABASES, type CreatedDatabase } from '../support/databases.js';

const postgres = TEST_DATABASES.find((d) => d.name === 'postgres')!;
const TABLES = ['alpha', 'beta', 'gamma', 'delta'] as const;
const TRIALS = 20;

// Each table's content depends on var v (its row count too); pg_sleep spreads the
// run over ~1 s so the kills land in every phase (connect, build, swap, commit).
function tableModel(index: number): string {
  return `{{ config(materialized='table') }}
select g as id, md5(g::text || '-${index}-' || '{{ var("v") }}') as payload
from generate_series(1, ${1000 * (index + 1)} + 100 * {{ var("v") }}) as g
cross join (select pg_sleep(0.08)) as pause
`;
}

const FILES: Record<string, string> = {
  'project.yml': 'name: kill_nine\nvars:\n  v: 1\nmodels:\n  kill_nine:\n    +schema: k9\n',
  ...Object.fromEntries(TABLES.map((t, i) => [`models/${t}.sql`, tableModel(i)])),
  'models/alpha_even.sql': "{{ config(materialized='view') }}\nselect id, payload from {{ ref('alpha') }} where id % 2 = 0\n",
};

interface Version {
  n: number;
  sum: string;
}

async function versionOf(db: DbAdapter, table: string): Promise<Version | null> {
  const exists = await db.query<{ r: string | null }>('select to_regclass($1)::text as r', [`k9.${table}`]);
  if (!exists.rows[0]!.r) return null;
  const { rows } = await db.query<{ n: number; sum: string }>(
    `select count(*)::int as n, coalesce(md5(string_agg(id::text || ':' || payload, ',' order by id)), '') as sum from k9."${table}"`,
  );
  return rows[0]!;
}

async function snapshot(db: DbAdapter): Promise<Record<string, Version | null>> {
  const out: Record<string, Version | null> = {};
  for (const t of TABLES) out[t] = await versionOf(db, t);
  return out;
}

/** Runs the CLI and SIGKILLs it after `afterMs` (if still running). */
function runAndKill(args: string[], afterMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSPIPE_BIN, ...args], { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    const timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

describe.skipIf(!postgres.available)(`kill -9 of tspipe run (postgres)${postgres.skipNote}`, () => {
  let created: CreatedDatabase;
  let db: DbAdapter;
  let dir: string;
  /** expected[v][table]: the complete content of each table at version v. */
  const expected: Record<number, Record<string, Version | null>> = {};
  const args = (v: number) => ['run', '--project-dir', dir, '--database-url', created.url!, '--threads', '2', '--vars', `{v: ${v}}`];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tspipe-kill9-'));
    for (const [file, content] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), content);
    }
    created = await postgres.create();
    db = await openAdapter(created.spec);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await created?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps every table at its previous or new version across ${TRIALS} kills`, async () => {
    const runMs: number[] = [];
    for (const v of [1, 2, 3]) {
      const started = Date.now();
      const result = await runCli(args(v), { timeoutMs: 60_000 });
      runMs.push(Date.now() - started);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expected[v] = await snapshot(db);
    }
    for (const t of TABLES) expect(new Set([1, 2, 3].map((v) => expected[v]![t]!.sum)).size).toBe(3);

    let current: Record<string, Version | null> = expected[3]!;
    let killedMidRun = 0;
    const outcomes: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      const v = (trial % 3) + 1;
      // Kill times span one run as timed here, not a fixed window: a faster start-up
      // or a slower machine would otherwise leave most of them after the run's end.
      const killAfter = Math.floor(Math.random() * 1.2 * Math.min(...runMs));
      const exit = await runAndKill(args(v), killAfter);
      if (exit.signal === 'SIGKILL') killedMidRun++;
      // The killed client's backend may still be finishing a statement: wait for it
      // to roll back (it never sent COMMIT) before reading.
      await waitForOtherBackends(db);
      const after = await snapshot(db);
      for (const t of TABLES) {
        const allowed = [current[t], expected[v]![t]].map((x) => JSON.stringify(x));
        expect(allowed, `trial ${trial} (killed after ${killAfter} ms): ${t}`).toContain(JSON.stringify(after[t]));
      }
      const changed = TABLES.filter((t) => JSON.stringify(after[t]) !== JSON.stringify(current[t])).length;
      outcomes.push(`${killAfter}ms:${changed}/${TABLES.length}`);
      // Staging relations only live inside the killed transaction: none is left.
      expect(await leftovers(db), `trial ${trial}`).toEqual([]);
      const view = await db.query<{ n: number }>('select count(*)::int as n from k9.alpha_even');
      expect(view.rows[0]!.n).toBe(Math.floor(after.alpha!.n / 2));

      // The next, unkilled, run: succeeds, publishes version v, leaves nothing behind.
      const next = await runCli(args(v), { timeoutMs: 60_000 });
      expect(next.code, next.stderr + next.stdout).toBe(0);
      expect(await snapshot(db)).toEqual(expected[v]);
      expect(await leftovers(db)).toEqual([]);
      const dependent = await db.query<{ n: number }>("select count(*)::int as n from pg_views where schemaname = 'k9' and viewname = 'alpha_even'");
      expect(dependent.rows[0]!.n).toBe(1);
      current = expected[v]!;
    }
    if (process.env.TSPIPE_DEBUG_KILLS) console.log(outcomes.join(' '));
    // Most kills must have hit a running process, or the test proves nothing.
    expect(killedMidRun).toBeGreaterThanOrEqual(TRIALS / 2);
  }, 150_000);
});

/** Staging, backup and incremental work relations, anywhere in the database. */
async function leftovers(db: DbAdapter): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname not in ('pg_catalog', 'information_schema') and (c.relname like '%\\_\\_tspipe\\_%' or c.relname like '%\\_\\_dbt\\_%')`,
  );
  return rows.map((r) => r.name);
}

/** Waits until no other backend is connected to our database (the killed run's ends). */
async function waitForOtherBackends(db: DbAdapter): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await db.query<{ n: number }>(
      'select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    if (rows[0]!.n === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
