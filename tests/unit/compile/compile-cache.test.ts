/**
 * The caches (target/project_snapshot.json, target/partial_parse.json,
 * target/compile_cache.json, target/manifest_stamp.json) must never give stale
 * output: after each change, a cached compile must write exactly what a compile
 * without caches writes. The files here are seconds old, so the snapshot also
 * compares their content hashes (its "racy" path); tests/unit/parse/project-snapshot
 * covers settled files.
 */
import { readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../../src/api/compile.js';
import { loadProject } from '../../../src/api/load-project.js';
import { writeTempProject } from '../../support/temp-project.js';

const PROJECT = `name: shop
vars:
  rate: 2
models:
  shop:
    staging:
      +schema: staging
seeds:
  shop:
    +schema: raw
`;

const FILES = {
  'project.yml': PROJECT,
  'macros/money.sql': '{% macro money(col) -%}\n({{ col }} / {{ var("rate") }})\n{%- endmacro %}\n',
  'seeds/rates.csv': 'id,rate\n1,2\n',
  'models/staging/stg_orders.sql': "select id, {{ money('amount') }} as amount from {{ source('app', 'orders') }}\n",
  'models/staging/stg_rates.sql': "select * from {{ ref('rates') }}\n",
  'models/marts/orders.sql': "{{ config(materialized='table') }}\nselect o.* from {{ ref('stg_orders') }} o join {{ ref('stg_rates') }} r on r.id = o.id\n",
  'models/marts/summary.sql': "select count(*) as n from {{ ref('orders') }}\n",
  'models/marts/env.sql': "select '{{ env_var('SHOP_REGION', 'eu') }}' as region\n",
  'models/schema.yml': 'version: 2\nsources:\n  - name: app\n    tables:\n      - name: orders\nmodels:\n  - name: orders\n    description: All orders\n',
};

/** Every compiled file, and manifest.json without its generated_at. */
function outputs(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(join(dir, folder), { withFileTypes: true })) {
      const path = `${folder}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else result[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('target/compiled');
  result.manifest = readFileSync(join(dir, 'target/manifest.json'), 'utf8').replace(/"generated_at": "[^"]*"/, '');
  return result;
}

/** Compiles with the caches, then without, and expects the same files both times. */
async function compileChecked(dir: string, env: NodeJS.ProcessEnv = {}, vars?: Record<string, unknown>): Promise<Record<string, string>> {
  await compileProject({ projectDir: dir, vars }, env);
  const cached = outputs(dir);
  await compileProject({ projectDir: dir, vars, cache: false }, env);
  expect(cached).toEqual(outputs(dir));
  return cached;
}

function sql(out: Record<string, string>, model: string): string {
  return Object.entries(out).find(([path]) => path.endsWith(`/${model}.sql`))![1];
}

function edit(dir: string, file: string, change: (text: string) => string): void {
  writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')));
}

describe('compile caches', () => {
  it('a warm compile renders and writes nothing, and gives the same files', async () => {
    const dir = writeTempProject(FILES);
    const cold = await compileChecked(dir);
    const mtimes = () => readdirSync(join(dir, 'target/compiled/models/marts')).map((f) => statSync(join(dir, 'target/compiled/models/marts', f)).mtimeMs);
    const before = mtimes();
    // models/marts/env.sql reads an environment variable: each compile checks it.
    expect((await compileProject({ projectDir: dir }, {})).unchanged).toBe(false);
    expect(mtimes()).toEqual(before);
    expect(outputs(dir)).toEqual(cold);
    // The manifest came from project_snapshot.json: no model template was compiled.
    const warm = loadProject({ projectDir: dir }, {});
    expect(warm.fromSnapshot).toBe(true);
    expect(warm.parsed.templates.size).toBe(0);
    // Without the snapshot, the parse pass comes from partial_parse.json.
    rmSync(join(dir, 'target/project_snapshot.json'));
    const fromPartialParse = loadProject({ projectDir: dir }, {});
    expect(fromPartialParse.fromSnapshot).toBe(false);
    expect(fromPartialParse.parsed.templates.size).toBe(0);
  });

  it.each([
    ['a macro body', 'macros/money.sql', (t: string) => t.replace('/', '*'), 'stg_orders', '(amount * 2)'],
    ['a var in project.yml', 'project.yml', (t: string) => t.replace('rate: 2', 'rate: 5'), 'stg_orders', '(amount / 5)'],
    ['a folder config in project.yml', 'project.yml', (t: string) => t.replace('+schema: staging', '+schema: stage2'), 'orders', '"stage2"."stg_orders"'],
    ['a seed config in project.yml', 'project.yml', (t: string) => t.replace('+schema: raw', '+schema: landing'), 'stg_rates', '"landing"."rates"'],
    ['the target schema', 'project.yml', (t: string) => `${t}targets:\n  dev:\n    type: pglite\n    schema: other\n`, 'summary', '"other"."orders"'],
    [
      "a parent's alias in schema YAML",
      'models/schema.yml',
      (t: string) => `${t}  - name: stg_orders\n    config:\n      alias: orders_v2\n`,
      'orders',
      '"orders_v2"',
    ],
    ["a parent's schema in its config()", 'models/staging/stg_rates.sql', (t: string) => `{{ config(schema='x') }}${t}`, 'orders', '"x"."stg_rates"'],
    [
      'a parent turned ephemeral',
      'models/staging/stg_rates.sql',
      (t: string) => `{{ config(materialized='ephemeral') }}${t}`,
      'orders',
      '__dbt__cte__stg_rates',
    ],
    [
      "a source's schema",
      'models/schema.yml',
      (t: string) => t.replace('  - name: app\n', '  - name: app\n    schema: app_v2\n'),
      'stg_orders',
      '"app_v2"."orders"',
    ],
    ["the model's own file", 'models/marts/orders.sql', (t: string) => t.replace('o.*', 'o.id'), 'orders', 'select o.id'],
    [
      'a generate_schema_name macro',
      'macros/schemas.sql',
      () => '{% macro generate_schema_name(custom, node) %}{{ custom or "main" }}_x{% endmacro %}',
      'orders',
      '"staging_x"."stg_orders"',
    ],
  ])('sees %s change', async (_what, file, change, model, expected) => {
    const dir = writeTempProject(FILES);
    const before = await compileChecked(dir);
    try {
      edit(dir, file, change);
    } catch {
      writeFileSync(join(dir, file), change(''));
    }
    const after = await compileChecked(dir);
    expect(sql(before, model)).not.toContain(expected);
    expect(sql(after, model)).toContain(expected);
  });

  it('sees a description change in the manifest', async () => {
    const dir = writeTempProject(FILES);
    await compileChecked(dir);
    edit(dir, 'models/schema.yml', (t) => t.replace('All orders', 'Every order'));
    expect((await compileChecked(dir)).manifest).toContain('Every order');
  });

  it('sees what `model` and `graph` show change: a description, another model', async () => {
    const dir = writeTempProject({
      ...FILES,
      'models/marts/orders.sql': `-- {{ model.description }}\n${FILES['models/marts/orders.sql']}`,
      'models/marts/summary.sql': `-- {{ graph.nodes.values() | map(attribute='name') | sort | join(',') }}\n${FILES['models/marts/summary.sql']}`,
    });
    expect(sql(await compileChecked(dir), 'orders')).toContain('-- All orders');
    edit(dir, 'models/schema.yml', (t) => t.replace('All orders', 'Every order'));
    expect(sql(await compileChecked(dir), 'orders')).toContain('-- Every order');
    writeFileSync(join(dir, 'models/marts/extra.sql'), 'select 1 as x\n');
    expect(sql(await compileChecked(dir), 'summary')).toContain('-- env,extra,orders,');
  });

  it('sees --vars and environment variables change', async () => {
    const dir = writeTempProject(FILES);
    expect(sql(await compileChecked(dir, { SHOP_REGION: 'us' }), 'env')).toContain("'us'");
    expect(sql(await compileChecked(dir, { SHOP_REGION: 'ap' }), 'env')).toContain("'ap'");
    expect(sql(await compileChecked(dir, {}), 'env')).toContain("'eu'");
    expect(sql(await compileChecked(dir, {}, { rate: 7 }), 'stg_orders')).toContain('(amount / 7)');
    expect(sql(await compileChecked(dir, {}), 'stg_orders')).toContain('(amount / 2)');
  });

  it('sees environment variables read by config() and by generate_schema_name in the manifest', async () => {
    const dir = writeTempProject({
      ...FILES,
      'models/marts/tagged.sql': "{{ config(tags=[env_var('SHOP_TAG', 'none')]) }}select 1 as x\n",
      'macros/schemas.sql': "{% macro generate_schema_name(custom, node) %}{{ env_var('SHOP_SCHEMA', 'main') }}{% endmacro %}",
    });
    expect((await compileChecked(dir, { SHOP_TAG: 'gold' })).manifest).toContain('"gold"');
    const after = await compileChecked(dir, { SHOP_TAG: 'silver', SHOP_SCHEMA: 'other' });
    expect(after.manifest).toContain('"silver"');
    expect(after.manifest).toContain('"schema": "other"');
    expect(sql(after, 'summary')).toContain('"other"."orders"');
  });

  it('never serves a model that reads the clock from the cache', async () => {
    const dir = writeTempProject({ ...FILES, 'models/marts/clock.sql': "select '{{ run_started_at }}' as at\n" });
    await compileProject({ projectDir: dir }, {});
    const first = sql(outputs(dir), 'clock');
    await compileProject({ projectDir: dir }, {});
    expect(sql(outputs(dir), 'clock')).not.toBe(first);
  });

  it('rewrites compiled files edited or deleted by hand, and a touched manifest', async () => {
    const dir = writeTempProject(FILES);
    const cold = await compileChecked(dir);
    writeFileSync(join(dir, 'target/compiled/models/marts/orders.sql'), 'select 666\n');
    unlinkSync(join(dir, 'target/compiled/models/staging/stg_rates.sql'));
    writeFileSync(join(dir, 'target/manifest.json'), '{}');
    expect((await compileProject({ projectDir: dir }, {})).unchanged).toBe(false);
    expect(outputs(dir)).toEqual(cold);
  });

  it('survives a corrupt or foreign cache file', async () => {
    const dir = writeTempProject(FILES);
    const cold = await compileChecked(dir);
    for (const file of ['project_snapshot.json', 'partial_parse.json', 'compile_cache.json', 'manifest_stamp.json']) {
      writeFileSync(join(dir, 'target', file), file === 'compile_cache.json' ? '{"format":"other"}' : '{not json');
    }
    await compileProject({ projectDir: dir }, {});
    expect(outputs(dir)).toEqual(cold);
    rmSync(join(dir, 'target/partial_parse.json'));
    await compileProject({ projectDir: dir }, {});
    expect(outputs(dir)).toEqual(cold);
  });

  it('writes many files through the worker thread, and skips them when warm', async () => {
    const files: Record<string, string> = { 'project.yml': 'name: big\n' };
    for (let i = 0; i < 250; i++) {
      files[`models/g${i % 3}/m${i}.sql`] = i ? `select * from {{ ref('m${i - 1}') }} -- ${i}\n` : 'select 1 as id\n';
    }
    const dir = writeTempProject(files);
    const cold = await compileChecked(dir);
    expect(Object.keys(cold)).toHaveLength(251);
    const stamp = () => statSync(join(dir, 'target/compiled/models/g1/m100.sql')).mtimeMs;
    const before = stamp();
    const warm = await compileProject({ projectDir: dir }, {});
    // Nothing changed: the compiled files are listed without reading the manifest.
    expect(warm.unchanged).toBe(true);
    expect(warm.compiled.map((c) => c.uniqueId).slice(0, 3)).toEqual(['model.big.m0', 'model.big.m1', 'model.big.m2']);
    expect(warm.compiled).toHaveLength(250);
    expect(stamp()).toBe(before);
    writeFileSync(join(dir, 'models/g0/m0.sql'), "{{ config(alias='root') }}select 2 as id\n");
    expect(sql(await compileChecked(dir), 'm1')).toContain('"public"."root"');
  });

  it('keeps the entries of models left out by --select', async () => {
    const dir = writeTempProject(FILES);
    await compileChecked(dir);
    await compileProject({ projectDir: dir, select: ['orders'] }, {});
    const entries = JSON.parse(readFileSync(join(dir, 'target/compile_cache.json'), 'utf8')).entries;
    expect(Object.keys(entries)).toContain('model.shop.summary');
  });

  it('sees models added and removed', async () => {
    const dir = writeTempProject(FILES);
    await compileChecked(dir);
    writeFileSync(join(dir, 'models/marts/extra.sql'), "select * from {{ ref('orders') }}\n");
    expect(sql(await compileChecked(dir), 'extra')).toContain('"public"."orders"');
    unlinkSync(join(dir, 'models/marts/extra.sql'));
    expect((await compileChecked(dir)).manifest).not.toContain('model.shop.extra');
  });
});
