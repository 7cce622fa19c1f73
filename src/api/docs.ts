/**
 * `tspipe docs generate` and `tspipe docs serve`. Generate writes the manifest, reads
 * the artifacts back (manifest, run results, compiled SQL) and the kpi tables from the
 * target (one read-only transaction, then closed: PGlite allows one process at a
 * time), and hands all of it to the site writer. Serve is a small static server.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, relative, resolve, sep } from 'node:path';
import { describeConnection, openAdapter } from '../adapter/open-adapter.js';
import { compileModel } from '../compile/compile-model.js';
import { loadProjectConfig } from '../config/load-project-config.js';
import { buildLineage } from '../emit/docs-graph.js';
import { emptyCatalog, readCatalog, type CatalogJson } from '../emit/catalog-json.js';
import { buildDashboard, kpiRelations, readKpiTables } from '../emit/docs-kpi.js';
import { writeDocsSite } from '../emit/docs-site.js';
import type { DashboardData, KpiRow, KpiTableName, ManifestJson, RunResultsJson } from '../emit/docs-types.js';
import { TspipeError, UsageError } from '../errors.js';
import { TSPIPE_VERSION } from '../version.js';
import { artifactWriterFor, writeManifest } from './artifacts.js';
import { loadProject, type LoadedProject, type ProjectOptions } from './load-project.js';

export interface DocsDeps {
  env?: NodeJS.ProcessEnv;
  /** Progress notes (e.g. waiting for the embedded database); warnings come back in the outcome. */
  onInfo?: (message: string) => void;
}

export interface DocsOutcome {
  /** Paths relative to the project dir. */
  dir: string;
  index: string;
  dashboard: string;
  nodes: number;
  dashboardStatus: DashboardData['status'];
  asOfDate: string | null;
  warnings: string[];
}

export async function generateDocs(options: ProjectOptions, deps: DocsDeps = {}): Promise<DocsOutcome> {
  const project = loadProject(options, deps.env);
  const { projectDir, targetPath } = project.config;
  const writer = artifactWriterFor(project);
  const manifest = JSON.parse(readFileSync(join(projectDir, writeManifest(project, writer)), 'utf8')) as ManifestJson;
  const warnings: string[] = [];
  const runResults = readRunResults(
    join(projectDir, targetPath, 'run_results.json'),
    warnings,
    project.target.name,
    describeConnection(project.target.connection),
  );
  const compiledSql = readCompiledSql(project, manifest, warnings);
  const { dashboard, catalog } = await readDatabase(project, manifest, deps);
  if (dashboard.message) warnings.push(dashboard.message);
  // dbt's catalog.json, for the tools that read it beside manifest.json.
  writeFileSync(join(projectDir, targetPath, 'catalog.json'), `${JSON.stringify(catalog, null, 2)}\n`);
  const site = writeDocsSite(join(projectDir, targetPath, 'docs'), {
    project: manifest.metadata.project_name,
    generatedAt: new Date().toISOString(),
    tspipeVersion: TSPIPE_VERSION,
    target: project.target.name,
    lineage: buildLineage({ manifest, runResults, compiledSql }),
    dashboard,
  });
  const rel = (path: string) => relative(projectDir, path).split(sep).join('/');
  return {
    dir: rel(site.dir),
    index: rel(site.index),
    dashboard: rel(site.dashboard),
    nodes: Object.keys(manifest.nodes).length + Object.keys(manifest.sources).length,
    dashboardStatus: dashboard.status,
    asOfDate: dashboard.asOfDate,
    warnings,
  };
}

/** The last run's results, if that run wrote to the database the docs are generated for. */
function readRunResults(path: string, warnings: string[], target: string, database: string): RunResultsJson | null {
  if (!existsSync(path)) return null;
  let results: RunResultsJson;
  try {
    results = JSON.parse(readFileSync(path, 'utf8')) as RunResultsJson;
  } catch (error) {
    warnings.push(`cannot read ${path} (${(error as Error).message}): the site shows no run status`);
    return null;
  }
  const { target_name: runTarget, target_database: runDatabase } = results.metadata ?? {};
  if ((runDatabase ?? database) !== database || (runTarget ?? target) !== target) {
    warnings.push(
      `the last run was on ${runDatabase ?? `target ${runTarget}`}, not on ${database} (target ${target}): the site shows no run status; run tspipe build on this target, or docs generate with --target ${runTarget}`,
    );
    return null;
  }
  return results;
}

