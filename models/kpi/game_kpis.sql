-- One row per clean game: events, sessions, session length and popularity.
-- active_users: distinct users with a valid event on the game in the active window;
-- popularity_rank: rank by active_users, ties broken by events (games equal on both
-- share a rank). purchases: valid purchase events on the game (the revenue proxy).
with event_stats as (
    -- from the daily aggregate (events and sessions): a third of the events' rows
    select
        game_id,
        sum(events)::bigint as events,
        sum(purchases)::bigint as purchases,
        count(distinct user_id) filter (where {{ in_active_window('day') }}) as active_users,
        sum(sessions)::bigint as sessions,
        -- the mean of the sessions that have a duration, as avg() over clean.sessions
        round(sum(session_seconds)::numeric / nullif(sum(timed_sessions), 0), 2) as avg_session_seconds
    from {{ ref('user_game_days') }}
    group by game_id
)

select
    games.game_id,
    games.game_name,
    games.game_type,
    games.platform,
    games.difficulty,
    coalesce(event_stats.events, 0) as events,
    coalesce(event_stats.purchases, 0) as purchases,
    coalesce(event_stats.sessions, 0) as sessions,
    event_stats.avg_session_seconds,
    coalesce(event_stats.active_users, 0) as active_users,
    rank() over (order by coalesce(event_stats.active_users, 0) desc, coalesce(event_stats.events, 0) desc) as popularity_rank,
    {{ as_of_date() }} as as_of_date
from {{ ref('clean_games') }} as games
left join event_stats on event_stats.game_id = games.game_id
