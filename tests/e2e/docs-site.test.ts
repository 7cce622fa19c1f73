/**
 * The docs site in a real browser (Debian's chromium driven by playwright-core):
 * the pipeline built on a small generated dataset, `docs generate` called in-process,
 * both pages opened from disk and over `docs serve`. Screenshots are saved under
 * target/docs-screenshots/ for people to look at.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDocs, serveDocs, type DocsOutcome } from '../../src/api/docs.js';
import { generate } from '../../src/api/generate.js';
import { TEST_DATABASES } from '../support/databases.js';
import { pipelineProjectFiles, REPO_ROOT } from '../support/pipeline-files.js';
import { createProject, type TestProject } from '../support/project.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(REPO_ROOT, 'target/docs-screenshots');
const pglite = TEST_DATABASES.find((d) => d.name === 'pglite')!;

/** Everything a page reports that a user would call broken. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  return problems;
}

interface ChartReport {
  id: string;
  labels: number;
  /** Labels the category axis shows after Chart.js skipped some (0 without one). */
  categoryTicks: number;
  legend: string[];
  points: number;
  inkedPixels: number;
}

/** Per canvas: its Chart.js instance's labels and data points, and how many pixels it painted. */
function chartReports(page: Page): Promise<ChartReport[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLCanvasElement>('canvas[data-chart]')].map((canvas) => {
      type ChartLike = {
        data: { labels?: unknown[]; datasets: { data: unknown[] }[] };
        scales: Record<string, { type: string; ticks: unknown[] }>;
        legend?: { legendItems?: { text: string }[] };
      };
      const chart = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): ChartLike | undefined } }).Chart.getChart(canvas);
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let inked = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) inked++;
      const points = chart ? chart.data.datasets.reduce((n, d) => n + d.data.filter((v) => v !== null && v !== undefined).length, 0) : 0;
      const labels = chart ? (chart.data.labels?.length ?? 0) || chart.data.datasets.length : 0;
      const category = chart ? Object.values(chart.scales).find((s) => s.type === 'category') : undefined;
      const legend = (chart?.legend?.legendItems ?? []).map((item) => item.text);
      return {
        id: canvas.dataset.chart!,
        labels,
        categoryTicks: category?.ticks.length ?? 0,
        legend,
        points,
        inkedPixels: inked / (canvas.width * canvas.height),
      };
    }),
  );
}

/** Per grid row of cards: how far its last card ends from the grid's right edge (px). */
function rowGaps(page: Page): Promise<{ card: string; gap: number }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.grid')].flatMap((grid) => {
      const right = grid.getBoundingClientRect().right;
      const cards = [...grid.children];
      return cards
        .filter((card, i) => !cards[i + 1] || cards[i + 1]!.getBoundingClientRect().top > card.getBoundingClientRect().top + 1)
        .map((card) => ({ card: (card as HTMLElement).dataset.card ?? '', gap: Math.round(right - card.getBoundingClientRect().right) }));
    }),
  );
}

/** The dashboard before the first build: a notice saying how to build the KPIs. */
async function openNotBuiltDashboard(browser: Browser, url: string): Promise<{ notice: string; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 600 } });
  const problems = watch(page);
  await page.goto(url);
  const notice = (await page.locator('#kpi-notice').textContent()) ?? '';
  await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-not-built.png') });
  await page.close();
  return { notice, problems };
}

