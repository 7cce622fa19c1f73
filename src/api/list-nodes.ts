/** `tspipe ls`: the selected nodes, as dbt ls shows them. */
import { loadProject, selectForCommand, type ProjectOptions } from './load-project.js';
import { readState, stateLookup, type StateOptions } from './state.js';

export interface ListOptions extends ProjectOptions, Pick<StateOptions, 'state'> {
  select?: string[];
  exclude?: string[];
  resourceTypes?: string[];
}

export interface ListedNode {
  unique_id: string;
  /** dbt's fully qualified name: package, folders, name. */
  fqn: string[];
  name: string;
  resource_type: string;
  original_file_path: string;
  materialized?: string;
  relation?: string;
  tags: string[];
  depends_on: string[];
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
  const nodes = selection.ordered.map((id): ListedNode => {
    const node = project.manifest.nodes[id];
    if (node) {
      return {
        unique_id: id,
        fqn: node.fqn,
        name: node.name,
        resource_type: node.resourceType,
        original_file_path: node.originalFilePath,
        materialized: node.config.materialized,
        relation: node.resourceType === 'test' && !node.config.store_failures ? undefined : `${node.relation.schema}.${node.relation.identifier}`,
        tags: node.config.tags,
        depends_on: node.dependsOn,
      };
    }
    const source = project.manifest.sources[id]!;
    return {
      unique_id: id,
      fqn: source.fqn,
      name: `${source.sourceName}.${source.name}`,
      resource_type: 'source',
      original_file_path: source.originalFilePath,
      relation: `${source.relation.schema}.${source.relation.identifier}`,
      tags: source.tags,
      depends_on: [],
    };
  });
  return { nodes, unmatched: selection.unmatched };
}
