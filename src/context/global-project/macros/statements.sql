{#- Running SQL from templates: statement blocks, run_query, and relation helpers. -#}

{#- {% call statement('name', fetch_result=True) %}select ...{% endcall %}, then load_result('name'). -#}
{%- macro statement(name=None, fetch_result=False, auto_begin=True, language='sql') -%}
  {%- if execute -%}
    {%- set sql = caller() -%}
    {%- set response, table = adapter.execute(sql, auto_begin=auto_begin, fetch=fetch_result) -%}
    {%- if name is not none -%}
      {{ store_result(name, response=response, agate_table=table) }}
    {%- endif -%}
  {%- endif -%}
{%- endmacro -%}

{%- macro noop_statement(name=None, message=None, code=None, rows_affected=None, res=None) -%}
  {%- if execute and name is not none -%}
    {{ store_raw_result(name, message=message, code=code, rows_affected=rows_affected, agate_table=res) }}
  {%- endif -%}
{%- endmacro -%}

{#- The rows of a query as a table: run_query("select ...").columns[0].values() -#}
{%- macro run_query(sql) -%}
  {%- call statement('run_query_statement', fetch_result=True, auto_begin=False) -%}
    {{ sql }}
  {%- endcall -%}
  {{ return(load_result('run_query_statement').table) }}
{%- endmacro -%}

{%- macro get_columns_in_relation(relation) -%}
  {{ return(adapter.get_columns_in_relation(relation)) }}
{%- endmacro -%}

{#- The columns a query would return, without running it. -#}
{%- macro get_columns_in_query(select_sql) -%}
  {%- call statement('get_columns_in_query', fetch_result=True, auto_begin=False) -%}
    select * from ({{ select_sql }}) as __dbt_sbq where false limit 0
  {%- endcall -%}
  {{ return(load_result('get_columns_in_query').table.columns | map(attribute='name') | list) }}
{%- endmacro -%}

{%- macro load_relation(relation) -%}
  {{ return(adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier)) }}
{%- endmacro -%}
{%- macro load_cached_relation(relation) -%}
  {{ return(load_relation(relation)) }}
{%- endmacro -%}

{%- macro create_schema(relation) -%}
  {%- do adapter.create_schema(relation) -%}
{%- endmacro -%}
{%- macro drop_schema(relation) -%}
  {%- do adapter.drop_schema(relation) -%}
{%- endmacro -%}
{%- macro drop_relation(relation) -%}
  {%- do adapter.drop_relation(relation) -%}
{%- endmacro -%}
{%- macro drop_relation_if_exists(relation) -%}
  {%- if relation is not none -%}{%- do adapter.drop_relation(relation) -%}{%- endif -%}
{%- endmacro -%}
{%- macro truncate_relation(relation) -%}
  {%- do adapter.truncate_relation(relation) -%}
{%- endmacro -%}
{%- macro rename_relation(from_relation, to_relation) -%}
  {%- do adapter.rename_relation(from_relation, to_relation) -%}
{%- endmacro -%}

{%- macro make_temp_relation(base_relation, suffix='__dbt_tmp') -%}
  {{ return(base_relation.incorporate(path={'identifier': base_relation.identifier ~ suffix})) }}
{%- endmacro -%}
{%- macro make_intermediate_relation(base_relation, suffix='__dbt_tmp') -%}
  {{ return(make_temp_relation(base_relation, suffix)) }}
{%- endmacro -%}
{%- macro make_backup_relation(base_relation, backup_relation_type, suffix='__dbt_backup') -%}
  {{ return(base_relation.incorporate(path={'identifier': base_relation.identifier ~ suffix}, type=backup_relation_type)) }}
{%- endmacro -%}

{%- macro get_create_table_as_sql(temporary, relation, sql) -%}
  {{ return(adapter.dispatch('get_create_table_as_sql', 'dbt')(temporary, relation, sql)) }}
{%- endmacro -%}
{%- macro default__get_create_table_as_sql(temporary, relation, sql) -%}
create {% if temporary %}temporary {% endif %}table {{ relation.include(schema=(not temporary)) }} as (
{{ sql }}
)
{%- endmacro -%}
{%- macro create_table_as(temporary, relation, compiled_code, language='sql') -%}
  {{ return(get_create_table_as_sql(temporary, relation, compiled_code)) }}
{%- endmacro -%}
{%- macro get_create_view_as_sql(relation, sql) -%}
  {{ return(adapter.dispatch('get_create_view_as_sql', 'dbt')(relation, sql)) }}
{%- endmacro -%}
{%- macro default__get_create_view_as_sql(relation, sql) -%}
create view {{ relation }} as (
{{ sql }}
)
{%- endmacro -%}
{%- macro create_view_as(relation, sql) -%}
  {{ return(get_create_view_as_sql(relation, sql)) }}
{%- endmacro -%}

{%- macro run_hooks(hooks, inside_transaction=True) -%}
  {%- for hook in hooks | selectattr('transaction', 'equalto', inside_transaction) -%}
    {%- call statement(auto_begin=inside_transaction) -%}{{ hook.get('sql') }}{%- endcall -%}
  {%- endfor -%}
{%- endmacro -%}

{%- macro set_sql_header(config) -%}
  {{ config.set('sql_header', caller()) }}
{%- endmacro -%}
