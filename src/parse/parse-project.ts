/**
 * Files → Manifest. Renders each model once with *recording* hooks to learn its
 * refs, sources and config, collecting every error of the project before failing.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { distance } from 'fastest-levenshtein';
import { configForPath } from '../config/folder-config.js';
import type { ProjectConfig } from '../config/project-config.js';
import { ErrorCollector, ProjectError, TspipeError } from '../errors.js';
import { discoverFiles, type ProjectFiles } from './discover-files.js';
import { readDocsBlocks, resolveDocCalls } from './docs-blocks.js';
import type { ColumnInfo, ExecutableNode, Manifest, ModelNode, SeedNode, SourceNode } from './manifest.js';
import { mergeConfig, validateConfig } from './node-config.js';
import { recordingHooks } from './recording-hooks.js';
import { readSchemaYaml, type NodePatch } from './schema-yaml.js';
import { TemplateEngine, type CompiledTemplate, type TargetContext } from './template-engine.js';

export interface ParseOptions {
  target: TargetContext;
  /** --vars, overriding project.yml vars. */
  vars?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
}

export interface ParsedProject {
  config: ProjectConfig;
  manifest: Manifest;
  engine: TemplateEngine;
  files: ProjectFiles;
  /** Compiled templates by model uniqueId, reused by the compile pass. */
  templates: Map<string, CompiledTemplate>;
}

/** Postgres truncates identifiers at 63 bytes; longer names would collide silently. */
const MAX_IDENTIFIER_BYTES = 63;
const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseProject(config: ProjectConfig, options: ParseOptions): ParsedProject {
  const errors = new ErrorCollector();
  const files = discoverFiles(config);
  const engine = new TemplateEngine({
    projectName: config.name,
    vars: { ...config.vars, ...options.vars },
    target: options.target,
    env: options.env,
  });
  const macros: Manifest['macros'] = {};
  for (const file of [...files.macros, ...files.genericTestMacros]) {
    collect(errors, () => {
      const source = readFileSync(join(config.projectDir, file), 'utf8');
      for (const macro of engine.loadMacroFile(source, file, recordingHooks.forMacros(file))) {
        macros[`macro.${config.name}.${macro.name}`] = { name: macro.name, originalFilePath: file, line: macro.line };
      }
    });
  }
  const docs = readDocsBlocks(config.projectDir, files.docs);
  const schema = readSchemaYaml(config.projectDir, files.schemaYaml, config.name, options.target.schema, errors);
  const describe = (patch: NodePatch | undefined) => describePatch(patch, docs, errors);

  const nodes: Record<string, ExecutableNode> = {};
  const refLookup: Record<string, string> = {};
  const templates = new Map<string, CompiledTemplate>();
  const register = (node: ExecutableNode) => {
    const previous = refLookup[node.name];
    if (previous) {
      errors.add(
        new ProjectError(`two nodes are named "${node.name}": ${nodes[previous]!.originalFilePath} and ${node.originalFilePath}`, {
          file: node.originalFilePath,
          hint: 'names must be unique across models and seeds: rename one file (or set an alias for its table)',
        }),
      );
      return;
    }
    refLookup[node.name] = node.uniqueId;
    nodes[node.uniqueId] = node;
  };

  for (const file of files.models) {
    collect(errors, () => {
      const parsed = parseModel(config, engine, file, schema.models.get(basename(file, '.sql')), describe, errors);
      if (!parsed) return;
      templates.set(parsed.node.uniqueId, parsed.template);
      register(parsed.node);
    });
  }
  for (const file of files.seeds) {
    collect(errors, () => {
      const seed = parseSeed(config, file, schema.seeds.get(basename(file, '.csv')), describe, errors);
      if (seed) register(seed);
    });
  }

  const sources: Record<string, SourceNode> = {};
  for (const source of schema.sources) {
    source.description = resolveDocCalls(source.description, docs, { file: source.originalFilePath }, errors);
    sources[source.uniqueId] = source;
  }
  const manifest: Manifest = {
    projectName: config.name,
    generatedAt: new Date().toISOString(),
    nodes,
    sources,
    macros,
    docs,
    refLookup,
  };
  for (const node of Object.values(nodes)) {
    if (node.resourceType === 'model') node.relation = relationFor(node, engine, options.target.schema);
    else node.relation = { schema: node.config.schema ?? options.target.schema, identifier: node.config.alias ?? node.name };
  }
  resolveDependencies(manifest, errors);
  for (const name of [...schema.models.keys()].filter((n) => !refLookup[n])) {
    const patch = schema.models.get(name)!;
    errors.add(
      new ProjectError(`schema YAML describes model "${name}", which does not exist`, {
        file: patch.file,
        line: patch.line,
        hint: closestHint(name, Object.keys(refLookup)) ?? 'remove the entry or add the model file',
      }),
    );
  }
  errors.throwIfAny();
  return { config, manifest, engine, files, templates };
}

