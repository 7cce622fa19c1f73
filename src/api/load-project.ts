/**
 * The steps every command starts with: project file → target → manifest → graph,
 * plus the node selection the command asks for.
 */
import { loadProjectConfig } from '../config/load-project-config.js';
import { withSeedPaths } from '../config/seed-paths.js';
import type { ProjectConfig } from '../config/project-config.js';
import { resolveTarget, type ResolvedTarget } from '../config/targets.js';
import { addTestNodes } from '../datatests/index.js';
import { buildDag, rememberOrder, selectNodes, topologicalOrder, type Dag, type GraphNode, type IndirectSelection, type StateLookup } from '../graph/index.js';
import { hashJson } from '../parse/cache-file.js';
import type { Manifest } from '../parse/manifest.js';
import { loadProjectTree } from '../parse/project-tree.js';
import type { LogLine, TargetContext } from '../context/builtins.js';
import type { TspipeError } from '../errors.js';
import { parseProject } from '../parse/parse-project.js';
import { restoreParsedProject, type ParseOptions, type ParsedProject } from '../parse/parsed-project.js';
import { ProjectSnapshot, countNodes, type NodeCounts, type RestoredSnapshot } from '../parse/project-snapshot.js';
import { trackReads, withFlags } from '../parse/render-hooks.js';

export interface ProjectOptions {
  projectDir?: string;
  target?: string;
  databaseUrl?: string;
  threads?: number;
  vars?: Record<string, unknown>;
  /** Reuse target/ caches (project snapshot, partial parse, compile cache) for unchanged files (default true). */
  cache?: boolean;
  /** The CLI's --partial-parse / --no-partial-parse, the same as `cache`. */
  partialParse?: boolean;
  /** --seed-paths: folders of CSV seeds replacing the project file's seed-paths (relative to the current folder, or absolute). */
  seedPaths?: string[];
  /** Where a dbt project's profiles.yml is, and which entry to use. */
  profilesDir?: string;
  profile?: string;
  /** --full-refresh: templates see it as flags.FULL_REFRESH and should_full_refresh(). */
  fullRefresh?: boolean;
  /** --store-failures: templates see it as flags.STORE_FAILURES (should_store_failures()). */
  storeFailures?: boolean;
  /** The command (dbt's flags.WHICH): run, build, test, compile... */
  command?: string;
  /** Where log(), print() and exceptions.warn() lines of templates go. */
  onLog?(line: LogLine): void;
}

export function cachesEnabled(options: ProjectOptions): boolean {
  return (options.cache ?? options.partialParse) !== false;
}

export interface LoadedProject {
  config: ProjectConfig;
  target: ResolvedTarget;
  parsed: ParsedProject;
  manifest: Manifest;
  graphNodes: GraphNode[];
  dag: Dag;
  /** Equal keys give the same manifest.json but for generated_at (see ParsedProject.inputsKey). */
  manifestKey?: string;
  /** The manifest came from target/project_snapshot.json: no file was parsed. */
  fromSnapshot: boolean;
  counts: NodeCounts;
  /** manifest.generatedAt, known without reading a restored manifest. */
  generatedAt: string;
  /** Problems that do not stop a command; dbt prints them as warnings (kept in the snapshot too). */
  warnings: TspipeError[];
  /** What templates see as selected_resources: a command sets it with selectResources() once it has selected. */
  selectedResources: string[];
}

/** Sets dbt's selected_resources for the templates rendered from now on. */
export function selectResources(project: LoadedProject, uniqueIds: readonly string[]): void {
  project.selectedResources.splice(0, project.selectedResources.length, ...uniqueIds);
}

/**
 * Parses the project, or takes it from target/project_snapshot.json when no input
 * changed; then the manifest and its graph are read only when a command uses them.
 */
export function loadProject(options: ProjectOptions, env: NodeJS.ProcessEnv = process.env): LoadedProject {
  const config = withSeedPaths(loadProjectConfig(options.projectDir ?? process.cwd()), options.seedPaths);
  const target = resolveTarget(config, options, env);
  const tree = loadProjectTree(config);
  const selectedResources: string[] = [];
  const parseOptions: ParseOptions = {
    target: templateTarget(target, config),
    vars: options.vars,
    env,
    cache: cachesEnabled(options),
    tree,
    fullRefresh: options.fullRefresh,
    flags: flagsFor(options),
    selectedResources,
    onLog: options.onLog,
  };
  const snapshot = parseOptions.cache ? ProjectSnapshot.take(config, tree.files, [parseOptions.target, options.vars ?? null]) : undefined;
  const restored = snapshot?.reuse(withFlags(env, parseOptions.flags));
  if (restored) return restoreProject(config, target, parseOptions, restored, selectedResources);

  const { parsed, manifestKey, envRead } = parseWithTests(parseOptions);
  const graph = graphOf(parsed.manifest);
  // Throws on a cycle, naming it; the order is kept for selection and the snapshot.
  const order = topologicalOrder(graph.dag);
  if (manifestKey)
    snapshot?.save(parsed.manifest, { projectKey: parsed.projectKey, inputsKey: parsed.inputsKey, manifestKey }, envRead, order, parsed.warnings);
  const { manifest } = parsed;
  return {
    config,
    target,
    parsed,
    manifest,
    ...graph,
    manifestKey,
    fromSnapshot: false,
    counts: countNodes(manifest),
    generatedAt: manifest.generatedAt,
    warnings: parsed.warnings,
    selectedResources,
  };
}

