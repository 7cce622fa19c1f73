{{ config(alias='users') }}
-- Valid users: typed, normalised, one row per id.
select
    user_id, age_range, registration_date, email, workout_frequency, gender, location, subscription_type,
    _source_file,
    _source_line
from {{ ref('clean_users_checked') }}
where quarantine_reason is null
