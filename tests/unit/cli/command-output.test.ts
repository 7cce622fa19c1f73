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
