/**
 * A raw landing seed with an inbox: `seeds/events.csv` plus every CSV that arrives
 * in `seeds/inbox/events/` (e.g. one per day) share the table `events`. Each file is
 * landed once, through the load ledger: a file already there with the same SHA-256
 * is skipped, a changed file replaces its own rows (`_source_file`), a new one is
 * appended. Each file lands in its own transaction with its rejects and ledger row,
 * so a failure keeps the files landed before it. When the ledger knows nothing of
 * the table (first load, or the table was dropped) or under `--full-refresh`, every
 * file lands again: the first replaces the table and the others are appended to it.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { quoteIdentifier, type DbAdapter, type DbSession } from '../contract/index.js';
import { Relation } from '../compile/relation.js';
import { ProjectError } from '../errors.js';
import { dropRelationStep, swapRelationStep } from '../materialize/swap-relation.js';
import type { SeedNode } from '../parse/manifest.js';
import { LANDING_LINEAGE_ORDER } from './landing-sql.js';
import { landFile, type LandedFile } from './land-file.js';
import { ensureLedgerTable, fileSha256, ledgerEntries, ledgerTableOf, recordInLedger, type LedgerEntry } from './load-ledger.js';
import { landingResult } from './load-raw-seed.js';
import type { SeedOptions } from './seed-options.js';
import type { SeedLoadResult } from './seed-load-result.js';

export async function loadInboxSeed(
  adapter: DbAdapter,
  node: SeedNode,
  projectDir: string,
  options: SeedOptions,
  { inbox: inboxFolder, fullRefresh }: { inbox: string; fullRefresh: boolean },
): Promise<SeedLoadResult> {
  const target = Relation.of(node.relation);
  const ledger = ledgerTableOf(target);
  await ensureLedgerTable(adapter, ledger);
  const [known, exists, files] = await Promise.all([
    ledgerEntries(adapter, ledger, target),
    tableExists(adapter, target),
    seedFiles(projectDir, node.originalFilePath, inboxFolder),
  ]);
  // --full-refresh, nothing in the ledger for this table, or no table: land every file, the first replacing the table.
  const rebuild = fullRefresh || known.size === 0 || !exists;
  let replaceTable = rebuild;
  const landed: LandedFile[] = [];
  let unchanged = 0;
  for (const sourceFile of files) {
    const absolutePath = path.join(projectDir, sourceFile);
    const entry: LedgerEntry = { sourceFile, sizeBytes: (await stat(absolutePath)).size, sha256: await fileSha256(absolutePath) };
    const before = known.get(sourceFile);
    if (!rebuild && before?.sha256 === entry.sha256 && before.sizeBytes === entry.sizeBytes) {
      unchanged++;
      continue;
    }
    const replacing = replaceTable;
    replaceTable = false;
    landed.push(
      await landFile(adapter, {
        sourceFile,
        absolutePath,
        target,
        options,
        publish: async (tx, staging, file) => {
          if (replacing) {
            await tx.exec(swapRelationStep(staging, target).sql);
            await tx.query(`delete from ${ledger} where table_name = $1`, [target.display]);
          } else await appendFile(tx, staging, target, file, sourceFile);
          await recordInLedger(tx, ledger, target, { ...entry, rows: file.rows, rejected: file.counts.rejected, loadedAt: file.loadedAt });
        },
      }),
    );
  }
  return { ...sumOf(landed, target), files: { landed: landed.length, unchanged } };
}

/** The seed's own CSV (when it exists), then the inbox's CSV files in name order. */
async function seedFiles(projectDir: string, seedFile: string, inboxFolder: string): Promise<string[]> {
  const own = await stat(path.join(projectDir, seedFile)).then(
    (s) => s.isFile(),
    () => false,
  );
  const inbox = (await readdir(path.join(projectDir, inboxFolder), { withFileTypes: true }))
    .filter((entry) => entry.isFile() && entry.name.endsWith('.csv') && !entry.name.startsWith('.'))
    .map((entry) => path.posix.join(inboxFolder, entry.name))
    .sort();
  return own ? [seedFile, ...inbox] : inbox;
}

/** The file's rows replace the rows it landed before (none for a new file). */
async function appendFile(tx: DbSession, staging: Relation, target: Relation, file: LandedFile, sourceFile: string): Promise<void> {
  const { rows } = await tx.query<{ column_name: string }>(
    'select column_name from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position',
    [target.schema, target.identifier],
  );
  const lineage = new Set<string>(LANDING_LINEAGE_ORDER);
  const expected = rows.map((r) => r.column_name).filter((c) => !lineage.has(c));
  if ([...expected].sort().join('\0') !== [...file.columns].sort().join('\0')) {
    throw new ProjectError(
      `the header has columns (${file.columns.join(', ')}) other than the table ${target.display} the file lands in (${expected.join(', ')})`,
      {
        file: sourceFile,
        line: 1,
        hint: 'every file of a seed and its inbox needs the same column names (in any order)',
      },
    );
  }
  const columns = [...file.columns, ...LANDING_LINEAGE_ORDER].map(quoteIdentifier).join(', ');
  await tx.query(`delete from ${target} where ${quoteIdentifier('_source_file')} = $1`, [sourceFile]);
  await tx.exec(`insert into ${target} (${columns}) select ${columns} from ${staging}`);
  await tx.exec(dropRelationStep(staging).sql);
}

async function tableExists(adapter: DbAdapter, table: Relation): Promise<boolean> {
  const { rows } = await adapter.query<{ found: boolean }>('select to_regclass($1) is not null as found', [table.toString()]);
  return rows[0]?.found === true;
}

/** The counts of every file landed in this run, as one result. */
function sumOf(landed: LandedFile[], target: Relation): SeedLoadResult {
  const total = landingResult(
    {
      columns: landed[0]?.columns ?? [],
      counts: { lines: 0, records: 0, loaded: 0, rejected: 0 },
      rows: 0,
      copyStreams: Math.max(0, ...landed.map((f) => f.copyStreams)),
      loadedAt: '',
    },
    target,
  );
  for (const file of landed) {
    total.rows += file.rows;
    total.records += file.counts.records;
    total.rejected += file.counts.rejected;
    total.lines = (total.lines ?? 0) + file.counts.lines;
  }
  return total;
}
