-- orders_merge, existing table (id, amount, status)
-- verb: merged into; audit: "public"."orders_merge"

-- build 1: stage new rows for public.orders_merge
create temp table "orders_merge__tspipe_incr" on commit drop as (

select id, amount, status from "public"."raw_orders"

where id > (select max(id) from "public"."orders_merge")

);

-- build 2: merge into public.orders_merge (counts rows)
merge into "public"."orders_merge" as DBT_INTERNAL_DEST using "orders_merge__tspipe_incr" as DBT_INTERNAL_SOURCE
on (DBT_INTERNAL_SOURCE."id" = DBT_INTERNAL_DEST."id")
when matched then update set "id" = DBT_INTERNAL_SOURCE."id", "amount" = DBT_INTERNAL_SOURCE."amount", "status" = DBT_INTERNAL_SOURCE."status"
when not matched then insert ("id", "amount", "status") values (DBT_INTERNAL_SOURCE."id", DBT_INTERNAL_SOURCE."amount", DBT_INTERNAL_SOURCE."status");
