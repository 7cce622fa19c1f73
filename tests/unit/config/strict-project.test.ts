import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/api/load-project.js';
import { ProjectErrors, type TspipeError } from '../../../src/errors.js';
import { writeTempProject } from '../../support/temp-project.js';

function load(files: Record<string, string>) {
  return loadProject({ projectDir: writeTempProject(files) }, {});
}

function errorsOf(files: Record<string, string>): TspipeError[] {
  try {
    load(files);
  } catch (error) {
    return error instanceof ProjectErrors ? error.errors : [error as TspipeError];
  }
  throw new Error('expected the project to fail');
}

const models = { 'models/kpi/a.sql': 'select 1 as id', 'models/kpi/b.sql': 'select 1 as id', 'models/clean/c.sql': 'select 1 as id' };

describe('strict project.yml: misspelt keys are errors with their line and a did-you-mean', () => {
  it('reports unknown top-level keys and misspelt configs in folder trees', () => {
    const errors = errorsOf({
      'project.yml': 'name: demo\nmodles:\n  demo: {}\nmodel-paths: [models]\nmodels:\n  demo:\n    +materialised: table\n    kpi:\n      tag: x\n',
      ...models,
    });
    expect(errors.map((e) => [e.where, e.message, e.hint])).toEqual([
      ['project.yml:2', 'unknown key "modles"', 'did you mean "models"?'],
      ['project.yml:7', 'unknown config "+materialised" under models.demo', 'did you mean "+materialized"?'],
      ['project.yml:9', 'unknown config "tag" under models.demo.kpi', 'did you mean "tags"?'],
    ]);
  });

  it('keeps what dbt allows: vars, meta, docs, custom configs, folder names, dbt-only keys', () => {
    const project = load({
      'dbt_project.yml': [
        'name: demo',
        'config-version: 2',
        'profile: none',
        'query-comment: x',
        'vars: {anything: 1, nested: {deep: 2}}',
        'models:',
        '  demo:',
        '    +meta: {owner: me, any_key: 1}',
        '    +docs: {node_color: red}',
        '    +owner_team: analytics',
        '    +sla: 24h',
        '    kpi:',
        '      +materialized: table',
        '      +persist_docs: {relation: true}',
      ].join('\n'),
      ...models,
    });
    expect(project.manifest.nodes['model.demo.a']!.config.materialized).toBe('table');
    expect(project.manifest.nodes['model.demo.a']!.config.owner_team).toBe('analytics');
    expect(project.manifest.nodes['model.demo.a']!.config.sla).toBe('24h');
    expect(project.warnings).toEqual([]);
  });

  it('reports an invalid value once, at the project file line, not once per model', () => {
    const errors = errorsOf({ 'project.yml': 'name: demo\nmodels:\n  demo:\n    kpi:\n      +materialized: tabel\n', ...models });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.where).toBe('project.yml:5');
    expect(errors[0]!.message).toContain('materialized: "tabel" is not one of');
    expect(errors[0]!.hint).toBe('did you mean "table"?');
  });

  it('gives target keys and types a did-you-mean instead of validator wording', () => {
    const errors = errorsOf({ 'project.yml': 'name: demo\ntargets:\n  local:\n    typ: pglite\n  prod:\n    type: postgresql\n' });
    expect(errors.map((e) => [e.where, e.message, e.hint])).toEqual([
      ['project.yml:4', 'targets.local.typ: unknown key "typ"', 'did you mean "type"?'],
      ['project.yml:6', 'targets.prod.type: type "postgresql" is not one of pglite, postgres', 'did you mean "postgres"?'],
    ]);
  });

  it('warns, as dbt does, about a folder path that applies to no model (a folder of disabled models is no typo)', () => {
    const project = load({
      'project.yml': 'name: demo\nmodels:\n  demo:\n    kpis:\n      +materialized: table\n    clean:\n      +enabled: false\n',
      ...models,
    });
    expect(project.warnings.map((w) => [w.where, w.message, w.hint])).toEqual([
      ['project.yml:4', 'configuration path models.demo.kpis applies to no model', 'did you mean "kpi"?'],
    ]);
  });
});
