import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { buildDag, selectNodes, type GraphNode, type SelectOptions, type StateLookup } from '../../../src/graph/index.js';

type Extra = Partial<GraphNode>;
const P = 'gaming';

function model(path: string, deps: string[], extra: Extra = {}): GraphNode {
  const parts = path.replace(/\.sql$/, '').split('/');
  const name = parts[parts.length - 1];
  const pkg = extra.packageName ?? P;
  return {
    uniqueId: `model.${pkg}.${name}`,
    name,
    resourceType: 'model',
    packageName: pkg,
    fqn: [pkg, ...parts.slice(1)],
    originalFilePath: path,
    tags: [],
    config: { materialized: 'view' },
    dependsOn: deps,
    ...extra,
  };
}

function seed(path: string): GraphNode {
  const parts = path.replace(/\.csv$/, '').split('/');
  const name = parts[parts.length - 1];
  return { ...model(path, []), uniqueId: `seed.${P}.${name}`, name, resourceType: 'seed', fqn: [P, ...parts.slice(1)], config: {} };
}

function source(sourceName: string, name: string, file: string): GraphNode {
  return {
    ...model(file, []),
    uniqueId: `source.${P}.${sourceName}.${name}`,
    name,
    resourceType: 'source',
    fqn: [P, sourceName, name],
    config: {},
    sourceName,
  };
}

function test(name: string, deps: string[], file: string, testType: 'generic' | 'singular', config = {}): GraphNode {
  const folders = file.split('/').slice(1, -1);
  return {
    ...model(file, deps),
    uniqueId: `test.${P}.${name}`,
    name,
    resourceType: 'test',
    fqn: [P, ...folders, name],
    config,
    testType,
    attachedNode: deps[0],
  };
}

const m = (name: string) => `model.${P}.${name}`;

// users(seed) -> stg_users -> clean_users -> clean_events -> kpi_user, kpi_month
// events(source) -> stg_events -> clean_events;  games(seed) -> clean_events
const NODES: GraphNode[] = [
  seed('seeds/users.csv'),
  seed('seeds/ref/games.csv'),
  source('raw', 'events', 'models/sources.yml'),
  source('raw', 'sessions', 'models/sources.yml'),
  source('crm', 'accounts', 'models/crm.yml'),
  model('models/staging/stg_users.sql', [`seed.${P}.users`], { tags: ['daily'] }),
  model('models/staging/stg_events.sql', [`source.${P}.raw.events`], { tags: ['daily', 'raw'] }),
  model('models/clean/clean_users.sql', [m('stg_users')], { config: { materialized: 'table' } }),
  model('models/clean/clean_events.sql', [m('stg_events'), m('clean_users'), `seed.${P}.games`], {
    tags: ['hourly'],
    config: { materialized: 'incremental', unique_key: 'event_id' },
  }),
  model('models/kpi/kpi_user.sql', [m('clean_users'), m('clean_events')], {
    tags: ['kpi'],
    config: { materialized: 'table', tags: ['kpi', 'finance'] },
  }),
  model('models/kpi/monthly/kpi_month.sql', [m('clean_events')], {
    tags: ['kpi', 'daily_kpi'],
    config: { materialized: 'table' },
  }),
  model('models/clean/old_model.sql', [m('clean_users')], { config: { enabled: false } }),
  model('models/clean/after_old.sql', [m('old_model')]),
  model('models/util_dates.sql', [], { packageName: 'utils', config: { materialized: 'ephemeral' } }),
  test('not_null_clean_users_id', [m('clean_users')], 'models/clean/schema.yml', 'generic'),
  test('relationships_clean_events_user_id', [m('clean_events'), m('clean_users')], 'models/clean/schema.yml', 'generic'),
  test('assert_kpi_positive', [m('kpi_user')], 'tests/assert_kpi_positive.sql', 'singular'),
  test('source_not_null_raw_events_id', [`source.${P}.raw.events`], 'models/sources.yml', 'generic', { severity: 'warn' }),
];
const DAG = buildDag(NODES);
const NAME = new Map(NODES.map((n) => [n.uniqueId, n.name]));

function run(select: string | string[] | undefined, options: Omit<SelectOptions, 'select'> = {}) {
  const list = select === undefined ? undefined : Array.isArray(select) ? select : [select];
  return selectNodes(NODES, DAG, { select: list, ...options });
}
/** Sorted names of what was selected. */
function names(select: string | string[] | undefined, options: Omit<SelectOptions, 'select'> = {}): string[] {
  return [...run(select, options).selected].map((id) => NAME.get(id)!).sort();
}
const MODELS = { resourceTypes: ['model'] };

