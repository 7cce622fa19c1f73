/**
 * Files → Manifest, for the root project and its installed packages. Renders each
 * model once with *recording* hooks to learn its refs, sources and config
 * (parse-model.ts), collecting every error of the project before failing. With
 * `cache`, unchanged files are not rendered again.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ErrorCollector, ProjectError, TspipeError } from '../errors.js';
import type { TargetContext } from '../context/builtins.js';
import { hashJson, sha256 } from './cache-file.js';
import { lineOfCall } from './call-lines.js';
import { renderConfigTrees, type ConfigTrees } from './config-trees.js';
import { readDocsBlocks, resolveDocCalls } from './docs-blocks.js';
import { loadMacros } from './load-macros.js';
import type { ColumnInfo, ExecutableNode, Manifest, ModelNode, SeedNode, SourceNode, UnitTestDefinition } from './manifest.js';
import { mergeConfig, validateConfig } from './node-config.js';
import { ParseCache, projectCacheKey } from './parse-cache.js';
import { MAX_IDENTIFIER_BYTES, checkName, folderConfigFor, foldersOf, packageRelative, parseModel, type PackageParseContext } from './parse-model.js';
import type { ProjectTree } from './project-tree.js';
import { relationOfModel, relationOfSnapshot } from './relation-names.js';
import { parseSnapshotFile, parseYamlSnapshot, type ParsedSnapshot } from './parse-snapshot.js';
import { closestHint, refNames, resolveRef } from './resolve-refs.js';
import { trackReads } from './render-hooks.js';
import { readSchemaYaml, type NodePatch, type SchemaYaml } from './schema-yaml.js';
import { TemplateEngine, type CompiledTemplate } from './template-engine.js';
import type { LogLine } from '../context/builtins.js';
import type { ProjectFiles } from './discover-files.js';

export { closestHint } from './resolve-refs.js';

export interface ParseOptions {
  target: TargetContext;
  /** --vars, overriding every project's vars. */
  vars?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  /** Reuse and update target/partial_parse.json (content-hash cache); off unless asked. */
  cache?: boolean;
  /** The root project and its packages. */
  tree: ProjectTree;
  /** dbt's flags (FULL_REFRESH, WHICH...) as templates see them. */
  flags?: Record<string, unknown>;
  fullRefresh?: boolean;
  /** Where log(), print() and exceptions.warn() lines go. */
  onLog?(line: LogLine): void;
}

export interface ParsedProject {
  config: ParseOptions['tree']['root'];
  tree: ProjectTree;
  manifest: Manifest;
  engine: TemplateEngine;
  /** Every file of the tree (root-relative). */
  files: ProjectFiles;
  /** Compiled templates by model uniqueId, reused by the compile pass (absent when cached). */
  templates: Map<string, CompiledTemplate>;
  /** Hash of everything a render can see besides the model's own file and config; undefined when renders must not be cached. */
  projectKey?: string;
  /** Hash of every input of the parsed manifest; equal keys give the same manifest but for generatedAt. */
  inputsKey?: string;
  /** Environment variables any render read (null: unset), with the values seen. */
  envRead: Record<string, string | null>;
  /** Problems that do not stop the run (dbt prints them as warnings). */
  warnings: TspipeError[];
  /** Each package's rendered config trees (tests take their config from them later). */
  configTrees: Map<string, ConfigTrees>;
  /** unit_tests: of every property file; datatests/ makes them test nodes. */
  unitTests: UnitTestDefinition[];
}

export { sha256 };

