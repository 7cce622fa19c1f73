{{ config(alias='events') }}
-- The landed events.csv exactly as it was: every value as text, plus where it came from.
select * from {{ ref('events') }}
