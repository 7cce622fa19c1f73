{#-
  True when `value` is an outlier against the window `trailing_window` (the months
  before it): more than `anomaly_zscore` standard deviations and 25% away from their
  mean, with at least `anomaly_min_trailing_months` of them (ramp-up months never fire).
-#}
{% macro is_trailing_outlier(value) -%}
coalesce(
    count({{ value }}) over trailing_window >= {{ var('anomaly_min_trailing_months', 6) }}
    and abs({{ value }} - avg({{ value }}) over trailing_window)
        > {{ var('anomaly_zscore', 3) }} * stddev_samp({{ value }}) over trailing_window
    and abs({{ value }} - avg({{ value }}) over trailing_window) > 0.25 * avg({{ value }}) over trailing_window,
    false
)
{%- endmacro %}
