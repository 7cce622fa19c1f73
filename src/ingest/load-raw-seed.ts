/**
 * The raw landing load of a seed without an inbox (`raw_landing: true`): its one CSV
 * file becomes the whole table, swapped in (dependent views kept).
 */
import path from 'node:path';
import type { DbAdapter } from '../contract/index.js';
import { Relation } from '../compile/relation.js';
import { swapRelationStep } from '../materialize/swap-relation.js';
import type { SeedNode } from '../parse/manifest.js';
import { LANDING_LINEAGE_ORDER } from './landing-sql.js';
import { landFile, rejectsTableOf, type LandedFile } from './land-file.js';
import type { SeedOptions } from './seed-options.js';
import type { SeedLoadResult } from './seed-load-result.js';

export async function loadRawSeed(adapter: DbAdapter, node: SeedNode, projectDir: string, options: SeedOptions): Promise<SeedLoadResult> {
  const target = Relation.of(node.relation);
  const landed = await landFile(adapter, {
    sourceFile: node.originalFilePath,
    absolutePath: path.join(projectDir, node.originalFilePath),
    target,
    options,
    publish: (tx, staging) => tx.exec(swapRelationStep(staging, target).sql),
  });
  return landingResult(landed, target);
}

/** What a raw landing reports: the counts of the file(s) landed and the table's columns. */
export function landingResult(landed: LandedFile, target: Relation): SeedLoadResult {
  const { lines, records, rejected } = landed.counts;
  return {
    rows: landed.rows,
    rejected,
    records,
    lines,
    columns: [...landed.columns, ...LANDING_LINEAGE_ORDER].map((name) => ({ name, type: lineageType(name) })),
    rejectsTable: rejectsTableOf(target).display,
    copyStreams: landed.copyStreams,
  };
}

function lineageType(column: string): string {
  if (column === '_source_line') return 'bigint';
  if (column === '_loaded_at') return 'timestamptz';
  return 'text';
}
