/**
 * Schema YAML (`models/**\/*.yml`): descriptions, column docs, config and data tests
 * for models and seeds, and source declarations. dbt's `version: 2` format.
 */
import { readFreshness, readSourceEventTime } from './source-freshness.js';
import { type ErrorCollector, ProjectError } from '../errors.js';
import { isObject, toList } from '../config/folder-config.js';
import { readFileSync } from 'node:fs';
import { parseYamlText, readYamlFile, type YamlFile } from '../config/yaml-file.js';
import { hashJson, isPlainJson } from './cache-file.js';
import { ParseCache, type SchemaFileResult } from './parse-cache.js';
import { readUnitTests, type UnitTestContext } from './unit-tests.js';
import type { ColumnInfo, SourceNode, UnitTestDefinition } from './manifest.js';

export const PATCH_KINDS = ['models', 'seeds', 'snapshots'] as const;
export type PatchKind = (typeof PATCH_KINDS)[number];

export interface NodePatch {
  name: string;
  file: string;
  line?: number;
  description: string;
  config: Record<string, unknown>;
  columns: Record<string, ColumnInfo>;
  tests: unknown[];
  /** dbt 1.9 YAML snapshots: `ref('x')` or `source('s', 't')`, the relation to snapshot. */
  relation?: string;
  /** dbt's model versions: one patch per version (its own description, config, columns and tests). */
  versions?: VersionPatch[];
  latestVersion?: string | number;
}

export interface VersionPatch {
  v: string | number;
  /** The file (without .sql) that defines it: `defined_in`, else `<name>_v<v>`. */
  definedIn: string;
  patch: NodePatch;
}

export interface SchemaYaml {
  /** Top-level entries tspipe does not run yet (semantic_models, metrics...): one warning each. */
  warnings: ProjectError[];
  models: Map<string, NodePatch>;
  seeds: Map<string, NodePatch>;
  /** Properties of {% snapshot %} blocks, and snapshots defined in YAML (with `relation`). */
  snapshots: Map<string, NodePatch>;
  sources: SourceNode[];
  /** Content key of each file read (undefined when it could not be read). */
  fileKeys: (string | undefined)[];
  /** `unit_tests:` entries (dbt 1.8). */
  unitTests: UnitTestDefinition[];
}

export function readSchemaYaml(
  projectDir: string,
  files: string[],
  projectName: string,
  defaultSchema: string,
  errors: ErrorCollector,
  cache: ParseCache = ParseCache.disabled(),
  /** The package's test-paths (relative to projectDir), where unit test fixture files live. */
  fixtureDirs: string[] = ['tests'],
): SchemaYaml {
  const result: SchemaYaml = { warnings: [], models: new Map(), seeds: new Map(), snapshots: new Map(), sources: [], fileKeys: [], unitTests: [] };
  for (const file of files) {
    const addPatch = (kind: PatchKind, patch: NodePatch) => {
      const previous = result[kind].get(patch.name);
      if (previous) {
        errors.add(
          new ProjectError(`${kind.slice(0, -1)} "${patch.name}" is described twice (also in ${previous.file}:${previous.line})`, {
            file,
            line: patch.line,
            hint: 'keep one entry per model in schema YAML',
          }),
        );
      } else result[kind].set(patch.name, patch);
    };
    const parsed = readSchemaFile(
      projectDir,
      file,
      { projectName, defaultSchema, errors, addPatch, unitTests: { packageName: projectName, rootDir: projectDir, fixtureDirs, errors } },
      cache,
    );
    result.sources.push(...(parsed?.sources ?? []));
    result.unitTests.push(...(parsed?.unitTests ?? []));
    for (const [kind, line] of parsed?.unsupported ?? []) {
      result.warnings.push(
        new ProjectError(`${UNSUPPORTED[kind] ?? `${kind} are not supported by tspipe yet`}: tspipe ignores the ${kind} here`, { file, line }),
      );
    }
    result.fileKeys.push(parsed?.key);
  }
  return result;
}

interface SchemaFileContext {
  projectName: string;
  defaultSchema: string;
  errors: ErrorCollector;
  /** Called for each entry in file order, so errors keep their order. */
  addPatch(kind: PatchKind, patch: NodePatch): void;
  unitTests: UnitTestContext;
}

