/**
 * Small projects made in temp folders (`createProject({'models/a.sql': ...})`) and
 * commands called in-process through api/, against a test database.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openAdapter } from '../../src/adapter/open-adapter.js';
import type { DbAdapter } from '../../src/contract/index.js';
import { runNodes, type RunCommandName, type RunOptions, type RunOutcome } from '../../src/api/run-nodes.js';
import { retryLastRun } from '../../src/api/retry.js';
import { RecordingReporter } from '../../src/execute/reporter.js';
import type { CreatedDatabase, TestDatabase } from './databases.js';

export interface TestProject {
  dir: string;
  created: CreatedDatabase;
  /** Options that point a command at this project and its test database. */
  options: { projectDir: string; databaseUrl?: string };
  /** The environment commands run with (PGlite: the test's data directory). */
  env: NodeJS.ProcessEnv;
  run(command: RunCommandName, options?: RunOptions): Promise<RunOutcome & { reporter: RecordingReporter }>;
  /** `tspipe retry` of the last run; undefined when there was nothing to retry. */
  retry(options?: RunOptions): Promise<(RunOutcome & { reporter: RecordingReporter }) | undefined>;
  /** Opens the database, runs fn, closes it (PGlite allows one process at a time). */
  withDb<T>(fn: (db: DbAdapter) => Promise<T>): Promise<T>;
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  write(file: string, content: string): Promise<void>;
  cleanup(): Promise<void>;
}

const DEFAULT_PROJECT_YML = 'name: test_project\n';

/** `files` are written under the project dir; a minimal project.yml is added unless given. */
export async function createProject(db: TestDatabase, files: Record<string, string>, fromFixture?: string): Promise<TestProject> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tspipe-project-'));
  if (fromFixture) await cp(fromFixture, dir, { recursive: true });
  const created = await db.create();
  const all = { ...files };
  if (!fromFixture && !all['project.yml'] && !all['dbt_project.yml']) all['project.yml'] = DEFAULT_PROJECT_YML;
  for (const [file, content] of Object.entries(all)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  // PGlite: TSPIPE_PGLITE_DIR points the embedded target at the test's data directory.
  const options = created.spec.kind === 'postgres' ? { projectDir: dir, databaseUrl: created.url } : { projectDir: dir };
  const env = created.spec.kind === 'pglite' ? { ...process.env, TSPIPE_PGLITE_DIR: created.spec.dataDir, TSPIPE_DATABASE_URL: '' } : { ...process.env };
  const project: TestProject = {
    dir,
    created,
    options,
    env,
    async run(command, runOptions = {}) {
      const reporter = new RecordingReporter();
      const outcome = await runNodes(command, { ...options, ...runOptions }, { reporter, env });
      return { ...outcome, reporter };
    },
    async retry(runOptions = {}) {
      const reporter = new RecordingReporter();
      const outcome = await retryLastRun({ ...options, ...runOptions }, { reporter, env });
      return outcome && { ...outcome, reporter };
    },
    async withDb(fn) {
      const adapter = await openAdapter(created.spec);
      try {
        return await fn(adapter);
      } finally {
        await adapter.close();
      }
    },
    async query(sql, params) {
      return project.withDb(async (db) => (await db.query(sql, params)).rows as never);
    },
    async write(file, content) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), content);
    },
    async cleanup() {
      await created.cleanup();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return project;
}
