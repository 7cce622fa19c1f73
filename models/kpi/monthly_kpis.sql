-- One row per calendar month with valid events (months of event_time).
-- active_users: distinct users with a valid event in the month; sessions and their
-- average length by the month they start in; new_registrations by registration month.
-- events_mom_change compares with the previous month that has events.
-- is_anomaly: events more than `anomaly_zscore` standard deviations (and 25%) away
-- from the mean of the trailing `anomaly_trailing_months` months (at least 3 of them);
-- the month of as_of_date is partial and never flagged.
{% set trailing = var('anomaly_trailing_months', 6) %}
with event_months as (
    select
        date_trunc('month', event_time)::date as month,
        count(*) as events,
        count(distinct user_id) as active_users
    from {{ ref('clean_events') }}
    group by 1
),

session_months as (
    select
        date_trunc('month', started_at)::date as month,
        count(*) as sessions,
        round(avg(duration_seconds), 2) as avg_session_seconds
    from {{ ref('clean_sessions') }}
    group by 1
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
        coalesce(session_months.sessions, 0) as sessions,
        session_months.avg_session_seconds,
        round(event_months.events::numeric / nullif(event_months.active_users, 0), 2) as events_per_active_user,
        coalesce(registration_months.new_registrations, 0) as new_registrations,
        event_months.month = date_trunc('month', {{ as_of_date() }})::date
            and {{ as_of_date() }} < (event_months.month + interval '1 month - 1 day')::date as is_partial_month
    from event_months
    left join session_months on session_months.month = event_months.month
    left join registration_months on registration_months.month = event_months.month
),

trends as (
    select
        months.*,
        lag(events) over (order by month) as previous_events,
        avg(events) over trailing_window as trailing_avg_events,
        stddev_samp(events) over trailing_window as trailing_stddev_events,
        count(*) over trailing_window as trailing_months
    from months
    window trailing_window as (order by month rows between {{ trailing }} preceding and 1 preceding)
)

select
    month,
    active_users,
    events,
    sessions,
    avg_session_seconds,
    events_per_active_user,
    new_registrations,
    round((events - previous_events)::numeric / nullif(previous_events, 0), 4) as events_mom_change,
    round(trailing_avg_events, 2) as trailing_avg_events,
    round((events - trailing_avg_events) / nullif(trailing_stddev_events, 0), 2) as events_zscore,
    coalesce(
        not is_partial_month
        and trailing_months >= 3
        and abs(events - trailing_avg_events) > {{ var('anomaly_zscore', 3) }} * trailing_stddev_events
        and abs(events - trailing_avg_events) > 0.25 * trailing_avg_events,
        false
    ) as is_anomaly,
    is_partial_month
from trends
order by month
