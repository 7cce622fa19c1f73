{{ config(alias='users_checked') }}
-- Every landed user row, typed and normalised, with the reason it cannot be kept
-- (NULL when it can). clean_users and clean_users_quarantine split this table,
-- so raw rows = clean rows + quarantined rows by construction.
with typed as (
    select
        {{ safe_cast_int('u.user_id') }} as user_id,
        {{ normalize_enum('u.age_range', ['-18', '18-25', '26-35', '36-50', '50+']) }} as age_range,
        {{ safe_cast_date('u.registration_date') }} as registration_date,
        nullif(lower(btrim(u.email)), '') as email,
        {{ normalize_enum('u.workout_frequency', ['flexible', 'minimal', 'regular', 'maximal']) }} as workout_frequency,
        {{ normalize_enum('u.gender', ['m', 'f', 'other']) }} as gender,
        {{ normalize_enum('u.location', ['paris', 'lyon', 'berlin', 'madrid', 'rome']) }} as location,
        {{ normalize_enum('u.subscription_type', ['free', 'premium', 'trial']) }} as subscription_type,
        u._source_file,
        u._source_line,
        to_jsonb(u) - '_loaded_at' as raw_record
    from {{ ref('raw_users') }} as u
),

ranked as (
    select
        typed.*,
        -- the first row of an id in the file wins; later ones are duplicates
        case when user_id is not null
             then row_number() over (partition by user_id order by _source_line) end as occurrence
    from typed
)

select
    ranked.*,
    case
        when user_id is null then 'bad_user_id'
        when occurrence > 1 then 'duplicate_id'
    end as quarantine_reason
from ranked