export function parseProject(options: ParseOptions): ParsedProject {
  const { tree } = options;
  const root = tree.root;
  const errors = new ErrorCollector();
  const warnings: TspipeError[] = [];
  const env = options.env ?? process.env;
  const cliVars = options.vars ?? {};
  const engine = createEngine(options);
  let macroSources: [string, string][] = [];
  let macros: Manifest['macros'] = {};
  const { reads: macroReads } = trackReads(() => ({ macros, sources: macroSources } = loadMacros(engine, tree, errors)));
  const projectKey = macroReads.volatile ? undefined : projectCacheKey(tree, cliVars, options.target, macroSources, macroReads.env);
  const cache = options.cache ? ParseCache.open(root.projectDir, root.targetPath) : ParseCache.disabled();
  cache.setProjectKey(projectKey);
  const docs = readDocsBlocks(root.projectDir, tree.files.docs);
  const rootTrees = renderConfigTrees(root, options.target, cliVars, env);
  const configTrees = new Map<string, ConfigTrees>([[root.name, rootTrees]]);

  const nodes: Record<string, ExecutableNode> = {};
  const refIndex: Manifest['refIndex'] = {};
  const templates = new Map<string, CompiledTemplate>();
  const sources: Record<string, SourceNode> = {};
  const register = (node: ExecutableNode) => {
    const byPackage = (refIndex[node.name] ??= {});
    const previous = byPackage[node.packageName];
    if (previous) {
      errors.add(
        new ProjectError(`two nodes are named "${node.name}": ${nodes[previous]!.originalFilePath} and ${node.originalFilePath}`, {
          file: node.originalFilePath,
          hint: 'names must be unique across models and seeds of a project: rename one file (or set an alias for its table)',
        }),
      );
      return;
    }
    byPackage[node.packageName] = node.uniqueId;
    nodes[node.uniqueId] = node;
  };

  const modelChecksums: [string, string][] = [];
  const schemaKeys: (string | undefined)[] = [];
  const envSeen: Record<string, string | null> = { ...macroReads.env };
  const unmatched: { kind: string; patch: NodePatch }[] = [];
  const unitTests: UnitTestDefinition[] = [];
  const { reads: modelReads } = trackReads(() => {
    for (const pkg of tree.packages) {
      const trees = pkg.isRoot ? rootTrees : renderConfigTrees(pkg.config, options.target, cliVars, env);
      configTrees.set(pkg.config.name, trees);
      const testDirs = pkg.config.testPaths.map((dir) => (pkg.config.displayDir ? `${pkg.config.displayDir}/${dir}` : dir));
      const schema = readSchemaYaml(root.projectDir, pkg.files.schemaYaml, pkg.config.name, options.target.schema, errors, cache, testDirs);
      unitTests.push(...schema.unitTests);
      schemaKeys.push(...schema.fileKeys);
      warnings.push(...schema.warnings);
      const ctx: PackageParseContext = {
        config: pkg.config,
        rootName: root.name,
        trees,
        rootTrees,
        engine,
        cache,
        env,
        describe: (patch) => describePatch(patch, docs, errors),
        errors,
        rootDir: root.projectDir,
      };
      const seen = new Set<string>();
      for (const file of pkg.files.models) {
        collect(errors, () => {
          const name = basename(file, '.sql');
          seen.add(name);
          const parsed = parseModel(ctx, file, schema.models.get(name));
          if (!parsed) return;
          if (parsed.template) templates.set(parsed.node.uniqueId, parsed.template);
          modelChecksums.push([file, parsed.node.checksum]);
          Object.assign(envSeen, parsed.env);
          register(parsed.node);
        });
      }
      for (const file of pkg.files.seeds) {
        collect(errors, () => {
          const name = basename(file, '.csv');
          seen.add(name);
          const seed = parseSeed(ctx, file, schema.seeds.get(name));
          if (seed) {
            modelChecksums.push([file, seed.checksum]);
            register(seed);
          }
        });
      }
      const seenSnapshots = new Set<string>();
      const addSnapshot = (parsed: ParsedSnapshot | undefined) => {
        if (!parsed) return;
        seenSnapshots.add(parsed.node.name);
        templates.set(parsed.node.uniqueId, parsed.template);
        modelChecksums.push([`${parsed.node.originalFilePath}#${parsed.node.name}`, parsed.node.checksum]);
        Object.assign(envSeen, parsed.env);
        register(parsed.node);
      };
      for (const file of pkg.files.snapshots) {
        collect(errors, () => {
          const text = readFileSync(join(root.projectDir, file), 'utf8');
          parseSnapshotFile(ctx, file, text, (name) => schema.snapshots.get(name)).forEach(addSnapshot);
        });
      }
      for (const patch of schema.snapshots.values()) {
        if (patch.relation !== undefined && !seenSnapshots.has(patch.name)) collect(errors, () => addSnapshot(parseYamlSnapshot(ctx, { ...patch, relation: patch.relation! })));
      }
      for (const source of schema.sources) {
        // A copy: the schema YAML cache holds the original, with doc() calls unresolved.
        sources[source.uniqueId] = { ...source, description: resolveDocCalls(source.description, docs, { file: source.originalFilePath }, errors) };
      }
      for (const [kind, patches] of [['model', schema.models], ['seed', schema.seeds]] as const) {
        for (const [name, patch] of patches) if (!seen.has(name)) unmatched.push({ kind, patch });
      }
      for (const [name, patch] of schema.snapshots) if (!seenSnapshots.has(name)) unmatched.push({ kind: 'snapshot', patch });
    }
  });
  const manifest: Manifest = { projectName: root.name, rootPackage: root.name, generatedAt: new Date().toISOString(), nodes, sources, macros, docs, refIndex };
  const { reads: relationReads } = trackReads(() => {
    // tspipe's own project.yml format uses a custom schema as written (see relation-names.ts).
    const schemaAsWritten = root.configFile === 'project.yml';
    for (const node of Object.values(nodes)) {
      if (node.resourceType === 'snapshot') node.relation = relationOfSnapshot(node, engine, options.target.schema, schemaAsWritten);
      else if (node.resourceType !== 'test') node.relation = relationOfModel(node, engine, options.target.schema, schemaAsWritten);
    }
  });
  checkRelations(Object.values(nodes), errors);
  resolveDependencies(manifest, errors);
  // dbt warns about property entries for nodes that do not exist (a disabled node is no surprise).
  for (const { kind, patch } of unmatched) {
    if (errors.errors.some((e) => e.location.file === patch.file)) continue;
    warnings.push(
      new ProjectError(`${patch.file} describes ${kind} "${patch.name}", which does not exist or is disabled`, {
        file: patch.file,
        line: patch.line,
        hint: closestHint(patch.name, refNames(manifest)) ?? `remove the entry or add the ${kind}`,
      }),
    );
  }
  cache.save();
  errors.throwIfAny();
  const cacheable = projectKey && !modelReads.volatile && !relationReads.volatile && schemaKeys.every((k) => k !== undefined);
  const envRead = { ...envSeen, ...modelReads.env, ...relationReads.env };
  const inputsKey = cacheable
    ? hashJson([projectKey, modelChecksums, schemaKeys, docs, tree.files.seeds, singularTestKeys(root.projectDir, tree.files.singularTests), envRead])
    : undefined;
  return { config: root, tree, manifest, engine, files: tree.files, templates, projectKey, inputsKey, envRead, warnings, configTrees, unitTests };
}

