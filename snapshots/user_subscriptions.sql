{#
  Each user's subscription type over time: a new row whenever it changes between two
  runs (check strategy), dbt_valid_from/dbt_valid_to saying when each one held. A user
  who leaves the clean users keeps their history, closed at the run that saw it go.
#}
{% snapshot user_subscriptions %}
{{ config(
    schema='snapshots',
    unique_key='user_id',
    strategy='check',
    check_cols=['subscription_type'],
    hard_deletes='invalidate',
) }}
select user_id, subscription_type from {{ ref('clean_users') }}
{% endsnapshot %}
