/**
 * One CSV file into a staging table of the raw landing: every column as the exact
 * text in the file, plus `_source_line`, `_source_file`, `_loaded_at`; unloadable
 * records go to `<schema>.load_rejects`. The staging table is filled by one COPY
 * (PGlite, small files) or several at once (PostgreSQL); then one transaction adds the
 * lineage, replaces this file's rejects and runs the caller's `publish` (a swap, or an
 * insert into a table other files share): readers see the old state or the new one.
 */
import { stat } from 'node:fs/promises';
import { quoteIdentifier, type CopyTarget, type DbAdapter, type DbSession } from '../contract/index.js';
import { Relation } from '../compile/relation.js';
import { TspipeError } from '../errors.js';
import { STAGING_SUFFIX } from '../materialize/materialization.js';
import { dropRelationStep } from '../materialize/swap-relation.js';
import {
  REJECTS_TABLE,
  addLoadLineageSql,
  addRejectsDetailSql,
  createLandingTableSql,
  createRejectsTableSql,
  landingCopyColumns,
  rejectsCopyColumns,
} from './landing-sql.js';
import { openLandingStream, type LandingStream } from './landing-stream.js';
import { copyInParallel, copyStreamCount } from './parallel-copy.js';
import type { ScanCounts } from './record-scanner.js';
import { RejectSink } from './reject-sink.js';
import type { SeedOptions } from './seed-options.js';

/**
 * COPY's NULL marker. Not empty, so an empty unquoted field lands as '' (never NULL);
 * a record holding a backslash is re-quoted, so no field can ever match it.
 */
const NULL_MARKER = '\\N';

export interface FileToLand {
  /** As stored in `_source_file` and load_rejects: relative to the project folder. */
  sourceFile: string;
  absolutePath: string;
  target: Relation;
  options: SeedOptions;
  /**
   * In the last transaction, after lineage and rejects: put the filled `staging`
   * (CSV columns, then `_source_line`, `_source_file`, `_loaded_at`) into the target.
   */
  publish(tx: DbSession, staging: Relation, landed: LandedFile): Promise<void>;
}

export interface LandedFile {
  columns: string[];
  counts: ScanCounts;
  rows: number;
  /** COPY streams that loaded rows. */
  copyStreams: number;
  loadedAt: string;
}

export async function landFile(adapter: DbAdapter, file: FileToLand): Promise<LandedFile> {
  const { sourceFile, target, options } = file;
  const staging = target.withSuffix(STAGING_SUFFIX);
  const rejectsTable = rejectsTableOf(target);
  const loadedAt = new Date().toISOString();
  const rejects = new RejectSink(sourceFile, loadedAt);
  // The header is read while the rejects table is made: neither waits for the other.
  const [opened, rejectsReady] = await Promise.allSettled([
    openLandingStream(
      file.absolutePath,
      { file: sourceFile, delimiter: options.delimiter.charCodeAt(0), maxRecordLines: options.maxRecordLines, maxRecordBytes: options.maxRecordBytes },
      rejects.add,
    ),
    ensureRejectsTable(adapter, rejectsTable),
  ]);
  if (opened.status === 'rejected') throw opened.reason; // the file's own error comes first
  const stream = opened.value;
  try {
    if (rejectsReady.status === 'rejected') throw rejectsReady.reason;
    const load: Load = { file, staging, rejectsTable, rejects, loadedAt, stream, copy: copyTarget(staging, stream.columns, options) };
    const streams = copyStreamCount(adapter, (await stat(file.absolutePath)).size, options.copyStreams);
    const perStream = streams > 1 ? await loadOnSeveralStreams(adapter, load, streams) : [await loadInOneTransaction(adapter, load)];
    return landedFile(load, perStream);
  } finally {
    stream.close();
    rejects.dispose();
  }
}

export function rejectsTableOf(target: Relation): Relation {
  return new Relation(target.schema, REJECTS_TABLE);
}

interface Load {
  file: FileToLand;
  staging: Relation;
  rejectsTable: Relation;
  rejects: RejectSink;
  loadedAt: string;
  stream: LandingStream;
  copy: CopyTarget;
}

function landedFile(load: Load, perStream: number[]): LandedFile {
  return {
    columns: load.stream.columns,
    counts: load.stream.counts,
    rows: perStream.reduce((sum, rows) => sum + rows, 0),
    copyStreams: perStream.filter((rows) => rows > 0).length,
    loadedAt: load.loadedAt,
  };
}

function copyTarget(staging: Relation, columns: string[], options: SeedOptions): CopyTarget {
  return { table: staging.toString(), columns: landingCopyColumns(columns), options: { delimiter: options.delimiter, nullString: NULL_MARKER } };
}

/** PGlite and small files: staging table, COPY and publish in one transaction. */
async function loadInOneTransaction(adapter: DbAdapter, load: Load): Promise<number> {
  return adapter.transaction(async (tx) => {
    await tx.exec(dropRelationStep(load.staging).sql);
    await tx.exec(createLandingTableSql(load.staging, load.stream.columns));
    const rows = await tx.copyFrom(load.copy, load.stream.copyInput);
    await publish(tx, load, [rows]);
    return rows;
  });
}

/**
 * PostgreSQL, big files: the staging table is committed empty so other connections
 * can fill it, several COPY streams load it at once, then one transaction adds the
 * lineage, replaces the rejects and publishes it. The staging table is a plain logged
 * table, since a swap makes it the landing table as it is: an unlogged one would have
 * to be rewritten by SET LOGGED (or lose the table on a crash). A failed load drops
 * it; a crash leaves it to the next run's leftover cleaning (`__tspipe_tmp`).
 */
async function loadOnSeveralStreams(adapter: DbAdapter, load: Load, streams: number): Promise<number[]> {
  await adapter.transaction(async (tx) => {
    await tx.exec(dropRelationStep(load.staging).sql);
    await tx.exec(createLandingTableSql(load.staging, load.stream.columns));
  });
  try {
    const perStream = await copyInParallel(adapter, load.copy, load.stream.copyInput, streams);
    await adapter.transaction((tx) => publish(tx, load, perStream));
    return perStream;
  } catch (error) {
    await adapter.exec(dropRelationStep(load.staging).sql).catch(() => undefined); // the load's error is the one to report
    throw error;
  }
}

/** In the load's last transaction: lineage, this file's rejects, then the caller's publish. */
async function publish(tx: DbSession, load: Load, perStream: number[]): Promise<void> {
  const { file, staging, rejectsTable, rejects, loadedAt, stream } = load;
  const rows = perStream.reduce((sum, n) => sum + n, 0);
  if (rows !== stream.counts.loaded) {
    // Never publish a load whose counts do not add up: roll it all back.
    throw new TspipeError(`internal error: COPY loaded ${rows} rows of ${file.sourceFile} but the scanner passed ${stream.counts.loaded}`, {
      file: file.sourceFile,
    });
  }
  await tx.exec(addLoadLineageSql(staging, file.sourceFile, loadedAt));
  await tx.query(`delete from ${rejectsTable} where ${quoteIdentifier('source_file')} = $1`, [file.sourceFile]);
  if (rejects.count > 0) await tx.copyFrom({ table: rejectsTable.toString(), columns: rejectsCopyColumns() }, rejects.drain());
  await file.publish(tx, staging, landedFile(load, perStream));
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
    const { rows } = await tx.query('select 1 from information_schema.columns where table_schema = $1 and table_name = $2 and column_name = $3', [
      table.schema,
      table.identifier,
      'detail',
    ]);
    if (!rows.length) await tx.exec(addRejectsDetailSql(table));
  });
}