/**
 * A project whose manifest comes from target/project_snapshot.json: the manifest is
 * read on first use, and the template engine (macros loaded) made only when
 * something renders.
 */
export function restoreParsedProject(
  options: ParseOptions,
  restored: { manifest: () => Manifest; projectKey?: string; inputsKey?: string; envRead: Record<string, string | null> },
): ParsedProject {
  let engine: TemplateEngine | undefined;
  let configTrees: Map<string, ConfigTrees> | undefined;
  const { manifest, ...keys } = restored;
  return {
    config: options.tree.root,
    tree: options.tree,
    files: options.tree.files,
    templates: new Map(),
    warnings: [],
    unitTests: [],
    ...keys,
    get configTrees() {
      return (configTrees ??= new Map(options.tree.packages.map((p) => [p.config.name, renderConfigTrees(p.config, options.target, options.vars ?? {}, options.env ?? process.env)])));
    },
    get manifest() {
      return manifest();
    },
    get engine() {
      if (!engine) {
        const errors = new ErrorCollector();
        engine = createEngine(options);
        loadMacros(engine, options.tree, errors);
        errors.throwIfAny();
      }
      return engine;
    },
  };
}

function createEngine(options: ParseOptions): TemplateEngine {
  const projectVars = Object.fromEntries(options.tree.packages.map((p) => [p.config.name, p.config.vars]));
  return new TemplateEngine({
    projectName: options.tree.root.name,
    projectVars,
    cliVars: options.vars ?? {},
    target: options.target,
    env: options.env,
    dispatch: options.tree.root.dispatch,
    flags: options.flags,
    fullRefresh: options.fullRefresh,
    onLog: options.onLog,
  });
}

