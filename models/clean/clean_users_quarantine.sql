{{ config(alias='users_quarantine', materialized='view') }}
-- users rows that cannot be kept, with the reason and the raw record as it was landed.
-- A view, as clean_users.
select
    quarantine_reason,
    _source_file,
    _source_line,
    raw_record
from {{ ref('clean_users_checked') }}
where quarantine_reason is not null
