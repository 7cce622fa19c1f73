-- One row per location (unknown included): users, activity, sessions, favourite
-- game type (most valid events; ties by name) and subscription mix.
with users as (
    select * from {{ ref('user_kpis') }}
),

location_types as (
    -- the daily aggregate (user, game, day: events and sessions) by location and game
    -- type, not every event and session
    select
        users.location,
        games.game_type,
        sum(days.events) as events,
        sum(days.session_seconds) as session_seconds,
        sum(days.timed_sessions) as timed_sessions
    from {{ ref('user_game_days') }} as days
    join {{ ref('clean_games') }} as games on games.game_id = days.game_id
    join users on users.user_id = days.user_id
    group by users.location, games.game_type
),

event_stats as (
    -- every valid event is a clean user's: user_kpis already counted them
    select location, sum(events)::bigint as events
    from users
    group by location
),

session_stats as (
    -- the mean of the sessions that have a duration, as avg() over clean.sessions
    select location, round(sum(session_seconds)::numeric / nullif(sum(timed_sessions), 0), 2) as avg_session_seconds
    from location_types
    group by location
),

favourite_type as (
    select distinct on (location)
        location,
        game_type
    from location_types
    order by location, events desc, game_type
),

user_stats as (
    select
        location,
        count(*) as users,
        count(*) filter (where status = 'active') as active_users,
        round(avg((subscription_type = 'free')::int), 4) as free_share,
        round(avg((subscription_type = 'premium')::int), 4) as premium_share,
        round(avg((subscription_type = 'trial')::int), 4) as trial_share
    from users
    group by location
)

select
    user_stats.location,
    user_stats.users,
    user_stats.active_users,
    round(coalesce(event_stats.events, 0)::numeric / user_stats.users, 2) as events_per_user,
    session_stats.avg_session_seconds,
    favourite_type.game_type as favourite_game_type,
    user_stats.free_share,
    user_stats.premium_share,
    user_stats.trial_share,
    {{ as_of_date() }} as as_of_date
from user_stats
left join event_stats on event_stats.location = user_stats.location
left join session_stats on session_stats.location = user_stats.location
left join favourite_type on favourite_type.location = user_stats.location
