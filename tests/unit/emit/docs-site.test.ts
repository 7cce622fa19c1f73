/** The site writer (files, embedded data, vendored libraries) and what serves it. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { dashboardHint, resolveRequest } from '../../../src/api/docs.js';
import { SITE_FILES, siteSourceDir } from '../../../src/emit/docs-assets.js';
import { buildDashboard, kpiRelations } from '../../../src/emit/docs-kpi.js';
import { dataScript, writeDocsSite } from '../../../src/emit/docs-site.js';
import type { DocsSiteData } from '../../../src/emit/docs-types.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tspipe-docs-unit-'));
  dirs.push(dir);
  return dir;
}

const DATA: DocsSiteData = {
  project: 'p',
  generatedAt: '2024-01-01T00:00:00Z',
  tspipeVersion: '0.0.0',
  target: 'dev',
  lineage: { nodes: [], edges: [], layers: [] },
  dashboard: buildDashboard({
    target: 'dev',
    relations: kpiRelations({ metadata: { project_name: 'p', generated_at: '' }, nodes: {}, sources: {} }),
    rows: {},
  }),
};

describe('docs site writer', () => {
  it('writes both pages, the data script and the libraries, replacing an older site', () => {
    const out = join(tempDir(), 'docs');
    mkdirSync(out);
    writeFileSync(join(out, 'stale.html'), 'old');
    const site = writeDocsSite(out, DATA);
    expect(site.index).toBe(join(out, 'index.html'));
    expect(readdirSync(out).sort()).toEqual(['assets', 'dashboard.html', 'data.js', 'index.html']);
    expect(readdirSync(join(out, 'assets/vendor')).sort()).toEqual(['chart.umd.min.js', 'cytoscape-dagre.min.js', 'cytoscape.min.js']);
    for (const file of readdirSync(join(out, 'assets/vendor'))) {
      // no map is copied, so no reference to one (a browser would request it)
      expect(readFileSync(join(out, 'assets/vendor', file), 'utf8')).not.toContain('sourceMappingURL');
    }
    // every script and stylesheet the pages load is in the site: nothing from a CDN
    for (const page of ['index.html', 'dashboard.html']) {
      const html = readFileSync(join(out, page), 'utf8');
      const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((r) => !r.endsWith('.html') && !r.startsWith('data:'));
      expect(refs.length).toBeGreaterThan(2);
      for (const ref of refs) expect(existsSync(join(out, ref)), `${page} -> ${ref}`).toBe(true);
    }
    expect(readdirSync(join(out, '..')).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('ships browser scripts that parse (classic scripts: file:// pages cannot load modules)', () => {
    for (const name of SITE_FILES.filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(siteSourceDir(), name), 'utf8');
      expect(() => new Script(code, { filename: name }), name).not.toThrow();
      expect(code, name).not.toMatch(/^\s*(import|export)\s/m);
    }
  });

  it('embeds the data as a script no content can break out of', () => {
    const script = dataScript({ ...DATA, project: '</script><script>alert(1)</script>\u2028' });
    expect(script).not.toContain('</script>');
    const window: { TSPIPE_DATA?: DocsSiteData } = {};
    new Function('window', script)(window);
    expect(window.TSPIPE_DATA!.project).toBe('</script><script>alert(1)</script>\u2028');
  });
});

describe('docs serve and build hints', () => {
  it('serves files inside the site folder only', () => {
    const root = tempDir();
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '');
    writeFileSync(join(root, 'assets/a.js'), '');
    expect(resolveRequest(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveRequest(root, '/assets/a.js?v=1')).toBe(join(root, 'assets/a.js'));
    expect(resolveRequest(root, '/assets/')).toBeNull();
    expect(resolveRequest(root, '/../../etc/passwd')).toBeNull();
    expect(resolveRequest(root, '/%2e%2e/%2e%2e/etc/passwd')).toBeNull();
    expect(resolveRequest(root, '/missing.html')).toBeNull();
  });

  it('tells where the dashboard is, or how to make it', () => {
    const project = tempDir();
    expect(dashboardHint(project)).toContain('run `tspipe docs generate`');
    mkdirSync(join(project, 'target/docs'), { recursive: true });
    writeFileSync(join(project, 'target/docs/dashboard.html'), '');
    expect(dashboardHint(project)).toMatch(/^KPI dashboard: target\/docs\/dashboard\.html/);
  });
});
