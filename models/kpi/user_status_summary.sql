-- How many users are active, churned and inactive (always three rows).
select
    statuses.status,
    count(user_kpis.user_id) as users,
    round(count(user_kpis.user_id)::numeric / nullif(sum(count(user_kpis.user_id)) over (), 0), 4) as share_of_users,
    {{ as_of_date() }} as as_of_date
from (values ('active', 1), ('churned', 2), ('inactive', 3)) as statuses (status, sort_order)
left join {{ ref('user_kpis') }} as user_kpis on user_kpis.status = statuses.status
group by statuses.status, statuses.sort_order
order by statuses.sort_order
