/** view: built under a staging name, then swapped in (dependent views survive). */
import type { MaterializationStrategy } from './materialization.js';
import { STAGING_SUFFIX } from './materialization.js';
import { dropRelationStep, swapRelationStep } from './swap-relation.js';

export const materializeView: MaterializationStrategy = ({ model }) => {
  const staging = model.relation.withSuffix(STAGING_SUFFIX);
  return {
    build: [dropRelationStep(staging), { purpose: `create view ${staging.display}`, sql: `create view ${staging} as (\n${model.sql}\n)` }],
    publish: [swapRelationStep(staging, model.relation)],
    verb: 'created view',
  };
};
