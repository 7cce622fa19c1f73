/**
 * Where store_failures keeps a test's failing rows: a table or view named after the
 * test, replaced on every run (dbt: "even if that test results in no failures").
 *
 * A build's audit runs inside the model's transaction, which rolls back when the
 * audit fails; the failing rows are what the user needs most then. So they are read
 * out as text before the rollback and written back after it (`captureFailures`,
 * `restoreFailures`): PostgreSQL's own text form of each value, parsed again by the
 * same column types, so nothing changes on the way.
 */
import { quoteIdentifier, type DbSession } from '../contract/index.js';
import { Relation } from '../compile/relation.js';
import { describeRelation } from '../execute/describe-relation.js';
import type { RelationName } from '../parse/manifest.js';

/** Rows kept across a rolled-back audit: a bound on memory; the rest is counted, not kept. */
const CAPTURE_LIMIT = 100_000;
/** Rows per INSERT when writing them back, within PostgreSQL's 65,535 parameters a statement. */
const INSERT_ROWS = 500;
const MAX_PARAMETERS = 65_535;

/** Replaces the test's failures relation with `sql`'s rows, as a table or a view. */
export async function replaceFailures(session: DbSession, relation: RelationName, sql: string, storage: 'table' | 'view'): Promise<void> {
  await dropFailures(session, relation);
  await session.query(`create ${storage} ${Relation.of(relation)} as\n${sql}`);
}

/** Drops whatever kind of relation holds the failures now (a config may have changed table to view). */
async function dropFailures(session: DbSession, relation: RelationName): Promise<void> {
  const existing = await describeRelation(session, relation);
  if (existing?.kind === 'view') await session.query(`drop view ${Relation.of(relation)}`);
  else if (existing?.kind === 'table') await session.query(`drop table ${Relation.of(relation)}`);
}

export interface CapturedFailures {
  relation: RelationName;
  columns: { name: string; type: string }[];
  /** Each value in PostgreSQL's text form (null stays null). */
  rows: (string | null)[][];
  /** Rows beyond CAPTURE_LIMIT, not kept. */
  dropped: number;
}

/** Reads a failures table as text, inside the transaction that is about to roll back. */
export async function captureFailures(session: DbSession, relation: RelationName): Promise<CapturedFailures> {
  const table = Relation.of(relation).toString();
  const { rows: columns } = await session.query<{ name: string; type: string }>(
    `select a.attname::text as name, format_type(a.atttypid, a.atttypmod) as type from pg_attribute a
     where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped order by a.attnum`,
    [table],
  );
  const asText = columns.map((c, i) => `${quoteIdentifier(c.name)}::text as c${i}`).join(', ');
  const { rows } = await session.query<Record<string, string | null>>(`select ${asText || 'null'} from ${table} limit ${CAPTURE_LIMIT}`);
  const total = rows.length < CAPTURE_LIMIT ? rows.length : Number((await session.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]!.n);
  return { relation, columns, rows: rows.map((row) => columns.map((_, i) => row[`c${i}`] ?? null)), dropped: total - rows.length };
}

/** Writes captured rows back into a new failures table of the same column types. */
export async function restoreFailures(session: DbSession, captured: CapturedFailures): Promise<void> {
  const { relation, columns } = captured;
  const table = Relation.of(relation).toString();
  await session.query(`create schema if not exists ${quoteIdentifier(relation.schema)}`);
  await dropFailures(session, relation);
  await session.query(`create table ${table} (${columns.map((c) => `${quoteIdentifier(c.name)} ${c.type}`).join(', ')})`);
  const perInsert = Math.max(1, Math.min(INSERT_ROWS, Math.floor(MAX_PARAMETERS / Math.max(1, columns.length))));
  for (let start = 0; columns.length && start < captured.rows.length; start += perInsert) {
    const chunk = captured.rows.slice(start, start + perInsert);
    const values = chunk.map((_, r) => `(${columns.map((c, i) => `$${r * columns.length + i + 1}::${c.type}`).join(', ')})`);
    await session.query(`insert into ${table} values ${values.join(', ')}`, chunk.flat());
  }
}
