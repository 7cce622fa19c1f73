{#- Date arithmetic. Every macro dispatches, so a project can override it. -#}

{%- macro date_trunc(datepart, date) -%}
  {{ return(adapter.dispatch('date_trunc', 'dbt')(datepart, date)) }}
{%- endmacro -%}
{%- macro default__date_trunc(datepart, date) -%}
date_trunc('{{ datepart }}', {{ date }})
{%- endmacro -%}

{%- macro dateadd(datepart, interval, from_date_or_timestamp) -%}
  {{ return(adapter.dispatch('dateadd', 'dbt')(datepart, interval, from_date_or_timestamp)) }}
{%- endmacro -%}
{%- macro default__dateadd(datepart, interval, from_date_or_timestamp) -%}
dateadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{%- endmacro -%}
{#- PostgreSQL has no dateadd(): add N times a one-unit interval. -#}
{%- macro postgres__dateadd(datepart, interval, from_date_or_timestamp) -%}
{{ from_date_or_timestamp }} + ((interval '1 {{ datepart }}') * ({{ interval }}))
{%- endmacro -%}

{%- macro datediff(first_date, second_date, datepart) -%}
  {{ return(adapter.dispatch('datediff', 'dbt')(first_date, second_date, datepart)) }}
{%- endmacro -%}
{%- macro default__datediff(first_date, second_date, datepart) -%}
datediff({{ datepart }}, {{ first_date }}, {{ second_date }})
{%- endmacro -%}
{#-
  PostgreSQL: the number of datepart boundaries between the two values, counted from
  their calendar fields (like Snowflake's datediff), built up from coarser parts.
  Weeks start on Sunday; for a reversed pair with the same weekday dbt counts one
  more week, and so do we, so results match dbt-postgres row for row.
-#}
{%- macro postgres__datediff(first_date, second_date, datepart) -%}
  {%- set first_d = '(' ~ first_date ~ ')::date' -%}
  {%- set second_d = '(' ~ second_date ~ ')::date' -%}
  {%- set first_ts = '(' ~ first_date ~ ')::timestamp' -%}
  {%- set second_ts = '(' ~ second_date ~ ')::timestamp' -%}
  {%- set part = datepart | lower -%}
  {%- if part == 'year' -%}
(date_part('year', {{ second_d }}) - date_part('year', {{ first_d }}))
  {%- elif part == 'quarter' -%}
({{ dbt.datediff(first_date, second_date, 'year') }} * 4 + date_part('quarter', {{ second_d }}) - date_part('quarter', {{ first_d }}))
  {%- elif part == 'month' -%}
({{ dbt.datediff(first_date, second_date, 'year') }} * 12 + date_part('month', {{ second_d }}) - date_part('month', {{ first_d }}))
  {%- elif part == 'day' -%}
({{ second_d }} - {{ first_d }})
  {%- elif part == 'week' -%}
({{ dbt.datediff(first_date, second_date, 'day') }} / 7 + case when date_part('dow', {{ first_ts }}) <= date_part('dow', {{ second_ts }}) then case when {{ first_date }} <= {{ second_date }} then 0 else -1 end else case when {{ first_date }} <= {{ second_date }} then 1 else 0 end end)
  {%- elif part == 'hour' -%}
({{ dbt.datediff(first_date, second_date, 'day') }} * 24 + date_part('hour', {{ second_ts }}) - date_part('hour', {{ first_ts }}))
  {%- elif part == 'minute' -%}
({{ dbt.datediff(first_date, second_date, 'hour') }} * 60 + date_part('minute', {{ second_ts }}) - date_part('minute', {{ first_ts }}))
  {%- elif part == 'second' -%}
({{ dbt.datediff(first_date, second_date, 'minute') }} * 60 + floor(date_part('second', {{ second_ts }})) - floor(date_part('second', {{ first_ts }})))
  {%- elif part in ('millisecond', 'microsecond') -%}
  {%- set per_minute = 60000 if part == 'millisecond' else 60000000 -%}
({{ dbt.datediff(first_date, second_date, 'minute') }} * {{ per_minute }} + floor(date_part('{{ part }}', {{ second_ts }})) - floor(date_part('{{ part }}', {{ first_ts }})))
  {%- else -%}
  {{ exceptions.raise_compiler_error("datediff: unsupported datepart " ~ datepart ~ " on postgres (use year, quarter, month, week, day, hour, minute, second, millisecond or microsecond)") }}
  {%- endif -%}
{%- endmacro -%}

{#- The last day of the period (month, quarter, year...) that `date` falls in. -#}
{%- macro last_day(date, datepart) -%}
  {{ return(adapter.dispatch('last_day', 'dbt')(date, datepart)) }}
{%- endmacro -%}
{%- macro default_last_day(date, datepart) -%}
cast({{ dbt.dateadd('day', '-1', dbt.dateadd(datepart, '1', dbt.date_trunc(datepart, date))) }} as date)
{%- endmacro -%}
{%- macro default__last_day(date, datepart) -%}
{{ dbt.default_last_day(date, datepart) }}
{%- endmacro -%}
{#- PostgreSQL intervals have no quarter unit: three months instead. -#}
{%- macro postgres__last_day(date, datepart) -%}
  {%- if datepart | lower == 'quarter' -%}
cast({{ dbt.dateadd('day', '-1', dbt.dateadd('month', '3', dbt.date_trunc(datepart, date))) }} as date)
  {%- else -%}
{{ dbt.default_last_day(date, datepart) }}
  {%- endif -%}
{%- endmacro -%}

{%- macro date(year, month, day) -%}
  {{ return(adapter.dispatch('date', 'dbt')(year, month, day)) }}
{%- endmacro -%}
{%- macro default__date(year, month, day) -%}
to_date('{{ modules.datetime.date(year, month, day).strftime('%Y-%m-%d') }}', 'YYYY-MM-DD')
{%- endmacro -%}

{%- macro current_timestamp() -%}
  {{ return(adapter.dispatch('current_timestamp', 'dbt')()) }}
{%- endmacro -%}
{%- macro default__current_timestamp() -%}
now()
{%- endmacro -%}
{%- macro current_timestamp_backcompat() -%}
  {{ return(adapter.dispatch('current_timestamp_backcompat', 'dbt')()) }}
{%- endmacro -%}
{%- macro default__current_timestamp_backcompat() -%}
current_timestamp::timestamp
{%- endmacro -%}
{%- macro current_timestamp_in_utc_backcompat() -%}
  {{ return(adapter.dispatch('current_timestamp_in_utc_backcompat', 'dbt')()) }}
{%- endmacro -%}
{%- macro default__current_timestamp_in_utc_backcompat() -%}
(current_timestamp at time zone 'utc')::timestamp
{%- endmacro -%}
{%- macro snapshot_get_time() -%}
  {{ return(adapter.dispatch('snapshot_get_time', 'dbt')()) }}
{%- endmacro -%}
{%- macro default__snapshot_get_time() -%}
{{ dbt.current_timestamp() }}::timestamp without time zone
{%- endmacro -%}
