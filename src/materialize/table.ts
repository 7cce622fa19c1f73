/**
 * table: `create table <staging> as`, audited, then swapped in, all in one
 * transaction: readers see the old table until COMMIT, never a missing or half one.
 */
import type { MaterializationStrategy, MaterializeInput, MaterializationSteps } from './materialization.js';
import { STAGING_SUFFIX } from './materialization.js';
import { dropRelationStep, swapRelationStep } from './swap-relation.js';

export function buildAndSwapTable({ model }: MaterializeInput): MaterializationSteps {
  const staging = model.relation.withSuffix(STAGING_SUFFIX);
  return {
    build: [
      dropRelationStep(staging),
      {
        purpose: `create table ${staging.display}`,
        sql: `create table ${staging} as (\n${model.sql}\n)`,
        countsRows: true,
      },
    ],
    audit: staging,
    publish: [swapRelationStep(staging, model.relation)],
    verb: 'created table',
  };
}

export const materializeTable: MaterializationStrategy = buildAndSwapTable;
