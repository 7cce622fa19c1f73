/** One strategy per materialization (sqlmesh's evaluator style); ephemeral builds nothing; snapshot nodes use `snapshot`. */
import type { Materialization } from '../config/project-config.js';
import { materializeIncremental } from './incremental.js';
import type { MaterializationStrategy } from './materialization.js';
import { materializeTable } from './table.js';
import { materializeView } from './view.js';
import { materializeSnapshot } from './snapshot.js';
import { relationConfigSteps } from './relation-config.js';

const ephemeral: MaterializationStrategy = () => ({ build: [], publish: [], verb: 'inlined ephemeral' });

/** Adds the steps of `indexes` and `grants` after what the strategy publishes. */
function withRelationConfig(strategy: MaterializationStrategy, withIndexes: boolean): MaterializationStrategy {
  return (input) => {
    const steps = strategy(input);
    if (!steps.build.length && !steps.publish.length) return steps;
    const { node, relation } = input.model;
    return { ...steps, publish: [...steps.publish, ...relationConfigSteps(node.config, relation, withIndexes, node.originalFilePath)] };
  };
}

export const STRATEGIES: Record<Materialization | 'snapshot', MaterializationStrategy> = {
  snapshot: withRelationConfig(materializeSnapshot, false),
  view: withRelationConfig(materializeView, false),
  table: withRelationConfig(materializeTable, true),
  incremental: withRelationConfig(materializeIncremental, true),
  ephemeral,
};

export * from './materialization.js';
export * from './microbatch-windows.js';
export { relationConfigSteps } from './relation-config.js';
