/** One strategy per materialization (sqlmesh's evaluator style); ephemeral builds nothing; snapshot nodes use `snapshot`. */
import type { Materialization } from '../config/project-config.js';
import { materializeIncremental } from './incremental.js';
import type { MaterializationStrategy } from './materialization.js';
import { materializeTable } from './table.js';
import { materializeView } from './view.js';
import { materializeSnapshot } from './snapshot.js';

const ephemeral: MaterializationStrategy = () => ({ build: [], publish: [], verb: 'inlined ephemeral' });

export const STRATEGIES: Record<Materialization | 'snapshot', MaterializationStrategy> = {
  snapshot: materializeSnapshot,
  view: materializeView,
  table: materializeTable,
  incremental: materializeIncremental,
  ephemeral,
};

export * from './materialization.js';
export * from './microbatch-windows.js';
