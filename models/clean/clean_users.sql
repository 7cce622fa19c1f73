{{ config(alias='users', materialized='view') }}
-- Valid users: typed, normalised, one row per id. A view: clean_users_checked is built
-- file by file, so this never re-copies every user.
select
    user_id, age_range, registration_date, email, workout_frequency, gender, location, subscription_type,
    _source_file,
    _source_line
from {{ ref('clean_users_checked') }}
where quarantine_reason is null
