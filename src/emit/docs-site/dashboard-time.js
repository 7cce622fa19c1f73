/* Dashboard: monthly trend with anomalies, month-over-month change, seasonality, engagement, registrations. */
(function (sections) {
  'use strict';
  sections.push(function time(k) {
    var el = k.el,
      fmt = k.fmt,
      C = k.colors,
      card = k.card,
      rows = k.rows,
      cap = k.cap,
      sum = k.sum;
    var axis = k.axis,
      tooltipLabel = k.tooltipLabel;
    var monthly = rows('monthly_kpis');
    var timeGrid = k.section('Activity over time');
    function monthLabels() {
      return monthly.map(function (r) {
        return fmt.month(r.month) + (r.is_partial_month ? ' (partial)' : '');
      });
    }
    /*
     * The month axis: ticks may tilt, so a chart of 30 months labels most of them instead
     * of two or three; " (partial)" stays in the tooltip, the dashed line shows it.
     */
    var monthAxis = {
      grid: { display: false },
      ticks: {
        autoSkip: true,
        autoSkipPadding: 6,
        maxRotation: 50,
        minRotation: 0,
        callback: function (value) {
          return String(this.getLabelForValue(value)).replace(' (partial)', '');
        },
      },
    };
    var partialDash = {
      borderDash: function (ctx) {
        return monthly[ctx.p1DataIndex] && monthly[ctx.p1DataIndex].is_partial_month ? [5, 4] : undefined;
      },
    };

    card(timeGrid, {
      id: 'monthly-trend',
      tables: 'monthly_kpis',
      wide: true,
      tall: true,
      title: 'Monthly active users and events',
      explain:
        'Valid events and distinct active users per calendar month; red triangles mark anomalies (months far from their trailing months), a dashed end a partial month.',
      chart: function () {
        return {
          type: 'line',
          data: {
            labels: monthLabels(),
            datasets: [
              {
                label: 'Events',
                data: monthly.map(function (r) {
                  return r.events;
                }),
                borderColor: C.events,
                backgroundColor: C.events,
                yAxisID: 'y',
                tension: 0.25,
                pointRadius: 2,
                segment: partialDash,
              },
              {
                label: 'Active users',
                data: monthly.map(function (r) {
                  return r.active_users;
                }),
                borderColor: C.users,
                backgroundColor: C.users,
                yAxisID: 'y1',
                tension: 0.25,
                pointRadius: 2,
                segment: partialDash,
              },
              {
                label: 'Anomaly',
                data: monthly.map(function (r) {
                  return r.is_anomaly ? r.events : null;
                }),
                yAxisID: 'y',
                showLine: false,
                pointStyle: 'triangle',
                pointRadius: 9,
                pointHoverRadius: 11,
                borderColor: C.anomaly,
                backgroundColor: C.anomaly,
              },
            ],
          },
          options: {
            interaction: { mode: 'index', intersect: false },
            scales: {
              x: monthAxis,
              y: axis('events', fmt.compact),
              y1: axis('active users', fmt.compact, { position: 'right', grid: { drawOnChartArea: false } }),
            },
            plugins: {
              tooltip: {
                callbacks: {
                  label: function (ctx) {
                    if (ctx.dataset.label === 'Anomaly')
                      return (
                        ' Anomaly: z-score ' +
                        fmt.number(monthly[ctx.dataIndex].events_zscore, 2) +
                        ' vs trailing mean ' +
                        fmt.number(monthly[ctx.dataIndex].trailing_avg_events)
                      );
                    return ' ' + ctx.dataset.label + ': ' + fmt.number(ctx.parsed.y);
                  },
                  footer: function (items) {
                    var r = monthly[items[0].dataIndex];
                    return 'Month over month (events): ' + fmt.signedPercent(r.events_mom_change);
                  },
                },
              },
            },
          },
        };
      },
    });

    card(timeGrid, {
      id: 'status-history',
      tables: 'daily_status',
      wide: true,
      title: 'User statuses day by day',
      explain:
        'Active, churned and inactive users as they stood at the end of each day with events (kpi.daily_status: the statuses of user_kpis with that day as the reference date).',
      chart: function () {
        var days = rows('daily_status');
        function series(label, key, color) {
          return {
            label: label,
            data: days.map(function (r) {
              return r[key];
            }),
            borderColor: color,
            backgroundColor: color,
            fill: true,
            pointRadius: 0,
            tension: 0.2,
          };
        }
        return {
          type: 'line',
          data: {
            labels: days.map(function (r) {
              return String(r.as_of_date).slice(0, 10);
            }),
            datasets: [
              series('Active', 'active_users', C.active),
              series('Churned', 'churned_users', C.churned),
              series('Inactive', 'inactive_users', C.inactive),
            ],
          },
          options: {
            interaction: { mode: 'index', intersect: false },
            scales: { x: { grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0 } }, y: axis('users', fmt.compact, { stacked: true }) },
            plugins: {
              tooltip: tooltipLabel(function (v) {
                return fmt.number(v);
              }),
            },
          },
        };
      },
    });

    card(timeGrid, {
      id: 'mom-change',
      tables: 'monthly_kpis',
      title: 'Month-over-month change in events',
      explain: 'Events against the previous month with events (+10% = 10% more); red triangles mark anomalous months.',
      chart: function () {
        var change = monthly.map(function (r) {
          return r.events_mom_change;
        });
        return {
          type: 'bar',
          data: {
            labels: monthLabels(),
            datasets: [
              {
                type: 'line',
                label: 'Anomaly',
                data: monthly.map(function (r, i) {
                  return r.is_anomaly ? change[i] : null;
                }),
                showLine: false,
                pointStyle: 'triangle',
                pointRadius: 8,
                borderColor: C.anomaly,
                backgroundColor: C.anomaly,
              },
              {
                label: 'Change in events',
                data: change,
                backgroundColor: change.map(function (v) {
                  return v === null ? C.all : v >= 0 ? C.up : C.down;
                }),
              },
            ],
          },
          options: {
            scales: {
              x: monthAxis,
              y: axis(
                '',
                function (v) {
                  return fmt.signedPercent(v, 0);
                },
                { beginAtZero: false },
              ),
            },
            plugins: {
              // the bars' colour says up or down; only the anomaly marker needs a legend
              legend: {
                labels: {
                  filter: function (item) {
                    return (
                      item.text === 'Anomaly' &&
                      monthly.some(function (r) {
                        return r.is_anomaly;
                      })
                    );
                  },
                },
              },
              tooltip: tooltipLabel(function (v, ctx) {
                return fmt.signedPercent(v) + (monthly[ctx.dataIndex].is_anomaly ? ' (anomaly)' : '');
              }),
            },
          },
        };
      },
    });

    card(timeGrid, {
      id: 'seasonality',
      tables: 'seasonality',
      title: 'Seasonality by month of year',
      explain: 'Average events of each calendar month over complete months, against a typical month (1.0 = typical, 1.3 = 30% busier).',
      chart: function () {
        var season = rows('seasonality');
        return {
          type: 'bar',
          data: {
            labels: season.map(function (r) {
              return fmt.monthOfYear(r.month_of_year);
            }),
            datasets: [
              {
                type: 'line',
                label: 'Typical month (1.0)',
                data: season.map(function () {
                  return 1;
                }),
                borderColor: '#37474f',
                borderDash: [6, 4],
                borderWidth: 1.5,
                pointRadius: 0,
              },
              // one dataset per colour, so the legend names both blues
              {
                label: 'Busier than typical',
                data: season.map(function (r) {
                  return r.seasonality_index >= 1 ? r.seasonality_index : null;
                }),
                backgroundColor: C.events,
                grouped: false,
              },
              {
                label: 'Quieter than typical',
                data: season.map(function (r) {
                  return r.seasonality_index < 1 ? r.seasonality_index : null;
                }),
                backgroundColor: '#90caf9',
                grouped: false,
              },
            ],
          },
          options: {
            scales: {
              x: { grid: { display: false } },
              y: axis('index', function (v) {
                return fmt.number(v, 2);
              }),
            },
            plugins: {
              tooltip: {
                callbacks: {
                  label: function (ctx) {
                    var r = season[ctx.dataIndex];
                    if (ctx.datasetIndex === 0) return ' Typical month: 1.0';
                    return (
                      ' Index ' +
                      fmt.number(r.seasonality_index, 2) +
                      ' · ' +
                      fmt.number(r.avg_events) +
                      ' events on average over ' +
                      fmt.number(r.months_observed) +
                      ' month(s)'
                    );
                  },
                },
              },
            },
          },
        };
      },
    });

    card(timeGrid, {
      id: 'monthly-engagement',
      tables: 'monthly_kpis',
      title: 'Engagement per month',
      explain: 'Events per active user (bars) and the average session length (line) of sessions starting in each month.',
      chart: function () {
        return {
          type: 'bar',
          data: {
            labels: monthLabels(),
            datasets: [
              {
                label: 'Events per active user',
                data: monthly.map(function (r) {
                  return r.events_per_active_user;
                }),
                backgroundColor: '#90caf9',
                yAxisID: 'y',
              },
              {
                type: 'line',
                label: 'Avg session',
                data: monthly.map(function (r) {
                  return r.avg_session_seconds;
                }),
                borderColor: C.sessions,
                backgroundColor: C.sessions,
                yAxisID: 'y1',
                pointRadius: 2,
                tension: 0.25,
              },
            ],
          },
          options: {
            interaction: { mode: 'index', intersect: false },
            scales: {
              x: monthAxis,
              y: axis('events per active user', function (v) {
                return fmt.number(v, 1);
              }),
              y1: axis('avg session', fmt.duration, { position: 'right', grid: { drawOnChartArea: false } }),
            },
            plugins: {
              tooltip: {
                callbacks: {
                  label: function (ctx) {
                    return ' ' + ctx.dataset.label + ': ' + (ctx.datasetIndex === 1 ? fmt.duration(ctx.parsed.y) : fmt.number(ctx.parsed.y, 2));
                  },
                },
              },
            },
          },
        };
      },
    });

    card(timeGrid, {
      id: 'registrations',
      tables: 'monthly_kpis',
      title: 'New registrations per month',
      explain: 'Users who registered in each month (months with valid events).',
      chart: function () {
        return {
          type: 'bar',
          data: {
            labels: monthLabels(),
            datasets: [
              {
                label: 'New registrations',
                data: monthly.map(function (r) {
                  return r.new_registrations;
                }),
                backgroundColor: C.users,
              },
            ],
          },
          options: {
            scales: { x: monthAxis, y: axis('users', fmt.compact) },
            plugins: {
              legend: { display: false },
              tooltip: tooltipLabel(function (v) {
                return fmt.number(v);
              }),
            },
          },
        };
      },
    });
  });
})(window.TspipeDashboard.sections);
