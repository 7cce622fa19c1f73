import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listNodes } from '../../../src/api/list-nodes.js';
import { loadProject } from '../../../src/api/load-project.js';
import { runTests } from '../../../src/api/test.js';
import { writeManifest } from '../../../src/api/artifacts.js';
import { auditTestsFor, compileTest } from '../../../src/datatests/index.js';
import { formatPlan } from '../../../src/execute/plan.js';
import { RecordingReporter } from '../../../src/execute/reporter.js';
import type { ModelNode, TestNode } from '../../../src/parse/manifest.js';
import { ProjectErrors, type TspipeError } from '../../../src/errors.js';
import { writeTempProject } from '../../support/temp-project.js';

const files = {
  'project.yml': 'name: shop\ndata_tests:\n  shop:\n    +tags: [dq]\n    marts:\n      +severity: warn\n',
  'seeds/raw_orders.csv': 'id,amount,customer_id\n1,5,1\n',
  'models/staging/stg_orders.sql': "select * from {{ ref('raw_orders') }}",
  'models/staging/stg_base.sql': "{{ config(materialized='ephemeral') }}select * from {{ ref('stg_orders') }}",
  'models/marts/customers.sql': "{{ config(materialized='table') }}select 1 as customer_id",
  'models/marts/orders.sql': "{{ config(materialized='table') }}select * from {{ ref('stg_base') }}",
  'models/marts/schema.yml': `version: 2
models:
  - name: orders
    data_tests:
      - row_count: {min: 1}
      - equal_row_count:
          compare_model: ref('stg_orders')
    columns:
      - name: id
        data_tests:
          - unique
          - not_null:
              config: {severity: error, where: "amount > 0", limit: 10, tags: [keys]}
      - name: customer_id
        data_tests:
          - relationships: {to: "ref('customers')", field: customer_id}
          - is_positive
  - name: stg_base
    columns:
      - name: id
        data_tests: [unique]
`,
  'macros/is_positive.sql':
    "{% test is_positive(model, column_name) %}\n{{ config(severity='warn', store_failures=true) }}\nselect * from {{ model }} where {{ column_name }} <= 0\n{% endtest %}\n",
  'tests/generic/has_rows.sql': '{% test has_rows(model) %}select 1 as empty where not exists (select 1 from {{ model }}){% endtest %}',
  'tests/assert_amounts.sql':
    "{{ config(tags=['money']) }}\nselect * from {{ ref('orders') }} o join {{ ref('customers') }} c using (customer_id) where amount < 0;\n",
  'tests/checks/assert_staging.sql': "select * from {{ ref('stg_orders') }} where amount is null",
};

const load = (extra: Record<string, string> = {}) => loadProject({ projectDir: writeTempProject({ ...files, ...extra }) }, {});
const testsOf = (project: ReturnType<typeof load>) =>
  Object.fromEntries(
    Object.values(project.manifest.nodes)
      .filter((n): n is TestNode => n.resourceType === 'test')
      .map((t) => [t.uniqueId, t]),
  );

