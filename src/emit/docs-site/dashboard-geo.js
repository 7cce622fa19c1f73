/* Dashboard: active users and behaviour per location. */
(function (sections) {
  'use strict';
  sections.push(function geography(k) {
    var el = k.el,
      fmt = k.fmt,
      C = k.colors,
      card = k.card,
      rows = k.rows,
      cap = k.cap,
      sum = k.sum;
    var axis = k.axis,
      tooltipLabel = k.tooltipLabel;
    var locations = rows('location_kpis');
    var geoGrid = k.section('Geography');
    function placeLabel(l) {
      return cap(l.location);
    }

    card(geoGrid, {
      id: 'location-users',
      tables: 'location_kpis',
      title: 'Users and active users per location',
      explain: 'Registered users of each city (unknown: no location given) and how many of them are active.',
      chart: function () {
        return {
          type: 'bar',
          data: {
            labels: locations.map(placeLabel),
            datasets: [
              {
                label: 'Users',
                data: locations.map(function (l) {
                  return l.users;
                }),
                backgroundColor: C.all,
              },
              {
                label: 'Active users',
                data: locations.map(function (l) {
                  return l.active_users;
                }),
                backgroundColor: C.active,
              },
            ],
          },
          options: {
            scales: { x: { grid: { display: false } }, y: axis('users', fmt.compact) },
            plugins: {
              tooltip: {
                callbacks: {
                  label: function (ctx) {
                    var l = locations[ctx.dataIndex];
                    return ctx.datasetIndex === 0
                      ? ' Users: ' + fmt.number(l.users)
                      : ' Active users: ' + fmt.number(l.active_users) + ' (' + fmt.percent(l.users ? l.active_users / l.users : null) + ')';
                  },
                },
              },
            },
          },
        };
      },
    });

    card(geoGrid, {
      id: 'location-behaviour',
      tables: 'location_kpis',
      title: 'Behaviour per location',
      explain: 'Valid events per user (bars) and average session length (line) of the users of each location.',
      chart: function () {
        return {
          type: 'bar',
          data: {
            labels: locations.map(placeLabel),
            datasets: [
              {
                label: 'Events per user',
                data: locations.map(function (l) {
                  return l.events_per_user;
                }),
                backgroundColor: C.events,
                yAxisID: 'y',
              },
              {
                type: 'line',
                label: 'Avg session',
                data: locations.map(function (l) {
                  return l.avg_session_seconds;
                }),
                borderColor: C.sessions,
                backgroundColor: C.sessions,
                yAxisID: 'y1',
                pointRadius: 4,
              },
            ],
          },
          options: {
            scales: {
              x: { grid: { display: false } },
              y: axis('events per user', function (v) {
                return fmt.number(v, 1);
              }),
              y1: axis('avg session', fmt.duration, { position: 'right', grid: { drawOnChartArea: false } }),
            },
            plugins: {
              tooltip: {
                callbacks: {
                  label: function (ctx) {
                    var l = locations[ctx.dataIndex];
                    return ctx.datasetIndex === 0
                      ? ' Events per user: ' + fmt.number(l.events_per_user, 1)
                      : ' Avg session: ' + fmt.duration(l.avg_session_seconds);
                  },
                  afterBody: function (items) {
                    return 'Favourite game type: ' + (locations[items[0].dataIndex].favourite_game_type || '–');
                  },
                },
              },
            },
          },
        };
      },
    });

    card(geoGrid, {
      id: 'location-subscriptions',
      tables: 'location_kpis',
      title: 'Subscription mix per location',
      explain: 'Share of the users of each location on the free, premium and trial plans.',
      chart: function () {
        var plans = [
          ['free', 'free_share'],
          ['premium', 'premium_share'],
          ['trial', 'trial_share'],
        ];
        return {
          type: 'bar',
          data: {
            labels: locations.map(placeLabel),
            datasets: plans.map(function (p) {
              return {
                label: cap(p[0]),
                data: locations.map(function (l) {
                  return l[p[1]];
                }),
                backgroundColor: C[p[0]],
              };
            }),
          },
          options: {
            indexAxis: 'y',
            scales: {
              x: axis(
                '',
                function (v) {
                  return fmt.percent(v, 0);
                },
                { stacked: true, max: 1 },
              ),
              y: { stacked: true, grid: { display: false } },
            },
            plugins: {
              tooltip: tooltipLabel(function (v) {
                return fmt.percent(v);
              }),
            },
          },
        };
      },
    });

    card(geoGrid, {
      id: 'location-table',
      tables: 'location_kpis',
      wide: true,
      title: 'Locations at a glance',
      explain: 'Users, activity, events per user, session length and favourite game type of each location.',
      table: function () {
        return el(
          'div',
          { class: 'table-wrap' },
          el(
            'table',
            { class: 'data' },
            el(
              'thead',
              null,
              el(
                'tr',
                null,
                ['Location', 'Users', 'Active', 'Events / user', 'Avg session', 'Favourite type'].map(function (h, i) {
                  return el('th', { class: i > 0 && i < 5 ? 'num' : null, text: h });
                }),
              ),
            ),
            el(
              'tbody',
              null,
              locations.map(function (l) {
                return el(
                  'tr',
                  null,
                  el('td', { text: placeLabel(l) }),
                  el('td', { class: 'num', text: fmt.number(l.users) }),
                  el('td', { class: 'num', text: fmt.number(l.active_users) + ' (' + fmt.percent(l.users ? l.active_users / l.users : null, 0) + ')' }),
                  el('td', { class: 'num', text: fmt.number(l.events_per_user, 1) }),
                  el('td', { class: 'num', text: fmt.duration(l.avg_session_seconds) }),
                  el('td', { text: l.favourite_game_type ? cap(l.favourite_game_type) : '–' }),
                );
              }),
            ),
          ),
        );
      },
    });
  });
})(window.TspipeDashboard.sections);
