{{ config(alias='events') }}
-- Valid events: typed, normalised, one row per id.
select
    event_id, game_id, user_id, event_time, event_type, duration_seconds, device_type,
    _source_file,
    _source_line
from {{ ref('clean_events_checked') }}
where quarantine_reason is null
