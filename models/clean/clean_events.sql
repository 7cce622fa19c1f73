{{ config(alias='events', materialized='incremental', incremental_strategy='microbatch',
          event_time='event_time', batch_size='day', begin='2000-01-01', lookback=1) }}
-- Valid events: typed, normalised, one row per id. Built day by day (microbatch on
-- event_time): a day's run replaces that day's events only. clean_events_checked
-- declares event_time, so ref() reads just the batch's day of it.
select
    event_id, game_id, user_id, event_time, event_type, duration_seconds, device_type,
    _source_file,
    _source_line
from {{ ref('clean_events_checked') }}
where quarantine_reason is null
