{{ config(materialized='incremental', incremental_strategy='microbatch',
          event_time='month', batch_size='month', begin='2000-01-01', lookback=1) }}
-- The monthly aggregate monthly_kpis computes from: one row per calendar month with
-- valid events (events, distinct active and purchasing users, sessions by the month
-- they start in, their durations). Built month by month (microbatch, month batches):
-- a day's update recomputes the month of that day only. A batch's window can end
-- before its month does (a day's run ends at the next midnight), and distinct users
-- do not add up over days, so each batch reads its whole months from the daily
-- aggregate (.render(): unfiltered), whatever part of them the window covers.
{% if model.batch %}
{% set months_from = "date_trunc('month', timestamp '" ~ model.batch.event_time_start ~ "')" %}
{% set months_to = "date_trunc('month', timestamp '" ~ model.batch.event_time_end ~ "' - interval '1 microsecond') + interval '1 month'" %}
{% endif %}
select
    date_trunc('month', day) as month,
    sum(events)::bigint as events,
    count(distinct user_id) as active_users,
    sum(purchases)::bigint as purchases,
    count(distinct user_id) filter (where purchases > 0) as purchasing_users,
    sum(sessions)::bigint as sessions,
    sum(timed_sessions)::bigint as timed_sessions,
    sum(session_seconds) as session_seconds
from {{ ref('user_game_days').render() }}
{% if model.batch %}
where day >= {{ months_from }} and day < {{ months_to }}
{% endif %}
group by 1
