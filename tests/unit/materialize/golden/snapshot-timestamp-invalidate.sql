-- snapshot.orders_by_time, existing table (id, status, placed_at, dbt_scd_id, dbt_updated_at, dbt_valid_from, dbt_valid_to)
-- verb: snapshotted; audit: "public"."orders_by_time"

-- build 1: stage the rows of orders_by_time
create temp table "orders_by_time__tspipe_snap" on commit drop as
select * from (






select id, status, now() as placed_at from "public"."raw_orders"
) as s;

-- build 2: close the changed records of public.orders_by_time
update "public"."orders_by_time" as t set "dbt_valid_to" = s."placed_at"
from "orders_by_time__tspipe_snap" as s
where t."id" = s."id" and t."status" = s."status" and t."dbt_valid_to" is null and (t."dbt_valid_from" < s."placed_at");

-- build 3: insert new versions into public.orders_by_time (counts rows)
insert into "public"."orders_by_time" ("id", "status", "placed_at", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to")
select s."id", s."status", s."placed_at", md5(coalesce(cast(s."id" as text), '') || '|' || coalesce(cast(s."status" as text), '') || '|' || coalesce(cast(s."placed_at" as text), '')), s."placed_at", s."placed_at", null
from "orders_by_time__tspipe_snap" as s
where not exists (select 1 from "public"."orders_by_time" as t where t."id" = s."id" and t."status" = s."status" and t."dbt_valid_to" is null);

-- build 4: close the records gone from orders_by_time
update "public"."orders_by_time" as t set "dbt_valid_to" = now()::timestamp
where t."dbt_valid_to" is null and not exists (select 1 from "orders_by_time__tspipe_snap" as s where t."id" = s."id" and t."status" = s."status");
