-- stg_orders, nothing existing
-- verb: inlined ephemeral; audit: none
-- builds nothing; the compiled SELECT, inlined as a CTE where it is used:
select id, amount from "public"."raw_orders" where status <> 'test'
