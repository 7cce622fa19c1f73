-- snapshot.orders_history, existing table (id, status, dbt_scd_id, dbt_updated_at, dbt_valid_from, dbt_valid_to)
-- verb: snapshotted; audit: "public"."orders_history"

-- build 1: stage the rows of orders_history
create temp table "orders_history__tspipe_snap" on commit drop as
select * from (


select id, status from "public"."raw_orders"
) as s;

-- build 2: add dbt_is_deleted to public.orders_history
alter table "public"."orders_history" add column "dbt_is_deleted" text not null default 'False';

-- build 3: close the changed records of public.orders_history
update "public"."orders_history" as t set "dbt_valid_to" = now()::timestamp
from "orders_history__tspipe_snap" as s
where t."id" = s."id" and t."dbt_valid_to" is null and (t."status" is distinct from s."status" or t."dbt_is_deleted" = 'True');

-- build 4: insert new versions into public.orders_history (counts rows)
insert into "public"."orders_history" ("id", "status", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to", "dbt_is_deleted")
select s."id", s."status", md5(coalesce(cast(s."id" as text), '') || '|' || coalesce(cast(now()::timestamp as text), '')), now()::timestamp, now()::timestamp, null, 'False'
from "orders_history__tspipe_snap" as s
where not exists (select 1 from "public"."orders_history" as t where t."id" = s."id" and t."dbt_valid_to" is null);

-- build 5: close the records gone from orders_history
update "public"."orders_history" as t set "dbt_valid_to" = now()::timestamp
where t."dbt_valid_to" is null and t."dbt_is_deleted" = 'False' and not exists (select 1 from "orders_history__tspipe_snap" as s where t."id" = s."id");

-- build 6: record the deletions in public.orders_history
insert into "public"."orders_history" ("id", "status", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to", "dbt_is_deleted")
select t."id", t."status", md5(coalesce(cast(t."id" as text), '') || '|' || coalesce(cast(now()::timestamp as text), '')), now()::timestamp, now()::timestamp, null, 'True'
from "public"."orders_history" as t
where t."dbt_valid_to" = now()::timestamp and t."dbt_is_deleted" = 'False' and not exists (select 1 from "orders_history__tspipe_snap" as s where t."id" = s."id")
  and not exists (select 1 from "public"."orders_history" as c where c."id" = t."id" and c."dbt_valid_to" is null);
