import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/api/load-project.js';
import { ProjectError, ProjectErrors, formatError, type TspipeError } from '../../../src/errors.js';
import { writeTempProject } from '../../support/temp-project.js';

function loadError(files: Record<string, string>): TspipeError {
  try {
    loadProject({ projectDir: writeTempProject(files) }, {});
  } catch (error) {
    return error as TspipeError;
  }
  throw new Error('expected the project to fail');
}

describe('project errors: file, line, hint, all at once', () => {
  it('reports a cycle with its path and files', () => {
    const error = loadError({
      'models/a.sql': "select * from {{ ref('c') }}",
      'models/b.sql': "select * from {{ ref('a') }}",
      'models/c.sql': "select * from {{ ref('b') }}",
    });
    expect(error).toBeInstanceOf(ProjectError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/cycle: a -> c -> b -> a|cycle: a -> b -> c -> a/);
    expect(formatError(error)).toContain('models/a.sql');
  });

  it('reports an unknown ref with its line and the closest names', () => {
    const error = loadError({
      'models/customers.sql': 'select 1 as id',
      'models/orders.sql': "select *\nfrom {{ ref('customer') }}",
    });
    expect(error.where).toBe('models/orders.sql:2');
    expect(error.message).toContain('ref("customer")');
    expect(error.hint).toContain('"customers"');
  });

  it('collects every broken model and reports them together', () => {
    const error = loadError({
      'models/one.sql': 'select {{ nope }',
      'models/two.sql': "select * from {{ ref('missing') }}",
      'models/three.sql': "{{ config(materialized='tabel') }}select 1",
      'models/fine.sql': 'select 1',
    });
    expect(error).toBeInstanceOf(ProjectErrors);
    const errors = (error as ProjectErrors).errors;
    expect(errors.map((e) => e.location.file).sort()).toEqual(['models/one.sql', 'models/three.sql', 'models/two.sql']);
    expect(errors.find((e) => e.location.file === 'models/three.sql')!.message).toMatch(
      /materialized: "tabel" is not one of view, table, incremental, ephemeral/,
    );
  });

  it('reports an undeclared source, duplicate names and invalid names', () => {
    const error = loadError({
      'models/a.sql': "select * from {{ source('raw', 'events') }}",
      'models/sub/a.sql': 'select 1',
      'models/bad-name.sql': 'select 1',
    }) as ProjectErrors;
    const messages = error.errors.map((e) => e.message).join('\n');
    expect(messages).toContain('source("raw", "events") is not declared');
    expect(messages).toContain('two nodes are named "a"');
    expect(messages).toContain('"bad-name" is not a valid model or seed name');
  });

  it('reports bad YAML and bad project config with file and line', () => {
    const yamlError = loadError({ 'models/a.sql': 'select 1', 'models/schema.yml': 'models:\n  - name: a\n    description: [unclosed\n' });
    expect(yamlError.location.file).toBe('models/schema.yml');
    expect(yamlError.location.line).toBeGreaterThanOrEqual(3);
    const configError = loadError({ 'project.yml': 'name: test_project\nthreads: many\n' });
    expect(configError.where).toBe('project.yml:2');
  });

  it('names the missing project file', () => {
    const error = (() => {
      try {
        loadProject({ projectDir: '/nonexistent-dir' }, {});
      } catch (e) {
        return e as TspipeError;
      }
    })()!;
    expect(error.message).toMatch(/no project.yml or dbt_project.yml/);
    expect(error.hint).toMatch(/--project-dir/);
  });
});
