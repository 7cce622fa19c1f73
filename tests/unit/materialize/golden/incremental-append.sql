-- orders_append, existing table (id, amount)
-- verb: inserted into; audit: "public"."orders_append"

-- build 1: stage new rows for public.orders_append
create temp table "orders_append__tspipe_incr" on commit drop as (

select id, amount from "public"."raw_orders"

where id > (select max(id) from "public"."orders_append")

);

-- build 2: append to public.orders_append (counts rows)
insert into "public"."orders_append" ("id", "amount") select "id", "amount" from "orders_append__tspipe_incr";
