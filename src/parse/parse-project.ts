/**
 * Files → Manifest. Renders each model once with *recording* hooks to learn its
 * refs, sources and config (parse-model.ts), collecting every error of the project
 * before failing. With `cache`, unchanged files are not rendered again.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { distance } from 'fastest-levenshtein';
import { configForPath } from '../config/folder-config.js';
import type { ProjectConfig } from '../config/project-config.js';
import { ErrorCollector, ProjectError, TspipeError } from '../errors.js';
import { hashJson, sha256 } from './cache-file.js';
import { lineOfCall } from './call-lines.js';
import { discoverFiles, type ProjectFiles } from './discover-files.js';
import { readDocsBlocks, resolveDocCalls } from './docs-blocks.js';
import type { ColumnInfo, ExecutableNode, Manifest, ModelNode, SeedNode, SourceNode } from './manifest.js';
import { mergeConfig, validateConfig } from './node-config.js';
import { ParseCache, projectCacheKey } from './parse-cache.js';
import { MAX_IDENTIFIER_BYTES, checkName, foldersOf, parseModel, type ModelParseContext } from './parse-model.js';
import { recordingHooks } from './recording-hooks.js';
import { trackReads } from './render-hooks.js';
import { readSchemaYaml, type NodePatch } from './schema-yaml.js';
import { TemplateEngine, type CompiledTemplate, type TargetContext } from './template-engine.js';
import { rewriteTestBlocks } from './test-blocks.js';

export interface ParseOptions {
  target: TargetContext;
  /** --vars, overriding project.yml vars. */
  vars?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  /** Reuse and update target/partial_parse.json (content-hash cache); off unless asked. */
  cache?: boolean;
  /** The project's files, when the caller listed them already. */
  files?: ProjectFiles;
}

export interface ParsedProject {
  config: ProjectConfig;
  manifest: Manifest;
  engine: TemplateEngine;
  files: ProjectFiles;
  /** Compiled templates by model uniqueId, reused by the compile pass (absent when cached). */
  templates: Map<string, CompiledTemplate>;
  /**
   * Hash of everything a render can see besides the model's own file and config
   * (tspipe version, project file, vars, target, macros); undefined when renders
   * must not be cached. The compile cache builds on it.
   */
  projectKey?: string;
  /**
   * Hash of every input of the parsed manifest (files, project key, environment
   * variables read); equal keys give the same manifest but for generatedAt.
   * Undefined when a render read the clock.
   */
  inputsKey?: string;
  /** Environment variables any render read (null: unset), with the values seen. */
  envRead: Record<string, string | null>;
}

export { sha256 };