/** dbt's flags as templates see them; the caches compare the ones a render read (render-reads.ts). */
export function flagsFor(options: ProjectOptions): Record<string, unknown> {
  return { FULL_REFRESH: options.fullRefresh ?? false, WHICH: options.command ?? null, STORE_FAILURES: options.storeFailures ?? false, EMPTY: false };
}

/** What templates see as `target` (dbt's target context, without secrets). */
function templateTarget(target: ResolvedTarget, config: ProjectConfig): TargetContext {
  return {
    name: target.name,
    schema: target.schema,
    type: 'postgres',
    threads: target.threads,
    database: target.database,
    user: target.user,
    host: target.host,
    port: target.port,
    profile_name: config.profileName ?? config.name,
    driver: target.type,
  };
}

function parseWithTests(options: ParseOptions) {
  const parsed = parseProject(options);
  // Tests render templates too: what they read is part of the manifest's key.
  const { reads } = trackReads(() => addTestNodes(parsed, options.target.schema));
  const manifestKey = parsed.inputsKey && !reads.volatile ? hashJson([parsed.inputsKey, reads.env]) : undefined;
  return { parsed, manifestKey, envRead: { ...parsed.envRead, ...reads.env } };
}

function restoreProject(
  config: ProjectConfig,
  target: ResolvedTarget,
  options: ParseOptions,
  restored: RestoredSnapshot,
  selectedResources: string[],
): LoadedProject {
  const generatedAt = new Date().toISOString();
  let body: { manifest: Manifest; order?: string[] } | undefined;
  const bodyOf = () => {
    if (!body) {
      // Another tspipe may have replaced the body since the head was read: parse again then.
      body = restored.body() ?? { manifest: parseWithTests(options).parsed.manifest };
      body.manifest.generatedAt = generatedAt;
    }
    return body;
  };
  const { projectKey, inputsKey, envRead, manifestKey, counts } = restored;
  const parsed = restoreParsedProject(options, { manifest: () => bodyOf().manifest, projectKey, inputsKey, envRead });
  let graph: ReturnType<typeof graphOf> | undefined;
  const lazyGraph = () => {
    if (!graph) {
      graph = graphOf(bodyOf().manifest);
      const { order } = bodyOf();
      if (order) rememberOrder(graph.dag, order);
      else topologicalOrder(graph.dag);
    }
    return graph;
  };
  return {
    config,
    target,
    parsed,
    get manifest() {
      return bodyOf().manifest;
    },
    get graphNodes() {
      return lazyGraph().graphNodes;
    },
    get dag() {
      return lazyGraph().dag;
    },
    manifestKey,
    fromSnapshot: true,
    counts,
    generatedAt,
    warnings: restored.warnings,
    selectedResources,
  };
}

function graphOf(manifest: Manifest): { graphNodes: GraphNode[]; dag: Dag } {
  const graphNodes = toGraphNodes(manifest);
  return { graphNodes, dag: buildDag(graphNodes) };
}

export function toGraphNodes(manifest: Manifest): GraphNode[] {
  const nodes: GraphNode[] = Object.values(manifest.nodes).map((node) => ({
    uniqueId: node.uniqueId,
    name: node.name,
    resourceType: node.resourceType,
    packageName: node.packageName,
    fqn: node.fqn,
    originalFilePath: node.originalFilePath,
    tags: node.config.tags,
    config: node.config,
    dependsOn: node.dependsOn,
    ...(node.resourceType === 'test' ? { testType: node.testType, attachedNode: node.attachedNode } : {}),
    ...(node.resourceType === 'model' && node.version !== undefined ? { version: node.version, latestVersion: node.latestVersion } : {}),
  }));
  for (const source of Object.values(manifest.sources)) {
    nodes.push({
      uniqueId: source.uniqueId,
      name: source.name,
      resourceType: 'source',
      packageName: source.packageName,
      fqn: source.fqn,
      originalFilePath: source.originalFilePath,
      tags: source.tags,
      config: {},
      dependsOn: [],
      sourceName: source.sourceName,
    });
  }
  return nodes;
}

export interface SelectionOptions {
  select?: string[];
  exclude?: string[];
  resourceTypes: string[];
  indirectSelection?: IndirectSelection;
  /** What state: and result: selectors compare with (api/state.ts). */
  state?: StateLookup;
}

export function selectForCommand(project: LoadedProject, options: SelectionOptions) {
  return selectNodes(project.graphNodes, project.dag, options);
}
