/**
 * dbt's indirect selection of tests (selector.py expand_selection and
 * incorporate_indirect_nodes): a test not selected itself comes along with the
 * nodes it tests. eager: any parent selected; cautious: all parents selected;
 * buildable: all parents selected or upstream of the selection; empty: never.
 */
import type { StateLookup } from './state-lookup.js';
import { ancestors, type Dag } from './dag.js';

export const INDIRECT_SELECTION_MODES = ['eager', 'cautious', 'buildable', 'empty'] as const;
export type IndirectSelection = (typeof INDIRECT_SELECTION_MODES)[number];

/** direct: selected; indirect: tests held back until their other parents show up. */
export interface Bundle {
  direct: Set<string>;
  indirect: Set<string>;
}

export interface SelectionContext {
  dag: Dag;
  mode: IndirectSelection;
  state?: StateLookup;
}

function testParents(dag: Dag, id: string): readonly string[] {
  return dag.parentsOf(id);
}

function isTest(dag: Dag, id: string): boolean {
  return dag.nodes.get(id)?.resourceType === 'test';
}

/** Adds the tests that hang off `selected` per the mode. */
export function expandSelection(ctx: SelectionContext, selected: Set<string>, mode = ctx.mode): Bundle {
  const { dag } = ctx;
  const direct = new Set(selected);
  const indirect = new Set<string>();
  if (mode === 'empty') return { direct, indirect };
  let upstream: Set<string> | undefined;
  if (mode === 'buildable') {
    upstream = new Set([...selected, ...ancestors(dag, selected)]);
    for (const node of dag.nodes.values()) if (node.resourceType === 'source') upstream.add(node.uniqueId);
  }
  for (const id of selected) {
    for (const child of dag.childrenOf(id)) {
      if (direct.has(child) || !isTest(dag, child)) continue;
      const parents = testParents(dag, child);
      if (mode === 'eager' || parents.every((p) => selected.has(p))) direct.add(child);
      else if (upstream && parents.every((p) => upstream.has(p))) direct.add(child);
      else indirect.add(child);
    }
  }
  return { direct, indirect };
}

/** After a union/intersection/difference: held-back tests whose parents are now all in. */
export function incorporateIndirect(ctx: SelectionContext, direct: Set<string>, indirect: Set<string>): Set<string> {
  const { dag, mode } = ctx;
  if (mode !== 'cautious' && mode !== 'buildable') return direct;
  const pending = [...indirect].filter((id) => !direct.has(id));
  if (pending.length === 0) return direct;
  const enough = mode === 'buildable' ? new Set([...direct, ...ancestors(dag, direct)]) : direct;
  const result = new Set(direct);
  for (const id of pending) {
    if (testParents(dag, id).every((p) => enough.has(p))) result.add(id);
  }
  return result;
}
