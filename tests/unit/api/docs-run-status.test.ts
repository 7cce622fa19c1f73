/** The docs site shows the last run only if it ran on the database the docs are generated for. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeConnection } from '../../../src/adapter/open-adapter.js';
import { generateDocs } from '../../../src/api/docs.js';
import { loadProject } from '../../../src/api/load-project.js';
import { writeTempProject } from '../../support/temp-project.js';

function runResults(metadata: Record<string, string>) {
  return JSON.stringify({
    metadata: { generated_at: '2024-06-01T00:00:00Z', command: 'build', ...metadata },
    results: [{ unique_id: 'model.test_project.a', status: 'success', execution_time: 1.25, timing: [] }],
  });
}

async function siteWith(metadata: (dir: string) => Record<string, string>) {
  const dir = writeTempProject({ 'models/a.sql': 'select 1 as id' });
  mkdirSync(join(dir, 'target'), { recursive: true });
  writeFileSync(join(dir, 'target/run_results.json'), runResults(metadata(dir)));
  const outcome = await generateDocs({ projectDir: dir }, { env: {} });
  return { warnings: outcome.warnings, data: readFileSync(join(dir, outcome.dir, 'data.js'), 'utf8') };
}

describe('docs site run status', () => {
  it('leaves out a run made on another database, and says so', async () => {
    const { warnings, data } = await siteWith(() => ({ target_name: 'pg', target_database: 'postgres://me@db:5432/prod' }));
    expect(warnings.join('\n')).toMatch(/^the last run was on postgres:\/\/me@db:5432\/prod, not on pglite .* \(target dev\): the site shows no run status/m);
    expect(data).not.toContain('1.25');
  });

  it('shows a run made on this database', async () => {
    const { warnings, data } = await siteWith((dir) => ({
      target_name: 'dev',
      target_database: describeConnection(loadProject({ projectDir: dir }, {}).target.connection),
    }));
    expect(warnings.filter((w) => w.includes('run status'))).toEqual([]);
    expect(data).toContain('1.25');
  });
});
