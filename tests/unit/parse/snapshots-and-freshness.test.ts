import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/api/load-project.js';
import { ErrorCollector, formatError, type TspipeError } from '../../../src/errors.js';
import type { SnapshotNode } from '../../../src/parse/manifest.js';
import { readFreshness, thresholdSeconds } from '../../../src/parse/source-freshness.js';
import { writeTempProject } from '../../support/temp-project.js';

const CONFIG = "{{ config(unique_key='id', strategy='check', check_cols='all') }}";

describe('snapshot blocks', () => {
  it('reads every block of a file with its line, refs and relation', () => {
    const dir = writeTempProject({
      'dbt_project.yml': 'name: shop\nprofile: shop\nsnapshots:\n  shop:\n    +target_schema: history\n',
      'profiles.yml': 'shop:\n  target: dev\n  outputs:\n    dev: {type: postgres, host: localhost, user: u, dbname: d, schema: analytics}\n',
      'models/orders.sql': 'select 1 as id',
      'snapshots/both.sql': `{% snapshot orders_a %}\n${CONFIG}\nselect * from {{ ref('orders') }}\n{% endsnapshot %}\n\n{%- snapshot orders_b -%}\n{{ config(target_schema=none, schema='snaps', unique_key='id', strategy='check', check_cols=['id']) }}\nselect * from {{ ref('orders') }}\n{%- endsnapshot -%}\n`,
    });
    const { manifest } = loadProject({ projectDir: dir, partialParse: false }, {});
    const a = manifest.nodes['snapshot.shop.orders_a'] as SnapshotNode;
    const b = manifest.nodes['snapshot.shop.orders_b'] as SnapshotNode;
    expect([a.line, b.line]).toEqual([1, 6]);
    expect(a.dependsOn).toEqual(['model.shop.orders']);
    // target_schema from dbt_project.yml is used as written; schema follows generate_schema_name.
    expect(a.relation).toEqual({ schema: 'history', identifier: 'orders_a' });
    expect(b.relation).toEqual({ schema: 'analytics_snaps', identifier: 'orders_b' });
    expect(b.config.materialized).toBe('snapshot');
    expect(b.rawCode.split('\n')[6]).toContain('{{ config(target_schema=none');
  });

  it('reports an unclosed block and a wrong strategy at their lines', () => {
    const dir = writeTempProject({
      'snapshots/s.sql': `{% snapshot ok %}\n{{ config(unique_key='id', strategy='sometimes') }}\nselect 1 as id\n{% endsnapshot %}\n{% snapshot open %}\nselect 1\n`,
    });
    let error: TspipeError | undefined;
    try {
      loadProject({ projectDir: dir, partialParse: false }, {});
    } catch (e) {
      error = e as TspipeError;
    }
    expect(formatError(error!)).toMatch(/snapshots\/s\.sql:5: \{% snapshot %\} is not closed/);
    expect(formatError(error!)).toMatch(/snapshots\/s\.sql:2: snapshot ok: invalid config strategy: "sometimes" is not one of timestamp, check/);
  });
});

describe('source freshness rules', () => {
  const where = { file: 'models/sources.yml', line: 3, name: 'feed.t' };

  it("merges a table's rule over its source's, and null turns it off", () => {
    const errors = new ErrorCollector();
    const source = { loaded_at_field: 'loaded_at', freshness: { warn_after: { count: 1, period: 'day' }, error_after: { count: 2, period: 'day' } } };
    expect(readFreshness(source, { freshness: { error_after: { count: 12, period: 'hour' }, filter: 'x > 0' } }, where, errors)).toEqual({
      loadedAtField: 'loaded_at',
      freshness: { warn_after: { count: 1, period: 'day' }, error_after: { count: 12, period: 'hour' }, filter: 'x > 0' },
    });
    expect(readFreshness(source, { freshness: null }, where, errors).freshness).toBeUndefined();
    expect(readFreshness({}, { config: { loaded_at_field: 'ts', freshness: { warn_after: { count: 5, period: 'minute' } } } }, where, errors)).toEqual({
      loadedAtField: 'ts',
      freshness: { warn_after: { count: 5, period: 'minute' }, error_after: undefined, filter: undefined },
    });
    expect(errors.size).toBe(0);
    expect(thresholdSeconds({ count: 12, period: 'hour' })).toBe(43200);
  });
});
