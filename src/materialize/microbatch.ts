/**
 * microbatch (dbt 1.9): one batch = one window [start, end) of `event_time`. With no
 * table yet (or --full-refresh on the first batch) it builds like `table`; otherwise
 * it deletes the window's rows and inserts the batch's, in the one transaction the
 * runner opens per batch, so a batch lands whole or not at all and can be re-run alone.
 */
import { quoteIdentifier, truncateIdentifier } from '../contract/index.js';
import { ProjectError } from '../errors.js';
import type { MaterializeInput, MaterializationSteps } from './materialization.js';
import { formatBatchTime } from './microbatch-windows.js';
import { buildAndSwapTable } from './table.js';

export function materializeMicrobatch(input: MaterializeInput): MaterializationSteps {
  const { model, existing, fullRefresh, batch } = input;
  if (!batch) throw new ProjectError(`${model.node.name}: a microbatch model runs one batch at a time (internal: no batch window given)`);
  if (!existing || existing.kind !== 'table' || fullRefresh) return buildAndSwapTable(input);
  const target = model.relation;
  const staged = quoteIdentifier(truncateIdentifier(target.identifier, '__tspipe_batch'));
  const columnList = existing.columns.map(quoteIdentifier).join(', ');
  // event_time is written as configured (as dbt does): a column name or an expression.
  const window = `${batch.eventTime} >= '${formatBatchTime(batch.start)}' and ${batch.eventTime} < '${formatBatchTime(batch.end)}'`;
  return {
    build: [
      { purpose: `stage batch ${formatBatchTime(batch.start)} for ${target.display}`, sql: `create temp table ${staged} on commit drop as (\n${model.sql}\n)` },
      { purpose: `delete the batch's window from ${target.display}`, sql: `delete from ${target} where ${window}` },
      {
        purpose: `insert the batch into ${target.display}`,
        sql: `insert into ${target} (${columnList}) select ${columnList} from ${staged}`,
        countsRows: true,
      },
    ],
    audit: target,
    publish: [],
    verb: 'inserted batch into',
  };
}
