/**
 * `tspipe airflow` in-process: the manifest mapped onto the DAG writer's input
 * (ephemerals resolved away, sources and disabled nodes left out, tests attached),
 * project.yml settings and defaults, write / --check, and the committed pipeline DAG.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AIRFLOW_DEFAULTS, airflowDag, airflowDagInput } from '../../../src/api/airflow.js';
import { loadProject } from '../../../src/api/load-project.js';
import { planAirflowTasks } from '../../../src/emit/airflow-dag.js';
import { REPO_ROOT } from '../../support/pipeline-files.js';
import { writeTempProject } from '../../support/temp-project.js';

const PROJECT_YML = `name: shop
threads: 2
targets:
  pg: {type: postgres, url_env: SHOP_URL, threads: 6}
airflow:
  schedule: '0 6 * * *'
  retries: 3
  retry_delay_seconds: 30
  tags: [shop]
  test_behavior: after_each
`;

const FILES = {
  'project.yml': PROJECT_YML,
  'seeds/raw_orders.csv': 'id,customer_id,amount\n1,1,5\n',
  'seeds/raw_customers.csv': 'id\n1\n',
  'models/sources.yml':
    'version: 2\nsources:\n  - name: crm\n    tables:\n      - name: accounts\n        columns:\n          - name: id\n            data_tests: [not_null]\n',
  'models/stg_orders.sql': "{{ config(materialized='ephemeral') }}select * from {{ ref('raw_orders') }}",
  'models/stg_both.sql':
    "{{ config(materialized='ephemeral') }}select o.* from {{ ref('stg_orders') }} o join {{ source('crm', 'accounts') }} a on a.id = o.customer_id",
  'models/customers.sql': "select * from {{ ref('raw_customers') }}",
  'models/orders.sql': "select * from {{ ref('stg_both') }}",
  'models/old.sql': '{{ config(enabled=false) }}select 1 as x',
  'models/schema.yml': `version: 2
models:
  - name: orders
    columns:
      - name: id
        data_tests: [unique]
      - name: customer_id
        data_tests:
          - relationships: {to: ref('customers'), field: id}
  - name: customers
    columns:
      - name: id
        data_tests: [not_null]
`,
  'tests/assert_orders_positive.sql': "select * from {{ ref('orders') }} where amount <= 0",
};

const input = (files: Record<string, string>) => {
  const project = loadProject({ projectDir: writeTempProject(files) }, {});
  return airflowDagInput(project.config, project.manifest);
};

describe('tspipe airflow: the project onto the DAG input', () => {
  it('has one node per seed, built model and test; edges go through ephemerals, not to sources', () => {
    const { nodes } = input(FILES);
    const byName = Object.fromEntries(nodes.map((n) => [n.name, n]));
    expect(Object.keys(byName).sort()).toEqual([
      'assert_orders_positive',
      'customers',
      'not_null_customers_id',
      'orders',
      'raw_customers',
      'raw_orders',
      'relationships_orders_customer_id__id__ref_customers_',
      'source_not_null_crm_accounts_id',
      'unique_orders_id',
    ]);
    // orders reads stg_both, which reads stg_orders (raw_orders) and a source.
    expect(byName.orders.dependsOn).toEqual(['seed.shop.raw_orders']);
    expect(byName.relationships_orders_customer_id__id__ref_customers_).toMatchObject({
      resourceType: 'test',
      attachedNode: 'model.shop.orders',
      dependsOn: ['model.shop.customers', 'model.shop.orders'],
    });
    // A test of a source is no node's test: it gets its own task, with nothing upstream.
    expect(byName.source_not_null_crm_accounts_id).toMatchObject({ dependsOn: [] });
    expect(byName.source_not_null_crm_accounts_id.attachedNode).toBeUndefined();

    const plan = planAirflowTasks(nodes, 'after_each');
    expect(plan.edges).toEqual([
      ['customers', 'test_customers'],
      ['customers', 'test_orders'],
      ['orders', 'test_orders'],
      ['raw_customers', 'customers'],
      ['raw_orders', 'orders'],
    ]);
    // The singular test reads only orders: it is one of orders' tests.
    expect(plan.tasks.find((t) => t.taskId === 'test_orders')?.select).toEqual([
      'assert_orders_positive',
      'relationships_orders_customer_id__id__ref_customers_',
      'unique_orders_id',
    ]);
  });

  it('takes schedule, retries, tags and tests from project.yml, and max_active_tasks from the pg target', () => {
    expect(input(FILES)).toMatchObject({
      projectName: 'shop',
      schedule: '0 6 * * *',
      retries: 3,
      retryDelaySeconds: 30,
      tags: ['shop'],
      testBehavior: 'after_each',
      maxActiveTasks: 6,
      projectDirFromDag: '../..',
      tspipeFromProject: 'node_modules/tspipe/bin/tspipe.js',
    });
    expect(input({ ...FILES, 'project.yml': 'name: shop\nthreads: 3\n' }).maxActiveTasks).toBe(3);
  });

  it("runs tspipe's own bin when the project is the tspipe package (the gaming pipeline), else the npm dependency", () => {
    expect(input({ ...FILES, 'package.json': '{"name": "tspipe"}' }).tspipeFromProject).toBe('bin/tspipe.js');
    expect(input({ ...FILES, 'package.json': '{"name": "shop", "dependencies": {"tspipe": "*"}}' }).tspipeFromProject).toBe(
      'node_modules/tspipe/bin/tspipe.js',
    );
  });

  it('has defaults without an airflow block, and a description from the __overview__ doc block', () => {
    const plain = input({ ...FILES, 'project.yml': 'name: shop\n' });
    expect(plain).toMatchObject({
      schedule: AIRFLOW_DEFAULTS.schedule,
      retries: AIRFLOW_DEFAULTS.retries,
      retryDelaySeconds: AIRFLOW_DEFAULTS.retryDelaySeconds,
      tags: ['tspipe'],
      testBehavior: 'build',
      maxActiveTasks: 4,
    });
    expect(plain.description).toMatch(/^The shop project/);
    const documented = input({ ...FILES, 'models/overview.md': '{% docs __overview__ %}\nOrders and\ncustomers.\n\nMore text.\n{% enddocs %}\n' });
    expect(documented.description).toBe('Orders and customers.');
  });
});

describe('tspipe airflow: write and --check', () => {
  it('writes airflow/dags/<project>.py, then --check passes; a stale or missing file fails the check', () => {
    const dir = writeTempProject(FILES);
    const file = path.join(dir, 'airflow/dags/shop.py');
    expect(airflowDag({ projectDir: dir, check: true }, {})).toMatchObject({ status: 'missing', path: file });
    expect(airflowDag({ projectDir: dir }, {})).toMatchObject({ status: 'written', path: file, dagId: 'shop', tasks: 7 });
    const first = readFileSync(file, 'utf8');
    // Same project, same bytes, whatever the shell says about the database.
    expect(airflowDag({ projectDir: dir }, { TSPIPE_DATABASE_URL: 'postgres://x@y/z' })).toMatchObject({ status: 'unchanged' });
    expect(airflowDag({ projectDir: dir, check: true }, {})).toMatchObject({ status: 'current' });

    writeFileSync(path.join(dir, 'models/customers.sql'), "select * from {{ ref('raw_customers') }} where id > 0 -- {{ ref('orders') }}");
    expect(airflowDag({ projectDir: dir, check: true }, {})).toMatchObject({ status: 'stale', firstDifferentLine: expect.any(Number) });
    expect(readFileSync(file, 'utf8')).toBe(first);
    expect(airflowDag({ projectDir: dir }, {}).status).toBe('written');
    expect(readFileSync(file, 'utf8')).toContain('    ("orders", "customers"),');
  });

  it('points the DAG at the project from wherever --out puts it', () => {
    const dir = writeTempProject(FILES);
    const out = path.join(dir, 'elsewhere/deep/dags/shop_dag.py');
    expect(airflowDag({ projectDir: dir, out }, {}).status).toBe('written');
    expect(readFileSync(out, 'utf8')).toContain('PROJECT_DIR_FROM_DAG = ["..", "..", ".."]');
  });

  it('the committed DAG of the gaming pipeline is current (what CI checks)', () => {
    const outcome = airflowDag({ projectDir: REPO_ROOT, check: true }, {});
    expect(outcome.status, 'run `node bin/tspipe.js airflow` and commit airflow/dags/gaming_kpis.py').toBe('current');
  });

  it("airflow/Dockerfile sets the latency settings of setup.sh's set_config.py --low-latency", () => {
    const script = readFileSync(path.join(REPO_ROOT, 'airflow/scripts/set_config.py'), 'utf8');
    const block = script.slice(script.indexOf('LOW_LATENCY = {'), script.indexOf('\n}\n', script.indexOf('LOW_LATENCY = {')));
    const settings = [...block.matchAll(/^\s+"(\w+)\.(\w+)": "([^"]*)",$/gm)];
    expect(settings.length).toBeGreaterThanOrEqual(2);
    const dockerfile = readFileSync(path.join(REPO_ROOT, 'airflow/Dockerfile'), 'utf8');
    for (const [, section, key, value] of settings) expect(dockerfile).toContain(`AIRFLOW__${section.toUpperCase()}__${key.toUpperCase()}=${value}`);
  });
});
