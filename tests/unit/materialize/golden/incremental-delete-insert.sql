-- orders_delete_insert, existing table (id, amount)
-- verb: inserted into; audit: "public"."orders_delete_insert"

-- build 1: stage new rows for public.orders_delete_insert
create temp table "orders_delete_insert__tspipe_incr" on commit drop as (

select id, amount from "public"."raw_orders"

where id > (select max(id) from "public"."orders_delete_insert")

);

-- build 2: delete replaced rows from public.orders_delete_insert
delete from "public"."orders_delete_insert" as t where exists (select 1 from "orders_delete_insert__tspipe_incr" as s where t."id" = s."id");

-- build 3: insert into public.orders_delete_insert (counts rows)
insert into "public"."orders_delete_insert" ("id", "amount") select "id", "amount" from "orders_delete_insert__tspipe_incr";
