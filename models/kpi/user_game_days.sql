{{ config(materialized='incremental', incremental_strategy='microbatch',
          event_time='day', batch_size='day', begin='2000-01-01', lookback=1,
          post_hook=["create index if not exists {{ this.identifier }}_day on {{ this }} (day)",
                     "{{ analyze_rebuilt() }}"]) }}
-- The daily aggregate the KPI tables count from instead of every event and session:
-- one row per user, game and UTC day with valid events (about a third of the events'
-- rows). Sessions end at midnight (clean_sessions), so each belongs to the row of its
-- user, game and day: `sessions`, and for their mean length the sum of the durations
-- and how many sessions have one (avg() leaves NULL durations out, so does this).
-- Built day by day (microbatch): a day's update adds its day only. `day` is the
-- day's midnight, so `day >= a midnight` says the same as `event_time >= it`. The index
-- on day serves a batch's delete and the months and windows read from it.
with events as (
    select
        user_id,
        game_id,
        date_trunc('day', event_time) as day,
        count(*) as events,
        count(*) filter (where event_type = 'purchase') as purchases,
        min(event_time) as first_event_at,
        max(event_time) as last_event_at
    from {{ ref('clean_events') }}
    group by user_id, game_id, date_trunc('day', event_time)
),

sessions as (
    select
        user_id,
        game_id,
        date_trunc('day', started_at) as day,
        count(*) as sessions,
        count(duration_seconds) as timed_sessions,
        sum(duration_seconds) as session_seconds
    from {{ ref('clean_sessions') }}
    group by user_id, game_id, date_trunc('day', started_at)
)

select
    events.user_id,
    events.game_id,
    events.day,
    events.events,
    events.purchases,
    events.first_event_at,
    events.last_event_at,
    coalesce(sessions.sessions, 0) as sessions,
    coalesce(sessions.timed_sessions, 0) as timed_sessions,
    sessions.session_seconds
from events
left join sessions using (user_id, game_id, day)
