/**
 * Locks per relation on a real PostgreSQL: runs (like the DAG's tasks, in one project
 * folder) that write different relations overlap; runs writing the same relation queue,
 * or fail at once with --no-wait; a failed or killed run leaves nothing locked.
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';
import { TSPIPE_BIN } from '../support/cli.js';
import type { RunOutcome } from '../../src/api/run-nodes.js';

const postgres = TEST_DATABASES.find((db) => db.name === 'postgres')!;

const SLOW_MODELS = {
  'models/slow_a.sql': "{{ config(materialized='table') }}select 1 as id from pg_sleep(1.5)",
  'models/slow_b.sql': "{{ config(materialized='table') }}select 2 as id from pg_sleep(1.5)",
};

function interval(outcome: RunOutcome, name: string): [number, number] {
  const r = outcome.results.find((x) => x.uniqueId.endsWith(`.${name}`))!;
  return [Date.parse(r.startedAt), Date.parse(r.completedAt)];
}

describe.skipIf(!postgres.available)('relation locks on postgres', () => {
  let project: TestProject | undefined;
  afterEach(async () => {
    await project?.cleanup();
    project = undefined;
  });

  it('lets two runs writing different models run at the same time', async () => {
    project = await createProject(postgres, SLOW_MODELS);
    const [a, b] = await Promise.all([project.run('run', { select: ['slow_a'] }), project.run('run', { select: ['slow_b'] })]);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    const [aStart, aEnd] = interval(a, 'slow_a');
    const [bStart, bEnd] = interval(b, 'slow_b');
    expect(aStart < bEnd && bStart < aEnd).toBe(true); // overlapping
    expect([...a.reporter.events, ...b.reporter.events].some((e) => String(e.message ?? '').includes('waiting for lock'))).toBe(false);
  });

  it('queues a run behind another writing the same model, saying who holds the lock', async () => {
    project = await createProject(postgres, SLOW_MODELS);
    const first = project.run('run', { select: ['slow_a'] });
    await sleep(500); // the first run holds the lock on public.slow_a by now
    const second = await project.run('run', { select: ['slow_a'] });
    const firstDone = await first;
    expect([firstDone.exitCode, second.exitCode]).toEqual([0, 0]);
    const [, firstEnd] = interval(firstDone, 'slow_a');
    const [secondStart] = interval(second, 'slow_a');
    expect(secondStart).toBeGreaterThanOrEqual(firstEnd);
    const waits = second.reporter.events.filter((e) => e.type === 'info' && String(e.message).startsWith('waiting for lock'));
    expect(waits).toHaveLength(1);
    expect(waits[0]!.message).toMatch(/^waiting for lock on public\.slow_a held by pid \d+ \(tspipe, user \w+.*since \d{4}-\d\d-\d\dT/);
    expect(await project.query('select id from slow_a')).toEqual([{ id: 1 }]);
  });

  it('fails at once with --no-wait when the model is being written, and leaves its table as it was', async () => {
    project = await createProject(postgres, SLOW_MODELS);
    await project.run('run', { select: ['slow_a'] });
    const first = project.run('run', { select: ['slow_a'] });
    await sleep(500);
    const second = await project.run('run', { select: ['slow_a', 'slow_b'], noWait: true });
    expect(second.exitCode).toBe(1);
    const [failedStart, failedEnd] = interval(second, 'slow_a');
    expect(failedEnd - failedStart).toBeLessThan(500); // did not wait for the first run's 1.5 s
    const failed = second.results.find((r) => r.uniqueId.endsWith('.slow_a'))!;
    expect(failed.status).toBe('error');
    expect(failed.message).toMatch(/^public\.slow_a is being written by another run: lock held by pid \d+ \(tspipe/);
    expect(failed.hint).toContain('--no-wait');
    // The other relation of the --no-wait run was not locked: it was built.
    expect(second.results.find((r) => r.uniqueId.endsWith('.slow_b'))!.status).toBe('success');
    expect((await first).exitCode).toBe(0);
    expect(await project.query('select id from slow_a')).toEqual([{ id: 1 }]);
  });

  it('releases the lock when the node fails', async () => {
    project = await createProject(postgres, { 'models/broken.sql': "{{ config(materialized='table') }}select 1/0 as id" });
    expect((await project.run('run')).exitCode).toBe(1);
    const again = await project.run('run', { noWait: true });
    expect(again.results[0]!.message).toContain('division by zero'); // not a lock error
  });

  it('releases the lock when the run is killed (SIGKILL)', async () => {
    project = await createProject(postgres, {
      'models/slow_a.sql': "{{ config(materialized='table') }}select 1 as id from pg_sleep(2)",
    });
    const child = spawn(process.execPath, [TSPIPE_BIN, 'run', '--project-dir', project.dir, '--database-url', project.created.url!], {
      stdio: 'ignore',
      env: { ...process.env, NO_COLOR: '1' },
    });
    try {
      // Wait until the child holds an advisory lock, then kill it without a chance to clean up.
      const held = () => project!.query<{ n: number }>("select count(*)::int as n from pg_locks where locktype = 'advisory' and granted");
      for (let i = 0; i < 100 && (await held())[0]!.n === 0; i++) await sleep(100);
      expect((await held())[0]!.n).toBe(1);
      child.kill('SIGKILL');
    } finally {
      child.kill('SIGKILL');
    }
    await sleep(200);
    const after = await project.run('run', { noWait: true });
    expect(after.exitCode).toBe(0);
    expect(await project.query('select id from slow_a')).toEqual([{ id: 1 }]);
  });

  it('locks the table a test stores its failing rows in', async () => {
    project = await createProject(postgres, {
      'models/ids.sql': "{{ config(materialized='table') }}select 1 as id",
      'tests/slow_check.sql': '{{ config(store_failures=true) }}select i.id from {{ ref("ids") }} i, pg_sleep(1.5) where i.id < 0',
      'tests/slow_plain.sql': 'select i.id from {{ ref("ids") }} i, pg_sleep(1) where i.id < 0',
    });
    await project.run('run');
    const first = project.run('test', { select: ['slow_check'] });
    await sleep(500);
    const second = await project.run('test', { select: ['slow_check'], noWait: true });
    expect((await first).exitCode).toBe(0);
    expect(second.exitCode).toBe(1);
    expect(second.results[0]!.message).toMatch(/^public_test_failures\.slow_check is being written by another run/);
    // Without stored failures a test writes nothing, so two runs of it do not queue.
    const plain = project.run('test', { select: ['slow_plain'] });
    await sleep(500);
    const plainAgain = await project.run('test', { select: ['slow_plain'], noWait: true });
    expect([(await plain).exitCode, plainAgain.exitCode]).toEqual([0, 0]);
  });

  it('starts no new node once its lock connection is lost, and says why', async () => {
    project = await createProject(postgres, {
      'models/slow_a.sql': "{{ config(materialized='table') }}select 1 as id from pg_sleep(1.5)",
      'models/after_a.sql': "{{ config(materialized='table') }}select id from {{ ref('slow_a') }}",
    });
    const running = project.run('run');
    // The lock session is the one holding the advisory lock on slow_a: end it as a server restart or an admin would.
    const lockHolder =
      "select pid from pg_locks where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())";
    let pids: { pid: number }[] = [];
    for (let i = 0; i < 100 && pids.length === 0; i++) {
      pids = await project.query<{ pid: number }>(lockHolder);
      if (pids.length === 0) await sleep(50);
    }
    expect(pids).toHaveLength(1);
    await project.query('select pg_terminate_backend($1)', [pids[0]!.pid]);
    const outcome = await running;
    expect(outcome.exitCode).toBe(1);
    // The node already writing finished (its swap is atomic); the next one did not start writing.
    expect(outcome.results.find((r) => r.uniqueId.endsWith('.slow_a'))!.status).toBe('success');
    const after = outcome.results.find((r) => r.uniqueId.endsWith('.after_a'))!;
    expect(after.status).toBe('error');
    expect(after.message).toMatch(/^cannot lock public\.after_a: this run's lock connection to PostgreSQL was lost \(.+\)$/);
    expect(after.hint).toContain('tspipe retry');
    const warnings = outcome.reporter.events.filter((e) => e.type === 'warn').map((e) => String(e.message));
    expect(warnings.filter((w) => w.startsWith('lost the lock connection'))).toHaveLength(1);
    expect(await project.query("select to_regclass('public.after_a') as t")).toEqual([{ t: null }]);
  });
});