export function parseProject(config: ProjectConfig, options: ParseOptions): ParsedProject {
  const errors = new ErrorCollector();
  const files = options.files ?? discoverFiles(config);
  const env = options.env ?? process.env;
  const vars = { ...config.vars, ...options.vars };
  const engine = createEngine(config, options);
  let macros: Manifest['macros'] = {};
  let macroSources: [string, string][] = [];
  const { reads: macroReads } = trackReads(() => ({ macros, macroSources } = loadMacros(engine, config, files, errors)));
  const projectKey = macroReads.volatile ? undefined : projectCacheKey(config, vars, options.target, macroSources, macroReads.env);
  const cache = options.cache ? ParseCache.open(config.projectDir, config.targetPath) : ParseCache.disabled();
  cache.setProjectKey(projectKey);
  const docs = readDocsBlocks(config.projectDir, files.docs);
  const schema = readSchemaYaml(config.projectDir, files.schemaYaml, config.name, options.target.schema, errors, cache);
  const modelContext: ModelParseContext = {
    config,
    engine,
    cache,
    env,
    describe: (patch) => describePatch(patch, docs, errors),
    errors,
  };

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

  const modelChecksums: [string, string][] = [];
  // Environment variables read by any render, cached ones included: the manifest depends on them.
  const envSeen: Record<string, string | null> = { ...macroReads.env };
  const { reads: modelReads } = trackReads(() => {
    for (const file of files.models) {
      collect(errors, () => {
        const parsed = parseModel(modelContext, file, schema.models.get(basename(file, '.sql')));
        if (!parsed) return;
        if (parsed.template) templates.set(parsed.node.uniqueId, parsed.template);
        modelChecksums.push([file, parsed.node.checksum]);
        Object.assign(envSeen, parsed.env);
        register(parsed.node);
      });
    }
  });
  for (const file of files.seeds) {
    collect(errors, () => {
      const seed = parseSeed(config, file, schema.seeds.get(basename(file, '.csv')), modelContext.describe, errors);
      if (seed) register(seed);
    });
  }

  const sources: Record<string, SourceNode> = {};
  for (const source of schema.sources) {
    // A copy: the schema YAML cache holds the original, with doc() calls unresolved.
    sources[source.uniqueId] = { ...source, description: resolveDocCalls(source.description, docs, { file: source.originalFilePath }, errors) };
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
  const { reads: relationReads } = trackReads(() => {
    for (const node of Object.values(nodes)) {
      if (node.resourceType === 'model') node.relation = relationFor(node, engine, options.target.schema);
      else node.relation = { schema: node.config.schema ?? options.target.schema, identifier: node.config.alias ?? node.name };
    }
  });
  checkRelations(Object.values(nodes), errors);
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
  cache.save();
  errors.throwIfAny();
  const cacheable = projectKey && !modelReads.volatile && !relationReads.volatile && schema.fileKeys.every((k) => k !== undefined);
  const envRead = { ...envSeen, ...modelReads.env, ...relationReads.env };
  const inputsKey = cacheable
    ? hashJson([projectKey, modelChecksums, schema.fileKeys, docs, files.seeds, singularTestKeys(config, files), envRead])
    : undefined;
  return { config, manifest, engine, files, templates, projectKey, inputsKey, envRead };
}

/**
 * A project whose manifest comes from target/project_snapshot.json: the manifest is
 * read on first use, and the template engine (macros loaded) made only when
 * something renders.
 */
export function restoreParsedProject(
  config: ProjectConfig,
  options: ParseOptions & { files: ProjectFiles },
  restored: { manifest: () => Manifest; projectKey?: string; inputsKey?: string; envRead: Record<string, string | null> },
): ParsedProject {
  let engine: TemplateEngine | undefined;
  const { manifest, ...keys } = restored;
  return {
    config,
    files: options.files,
    templates: new Map(),
    ...keys,
    get manifest() {
      return manifest();
    },
    get engine() {
      if (!engine) {
        const errors = new ErrorCollector();
        engine = createEngine(config, options);
        loadMacros(engine, config, options.files, errors);
        errors.throwIfAny();
      }
      return engine;
    },
  };
}

function createEngine(config: ProjectConfig, options: ParseOptions): TemplateEngine {
  const vars = { ...config.vars, ...options.vars };
  return new TemplateEngine({ projectName: config.name, vars, target: options.target, env: options.env });
}

/** Loads every macro file (and `{% test %}` blocks) into the engine. */
function loadMacros(engine: TemplateEngine, config: ProjectConfig, files: ProjectFiles, errors: ErrorCollector) {
  const macros: Manifest['macros'] = {};
  const macroSources: [string, string][] = [];
  for (const file of [...files.macros, ...files.genericTestMacros]) {
    collect(errors, () => {
      const source = rewriteTestBlocks(readFileSync(join(config.projectDir, file), 'utf8'));
      macroSources.push([file, sha256(source)]);
      for (const macro of engine.loadMacroFile(source, file, recordingHooks.forMacros(file))) {
        macros[`macro.${config.name}.${macro.name}`] = { name: macro.name, originalFilePath: file, line: macro.line };
      }
    });
  }
  return { macros, macroSources };
}

/** Singular tests become manifest nodes after parsing (datatests/): their text is an input too. */
function singularTestKeys(config: ProjectConfig, files: ProjectFiles): [string, string][] {
  return files.singularTests.map((file) => {
    try {
      return [file, sha256(readFileSync(join(config.projectDir, file), 'utf8'))];
    } catch {
      return [file, ''];
    }
  });
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


/**
 * PostgreSQL silently truncates names past 63 bytes, so two long names could land on
 * one table; and two nodes writing one relation would overwrite each other.
 */
function checkRelations(nodes: ExecutableNode[], errors: ErrorCollector): void {
  const owners = new Map<string, ExecutableNode>();
  for (const node of nodes) {
    if (node.resourceType === 'test') continue;
    if (node.resourceType === 'model' && node.config.materialized === 'ephemeral') continue;
    for (const [what, name] of [['schema', node.relation.schema], ['alias', node.relation.identifier]] as const) {
      if (Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES) {
        errors.add(
          new ProjectError(`the ${what} "${name}" is ${Buffer.byteLength(name)} bytes long; PostgreSQL keeps only ${MAX_IDENTIFIER_BYTES} bytes`, {
            file: node.originalFilePath,
            hint: `shorten the ${what === 'alias' ? 'alias (or the file name)' : 'schema'} to at most ${MAX_IDENTIFIER_BYTES} bytes`,
          }),
        );
      }
    }
    const key = `${node.relation.schema}\u0000${node.relation.identifier}`;
    const owner = owners.get(key);
    if (owner) {
      errors.add(
        new ProjectError(`${owner.originalFilePath} and ${node.originalFilePath} both write ${node.relation.schema}.${node.relation.identifier}`, {
          file: node.originalFilePath,
          hint: 'give one of them another alias or schema',
        }),
      );
    } else owners.set(key, node);
  }
}
