/**
 * copyInParallel on a real PostgreSQL: several connections COPY chunks of one shared
 * source into one table. The source waits between chunks (as a file read does), so
 * every stream has its connection before the chunks run out.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { openAdapter } from '../../src/adapter/open-adapter.js';
import { copyInParallel, copyStreamCount } from '../../src/ingest/parallel-copy.js';
import { TEST_DATABASES } from '../support/databases.js';

const postgres = TEST_DATABASES.find((db) => db.name === 'postgres')!;

async function* chunks(count: number, rowsPerChunk: number, failAt?: number): AsyncGenerator<Buffer> {
  for (let c = 0; c < count; c++) {
    await sleep(20);
    if (c === failAt) throw new Error('the source failed');
    let text = '';
    for (let r = 0; r < rowsPerChunk; r++) text += `${c * rowsPerChunk + r},chunk ${c}\n`;
    yield Buffer.from(text);
  }
}

describe.skipIf(!postgres.available)('several COPY streams on postgres', () => {
  it('every stream copies chunks, every row arrives once, and the counts add up', async () => {
    const created = await postgres.create();
    const adapter = await openAdapter({ ...created.spec, maxConnections: 3 } as typeof created.spec);
    try {
      await adapter.exec('create table t (n bigint, label text)');
      const perStream = await copyInParallel(adapter, { table: 't', columns: ['n', 'label'] }, chunks(30, 1000), 3);
      expect(perStream).toHaveLength(3);
      expect(perStream.every((rows) => rows > 0)).toBe(true);
      expect(perStream.reduce((a, b) => a + b, 0)).toBe(30_000);
      const { rows } = await adapter.query<{ n: number; distinct: number; max: number }>(
        'select count(*)::int as n, count(distinct n)::int as distinct, max(n)::int as max from t',
      );
      expect(rows[0]).toEqual({ n: 30_000, distinct: 30_000, max: 29_999 });
    } finally {
      await adapter.close();
      await created.cleanup();
    }
  });

  it('a failing source fails the copy with its own error once every stream has stopped', async () => {
    const created = await postgres.create();
    const adapter = await openAdapter({ ...created.spec, maxConnections: 3 } as typeof created.spec);
    try {
      await adapter.exec('create table t (n bigint, label text)');
      await expect(copyInParallel(adapter, { table: 't', columns: ['n', 'label'] }, chunks(30, 10, 5), 3)).rejects.toThrow('the source failed');
      // nothing is still copying: the table can be dropped at once
      await adapter.exec('drop table t');
    } finally {
      await adapter.close();
      await created.cleanup();
    }
  });

  it('stream counts: one per 8 MiB up to 4, never more than the pool, the configured count wins', async () => {
    const created = await postgres.create();
    const adapter = await openAdapter({ ...created.spec, maxConnections: 3 } as typeof created.spec);
    try {
      expect(copyStreamCount(adapter, 1_000)).toBe(1);
      expect(copyStreamCount(adapter, 9 * 2 ** 20)).toBe(2);
      expect(copyStreamCount(adapter, 100 * 2 ** 20)).toBe(3);
      expect(copyStreamCount(adapter, 1_000, 2)).toBe(2);
      expect(copyStreamCount(adapter, 1_000, 8)).toBe(3);
    } finally {
      await adapter.close();
      await created.cleanup();
    }
  });
});
