/**
 * The steps every command starts with: project file → target → manifest → graph,
 * plus the node selection the command asks for.
 */
import { loadProjectConfig } from '../config/load-project-config.js';
import type { ProjectConfig } from '../config/project-config.js';
import { resolveTarget, type ResolvedTarget } from '../config/targets.js';
import { addTestNodes } from '../datatests/index.js';
import { buildDag, rememberOrder, selectNodes, topologicalOrder, type Dag, type GraphNode, type IndirectSelection } from '../graph/index.js';
import { hashJson } from '../parse/cache-file.js';
import type { Manifest } from '../parse/manifest.js';
import { discoverFiles, type ProjectFiles } from '../parse/discover-files.js';
import { parseProject, restoreParsedProject, type ParseOptions, type ParsedProject } from '../parse/parse-project.js';
import { ProjectSnapshot } from '../parse/project-snapshot.js';
import { trackReads } from '../parse/render-hooks.js';

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
}

export function loadProject(options: ProjectOptions, env: NodeJS.ProcessEnv = process.env): LoadedProject {
  const config = loadProjectConfig(options.projectDir ?? process.cwd());
  const target = resolveTarget(config, options, env);
  const parseOptions = {
    target: { name: target.name, schema: target.schema, type: 'postgres', threads: target.threads, driver: target.type },
    vars: options.vars,
    env,
    cache: cachesEnabled(options),
    files: discoverFiles(config),
  };
  const { parsed, manifestKey, fromSnapshot, order: restoredOrder, keep } = parseOrRestore(config, parseOptions);
  const graphNodes = toGraphNodes(parsed.manifest);
  const dag = buildDag(graphNodes);
  // A restored manifest comes with its order; else this throws on a cycle, naming it.
  const order = restoredOrder ? rememberOrder(dag, restoredOrder) : topologicalOrder(dag);
  keep?.(order);
  return { config, target, parsed, manifest: parsed.manifest, graphNodes, dag, manifestKey, fromSnapshot };
}

/**
 * The parsed manifest with its tests, from target/project_snapshot.json when no input
 * changed since it was written (cache on), else by parsing. `keep` saves a new
 * snapshot, given the graph's topological order.
 */
function parseOrRestore(config: ProjectConfig, options: ParseOptions & { files: ProjectFiles; env: NodeJS.ProcessEnv }) {
  const snapshot = options.cache ? ProjectSnapshot.take(config, options.files, [options.target, options.vars ?? null]) : undefined;
  const restored = snapshot?.reuse(options.env);
  if (restored) {
    const { manifestKey, order, ...rest } = restored;
    const keep = snapshot!.settled ? (o: string[]) => snapshot!.save(rest.manifest, restored, rest.envRead, o) : undefined;
    return { parsed: restoreParsedProject(config, options, rest), manifestKey, fromSnapshot: true, order, keep };
  }
  const parsed = parseProject(config, options);
  // Tests render templates too: what they read is part of the manifest's key.
  const { reads } = trackReads(() => addTestNodes(parsed, options.target.schema));
  const manifestKey = parsed.inputsKey && !reads.volatile ? hashJson([parsed.inputsKey, reads.env]) : undefined;
  const keys = { projectKey: parsed.projectKey, inputsKey: parsed.inputsKey, manifestKey: manifestKey! };
  const keep = manifestKey && snapshot ? (o: string[]) => snapshot.save(parsed.manifest, keys, { ...parsed.envRead, ...reads.env }, o) : undefined;
  return { parsed, manifestKey, fromSnapshot: false, order: undefined, keep };
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
}

export function selectForCommand(project: LoadedProject, options: SelectionOptions) {
  return selectNodes(project.graphNodes, project.dag, options);
}
