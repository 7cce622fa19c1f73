{#-
  For a model incremental by landed file (delete+insert on _source_file) that checks
  the rows of a raw landing seed: the CTEs `landed_files` (each file of the seed's table
  and when it landed) and `first_changed` (the first file, in landing order, that is
  not in {{ this }} as landed: new, or landed again since; columns in_inbox,
  source_file: compare `({{ landing_order('x') }})` with it). The files come from the load
  ledger (a row per file) when the seed has an inbox folder, else from a scan of the
  landed rows. Call it inside `with`, when is_incremental(); it ends with a comma.
  Run it with jit_off_when_incremental() as a pre-hook: PostgreSQL's estimate for a
  day's file is a third of the table, and compiling for that costs more than the file.
  raw: the raw model over the seed; seed: ref() of the seed; ledger: source() of the
  ledger table (which exists once any inbox seed of its schema has landed).
-#}
{% macro landed_file_changes(raw, seed, ledger) -%}
{%- set ledger_table = load_relation(ledger) -%}
{%- set in_ledger = false -%}
{%- if ledger_table and execute -%}
{#- asked now, not in the query: a query that might scan instead is planned as if it will -#}
{%- set found = run_query("select exists (select 1 from " ~ ledger_table ~ " where table_name = '" ~ seed.schema ~ "." ~ seed.identifier ~ "')") -%}
{%- set in_ledger = found.rows[0][0] -%}
{%- endif -%}
{%- if in_ledger %}
landed_files as (
    select source_file as _source_file, loaded_at as _loaded_at
    from {{ ledger_table }}
    where table_name = '{{ seed.schema }}.{{ seed.identifier }}'
),
{%- else %}
landed_files as (
    -- no ledger rows for the table (a seed without an inbox): every landed row's file
    select distinct _source_file, _loaded_at from {{ raw }}
),
{%- endif %}

first_changed as (
    select strpos(f._source_file, '/inbox/') > 0 as in_inbox, f._source_file as source_file
    from landed_files as f
    where not exists (
        select 1 from {{ this }} as t
        where t._source_file = f._source_file and t._loaded_at = f._loaded_at
    )
    order by 1, 2
    limit 1
),
{%- endmacro %}

{#-
  The order the loader lands a seed's files in: the seed's own CSV (seeds/users.csv),
  then its inbox files (seeds/inbox/users/*.csv) by name. "The first row of an id"
  means first in this order, then by line. A list: use it in `order by`, or in
  parentheses as a row to compare.
-#}
{% macro landing_order(file) -%}
strpos({{ file }}, '/inbox/') > 0, {{ file }}
{%- endmacro %}

