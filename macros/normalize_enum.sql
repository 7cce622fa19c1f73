{#-
  Maps a dirty text value onto a lower-case accepted value:
  trimmed and lower-cased, known typos mapped (e.g. 'actionn' -> 'action'),
  anything else (empty included) -> `fallback` ('unknown').
  `accepted` and `typos` are written lower-case.
-#}
{% macro normalize_enum(column, accepted, typos={}, fallback='unknown') -%}
case
    {%- for typo, value in typos.items() %}
    when lower(btrim({{ column }})) = '{{ typo }}' then '{{ value }}'
    {%- endfor %}
    when lower(btrim({{ column }})) in ({% for value in accepted %}'{{ value }}'{% if not loop.last %}, {% endif %}{% endfor %}) then lower(btrim({{ column }}))
    else '{{ fallback }}'
end
{%- endmacro %}
