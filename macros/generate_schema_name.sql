{#
  Where a model lands. Custom schemas are used as written (landing, raw, clean, kpi),
  as tspipe's project.yml does by default, except on the `ci` target: a pull request's
  slim CI build (state:modified+ --defer) writes to ci_<schema>, next to production's
  schemas in the same database, and reads what it did not build from production.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
  {%- if custom_schema_name is none -%}{{ target.schema }}
  {%- elif target.name == 'ci' -%}{{ target.schema }}_{{ custom_schema_name | trim }}
  {%- else -%}{{ custom_schema_name | trim }}
  {%- endif -%}
{%- endmacro %}
