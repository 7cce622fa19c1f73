{{ config(post_hook="{{ analyze_rebuilt() }}") }}
-- One row per clean user: status, activity and sessions as of `as_of_date`.
-- active: a valid event in the active window (6 months up to as_of_date);
-- churned: valid events, none in that window; inactive: no valid event ever.
-- Event and session counts come from user_game_days (the daily aggregate), not every
-- event and session.
with days as (
    select * from {{ ref('user_game_days') }}
),

event_stats as (
    select
        user_id,
        sum(events)::bigint as events,
        coalesce(sum(events) filter (where {{ in_active_window('day') }}), 0)::bigint as events_in_active_window,
        sum(purchases)::bigint as purchases,
        min(first_event_at) as first_event_at,
        max(last_event_at) as last_event_at,
        sum(sessions)::bigint as sessions,
        -- the mean of the sessions that have a duration, as avg() over clean.sessions
        sum(session_seconds)::numeric / nullif(sum(timed_sessions), 0) as avg_session_seconds
    from days
    group by user_id
),

favourite_game as (
    -- the game with most events; ties go to the lowest game_id
    select distinct on (user_id)
        user_id,
        game_id
    from days
    group by user_id, game_id
    order by user_id, sum(events) desc, game_id
)

select
    users.user_id,
    case
        when coalesce(event_stats.events_in_active_window, 0) > 0 then 'active'
        when coalesce(event_stats.events, 0) > 0 then 'churned'
        else 'inactive'
    end as status,
    coalesce(event_stats.events, 0) as events,
    coalesce(event_stats.events_in_active_window, 0) as events_in_active_window,
    coalesce(event_stats.purchases, 0) as purchases,
    coalesce(event_stats.sessions, 0) as sessions,
    round(event_stats.avg_session_seconds, 2) as avg_session_seconds,
    event_stats.first_event_at,
    event_stats.last_event_at,
    favourite_game.game_id as favourite_game_id,
    users.registration_date,
    users.age_range,
    users.gender,
    users.location,
    users.subscription_type,
    {{ as_of_date() }} as as_of_date
from {{ ref('clean_users') }} as users
left join event_stats on event_stats.user_id = users.user_id
left join favourite_game on favourite_game.user_id = users.user_id
