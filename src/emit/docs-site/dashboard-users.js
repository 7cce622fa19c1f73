/* Dashboard: user status tiles and chart, events per user. */
(function (sections) {
  'use strict';
  sections.push(function users(k) {
    var el = k.el,
      fmt = k.fmt,
      C = k.colors,
      card = k.card,
      rows = k.rows,
      cap = k.cap,
      sum = k.sum;
    var axis = k.axis,
      tooltipLabel = k.tooltipLabel;
    var status = rows('user_status_summary');
    var buckets = rows('user_kpis');
    var monthly = rows('monthly_kpis');

    function tile(label, value, sub, color, attrs) {
      return el(
        'div',
        Object.assign({ class: 'tile', style: 'border-top-color:' + (color || 'var(--line)') }, attrs || {}),
        el('div', { class: 'label', text: label }),
        el('div', { class: 'value', text: value }),
        sub ? el('div', { class: 'sub', text: sub }) : null,
      );
    }

    var tiles = el('div', { class: 'tiles', id: 'status-tiles' });
    var usersGrid = k.section('Users', tiles);
    if (status) {
      var totalUsers = sum(status, 'users');
      tiles.appendChild(tile('Users', fmt.number(totalUsers), 'registered, after cleaning', '#1f2a44', { 'data-kpi': 'users' }));
      status.forEach(function (r) {
        tiles.appendChild(
          tile(cap(r.status), fmt.number(r.users), fmt.percent(r.share_of_users) + ' of users', C[r.status], {
            'data-status': r.status,
            'data-value': String(r.users),
          }),
        );
      });
    }
    if (monthly?.length) {
      var events = sum(monthly, 'events');
      var sessions = sum(monthly, 'sessions');
      var weighted = monthly.reduce(function (s, r) {
        return s + (Number(r.avg_session_seconds) || 0) * (Number(r.sessions) || 0);
      }, 0);
      tiles.appendChild(tile('Valid events', fmt.number(events), fmt.month(monthly[0].month) + ' – ' + fmt.month(monthly[monthly.length - 1].month), C.events));
      tiles.appendChild(tile('Avg session', fmt.duration(sessions ? weighted / sessions : null), fmt.number(sessions) + ' sessions', C.sessions));
    }
    if (buckets?.length) {
      var bucketUsers = sum(buckets, 'users');
      tiles.appendChild(tile('Events per user', fmt.number(bucketUsers ? sum(buckets, 'events') / bucketUsers : null, 1), 'average over all users', C.users));
    }

    card(usersGrid, {
      id: 'user-status',
      tables: 'user_status_summary',
      title: 'User status',
      explain: 'Active: a valid event in the 6 months up to as_of_date; churned: events, none in that window; inactive: never a valid event.',
      chart: function () {
        return {
          type: 'doughnut',
          data: {
            labels: status.map(function (r) {
              return cap(r.status);
            }),
            datasets: [
              {
                label: 'Users',
                data: status.map(function (r) {
                  return r.users;
                }),
                backgroundColor: status.map(function (r) {
                  return C[r.status] || '#607d8b';
                }),
                borderWidth: 2,
              },
            ],
          },
          options: {
            cutout: '55%',
            plugins: {
              legend: {
                position: 'right',
                labels: {
                  generateLabels: function (chart) {
                    return Chart.overrides.doughnut.plugins.legend.labels.generateLabels(chart).map(function (item, i) {
                      item.text = item.text + ': ' + fmt.number(status[i].users) + ' (' + fmt.percent(status[i].share_of_users) + ')';
                      return item;
                    });
                  },
                },
              },
              tooltip: {
                callbacks: {
                  label: function (ctx) {
                    var r = status[ctx.dataIndex];
                    return ' ' + fmt.number(r.users) + ' users (' + fmt.percent(r.share_of_users) + ')';
                  },
                },
              },
            },
          },
        };
      },
    });

    card(usersGrid, {
      id: 'events-per-user',
      tables: 'user_kpis',
      wide: true,
      title: 'How many events users have',
      explain: 'Users by their number of valid events, ever; active users are the subset with an event in the last 6 months.',
      chart: function () {
        return {
          type: 'bar',
          data: {
            labels: buckets.map(function (b) {
              return b.bucket;
            }),
            datasets: [
              {
                label: 'All users',
                data: buckets.map(function (b) {
                  return b.users;
                }),
                backgroundColor: C.all,
              },
              {
                label: 'Active users',
                data: buckets.map(function (b) {
                  return b.active_users;
                }),
                backgroundColor: C.active,
              },
            ],
          },
          options: {
            scales: { x: { title: { display: true, text: 'valid events per user' }, grid: { display: false } }, y: axis('users', fmt.compact) },
            plugins: {
              tooltip: tooltipLabel(function (v) {
                return fmt.number(v) + ' users';
              }),
            },
          },
        };
      },
    });
  });
})(window.TspipeDashboard.sections);