/** One file's entries; from the cache when its text is unchanged and it had no errors. */
function readSchemaFile(projectDir: string, file: string, context: SchemaFileContext, cache: ParseCache): (SchemaFileResult & { key?: string }) | undefined {
  let text: string;
  try {
    text = readFileSync(`${projectDir}/${file}`, 'utf8');
  } catch {
    // Let the YAML reader report the unreadable file as it always has.
    return parseSchemaFile(() => readYamlFile(`${projectDir}/${file}`, file), context);
  }
  const key = hashJson([text, context.projectName, context.defaultSchema]);
  const cached = cache.schemaFile(file, key);
  if (cached) {
    for (const kind of PATCH_KINDS) for (const patch of cached[kind] ?? []) context.addPatch(kind, patch);
    return { ...cached, key };
  }
  const errorsBefore = context.errors.size;
  const parsed = parseSchemaFile(() => parseYamlText(text, file), context);
  // A unit test's fixture file is an input this key does not cover: such files are read each time.
  const usesFixtureFiles = /^\s*fixture:/m.test(text);
  if (parsed && context.errors.size === errorsBefore && isPlainJson(parsed) && !usesFixtureFiles) cache.setSchemaFile(file, key, parsed);
  return parsed && { ...parsed, key };
}

function parseSchemaFile(read: () => YamlFile, context: SchemaFileContext): SchemaFileResult | undefined {
  const { errors } = context;
  let yaml: YamlFile;
  try {
    yaml = read();
  } catch (error) {
    errors.add(error as ProjectError);
    return undefined;
  }
  const parsed: SchemaFileResult = { models: [], seeds: [], snapshots: [], sources: [], unsupported: [] };
  if (!isObject(yaml.value)) return parsed;
  for (const key of Object.keys(yaml.value)) {
    if (key in UNSUPPORTED && list(yaml.value[key]).length) parsed.unsupported!.push([key, yaml.lineOf([key])]);
  }
  for (const kind of PATCH_KINDS) {
    list(yaml.value[kind]).forEach((entry, index) => {
      const patch = readPatch(entry, yaml, [kind, index], errors);
      if (!patch) return;
      (parsed[kind] ??= []).push(patch);
      context.addPatch(kind, patch);
    });
  }
  list(yaml.value.sources).forEach((entry, index) =>
    parsed.sources.push(...readSources(entry, yaml, index, context.projectName, context.defaultSchema, errors)),
  );
  parsed.unitTests = readUnitTests(yaml, list(yaml.value.unit_tests), context.unitTests);
  return parsed;
}

/** Resources of dbt's property files that tspipe does not run, with what to tell the user. */
const UNSUPPORTED: Record<string, string> = {
  semantic_models: 'MetricFlow semantic models are not supported by tspipe',
  metrics: 'MetricFlow metrics are not supported by tspipe',
  saved_queries: 'MetricFlow saved queries are not supported by tspipe',
  exposures: 'exposures are not supported by tspipe yet',
  groups: 'groups are not supported by tspipe yet',
  analyses: 'analyses are not supported by tspipe yet',
  functions: 'user-defined functions are not supported by tspipe yet',
};

function readPatch(entry: unknown, yaml: YamlFile, path: (string | number)[], errors: ErrorCollector): NodePatch | undefined {
  if (!isObject(entry) || typeof entry.name !== 'string') {
    errors.add(new ProjectError('each entry needs a name:', { file: yaml.displayPath, line: yaml.lineOf(path) }));
    return undefined;
  }
  return {
    name: entry.name,
    file: yaml.displayPath,
    line: yaml.lineOf(path),
    description: String(entry.description ?? ''),
    // access and group may also be written beside config (dbt 1.5's model properties).
    config: { ...pick(entry, ['access', 'group']), ...(isObject(entry.config) ? entry.config : {}) },
    columns: readColumns(entry.columns),
    tests: [...list(entry.data_tests), ...list(entry.tests)],
    ...(typeof entry.relation === 'string' ? { relation: entry.relation } : {}),
    ...readVersions(entry, yaml, path, errors),
  };
}

/**
 * dbt's `versions:` of a model: each version gets the model's description, config and
 * tests with its own on top, and the model's columns as its `include`/`exclude` entry
 * says (all by default) plus its own.
 */
