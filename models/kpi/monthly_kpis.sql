-- One row per calendar month with valid events (months of event_time), from
-- monthly_activity (a row a month, built month by month) rather than every event.
-- active_users: distinct users with a valid event in the month; sessions and their
-- average length by the month they start in; new_registrations by registration month.
-- events_mom_change compares with the previous month that has events.
-- is_anomaly: the month's events per day, detrended and divided by its seasonal index,
-- are more than `anomaly_zscore` standard deviations (and 25%) away from the mean of
-- the same measure over the trailing `anomaly_trailing_months` months, with at least
-- `anomaly_min_trailing_months` of them; so a January that is busy every year is not
-- an anomaly, a one-off spike is. The seasonal index of a calendar month is the mean
-- of its detrended ratio over the years, leaving out months a first pass (with a
-- robust index: the median over the month and its two calendar neighbours) flags,
-- and the first `anomaly_min_trailing_months` months (the ramp-up).
-- The month of as_of_date is partial and never flagged.
{% set trailing = var('anomaly_trailing_months', 6) %}
{#- The first months (users still arriving) are no reference for the seasons either. -#}
{% set min_trailing = var('anomaly_min_trailing_months', 6) %}
with event_months as (
    -- from the monthly aggregate (built month by month from the daily one)
    select
        month::date as month,
        events,
        active_users,
        purchases,
        purchasing_users,
        sessions,
        -- the mean of the sessions that have a duration, as avg() over clean.sessions
        round(session_seconds::numeric / nullif(timed_sessions, 0), 2) as avg_session_seconds
    from {{ ref('monthly_activity') }}
),

registration_months as (
    select
        date_trunc('month', registration_date)::date as month,
        count(*) as new_registrations
    from {{ ref('clean_users') }}
    where registration_date is not null
    group by 1
),

months as (
    select
        event_months.month,
        event_months.active_users,
        event_months.events,
        event_months.purchases,
        event_months.purchasing_users,
        event_months.sessions,
        event_months.avg_session_seconds,
        round(event_months.events::numeric / nullif(event_months.active_users, 0), 2) as events_per_active_user,
        coalesce(registration_months.new_registrations, 0) as new_registrations,
        event_months.month = date_trunc('month', {{ as_of_date() }})::date
            and {{ as_of_date() }} < (event_months.month + interval '1 month - 1 day')::date as is_partial_month
    from event_months
    left join registration_months on registration_months.month = event_months.month
),

-- Complete months, per day (months differ in length), with their trend: the mean of
-- the 12 months around them (each season once) where the data has them, else a
-- straight line fitted over all complete months (the first and last six months).
complete as (
    select
        month,
        extract(month from month)::int as month_of_year,
        events::numeric / extract(day from month + interval '1 month - 1 day') as events_per_day,
        row_number() over (order by month) as t
    from months
    where not is_partial_month
),

trend_fit as (
    select regr_slope(events_per_day, t) as slope, regr_intercept(events_per_day, t) as intercept
    from complete
),

detrended as (
    select
        moving.*,
        moving.events_per_day / nullif(coalesce(moving.moving_trend, trend_fit.intercept + trend_fit.slope * moving.t, moving.events_per_day), 0) as ratio
    from (
        select
            complete.*,
            case when count(*) over centred = 12 then avg(events_per_day) over centred end as moving_trend
        from complete
        window centred as (order by month rows between 6 preceding and 5 following)
    ) as moving
    cross join trend_fit
),

robust_seasonality as (
    select calendar.m as month_of_year, percentile_cont(0.5) within group (order by detrended.ratio) as seasonal_index
    from generate_series(1, 12) as calendar (m)
    join detrended on (detrended.month_of_year - calendar.m + 12) % 12 in (0, 1, 11)
    where detrended.t > {{ min_trailing }}
    group by calendar.m
),

first_pass as (
    select
        detrended.*,
        {{ is_trailing_outlier('detrended.ratio / nullif(robust_seasonality.seasonal_index, 0)') }} as is_outlier
    from detrended
    join robust_seasonality using (month_of_year)
    window trailing_window as (order by detrended.month rows between {{ trailing }} preceding and 1 preceding)
),

seasonality as (
    select month_of_year, avg(ratio) as seasonal_index
    from first_pass
    where not is_outlier and t > {{ min_trailing }}
    group by month_of_year
),

adjusted as (
    select
        months.*,
        coalesce(seasonality.seasonal_index, robust_seasonality.seasonal_index) as seasonal_index,
        detrended.ratio / nullif(coalesce(seasonality.seasonal_index, robust_seasonality.seasonal_index), 0) as adjusted_events
    from months
    left join detrended on detrended.month = months.month
    left join seasonality on seasonality.month_of_year = detrended.month_of_year
    left join robust_seasonality on robust_seasonality.month_of_year = detrended.month_of_year
),

trends as (
    select
        adjusted.*,
        lag(events) over (order by month) as previous_events,
        avg(events) over trailing_window as trailing_avg_events,
        (adjusted_events - avg(adjusted_events) over trailing_window) / nullif(stddev_samp(adjusted_events) over trailing_window, 0) as adjusted_zscore,
        {{ is_trailing_outlier('adjusted_events') }} as is_outlier
    from adjusted
    window trailing_window as (order by month rows between {{ trailing }} preceding and 1 preceding)
)

select
    month,
    active_users,
    events,
    purchases,
    purchasing_users,
    round(purchasing_users::numeric / nullif(active_users, 0), 4) as purchase_conversion,
    sessions,
    avg_session_seconds,
    events_per_active_user,
    new_registrations,
    round((events - previous_events)::numeric / nullif(previous_events, 0), 4) as events_mom_change,
    round(trailing_avg_events, 2) as trailing_avg_events,
    round(seasonal_index::numeric, 4) as seasonal_index,
    round(adjusted_zscore::numeric, 2) as events_zscore,
    not is_partial_month and is_outlier as is_anomaly,
    is_partial_month
from trends
order by month
