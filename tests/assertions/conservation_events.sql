-- Nothing is lost between raw and clean: raw rows = clean rows + quarantined rows.
-- Returns a row (and so fails) when the counts disagree.
select raw_rows, clean_rows, quarantined_rows
from (
    select
        (select count(*) from {{ ref('raw_events') }}) as raw_rows,
        (select count(*) from {{ ref('clean_events') }}) as clean_rows,
        (select count(*) from {{ ref('clean_events_quarantine') }}) as quarantined_rows
) as counts
where raw_rows <> clean_rows + quarantined_rows
