import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/api/load-project.js';
import type { TspipeError } from '../../../src/errors.js';
import { writeTempProject } from '../../support/temp-project.js';

function failure(run: () => unknown): TspipeError {
  try {
    run();
  } catch (error) {
    return error as TspipeError;
  }
  throw new Error('expected a failure');
}

const model = { 'models/report.sql': "select * from {{ ref('players') }} join {{ ref('teams') }} using (team_id)" };

describe('seeds from elsewhere', () => {
  it('--seed-paths loads a folder outside the project instead of seed-paths, without editing the project file', () => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'tspipe-dataset-'));
    writeFileSync(path.join(elsewhere, 'players.csv'), 'id,team_id\n1,1\n');
    writeFileSync(path.join(elsewhere, 'teams.csv'), 'team_id\n1\n');
    const dir = writeTempProject({ ...model, 'seeds/players.csv': 'id\n' });
    const project = loadProject({ projectDir: dir, seedPaths: [elsewhere] }, {});
    const seeds = Object.values(project.manifest.nodes).filter((n) => n.resourceType === 'seed');
    expect(seeds.map((s) => path.resolve(dir, s.originalFilePath)).sort()).toEqual([path.join(elsewhere, 'players.csv'), path.join(elsewhere, 'teams.csv')]);
    expect(project.manifest.nodes['model.test_project.report']!.dependsOn).toEqual(['seed.test_project.players', 'seed.test_project.teams']);
  });

  it('a missing --seed-paths folder is a usage error', () => {
    const error = failure(() => loadProject({ projectDir: writeTempProject(model), seedPaths: ['/nonexistent/dataset'] }, {}));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('--seed-paths /nonexistent/dataset: no such folder (/nonexistent/dataset)');
  });

  it('an absolute seed path in the project file is an error at its line', () => {
    const error = failure(() => loadProject({ projectDir: writeTempProject({ 'project.yml': 'name: demo\nseed-paths: [/data/csv]\n' }) }, {}));
    expect(error.where).toBe('project.yml:2');
    expect(error.message).toContain('seed-paths: "/data/csv" is an absolute path');
    expect(error.hint).toContain('--seed-paths /data/csv');
  });

  it('a missing seed folder is one error about the folder, not one "ref names a seed that does not exist" per ref', () => {
    const error = failure(() => loadProject({ projectDir: writeTempProject({ 'project.yml': 'name: demo\nseed-paths: [data]\n', ...model }) }, {}));
    expect(error.where).toBe('project.yml:2');
    expect(error.message).toBe('seed path "data" does not exist, so ref("players"), ref("teams") find no seed');
    expect(error.hint).toContain('--seed-paths DIR');
  });
});
