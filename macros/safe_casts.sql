{#-
  Casts that never fail: a value that does not parse becomes NULL, so the clean
  layer can quarantine the row instead of the whole build failing.
  Nested CASEs (not AND) because PostgreSQL does not promise AND's evaluation order.
-#}

{% macro safe_cast_int(column) -%}
case when btrim({{ column }}) ~ '^[+-]?[0-9]{1,18}$' then btrim({{ column }})::bigint end
{%- endmacro %}

{#- A calendar date `YYYY-MM-DD` that exists (no 2024-02-30). -#}
{% macro _valid_date_prefix(text) -%}
case when {{ text }} ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])' then
    case when substr({{ text }}, 9, 2)::int
              <= extract(day from make_date(substr({{ text }}, 1, 4)::int, substr({{ text }}, 6, 2)::int, 1)
                                  + interval '1 month - 1 day')
         then true else false end
else false end
{%- endmacro %}

{% macro safe_cast_date(column) -%}
case when btrim({{ column }}) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then
    case when {{ _valid_date_prefix('btrim(' ~ column ~ ')') }} then btrim({{ column }})::date end
end
{%- endmacro %}

{#- ISO timestamp `YYYY-MM-DDTHH:MI:SS[.fff]` (T or space) without a time zone. -#}
{% macro safe_cast_timestamp(column) -%}
case when btrim({{ column }}) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?$' then
    case when {{ _valid_date_prefix('btrim(' ~ column ~ ')') }} then replace(btrim({{ column }}), 'T', ' ')::timestamp end
end
{%- endmacro %}

{#- A duration in seconds: negative, empty or non-numeric -> NULL. -#}
{% macro clean_duration(column) -%}
case when btrim({{ column }}) ~ '^[0-9]{1,9}$' then btrim({{ column }})::integer end
{%- endmacro %}
