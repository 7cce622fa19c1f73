-- orders_append, nothing existing
-- verb: created table; audit: "public"."orders_append__tspipe_tmp"

-- build 1: drop public.orders_append__tspipe_tmp if it exists
do $tspipe$
declare
  kind "char" := (select c.relkind from pg_class c where c.oid = to_regclass('"public"."orders_append__tspipe_tmp"'));
begin
  if kind is not null then
    execute format('drop %s %s cascade', case kind when 'v' then 'view' when 'm' then 'materialized view' else 'table' end, '"public"."orders_append__tspipe_tmp"');
  end if;
end
$tspipe$;

-- build 2: create table public.orders_append__tspipe_tmp (counts rows)
create table "public"."orders_append__tspipe_tmp" as (

select id, amount from "public"."raw_orders"

);

-- publish 1: swap public.orders_append__tspipe_tmp into public.orders_append
do $tspipe$
declare
  target_oid oid := to_regclass('"public"."orders_append"');
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
        regexp_replace(pg_get_viewdef(dependent.oid, true), ';\s*$', ''));
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
      '"public"."orders_append"');
  end if;
  execute format('alter %s %s rename to %I',
    case (select relkind from pg_class where oid = to_regclass('"public"."orders_append__tspipe_tmp"')) when 'v' then 'view' else 'table' end,
    '"public"."orders_append__tspipe_tmp"', 'orders_append');
  foreach statement in array recreate loop
    execute statement;
  end loop;
end
$tspipe$;
