{{ config(alias='events_quarantine', materialized='view') }}
-- events rows that cannot be kept, with the reason and the raw record as it was landed.
-- A view: clean_events_checked is built file by file, so this never re-copies history.
select
    quarantine_reason,
    _source_file,
    _source_line,
    raw_record
from {{ ref('clean_events_checked') }}
where quarantine_reason is not null
