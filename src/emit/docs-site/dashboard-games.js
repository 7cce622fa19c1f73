/* Dashboard: game popularity (top N), events and session length, game types, ranking table. */
(function (sections) {
  'use strict';
  sections.push(function games(k) {
    var el = k.el,
      fmt = k.fmt,
      C = k.colors,
      card = k.card,
      rows = k.rows,
      cap = k.cap,
      sum = k.sum;
    var axis = k.axis,
      tooltipLabel = k.tooltipLabel;
    var games = rows('game_kpis');
    var gameGrid = k.section('Games');
    var topN = 10;
    var topSelect = el(
      'select',
      { 'aria-label': 'How many games' },
      [5, 10, 20, 50].map(function (n) {
        var o = el('option', { value: String(n), text: 'Top ' + n });
        if (n === topN) o.selected = true;
        return o;
      }),
    );
    function gameLabel(g) {
      return '#' + g.popularity_rank + ' ' + g.game_name;
    }
    function topGames() {
      return games.slice(0, topN);
    }

    var popularity = card(gameGrid, {
      id: 'game-popularity',
      tables: 'game_kpis',
      tall: true,
      title: 'Most popular games',
      explain: 'Games ranked by distinct active users (users with an event on the game in the last 6 months), with their events.',
      controls: el('div', { class: 'controls' }, 'Show ', topSelect),
      chart: function () {
        var top = topGames();
        return {
          type: 'bar',
          data: {
            labels: top.map(gameLabel),
            datasets: [
              {
                label: 'Active users',
                data: top.map(function (g) {
                  return g.active_users;
                }),
                backgroundColor: C.users,
                xAxisID: 'x',
              },
              {
                label: 'Events',
                data: top.map(function (g) {
                  return g.events;
                }),
                backgroundColor: '#90caf9',
                xAxisID: 'x1',
              },
            ],
          },
          options: {
            indexAxis: 'y',
            scales: {
              x: axis('active users', fmt.compact, { position: 'bottom' }),
              x1: axis('events', fmt.compact, { position: 'top', grid: { drawOnChartArea: false } }),
              y: { grid: { display: false }, ticks: { autoSkip: false } },
            },
            plugins: {
              tooltip: tooltipLabel(function (v) {
                return fmt.number(v);
              }),
            },
          },
        };
      },
    });
    topSelect.addEventListener('change', function () {
      topN = Number(topSelect.value);
      var chart = popularity.instance;
      var top = topGames();
      chart.data.labels = top.map(gameLabel);
      chart.data.datasets[0].data = top.map(function (g) {
        return g.active_users;
      });
      chart.data.datasets[1].data = top.map(function (g) {
        return g.events;
      });
      chart.canvas.parentNode.style.height = Math.max(290, top.length * 22 + 80) + 'px';
      chart.update();
      renderGameTable();
    });

    card(gameGrid, {
      id: 'game-sessions',
      tables: 'game_kpis',
      tall: true,
      title: 'Events and session length per game',
      explain: 'Each bubble is a game: total valid events across, average session length up; bigger bubbles have more active users.',
      chart: function () {
        var maxUsers = Math.max.apply(
          null,
          games
            .map(function (g) {
              return g.active_users || 0;
            })
            .concat([1]),
        );
        var types = [];
        games.forEach(function (g) {
          if (types.indexOf(g.game_type) < 0) types.push(g.game_type);
        });
        var palette = ['#1e88e5', '#8e24aa', '#43a047', '#fb8c00', '#e53935', '#00acc1', '#6d4c41', '#757575'];
        return {
          type: 'bubble',
          data: {
            datasets: types.map(function (type, i) {
              var list = games.filter(function (g) {
                return g.game_type === type;
              });
              return {
                label: cap(type),
                data: list.map(function (g) {
                  return { x: g.events, y: g.avg_session_seconds, r: 3 + 14 * Math.sqrt((g.active_users || 0) / maxUsers), game: g };
                }),
                backgroundColor: palette[i % palette.length] + 'aa',
                borderColor: palette[i % palette.length],
              };
            }),
          },
          options: {
            scales: { x: axis('events', fmt.compact), y: axis('avg session', fmt.duration, { beginAtZero: false }) },
            plugins: {
              tooltip: {
                callbacks: {
                  label: function (ctx) {
                    var g = ctx.raw.game;
                    return (
                      ' ' +
                      gameLabel(g) +
                      ' (' +
                      g.game_type +
                      '): ' +
                      fmt.number(g.events) +
                      ' events, ' +
                      fmt.duration(g.avg_session_seconds) +
                      ' per session, ' +
                      fmt.number(g.active_users) +
                      ' active users'
                    );
                  },
                },
              },
            },
          },
        };
      },
    });

    card(gameGrid, {
      id: 'game-types',
      tables: 'game_kpis',
      title: 'Events by game type',
      explain: 'Valid events and sessions summed over the games of each type (the number of games in brackets).',
      chart: function () {
        var byType = {};
        games.forEach(function (g) {
          var t = byType[g.game_type] || (byType[g.game_type] = { type: g.game_type, events: 0, sessions: 0, games: 0 });
          t.events += g.events || 0;
          t.sessions += g.sessions || 0;
          t.games += 1;
        });
        var list = Object.keys(byType)
          .map(function (k) {
            return byType[k];
          })
          .sort(function (a, b) {
            return b.events - a.events;
          });
        return {
          type: 'bar',
          data: {
            labels: list.map(function (t) {
              return cap(t.type) + ' (' + t.games + ')';
            }),
            datasets: [
              {
                label: 'Events',
                data: list.map(function (t) {
                  return t.events;
                }),
                backgroundColor: C.events,
              },
              {
                label: 'Sessions',
                data: list.map(function (t) {
                  return t.sessions;
                }),
                backgroundColor: C.sessions,
              },
            ],
          },
          options: {
            scales: { x: { grid: { display: false } }, y: axis('', fmt.compact) },
            plugins: {
              tooltip: tooltipLabel(function (v) {
                return fmt.number(v);
              }),
            },
          },
        };
      },
    });

    var gameTableBody = el('tbody');
    function renderGameTable() {
      gameTableBody.replaceChildren.apply(
        gameTableBody,
        topGames().map(function (g) {
          return el(
            'tr',
            null,
            el('td', { class: 'num', text: fmt.number(g.popularity_rank) }),
            el('td', { text: g.game_name }),
            el('td', { text: cap(g.game_type) }),
            el('td', { text: g.platform }),
            el('td', { text: g.difficulty }),
            el('td', { class: 'num', text: fmt.number(g.active_users) }),
            el('td', { class: 'num', text: fmt.number(g.events) }),
            el('td', { class: 'num', text: fmt.number(g.sessions) }),
            el('td', { class: 'num', text: fmt.duration(g.avg_session_seconds) }),
          );
        }),
      );
    }
    card(gameGrid, {
      id: 'game-table',
      tables: 'game_kpis',
      wide: true,
      title: 'Game ranking',
      explain: 'The top games by popularity rank (ties share a rank), with their events, sessions and average session length.',
      table: function () {
        renderGameTable();
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
                ['Rank', 'Game', 'Type', 'Platform', 'Difficulty', 'Active users', 'Events', 'Sessions', 'Avg session'].map(function (h, i) {
                  return el('th', { class: i === 0 || i > 4 ? 'num' : null, text: h });
                }),
              ),
            ),
            gameTableBody,
          ),
        );
      },
    });
  });
})(window.TspipeDashboard.sections);
