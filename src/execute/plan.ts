/**
 * The plan is data: which nodes run, in which order, with which materialization,
 * waiting for which selected parents. `--dry-run` prints it; the runner executes it.
 */
import type { ExecutableNode, Manifest } from '../parse/manifest.js';

export const NODE_ACTIONS = ['seed', 'model', 'snapshot', 'test'] as const;
export type NodeAction = (typeof NODE_ACTIONS)[number];

export interface PlannedNode {
  uniqueId: string;
  name: string;
  action: NodeAction;
  materialized: string;
  /** schema.identifier, for display. */
  relation: string;
  /** Selected parents this node waits for; unselected parents are assumed built. */
  waitsFor: string[];
}

export interface ExecutionPlan {
  nodes: PlannedNode[];
  threads: number;
  fullRefresh: boolean;
  targetName: string;
}

export function buildPlan(manifest: Manifest, orderedIds: string[], options: { threads: number; fullRefresh: boolean; targetName: string }): ExecutionPlan {
  const isEphemeral = (id: string) => {
    const node = manifest.nodes[id];
    return node?.resourceType === 'model' && node.config.materialized === 'ephemeral';
  };
  // Ephemeral models build nothing: leave them out and wait for what they read instead.
  const selected = new Set(orderedIds.filter((id) => !isEphemeral(id)));
  const waitsFor = (node: ExecutableNode): string[] => {
    const found = new Set<string>();
    const visit = (parent: string) => {
      if (isEphemeral(parent)) manifest.nodes[parent]!.dependsOn.forEach(visit);
      else if (selected.has(parent)) found.add(parent);
    };
    node.dependsOn.forEach(visit);
    return [...found];
  };
  const nodes = orderedIds
    .filter((id) => selected.has(id))
    .map((id) => manifest.nodes[id])
    .filter((node): node is ExecutableNode => node !== undefined)
    .map((node) => ({
      uniqueId: node.uniqueId,
      name: node.name,
      action: node.resourceType,
      materialized: node.config.materialized,
      // A test has no relation of its own to show: its name says what it checks.
      relation: node.resourceType === 'test' ? node.name : `${node.relation.schema}.${node.relation.identifier}`,
      waitsFor: waitsFor(node),
    }));
  return { nodes, ...options };
}

export function formatPlan(plan: ExecutionPlan): string {
  const width = String(plan.nodes.length).length;
  const lines = plan.nodes.map((node, i) => {
    const what = node.action === 'model' ? `${node.materialized} model` : node.action;
    const after = node.waitsFor.length ? `  after ${node.waitsFor.map(shortName).join(', ')}` : '';
    const relation = node.materialized === 'ephemeral' ? '(inlined as a CTE)' : node.relation;
    const body = node.action === 'test' ? node.name : `${node.name} -> ${relation}`;
    return `${String(i + 1).padStart(width)}. ${what} ${body}${after}`;
  });
  const header = `Plan for target ${plan.targetName}: ${plan.nodes.length} node${plan.nodes.length === 1 ? '' : 's'}, ${plan.threads} thread${plan.threads === 1 ? '' : 's'}${plan.fullRefresh ? ', full refresh' : ''}`;
  return [header, ...lines].join('\n');
}

function shortName(uniqueId: string): string {
  return uniqueId.split('.').slice(2).join('.');
}
