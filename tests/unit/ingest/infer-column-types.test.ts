/** dbt's seed types (agate), as dbt-postgres creates the columns. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferColumnTypes } from '../../../src/ingest/infer-column-types.js';

async function typesOf(csv: string) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'tspipe-seed-')), 'seed.csv');
  writeFileSync(file, csv);
  const inferred = await inferColumnTypes(file, 'seeds/seed.csv');
  return Object.fromEntries(inferred.columns.map((c, i) => [c, inferred.types[i]]));
}

describe('seed type inference', () => {
  it('takes the narrowest type that fits every value; an empty column is integer, as agate makes it', async () => {
    expect(
      await typesOf(
        'id,big,ratio,ok,day,at,name,nothing\n1,3000000000,1.5,true,2024-01-02,2024-01-02 03:04:05,a,\n2,1,2,false,2024-01-03,2024-01-03T00:00:00Z,b,\n',
      ),
    ).toEqual({
      id: 'integer',
      big: 'bigint',
      ratio: 'double precision',
      ok: 'boolean',
      day: 'date',
      at: 'timestamp',
      name: 'text',
      nothing: 'integer',
    });
    expect(await typesOf('a,b\n')).toEqual({ a: 'integer', b: 'integer' });
  });
});
