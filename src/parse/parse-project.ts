/**
 * Files → Manifest, for the root project and its installed packages. Renders each
 * model once with *recording* hooks to learn its refs, sources and config
 * (parse-model.ts), collecting every error of the project before failing. With
 * `cache`, unchanged files are not rendered again; the keys are parse-inputs.ts's.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ErrorCollector, ProjectError, TspipeError } from '../errors.js';
import { closestHint, sha256 } from '../text.js';
import { lineOfCall } from './call-lines.js';
import { renderConfigTrees, type ConfigTrees } from './config-trees.js';
import { checkConfigTreeValues, unusedConfigPaths } from './config-values.js';
import { readDocsBlocks, resolveDocCalls } from './docs-blocks.js';
import { loadMacros } from './load-macros.js';
import type { ColumnInfo, ExecutableNode, Manifest, SeedNode, SourceNode, UnitTestDefinition } from './manifest.js';
import { mergeConfig, validateConfig } from './node-config.js';
import { ParseInputs } from './parse-inputs.js';
import {
  MAX_IDENTIFIER_BYTES,
  checkName,
  folderConfigFor,
  foldersOf,
  packageRelative,
  parseModel,
  patchConfig,
  type PackageParseContext,
} from './parse-model.js';
import { createEngine, type ParseOptions, type ParsedProject } from './parsed-project.js';
import { relationOfModel, relationOfSnapshot, relationOfSource } from './relation-names.js';
import { parseSnapshotFile, parseYamlSnapshot, type ParsedSnapshot } from './parse-snapshot.js';
import { refNames, resolveRef, versionedRefName } from './resolve-refs.js';
import { trackReads, withFlags } from './render-hooks.js';
import { latestVersionOf, readSchemaYaml, type NodePatch, type VersionPatch } from './schema-yaml.js';
import type { CompiledTemplate } from './template-engine.js';

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
  const inputs = ParseInputs.start(options, macroSources, macroReads);
  const { cache } = inputs;
  const docs = readDocsBlocks(root.projectDir, tree.files.docs);
  // env_var() in the project file's config is an input of every node's config.
  const { value: rootTrees, reads: rootTreeReads } = trackReads(() => renderConfigTrees(root, options.target, cliVars, env));
  inputs.addReads(rootTreeReads);
  const configTrees = new Map<string, ConfigTrees>([[root.name, rootTrees]]);

  const nodes: Record<string, ExecutableNode> = {};
  const refIndex: Manifest['refIndex'] = {};
  const templates = new Map<string, CompiledTemplate>();
  const sources: Record<string, SourceNode> = {};
  const register = (node: ExecutableNode) => {
    // A model version is found as `name.v<version>`; its latest version also as plain `name`.
    if (node.resourceType === 'model' && node.version !== undefined) {
      (refIndex[versionedRefName(node.name, node.version)] ??= {})[node.packageName] = node.uniqueId;
      nodes[node.uniqueId] = node;
      if (String(node.version) !== String(node.latestVersion)) return;
    }
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

  const unmatched: { kind: string; patch: NodePatch }[] = [];
  const unitTests: UnitTestDefinition[] = [];
  // What a cached model's reads are compared with: environment variables and flags.
  const cacheEnv = withFlags(env, options.flags);
  const { reads: modelReads } = trackReads(() => {
    for (const pkg of tree.packages) {
      const trees = pkg.isRoot ? rootTrees : renderConfigTrees(pkg.config, options.target, cliVars, env);
      configTrees.set(pkg.config.name, trees);
      checkConfigTreeValues(pkg.config, trees, engine, errors);
      const testDirs = pkg.config.testPaths.map((dir) => (pkg.config.displayDir ? `${pkg.config.displayDir}/${dir}` : dir));
      const schema = readSchemaYaml(root.projectDir, pkg.files.schemaYaml, pkg.config.name, options.target.schema, errors, cache, testDirs);
      unitTests.push(...schema.unitTests);
      inputs.addSchemaKeys(schema.fileKeys);
      warnings.push(...schema.warnings);
      const ctx: PackageParseContext = {
        config: pkg.config,
        rootName: root.name,
        trees,
        rootTrees,
        engine,
        cache,
        env: cacheEnv,
        describe: (patch) => describePatch(patch, docs, errors),
        errors,
        rootDir: root.projectDir,
      };
      const seen = new Set<string>();
      const versionFiles = versionsByFile(schema.models);
      for (const file of pkg.files.models) {
        collect(errors, () => {
          const name = basename(file, '.sql');
          const version = versionFiles.get(name);
          seen.add(version?.model.name ?? name);
          const parsed = version
            ? parseModel(ctx, file, version.patch, { name: version.model.name, version: version.v, latestVersion: latestVersionOf(version.model)! })
            : parseModel(ctx, file, schema.models.get(name));
          if (!parsed) return;
          if (parsed.template) templates.set(parsed.node.uniqueId, parsed.template);
          inputs.addModel(file, parsed.node.checksum, parsed.env);
          register(parsed.node);
        });
      }
      for (const file of pkg.files.seeds) {
        collect(errors, () => {
          const name = basename(file, '.csv');
          seen.add(name);
          const seed = parseSeed(ctx, file, schema.seeds.get(name));
          if (seed) {
            inputs.addModel(file, seed.checksum, {});
            register(seed);
          }
        });
      }
      const seenSnapshots = new Set<string>();
      const addSnapshot = (parsed: ParsedSnapshot | undefined) => {
        if (!parsed) return;
        seenSnapshots.add(parsed.node.name);
        templates.set(parsed.node.uniqueId, parsed.template);
        inputs.addModel(`${parsed.node.originalFilePath}#${parsed.node.name}`, parsed.node.checksum, parsed.env);
        register(parsed.node);
      };
      for (const file of pkg.files.snapshots) {
        collect(errors, () => {
          const text = readFileSync(join(root.projectDir, file), 'utf8');
          parseSnapshotFile(ctx, file, text, (name) => schema.snapshots.get(name)).forEach(addSnapshot);
        });
      }
      for (const patch of schema.snapshots.values()) {
        if (patch.relation !== undefined && !seenSnapshots.has(patch.name))
          collect(errors, () => addSnapshot(parseYamlSnapshot(ctx, { ...patch, relation: patch.relation! })));
      }
      for (const source of schema.sources) {
        // A copy: the schema YAML cache holds the original, with doc() calls unresolved.
        sources[source.uniqueId] = { ...source, description: resolveDocCalls(source.description, docs, { file: source.originalFilePath }, errors) };
      }
      for (const [kind, patches] of [
        ['model', schema.models],
        ['seed', schema.seeds],
      ] as const) {
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
    for (const source of Object.values(sources)) source.relation = relationOfSource(source, engine);
  });
  inputs.addReads(modelReads);
  inputs.addReads(relationReads);
  // Disabled nodes count too (as in dbt): a folder of disabled models is no misspelt folder.
  const fileNodes = tree.packages.flatMap((pkg) => [
    ...pkg.files.models.map((file) => ({
      resourceType: 'model',
      fqn: [pkg.config.name, ...foldersOf(packageRelative(file, pkg.config), pkg.config.modelPaths), basename(file, '.sql')],
    })),
    ...pkg.files.seeds.map((file) => ({
      resourceType: 'seed',
      fqn: [pkg.config.name, ...foldersOf(packageRelative(file, pkg.config), pkg.config.seedPaths), basename(file, '.csv')],
    })),
  ]);
  warnings.push(...unusedConfigPaths(root, rootTrees, fileNodes));
  checkRelations(Object.values(nodes), errors);
  resolveDependencies(manifest, errors, root);
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
  // Saved even when the parse failed: the files that parsed stay cached.
  cache.save();
  errors.throwIfAny();
  const { envRead, inputsKey } = inputs.finish(docs, tree.files.seeds, [...tree.files.singularTests, ...tree.files.fixtures], root.projectDir);
  const { projectKey } = inputs;
  return { config: root, tree, manifest, engine, files: tree.files, templates, projectKey, inputsKey, envRead, warnings, configTrees, unitTests };
}

function parseSeed(ctx: PackageParseContext, file: string, patch: NodePatch | undefined): SeedNode | undefined {
  const { config, errors } = ctx;
  const name = basename(file, '.csv');
  checkName(name, file, errors);
  const folders = foldersOf(packageRelative(file, config), config.seedPaths);
  const raw = mergeConfig({}, folderConfigFor(ctx, 'seeds', folders, name), patchConfig(ctx, patch));
  const { config: seedConfig, problems } = validateConfig(raw, 'seed');
  const inherited = problems.length ? validateConfig(folderConfigFor(ctx, 'seeds', folders, name), 'seed').problems : [];
  for (const problem of problems) {
    if (inherited.includes(problem)) continue; // reported at the project file's line
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

function resolveDependencies(manifest: Manifest, errors: ErrorCollector, root: ParseOptions['tree']['root']): void {
  // Refs to nothing while a seed folder is missing: one error about the folder, not one per ref.
  const declared = root.seedPathsKey;
  const missingSeedDirs = declared ? root.seedPaths.filter((dir) => !existsSync(join(root.projectDir, dir))) : [];
  const unreadSeeds = new Set<string>();
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
      const id = resolveRef(manifest, ref.name, ref.package, node.packageName, ref.version);
      if (id) parents.add(id);
      else if (missingSeedDirs.length && !closestHint(ref.name, refNames(manifest))) unreadSeeds.add(ref.name);
      else
        errors.add(
          new ProjectError(
            `ref(${ref.package ? `"${ref.package}", ` : ''}"${ref.name}"${ref.version !== undefined ? `, v=${ref.version}` : ''}) names a model or seed that does not exist`,
            {
              file: node.originalFilePath,
              line: ref.line,
              hint: closestHint(ref.name, refNames(manifest)) ?? 'check the name, or add the model or seed',
            },
          ),
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
  if (unreadSeeds.size) {
    const dirs = missingSeedDirs.map((dir) => `"${dir}"`).join(', ');
    errors.add(
      new ProjectError(
        `seed path ${dirs} does not exist, so ${[...unreadSeeds]
          .sort()
          .map((name) => `ref("${name}")`)
          .join(', ')} find${unreadSeeds.size === 1 ? 's' : ''} no seed`,
        {
          file: root.displayDir ? `${root.displayDir}/${root.configFile}` : root.configFile,
          line: root.lineOf([declared!]),
          hint: `create the folder or fix ${declared} (relative to ${root.projectDir}); to load CSV files from elsewhere for one command, pass --seed-paths DIR`,
        },
      ),
    );
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
    for (const [what, name] of [
      ['schema', node.relation.schema],
      ['alias', node.relation.identifier],
    ] as const) {
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

/** Each model version's defining file (without .sql) → the version and its model's patch. */
function versionsByFile(models: Map<string, NodePatch>): Map<string, VersionPatch & { model: NodePatch }> {
  const byFile = new Map<string, VersionPatch & { model: NodePatch }>();
  for (const model of models.values()) for (const version of model.versions ?? []) byFile.set(version.definedIn, { ...version, model });
  return byFile;
}
