/**
 * The shape the graph and selection code works on. The manifest builder maps its
 * richer nodes to this, so graph/ never depends on parse/.
 */
export const RESOURCE_TYPES = ['model', 'seed', 'test', 'source', 'snapshot'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export interface GraphNode {
  /** 'model.gaming.clean_users', 'seed.gaming.users', 'source.gaming.raw.events', ... */
  uniqueId: string;
  name: string;
  resourceType: ResourceType;
  packageName: string;
  /** dbt fqn: [package, ...folders, name] */
  fqn: string[];
  /** 'models/clean/clean_users.sql' (posix, relative to the project dir) */
  originalFilePath: string;
  tags: string[];
  /** materialized, enabled, severity, ... */
  config: Record<string, unknown>;
  /** uniqueIds of parents (sources included) */
  dependsOn: string[];
  testType?: 'generic' | 'singular' | 'unit';
  /** for tests: the model they test */
  attachedNode?: string;
  /** for sources: the source block name ('raw' in source('raw', 'events')) */
  sourceName?: string;
  /** for model versions: this node's version and its model's latest */
  version?: string | number;
  latestVersion?: string | number;
}

/** dbt leaves disabled nodes out of the graph that selection sees. */
export function isEnabled(node: GraphNode): boolean {
  return node.config.enabled !== false;
}
