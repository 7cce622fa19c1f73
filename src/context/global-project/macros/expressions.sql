{#- Casts, aggregates, set operators and arrays. -#}

{%- macro cast(field, type) -%}
  {{ return(adapter.dispatch('cast', 'dbt')(field, type)) }}
{%- endmacro -%}
{%- macro default__cast(field, type) -%}
cast({{ field }} as {{ type }})
{%- endmacro -%}

{#- PostgreSQL has no try_cast: a plain cast, as dbt-postgres does. -#}
{%- macro safe_cast(field, type) -%}
  {{ return(adapter.dispatch('safe_cast', 'dbt')(field, type)) }}
{%- endmacro -%}
{%- macro default__safe_cast(field, type) -%}
cast({{ field }} as {{ type }})
{%- endmacro -%}

{%- macro any_value(expression) -%}
  {{ return(adapter.dispatch('any_value', 'dbt')(expression)) }}
{%- endmacro -%}
{%- macro default__any_value(expression) -%}
any_value({{ expression }})
{%- endmacro -%}
{#- any_value() is new in PostgreSQL 16: min() gives one of the values everywhere. -#}
{%- macro postgres__any_value(expression) -%}
min({{ expression }})
{%- endmacro -%}

{%- macro bool_or(expression) -%}
  {{ return(adapter.dispatch('bool_or', 'dbt')(expression)) }}
{%- endmacro -%}
{%- macro default__bool_or(expression) -%}
bool_or({{ expression }})
{%- endmacro -%}

{%- macro except() -%}
  {{ return(adapter.dispatch('except', 'dbt')()) }}
{%- endmacro -%}
{%- macro default__except() -%}
except
{%- endmacro -%}

{%- macro intersect() -%}
  {{ return(adapter.dispatch('intersect', 'dbt')()) }}
{%- endmacro -%}
{%- macro default__intersect() -%}
intersect
{%- endmacro -%}

{#- Null-safe equality when the project opts in (flags.enable_truthy_nulls_equals_macro). -#}
{%- macro equals(expr1, expr2) -%}
  {{ return(adapter.dispatch('equals', 'dbt')(expr1, expr2)) }}
{%- endmacro -%}
{%- macro default__equals(expr1, expr2) -%}
  {%- if adapter.behavior.enable_truthy_nulls_equals_macro.no_warn -%}
case when (({{ expr1 }} = {{ expr2 }}) or ({{ expr1 }} is null and {{ expr2 }} is null)) then 0 else 1 end = 0
  {%- else -%}
({{ expr1 }} = {{ expr2 }})
  {%- endif -%}
{%- endmacro -%}
{%- macro postgres__equals(expr1, expr2) -%}
  {%- if adapter.behavior.enable_truthy_nulls_equals_macro.no_warn -%}
({{ expr1 }} is not distinct from {{ expr2 }})
  {%- else -%}
({{ expr1 }} = {{ expr2 }})
  {%- endif -%}
{%- endmacro -%}

{%- macro array_construct(inputs=[], data_type=api.Column.translate_type('integer')) -%}
  {{ return(adapter.dispatch('array_construct', 'dbt')(inputs, data_type)) }}
{%- endmacro -%}
{%- macro default__array_construct(inputs, data_type) -%}
  {%- if inputs | length > 0 -%}
array[ {{ inputs | join(' , ') }} ]
  {%- else -%}
array[]::{{ data_type }}[]
  {%- endif -%}
{%- endmacro -%}

{%- macro array_append(array, new_element) -%}
  {{ return(adapter.dispatch('array_append', 'dbt')(array, new_element)) }}
{%- endmacro -%}
{%- macro default__array_append(array, new_element) -%}
array_append({{ array }}, {{ new_element }})
{%- endmacro -%}

{%- macro array_concat(array_1, array_2) -%}
  {{ return(adapter.dispatch('array_concat', 'dbt')(array_1, array_2)) }}
{%- endmacro -%}
{%- macro default__array_concat(array_1, array_2) -%}
array_cat({{ array_1 }}, {{ array_2 }})
{%- endmacro -%}
