// A fingerprint of each relation: its columns with their types, its row count, and an
// md5 over its rows as text (sorted), computed by the database that holds it.
// Relation names printed inside values (dbt_utils.union_relations' _dbt_source_relation)
// carry the run's database and schema, which differ between the runs by design: they
// are replaced by placeholders before hashing.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from '../../node_modules/pg/lib/index.js';

const run = promisify(execFile);

const literal = (text) => `'${text.replace(/'/g, "''")}'`;

/** "db"."schema". and "schema". (and their doubled-quote forms inside row text) -> placeholders. */
export function placeholders(database, schemas, targetSchema) {
  const pairs = [];
  const named = [...schemas].sort((a, b) => b.length - a.length);
  for (const schema of named) {
    const label = schema === targetSchema ? 'SCHEMA' : schema.startsWith(`${targetSchema}_`) ? `SCHEMA${schema.slice(targetSchema.length)}` : schema;
    for (const quote of ['"', '""']) {
      pairs.push([`${quote}${database}${quote}.${quote}${schema}${quote}.`, `<${label}>.`]);
      pairs.push([`${quote}${schema}${quote}.`, `<${label}>.`]);
    }
  }
  return pairs;
}

function fingerprintSql(relation, pairs) {
  const rel = `"${relation.schema.replace(/"/g, '""')}"."${relation.identifier.replace(/"/g, '""')}"`;
  const text = pairs.reduce((expr, [from, to]) => `replace(${expr}, ${literal(from)}, ${literal(to)})`, 't::text');
  return `
  select
    (select string_agg(column_name || ' ' || data_type, ', ' order by ordinal_position)
       from information_schema.columns where table_schema = ${literal(relation.schema)} and table_name = ${literal(relation.identifier)}) as columns,
    (select count(*) from ${rel}) as row_count,
    (select md5(coalesce(string_agg(h, '' order by h), '')) from (select md5(${text}) as h from ${rel} t) s) as rows_md5`;
}

export async function checksumsPostgres(url, relations, pairs) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const sums = new Map();
  try {
    for (const relation of relations) {
      try {
        const { rows } = await client.query(fingerprintSql(relation, pairs));
        sums.set(relation.id, { ...rows[0], row_count: Number(rows[0].row_count), nondeterministic: relation.nondeterministic });
      } catch (error) {
        sums.set(relation.id, { error: error.message });
      }
    }
  } finally {
    await client.end();
  }
  return sums;
}

/** PGlite is in-process: a child Node process opens the data folder tspipe left. */
export async function checksumsPglite(root, dataDir, relations, pairs) {
  const queries = relations.map((r) => [r.id, fingerprintSql(r, pairs), r.nondeterministic]);
  const script = `
    const { PGlite } = await import(${JSON.stringify(`${root}/node_modules/@electric-sql/pglite/dist/index.js`)});
    const db = await PGlite.create(${JSON.stringify(dataDir)});
    const out = {};
    for (const [id, sql, nondeterministic] of ${JSON.stringify(queries)}) {
      try {
        const { rows } = await db.query(sql);
        out[id] = { ...rows[0], row_count: Number(rows[0].row_count), nondeterministic };
      } catch (error) { out[id] = { error: error.message }; }
    }
    await db.close();
    console.log(JSON.stringify(out));`;
  try {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { maxBuffer: 64 * 2 ** 20 });
    return new Map(Object.entries(JSON.parse(stdout)));
  } catch (error) {
    return new Map(relations.map((r) => [r.id, { error: `could not open ${dataDir}: ${error.message.split('\n')[0]}` }]));
  }
}
