-- Month-of-year seasonality: the average events of that calendar month over the
-- average of all complete months (1.0 = a typical month, 1.5 = 50% busier).
with complete_months as (
    select month, events
    from {{ ref('monthly_kpis') }}
    where not is_partial_month
)

select
    extract(month from month)::int as month_of_year,
    count(*) as months_observed,
    round(avg(events), 2) as avg_events,
    round(avg(events) / nullif((select avg(events) from complete_months), 0), 4) as seasonality_index
from complete_months
group by 1
order by 1
