/*
 * The lineage page: the whole graph laid out left to right (cytoscape + dagre),
 * a search box, and the details of the selected node. Data: window.TSPIPE_DATA.
 */
(function () {
  'use strict';
  var data = window.TSPIPE_DATA;
  var fmt = window.TspipeFormat;
  var lineage = data.lineage;
  var byId = {};
  lineage.nodes.forEach(function (n) {
    byId[n.id] = n;
  });

  var LAYER_COLORS = { seed: '#8d6e63', source: '#00897b', raw: '#78909c', clean: '#1e88e5', kpi: '#8e24aa', test: '#9aa0a6' };
  var FALLBACK = ['#3949ab', '#43a047', '#f4511e', '#c0ca33', '#00acc1', '#d81b60', '#6d4c41'];
  var LAYER_NAMES = { seed: 'Seeds (CSV)', source: 'Sources', raw: 'Raw', clean: 'Clean', kpi: 'KPI', test: 'Tests' };
  function layerName(layer) {
    return LAYER_NAMES[layer] || layer.charAt(0).toUpperCase() + layer.slice(1);
  }
  var colorOf = {};
  var spare = 0;
  lineage.layers.forEach(function (layer) {
    colorOf[layer] = LAYER_COLORS[layer] || FALLBACK[spare++ % FALLBACK.length];
  });

  var el = window.TspipeDom.el;
  var append = window.TspipeDom.append;

  function statusClass(status) {
    if (status === 'success' || status === 'pass') return 'ok';
    if (status === 'error' || status === 'fail') return 'bad';
    if (status === 'skipped' || status === 'warn') return 'warn';
    return '';
  }

  // ---- header -------------------------------------------------------------------
  document.getElementById('project-name').textContent = data.project;
  document.getElementById('meta').textContent =
    'target ' + data.target + ' · generated ' + fmt.dateTime(data.generatedAt) + ' · ' + lineage.nodes.length + ' nodes';
  document.title = data.project + ' · lineage · tspipe';

  var legend = document.getElementById('legend');
  lineage.layers.forEach(function (layer) {
    var count = lineage.nodes.filter(function (n) {
      return n.layer === layer;
    }).length;
    legend.appendChild(el('span', null, el('i', { style: 'background:' + colorOf[layer] }), layerName(layer) + ' (' + count + ')'));
  });

  // ---- graph --------------------------------------------------------------------
  var testCount = lineage.nodes.filter(function (n) {
    return n.resourceType === 'test';
  }).length;
  var showTests = document.getElementById('show-tests');
  if (!testCount) document.getElementById('tests-toggle').hidden = true;
  // Many tests crowd the graph; they stay listed on each node either way.
  showTests.checked = testCount > 0 && testCount <= 40;

  // Labels wrap after `_` and `.` so long model names make tall rather than wide
  // nodes: ranks stay narrow and the whole graph stays readable when fitted.
  var CHAR_W = 7;
  var MAX_CHARS = 16;
  var TEST_CHARS = 22;
  function graphLabel(n) {
    if (n.resourceType !== 'test') return n.label;
    var m = /^([^(]+)(?:\(.*\))?( on \S+)?$/.exec(n.label);
    return m ? m[1] + (m[2] || '') : n.label;
  }
  function wrap(label, max) {
    var lines = [''];
    label
      .replace(/([_.])/g, '$1\u200b')
      .split(/\u200b| /)
      .forEach(function (part) {
        var last = lines.length - 1;
        if (lines[last] && (lines[last] + part).length > max) lines.push(part);
        else lines[last] += (lines[last] && !/[_.]$/.test(lines[last]) ? ' ' : '') + part;
      });
    return lines;
  }
  var elements = lineage.nodes
    .map(function (n) {
      var test = n.resourceType === 'test';
      var lines = wrap(graphLabel(n), test ? TEST_CHARS : MAX_CHARS);
      var longest = Math.max.apply(
        null,
        lines.map(function (l) {
          return l.length;
        }),
      );
      // tests: smaller type, they are the leaves of the graph
      var w = Math.max(48, longest * (test ? 6 : CHAR_W) + 18);
      var h = lines.length * (test ? 12 : 15) + (test ? 8 : 12);
      return {
        group: 'nodes',
        classes: [n.resourceType, 'status-' + (n.lastRun ? n.lastRun.status : 'none')].join(' '),
        data: { id: n.id, label: lines.join('\n'), color: colorOf[n.layer], w: w, h: h },
      };
    })
    .concat(
      lineage.edges.map(function (e, i) {
        return { group: 'edges', data: { id: 'e' + i, source: e.source, target: e.target } };
      }),
    );

  var cy = cytoscape({
    container: document.getElementById('graph'),
    elements: elements,
    minZoom: 0.05,
    maxZoom: 3,
    style: [
      {
        selector: 'node',
        style: {
          shape: 'round-rectangle',
          width: 'data(w)',
          height: 'data(h)',
          'background-color': 'data(color)',
          label: 'data(label)',
          color: '#fff',
          'font-size': 12,
          'text-valign': 'center',
          'text-halign': 'center',
          'text-wrap': 'wrap',
          'border-width': 0,
          'font-family': 'system-ui, sans-serif',
        },
      },
      { selector: 'node.test', style: { color: '#1f2430', 'font-size': 10, 'background-opacity': 0.35 } },
      { selector: 'node.source, node.seed', style: { shape: 'barrel' } },
      { selector: 'node.status-error, node.status-fail', style: { 'border-width': 3, 'border-color': '#c62828' } },
      { selector: 'node.status-skipped, node.status-warn', style: { 'border-width': 3, 'border-color': '#f9a825' } },
      {
        selector: 'edge',
        style: {
          width: 1.4,
          'line-color': '#b6bdc8',
          'target-arrow-color': '#b6bdc8',
          'target-arrow-shape': 'triangle',
          'curve-style': 'bezier',
          'arrow-scale': 0.8,
        },
      },
      { selector: '.hidden', style: { display: 'none' } },
      { selector: '.faded', style: { opacity: 0.18 } },
      { selector: 'node.match', style: { 'border-width': 3, 'border-color': '#ffb300' } },
      { selector: 'edge.near', style: { 'line-color': '#3559c7', 'target-arrow-color': '#3559c7', width: 2.2 } },
      { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#1f2a44' } },
    ],
  });

  function visible() {
    var hidden = cy.nodes('.hidden');
    return cy.elements().not(hidden).not(hidden.connectedEdges());
  }
  function layout() {
    cy.nodes('.test').toggleClass('hidden', !showTests.checked);
    visible().layout({ name: 'dagre', rankDir: 'LR', nodeSep: 10, rankSep: 45, edgeSep: 6, fit: true, padding: 24, animate: false }).run();
    // a small project fitted to a big window would get huge nodes
    if (cy.zoom() > 1.1) {
      cy.zoom(1.1);
      cy.center(visible());
    }
  }
  layout();
  showTests.addEventListener('change', layout);
  document.getElementById('fit').addEventListener('click', function () {
    cy.fit(visible(), 24);
  });
  cy.on('tap', 'node', function (event) {
    select(event.target.id(), false);
  });
  cy.on('tap', function (event) {
    if (event.target === cy) clearFocus();
  });
  window.TSPIPE_CY = cy; // for the browser test and for poking around in the console

  function clearFocus() {
    cy.elements().removeClass('faded near');
  }

  function focus(id) {
    var node = cy.getElementById(id);
    var near = node.closedNeighborhood();
    cy.batch(function () {
      cy.elements().removeClass('near').addClass('faded');
      near.removeClass('faded');
      node.connectedEdges().addClass('near');
    });
    cy.$(':selected').unselect();
    node.select();
    // zoom in to a readable size if the fitted graph is small (narrow windows, big projects)
    if (node.visible()) cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 0.8), duration: 200 });
  }

  // ---- search -------------------------------------------------------------------
  var search = document.getElementById('search');
  var results = document.getElementById('search-results');
  function matches(query) {
    var q = query.trim().toLowerCase();
    if (!q) return [];
    return lineage.nodes
      .filter(function (n) {
        return n.name.toLowerCase().indexOf(q) >= 0 || n.label.toLowerCase().indexOf(q) >= 0;
      })
      .sort(function (a, b) {
        // models, seeds and sources before tests (whose names repeat the model's)
        return (
          (a.resourceType === 'test') - (b.resourceType === 'test') ||
          a.name.toLowerCase().indexOf(q) - b.name.toLowerCase().indexOf(q) ||
          a.name.localeCompare(b.name)
        );
      });
  }
  search.addEventListener('input', function () {
    var found = matches(search.value);
    cy.nodes().removeClass('match');
    results.replaceChildren();
    if (!search.value.trim()) {
      clearFocus();
      return;
    }
    cy.batch(function () {
      cy.elements().addClass('faded');
      found.forEach(function (n) {
        cy.getElementById(n.id).removeClass('faded').addClass('match');
      });
    });
    found.slice(0, 12).forEach(function (n) {
      results.appendChild(
        el(
          'li',
          null,
          el(
            'button',
            {
              type: 'button',
              onclick: function () {
                pick(n.id);
              },
            },
            el('i', { class: 'dot', style: 'background:' + colorOf[n.layer] }),
            n.label,
            el('span', { class: 'muted', text: n.resourceType }),
          ),
        ),
      );
    });
    if (!found.length) results.appendChild(el('li', { class: 'muted', text: 'No node matches "' + search.value + '"' }));
  });
  search.addEventListener('keydown', function (event) {
    if (event.key === 'Enter') {
      var first = matches(search.value)[0];
      if (first) pick(first.id);
    } else if (event.key === 'Escape') {
      search.value = '';
      search.dispatchEvent(new Event('input'));
    }
  });
  function pick(id) {
    results.replaceChildren();
    cy.nodes().removeClass('match');
    select(id, true);
  }

  // ---- details ------------------------------------------------------------------
  var details = document.getElementById('details-body');

  var main = document.querySelector('.lineage');
  function showDetails(open) {
    if (main.classList.contains('with-details') === open) return;
    main.classList.toggle('with-details', open);
    cy.resize();
  }
  document.getElementById('close-details').addEventListener('click', function () {
    showDetails(false);
    cy.$(':selected').unselect();
    clearFocus();
    history.replaceState(null, '', location.pathname);
  });

  function select(id, fromList) {
    var node = byId[id];
    if (!node) return;
    showDetails(true);
    if (node.resourceType === 'test' && !showTests.checked && fromList) {
      showTests.checked = true;
      layout();
    }
    focus(id);
    renderDetails(node);
    if (location.hash !== '#' + encodeURIComponent(id)) history.replaceState(null, '', '#' + encodeURIComponent(id));
  }

  function chip(id) {
    var n = byId[id];
    return el(
      'button',
      {
        class: 'chip',
        type: 'button',
        'data-node': id,
        onclick: function () {
          select(id, true);
        },
      },
      el('i', { class: 'dot', style: 'background:' + colorOf[n.layer] }),
      n.label,
    );
  }

  function testPill(test) {
    return el('span', { class: 'test ' + (test.status || ''), title: test.status ? 'last run: ' + test.status : 'not run yet', text: test.label });
  }

  function renderRun(run) {
    if (!run) return el('div', { class: 'run' }, 'Not run yet (no entry in target/run_results.json).');
    var parts = [fmt.elapsed(run.executionTime)];
    if (run.rowsAffected !== null && run.rowsAffected !== undefined) parts.push(fmt.number(run.rowsAffected) + ' rows');
    if (run.failures !== null && run.failures !== undefined) parts.push(fmt.number(run.failures) + ' failing rows');
    if (run.startedAt) parts.push('started ' + fmt.dateTime(run.startedAt));
    return el(
      'div',
      { class: 'run ' + statusClass(run.status) },
      'Last run: ',
      el('span', { class: 'status ' + statusClass(run.status), text: run.status }),
      ' · ' + parts.join(' · '),
      run.command ? el('span', { class: 'muted', text: ' (tspipe ' + run.command + ')' }) : null,
      run.message ? el('div', { class: 'message', text: run.message }) : null,
    );
  }

  function renderColumns(node) {
    if (!node.columns.length) return null;
    return [
      el('h3', { text: 'Columns (' + node.columns.length + ')' }),
      el(
        'table',
        { class: 'columns' },
        el('thead', null, el('tr', null, el('th', { text: 'Column' }), el('th', { text: 'Description and tests' }))),
        el(
          'tbody',
          null,
          node.columns.map(function (c) {
            return el(
              'tr',
              null,
              el('td', null, c.name, c.dataType ? el('span', { class: 'type', text: c.dataType }) : null),
              el(
                'td',
                null,
                el('div', { html: c.descriptionHtml || '<span class="muted">No description.</span>' }),
                c.tests.length ? el('div', { class: 'tests' }, c.tests.map(testPill)) : null,
              ),
            );
          }),
        ),
      ),
    ];
  }

  function renderSql(node) {
    var tabs = [];
    if (node.rawSql !== null) tabs.push({ name: 'Source', sql: node.rawSql });
    if (node.compiledSql !== null) tabs.push({ name: 'Compiled', sql: node.compiledSql });
    if (!tabs.length) return null;
    var pre = el('pre', { class: 'sql' });
    var buttons = tabs.map(function (tab, i) {
      return el(
        'button',
        {
          type: 'button',
          role: 'tab',
          'data-tab': tab.name.toLowerCase(),
          onclick: function () {
            show(i);
          },
        },
        tab.name,
      );
    });
    function show(i) {
      buttons.forEach(function (b, j) {
        b.setAttribute('aria-selected', String(i === j));
      });
      pre.replaceChildren(el('code', { html: highlightSql(tabs[i].sql) }));
      pre.setAttribute('data-showing', tabs[i].name.toLowerCase());
    }
    // Compiled first: it is what ran; the source shows the templating.
    show(tabs.length - 1);
    return [el('h3', { text: 'SQL' }), el('div', { class: 'tabs', role: 'tablist' }, buttons), pre];
  }

  function renderConfig(node) {
    var keys = Object.keys(node.config);
    if (!keys.length) return null;
    return [
      el('h3', { text: 'Config' }),
      el(
        'table',
        { class: 'kv' },
        el(
          'tbody',
          null,
          keys.map(function (k) {
            var v = node.config[k];
            return el('tr', null, el('th', { text: k }), el('td', null, el('code', { text: typeof v === 'string' ? v : JSON.stringify(v) })));
          }),
        ),
      ),
    ];
  }

  function renderDetails(node) {
    var notTest = function (id) {
      return byId[id].resourceType !== 'test';
    };
    var upstream = node.upstream.filter(notTest);
    var downstream = node.downstream.filter(notTest);
    details.replaceChildren();
    append(details, [
      el(
        'h2',
        null,
        node.label,
        el('span', { class: 'badge', style: 'background:' + colorOf[node.layer], text: layerName(node.layer) }),
        el('span', { class: 'badge neutral', text: node.resourceType }),
      ),
      el('div', { class: 'where' }, node.relation ? el('code', { text: node.relation }) : null, node.relation && node.path ? ' · ' : null, node.path || null),
      node.tags.length
        ? el(
            'div',
            { class: 'tests' },
            node.tags.map(function (t) {
              return el('span', { class: 'test', text: '#' + t });
            }),
          )
        : null,
      node.resourceType === 'source' ? null : renderRun(node.lastRun),
      el('div', { class: 'description', html: node.descriptionHtml || '<p class="muted">No description.</p>' }),
      renderColumns(node),
      node.tests.length ? [el('h3', { text: 'Tests on the model' }), el('div', { class: 'tests' }, node.tests.map(testPill))] : null,
      el('h3', { text: 'Upstream (' + upstream.length + ')' }),
      upstream.length ? el('div', { class: 'chips' }, upstream.map(chip)) : el('p', { class: 'muted', text: 'None: this is where data enters.' }),
      el('h3', { text: 'Downstream (' + downstream.length + ')' }),
      downstream.length ? el('div', { class: 'chips' }, downstream.map(chip)) : el('p', { class: 'muted', text: 'No model reads this node.' }),
      renderSql(node),
      renderConfig(node),
    ]);
    details.scrollTop = 0;
  }

  // ---- SQL highlighting (enough to read, not a parser) ---------------------------------
  var KEYWORDS = (
    'select from where group by order having limit offset join left right inner outer full cross on using as with ' +
    'union all distinct case when then else end and or not in is null like ilike between exists over partition window rows ' +
    'range preceding following current row filter create table view insert into values update delete set returning coalesce ' +
    'nullif cast interval true false asc desc nulls first last lateral recursive materialized any some'
  ).split(' ');
  var KW = {};
  KEYWORDS.forEach(function (k) {
    KW[k] = true;
  });
  var TOKEN = /(--[^\n]*|\/\*[\s\S]*?\*\/)|(\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\})|('(?:[^']|'')*')|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)/g;
  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function highlightSql(sql) {
    var out = '';
    var last = 0;
    sql.replace(TOKEN, function (match, comment, jinja, string, number, _word, offset) {
      out += escapeHtml(sql.slice(last, offset));
      last = offset + match.length;
      var cls = comment ? 'com' : jinja ? 'jinja' : string ? 'str' : number ? 'num' : KW[match.toLowerCase()] ? 'kw' : null;
      out += cls ? '<span class="' + cls + '">' + escapeHtml(match) + '</span>' : escapeHtml(match);
      return match;
    });
    return out + escapeHtml(sql.slice(last));
  }

  // ---- deep links: index.html#<unique_id> -------------------------------------------------
  function fromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (byId[id]) select(id, true);
  }
  window.addEventListener('hashchange', fromHash);
  fromHash();
})();
