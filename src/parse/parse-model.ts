/**
 * One model file → ModelNode: config from the project files' folders and schema YAML,
 * then a render with *recording* hooks for refs, sources and `{{ config() }}` (or the
 * same facts from target/partial_parse.json when nothing they depend on changed).
 */
import { readFileSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { literalEval } from '../config/native-value.js';
import { nodeNameConfig, packageConfigForPath } from '../config/folder-config.js';
import type { ProjectConfig } from '../config/project-config.js';
import { ProjectError, type ErrorCollector } from '../errors.js';
import { sha256 } from '../text.js';
import { hashJson, isPlainJson } from './cache-file.js';
import { callLines, configCallLine } from './call-lines.js';
import type { ConfigTrees } from './config-trees.js';
import type { ColumnInfo, ModelNode, NodeConfig } from './manifest.js';
import { configProblemHint } from './config-values.js';
import { mergeConfig, validateConfig } from './node-config.js';
import type { ModelParseEntry, ParseCache } from './parse-cache.js';
import { recordingHooks } from './recording-hooks.js';
import { trackReads } from './render-hooks.js';
import type { NodePatch } from './schema-yaml.js';
import type { CompiledTemplate, TemplateEngine } from './template-engine.js';

/** What parsing one package's nodes needs. */
export interface PackageParseContext {
  /** The package's own project config. */
  config: ProjectConfig;
  /** The root project's name (its config trees apply to packages too). */
  rootName: string;
  /** Rendered config trees of the package and of the root project. */
  trees: ConfigTrees;
  rootTrees: ConfigTrees;
  engine: TemplateEngine;
  cache: ParseCache;
  env: Record<string, string | undefined>;
  describe(patch: NodePatch | undefined): { description: string; columns: Record<string, ColumnInfo> };
  errors: ErrorCollector;
  /** The root project's folder: every file path is relative to it. */
  rootDir: string;
}

export interface ParsedModel {
  node: ModelNode;
  /** Environment variables its parse render read, with the values seen. */
  env: Record<string, string | null>;
  /** Undefined when the facts came from the cache: the compile pass compiles on demand. */
  template?: CompiledTemplate;
}

/** A file that defines one version of a model (`versions:` in schema YAML). */
export interface ModelVersion {
  name: string;
  version: string | number;
  latestVersion: string | number;
}

export function parseModel(ctx: PackageParseContext, file: string, patch: NodePatch | undefined, versionOf?: ModelVersion): ParsedModel | undefined {
  const { config, errors } = ctx;
  const name = versionOf?.name ?? basename(file, '.sql');
  checkName(basename(file, '.sql'), file, errors);
  const folders = foldersOf(packageRelative(file, config), config.modelPaths);
  const baseConfig = mergeConfig({ materialized: 'view' }, folderConfigFor(ctx, 'models', folders, name), patchConfig(ctx, patch));
  const rawCode = readFileSync(join(ctx.rootDir, file), 'utf8');
  const checksum = sha256(rawCode);
  const key = hashJson([file, config.name, checksum, baseConfig]);
  let template: CompiledTemplate | undefined;
  let facts = ctx.cache.model(file, key, ctx.env);
  if (!facts) {
    template = ctx.engine.compile(rawCode, file);
    facts = recordFacts(ctx, template, { file, name, rawCode, key, baseConfig, folders });
  }
  const { config: nodeConfig, problems } = validateConfig(facts.config, 'model');
  // Problems the project file's folders alone cause are reported once, at their line (config-values.ts).
  const inherited = problems.length ? validateConfig(folderConfigFor(ctx, 'models', folders, name), 'model').problems : [];
  for (const problem of problems) {
    if (inherited.includes(problem)) continue;
    errors.add(
      new ProjectError(`invalid config ${problem}`, {
        file,
        line: configCallLine(rawCode),
        hint:
          configProblemHint(ctx.engine, config.name, problem, facts.config) ??
          'fix the value in {{ config(...) }}, in schema YAML or in the project file under models:',
      }),
    );
  }
  if (!nodeConfig.enabled) return undefined;
  // A version's unique id and fqn end in v<version>, as dbt's do.
  const versionPart = versionOf ? [`v${versionOf.version}`] : [];
  const node: ModelNode = {
    uniqueId: [`model.${config.name}.${name}`, ...versionPart].join('.'),
    resourceType: 'model',
    name,
    packageName: config.name,
    originalFilePath: file,
    fqn: [config.name, ...folders, name, ...versionPart],
    ...templateNodeFields(ctx, patch, { checksum, rawCode, config: nodeConfig, facts }),
    ...(versionOf ? { version: versionOf.version, latestVersion: versionOf.latestVersion } : {}),
  };
  return { node, template, env: facts.env };
}

/** What models and snapshots (both a rendered SELECT) share; the relation is set after parsing. */
export function templateNodeFields(
  ctx: PackageParseContext,
  patch: NodePatch | undefined,
  { checksum, rawCode, config, facts }: { checksum: string; rawCode: string; config: NodeConfig; facts: ModelParseEntry },
) {
  return {
    ...ctx.describe(patch),
    patchPath: patch?.file,
    checksum,
    rawCode,
    config,
    relation: { schema: '', identifier: '' },
    refs: facts.refs.map((ref) => ({ ...ref })),
    sources: facts.sources.map(([s, t]): [string, string] => [s, t]),
    dependsOn: [] as string[],
    tests: patch?.tests ?? [],
  };
}

export interface ModelSource {
  file: string;
  name: string;
  rawCode: string;
  key: string;
  baseConfig: Record<string, unknown>;
  folders: string[];
}

/** The parse render: refs, sources and config() calls; kept in the partial parse cache unless `cache` is false. */
export function recordFacts(ctx: PackageParseContext, template: CompiledTemplate, model: ModelSource, cache = true): ModelParseEntry {
  const { config } = ctx;
  const recorder = recordingHooks.forModel(model.file, model.name, model.baseConfig, {
    packageName: config.name,
    thisSchema: ctx.engine.targetSchema,
    model: () => ({
      name: model.name,
      unique_id: `model.${config.name}.${model.name}`,
      package_name: config.name,
      resource_type: 'model',
      fqn: [config.name, ...model.folders, model.name],
      original_file_path: model.file,
      raw_code: model.rawCode,
      config: recorder.config,
    }),
  });
  const { reads } = trackReads(() => ctx.engine.render(template, recorder.hooks));
  const lines = callLines(
    model.rawCode,
    'ref',
    recorder.refs.map((ref) => ref.name),
  );
  const facts: ModelParseEntry = {
    key: model.key,
    env: reads.env,
    refs: recorder.refs.map((ref) => ({ ...ref, line: lines.get(ref.name) })),
    sources: recorder.sources,
    config: recorder.config,
  };
  // Values a JSON round trip would change (a relation, a macro's output object) are not cached.
  if (cache && !reads.volatile && isPlainJson(facts.config)) ctx.cache.setModel(model.file, facts);
  return facts;
}

/** Models share a handful of folders: work out each folder's config once per package. */
const folderConfigs = new WeakMap<object, Map<string, Record<string, unknown>>>();

export function folderConfigFor(
  ctx: Pick<PackageParseContext, 'config' | 'trees' | 'rootTrees' | 'rootName'>,
  kind: keyof PackageParseContext['trees'],
  folders: string[],
  name?: string,
): Record<string, unknown> {
  const own = ctx.trees[kind];
  let byFolder = folderConfigs.get(own);
  if (!byFolder) folderConfigs.set(own, (byFolder = new Map()));
  const key = folders.join('/');
  let found = byFolder.get(key);
  if (!found) byFolder.set(key, (found = packageConfigForPath(own, ctx.rootTrees[kind], ctx.config.name, ctx.rootName, folders)));
  if (name === undefined) return found;
  // dbt also matches a node's own name as the last level (config for one model or seed).
  const isRoot = ctx.config.name === ctx.rootName;
  const byName = {
    ...nodeNameConfig(own, ctx.config.name, folders, name, false),
    ...(isRoot ? {} : nodeNameConfig(ctx.rootTrees[kind], ctx.config.name, folders, name, true)),
  };
  return Object.keys(byName).length ? mergeConfig(found, byName) : found;
}

/** A root-relative path (dbt_packages/x/models/a.sql) relative to its package (models/a.sql). */
export function packageRelative(file: string, config: ProjectConfig): string {
  return config.displayDir && file.startsWith(`${config.displayDir}/`) ? file.slice(config.displayDir.length + 1) : file;
}

/** Postgres truncates identifiers at 63 bytes; longer names would collide silently. */
export const MAX_IDENTIFIER_BYTES = 63;
const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkName(name: string, file: string, errors: ErrorCollector): void {
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
export function foldersOf(file: string, roots: string[]): string[] {
  const root = roots.map((r) => posix.normalize(r).replace(/\/$/, '')).find((r) => file.startsWith(`${r}/`));
  const relative = root ? file.slice(root.length + 1) : file;
  return relative.split('/').slice(0, -1);
}

/**
 * A property file's `config:` as dbt reads it: Jinja in any value rendered while parsing,
 * natively (`column_types: {x: "{{ 'float' if target.type == 'postgres' else 'real' }}"}`).
 */
export function patchConfig(ctx: Pick<PackageParseContext, 'engine' | 'config'>, patch: NodePatch | undefined): Record<string, unknown> {
  if (!patch) return {};
  const render = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (!value.includes('{{') && !value.includes('{%')) return value;
      return literalEval(ctx.engine.render(ctx.engine.compile(value, patch.file), recordingHooks.forMacros(patch.file, ctx.config.name)));
    }
    if (Array.isArray(value)) return value.map(render);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v)]));
    return value;
  };
  return render(patch.config) as Record<string, unknown>;
}
