{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='as_of_date',
          batch_size='day', begin='2000-01-01', lookback=1,
          pre_hook="{{ jit_off_when_incremental() }}") }}
-- KPI history: one row per day with valid events, the user statuses as they stood at
-- the end of that day (the definitions of user_kpis with as_of_date = that day) and
-- the day's headline KPIs. Built day by day (microbatch): a daily run adds its day, a
-- backfill its days, a full build every day; the result is the same.
-- The users of a day are those registered by then (or with a valid event by then, or
-- with no valid registration date): a user who registers later, and so arrives in a
-- later users file, does not change an earlier day's row.
-- PostgreSQL estimates a day's counts as 200 days' worth: no JIT for a day's run.
{% set window_months = var('active_window_months', 6) %}
with batch_user_days as (
    -- the batch's rows of the daily aggregate: ref() reads only the batch's window
    select * from {{ ref('user_game_days') }}
),

batch_days as (
    select distinct day::date as as_of_date
    from batch_user_days
),

{% if is_incremental() %}
running as (
    -- a day or a few (a daily run, a backfill): count over the history up to each day
    -- (.render(): the unfiltered daily aggregate, a third of the events' rows)
    select
        batch_days.as_of_date as day,
        counts.active_users,
        counts.users_with_events,
        (registered.users + counts.users_registered_later)::bigint as users
    from batch_days
    cross join lateral (
        select
            count(distinct days.user_id) filter (
                where days.day >= batch_days.as_of_date - interval '{{ window_months }} months'
            ) as active_users,
            count(distinct days.user_id) as users_with_events,
            count(distinct days.user_id) filter (where users.registration_date > batch_days.as_of_date) as users_registered_later
        from {{ ref('user_game_days').render() }} as days
        join {{ ref('clean_users') }} as users on users.user_id = days.user_id
        where days.day < batch_days.as_of_date + 1
    ) as counts
    cross join lateral (
        select count(*) as users
        from {{ ref('clean_users') }} as users
        where users.registration_date is null or users.registration_date <= batch_days.as_of_date
    ) as registered
),
{% else %}
-- every day at once (a first build, a full refresh): running counts over the history,
-- one pass over the user-days instead of one per day
user_days as (
    -- statuses need the whole history up to the batch: .render() reads the unfiltered table
    select distinct user_id, day::date as day
    from {{ ref('user_game_days').render() }}
    where day < (select max(as_of_date) + 1 from batch_days)
),

calendar as (
    -- active on day d: an event on or after window_start (as in_active_window)
    select d::date as day, (d - interval '{{ window_months }} months')::date as window_start
    from generate_series((select min(day) from user_days), (select max(as_of_date) from batch_days), interval '1 day') as d
),

expiries as (
    -- the first day whose window no longer reaches back to `day`
    select event_day.day, min(later.day) as expires
    from calendar as event_day
    left join calendar as later on later.window_start > event_day.day
    group by event_day.day
),

spans as (
    -- a user is active from each event day until the next one or until it leaves the window
    select
        user_days.user_id,
        user_days.day as starts,
        least(lead(user_days.day) over (partition by user_days.user_id order by user_days.day), expiries.expires) as ends,
        user_days.day = min(user_days.day) over (partition by user_days.user_id) as is_first
    from user_days
    join expiries on expiries.day = user_days.day
),

user_starts as (
    -- a user counts from registration or first valid event, whichever is first; one
    -- with no valid registration date counts on every day
    select
        case when users.registration_date is not null then least(users.registration_date, firsts.day) end as starts
    from {{ ref('clean_users') }} as users
    left join (select user_id, min(day) as day from user_days group by user_id) as firsts on firsts.user_id = users.user_id
),

changes as (
    select starts as day, 1 as active_delta, case when is_first then 1 else 0 end as seen_delta, 0 as user_delta from spans
    union all
    select ends, -1, 0, 0 from spans where ends is not null
    union all
    select starts, 0, 0, 1 from user_starts where starts is not null
    union all
    select as_of_date, 0, 0, 0 from batch_days
),

running as (
    select
        day,
        sum(sum(active_delta)) over (order by day) as active_users,
        sum(sum(seen_delta)) over (order by day) as users_with_events,
        ((select count(*) from user_starts where starts is null) + sum(sum(user_delta)) over (order by day))::bigint as users
    from changes
    group by day
),
{% endif %}

day_events as (
    -- the day's headline KPIs from the daily aggregate; sessions end at midnight, so a
    -- day's sessions are its rows' (the mean over the sessions that have a duration)
    select
        day::date as as_of_date,
        sum(events)::bigint as events,
        count(distinct user_id) as daily_active_users,
        sum(purchases)::bigint as purchases,
        sum(sessions)::bigint as sessions,
        round(sum(session_seconds)::numeric / nullif(sum(timed_sessions), 0), 2) as avg_session_seconds
    from batch_user_days
    group by 1
)

select
    batch_days.as_of_date,
    running.active_users,
    running.users_with_events - running.active_users as churned_users,
    running.users - running.users_with_events as inactive_users,
    running.users,
    day_events.events,
    day_events.daily_active_users,
    day_events.purchases,
    day_events.sessions,
    day_events.avg_session_seconds
from batch_days
join running on running.day = batch_days.as_of_date
join day_events on day_events.as_of_date = batch_days.as_of_date
