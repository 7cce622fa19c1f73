/**
 * dbt-postgres's configs that act on the built relation, applied in the model's
 * transaction right after it is published:
 * - `indexes: [{columns: [...], unique: true, type: hash}]` on tables: `create index if
 *   not exists` under a name fixed by the relation and the index, so a rebuilt table
 *   gets them again and an incremental one keeps them;
 * - `grants: {select: [role, ...]}`: each privilege granted; privileges this user
 *   granted on the relation that the config no longer lists are revoked (a replaced
 *   table starts with none, a view or an incremental table keeps its own).
 */
import { createHash } from 'node:crypto';
import { quoteIdentifier as q, quoteLiteral } from '../contract/index.js';
import type { Relation } from '../compile/relation.js';
import { UsageError } from '../errors.js';
import type { SqlStep } from './materialization.js';

interface IndexConfig {
  columns: string[];
  unique: boolean;
  type?: string;
}

/** `withIndexes`: the relation is a table dbt-postgres indexes (table, incremental). */
export function relationConfigSteps(config: Record<string, unknown>, target: Relation, withIndexes: boolean, file: string): SqlStep[] {
  const steps: SqlStep[] = [];
  if (withIndexes) for (const index of readIndexes(config.indexes, file)) steps.push(createIndexStep(target, index));
  const grants = readGrants(config.grants, file);
  if (grants) steps.push(...grantSteps(target, grants));
  return steps;
}

function readIndexes(value: unknown, file: string): IndexConfig[] {
  if (value === undefined || value === null) return [];
  const problem = (what: string) => new UsageError(`indexes: ${what}`, { file, hint: "write indexes=[{'columns': ['id'], 'unique': true}]" });
  if (!Array.isArray(value)) throw problem('must be a list of {columns, unique, type}');
  return value.map((entry) => {
    const columns = (entry as { columns?: unknown })?.columns;
    if (!Array.isArray(columns) || !columns.length || !columns.every((c) => typeof c === 'string' && c.trim())) {
      throw problem(`each index needs columns: a list of column names (got ${JSON.stringify(entry)})`);
    }
    const { unique, type } = entry as { unique?: unknown; type?: unknown };
    return { columns: columns as string[], unique: unique === true, type: typeof type === 'string' && type.trim() ? type.trim() : undefined };
  });
}

/** dbt writes index columns as given (expressions allowed), so they are not quoted here either. */
function createIndexStep(target: Relation, index: IndexConfig): SqlStep {
  const name = createHash('md5')
    .update(JSON.stringify([target.identifier, index.columns, index.unique, index.type ?? null]))
    .digest('hex');
  return {
    purpose: `index ${target.display} (${index.columns.join(', ')})`,
    sql: `create ${index.unique ? 'unique ' : ''}index if not exists ${q(name)} on ${target}${index.type ? ` using ${index.type}` : ''} (${index.columns.join(', ')})`,
  };
}

/** `{select: [a, b]}`, also dbt's `+select` (add to the inherited list), privileges in any case. */
function readGrants(value: unknown, file: string): Map<string, string[]> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError('grants: must be a mapping of privilege to grantees', { file, hint: "write grants={'select': ['reporter']}" });
  }
  const grants = new Map<string, string[]>();
  for (const [privilege, grantees] of Object.entries(value)) {
    const list = typeof grantees === 'string' ? [grantees] : grantees;
    if (!Array.isArray(list) || !list.every((g) => typeof g === 'string')) {
      throw new UsageError(`grants: ${privilege}: must be a role name or a list of them`, { file });
    }
    const key = privilege.replace(/^\+/, '').trim().toLowerCase();
    grants.set(key, [...(grants.get(key) ?? []), ...(list as string[])]);
  }
  return grants;
}

function grantSteps(target: Relation, grants: Map<string, string[]>): SqlStep[] {
  // Unquoted names fold to lower case in PostgreSQL; the catalog shows them folded (and PUBLIC so).
  const folded = (role: string) => (role.startsWith('"') ? role.slice(1, -1) : role.toLowerCase() === 'public' ? 'PUBLIC' : role.toLowerCase());
  const wanted = [...grants].flatMap(([privilege, roles]) => roles.map((role) => `(${quoteLiteral(privilege.toUpperCase())}, ${quoteLiteral(folded(role))})`));
  const steps: SqlStep[] = [
    {
      purpose: `revoke from ${target.display} what its grants no longer list`,
      sql: `do $tspipe$
declare
  g record;
begin
  for g in
    select privilege_type, grantee from information_schema.role_table_grants
    where table_schema = ${quoteLiteral(target.schema)} and table_name = ${quoteLiteral(target.identifier)}
      and grantor = current_user and grantee <> current_user${wanted.length ? `\n      and (privilege_type, grantee) not in (values ${wanted.join(', ')})` : ''}
  loop
    execute format('revoke %s on %s from %s', g.privilege_type, ${quoteLiteral(target.toString())},
      case when g.grantee = 'PUBLIC' then 'public' else quote_ident(g.grantee) end);
  end loop;
end
$tspipe$`,
    },
  ];
  for (const [privilege, roles] of grants) {
    if (roles.length) steps.push({ purpose: `grant ${privilege} on ${target.display}`, sql: `grant ${privilege} on ${target} to ${roles.join(', ')}` });
  }
  return steps;
}
