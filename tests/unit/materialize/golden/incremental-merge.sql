-- orders_merge, existing table (id, amount, status)
-- verb: merged into; audit: "public"."orders_merge"

-- build 1: stage new rows for public.orders_merge
create temp table "orders_merge__tspipe_incr" on commit drop as (

select id, amount, status from "public"."raw_orders"

where id > (select max(id) from "public"."orders_merge")

);

-- build 2: merge into public.orders_merge (counts rows)
merge into "public"."orders_merge" as t using "orders_merge__tspipe_incr" as s on t."id" = s."id"
when matched then update set "amount" = s."amount", "status" = s."status"
when not matched then insert ("id", "amount", "status") values (s."id", s."amount", s."status");
