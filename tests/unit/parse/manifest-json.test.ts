import { describe, expect, it } from 'vitest';
import type { Manifest, ModelNode, SourceNode, TestNode } from '../../../src/parse/manifest.js';
import { manifestToJson } from '../../../src/parse/manifest-json.js';

const base = { packageName: 'p', description: '', columns: {}, checksum: 'x' };

const model: ModelNode = {
  ...base,
  uniqueId: 'model.p.odd',
  resourceType: 'model',
  name: 'odd',
  originalFilePath: 'models/odd.sql',
  fqn: ['p', 'odd'],
  rawCode: 'select 1',
  config: { enabled: true, materialized: 'table', tags: [], alias: 'say "hi"' },
  relation: { schema: 'clean', identifier: 'say "hi"' },
  refs: [],
  sources: [],
  dependsOn: [],
  tests: [],
};

const source: SourceNode = {
  uniqueId: 'source.p.raw.events',
  resourceType: 'source',
  name: 'events',
  sourceName: 'raw',
  packageName: 'p',
  originalFilePath: 'models/sources.yml',
  fqn: ['p', 'raw', 'events'],
  description: '',
  relation: { schema: 'raw"', identifier: 'events' },
  columns: {},
  tags: [],
  tests: [],
};

function test(name: string, storeFailures: boolean): TestNode {
  return {
    ...base,
    uniqueId: `test.p.${name}`,
    resourceType: 'test',
    testType: 'singular',
    name,
    originalFilePath: `tests/${name}.sql`,
    fqn: ['p', name],
    config: { enabled: true, materialized: 'test', tags: [], store_failures: storeFailures },
    relation: { schema: 'audit', identifier: `${name}"x` },
    dependsOn: [model.uniqueId],
    refs: [],
    sources: [],
  };
}

const manifest: Manifest = {
  projectName: 'p',
  generatedAt: '2024-01-01T00:00:00.000Z',
  nodes: { [model.uniqueId]: model, 'test.p.kept': test('kept', true), 'test.p.not_kept': test('not_kept', false) },
  sources: { [source.uniqueId]: source },
  macros: {},
  docs: {},
  refIndex: { odd: { p: model.uniqueId } },
  rootPackage: 'p',
};

describe('manifest.json relation_name', () => {
  const json = manifestToJson(manifest, { version: '0', target: 'dev' }) as {
    nodes: Record<string, { relation_name: string | null }>;
    sources: Record<string, { relation_name: string }>;
  };

  it('quotes names with a double quote in them so the SQL name stays one identifier', () => {
    expect(json.nodes['model.p.odd'].relation_name).toBe('"clean"."say ""hi"""');
    expect(json.sources['source.p.raw.events'].relation_name).toBe('"raw"""."events"');
    expect(json.nodes['test.p.kept'].relation_name).toBe('"audit"."kept""x"');
  });

  it('gives tests a relation only when they store their failures (as dbt)', () => {
    expect(json.nodes['test.p.not_kept'].relation_name).toBeNull();
  });
});
