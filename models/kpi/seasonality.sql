-- Month-of-year seasonality: how busy each calendar month is once the trend is taken
-- out (events per day over the linear trend), averaged over the years, leaving out
-- anomaly months (1.0 = a typical month, 1.5 = 50% busier). See monthly_kpis.
select
    extract(month from month)::int as month_of_year,
    count(*) as months_observed,
    round(avg(events), 2) as avg_events,
    max(seasonal_index) as seasonality_index
from {{ ref('monthly_kpis') }}
where not is_partial_month and not is_anomaly
group by 1
order by 1
