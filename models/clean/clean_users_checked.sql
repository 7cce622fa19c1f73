{{ config(alias='users_checked',
          materialized='incremental', incremental_strategy='delete+insert', unique_key='_source_file',
          pre_hook="{{ jit_off_when_incremental() }}",
          post_hook=["create index if not exists {{ this.identifier }}_user_id on {{ this }} (user_id)",
                     "create index if not exists {{ this.identifier }}_file on {{ this }} (_source_file, _loaded_at)",
                     "{{ analyze_rebuilt() }}"]) }}
-- Every landed user row, typed and normalised, with the reason it cannot be kept
-- (NULL when it can). clean_users and clean_users_quarantine split this table,
-- so raw rows = clean rows + quarantined rows by construction.
-- Incremental by landed file, as clean_events_checked: with an inbox folder for users
-- (seeds/inbox/users/, new users in a file of their own), a run checks only the new
-- or re-landed files, and users.csv, unchanged, is neither landed nor checked again.
-- The first row of an id in landing order (users.csv, then the inbox files by name)
-- and line wins; later ones, in the same file or a later one, are duplicates (a row
-- of an earlier file with the id, kept or not, makes a later one a duplicate, exactly
-- as a full build decides).
{% set users_seed = ref('users') %}
{% set ledger = source('landing', 'load_ledger') %}
with
{% if is_incremental() %}
{{ landed_file_changes(ref('raw_users'), users_seed, ledger) }}
{% endif %}

typed as (
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
        u._loaded_at,
        to_jsonb(u) - '_loaded_at' as raw_record
    from {{ ref('raw_users') }} as u
    {% if is_incremental() %}
    where ({{ landing_order('u._source_file') }}) >= (select in_inbox, source_file from first_changed)
    {% endif %}
),

ranked as (
    select
        typed.*,
        -- the first row of an id wins; later ones are duplicates
        case when user_id is not null
             then row_number() over (partition by user_id order by {{ landing_order('_source_file') }}, _source_line) end as occurrence
    from typed
)

select
    ranked.user_id, ranked.age_range, ranked.registration_date, ranked.email, ranked.workout_frequency,
    ranked.gender, ranked.location, ranked.subscription_type, ranked._source_file, ranked._source_line,
    ranked._loaded_at, ranked.raw_record,
    case
        when ranked.user_id is null then 'bad_user_id'
        when ranked.occurrence > 1 then 'duplicate_id'
        {% if is_incremental() %}
        -- kept rows of earlier files (those of re-checked files are being replaced)
        when exists (
            select 1 from {{ this }} as earlier
            where earlier.user_id = ranked.user_id
              and ({{ landing_order('earlier._source_file') }}) < (select in_inbox, source_file from first_changed)
        ) then 'duplicate_id'
        {% endif %}
    end as quarantine_reason
from ranked
