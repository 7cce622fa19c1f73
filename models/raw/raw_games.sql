{{ config(alias='games') }}
-- The landed games.csv exactly as it was: every value as text, plus where it came from.
select * from {{ ref('games') }}