/** Singular tests become manifest nodes after parsing (datatests/): their text is an input too. */
function singularTestKeys(projectDir: string, files: string[]): [string, string][] {
  return files.map((file) => {
    try {
      return [file, sha256(readFileSync(join(projectDir, file), 'utf8'))];
    } catch {
      return [file, ''];
    }
  });
}

function parseSeed(ctx: PackageParseContext, file: string, patch: NodePatch | undefined): SeedNode | undefined {
  const { config, errors } = ctx;
  const name = basename(file, '.csv');
  checkName(name, file, errors);
  const folders = foldersOf(packageRelative(file, config), config.seedPaths);
  const raw = mergeConfig({}, folderConfigFor(ctx, 'seeds', folders, name), patch?.config ?? {});
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
    ...ctx.describe(patch),
    patchPath: patch?.file,
    checksum: seedChecksum(ctx.rootDir, file),
    config: seedConfig,
    relation: { schema: '', identifier: '' },
    dependsOn: [],
    tests: patch?.tests ?? [],
  };
}

/** dbt's rule: a seed up to 1 MiB is hashed; a bigger one is known by its path (hashing it would cost a read per parse). */
const SEED_HASH_LIMIT = 1024 * 1024;

function seedChecksum(rootDir: string, file: string): string {
  const path = join(rootDir, file);
  return statSync(path).size <= SEED_HASH_LIMIT ? sha256(readFileSync(path, 'utf8')) : `path:${file}`;
}

function resolveDependencies(manifest: Manifest, errors: ErrorCollector): void {
  const sourceIds = new Map<string, string>();
  for (const source of Object.values(manifest.sources)) {
    const key = `${source.sourceName}.${source.name}`;
    // A source of the root project wins over a package's of the same name.
    if (!sourceIds.has(key) || source.packageName === manifest.rootPackage) sourceIds.set(key, source.uniqueId);
  }
  for (const node of Object.values(manifest.nodes)) {
    if (node.resourceType !== 'model' && node.resourceType !== 'snapshot') continue;
    const parents = new Set<string>();
    for (const ref of node.refs) {
      const id = resolveRef(manifest, ref.name, ref.package, node.packageName);
      if (id) parents.add(id);
      else
        errors.add(
          new ProjectError(`ref(${ref.package ? `"${ref.package}", ` : ''}"${ref.name}") names a model or seed that does not exist`, {
            file: node.originalFilePath,
            line: ref.line,
            hint: closestHint(ref.name, refNames(manifest)) ?? 'check the name, or add the model or seed',
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

function describePatch(patch: NodePatch | undefined, docs: Record<string, string>, errors: ErrorCollector) {
  if (!patch) return { description: '', columns: {} };
  const where = { file: patch.file, line: patch.line };
  const columns: Record<string, ColumnInfo> = {};
  for (const [name, column] of Object.entries(patch.columns)) {
    columns[name] = { ...column, description: resolveDocCalls(column.description, docs, where, errors) };
  }
  return { description: resolveDocCalls(patch.description, docs, where, errors), columns };
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

export type { ConfigTrees, SchemaYaml };
