/**
 * New embedded databases start from the cached initdb tarball: the first one writes
 * it, later ones (in memory or in a folder) load it and behave as a fresh database,
 * and a damaged template falls back to initdb and is replaced. Real PGlite.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/adapter/pglite-driver.js';
import { templatePath } from '../../src/adapter/pglite-template.js';

describe('PGlite initdb template', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'tspipe-template-'));
  const previous = process.env.TSPIPE_CACHE_DIR;
  beforeAll(() => {
    process.env.TSPIPE_CACHE_DIR = join(scratch, 'cache');
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.TSPIPE_CACHE_DIR;
    else process.env.TSPIPE_CACHE_DIR = previous;
    rmSync(scratch, { recursive: true, force: true });
  });

  async function roundTrip(dataDir: string): Promise<void> {
    const db = await openPglite({ kind: 'pglite', dataDir });
    try {
      const empty = await db.query<{ n: number }>("select count(*)::int as n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')");
      expect(empty.rows[0]?.n).toBe(0);
      await db.exec('create table kept (id int); insert into kept values (1), (2)');
    } finally {
      await db.close();
    }
  }

  it('is written by the first new database and loaded by the next ones, which keep their data', async () => {
    expect(existsSync(templatePath())).toBe(false);
    await roundTrip('memory://');
    expect(statSync(templatePath()).size).toBeGreaterThan(1_000_000);

    const folder = join(scratch, 'db');
    await roundTrip(folder);
    expect(existsSync(join(folder, 'PG_VERSION'))).toBe(true);
    const reopened = await openPglite({ kind: 'pglite', dataDir: folder });
    try {
      expect((await reopened.query<{ n: number }>('select count(*)::int as n from kept')).rows[0]?.n).toBe(2);
    } finally {
      await reopened.close();
    }
  }, 120_000);

  it('falls back to initdb when the template is damaged, and replaces it', async () => {
    writeFileSync(templatePath(), 'not a tarball');
    const folder = join(scratch, 'after-damage');
    await roundTrip(folder);
    expect(readFileSync(templatePath()).subarray(0, 13).toString()).not.toBe('not a tarball');
    await roundTrip('memory://');
  }, 120_000);
});
