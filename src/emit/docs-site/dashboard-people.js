/* Dashboard: users by age range, gender and subscription. */
(function (sections) {
  'use strict';
  sections.push(function people(k) {
    var el = k.el,
      fmt = k.fmt,
      C = k.colors,
      card = k.card,
      rows = k.rows,
      cap = k.cap,
      sum = k.sum;
    var axis = k.axis,
      tooltipLabel = k.tooltipLabel;
    var whoGrid = k.section('Who the users are');
    var DIMENSIONS = [
      {
        key: 'age_range',
        title: 'Users by age range',
        order: ['-18', '18-25', '26-35', '36-50', '50+', 'unknown'],
        label: function (v) {
          return v === '-18' ? 'under 18' : v === '50+' ? '50 and over' : v;
        },
      },
      {
        key: 'gender',
        title: 'Users by gender',
        order: ['f', 'm', 'other', 'unknown'],
        label: function (v) {
          return { f: 'Female', m: 'Male', other: 'Other', unknown: 'Unknown' }[v] || v;
        },
      },
      { key: 'subscription_type', title: 'Users by subscription', order: ['free', 'premium', 'trial', 'unknown'], label: cap },
    ];
    DIMENSIONS.forEach(function (dim) {
      card(whoGrid, {
        id: 'distribution-' + dim.key,
        tables: 'user_distribution',
        title: dim.title,
        explain: 'Share of all users and of active users in each group (each series adds up to 100%).',
        chart: function () {
          var list = rows('user_distribution').filter(function (r) {
            return r.dimension === dim.key;
          });
          list.sort(function (a, b) {
            var ia = dim.order.indexOf(a.value),
              ib = dim.order.indexOf(b.value);
            return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || String(a.value).localeCompare(String(b.value));
          });
          return {
            type: 'bar',
            data: {
              labels: list.map(function (r) {
                return dim.label(r.value);
              }),
              datasets: [
                {
                  label: 'All users',
                  data: list.map(function (r) {
                    return r.share_of_users;
                  }),
                  backgroundColor: C.all,
                },
                {
                  label: 'Active users',
                  data: list.map(function (r) {
                    return r.share_of_active_users;
                  }),
                  backgroundColor: C.active,
                },
              ],
            },
            options: {
              scales: {
                x: { grid: { display: false } },
                y: axis('', function (v) {
                  return fmt.percent(v, 0);
                }),
              },
              plugins: {
                tooltip: {
                  callbacks: {
                    label: function (ctx) {
                      var r = list[ctx.dataIndex];
                      return ctx.datasetIndex === 0
                        ? ' All users: ' + fmt.percent(r.share_of_users) + ' (' + fmt.number(r.users) + ')'
                        : ' Active users: ' + fmt.percent(r.share_of_active_users) + ' (' + fmt.number(r.active_users) + ')';
                    },
                  },
                },
              },
            },
          };
        },
      });
    });
  });
})(window.TspipeDashboard.sections);
