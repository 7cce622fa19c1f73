/** `tspipe ls`: the selected nodes, as dbt ls shows them. */
import { nodeMacros } from '../parse/manifest-json.js';
import { loadProject, selectForCommand, type ProjectOptions } from './load-project.js';
import { readState, stateLookup, type StateOptions } from './state.js';

export interface ListOptions extends ProjectOptions, Pick<StateOptions, 'state'> {
  select?: string[];
  exclude?: string[];
  resourceTypes?: string[];
}

/**
 * One node as `dbt ls --output json` prints it (dbt's keys: name, resource_type,
 * package_name, original_file_path, unique_id, alias, config, tags, depends_on,
 * source_name), plus tspipe's fqn, materialized and relation.
 */
export interface ListedNode {
  unique_id: string;
  name: string;
  resource_type: string;
  package_name: string;
  original_file_path: string;
  /** Sources: the source a table belongs to. */
  source_name?: string;
  alias?: string;
  config?: Record<string, unknown>;
  tags: string[];
  depends_on: { macros: string[]; nodes: string[] };
  /** dbt's fully qualified name: package, folders, name. */
  fqn: string[];
  materialized?: string;
  relation?: string;
}

/** What `dbt ls --output name` prints: a source as source.table. */
export function searchName(node: ListedNode): string {
  return node.source_name ? `${node.source_name}.${node.name}` : node.name;
}

export function listNodes(options: ListOptions, env?: NodeJS.ProcessEnv): { nodes: ListedNode[]; unmatched: string[] } {
  const project = loadProject(options, env);
  const state = readState(options, project.config.projectDir);
  const selection = selectForCommand(project, {
    state: state && stateLookup(project, state),
    select: options.select,
    exclude: options.exclude,
    resourceTypes: options.resourceTypes?.length ? options.resourceTypes : ['model', 'seed', 'snapshot', 'source', 'test'],
  });
  const { manifest } = project;
  const nodes = selection.ordered.map((id): ListedNode => {
    const node = manifest.nodes[id];
    if (node) {
      return {
        unique_id: id,
        name: node.name,
        resource_type: node.resourceType,
        package_name: node.packageName,
        original_file_path: node.originalFilePath,
        alias: node.relation.identifier,
        config: node.config,
        tags: node.config.tags,
        depends_on: { macros: nodeMacros(node, manifest), nodes: node.dependsOn },
        fqn: node.fqn,
        materialized: node.config.materialized,
        relation: node.resourceType === 'test' && !node.config.store_failures ? undefined : `${node.relation.schema}.${node.relation.identifier}`,
      };
    }
    const source = manifest.sources[id]!;
    return {
      unique_id: id,
      name: source.name,
      resource_type: 'source',
      package_name: source.packageName,
      original_file_path: source.originalFilePath,
      source_name: source.sourceName,
      config: { enabled: true, ...(source.eventTime ? { event_time: source.eventTime } : {}) },
      tags: source.tags,
      depends_on: { macros: [], nodes: [] },
      fqn: source.fqn,
      relation: `${source.relation.schema}.${source.relation.identifier}`,
    };
  });
  return { nodes, unmatched: selection.unmatched };
}
