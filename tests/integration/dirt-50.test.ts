/**
 * The generator's dirt at 50% rates: the pipeline still builds every model, all its
 * tests (conservation included) pass, raw = clean + quarantine for every table, and
 * load_rejects holds exactly the lines the generator made malformed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/api/generate.js';
import type { GenerateManifest } from '../../src/generate/manifest.js';
import { TEST_DATABASES } from '../support/databases.js';
import { pipelineProjectFiles } from '../support/pipeline-files.js';
import { createProject, type TestProject } from '../support/project.js';

for (const db of TEST_DATABASES) {
  describe.skipIf(!db.available)(`the pipeline on 50% dirt (${db.name})${db.skipNote}`, () => {
    let project: TestProject;
    let manifest: GenerateManifest;
    let outcome: Awaited<ReturnType<TestProject['run']>>;

    beforeAll(async () => {
      project = await createProject(db, pipelineProjectFiles());
      const generated = await generate({ out: path.join(project.dir, 'seeds'), users: 300, games: 20, events: 4000, seed: 3, dirt: 0.5 });
      manifest = JSON.parse(await readFile(generated.manifestPath, 'utf8')) as GenerateManifest;
      outcome = await project.run('build');
    }, 300_000);
    afterAll(async () => project?.cleanup());

    it('builds every model and passes every test', () => {
      const failed = outcome.results.filter((r) => r.status !== 'success' && r.status !== 'pass');
      expect(failed.map((r) => `${r.uniqueId}: ${r.status} ${r.message ?? ''}`)).toEqual([]);
      expect(outcome.exitCode).toBe(0);
      expect(outcome.results.some((r) => r.uniqueId.includes('conservation'))).toBe(true);
    });

    it('the dirt is really there', () => {
      for (const file of ['users', 'games', 'events'] as const) {
        const e = manifest.expected[file];
        expect(e.rejected + Object.values(e.quarantined).reduce((a, b) => a + b, 0), file).toBeGreaterThan(0);
      }
    });

    it('raw = clean + quarantine for users, games and events', async () => {
      const rows = await project.query<{ t: string; raw: number; clean: number; quarantined: number }>(`
        select 'users' as t, (select count(*) from raw.users)::int as raw, (select count(*) from clean.users)::int as clean, (select count(*) from clean.users_quarantine)::int as quarantined
        union all select 'games', (select count(*) from raw.games)::int, (select count(*) from clean.games)::int, (select count(*) from clean.games_quarantine)::int
        union all select 'events', (select count(*) from raw.events)::int, (select count(*) from clean.events)::int, (select count(*) from clean.events_quarantine)::int`);
      for (const row of rows) {
        expect(row.raw, row.t).toBe(row.clean + row.quarantined);
        expect(row.raw, row.t).toBe(manifest.expected[row.t as 'users'].loaded);
        expect(row.clean, row.t).toBe(manifest.expected[row.t as 'users'].clean);
      }
    });

    it('load_rejects holds exactly the malformed lines', async () => {
      const rows = await project.query<{ file: string; n: number }>(
        'select source_file as file, count(*)::int as n from landing.load_rejects group by 1 order by 1',
      );
      const byFile = Object.fromEntries(rows.map((r) => [r.file, r.n]));
      for (const file of ['users', 'games', 'events'] as const) {
        expect(byFile[`seeds/${file}.csv`] ?? 0, file).toBe(manifest.expected[file].rejected);
      }
    });
  });
}
