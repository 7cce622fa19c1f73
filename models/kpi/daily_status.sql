{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='as_of_date',
          batch_size='day', begin='2000-01-01', lookback=1) }}
-- KPI history: one row per day with valid events, the user statuses as they stood at
-- the end of that day (the definitions of user_kpis with as_of_date = that day) and
-- the day's headline KPIs. Built day by day (microbatch): a daily run adds its day, a
-- backfill its days, a full build every day; the result is the same.
{% set window_months = var('active_window_months', 6) %}
with batch_days as (
    -- the batch's days: ref() of clean_events reads only the batch's window
    select distinct event_time::date as as_of_date
    from {{ ref('clean_events') }}
),

{% if is_incremental() %}
running as (
    -- a day or a few (a daily run, a backfill): count over the history up to each day
    -- (.render(): the unfiltered table); about a second a day at a million events
    select batch_days.as_of_date as day, counts.active_users, counts.users_with_events
    from batch_days
    cross join lateral (
        select
            count(distinct user_id) filter (
                where event_time >= batch_days.as_of_date - interval '{{ window_months }} months'
            ) as active_users,
            count(distinct user_id) as users_with_events
        from {{ ref('clean_events').render() }}
        where event_time < batch_days.as_of_date + 1
    ) as counts
),
{% else %}
-- every day at once (a first build, a full refresh): running counts over the history,
-- one pass over the user-days instead of one per day
user_days as (
    -- statuses need the whole history up to the batch: .render() reads the unfiltered table
    select distinct user_id, event_time::date as day
    from {{ ref('clean_events').render() }}
    where event_time < (select max(as_of_date) + 1 from batch_days)
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

changes as (
    select starts as day, 1 as active_delta, case when is_first then 1 else 0 end as seen_delta from spans
    union all
    select ends, -1, 0 from spans where ends is not null
    union all
    select as_of_date, 0, 0 from batch_days
),

running as (
    select
        day,
        sum(sum(active_delta)) over (order by day) as active_users,
        sum(sum(seen_delta)) over (order by day) as users_with_events
    from changes
    group by day
),
{% endif %}

day_events as (
    select
        event_time::date as as_of_date,
        count(*) as events,
        count(distinct user_id) as daily_active_users,
        count(*) filter (where event_type = 'purchase') as purchases
    from {{ ref('clean_events') }}
    group by 1
),

day_sessions as (
    select started_at::date as as_of_date, count(*) as sessions, round(avg(duration_seconds), 2) as avg_session_seconds
    from {{ ref('clean_sessions') }}
    group by 1
),

all_users as (
    select count(*) as users from {{ ref('clean_users') }}
)

select
    batch_days.as_of_date,
    running.active_users,
    running.users_with_events - running.active_users as churned_users,
    all_users.users - running.users_with_events as inactive_users,
    all_users.users,
    day_events.events,
    day_events.daily_active_users,
    day_events.purchases,
    coalesce(day_sessions.sessions, 0) as sessions,
    day_sessions.avg_session_seconds
from batch_days
join running on running.day = batch_days.as_of_date
join day_events on day_events.as_of_date = batch_days.as_of_date
left join day_sessions on day_sessions.as_of_date = batch_days.as_of_date
cross join all_users
