/**
 * The steps every command starts with: project file → target → manifest → graph,
 * plus the node selection the command asks for.
 */
import { loadProjectConfig } from '../config/load-project-config.js';
import type { ProjectConfig } from '../config/project-config.js';
import { resolveTarget, type ResolvedTarget } from '../config/targets.js';
import { addTestNodes } from '../datatests/index.js';
import { assertAcyclic, buildDag, selectNodes, type Dag, type GraphNode, type IndirectSelection } from '../graph/index.js';
import { hashJson } from '../parse/cache-file.js';
import type { Manifest } from '../parse/manifest.js';
import { parseProject, type ParsedProject } from '../parse/parse-project.js';
import { trackReads } from '../parse/render-hooks.js';

export interface ProjectOptions {
  projectDir?: string;
  target?: string;
  databaseUrl?: string;
  threads?: number;
  vars?: Record<string, unknown>;
  /** Reuse target/partial_parse.json for unchanged files (default true). */
  cache?: boolean;
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
}

export function loadProject(options: ProjectOptions, env: NodeJS.ProcessEnv = process.env): LoadedProject {
  const config = loadProjectConfig(options.projectDir ?? process.cwd());
  const target = resolveTarget(config, options, env);
  const parsed = parseProject(config, {
    target: { name: target.name, schema: target.schema, type: 'postgres', threads: target.threads, driver: target.type },
    vars: options.vars,
    env,
    cache: options.cache ?? true,
  });
  // Tests render templates too: what they read is part of the manifest's key.
  const { reads } = trackReads(() => addTestNodes(parsed, target.schema));
  const manifestKey = parsed.inputsKey && !reads.volatile ? hashJson([parsed.inputsKey, reads.env]) : undefined;
  const graphNodes = toGraphNodes(parsed.manifest);
  const dag = buildDag(graphNodes);
  assertAcyclic(dag);
  return { config, target, parsed, manifest: parsed.manifest, graphNodes, dag, manifestKey };
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
