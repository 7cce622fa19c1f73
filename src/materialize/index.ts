/** One strategy per materialization (sqlmesh's evaluator style); ephemeral builds nothing. */
import type { Materialization } from '../config/project-config.js';
import { materializeIncremental } from './incremental.js';
import type { MaterializationStrategy } from './materialization.js';
import { materializeTable } from './table.js';
import { materializeView } from './view.js';

const ephemeral: MaterializationStrategy = () => ({ build: [], publish: [], verb: 'inlined ephemeral' });

export const STRATEGIES: Record<Materialization, MaterializationStrategy> = {
  view: materializeView,
  table: materializeTable,
  incremental: materializeIncremental,
  ephemeral,
};

export * from './materialization.js';
export * from './microbatch-windows.js';
