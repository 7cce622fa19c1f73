{{ config(alias='users') }}
-- The landed users.csv exactly as it was: every value as text, plus where it came from.
select * from {{ ref('users') }}
