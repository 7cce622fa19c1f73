/** What ls and build print, through the real main() on a temp project (embedded database). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { TEST_DATABASES } from '../../support/databases.js';
import { writeTempProject } from '../../support/temp-project.js';

describe('command output', () => {
  const stdout = vi.spyOn(console, 'log').mockImplementation(() => {});
  const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  afterEach(() => {
    stdout.mockClear();
    stderr.mockClear();
    process.exitCode = undefined;
  });
  const printed = () => stdout.mock.calls.map((call) => String(call[0])).join('\n');

  it('ls prints dbt selectors by default: package.folders.name, sources as source:...', async () => {
    const dir = writeTempProject({
      'models/kpi/a.sql': "select * from {{ source('landing', 'events') }}",
      'models/schema.yml': 'version: 2\nsources:\n  - name: landing\n    tables: [{name: events}]\n',
    });
    expect(await main(['ls', '--project-dir', dir])).toBe(0);
    expect(printed()).toBe('source:test_project.landing.events\ntest_project.kpi.a');
  });

  it("ls --output json gives dbt's keys (depends_on.nodes, source_name...), --output-keys picks some, --output name says source.table", async () => {
    const dir = writeTempProject({
      'models/kpi/a.sql': "{{ config(materialized='table') }}select * from {{ source('landing', 'events') }}",
      'models/schema.yml': 'version: 2\nsources:\n  - name: landing\n    tables: [{name: events}]\n',
    });
    expect(await main(['ls', '--project-dir', dir, '-o', 'json'])).toBe(0);
    const [source, model] = printed()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(source).toMatchObject({ name: 'events', source_name: 'landing', resource_type: 'source', package_name: 'test_project' });
    expect(model).toMatchObject({
      unique_id: 'model.test_project.a',
      name: 'a',
      alias: 'a',
      package_name: 'test_project',
      config: { materialized: 'table' },
      depends_on: { macros: [], nodes: ['source.test_project.landing.events'] },
    });
    stdout.mockClear();
    expect(await main(['ls', '--project-dir', dir, '-o', 'json', '--output-keys', 'name', 'resource_type'])).toBe(0);
    expect(printed()).toBe('{"name":"events","resource_type":"source"}\n{"name":"a","resource_type":"model"}');
    stdout.mockClear();
    expect(await main(['ls', '--project-dir', dir, '-o', 'name'])).toBe(0);
    expect(printed()).toBe('landing.events\na');
  });

  it('build shows no dashboard hint after a failure, and does after a success', async () => {
    // A copy of the test template database: no initdb per test.
    const database = await TEST_DATABASES.find((db) => db.name === 'pglite')!.create();
    const dataDir = database.spec.kind === 'pglite' ? database.spec.dataDir : '';
    const dir = writeTempProject({
      'project.yml': `name: test_project\ntargets:\n  dev: {type: pglite, path: ${JSON.stringify(dataDir)}}\n`,
      'models/m.sql': "{{ config(materialized='table') }}select 1 / 0 as boom",
    });
    expect(await main(['build', '--project-dir', dir])).toBe(1);
    expect(printed()).not.toContain('KPI dashboard');
    process.exitCode = undefined;
    writeFileSync(path.join(dir, 'models/m.sql'), "{{ config(materialized='table') }}select 1 as fine");
    expect(await main(['build', '--project-dir', dir])).toBe(0);
    expect(printed()).toContain('KPI dashboard');
    await database.cleanup();
  });
});