function readVersions(
  entry: Record<string, unknown>,
  yaml: YamlFile,
  path: (string | number)[],
  errors: ErrorCollector,
): Pick<NodePatch, 'versions' | 'latestVersion'> {
  if (!Array.isArray(entry.versions)) return {};
  const name = String(entry.name);
  const columns = readColumns(entry.columns);
  const versions: VersionPatch[] = [];
  entry.versions.forEach((version: unknown, index: number) => {
    const line = yaml.lineOf([...path, 'versions', index]);
    if (!isObject(version) || (typeof version.v !== 'string' && typeof version.v !== 'number')) {
      errors.add(new ProjectError(`model ${name}: each version needs v: (a number or a string)`, { file: yaml.displayPath, line }));
      return;
    }
    const own = list(version.columns);
    const selector = own.find((c) => isObject(c) && ('include' in c || 'exclude' in c)) as Record<string, unknown> | undefined;
    const include = selector?.include ?? 'all';
    const excluded = new Set(list(selector?.exclude).map(String));
    const inherited = Object.fromEntries(
      Object.entries(columns).filter(([column]) => (include === 'all' || list(include).map(String).includes(column)) && !excluded.has(column)),
    );
    versions.push({
      v: version.v,
      definedIn: typeof version.defined_in === 'string' ? version.defined_in : `${name}_v${version.v}`,
      patch: {
        name,
        file: yaml.displayPath,
        line,
        description: String(version.description ?? entry.description ?? ''),
        config: { ...(isObject(entry.config) ? entry.config : {}), ...(isObject(version.config) ? version.config : {}) },
        columns: { ...inherited, ...readColumns(own) },
        tests: [...list(entry.data_tests), ...list(entry.tests), ...list(version.data_tests), ...list(version.tests)],
      },
    });
  });
  const latest = entry.latest_version;
  return { versions, ...(typeof latest === 'string' || typeof latest === 'number' ? { latestVersion: latest } : {}) };
}

/** dbt's latest version when latest_version is not given: the greatest, as numbers if they all are. */
export function latestVersionOf(patch: NodePatch): string | number | undefined {
  if (patch.latestVersion !== undefined) return patch.latestVersion;
  const vs = (patch.versions ?? []).map((v) => v.v);
  if (!vs.length) return undefined;
  const numeric = vs.every((v) => !Number.isNaN(Number(v)));
  return vs.reduce((a, b) => ((numeric ? Number(b) > Number(a) : String(b) > String(a)) ? b : a));
}

export function readColumns(columns: unknown): Record<string, ColumnInfo> {
  const result: Record<string, ColumnInfo> = {};
  for (const column of list(columns)) {
    if (!isObject(column) || typeof column.name !== 'string') continue;
    result[column.name] = {
      name: column.name,
      description: String(column.description ?? ''),
      data_type: typeof column.data_type === 'string' ? column.data_type : undefined,
      meta: isObject(column.meta) ? column.meta : undefined,
      ...(column.quote === true ? { quote: true } : {}),
      tests: [...list(column.data_tests), ...list(column.tests)],
    };
  }
  return result;
}

function readSources(entry: unknown, yaml: YamlFile, index: number, projectName: string, defaultSchema: string, errors: ErrorCollector): SourceNode[] {
  if (!isObject(entry) || typeof entry.name !== 'string') {
    errors.add(new ProjectError('each source needs a name:', { file: yaml.displayPath, line: yaml.lineOf(['sources', index]) }));
    return [];
  }
  const sourceName = entry.name;
  const schema = typeof entry.schema === 'string' ? entry.schema : sourceName || defaultSchema;
  return list(entry.tables).flatMap((table, tableIndex) => {
    if (!isObject(table) || typeof table.name !== 'string') {
      errors.add(
        new ProjectError(`source "${sourceName}": each table needs a name:`, {
          file: yaml.displayPath,
          line: yaml.lineOf(['sources', index, 'tables', tableIndex]),
        }),
      );
      return [];
    }
    return [
      {
        uniqueId: `source.${projectName}.${sourceName}.${table.name}`,
        resourceType: 'source' as const,
        name: table.name,
        sourceName,
        packageName: projectName,
        originalFilePath: yaml.displayPath,
        fqn: [projectName, sourceName, table.name],
        description: String(table.description ?? entry.description ?? ''),
        relation: { schema, identifier: typeof table.identifier === 'string' ? table.identifier : table.name },
        columns: readColumns(table.columns),
        tags: [...toList(entry.tags), ...toList(table.tags)],
        tests: [...list(table.data_tests), ...list(table.tests)],
        loader: typeof entry.loader === 'string' ? entry.loader : undefined,
        ...readSourceEventTime(
          entry,
          table,
          { file: yaml.displayPath, line: yaml.lineOf(['sources', index, 'tables', tableIndex]), name: `${sourceName}.${table.name}` },
          errors,
        ),
        ...readFreshness(
          entry,
          table,
          { file: yaml.displayPath, line: yaml.lineOf(['sources', index, 'tables', tableIndex]), name: `${sourceName}.${table.name}` },
          errors,
        ),
      },
    ];
  });
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function pick(entry: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => typeof entry[key] === 'string').map((key) => [key, entry[key]]));
}