/** What the last run compiled (target/compiled/), else the model compiled now (no database: is_incremental() is false). */
function readCompiledSql(project: LoadedProject, manifest: ManifestJson, warnings: string[]): Record<string, string | null> {
  const { projectDir, targetPath } = project.config;
  const compiled: Record<string, string | null> = {};
  const context = { manifest: project.manifest, engine: project.parsed.engine, templates: project.parsed.templates };
  for (const node of Object.values(manifest.nodes)) {
    if (node.resource_type !== 'model' && node.resource_type !== 'test') continue;
    const path = node.compiled_path ?? (node.original_file_path?.endsWith('.sql') ? `compiled/${node.original_file_path}` : undefined);
    const file = path ? join(projectDir, targetPath, path) : undefined;
    if (file && existsSync(file)) {
      compiled[node.unique_id] = readFileSync(file, 'utf8');
      continue;
    }
    const model = project.manifest.nodes[node.unique_id];
    if (model?.resourceType !== 'model') continue;
    try {
      compiled[node.unique_id] = compileModel(model, context).sql;
    } catch (error) {
      warnings.push(`cannot compile ${node.name} for the docs: ${(error as Error).message}`);
    }
  }
  return compiled;
}

/** The KPI tables for the dashboard and the catalog of what is built, in one read-only transaction. */
async function readDatabase(project: LoadedProject, manifest: ManifestJson, deps: DocsDeps): Promise<{ dashboard: DashboardData; catalog: CatalogJson }> {
  const relations = kpiRelations(manifest);
  const target = project.target.name;
  const meta = { database: project.target.database ?? null, version: TSPIPE_VERSION };
  const empty = (error?: string) => ({ dashboard: buildDashboard({ target, relations, rows: {}, error }), catalog: emptyCatalog(meta.version) });
  // never create the embedded database just to find it empty
  const { connection } = project.target;
  if (connection.kind === 'pglite' && !connection.dataDir.startsWith('memory://') && !existsSync(join(connection.dataDir, 'PG_VERSION'))) return empty();
  try {
    const adapter = await openAdapter(project.target.connection, {
      lockWait: true,
      onLockWait: (holder) => deps.onInfo?.(`waiting for ${holder} to release the embedded database...`),
    });
    try {
      return await adapter.transaction(async (tx) => {
        await tx.exec('set transaction read only');
        const rows: Partial<Record<KpiTableName, KpiRow[]>> = Object.values(relations).some(Boolean) ? await readKpiTables(tx, relations) : {};
        return { dashboard: buildDashboard({ target, relations, rows }), catalog: await readCatalog(tx, manifest, meta) };
      });
    } finally {
      await adapter.close();
    }
  } catch (error) {
    if (!(error instanceof TspipeError)) throw error;
    return empty(error.message);
  }
}

// ---- serve --------------------------------------------------------------------------

export interface ServeOptions {
  projectDir?: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface DocsServer {
  url: string;
  dashboardUrl: string;
  /** The folder served, relative to the project dir. */
  dir: string;
  server: Server;
  close(): Promise<void>;
}

export const DEFAULT_DOCS_PORT = 8080;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves target/docs/ on 127.0.0.1 only: the site may hold business numbers. */
export async function serveDocs(options: ServeOptions): Promise<DocsServer> {
  const config = loadProjectConfig(options.projectDir ?? process.cwd());
  const root = resolve(config.projectDir, config.targetPath, 'docs');
  if (!existsSync(join(root, 'index.html'))) {
    throw new UsageError(`no docs site in ${relative(process.cwd(), root) || root}`, { hint: 'run `tspipe docs generate` first' });
  }
  const server = createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = resolveRequest(root, request.url ?? '/');
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const body = readFileSync(file);
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': body.length,
      // regenerated sites show at once
      'cache-control': 'no-cache',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  const port = await listen(server, options.port ?? DEFAULT_DOCS_PORT);
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    dashboardUrl: `${url}dashboard.html`,
    dir: relative(config.projectDir, root).split(sep).join('/'),
    server,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** The file a URL names inside root, or null (missing, a folder, or outside root). */
export function resolveRequest(root: string, url: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url, 'http://localhost').pathname);
  } catch {
    return null;
  }
  if (pathname.endsWith('/')) pathname += 'index.html';
  const file = resolve(root, `.${pathname}`);
  if (file !== root && !file.startsWith(root + sep)) return null;
  return existsSync(file) && statSync(file).isFile() ? file : null;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      fail(
        error.code === 'EADDRINUSE'
          ? new UsageError(`port ${port} is already in use`, { hint: 'pick another with --port N, or --port 0 for any free port' })
          : error,
      );
    });
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      done(typeof address === 'object' && address ? address.port : port);
    });
  });
}

// ---- for `tspipe build` ----------------------------------------------------------------

/** One line for the end of `tspipe build`: where the KPI dashboard is and how to refresh it. */
export function dashboardHint(projectDir: string, targetPath = 'target'): string {
  const dashboard = join(targetPath, 'docs', 'dashboard.html').split(sep).join('/');
  return existsSync(join(projectDir, dashboard))
    ? `KPI dashboard: ${dashboard} (refresh it with \`tspipe docs generate\`, browse it with \`tspipe docs serve\`)`
    : `KPI dashboard: run \`tspipe docs generate\` to write ${dashboard}, then \`tspipe docs serve\``;
}
