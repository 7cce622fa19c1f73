{{ config(alias='events_checked', event_time='event_time') }}
-- Every landed event row, typed and normalised, with the reason it is not a valid
-- event. Valid: an integer event_id seen for the first time, a parseable
-- event_time, and a user and a game that exist in the clean tables.
-- `tablet` is kept and mapped to `mobile`: a tablet is a mobile device, and the
-- event itself is sound.
with typed as (
    select
        {{ safe_cast_int('e.event_id') }} as event_id,
        {{ safe_cast_int('e.game_id') }} as game_id,
        {{ safe_cast_int('e.user_id') }} as user_id,
        {{ safe_cast_timestamp('e.event_time') }} as event_time,
        {{ normalize_enum('e.event_type', ['login', 'start_game', 'finish_game', 'purchase'],
             typos={'startgame': 'start_game', 'finishgame': 'finish_game', 'log_in': 'login'}) }} as event_type,
        {{ clean_duration('e.duration_seconds') }} as duration_seconds,
        {{ normalize_enum('e.device_type', ['mobile', 'web', 'console'], typos={'tablet': 'mobile'}) }} as device_type,
        e._source_file,
        e._source_line,
        to_jsonb(e) - '_loaded_at' as raw_record
    from {{ ref('raw_events') }} as e
),

ranked as (
    select
        typed.*,
        case when event_id is not null
             then row_number() over (partition by event_id order by _source_line) end as occurrence
    from typed
)

select
    ranked.*,
    case
        when ranked.event_id is null then 'bad_event_id'
        when ranked.occurrence > 1 then 'duplicate_id'
        when ranked.event_time is null then 'bad_timestamp'
        when users.user_id is null then 'unknown_user'
        when games.game_id is null then 'unknown_game'
    end as quarantine_reason
from ranked
left join {{ ref('clean_users') }} as users on users.user_id = ranked.user_id
left join {{ ref('clean_games') }} as games on games.game_id = ranked.game_id
