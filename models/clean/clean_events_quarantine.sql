{{ config(alias='events_quarantine') }}
-- events rows that cannot be kept, with the reason and the raw record as it was landed.
select
    quarantine_reason,
    _source_file,
    _source_line,
    raw_record
from {{ ref('clean_events_checked') }}
where quarantine_reason is not null
