/**
 * `<schema>.load_ledger`: one row per file landed into a table that several files
 * share (a seed with an inbox): its size, SHA-256, rows, rejects and when it was
 * loaded. A file whose checksum is in the ledger is not landed again; one whose
 * checksum changed replaces its own rows.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { quoteIdentifier, type DbAdapter, type DbSession } from '../contract/index.js';
import { Relation } from '../compile/relation.js';

export const LEDGER_TABLE = 'load_ledger';

export interface LedgerEntry {
  sourceFile: string;
  sizeBytes: number;
  sha256: string;
}

export function ledgerTableOf(target: Relation): Relation {
  return new Relation(target.schema, LEDGER_TABLE);
}

/** Creates the ledger under an advisory lock (seeds of one schema load in parallel). */
export async function ensureLedgerTable(adapter: DbAdapter, ledger: Relation): Promise<void> {
  await adapter.transaction(async (tx) => {
    if (adapter.capabilities.concurrent) await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`tspipe:${ledger.display}`]);
    await tx.exec(`create schema if not exists ${quoteIdentifier(ledger.schema)}`);
    await tx.exec(
      `create table if not exists ${ledger} (table_name text not null, source_file text not null, size_bytes bigint not null, ` +
        'sha256 text not null, rows bigint not null, rejected bigint not null, loaded_at timestamptz not null, primary key (table_name, source_file))',
    );
  });
}

/** The files the ledger holds for `target`, by source file. */
export async function ledgerEntries(adapter: DbAdapter, ledger: Relation, target: Relation): Promise<Map<string, LedgerEntry>> {
  const { rows } = await adapter.query<{ source_file: string; size_bytes: number; sha256: string }>(
    `select source_file, size_bytes, sha256 from ${ledger} where table_name = $1`,
    [target.display],
  );
  return new Map(rows.map((r) => [r.source_file, { sourceFile: r.source_file, sizeBytes: Number(r.size_bytes), sha256: r.sha256 }]));
}

/** In the file's landing transaction: its ledger row, new or replaced. */
export async function recordInLedger(
  tx: DbSession,
  ledger: Relation,
  target: Relation,
  entry: LedgerEntry & { rows: number; rejected: number; loadedAt: string },
): Promise<void> {
  await tx.query(
    `insert into ${ledger} (table_name, source_file, size_bytes, sha256, rows, rejected, loaded_at) values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (table_name, source_file) do update set size_bytes = excluded.size_bytes, sha256 = excluded.sha256,
       rows = excluded.rows, rejected = excluded.rejected, loaded_at = excluded.loaded_at`,
    [target.display, entry.sourceFile, entry.sizeBytes, entry.sha256, entry.rows, entry.rejected, entry.loadedAt],
  );
}

/** SHA-256 of a file, streamed (flat memory), as hex. */
export async function fileSha256(absolutePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(absolutePath, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
