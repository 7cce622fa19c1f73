/** The lineage data of the docs site, from manifest and run results as written under target/. */
import { describe, expect, it } from 'vitest';
import { buildLineage, layerOf } from '../../../src/emit/docs-graph.js';
import type { ManifestJson, ManifestJsonNode, RunResultsJson } from '../../../src/emit/docs-types.js';

function model(name: string, folder: string, parents: string[], extra: Partial<ManifestJsonNode> = {}): ManifestJsonNode {
  return {
    unique_id: `model.p.${name}`,
    resource_type: 'model',
    name,
    fqn: ['p', folder, name],
    original_file_path: `models/${folder}/${name}.sql`,
    description: '',
    columns: {},
    config: { materialized: 'table', tags: [], enabled: true },
    tags: [],
    relation_name: `"${folder}"."${name}"`,
    depends_on: { nodes: parents },
    raw_code: `select * from {{ ref('x') }}`,
    ...extra,
  };
}

const MANIFEST: ManifestJson = {
  metadata: { project_name: 'p', generated_at: '2024-01-01T00:00:00Z' },
  nodes: {
    'seed.p.users': { unique_id: 'seed.p.users', resource_type: 'seed', name: 'users', fqn: ['p', 'users'], depends_on: { nodes: [] }, config: {} },
    'model.p.kpi_users': model('kpi_users', 'kpi', ['model.p.clean_users']),
    'model.p.raw_users': model('raw_users', 'raw', ['seed.p.users']),
    'model.p.clean_users': model('clean_users', 'clean', ['model.p.raw_users', 'source.p.landing.rejects'], {
      description: 'Users, **typed**.',
      columns: {
        user_id: { name: 'user_id', description: 'The `id`.', tests: ['unique', { relationships: { to: "ref('x')", field: 'id' } }] },
        email: { name: 'email', description: '' },
      },
    }),
  },
  sources: {
    'source.p.landing.rejects': {
      unique_id: 'source.p.landing.rejects',
      resource_type: 'source',
      source_name: 'landing',
      name: 'rejects',
      fqn: ['p', 'landing', 'rejects'],
      relation_name: '"landing"."rejects"',
    },
  },
};

const RUN: RunResultsJson = {
  metadata: { command: 'build', generated_at: '2024-01-02T00:00:00Z' },
  results: [
    {
      unique_id: 'model.p.clean_users',
      status: 'success',
      execution_time: 0.42,
      timing: [{ name: 'execute', started_at: '2024-01-02T00:00:00Z', completed_at: '2024-01-02T00:00:01Z' }],
      adapter_response: { rows_affected: 3044, verb: 'created table' },
    },
    { unique_id: 'test.p.not_null_clean_users_email', status: 'fail', failures: 2 },
  ],
};

describe('lineage data', () => {
  it('puts seeds and sources first, model folders in flow order, tests last', () => {
    const withTest: ManifestJson = {
      ...MANIFEST,
      nodes: {
        ...MANIFEST.nodes,
        't.1': { unique_id: 't.1', resource_type: 'test', name: 't', depends_on: { nodes: ['model.p.kpi_users'] } },
      },
    };
    expect(buildLineage({ manifest: withTest }).layers).toEqual(['seed', 'source', 'raw', 'clean', 'kpi', 'test']);
  });

  it('layers models by the folder under the model path', () => {
    expect(layerOf({ resource_type: 'model', fqn: ['p', 'staging', 'stg_orders'] })).toBe('staging');
    expect(layerOf({ resource_type: 'model', fqn: ['p', 'orders'] })).toBe('models');
    expect(layerOf({ resource_type: 'seed', fqn: ['p', 'users'] })).toBe('seed');
  });

  it('links upstream and downstream, and draws one edge per dependency', () => {
    const { nodes, edges } = buildLineage({ manifest: MANIFEST });
    const clean = nodes.find((n) => n.name === 'clean_users')!;
    expect(clean.upstream).toEqual(['model.p.raw_users', 'source.p.landing.rejects']);
    expect(clean.downstream).toEqual(['model.p.kpi_users']);
    expect(edges).toContainEqual({ source: 'source.p.landing.rejects', target: 'model.p.clean_users' });
    expect(edges).toHaveLength(4);
    expect(nodes.find((n) => n.resourceType === 'source')!.label).toBe('landing.rejects');
  });

  it('carries docs, columns with their YAML tests, SQL and the last run', () => {
    const { nodes } = buildLineage({ manifest: MANIFEST, runResults: RUN, compiledSql: { 'model.p.clean_users': 'select 1' } });
    const clean = nodes.find((n) => n.name === 'clean_users')!;
    expect(clean.descriptionHtml).toBe('<p>Users, <strong>typed</strong>.</p>');
    expect(clean.columns.map((c) => c.name)).toEqual(['user_id', 'email']);
    expect(clean.columns[0]!.descriptionHtml).toBe('<p>The <code>id</code>.</p>');
    expect(clean.columns[0]!.tests.map((t) => t.label)).toEqual(['unique', "relationships(to: ref('x'), field: id)"]);
    expect(clean.rawSql).toContain('ref(');
    expect(clean.compiledSql).toBe('select 1');
    expect(clean.lastRun).toMatchObject({ status: 'success', executionTime: 0.42, rowsAffected: 3044, command: 'build', startedAt: '2024-01-02T00:00:00Z' });
    expect(nodes.find((n) => n.name === 'raw_users')!.lastRun).toBeNull();
    expect(clean.config).toEqual({ enabled: true, materialized: 'table' });
  });

  it('attaches test nodes to their model and column, with their run status', () => {
    const manifest: ManifestJson = {
      ...MANIFEST,
      nodes: {
        ...MANIFEST.nodes,
        'test.p.not_null_clean_users_email': {
          unique_id: 'test.p.not_null_clean_users_email',
          resource_type: 'test',
          name: 'not_null_clean_users_email',
          attached_node: 'model.p.clean_users',
          column_name: 'email',
          test_metadata: { name: 'not_null', kwargs: { column_name: 'email' } },
          depends_on: { nodes: ['model.p.clean_users'] },
        },
        'test.p.rows': {
          unique_id: 'test.p.rows',
          resource_type: 'test',
          name: 'rows',
          column_name: null,
          test_metadata: { name: 'row_count', kwargs: { min: 3, max: 3 } },
          depends_on: { nodes: ['model.p.clean_users'] },
        },
      },
    };
    const { nodes } = buildLineage({ manifest, runResults: RUN });
    const clean = nodes.find((n) => n.name === 'clean_users')!;
    // test nodes replace the YAML declarations: they have a status
    expect(clean.columns.find((c) => c.name === 'email')!.tests).toEqual([
      { id: 'test.p.not_null_clean_users_email', label: 'not_null', column: 'email', status: 'fail' },
    ]);
    expect(clean.columns.find((c) => c.name === 'user_id')!.tests).toEqual([]);
    expect(clean.tests.map((t) => t.label)).toEqual(['row_count(min: 3, max: 3)']);
    const test = nodes.find((n) => n.id === 'test.p.not_null_clean_users_email')!;
    expect(test).toMatchObject({ layer: 'test', label: 'not_null on email', upstream: ['model.p.clean_users'] });
    expect(test.lastRun).toMatchObject({ status: 'fail', failures: 2 });
  });
});
