/**
 * Schema YAML (`models/**\/*.yml`): descriptions, column docs, config and data tests
 * for models and seeds, and source declarations. dbt's `version: 2` format.
 */
import { ErrorCollector, ProjectError } from '../errors.js';
import { isObject, toList } from '../config/folder-config.js';
import { readYamlFile, type YamlFile } from '../config/yaml-file.js';
import type { ColumnInfo, SourceNode } from './manifest.js';

export interface NodePatch {
  name: string;
  file: string;
  line?: number;
  description: string;
  config: Record<string, unknown>;
  columns: Record<string, ColumnInfo>;
  tests: unknown[];
}

export interface SchemaYaml {
  models: Map<string, NodePatch>;
  seeds: Map<string, NodePatch>;
  sources: SourceNode[];
}

export function readSchemaYaml(
  projectDir: string,
  files: string[],
  projectName: string,
  defaultSchema: string,
  errors: ErrorCollector,
): SchemaYaml {
  const result: SchemaYaml = { models: new Map(), seeds: new Map(), sources: [] };
  for (const file of files) {
    let yaml: YamlFile;
    try {
      yaml = readYamlFile(`${projectDir}/${file}`, file);
    } catch (error) {
      errors.add(error as ProjectError);
      continue;
    }
    if (!isObject(yaml.value)) continue;
    for (const kind of ['models', 'seeds'] as const) {
      list(yaml.value[kind]).forEach((entry, index) => {
        const patch = readPatch(entry, yaml, [kind, index], errors);
        if (!patch) return;
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
      });
    }
    list(yaml.value.sources).forEach((entry, index) =>
      result.sources.push(...readSources(entry, yaml, index, projectName, defaultSchema, errors)),
    );
  }
  return result;
}

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
    config: isObject(entry.config) ? entry.config : {},
    columns: readColumns(entry.columns),
    tests: [...list(entry.data_tests), ...list(entry.tests)],
  };
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
      tests: [...list(column.data_tests), ...list(column.tests)],
    };
  }
  return result;
}

function readSources(
  entry: unknown,
  yaml: YamlFile,
  index: number,
  projectName: string,
  defaultSchema: string,
  errors: ErrorCollector,
): SourceNode[] {
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
      },
    ];
  });
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
