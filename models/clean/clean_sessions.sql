{{ config(alias='sessions', materialized='incremental', incremental_strategy='microbatch',
          event_time='started_at', batch_size='day', begin='2000-01-01', lookback=1,
          post_hook="{{ analyze_rebuilt() }}") }}
-- A session: one user's valid events on one game and one UTC day where consecutive
-- events are at most `session_gap_minutes` (default 30) apart. Sessions end at
-- midnight so that each day's batch (microbatch on started_at, reading that day of
-- clean_events) is complete on its own. Its duration is the sum of its non-null
-- duration_seconds, NULL when none has one (unknown, not zero seconds).
with ordered as (
    select
        event_id,
        user_id,
        game_id,
        event_time,
        duration_seconds,
        lag(event_time) over (partition by user_id, game_id, event_time::date order by event_time, event_id) as previous_event_time
    from {{ ref('clean_events') }}
),

numbered as (
    select
        ordered.*,
        sum(case
                when previous_event_time is null
                  or event_time - previous_event_time > interval '{{ var("session_gap_minutes", 30) }} minutes'
                then 1 else 0
            end) over (partition by user_id, game_id, event_time::date order by event_time, event_id rows unbounded preceding) as session_number
    from ordered
)

select
    user_id || '-' || game_id || '-' || to_char(event_time::date, 'YYYYMMDD') || '-' || session_number as session_id,
    user_id,
    game_id,
    session_number,
    min(event_time) as started_at,
    max(event_time) as ended_at,
    count(*) as events,
    sum(duration_seconds) as duration_seconds
from numbered
group by user_id, game_id, event_time::date, session_number
