{#-
  The reference date of every KPI: the `as_of_date` var, or else the date of the
  latest valid event, so results on historical data are reproducible.
-#}
{% macro as_of_date() -%}
{%- if var('as_of_date', none) -%}
date '{{ var("as_of_date") }}'
{%- else -%}
(select max(event_time)::date from {{ ref('clean_events') }})
{%- endif -%}
{%- endmacro %}

{#- Start of the active window: `active_window_months` (6) before as_of_date. -#}
{% macro active_window_start() -%}
({{ as_of_date() }} - interval '{{ var("active_window_months", 6) }} months')
{%- endmacro %}

{#- True when `ts` falls in the active window [as_of_date - 6 months, as_of_date + 1 day). -#}
{% macro in_active_window(ts) -%}
({{ ts }} >= {{ active_window_start() }} and {{ ts }} < {{ as_of_date() }} + interval '1 day')
{%- endmacro %}
