{{ config(materialized='incremental', incremental_strategy='microbatch',
          event_time='day', batch_size='day', begin='2000-01-01', lookback=1) }}
-- The daily aggregate the KPI tables count from instead of every event: one row per
-- user, game and UTC day with valid events (about a third of the events' rows).
-- Built day by day (microbatch): a day's update adds its day only. `day` is the
-- day's midnight, so `day >= a midnight` says the same as `event_time >= it`.
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
