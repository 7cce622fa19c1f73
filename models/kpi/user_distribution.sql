-- Users by age range, gender and subscription: counts and shares, all users and active users.
{% set dimensions = ['age_range', 'gender', 'subscription_type'] %}
with users as (
    select * from {{ ref('user_kpis') }}
)

{% for dimension in dimensions -%}
select
    '{{ dimension }}' as dimension,
    {{ dimension }} as value,
    count(*) as users,
    count(*) filter (where status = 'active') as active_users,
    round(count(*)::numeric / sum(count(*)) over (), 4) as share_of_users,
    round(
        count(*) filter (where status = 'active')::numeric
        / nullif(sum(count(*) filter (where status = 'active')) over (), 0),
        4
    ) as share_of_active_users
from users
group by {{ dimension }}
{% if not loop.last %}
union all

{% endif -%}
{%- endfor %}