describe('selectNodes: no selector', () => {
  it('selects every enabled node', () => {
    const all = names(undefined);
    expect(all).toHaveLength(NODES.length - 1);
    expect(all).not.toContain('old_model');
    expect(all).toContain('after_old');
  });

  it('filters by resource type at the end', () => {
    expect(names(undefined, { resourceTypes: ['seed'] })).toEqual(['games', 'users']);
  });
});

describe('graph operators', () => {
  it('name alone, with its tests (eager)', () => {
    expect(names('clean_users')).toEqual(['clean_users', 'not_null_clean_users_id', 'relationships_clean_events_user_id']);
    expect(names('clean_users', MODELS)).toEqual(['clean_users']);
  });

  it('+name: all ancestors', () => {
    expect(names('+clean_users', { resourceTypes: ['model', 'seed'] })).toEqual(['clean_users', 'stg_users', 'users']);
  });

  it('name+: all descendants, never through a disabled node', () => {
    expect(names('clean_users+')).toEqual([
      'assert_kpi_positive',
      'clean_events',
      'clean_users',
      'kpi_month',
      'kpi_user',
      'not_null_clean_users_id',
      'relationships_clean_events_user_id',
    ]);
  });

  it('n+name and name+n limit the depth', () => {
    expect(names('1+clean_events', { resourceTypes: ['model', 'seed'] })).toEqual(['clean_events', 'clean_users', 'games', 'stg_events']);
    expect(names('2+kpi_month', { resourceTypes: ['model', 'seed'] })).toEqual(['clean_events', 'clean_users', 'games', 'kpi_month', 'stg_events']);
    expect(names('clean_users+1', MODELS)).toEqual(['clean_events', 'clean_users', 'kpi_user']);
  });

  it('+name+ both ways, sources included', () => {
    expect(names('+stg_events+', { resourceTypes: ['model', 'source'] })).toEqual(['clean_events', 'events', 'kpi_month', 'kpi_user', 'stg_events']);
  });

  it('@name: descendants and all their ancestors', () => {
    expect(names('@stg_users', { resourceTypes: ['model', 'seed', 'source'] })).toEqual([
      'clean_events',
      'clean_users',
      'events',
      'games',
      'kpi_month',
      'kpi_user',
      'stg_events',
      'stg_users',
      'users',
    ]);
  });

  it('returns the selection in topological order', () => {
    const { ordered } = run('+kpi_month', { resourceTypes: ['model', 'seed', 'source'] });
    // Kahn's order over the whole graph with the smallest ready id first, then filtered
    expect(ordered.map((id) => NAME.get(id))).toEqual(['games', 'users', 'stg_users', 'clean_users', 'events', 'stg_events', 'clean_events', 'kpi_month']);
    // parents always come first
    const pos = new Map(ordered.map((id, i) => [id, i]));
    for (const id of ordered) for (const p of DAG.parentsOf(id)) if (pos.has(p)) expect(pos.get(p)!).toBeLessThan(pos.get(id)!);
  });
});

