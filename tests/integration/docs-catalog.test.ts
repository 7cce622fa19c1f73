/**
 * `docs generate` writes dbt's target/catalog.json: every built node and existing
 * source table with its kind and columns (types as format_type prints them); what is
 * not built yet is left out.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDocs } from '../../src/api/docs.js';
import type { CatalogJson } from '../../src/emit/catalog-json.js';
import { TEST_DATABASES } from '../support/databases.js';
import { createProject, type TestProject } from '../support/project.js';

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`catalog.json on ${db.name}`, () => {
    let project: TestProject | undefined;
    afterEach(async () => {
      await project?.cleanup();
      project = undefined;
    });

    it('lists built relations and source tables with their columns', async () => {
      project = await createProject(db, {
        'models/sources.yml': 'version: 2\nsources:\n  - name: app\n    schema: app_raw\n    tables: [{name: users}, {name: missing}]\n',
        'models/users.sql': "{{ config(materialized='table') }}select id, name::varchar(20) as name from {{ source('app', 'users') }}",
        'models/user_names.sql': "select name from {{ ref('users') }}",
        'models/later.sql': "{{ config(materialized='table') }}select 1 as id",
        'seeds/plans.csv': 'plan,price\nfree,0\n',
      });
      await project.query('create schema app_raw');
      await project.query('create table app_raw.users (id bigint, name text)');
      expect((await project.run('build', { exclude: ['later'] })).exitCode).toBe(0);
      await generateDocs(project.options, { env: project.env });
      const catalog = JSON.parse(readFileSync(path.join(project.dir, 'target/catalog.json'), 'utf8')) as CatalogJson;
      expect(Object.keys(catalog.nodes).sort()).toEqual(['model.test_project.user_names', 'model.test_project.users', 'seed.test_project.plans']);
      expect(catalog.nodes['model.test_project.users']!.metadata).toMatchObject({ type: 'BASE TABLE', schema: 'public', name: 'users' });
      expect(catalog.nodes['model.test_project.users']!.columns).toEqual({
        id: { type: 'bigint', index: 1, name: 'id', comment: null },
        name: { type: 'character varying(20)', index: 2, name: 'name', comment: null },
      });
      expect(catalog.nodes['model.test_project.user_names']!.metadata.type).toBe('VIEW');
      expect(Object.keys(catalog.sources)).toEqual(['source.test_project.app.users']);
      expect(catalog.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/catalog/v1.json');
    }, 120_000);
  });
}
