/*
 * The KPI dashboard page: header, a notice when the kpi tables are not built, then
 * the sections (dashboard-*.js, in the order the page loads them) from the kpi
 * tables embedded at generation time (window.TSPIPE_DATA.dashboard).
 */
(function () {
  'use strict';
  var data = window.TSPIPE_DATA;
  var fmt = window.TspipeFormat;
  var el = window.TspipeDom.el;
  var dash = data.dashboard;
  var tables = dash.tables;
  var content = document.getElementById('content');

  Chart.defaults.animation = false; // charts are drawn once, from data that does not change
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#4a5262';
  Chart.defaults.plugins.legend.labels.boxWidth = 12;

  // ---- header -----------------------------------------------------------------------
  document.getElementById('project-name').textContent = data.project;
  document.getElementById('meta').textContent = 'target ' + data.target + ' · generated ' + fmt.dateTime(data.generatedAt);
  document.title = data.project + ' · KPI dashboard · tspipe';
  var asOf = dash.asOfDate ? fmt.date(dash.asOfDate) : null;
  document.getElementById('subtitle').textContent = asOf
    ? 'User behaviour and game performance as of ' + asOf + ' (as_of_date ' + dash.asOfDate + '), from the kpi tables of target ' + dash.target + '.'
    : 'From the kpi tables of target ' + dash.target + '.';

  if (dash.status === 'missing' || dash.status === 'unavailable') {
    var hasKpiModels = Object.keys(tables).some(function (name) {
      return tables[name].relation;
    });
    content.appendChild(
      el(
        'section',
        { class: 'notice' + (dash.status === 'unavailable' ? ' bad' : ''), id: 'kpi-notice' },
        el('h2', { text: dash.status === 'unavailable' ? 'The KPI tables could not be read' : 'No KPI data yet' }),
        // the CLI's message repeats the commands below, in terminal style
        dash.status === 'missing' && hasKpiModels ? null : el('p', { text: dash.message || '' }),
        hasKpiModels
          ? [
              el('p', {
                text:
                  (dash.status === 'missing' ? 'The KPI tables are not built in target ' + dash.target + ' yet. ' : '') +
                  'Build the pipeline, then generate the docs again:',
              }),
              el('pre', null, el('code', { text: 'tspipe build\ntspipe docs generate' })),
              el('p', null, 'Meanwhile, the ', el('a', { href: 'index.html', text: 'lineage' }), ' shows how each KPI is derived.'),
            ]
          : el('p', null, 'The ', el('a', { href: 'index.html', text: 'lineage' }), ' documents every model of the project.'),
      ),
    );
    return;
  }
  if (dash.status === 'partial') {
    content.appendChild(el('section', { class: 'notice', id: 'kpi-notice' }, el('p', { text: dash.message || '' })));
  }

  var kit = window.TspipeDashboard.kit(dash, content);
  window.TspipeDashboard.sections.forEach(function (render) {
    render(kit);
  });
  var grids = [].slice.call(content.querySelectorAll('.grid'));
  var fill = function () {
    grids.forEach(window.TspipeDashboard.fillRows);
  };
  fill();
  window.addEventListener('resize', fill);
  // for the browser test, and for poking around in the console
  window.TSPIPE_CHARTS = kit.charts;
})();
