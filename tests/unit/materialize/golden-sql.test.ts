/**
 * Golden SQL: what each materialization runs, for a small project parsed and
 * compiled for real. A change to the generated SQL shows up as a diff of a file in
 * golden/; after checking it, `UPDATE_GOLDEN=1 npx vitest run tests/unit/materialize`
 * rewrites them. A missing golden file fails (it is never written silently).
 * New strategies add a model to MODELS and a line to CASES.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/api/load-project.js';
import { compileModel, type CompiledModel } from '../../../src/compile/compile-model.js';
import { Relation } from '../../../src/compile/relation.js';
import { STRATEGIES, type ExistingRelation, type MaterializationSteps } from '../../../src/materialize/index.js';
import type { ModelNode } from '../../../src/parse/manifest.js';
import { writeTempProject } from '../../support/temp-project.js';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');

const INCREMENTAL_FILTER = '{% if is_incremental() %}\nwhere id > (select max(id) from {{ this }})\n{% endif %}\n';

const MODELS: Record<string, string> = {
  'seeds/raw_orders.csv': 'id,amount,status\n1,10.5,placed\n',
  'models/stg_orders.sql': "{{ config(materialized='ephemeral') }}\nselect id, amount from {{ ref('raw_orders') }} where status <> 'test'\n",
  'models/orders_view.sql': "{{ config(materialized='view') }}\nselect id, amount from {{ ref('stg_orders') }}\n",
  'models/orders_table.sql': "{{ config(materialized='table') }}\nselect id, sum(amount) as amount from {{ ref('raw_orders') }} group by id\n",
  'models/orders_append.sql': `{{ config(materialized='incremental') }}\nselect id, amount from {{ ref('raw_orders') }}\n${INCREMENTAL_FILTER}`,
  'models/orders_delete_insert.sql': `{{ config(materialized='incremental', unique_key='id', incremental_strategy='delete+insert') }}\nselect id, amount from {{ ref('raw_orders') }}\n${INCREMENTAL_FILTER}`,
  'models/orders_merge.sql': `{{ config(materialized='incremental', unique_key=['id'], incremental_strategy='merge') }}\nselect id, amount, status from {{ ref('raw_orders') }}\n${INCREMENTAL_FILTER}`,
  'snapshots/orders.sql':
    "{% snapshot orders_history %}\n{{ config(unique_key='id', strategy='check', check_cols=['status'], hard_deletes='new_record') }}\nselect id, status from {{ ref('raw_orders') }}\n{% endsnapshot %}\n" +
    "{% snapshot orders_by_time %}\n{{ config(unique_key=['id', 'status'], strategy='timestamp', updated_at='placed_at', invalidate_hard_deletes=True) }}\nselect id, status, now() as placed_at from {{ ref('raw_orders') }}\n{% endsnapshot %}\n",
};

const EXISTING_TABLE = (...columns: string[]): ExistingRelation => ({ kind: 'table', columns });

/** golden file, model, and the relation as it is in the database before the run. */
const CASES: { golden: string; model: string; existing?: ExistingRelation }[] = [
  { golden: 'view.sql', model: 'orders_view' },
  { golden: 'table.sql', model: 'orders_table' },
  { golden: 'incremental-first-run.sql', model: 'orders_append' },
  { golden: 'incremental-append.sql', model: 'orders_append', existing: EXISTING_TABLE('id', 'amount') },
  { golden: 'incremental-delete-insert.sql', model: 'orders_delete_insert', existing: EXISTING_TABLE('id', 'amount') },
  { golden: 'incremental-merge.sql', model: 'orders_merge', existing: EXISTING_TABLE('id', 'amount', 'status') },
  { golden: 'ephemeral.sql', model: 'stg_orders' },
  { golden: 'snapshot-first-run.sql', model: 'snapshot.orders_history' },
  {
    golden: 'snapshot-check-new-record.sql',
    model: 'snapshot.orders_history',
    existing: EXISTING_TABLE('id', 'status', 'dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'),
  },
  {
    golden: 'snapshot-timestamp-invalidate.sql',
    model: 'snapshot.orders_by_time',
    existing: EXISTING_TABLE('id', 'status', 'placed_at', 'dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'),
  },
];

const project = loadProject({ projectDir: writeTempProject(MODELS), partialParse: false }, {});

function compile(name: string, existing: ExistingRelation | undefined): CompiledModel {
  const node = project.manifest.nodes[name.startsWith('snapshot.') ? `snapshot.test_project.${name.slice(9)}` : `model.test_project.${name}`] as ModelNode;
  return compileModel(node, {
    manifest: project.manifest,
    engine: project.parsed.engine,
    templates: project.parsed.templates,
    // as the runner decides it (execute/execute-model.ts)
    isIncremental: (n) => n.config.materialized === 'incremental' && existing?.kind === 'table',
  });
}

function materialize(name: string, existing: ExistingRelation | undefined): { sql: string; steps: MaterializationSteps } {
  const compiled = compile(name, existing);
  const node = compiled.node;
  const strategy = STRATEGIES[node.config.materialized as keyof typeof STRATEGIES];
  return { sql: compiled.sql, steps: strategy({ model: compiled, existing, fullRefresh: false }) };
}

/** The steps as a reviewer reads them: what runs, in order, and what is audited. */
function describeSteps(name: string, existing: ExistingRelation | undefined): string {
  const { sql, steps } = materialize(name, existing);
  const lines = [
    `-- ${name}, ${existing ? `existing ${existing.kind} (${existing.columns.join(', ')})` : 'nothing existing'}`,
    `-- verb: ${steps.verb}; audit: ${steps.audit?.toString() ?? 'none'}`,
  ];
  if (steps.build.length + steps.publish.length === 0) lines.push('-- builds nothing; the compiled SELECT, inlined as a CTE where it is used:', sql.trim());
  for (const [phase, list] of [
    ['build', steps.build],
    ['publish', steps.publish],
  ] as const) {
    list.forEach((step, i) => lines.push('', `-- ${phase} ${i + 1}: ${step.purpose}${step.countsRows ? ' (counts rows)' : ''}`, `${step.sql};`));
  }
  return `${lines.join('\n')}\n`;
}

function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, actual);
  }
  expect(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 npx vitest run tests/unit/materialize`).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('materialization SQL', () => {
  for (const { golden, model, existing } of CASES) {
    it(`${golden}: ${model}`, () => expectGolden(golden, describeSteps(model, existing)));
  }

  it('inlines the ephemeral model into the view that reads it', () => {
    expect(materialize('orders_view', undefined).sql).toContain('with "__dbt__cte__stg_orders" as (');
  });

  it('keeps the incremental staging name within 63 bytes for a long model name', () => {
    const model = { ...compile('orders_merge', undefined), relation: new Relation('public', 'x'.repeat(63)) };
    const steps = STRATEGIES.incremental({ model, existing: EXISTING_TABLE('id', 'amount'), fullRefresh: false });
    const staged = /create temp table "([^"]+)"/.exec(steps.build[0].sql)![1];
    expect(Buffer.byteLength(staged)).toBe(63);
    expect(staged).toBe(`${'x'.repeat(50)}__tspipe_incr`);
  });
});
