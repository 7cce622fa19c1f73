{#-
  A post-hook: `analyze` the model's table when this run built it anew (a table, or an
  incremental model's first build or full refresh), so the models reading it next are
  planned on statistics, not on guesses. A new table has none until autovacuum comes
  by, and a guessed join can cost PostgreSQL seconds of JIT compilation on its own.
  Incremental runs add a small share of rows and leave the statistics to autovacuum.
-#}
{% macro analyze_rebuilt() -%}
{%- if not is_incremental() -%}
analyze {{ this }}
{%- endif -%}
{%- endmacro %}