describe('methods', () => {
  it('tag, with wildcards', () => {
    expect(names('tag:daily', MODELS)).toEqual(['stg_events', 'stg_users']);
    expect(names('tag:daily*', MODELS)).toEqual(['kpi_month', 'stg_events', 'stg_users']);
  });

  it('path: folder prefix, exact file, globs, and bare paths', () => {
    expect(names('path:models/kpi', MODELS)).toEqual(['kpi_month', 'kpi_user']);
    expect(names('models/kpi/', MODELS)).toEqual(['kpi_month', 'kpi_user']);
    expect(names('path:models/kpi/monthly/kpi_month.sql')).toEqual(['kpi_month']);
    expect(names('path:models/kp', MODELS)).toEqual([]);
    expect(names('path:models/*/kpi_*.sql', MODELS)).toEqual(['kpi_user']);
    expect(names('path:models/**/kpi_*.sql', MODELS)).toEqual(['kpi_month', 'kpi_user']);
    expect(names('path:models/sources.yml', { indirectSelection: 'empty' })).toEqual(['events', 'sessions', 'source_not_null_raw_events_id']);
  });

  it('file: by file name or stem; bare words ending in .sql/.csv', () => {
    expect(names('clean_users.sql', MODELS)).toEqual(['clean_users']);
    expect(names('users.csv', { resourceTypes: ['seed'] })).toEqual(['users']);
    expect(names('file:clean_users', MODELS)).toEqual(['clean_users']);
  });

  it('config: any key, list values, booleans and case-insensitive severity', () => {
    expect(names('config.materialized:table', MODELS)).toEqual(['clean_users', 'kpi_month', 'kpi_user']);
    expect(names('config.tags:finance', MODELS)).toEqual(['kpi_user']);
    expect(names('config.unique_key:event_id', MODELS)).toEqual(['clean_events']);
    expect(names('config.severity:WARN')).toEqual(['source_not_null_raw_events_id']);
    expect(names('config.materialized.deep:x')).toEqual([]);
  });

  it('resource_type', () => {
    expect(names('resource_type:seed')).toEqual(['games', 'users']);
    expect(names('resource_type:source', { indirectSelection: 'empty' })).toEqual(['accounts', 'events', 'sessions']);
  });

  it('source: name, name.table, package.name.table, with descendants', () => {
    expect(names('source:raw', { indirectSelection: 'empty' })).toEqual(['events', 'sessions']);
    expect(names('source:raw.events', { indirectSelection: 'empty' })).toEqual(['events']);
    expect(names('source:gaming.crm.*')).toEqual(['accounts']);
    expect(names('source:raw+', MODELS)).toEqual(['clean_events', 'kpi_month', 'kpi_user', 'stg_events']);
  });

  it('test_type', () => {
    expect(names('test_type:generic')).toEqual(['not_null_clean_users_id', 'relationships_clean_events_user_id', 'source_not_null_raw_events_id']);
    expect(names('test_type:singular')).toEqual(['assert_kpi_positive']);
  });

  it('package, explicit or as a bare word', () => {
    expect(names('package:utils')).toEqual(['util_dates']);
    expect(names('utils')).toEqual(['util_dates']);
    expect(names('package:gam*', { resourceTypes: ['seed'] })).toEqual(['games', 'users']);
  });

  it('fqn: name, folder, dotted path, package-qualified, wildcards', () => {
    expect(names('clean', MODELS)).toEqual(['after_old', 'clean_events', 'clean_users']);
    expect(names('clean', { indirectSelection: 'empty', resourceTypes: ['test'] })).toEqual(['not_null_clean_users_id', 'relationships_clean_events_user_id']);
    expect(names('clean.clean_users', MODELS)).toEqual(['clean_users']);
    expect(names('kpi.monthly', MODELS)).toEqual(['kpi_month']);
    expect(names('gaming.kpi.monthly.kpi_month', MODELS)).toEqual(['kpi_month']);
    expect(names('fqn:gaming.kpi.*', MODELS)).toEqual(['kpi_month', 'kpi_user']);
    expect(names('staging.stg_*', MODELS)).toEqual(['stg_events', 'stg_users']);
    expect(names('fqn:*', { resourceTypes: ['source'] })).toEqual([]);
    expect(names('fqn:*', MODELS)).toHaveLength(8);
  });

  it('a dotless wildcard also matches node names (tspipe addition)', () => {
    expect(names('stg_*', MODELS)).toEqual(['stg_events', 'stg_users']);
    expect(names('kpi_?ser', MODELS)).toEqual(['kpi_user']);
  });
});

describe('set operations', () => {
  it('unions: spaces and several --select values', () => {
    const expected = ['kpi_month', 'kpi_user', 'stg_users'];
    expect(names('tag:kpi stg_users', MODELS)).toEqual(expected);
    expect(names(['tag:kpi', 'stg_users'], MODELS)).toEqual(expected);
    expect(names(['  tag:kpi  ', ' stg_users'], MODELS)).toEqual(expected);
  });

  it('intersections: commas', () => {
    expect(names('tag:kpi,config.materialized:table', MODELS)).toEqual(['kpi_month', 'kpi_user']);
    expect(names('path:models/clean,config.materialized:table', MODELS)).toEqual(['clean_users']);
    expect(names('clean_users+,tag:kpi')).toEqual(['assert_kpi_positive', 'kpi_month', 'kpi_user']);
  });

  it('exclusions remove the node and, eagerly, its tests', () => {
    expect(names('clean_users+', { exclude: ['kpi_user'] })).toEqual([
      'clean_events',
      'clean_users',
      'kpi_month',
      'not_null_clean_users_id',
      'relationships_clean_events_user_id',
    ]);
    expect(names('clean_users+', { exclude: ['clean_events'], resourceTypes: ['test'] })).toEqual(['assert_kpi_positive', 'not_null_clean_users_id']);
    expect(names(undefined, { exclude: ['tag:daily tag:kpi', 'resource_type:test'], resourceTypes: ['model'] })).toEqual([
      'after_old',
      'clean_events',
      'clean_users',
      'util_dates',
    ]);
    expect(names('+kpi_month', { exclude: ['+clean_users'], resourceTypes: ['model'] })).toEqual(['clean_events', 'kpi_month', 'stg_events']);
  });
});

