-- snapshot.orders_history, nothing existing
-- verb: created snapshot; audit: none

-- build 1: create snapshot public.orders_history (counts rows)
create table "public"."orders_history" as
select s.*, md5(coalesce(cast(s."id" as text), '') || '|' || coalesce(cast(now()::timestamp as text), '')) as "dbt_scd_id", now()::timestamp as "dbt_updated_at", now()::timestamp as "dbt_valid_from",
  nullif(now()::timestamp, now()::timestamp) as "dbt_valid_to", 'False'::text as "dbt_is_deleted"
from (


select id, status from "public"."raw_orders"
) as s;
