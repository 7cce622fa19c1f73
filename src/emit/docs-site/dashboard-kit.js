/*
 * What every dashboard section uses: the tables, colours, Chart.js defaults and
 * the card (title, one-line explanation, chart or placeholder, source and
 * as_of_date). Sections register in TspipeDashboard.sections; dashboard.js runs them.
 */
(function (root) {
  'use strict';
  var el = root.TspipeDom.el;
  var fmt = root.TspipeFormat;

  var COLORS = {
    active: '#2e7d32',
    churned: '#ef6c00',
    inactive: '#9e9e9e',
    events: '#1e88e5',
    users: '#8e24aa',
    anomaly: '#d32f2f',
    up: '#43a047',
    down: '#e53935',
    all: '#90a4ae',
    sessions: '#00897b',
    free: '#90a4ae',
    premium: '#8e24aa',
    trial: '#ffb300',
  };

  function kit(dash, content) {
    var asOf = dash.asOfDate ? fmt.date(dash.asOfDate) : null;
    var charts = [];

    function rows(name) {
      var t = dash.tables[name];
      return t && t.status === 'ok' ? t.rows : null;
    }
    function relation(name) {
      var t = dash.tables[name];
      return (t?.relation ? t.relation : name).replace(/"/g, '');
    }

    /** A titled section of cards; `before` goes between the title and the grid (e.g. tiles). */
    function section(title, before) {
      content.appendChild(el('h2', { class: 'section-title', text: title }));
      if (before) content.appendChild(before);
      var grid = el('div', { class: 'grid' + (before ? ' after-tiles' : '') });
      content.appendChild(grid);
      return grid;
    }

    /**
     * spec: id, title, explain, tables (names), and chart() returning a Chart.js
     * config, or table() returning an element; wide/tall for the layout.
     */
    function card(grid, spec) {
      var needed = [].concat(spec.tables);
      var missing = needed.filter(function (name) {
        return !rows(name);
      });
      var empty =
        !missing.length &&
        needed.some(function (name) {
          return rows(name).length === 0;
        });
      var node = el(
        'article',
        { class: 'card' + (spec.wide ? ' wide' : '') + (spec.tall ? ' tall' : ''), 'data-card': spec.id },
        el('h3', { text: spec.title }),
        el('p', { class: 'explain', text: spec.explain }),
      );
      grid.appendChild(node);
      if (missing.length || empty) {
        node.appendChild(
          el('div', {
            class: 'placeholder',
            text: missing.length
              ? 'Needs ' + missing.map(relation).join(', ') + ': run tspipe build, then tspipe docs generate.'
              : 'No rows in ' + needed.map(relation).join(', ') + ' yet.',
          }),
        );
      } else if (spec.table) {
        node.appendChild(spec.table());
      } else {
        var canvas = el('canvas', { 'data-chart': spec.id, role: 'img', 'aria-label': spec.title + '. ' + spec.explain });
        if (spec.controls) node.appendChild(spec.controls);
        node.appendChild(el('div', { class: 'chart-box' }, canvas));
        // attached first: Chart.js sizes the canvas from its container
        spec.instance = new root.Chart(canvas, spec.chart());
        charts.push(spec.instance);
      }
      node.appendChild(
        el('footer', null, el('span', { text: 'Source: ' + needed.map(relation).join(', ') }), el('span', { text: asOf ? 'As of ' + asOf : '' })),
      );
      return spec;
    }

    return {
      el: el,
      fmt: fmt,
      colors: COLORS,
      asOf: asOf,
      charts: charts,
      content: content,
      rows: rows,
      relation: relation,
      section: section,
      card: card,
      sum: function (list, key) {
        return list.reduce(function (s, r) {
          return s + (Number(r[key]) || 0);
        }, 0);
      },
      cap: function (text) {
        var s = String(text);
        return s.charAt(0).toUpperCase() + s.slice(1);
      },
      /** Tooltip line `label: value` for either bar orientation. */
      tooltipLabel: function (format) {
        return {
          callbacks: {
            label: function (ctx) {
              var value = ctx.chart.options.indexAxis === 'y' ? ctx.parsed.x : ctx.parsed.y;
              return ' ' + ctx.dataset.label + ': ' + format(value, ctx);
            },
          },
        };
      },
      /** A value axis from zero with formatted ticks. */
      axis: function (title, format, extra) {
        var a = {
          beginAtZero: true,
          title: { display: Boolean(title), text: title },
          ticks: {
            callback: function (v) {
              return format(v);
            },
          },
          grid: { color: '#eef0f4' },
        };
        return Object.assign(a, extra || {});
      },
    };
  }

  /**
   * Widens the last card of each row that ends short of the grid's right edge (a card
   * before a wide one that wrapped, the last card of a section), so no row leaves a
   * column empty. Run again when the width, and so the column count, changes.
   */
  function fillRows(grid) {
    var cards = [].slice.call(grid.children);
    cards.forEach(function (card) {
      card.style.gridColumn = '';
    });
    var style = getComputedStyle(grid);
    var columns = style.gridTemplateColumns.split(' ').length;
    if (columns < 2) return;
    var box = grid.getBoundingClientRect();
    var track = (box.width + parseFloat(style.columnGap || '0')) / columns;
    cards.forEach(function (card, i) {
      var next = cards[i + 1];
      var r = card.getBoundingClientRect();
      var endsRow = !next || next.getBoundingClientRect().top > r.top + 1;
      if (endsRow && box.right - r.right > track / 2) {
        card.style.gridColumn = Math.round((r.left - box.left) / track) + 1 + ' / -1';
      }
    });
  }

  root.TspipeDashboard = { sections: [], kit: kit, fillRows: fillRows };
})(window);
