// The public face of graph/: other stages import from here.
export * from './graph-node.js';
export * from './dag.js';
export * from './topological-order.js';
export * from './cycles.js';
export * from './selector-spec.js';
export { INDIRECT_SELECTION_MODES, type IndirectSelection } from './indirect-selection.js';
export * from './selection.js';
export { globMatch, hasWildcard } from './glob.js';
export * from './state-lookup.js';