describe('test nodes in the manifest', () => {
  it('gets dbt-style unique ids, parents, attached node and config precedence', () => {
    const project = load();
    const tests = testsOf(project);
    expect(Object.keys(tests).sort()).toEqual([
      'test.shop.assert_amounts',
      'test.shop.assert_staging',
      'test.shop.equal_row_count_orders_ref_stg_orders_',
      'test.shop.is_positive_orders_customer_id',
      'test.shop.not_null_orders_id',
      'test.shop.relationships_orders_customer_id__customer_id__ref_customers_',
      'test.shop.row_count_orders_1',
      'test.shop.unique_orders_id',
      'test.shop.unique_stg_base_id',
    ]);
    const rel = tests['test.shop.relationships_orders_customer_id__customer_id__ref_customers_']!;
    expect(rel).toMatchObject({
      testType: 'generic',
      attachedNode: 'model.shop.orders',
      columnName: 'customer_id',
      originalFilePath: 'models/marts/schema.yml',
      fqn: ['shop', 'marts', 'relationships_orders_customer_id__customer_id__ref_customers_'],
      dependsOn: ['model.shop.orders', 'model.shop.customers'],
      testMetadata: { name: 'relationships', kwargs: { column_name: 'customer_id', to: "ref('customers')", field: 'customer_id' } },
    });
    // project.yml (marts: warn, tags dq) < YAML config
    expect(rel.config).toMatchObject({ severity: 'warn', tags: ['dq'] });
    expect(tests['test.shop.not_null_orders_id']!.config).toMatchObject({ severity: 'error', where: 'amount > 0', limit: 10, tags: ['dq', 'keys'] });
    // config() inside a custom test's macro
    expect(tests['test.shop.is_positive_orders_customer_id']!.config).toMatchObject({ severity: 'warn', store_failures: true });
    expect(tests['test.shop.is_positive_orders_customer_id']!.relation).toEqual({
      schema: 'public_test_failures',
      identifier: 'is_positive_orders_customer_id',
    });
    expect(tests['test.shop.equal_row_count_orders_ref_stg_orders_']!.dependsOn).toEqual(['model.shop.orders', 'model.shop.stg_orders']);
    const singular = tests['test.shop.assert_amounts']!;
    expect(singular).toMatchObject({
      testType: 'singular',
      attachedNode: undefined,
      dependsOn: ['model.shop.orders', 'model.shop.customers'],
      fqn: ['shop', 'assert_amounts'],
    });
    expect(singular.config.tags).toEqual(['dq', 'money']);
    expect(tests['test.shop.assert_staging']).toMatchObject({ attachedNode: 'model.shop.stg_orders', fqn: ['shop', 'checks', 'assert_staging'] });
    expect(project.manifest.macros['macro.shop.test_has_rows']).toMatchObject({ originalFilePath: 'tests/generic/has_rows.sql' });
  });

  it('compiles to SQL returning failing rows: where, limit, ephemeral CTEs, staged overrides', () => {
    const project = load();
    const tests = testsOf(project);
    const context = { manifest: project.manifest, engine: project.parsed.engine, templates: project.parsed.templates };
    expect(compileTest(tests['test.shop.not_null_orders_id']!, context)).toMatchObject({
      file: 'models/marts/schema.yml/not_null_orders_id.sql',
      sql: 'select * from (\nselect *\nfrom (select * from "public"."orders" where (amount > 0)) dbt_subquery\nwhere "id" is null\n) dbt_limited\nlimit 10',
    });
    expect(compileTest(tests['test.shop.unique_stg_base_id']!, context).sql).toBe(
      'with "__dbt__cte__stg_base" as (\nselect * from "public"."stg_orders"\n)\nselect "id" as unique_field, count(*) as n_records\nfrom "__dbt__cte__stg_base"\nwhere "id" is not null\ngroup by "id"\nhaving count(*) > 1',
    );
    expect(compileTest(tests['test.shop.is_positive_orders_customer_id']!, context).sql).toBe('select * from "public"."orders" where customer_id <= 0');
    const staged = { ...context, overrides: new Map([['model.shop.orders', { schema: 'public', identifier: 'orders__tspipe_tmp' }]]) };
    expect(compileTest(tests['test.shop.assert_amounts']!, staged)).toMatchObject({
      file: 'tests/assert_amounts.sql',
      sql: 'select * from "public"."orders__tspipe_tmp" o join "public"."customers" c using (customer_id) where amount < 0',
    });
    expect(compileTest(tests['test.shop.relationships_orders_customer_id__customer_id__ref_customers_']!, staged).sql).toContain(
      'from "public"."orders__tspipe_tmp"',
    );
  });

  it('picks the tests a model can be audited with before publishing', () => {
    const project = load();
    const orders = project.manifest.nodes['model.shop.orders'] as ModelNode;
    // error severity only, and nothing that reads a model not upstream of orders (customers)
    expect(auditTestsFor(project.manifest, orders).map((t) => t.name)).toEqual(['not_null_orders_id']);
  });

  it('selects tests by model (indirectly), test type, tag and name', () => {
    const dir = writeTempProject(files);
    const names = (select: string[], more: { exclude?: string[] } = {}) =>
      listNodes({ projectDir: dir, select, resourceTypes: ['test'], ...more }, {})
        .nodes.map((n) => n.name)
        .sort();
    expect(names(['customers'])).toEqual(['assert_amounts', 'relationships_orders_customer_id__customer_id__ref_customers_']);
    expect(names(['test_type:singular'])).toEqual(['assert_amounts', 'assert_staging']);
    expect(names(['tag:keys'])).toEqual(['not_null_orders_id']);
    expect(names(['tag:money', 'unique_orders_id'])).toEqual(['assert_amounts', 'unique_orders_id']);
    expect(names(['orders'], { exclude: ['test_type:singular'] })).toEqual([
      'equal_row_count_orders_ref_stg_orders_',
      'is_positive_orders_customer_id',
      'not_null_orders_id',
      'relationships_orders_customer_id__customer_id__ref_customers_',
      'row_count_orders_1',
      'unique_orders_id',
    ]);
    expect(names(['config.severity:error'])).toEqual(['assert_amounts', 'assert_staging', 'not_null_orders_id', 'unique_stg_base_id']);
  });

  it('plans tests in a dry run and documents them in manifest.json', async () => {
    const dir = writeTempProject(files);
    const outcome = await runTests({ projectDir: dir, select: ['stg_orders'], dryRun: true }, { reporter: new RecordingReporter(), env: {} });
    expect(formatPlan(outcome.plan)).toBe(
      ['Plan for target dev: 2 nodes, 1 thread', '1. test assert_staging', '2. test equal_row_count_orders_ref_stg_orders_'].join('\n'),
    );
    const project = loadProject({ projectDir: dir }, {});
    writeManifest(project);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8'));
    expect(manifest.nodes['test.shop.unique_orders_id']).toMatchObject({
      resource_type: 'test',
      test_type: 'generic',
      attached_node: 'model.shop.orders',
      column_name: 'id',
      test_metadata: { name: 'unique', namespace: null, kwargs: { column_name: 'id' } },
      relation_name: null,
      depends_on: { nodes: ['model.shop.orders'] },
      compiled_path: 'compiled/models/marts/schema.yml/unique_orders_id.sql',
    });
    expect(manifest.nodes['test.shop.is_positive_orders_customer_id'].relation_name).toBe('"public_test_failures"."is_positive_orders_customer_id"');
    expect(manifest.child_map['model.shop.customers']).toEqual(
      expect.arrayContaining(['test.shop.assert_amounts', 'test.shop.relationships_orders_customer_id__customer_id__ref_customers_']),
    );
  });

  it('takes a model-level column_name argument; tests sharing a name keep it, their ids apart by a hash (dbt)', () => {
    const project = load({
      'models/marts/schema.yml': `version: 2
models:
  - name: orders
    data_tests:
      - not_null: {column_name: amount}
      - not_null: {column_name: amount, where: "id > 1"}
`,
    });
    const tests = Object.values(testsOf(project));
    expect(tests.filter((t) => t.testType === 'generic').map((t) => [t.uniqueId, t.name, t.columnName])).toEqual([
      ['test.shop.not_null_orders_amount', 'not_null_orders_amount', 'amount'],
      [expect.stringMatching(/^test\.shop\.not_null_orders_amount\.[0-9a-f]{10}$/), 'not_null_orders_amount', 'amount'],
    ]);
  });

  it('reports every malformed test at once, with file and line', () => {
    const broken = {
      'models/marts/schema.yml': `version: 2
models:
  - name: orders
    columns:
      - name: id
        data_tests:
          - uniqe
          - accepted_values: {quote: false}
          - not_null: {severity: fatal}
      - name: customer_id
        data_tests:
          - relationships: {to: "ref('custmers')", field: customer_id}
`,
      'tests/assert_bad.sql': "select * from {{ ref('nope') }}",
    };
    let error: unknown;
    try {
      load(broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProjectErrors);
    const found = (error as ProjectErrors).errors.map((e: TspipeError) => `${e.where}: ${e.message} | ${e.hint ?? ''}`);
    expect(found).toEqual([
      'models/marts/schema.yml:7: model orders, column id: unknown test "uniqe" | did you mean "unique"?',
      'models/marts/schema.yml:8: model orders, column id: test accepted_values: values: list the accepted values | ',
      'models/marts/schema.yml:9: model orders, column id: test not_null_orders_id: invalid config severity: "fatal" is not error or warn | ',
      'models/marts/schema.yml:12: ref("custmers") in a test names a model or seed that does not exist | did you mean "customers"?',
      'tests/assert_bad.sql: ref("nope") in a test names a model or seed that does not exist | check the name, or add the model or seed',
    ]);
  });
});
