import { describe, expect, it } from 'vitest';
import { macroBlock, macroCalls, resolveMacroCalls } from '../../../src/parse/macro-dependencies.js';
import { StateComparison, type ManifestJson } from '../../../src/parse/state-comparison.js';

const node = (extra: Record<string, unknown> = {}) => ({
  checksum: 'a',
  config: { materialized: 'table', tags: [] as string[] },
  depends_on: { nodes: [], macros: ['macro.p.outer'] },
  contract: { enforced: false, checksum: null },
  ...extra,
});

function manifest(nodes: ManifestJson['nodes'], macros: ManifestJson['macros'] = {}): ManifestJson {
  return {
    nodes,
    sources: { 'source.p.raw.events': {} },
    macros: {
      'macro.p.outer': { checksum: 'o', depends_on: { macros: ['macro.p.inner'] } },
      'macro.p.inner': { checksum: 'i', depends_on: { macros: [] } },
      ...macros,
    },
  };
}

describe('StateComparison', () => {
  const before = manifest({ 'model.p.m': node() });

  it('sees nothing modified in the same manifest, whatever the key order of config', () => {
    const now = manifest({ 'model.p.m': node({ config: { tags: [], materialized: 'table' } }) });
    const c = new StateComparison(now, before);
    expect(c.isModified('model.p.m')).toBe(false);
    expect(c.isOld('model.p.m')).toBe(true);
    expect(c.isNew('model.p.m')).toBe(false);
  });

  it('tells body, configs, relation and contract changes apart', () => {
    const now = manifest({
      'model.p.m': node({ checksum: 'b', config: { materialized: 'table', tags: [], alias: 'x' }, contract: { enforced: true, checksum: 'c' } }),
    });
    const c = new StateComparison(now, before);
    for (const aspect of ['body', 'configs', 'relation', 'contract'] as const) expect(c.isModified('model.p.m', aspect)).toBe(true);
    expect(c.isModified('model.p.m', 'macros')).toBe(false);
  });

  it('marks a node modified when a macro it calls, even through another macro, changed', () => {
    const now = manifest({ 'model.p.m': node() }, { 'macro.p.inner': { checksum: 'changed', depends_on: { macros: [] } } });
    const c = new StateComparison(now, before);
    expect(c.isModified('model.p.m', 'macros')).toBe(true);
    expect(c.isModified('model.p.m', 'body')).toBe(false);
  });

  it('counts new nodes (and sources) as new and modified, removed ones as neither', () => {
    const now = manifest({ 'model.p.m': node(), 'model.p.n': node() });
    now.sources = { 'source.p.raw.events': {}, 'source.p.raw.users': {} };
    expect(new StateComparison(now, manifest({})).isModified('source.p.raw.users')).toBe(true);
    const c = new StateComparison(now, manifest({ 'model.p.m': node(), 'model.p.gone': node() }));
    expect(c.isNew('model.p.n')).toBe(true);
    expect(c.isModified('model.p.n', 'configs')).toBe(true);
    expect(c.isNew('source.p.raw.users')).toBe(true);
    expect(c.isNew('model.p.gone')).toBe(false);
    expect(c.isModified('model.p.gone')).toBe(false);
  });

  it("compares a source's relation and freshness rule", () => {
    const before = manifest({});
    before.sources = {
      'source.p.raw.events': { schema: 'raw', identifier: 'events', loaded_at_field: 'ts', freshness: { warn_after: { count: 1, period: 'day' } } },
    };
    const now = manifest({});
    now.sources = {
      'source.p.raw.events': { schema: 'raw', identifier: 'events', loaded_at_field: 'ts', freshness: { warn_after: { period: 'day', count: 2 } } },
    };
    const c = new StateComparison(now, before);
    expect(c.isModified('source.p.raw.events')).toBe(true);
    expect(c.isModified('source.p.raw.events', 'configs')).toBe(true);
    expect(c.isModified('source.p.raw.events', 'relation')).toBe(false);
    expect(c.isModified('source.p.raw.events', 'body')).toBe(false);
    expect(new StateComparison(before, before).isModified('source.p.raw.events')).toBe(false);
  });

  it('survives macros that call each other', () => {
    const loop = { 'macro.p.inner': { checksum: 'i', depends_on: { macros: ['macro.p.outer'] } } };
    const c = new StateComparison(manifest({ 'model.p.m': node() }, loop), manifest({ 'model.p.m': node() }, loop));
    expect(c.isModified('model.p.m')).toBe(false);
  });
});

describe('macro dependencies', () => {
  it('finds the calls inside Jinja tags only', () => {
    const sql = "select my_func(x) from t -- not a call\n{{ double('a') }} {% if is_incremental() %}{{ dbt_utils.star(ref('x')) }}{% endif %}";
    expect(macroCalls(sql)).toEqual(['double', 'is_incremental', 'dbt_utils.star', 'ref']);
  });

  it('resolves names in the package, the root project, then the global project', () => {
    const macros = Object.fromEntries(
      ['macro.pkg.double', 'macro.root.double', 'macro.dbt.is_incremental', 'macro.dbt_utils.star'].map((id) => [
        id,
        { name: id.split('.')[2]!, packageName: id.split('.')[1]!, originalFilePath: 'x.sql' },
      ]),
    );
    expect(resolveMacroCalls(['double', 'is_incremental', 'dbt_utils.star', 'ref'], macros, 'root', 'root')).toEqual([
      'macro.dbt.is_incremental',
      'macro.dbt_utils.star',
      'macro.root.double',
    ]);
    expect(resolveMacroCalls(['double'], macros, 'pkg', 'root')).toEqual(['macro.pkg.double']);
  });

  it("cuts a macro's own block out of its file", () => {
    const file = '{% macro a() %}1{% endmacro %}\n\n{% macro b() %}\n2\n{%- endmacro %}\n{% macro c() %}3{% endmacro %}';
    expect(macroBlock(file, 3).trim()).toBe('{% macro b() %}\n2\n{%- endmacro %}');
    expect(macroBlock(file, 1)).toBe('{% macro a() %}1{% endmacro %}');
  });
});
