/**
 * dbt's model versions: `versions:` in schema YAML, one node per version
 * (model.pkg.name.v2, table name_v2 unless aliased), ref() to the latest version or
 * to `v=`, each version's columns as include/exclude says, tests per version.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listNodes } from '../../src/api/list-nodes.js';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

const FILES = {
  'dbt_project.yml': "name: shop\nversion: '1.0.0'\nprofile: shop\nmodels:\n  shop:\n    +materialized: table\n",
  'models/dim_customers_v1.sql': "select 1 as id, 'a' as name, 'x' as legacy",
  'models/dim_customers_v2.sql': "select 1 as id, 'a' as name",
  'models/dim_customers_next.sql': "select 1 as id, 'a' as name, true as vip",
  'models/current_customers.sql': "select * from {{ ref('dim_customers') }}",
  'models/old_customers.sql': "select * from {{ ref('dim_customers', v=1) }}",
  'models/schema.yml': `version: 2
models:
  - name: dim_customers
    latest_version: 2
    columns:
      - name: id
        data_tests: [not_null]
      - name: legacy
        data_tests: [not_null]
    versions:
      - v: 1
      - v: 2
        columns:
          - include: all
            exclude: [legacy]
      - v: 3
        defined_in: dim_customers_next
        config: {alias: dim_customers_preview}
        columns:
          - include: [id]
`,
};

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`model versions on ${db.name}`, () => {
    let project: TestProject | undefined;
    afterEach(async () => {
      await project?.cleanup();
      project = undefined;
    });

    it('builds each version, refs the latest or the one asked for, tests each version', async () => {
      project = await createProject(db, FILES);
      const build = await project.run('build');
      expect(build.exitCode).toBe(0);
      const ids = build.results.map((r) => r.uniqueId);
      expect(ids).toEqual(expect.arrayContaining(['model.shop.dim_customers.v1', 'model.shop.dim_customers.v2', 'model.shop.dim_customers.v3']));
      expect(ids.filter((id) => id.startsWith('test.')).sort()).toEqual([
        'test.shop.not_null_dim_customers_v1_id',
        'test.shop.not_null_dim_customers_v1_legacy',
        'test.shop.not_null_dim_customers_v2_id',
        'test.shop.not_null_dim_customers_v3_id',
      ]);
      const columns = (table: string) =>
        project!.query<{ c: string }>(`select column_name as c from information_schema.columns where table_name = '${table}' order by ordinal_position`);
      expect((await columns('current_customers')).map((r) => r.c)).toEqual(['id', 'name']);
      expect((await columns('old_customers')).map((r) => r.c)).toEqual(['id', 'name', 'legacy']);
      expect((await columns('dim_customers_preview')).map((r) => r.c)).toEqual(['id', 'name', 'vip']);

      const manifest = JSON.parse(readFileSync(path.join(project.dir, 'target/manifest.json'), 'utf8'));
      expect(manifest.nodes['model.shop.dim_customers.v2']).toMatchObject({ name: 'dim_customers', version: 2, latest_version: 2, alias: 'dim_customers_v2' });
      expect(manifest.nodes['model.shop.current_customers'].depends_on.nodes).toEqual(['model.shop.dim_customers.v2']);
      const listed = listNodes({ ...project.options, select: ['dim_customers'], resourceTypes: ['model'] }, project.env).nodes.map((n) => n.unique_id);
      expect(listed.sort()).toEqual(['model.shop.dim_customers.v1', 'model.shop.dim_customers.v2', 'model.shop.dim_customers.v3']);
      const byVersion = (select: string) =>
        listNodes({ ...project!.options, select: [select], resourceTypes: ['model'] }, project!.env).nodes.map((n) => n.unique_id);
      expect(byVersion('version:latest')).toEqual(['model.shop.dim_customers.v2']);
      expect(byVersion('version:prerelease')).toEqual(['model.shop.dim_customers.v3']);
      expect(byVersion('version:old')).toEqual(['model.shop.dim_customers.v1']);
      expect(byVersion('dim_customers.v1')).toEqual(['model.shop.dim_customers.v1']);
    }, 120_000);
  });
}
