/**
 * Evaluates --select/--exclude like dbt: each criterion picks nodes by method,
 * grows them by graph operators, then pulls in tests (indirect selection); specs
 * combine by union/intersection, and --exclude (always eager) is subtracted.
 */
import { ancestors, buildDag, descendants, type Dag } from './dag.js';
import { isEnabled, type GraphNode } from './graph-node.js';
import { expandSelection, incorporateIndirect, type Bundle, type IndirectSelection, type SelectionContext } from './indirect-selection.js';
import { compileCriteria } from './selector-methods.js';
import { parseSelectors, type SelectionCriteria, type SelectionSpec } from './selector-spec.js';
import type { StateLookup } from './state-lookup.js';
import { sortTopologically } from './topological-order.js';

export interface SelectOptions {
  /** --select values; each may hold several space-separated selectors. None = everything. */
  select?: readonly string[];
  exclude?: readonly string[];
  /** Keep only these resource types at the end (e.g. ['model'] for `run`). */
  resourceTypes?: readonly string[];
  indirectSelection?: IndirectSelection;
  /** The previous run `state:` and `result:` selectors compare with (--state). */
  state?: StateLookup;
}

export interface SelectionResult {
  selected: Set<string>;
  /** The selected ids, parents before children. */
  ordered: string[];
  /** Selectors (space-separated words of --select/--exclude) that matched nothing: warn. */
  unmatched: string[];
}

/**
 * `nodes` is the candidate set (disabled ones are dropped); `dag` is reused for
 * graph operators when it holds exactly those nodes, else a sub-DAG is built so
 * `+` never walks through a disabled node (dbt selects on the enabled subgraph).
 * Throws UsageError on a malformed selector.
 */
export function selectNodes(nodes: readonly GraphNode[], dag: Dag, options: SelectOptions = {}): SelectionResult {
  const selectSpec = parseSelectors(options.select);
  const excludeSpec = parseSelectors(options.exclude);
  const enabled = nodes.filter(isEnabled);
  const reuse = enabled.length === dag.nodes.size && enabled.every((n) => dag.nodes.has(n.uniqueId));
  const ctx: SelectionContext = { dag: reuse ? dag : buildDag(enabled), mode: options.indirectSelection ?? 'eager', state: options.state };
  const unmatched: string[] = [];

  const all: Bundle = { direct: new Set(ctx.dag.nodes.keys()), indirect: new Set() };
  const included = selectSpec ? evaluate(ctx, selectSpec, unmatched) : all;
  let selected = included.direct;
  if (excludeSpec) {
    const excluded = evaluate({ ...ctx, mode: 'eager' }, excludeSpec, unmatched);
    const direct = minus(included.direct, excluded.direct);
    const indirect = minus(union([included.direct, included.indirect]), union([excluded.direct, excluded.indirect]));
    selected = incorporateIndirect(ctx, direct, indirect);
  }
  if (options.resourceTypes) {
    const types = new Set(options.resourceTypes);
    selected = new Set([...selected].filter((id) => types.has(ctx.dag.nodes.get(id)?.resourceType ?? '')));
  }
  return { selected, ordered: sortTopologically(ctx.dag, selected), unmatched };
}

function evaluate(ctx: SelectionContext, spec: SelectionSpec, unmatched: string[]): Bundle {
  if (spec.kind === 'criteria') return expandSelection(ctx, selectCriteria(ctx.dag, spec.criteria, ctx.state));
  const bundles = spec.components.map((c) => evaluate(ctx, c, unmatched));
  const combine = spec.kind === 'union' ? union : intersection;
  const indirect = combine(bundles.map((b) => union([b.direct, b.indirect])));
  const direct = incorporateIndirect(ctx, combine(bundles.map((b) => b.direct)), indirect);
  if (spec.kind === 'intersection' && direct.size === 0) unmatched.push(spec.raw);
  return { direct, indirect };
}

/** The method match, then `@`, `n+` and `+n` around it. */
function selectCriteria(dag: Dag, criteria: SelectionCriteria, state: StateLookup | undefined): Set<string> {
  const matches = compileCriteria(criteria, state);
  const collected = new Set<string>();
  for (const node of dag.nodes.values()) if (matches(node)) collected.add(node.uniqueId);
  const selected = new Set(collected);
  if (criteria.childrensParents) {
    const down = union([collected, descendants(dag, collected)]);
    for (const id of union([down, ancestors(dag, down)])) selected.add(id);
  }
  if (criteria.parents) for (const id of ancestors(dag, collected, criteria.parentsDepth)) selected.add(id);
  if (criteria.children) for (const id of descendants(dag, collected, criteria.childrenDepth)) selected.add(id);
  return selected;
}

function union(sets: Set<string>[]): Set<string> {
  const out = new Set<string>();
  for (const s of sets) for (const id of s) out.add(id);
  return out;
}

function intersection(sets: Set<string>[]): Set<string> {
  if (sets.length === 0) return new Set();
  const [first, ...rest] = sets;
  return new Set([...first].filter((id) => rest.every((s) => s.has(id))));
}

function minus(a: Set<string>, b: Set<string>): Set<string> {
  return new Set([...a].filter((id) => !b.has(id)));
}
