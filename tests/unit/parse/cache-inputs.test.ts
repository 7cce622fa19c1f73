/**
 * Inputs of the parse caches that are easy to miss (src/CACHES.md): each case changes
 * one and expects the cached project to equal a --no-partial-parse parse.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject, type ProjectOptions } from '../../../src/api/load-project.js';
import type { TestNode } from '../../../src/parse/manifest.js';
import { writeTempProject } from '../../support/temp-project.js';

function uncached(options: ProjectOptions, env: NodeJS.ProcessEnv) {
  return { ...loadProject({ ...options, cache: false }, env).manifest, generatedAt: undefined };
}

describe('parse cache inputs', () => {
  it('env_var() in the project file config is an input', () => {
    const dir = writeTempProject({
      'project.yml': "name: shop\nmodels:\n  shop:\n    +tags: \"{{ env_var('SHOP_T', 'none') }}\"\n",
      'models/a.sql': 'select 1 as x\n',
    });
    expect(loadProject({ projectDir: dir }, {}).manifest.nodes['model.shop.a']!.config.tags).toEqual(['none']);
    const changed = loadProject({ projectDir: dir }, { SHOP_T: 'gold' });
    expect(changed.fromSnapshot).toBe(false);
    expect(changed.manifest.nodes['model.shop.a']!.config.tags).toEqual(['gold']);
    expect({ ...changed.manifest, generatedAt: undefined }).toEqual(uncached({ projectDir: dir }, { SHOP_T: 'gold' }));
  });

  it.each([
    ['flags.WHICH', "{{ config(tags=[flags.WHICH ~ '']) }}", { command: 'run' }, { command: 'test' }, ['test']],
    ['should_full_refresh()', "{{ config(tags=['fr_' ~ should_full_refresh()]) }}", {}, { fullRefresh: true }, ['fr_True']],
  ])('%s read while parsing is an input', (_what, config, before, after, tags) => {
    const dir = writeTempProject({ 'project.yml': 'name: shop\n', 'models/a.sql': `${config}select 1 as x\n`, 'models/b.sql': 'select 2 as y\n' });
    loadProject({ projectDir: dir, ...before }, {});
    expect(loadProject({ projectDir: dir, ...before }, {}).fromSnapshot).toBe(true);
    const changed = loadProject({ projectDir: dir, ...after }, {});
    expect(changed.fromSnapshot).toBe(false);
    expect(changed.manifest.nodes['model.shop.a']!.config.tags).toEqual(tags);
    expect({ ...changed.manifest, generatedAt: undefined }).toEqual(uncached({ projectDir: dir, ...after }, {}));
  });

  it('flags no render read are not an input', () => {
    const dir = writeTempProject({ 'project.yml': 'name: shop\n', 'models/a.sql': 'select 1 as x\n' });
    loadProject({ projectDir: dir, command: 'run' }, {});
    expect(loadProject({ projectDir: dir, command: 'test', fullRefresh: true }, {}).fromSnapshot).toBe(true);
  });

  it.each([
    ['invocation_id', '{{ config(tags=[invocation_id]) }}'],
    ['modules.datetime.datetime.now()', '{{ config(tags=[modules.datetime.datetime.now().isoformat()]) }}'],
    ['modules.datetime.datetime.utcnow()', '{{ config(tags=[modules.datetime.datetime.utcnow().isoformat()]) }}'],
    ['modules.datetime.date.today()', '{{ config(tags=[modules.datetime.date.today().isoformat()]) }}'],
    ["Jinja's random filter", "{{ config(tags=[['a', 'b', 'c'] | random]) }}"],
    ["Jinja's lipsum()", '{{ config(tags=[lipsum(1, false, 5, 6)]) }}'],
  ])('a render that read %s is never reused', (_what, config) => {
    const dir = writeTempProject({ 'project.yml': 'name: shop\n', 'models/a.sql': `${config}select 1 as x\n` });
    const first = loadProject({ projectDir: dir }, {});
    expect(first.manifestKey).toBeUndefined();
    expect(loadProject({ projectDir: dir }, {}).fromSnapshot).toBe(false);
  });

  it('a unit test fixture file is an input', () => {
    const dir = writeTempProject({
      'project.yml': 'name: shop\n',
      'models/a.sql': 'select 1 as x\n',
      'models/b.sql': "select x from {{ ref('a') }}\n",
      'models/schema.yml':
        "unit_tests:\n  - name: t1\n    model: b\n    given:\n      - input: ref('a')\n        format: csv\n        fixture: fx\n    expect:\n      rows:\n        - {x: 1}\n",
      'tests/fixtures/fx.csv': 'x\n1\n',
    });
    const given = (project: ReturnType<typeof loadProject>) => (project.manifest.nodes['unit_test.shop.b.t1'] as TestNode).unitTest!.given;
    const first = loadProject({ projectDir: dir }, {});
    expect(given(first)[0]!.rows).toBe('x\n1\n');
    writeFileSync(join(dir, 'tests/fixtures/fx.csv'), 'x\n7\n');
    const second = loadProject({ projectDir: dir }, {});
    expect(second.fromSnapshot).toBe(false);
    expect(given(second)[0]!.rows).toBe('x\n7\n');
    expect(second.manifestKey).not.toBe(first.manifestKey);
  });
});
