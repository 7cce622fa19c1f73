/**
 * The raw landing load (`raw_landing: true`): every CSV column as the exact text in
 * the file, plus `_source_file`, `_source_line`, `_loaded_at`; unloadable records go
 * to `<schema>.load_rejects`. One transaction builds the staging table, replaces this
 * file's rejects and swaps the table in: readers see the old load or the new one.
 */
import path from 'node:path';
import { quoteIdentifier, type DbAdapter } from '../contract/index.js';
import { Relation } from '../compile/relation.js';
import { TspipeError } from '../errors.js';
import { STAGING_SUFFIX } from '../materialize/materialization.js';
import { dropRelationStep, swapRelationStep } from '../materialize/swap-relation.js';
import type { SeedNode } from '../parse/manifest.js';
import {
  LANDING_LINEAGE_ORDER,
  REJECTS_TABLE,
  addLoadLineageSql,
  createLandingTableSql,
  createRejectsTableSql,
  landingCopyColumns,
  rejectsCopyColumns,
} from './landing-sql.js';
import { openLandingStream } from './landing-stream.js';
import { RejectSink } from './reject-sink.js';
import type { SeedOptions } from './seed-options.js';
import type { SeedLoadResult } from './seed-load-result.js';

/**
 * COPY's NULL marker. Not empty, so an empty unquoted field lands as '' (never NULL);
 * a record holding a backslash is re-quoted, so no field can ever match it.
 */
const NULL_MARKER = '\\N';

export async function loadRawSeed(adapter: DbAdapter, node: SeedNode, projectDir: string, options: SeedOptions): Promise<SeedLoadResult> {
  const sourceFile = node.originalFilePath;
  const target = Relation.of(node.relation);
  const staging = target.withSuffix(STAGING_SUFFIX);
  const rejectsTable = new Relation(target.schema, REJECTS_TABLE);
  const loadedAt = new Date().toISOString();
  const rejects = new RejectSink(sourceFile, loadedAt);
  // The header is read while the rejects table is made: neither waits for the other.
  const [opened, rejectsReady] = await Promise.allSettled([
    openLandingStream(
      path.join(projectDir, sourceFile),
      { file: sourceFile, delimiter: options.delimiter.charCodeAt(0), maxRecordLines: options.maxRecordLines, maxRecordBytes: options.maxRecordBytes },
      rejects.add,
    ),
    ensureRejectsTable(adapter, rejectsTable),
  ]);
  if (opened.status === 'rejected') throw opened.reason; // the file's own error comes first
  const stream = opened.value;
  try {
    if (rejectsReady.status === 'rejected') throw rejectsReady.reason;
    const copied = await adapter.transaction(async (tx) => {
      await tx.exec(dropRelationStep(staging).sql);
      await tx.exec(createLandingTableSql(staging, stream.columns));
      const rows = await tx.copyFrom(
        { table: staging.toString(), columns: landingCopyColumns(stream.columns), options: { delimiter: options.delimiter, nullString: NULL_MARKER } },
        stream.copyInput,
      );
      if (rows !== stream.counts.loaded) {
        // Never publish a load whose counts do not add up: roll it all back.
        throw new TspipeError(`internal error: COPY loaded ${rows} rows of ${sourceFile} but the scanner passed ${stream.counts.loaded}`, { file: sourceFile });
      }
      await tx.exec(addLoadLineageSql(staging, sourceFile, loadedAt));
      await tx.query(`delete from ${rejectsTable} where ${quoteIdentifier('source_file')} = $1`, [sourceFile]);
      if (rejects.count > 0) await tx.copyFrom({ table: rejectsTable.toString(), columns: rejectsCopyColumns() }, rejects.drain());
      await tx.exec(swapRelationStep(staging, target).sql);
      return rows;
    });
    const { lines, records, rejected } = stream.counts;
    return {
      rows: copied,
      rejected,
      records,
      lines,
      columns: [...stream.columns, ...LANDING_LINEAGE_ORDER].map((name) => ({ name, type: lineageType(name) })),
      rejectsTable: rejectsTable.display,
    };
  } finally {
    stream.close();
    rejects.dispose();
  }
}

function lineageType(column: string): string {
  if (column === '_source_line') return 'bigint';
  if (column === '_loaded_at') return 'timestamptz';
  return 'text';
}

/**
 * The rejects table is shared by every seed of the schema, and seeds load in
 * parallel on PostgreSQL: create it in its own short transaction under an advisory
 * lock, so two loads never race on `create table if not exists`.
 */
async function ensureRejectsTable(adapter: DbAdapter, table: Relation): Promise<void> {
  await adapter.transaction(async (tx) => {
    if (adapter.capabilities.concurrent) await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`tspipe:${table.display}`]);
    await tx.exec(`create schema if not exists ${quoteIdentifier(table.schema)}`);
    await tx.exec(createRejectsTableSql(table));
  });
}
