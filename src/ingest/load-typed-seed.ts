/**
 * dbt-style seed: one table per CSV, typed by inference or `column_types`, loaded
 * by streaming COPY into a staging table that is swapped in atomically.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { quoteIdentifier, type DbAdapter } from '../contract/index.js';
import { Relation } from '../compile/relation.js';
import { STAGING_SUFFIX } from '../materialize/materialization.js';
import { dropRelationStep, swapRelationStep } from '../materialize/swap-relation.js';
import type { SeedNode } from '../parse/manifest.js';
import { inferColumnTypes } from './infer-column-types.js';
import type { SeedLoadResult } from './seed-load-result.js';
import type { SeedOptions } from './seed-options.js';

export async function loadTypedSeed(adapter: DbAdapter, node: SeedNode, projectDir: string, options: SeedOptions): Promise<SeedLoadResult> {
  const absolutePath = join(projectDir, node.originalFilePath);
  const { delimiter } = options;
  const inferred = await inferColumnTypes(absolutePath, node.originalFilePath, delimiter);
  const overrides = node.config.column_types ?? {};
  const columns = inferred.columns.map((name, i) => ({ name, type: overrides[name] ?? overrides['*'] ?? inferred.types[i]! }));
  // dbt's quote_columns: false leaves names unquoted, so PostgreSQL folds them to lower case.
  const quoteColumn = node.config.quote_columns === false ? (name: string) => quoteIdentifier(name.toLowerCase()) : quoteIdentifier;
  const target = Relation.of(node.relation);
  const staging = target.withSuffix(STAGING_SUFFIX);
  const rows = await adapter.transaction(async (tx) => {
    await tx.exec(dropRelationStep(staging).sql);
    await tx.exec(`create table ${staging} (${columns.map((c) => `${quoteColumn(c.name)} ${c.type}`).join(', ')})`);
    const copied = await tx.copyFrom(
      { table: staging.toString(), columns: columns.map((c) => quoteColumn(c.name)), options: { header: true, delimiter } },
      createReadStream(absolutePath),
    );
    await tx.exec(swapRelationStep(staging, target).sql);
    return copied;
  });
  return { rows, rejected: 0, records: rows, columns };
}
