/**
 * Replaces a relation by its freshly built staging relation inside the current
 * transaction. Views that depend on the old relation (even ones tspipe does not
 * manage) are captured and recreated, so they survive: dbt drops them with
 * `cascade` (dbt-core #2185). Readers see the old relation until COMMIT.
 */
import { quoteLiteral } from '../contract/index.js';
import type { Relation } from '../compile/relation.js';
import type { SqlStep } from './materialization.js';

export function swapRelationStep(staging: Relation, target: Relation): SqlStep {
  const targetName = quoteLiteral(target.toString());
  return {
    purpose: `swap ${staging.display} into ${target.display}`,
    sql: `do $tspipe$
declare
  target_oid oid := to_regclass(${targetName});
  old_search_path text := current_setting('search_path');
  dependent record;
  recreate text[] := '{}';
  statement text;
begin
  if target_oid is not null then
    -- One swap at a time reads and recreates dependent views: two swaps sharing a
    -- dependent view would otherwise read a definition the other just dropped
    -- ("could not open relation with OID"). Held until commit, right after.
    perform pg_advisory_xact_lock(hashtext('tspipe'), hashtext('swap with dependent views'));
    -- An empty search_path makes pg_get_viewdef qualify every name it prints.
    perform set_config('search_path', '', true);
    for dependent in
      with recursive dependents(oid, depth) as (
        select distinct rw.ev_class, 1
        from pg_depend d join pg_rewrite rw on rw.oid = d.objid
        where d.classid = 'pg_rewrite'::regclass and d.refobjid = target_oid and rw.ev_class <> target_oid
        union
        select rw.ev_class, dependents.depth + 1
        from dependents
        join pg_depend d on d.refobjid = dependents.oid and d.classid = 'pg_rewrite'::regclass
        join pg_rewrite rw on rw.oid = d.objid
        where rw.ev_class <> dependents.oid and dependents.depth < 100
      )
      select c.oid, n.nspname, c.relname, c.relkind, max(dependents.depth) as depth
      from dependents join pg_class c on c.oid = dependents.oid join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('v', 'm')
      group by c.oid, n.nspname, c.relname, c.relkind
      order by max(dependents.depth), n.nspname, c.relname
    loop
      recreate := recreate || format('create %s %I.%I as %s',
        case dependent.relkind when 'm' then 'materialized view' else 'view' end,
        dependent.nspname, dependent.relname,
        regexp_replace(pg_get_viewdef(dependent.oid, true), ';\\s*$', ''));
      if obj_description(dependent.oid, 'pg_class') is not null then
        recreate := recreate || format('comment on %s %I.%I is %L',
          case dependent.relkind when 'm' then 'materialized view' else 'view' end,
          dependent.nspname, dependent.relname, obj_description(dependent.oid, 'pg_class'));
      end if;
    end loop;
    perform set_config('search_path', old_search_path, true);
    execute format('drop %s %s cascade',
      case (select relkind from pg_class where oid = target_oid)
        when 'v' then 'view' when 'm' then 'materialized view' when 'f' then 'foreign table' else 'table' end,
      ${targetName});
  end if;
  execute format('alter %s %s rename to %I',
    case (select relkind from pg_class where oid = to_regclass(${quoteLiteral(staging.toString())})) when 'v' then 'view' else 'table' end,
    ${quoteLiteral(staging.toString())}, ${quoteLiteral(target.identifier)});
  foreach statement in array recreate loop
    execute statement;
  end loop;
end
$tspipe$`,
  };
}

/** Drops a relation of whatever kind it is (table or view), if it exists. */
export function dropRelationStep(relation: Relation): SqlStep {
  const name = quoteLiteral(relation.toString());
  return {
    purpose: `drop ${relation.display} if it exists`,
    sql: `do $tspipe$
declare
  kind "char" := (select c.relkind from pg_class c where c.oid = to_regclass(${name}));
begin
  if kind is not null then
    execute format('drop %s %s cascade', case kind when 'v' then 'view' when 'm' then 'materialized view' else 'table' end, ${name});
  end if;
end
$tspipe$`,
  };
}
