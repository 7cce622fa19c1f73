/**
 * The slice of `npm run compat` that CI runs (projects marked `ci` in
 * bench/compat/projects.mjs): a real dbt project nobody here wrote, run unchanged by
 * dbt-core and by tspipe (PostgreSQL and embedded), every node's status and every
 * model's rows compared. Needs dbt-core's venv (bench/setup-dbt.sh), the projects'
 * git mirrors (the `fetch` tool's snapshots, TSPIPE_COMPAT_MIRRORS) and PostgreSQL;
 * skipped with the reason otherwise, a failure when TSPIPE_REQUIRE_COMPAT=1 (CI).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM module of the benchmark harness, no types
import { mirrorOf } from '../../bench/compat/mirrors.mjs';
// @ts-expect-error: plain ESM module of the benchmark harness, no types
import { PROJECTS } from '../../bench/compat/projects.mjs';
import { REPO_ROOT } from '../support/airflow.js';

const DBT = join(REPO_ROOT, 'bench', '.dbt-venv', 'bin', 'dbt');
const ciProjects = (PROJECTS as Array<{ name: string; repo: string; ci?: boolean }>).filter((p) => p.ci);

function skipReason(): string {
  const databaseUrl = process.env.TSPIPE_TEST_DATABASE_URL;
  const reason = !databaseUrl
    ? 'no PostgreSQL: set TSPIPE_TEST_DATABASE_URL'
    : !existsSync(DBT)
      ? 'no dbt-core venv: run `bash bench/setup-dbt.sh`'
      : ciProjects
          .filter((p) => !mirrorOf(p.repo))
          .map((p) => `no mirror of ${p.repo} under TSPIPE_COMPAT_MIRRORS (default /work/.mirror)`)
          .join('; ');
  if (reason && process.env.TSPIPE_REQUIRE_COMPAT === '1') throw new Error(`TSPIPE_REQUIRE_COMPAT=1 but ${reason}`);
  return reason;
}

const skip = skipReason();

describe.skipIf(skip !== '')(`compat slice: ${ciProjects.map((p) => p.name).join(', ')} same as dbt-core${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it(
    "runs unchanged under tspipe with dbt-core's node statuses and rows",
    async () => {
      const result = await new Promise<{ code: number; output: string }>((resolve) => {
        execFile(
          process.execPath,
          [join(REPO_ROOT, 'bench', 'compat', 'run.mjs'), '--ci'],
          {
            cwd: REPO_ROOT,
            env: { ...process.env, TSPIPE_COMPAT_DATABASE_URL: process.env.TSPIPE_TEST_DATABASE_URL },
            maxBuffer: 64 * 2 ** 20,
            timeout: 15 * 60_000,
          },
          (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}\n${stderr}` }),
        );
      });
      const tail = result.output.split('\n').slice(-60).join('\n');
      expect(result.output, tail).toMatch(/same as dbt-core/);
      expect(result.output, tail).not.toMatch(/skipped, no mirror/);
      expect(result.code, tail).toBe(0);
    },
    16 * 60_000,
  );
});
