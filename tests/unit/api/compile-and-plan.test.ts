import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../../src/api/compile.js';
import { listNodes } from '../../../src/api/list-nodes.js';
import { runNodes } from '../../../src/api/run-nodes.js';
import { formatPlan } from '../../../src/execute/plan.js';
import { RecordingReporter } from '../../../src/execute/reporter.js';
import { writeTempProject } from '../../support/temp-project.js';

const files = {
  'project.yml':
    'name: shop\nvars:\n  min_amount: 10\nmodels:\n  shop:\n    staging:\n      +materialized: view\n      +tags: [staging]\n    marts:\n      +materialized: table\n',
  'seeds/raw_orders.csv': 'id,amount\n1,5\n',
  'models/staging/stg_orders.sql': "select * from {{ ref('raw_orders') }} where amount >= {{ var('min_amount') }}",
  'models/staging/stg_base.sql': "{{ config(materialized='ephemeral') }}select * from {{ ref('stg_orders') }}",
  'models/marts/orders.sql': "select * from {{ ref('stg_base') }}",
  'models/marts/summary.sql': "{{ config(tags=['daily']) }}select count(*) from {{ ref('orders') }}",
};

describe('compile, ls and the dry-run plan (no database)', () => {
  it('writes compiled SQL with quoted relations and inlined ephemerals', async () => {
    const dir = writeTempProject(files);
    const outcome = await compileProject({ projectDir: dir }, {});
    expect(outcome.compiled.map((c) => c.path)).toContain('target/compiled/models/marts/orders.sql');
    const orders = readFileSync(path.join(dir, 'target/compiled/models/marts/orders.sql'), 'utf8');
    expect(orders).toBe('with "__dbt__cte__stg_base" as (\nselect * from "public"."stg_orders"\n)\nselect * from "__dbt__cte__stg_base"\n');
    const staging = readFileSync(path.join(dir, 'target/compiled/models/staging/stg_orders.sql'), 'utf8');
    expect(staging).toBe('select * from "public"."raw_orders" where amount >= 10\n');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8'));
    expect(manifest.nodes['model.shop.orders'].config.materialized).toBe('table');
    expect(manifest.nodes['model.shop.summary'].tags).toEqual(['daily']);
    expect(manifest.child_map['model.shop.orders']).toEqual(['model.shop.summary']);
  });

  it('compiles snapshots too, as dbt compile does, and reuses them when nothing changed', async () => {
    const dir = writeTempProject({
      ...files,
      'snapshots/orders_history.sql':
        "{% snapshot orders_history %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\nselect * from {{ ref('orders') }}\n{% endsnapshot %}\n",
    });
    const first = await compileProject({ projectDir: dir }, {});
    expect(first.compiled).toContainEqual({ uniqueId: 'snapshot.shop.orders_history', path: 'target/compiled/snapshots/orders_history.sql' });
    expect(readFileSync(path.join(dir, 'target/compiled/snapshots/orders_history.sql'), 'utf8')).toBe('\n\nselect * from "public"."orders"\n');
    const again = await compileProject({ projectDir: dir }, {});
    expect(again.unchanged).toBe(true);
    expect(again.compiled.map((c) => c.uniqueId)).toContain('snapshot.shop.orders_history');
  });

  it('prints the plan without touching the database, waiting through ephemerals', async () => {
    const dir = writeTempProject(files);
    const outcome = await runNodes('build', { projectDir: dir, dryRun: true }, { reporter: new RecordingReporter(), env: {} });
    expect(formatPlan(outcome.plan)).toBe(
      [
        'Plan for target dev: 4 nodes, 1 thread',
        '1. seed raw_orders -> public.raw_orders',
        '2. view model stg_orders -> public.stg_orders  after raw_orders',
        '3. table model orders -> public.orders  after stg_orders',
        '4. table model summary -> public.summary  after orders',
      ].join('\n'),
    );
  });

  it('selects with dbt syntax', () => {
    const dir = writeTempProject(files);
    const names = (select: string[], exclude?: string[]) => listNodes({ projectDir: dir, select, exclude }, {}).nodes.map((n) => n.name);
    expect(names(['tag:staging'])).toEqual(['stg_orders', 'stg_base']);
    expect(names(['+orders'])).toEqual(['raw_orders', 'stg_orders', 'stg_base', 'orders']);
    expect(names(['stg_orders+'], ['summary'])).toEqual(['stg_orders', 'stg_base', 'orders']);
    expect(names(['path:models/marts', 'config.materialized:view'])).toEqual(['stg_orders', 'orders', 'summary']);
  });
});
