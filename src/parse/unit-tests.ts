/**
 * `unit_tests:` entries of property files (dbt 1.8): the model under test, its inputs
 * (`given`: ref/source/this with rows as dicts, CSV or SQL, inline or from a fixture
 * file under tests/fixtures/), the expected rows, and overrides of macros, vars and
 * environment variables. Problems are collected with the file and line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isObject } from '../config/folder-config.js';
import { ProjectError, type ErrorCollector } from '../errors.js';
import type { YamlFile } from '../config/yaml-file.js';
import type { UnitTestDefinition, UnitTestRows } from './manifest.js';

export interface UnitTestContext {
  packageName: string;
  /** Root project folder, and the package's test-paths relative to it (for fixture files). */
  rootDir: string;
  fixtureDirs: string[];
  errors: ErrorCollector;
}

const FORMATS = ['dict', 'csv', 'sql'] as const;

export function readUnitTests(yaml: YamlFile, entries: unknown[], context: UnitTestContext): UnitTestDefinition[] {
  const found: UnitTestDefinition[] = [];
  entries.forEach((entry, index) => {
    const where = { file: yaml.displayPath, line: yaml.lineOf(['unit_tests', index]) };
    const fail = (message: string, hint = "see dbt's unit test docs: name, model, given: [{input, rows}], expect: {rows}") => {
      context.errors.add(new ProjectError(message, { ...where, hint }));
    };
    if (!isObject(entry) || typeof entry.name !== 'string' || typeof entry.model !== 'string') {
      fail('each unit test needs a name: and a model:');
      return;
    }
    const label = `unit test ${entry.name}`;
    const given: UnitTestDefinition['given'] = [];
    for (const input of Array.isArray(entry.given) ? entry.given : []) {
      if (!isObject(input) || typeof input.input !== 'string') {
        fail(`${label}: each given entry needs an input: (ref('model'), source('s', 't') or this)`);
        return;
      }
      const rows = readRows(input, `${label}, input ${input.input}`, context, fail);
      if (!rows) return;
      given.push({ input: input.input.trim(), ...rows });
    }
    if (!isObject(entry.expect)) {
      fail(`${label}: expect: is missing`);
      return;
    }
    const expect = readRows(entry.expect, `${label}, expect`, context, fail);
    if (!expect) return;
    const overrides = isObject(entry.overrides) ? entry.overrides : {};
    found.push({
      name: entry.name,
      model: entry.model,
      packageName: context.packageName,
      ...where,
      description: String(entry.description ?? ''),
      given,
      expect,
      overrides: {
        macros: isObject(overrides.macros) ? overrides.macros : {},
        vars: isObject(overrides.vars) ? overrides.vars : {},
        env_vars: isObject(overrides.env_vars)
          ? (Object.fromEntries(Object.entries(overrides.env_vars).map(([k, v]) => [k, String(v)])) as Record<string, string>)
          : {},
      },
      config: isObject(entry.config) ? entry.config : {},
    });
  });
  return found;
}

function readRows(
  entry: Record<string, unknown>,
  label: string,
  context: UnitTestContext,
  fail: (message: string, hint?: string) => void,
): UnitTestRows | undefined {
  const format = entry.format ?? 'dict';
  if (!(FORMATS as readonly unknown[]).includes(format)) {
    fail(`${label}: format must be dict, csv or sql, not ${String(format)}`);
    return undefined;
  }
  let rows = entry.rows;
  if (typeof entry.fixture === 'string') {
    const text = readFixture(entry.fixture, format as string, context);
    if (text === undefined) {
      fail(
        `${label}: fixture "${entry.fixture}" not found`,
        `add ${entry.fixture}.${format === 'sql' ? 'sql' : 'csv'} under ${context.fixtureDirs.map((d) => `${d}/fixtures/`).join(' or ')}`,
      );
      return undefined;
    }
    rows = text;
  }
  if (format === 'dict') {
    const list = rows ?? [];
    if (!Array.isArray(list) || !list.every(isObject)) {
      fail(`${label}: rows must be a list of mappings (column: value) in the dict format`);
      return undefined;
    }
    return { format: 'dict', rows: list };
  }
  if (typeof rows !== 'string') {
    fail(`${label}: rows must be text in the ${String(format)} format (or name a fixture file)`);
    return undefined;
  }
  return { format: format as 'csv' | 'sql', rows };
}

function readFixture(name: string, format: string, context: UnitTestContext): string | undefined {
  const extension = format === 'sql' ? 'sql' : 'csv';
  for (const dir of context.fixtureDirs) {
    const path = join(context.rootDir, dir, 'fixtures', `${name}.${extension}`);
    if (existsSync(path)) return readFileSync(path, 'utf8');
  }
  return undefined;
}