describe.skipIf(!existsSync(CHROMIUM))(
  `docs site in headless chromium (pipeline on PGlite)${existsSync(CHROMIUM) ? '' : ` (skipped: no browser at ${CHROMIUM}: apt-get install chromium)`}`,
  () => {
    let project: TestProject;
    let env: NodeJS.ProcessEnv;
    let browser: Browser;
    let before: DocsOutcome;
    let after: DocsOutcome;
    let statuses: { status: string; users: number }[];
    let notBuilt: { notice: string; problems: string[] };

    beforeAll(async () => {
      project = await createProject(pglite, pipelineProjectFiles());
      await generate({ out: join(project.dir, 'seeds'), users: 300, games: 12, events: 5000, seed: 7 });
      // createProject points the embedded target at the test's database the same way
      env = { ...process.env, TSPIPE_PGLITE_DIR: project.created.spec.kind === 'pglite' ? project.created.spec.dataDir : '', TSPIPE_DATABASE_URL: '' };
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
      mkdirSync(SCREENSHOTS, { recursive: true });
      before = await generateDocs(project.options, { env });
      notBuilt = await openNotBuiltDashboard(browser, pathToFileURL(join(project.dir, before.dashboard)).href);
      const build = await project.run('build');
      const failed = build.results.filter((r) => r.status === 'error' || r.status === 'skipped');
      if (failed.length) throw new Error(`the pipeline did not build: ${failed.map((r) => `${r.uniqueId}: ${r.message}`).join('\n')}`);
      after = await generateDocs(project.options, { env });
      statuses = await project.query('select status, users::int as users from kpi.user_status_summary');
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
      await project?.cleanup();
    });

    const fileUrl = (page: string) => pathToFileURL(join(project.dir, after.dir, page)).href;

    it('says how to build the KPIs when the tables do not exist yet', async () => {
      expect(before.dashboardStatus).toBe('missing');
      expect(before.warnings.join('\n')).toContain('tspipe build');
      expect(notBuilt.notice).toContain('tspipe build');
      expect(notBuilt.problems).toEqual([]);
      expect(after.dashboardStatus).toBe('ok');
      expect(after.warnings).toEqual([]);
    });

    it('shows every KPI chart with data, and the user status numbers of kpi.user_status_summary', async () => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const problems = watch(page);
      await page.goto(fileUrl('dashboard.html'));
      await page.waitForFunction(() => Array.isArray((window as unknown as { TSPIPE_CHARTS?: unknown[] }).TSPIPE_CHARTS));
      await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png'), fullPage: true });

      const charts = await chartReports(page);
      expect(charts.map((c) => c.id)).toEqual(
        expect.arrayContaining([
          'user-status',
          'monthly-trend',
          'status-history',
          'mom-change',
          'seasonality',
          'distribution-age_range',
          'distribution-gender',
          'distribution-subscription_type',
          'game-popularity',
          'game-sessions',
          'location-users',
          'location-behaviour',
        ]),
      );
      for (const chart of charts) {
        expect(chart.labels, chart.id).toBeGreaterThan(0);
        // a 30-month axis shows most months, not two or three
        if (chart.categoryTicks) expect(chart.categoryTicks, `${chart.id} axis labels`).toBeGreaterThanOrEqual(Math.min(chart.labels, 8));
        expect(chart.points, chart.id).toBeGreaterThan(0);
        expect(chart.inkedPixels, `${chart.id} painted nothing`).toBeGreaterThan(0.02);
      }
      expect(await page.locator('.placeholder, #kpi-notice').count()).toBe(0);
      // one legend entry per colour: the seasonality bars are two blues
      expect(charts.find((c) => c.id === 'seasonality')!.legend).toEqual(['Typical month (1.0)', 'Busier than typical', 'Quieter than typical']);
      // no row of cards leaves a column empty, with three columns and, narrower, with two
      expect((await rowGaps(page)).filter((r) => r.gap > 2)).toEqual([]);
      await page.setViewportSize({ width: 1100, height: 900 });
      await page.waitForFunction(() => document.querySelector('.grid > .card')!.getBoundingClientRect().right < 1100);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
      expect((await rowGaps(page)).filter((r) => r.gap > 2)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-1100.png'), fullPage: true });

      // every card says what it shows, where it comes from and as of when
      const cards = await page.locator('article.card').evaluateAll((els) =>
        els.map((e) => ({
          title: e.querySelector('h3')?.textContent ?? '',
          explain: e.querySelector('.explain')?.textContent ?? '',
          footer: e.querySelector('footer')?.textContent ?? '',
        })),
      );
      expect(cards.length).toBeGreaterThanOrEqual(charts.length);
      for (const card of cards) {
        expect(card.title).not.toBe('');
        expect(card.explain.length, card.title).toBeGreaterThan(20);
        expect(card.footer, card.title).toMatch(/Source: kpi\..*As of /);
      }
      expect(await page.locator('#subtitle').textContent()).toContain(after.asOfDate!);

      expect(statuses.map((s) => s.status)).toEqual(['active', 'churned', 'inactive']);
      for (const { status, users } of statuses) {
        const shown = await page.locator(`[data-status="${status}"] .value`).textContent();
        expect(Number(shown!.replace(/\D/g, '')), status).toBe(users);
      }
      expect(problems).toEqual([]);
      await page.close();
    });

    it('collapses the dashboard to one column in a narrow window', async () => {
      const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
      const problems = watch(page);
      await page.goto(fileUrl('dashboard.html'));
      await page.waitForFunction(() => Array.isArray((window as unknown as { TSPIPE_CHARTS?: unknown[] }).TSPIPE_CHARTS));
      const boxes = await page.locator('article.card').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, right: r.right })));
      expect(new Set(boxes.map((b) => Math.round(b.x))).size).toBe(1);
      expect(Math.max(...boxes.map((b) => b.right))).toBeLessThanOrEqual(420);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
      for (const chart of await chartReports(page)) expect(chart.inkedPixels, chart.id).toBeGreaterThan(0.02);
      await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-narrow.png'), fullPage: true });
      expect(problems).toEqual([]);
      await page.close();
    });

    it("draws the whole lineage and shows a node's SQL, docs and run when it is clicked", async () => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const problems = watch(page);
      await page.goto(fileUrl('index.html'));
      await page.waitForFunction(() => Boolean((window as unknown as { TSPIPE_CY?: unknown }).TSPIPE_CY));
      await page.screenshot({ path: join(SCREENSHOTS, 'lineage.png') });

      const graph = await page.evaluate(() => {
        const cy = (window as unknown as { TSPIPE_CY: { nodes(): { map<T>(f: (n: { id(): string; data(k: string): string }) => T): T[] } } }).TSPIPE_CY;
        return cy.nodes().map((n) => n.id());
      });
      for (const id of [
        'seed.gaming_kpis.events',
        'model.gaming_kpis.raw_events',
        'model.gaming_kpis.clean_events',
        'model.gaming_kpis.user_kpis',
        'source.gaming_kpis.landing.load_rejects',
      ]) {
        expect(graph).toContain(id);
      }

      // a real click on the node where cytoscape drew it
      const target = 'model.gaming_kpis.user_status_summary';
      const point = await page.evaluate((id) => {
        const cy = (window as unknown as { TSPIPE_CY: { getElementById(id: string): { renderedPosition(): { x: number; y: number } } } }).TSPIPE_CY;
        const box = document.getElementById('graph')!.getBoundingClientRect();
        const p = cy.getElementById(id).renderedPosition();
        return { x: box.x + p.x, y: box.y + p.y };
      }, target);
      await page.mouse.click(point.x, point.y);
      const details = page.locator('#details-body');
      await expect.poll(() => details.locator('h2').textContent()).toContain('user_status_summary');
      const compiled = await details.locator('pre.sql').textContent();
      expect(compiled).toMatch(/from \(values \('active', 1\)/);
      expect(compiled).toContain('"kpi"."user_kpis"');
      await details.locator('.tabs button[data-tab="source"]').click();
      expect(await details.locator('pre.sql').textContent()).toContain("{{ ref('user_kpis') }}");
      expect(await details.locator('.run').textContent()).toMatch(/Last run: success/);
      expect(await details.textContent()).toContain('Users per status, always three rows');
      expect(await details.locator('table.columns').textContent()).toContain('accepted_values');
      await page.screenshot({ path: join(SCREENSHOTS, 'lineage-selected.png') });

      // upstream chips and the search box lead to other nodes
      await details.locator('.chip[data-node="model.gaming_kpis.user_kpis"]').click();
      await expect.poll(() => details.locator('h2').textContent()).toContain('user_kpis');
      await page.fill('#search', 'seasonal');
      await expect.poll(() => page.locator('#search-results button').first().textContent()).toBe('seasonalitymodel');
      await page.press('#search', 'Enter');
      await expect.poll(() => details.locator('h2').textContent()).toContain('seasonality');
      expect(problems).toEqual([]);
      await page.close();
    });

    it('serves the site on localhost with every file it needs', async () => {
      const server = await serveDocs({ projectDir: project.dir, port: 0 });
      try {
        expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
        const page = await browser.newPage();
        const problems = watch(page);
        for (const url of [server.url, server.dashboardUrl]) {
          const response = await page.goto(url);
          expect(response?.status()).toBe(200);
          await page.waitForLoadState('networkidle');
        }
        expect(problems).toEqual([]);
        await page.close();
      } finally {
        await server.close();
      }
    });
  },
);
