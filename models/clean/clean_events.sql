{{ config(alias='events', materialized='incremental', incremental_strategy='microbatch',
          event_time='event_time', batch_size='day', begin='2000-01-01', lookback=1,
          post_hook=["create index if not exists {{ this.identifier }}_event_time on {{ this }} (event_time)",
                     "{{ analyze_rebuilt() }}"]) }}
-- Valid events: typed, normalised, one row per id. Built day by day (microbatch on
-- event_time): a day's run replaces that day's events only. clean_events_checked
-- declares event_time, so ref() reads just the batch's day of it. The index on
-- event_time serves a batch's delete and as_of_date (the latest event) in every KPI.
select
    event_id, game_id, user_id, event_time, event_type, duration_seconds, device_type,
    _source_file,
    _source_line
from {{ ref('clean_events_checked') }}
where quarantine_reason is null