function parseModel(
  config: ProjectConfig,
  engine: TemplateEngine,
  file: string,
  patch: NodePatch | undefined,
  describe: (p: NodePatch | undefined) => { description: string; columns: Record<string, ColumnInfo> },
  errors: ErrorCollector,
): { node: ModelNode; template: CompiledTemplate } | undefined {
  const name = basename(file, '.sql');
  checkName(name, file, errors);
  const folders = foldersOf(file, config.modelPaths);
  const folderConfig = configForPath(config.modelsConfig, config.name, folders);
  const baseConfig = mergeConfig({ materialized: 'view' }, folderConfig, patch?.config ?? {});
  const rawCode = readFileSync(join(config.projectDir, file), 'utf8');
  const template = engine.compile(rawCode, file);
  const recorder = recordingHooks.forModel(file, name, baseConfig);
  engine.render(template, recorder.hooks);
  const { config: nodeConfig, problems } = validateConfig(recorder.config, 'model');
  for (const problem of problems) {
    errors.add(
      new ProjectError(`invalid config ${problem}`, {
        file,
        line: recorder.configLine(rawCode),
        hint: 'fix the value in {{ config(...) }}, in schema YAML or in project.yml models:',
      }),
    );
  }
  if (!nodeConfig.enabled) return undefined;
  const node: ModelNode = {
    uniqueId: `model.${config.name}.${name}`,
    resourceType: 'model',
    name,
    packageName: config.name,
    originalFilePath: file,
    fqn: [config.name, ...folders, name],
    ...describe(patch),
    patchPath: patch?.file,
    checksum: sha256(rawCode),
    rawCode,
    config: nodeConfig,
    relation: { schema: '', identifier: '' },
    refs: recorder.refs.map((ref) => ({ ...ref, line: lineOfCall(rawCode, 'ref', ref.name) })),
    sources: recorder.sources,
    dependsOn: [],
    tests: patch?.tests ?? [],
  };
  return { node, template };
}

function parseSeed(
  config: ProjectConfig,
  file: string,
  patch: NodePatch | undefined,
  describe: (p: NodePatch | undefined) => { description: string; columns: Record<string, ColumnInfo> },
  errors: ErrorCollector,
): SeedNode | undefined {
  const name = basename(file, '.csv');
  checkName(name, file, errors);
  const folders = foldersOf(file, config.seedPaths);
  const raw = mergeConfig({}, configForPath(config.seedsConfig, config.name, folders), patch?.config ?? {});
  const { config: seedConfig, problems } = validateConfig(raw, 'seed');
  for (const problem of problems) {
    errors.add(new ProjectError(`invalid seed config ${problem}`, { file: patch?.file ?? config.configFile, line: patch?.line }));
  }
  if (!seedConfig.enabled) return undefined;
  return {
    uniqueId: `seed.${config.name}.${name}`,
    resourceType: 'seed',
    name,
    packageName: config.name,
    originalFilePath: file,
    fqn: [config.name, ...folders, name],
    ...describe(patch),
    patchPath: patch?.file,
    checksum: '',
    config: seedConfig,
    relation: { schema: '', identifier: '' },
    dependsOn: [],
    tests: patch?.tests ?? [],
  };
}