describe('indirect selection', () => {
  const tests = (select: string | string[], mode: SelectOptions['indirectSelection']) => names(select, { indirectSelection: mode, resourceTypes: ['test'] });

  it('eager: a test comes with any selected parent', () => {
    expect(tests('clean_events', 'eager')).toEqual(['relationships_clean_events_user_id']);
    expect(tests('clean_users', undefined)).toEqual(['not_null_clean_users_id', 'relationships_clean_events_user_id']);
  });

  it('cautious: only when all parents are selected, also across a union', () => {
    expect(tests('clean_events', 'cautious')).toEqual([]);
    expect(tests('clean_users', 'cautious')).toEqual(['not_null_clean_users_id']);
    expect(tests('clean_users clean_events', 'cautious')).toEqual(['not_null_clean_users_id', 'relationships_clean_events_user_id']);
  });

  it('buildable: parents selected or upstream of the selection', () => {
    expect(tests('clean_events', 'buildable')).toEqual(['relationships_clean_events_user_id']);
    expect(tests('clean_users', 'buildable')).toEqual(['not_null_clean_users_id']);
  });

  it('empty: no test unless selected itself', () => {
    expect(tests('+clean_events', 'empty')).toEqual([]);
    expect(tests('not_null_clean_users_id', 'empty')).toEqual(['not_null_clean_users_id']);
  });
});

describe('unmatched and malformed selectors', () => {
  it('reports selectors that match nothing, without failing', () => {
    const result = run(['nope tag:kpi', 'tag:kpi,tag:daily', 'old_model'], { exclude: ['tag:none'] });
    expect(result.unmatched).toEqual(['nope', 'tag:kpi,tag:daily', 'old_model', 'tag:none']);
    expect([...result.selected].map((id) => NAME.get(id)).sort()).toEqual(['assert_kpi_positive', 'kpi_month', 'kpi_user']);
  });

  it.each([
    ['+', 'no value'],
    ['3+', 'no value'],
    ['tag:', 'no value'],
    ['foo:bar', 'unknown method "foo"'],
    ['@clean_users+', '"@" prefix'],
    ['config:table', 'config needs a key'],
    ['tag.x:y', 'takes no'],
    ['resource_type:widget', 'unknown resource type'],
    ['test_type:fuzzy', 'unknown test type'],
    ['source:a.b.c.d', 'source:name'],
    ['a,,b', 'empty part'],
  ])('%s is a UsageError', (selector, why) => {
    let error: unknown;
    try {
      run(selector);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain(`"${selector}"`);
    expect((error as UsageError).message).toContain(why);
    expect((error as UsageError).hint).toContain('valid methods: fqn, tag, path');
  });

  it('validates --exclude too', () => {
    expect(() => run(undefined, { exclude: ['bogus:x'] })).toThrowError(UsageError);
  });
});

describe('state: and result: (with --state)', () => {
  // A previous run where clean_users changed, kpi_month is new and stg_events errored.
  const state: StateLookup = {
    matchesState: (id, value) =>
      (value === 'new' && id === m('kpi_month')) ||
      (value.startsWith('modified') && (id === m('kpi_month') || (id === m('clean_users') && value !== 'modified.configs'))),
    resultOf: (id) => (id === m('stg_events') ? 'error' : id === m('clean_events') ? 'skipped' : 'success'),
    isFresher: (id) => id === `source.${P}.raw.events`,
  };

  it('state:modified and its subselectors, with graph operators', () => {
    expect(names('state:modified', { state, ...MODELS })).toEqual(['clean_users', 'kpi_month']);
    expect(names('state:modified.body', { state, ...MODELS })).toEqual(['clean_users', 'kpi_month']);
    expect(names('state:modified.configs', { state, ...MODELS })).toEqual(['kpi_month']);
    expect(names('state:new', { state, ...MODELS })).toEqual(['kpi_month']);
    expect(names('state:modified+', { state, ...MODELS })).toEqual(['clean_events', 'clean_users', 'kpi_month', 'kpi_user']);
    // Tests of modified models come along.
    expect(names('state:modified', { state, resourceTypes: ['test'] })).toEqual(['not_null_clean_users_id', 'relationships_clean_events_user_id']);
  });

  it('result: by status in the state run, unions and intersections', () => {
    expect(names('result:error+', { state, ...MODELS })).toEqual(['clean_events', 'kpi_month', 'kpi_user', 'stg_events']);
    expect(names(['result:error', 'result:skipped'], { state, ...MODELS })).toEqual(['clean_events', 'stg_events']);
    expect(names('state:modified,tag:kpi', { state, ...MODELS })).toEqual(['kpi_month']);
  });

  it('source_status:fresher picks sources loaded since the state run, and what reads them', () => {
    expect(names('source_status:fresher', { state, resourceTypes: ['source'] })).toEqual(['events']);
    expect(names('source_status:fresher+', { state, ...MODELS })).toEqual(['clean_events', 'kpi_month', 'kpi_user', 'stg_events']);
  });

  it('needs --state, and checks the value', () => {
    expect(() => names('state:modified')).toThrow(/no --state was given/);
    expect(() => names('state:changed', { state })).toThrow(UsageError);
    expect(() => names('result:failed', { state })).toThrow(/unknown result "failed"/);
  });
});