function resolveDependencies(manifest: Manifest, errors: ErrorCollector): void {
  const sourceIds = new Map(Object.values(manifest.sources).map((s) => [`${s.sourceName}.${s.name}`, s.uniqueId]));
  for (const node of Object.values(manifest.nodes)) {
    if (node.resourceType !== 'model') continue;
    const parents = new Set<string>();
    for (const ref of node.refs) {
      const id = manifest.refLookup[ref.name];
      if (id) parents.add(id);
      else
        errors.add(
          new ProjectError(`ref("${ref.name}") names a model or seed that does not exist`, {
            file: node.originalFilePath,
            line: ref.line,
            hint: closestHint(ref.name, Object.keys(manifest.refLookup)) ?? 'check the name, or add the model or seed',
          }),
        );
    }
    for (const [sourceName, table] of node.sources) {
      const id = sourceIds.get(`${sourceName}.${table}`);
      if (id) parents.add(id);
      else
        errors.add(
          new ProjectError(`source("${sourceName}", "${table}") is not declared`, {
            file: node.originalFilePath,
            line: lineOfCall(node.rawCode, 'source', sourceName),
            hint:
              closestHint(`${sourceName}.${table}`, [...sourceIds.keys()]) ??
              `declare it in a schema YAML file: sources: [{name: ${sourceName}, tables: [{name: ${table}}]}]`,
          }),
        );
    }
    node.dependsOn = [...parents].sort();
  }
}

function relationFor(node: ModelNode, engine: TemplateEngine, targetSchema: string) {
  const custom = node.config.schema ?? null;
  let schema = custom ?? targetSchema;
  if (engine.hasMacro('generate_schema_name')) {
    schema = String(engine.callMacro('generate_schema_name', recordingHooks.forMacros(node.originalFilePath), custom, node)).trim();
  }
  let identifier = node.config.alias ?? node.name;
  if (engine.hasMacro('generate_alias_name')) {
    identifier = String(
      engine.callMacro('generate_alias_name', recordingHooks.forMacros(node.originalFilePath), node.config.alias ?? null, node),
    ).trim();
  }
  return { schema, identifier };
}

function describePatch(patch: NodePatch | undefined, docs: Record<string, string>, errors: ErrorCollector) {
  if (!patch) return { description: '', columns: {} };
  const where = { file: patch.file, line: patch.line };
  const columns: Record<string, ColumnInfo> = {};
  for (const [name, column] of Object.entries(patch.columns)) {
    columns[name] = { ...column, description: resolveDocCalls(column.description, docs, where, errors) };
  }
  return { description: resolveDocCalls(patch.description, docs, where, errors), columns };
}

function checkName(name: string, file: string, errors: ErrorCollector): void {
  if (!VALID_NAME.test(name) || Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES) {
    errors.add(
      new ProjectError(`"${name}" is not a valid model or seed name`, {
        file,
        hint: `rename the file: letters, digits and underscores, starting with a letter or underscore, at most ${MAX_IDENTIFIER_BYTES} bytes`,
      }),
    );
  }
}

/** models/clean/users.sql under model path "models" → ['clean']. */
function foldersOf(file: string, roots: string[]): string[] {
  const root = roots.map((r) => posix.normalize(r).replace(/\/$/, '')).find((r) => file.startsWith(`${r}/`));
  const relative = root ? file.slice(root.length + 1) : file;
  return relative.split('/').slice(0, -1);
}

function lineOfCall(source: string, fn: string, firstArg: string): number | undefined {
  const match = new RegExp(`\\b${fn}\\s*\\(\\s*['"]${firstArg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`).exec(source);
  return match ? source.slice(0, match.index).split('\n').length : undefined;
}

export function closestHint(name: string, candidates: string[]): string | undefined {
  const scored = candidates
    .map((candidate) => ({ candidate, score: distance(name.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ candidate, score }) => score <= Math.max(2, Math.floor(Math.max(name.length, candidate.length) / 3)))
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, 3);
  return scored.length ? `did you mean ${scored.map((s) => `"${s.candidate}"`).join(' or ')}?` : undefined;
}

function collect(errors: ErrorCollector, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    if (error instanceof TspipeError) errors.add(error);
    else throw error;
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
