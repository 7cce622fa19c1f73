/**
 * `tspipe show`: the first rows of a model's compiled SELECT, or of an inline query,
 * as `dbt show` gives them. Read only: the query runs in a read-only transaction, and
 * a model's parents must already be built (the model itself need not be).
 */
import { openAdapter } from '../adapter/open-adapter.js';
import { compileModelWithDatabase } from '../compile/compile-model.js';
import { qualifiedName } from '../contract/index.js';
import { WarehouseSession } from '../context/warehouse.js';
import { DatabaseError, UsageError } from '../errors.js';
import type { ModelNode } from '../parse/manifest.js';
import { loadProject, selectForCommand, type LoadedProject, type ProjectOptions } from './load-project.js';

export const DEFAULT_SHOW_LIMIT = 5;

export interface ShowOptions extends ProjectOptions {
  select?: string[];
  exclude?: string[];
  /** SQL (Jinja allowed: ref, source, macros) to run instead of a selected node. */
  inline?: string;
  /** Rows to fetch; a negative number fetches all of them (dbt's --limit -1). */
  limit?: number;
}

export interface ShowPreview {
  /** The node's name, or 'inline_query'. */
  node: string;
  /** The compiled SQL that ran, without the limit. */
  sql: string;
  columns: string[];
  rows: Record<string, unknown>[];
}

export interface ShowOutcome {
  previews: ShowPreview[];
  unmatched: string[];
  limit: number;
}

export async function showNodes(options: ShowOptions, env: NodeJS.ProcessEnv = process.env): Promise<ShowOutcome> {
  if (!options.inline === !options.select?.length) {
    throw new UsageError('tspipe show needs either --select NODE or --inline "select ..."', {
      hint: 'e.g. tspipe show --select user_kpis, or tspipe show --inline "select * from {{ ref(\'user_kpis\') }}"',
    });
  }
  const limit = options.limit ?? DEFAULT_SHOW_LIMIT;
  const project = loadProject({ ...options, command: 'show' }, env);
  const targets = options.inline !== undefined ? { nodes: [inlineNode(project, options.inline)], unmatched: [] } : selectedNodes(project, options);
  if (!targets.nodes.length) {
    throw new UsageError(`--select ${options.select!.join(' ')} selects no model or seed`, {
      hint: 'name a model or seed of the project (tspipe ls lists them)',
    });
  }
  const adapter = await openAdapter(project.target.connection, { lockWait: true });
  try {
    const previews = await adapter.transaction(async (tx) => {
      await tx.exec('set transaction read only');
      const context = { manifest: project.manifest, engine: project.parsed.engine, templates: project.parsed.templates };
      const shown: ShowPreview[] = [];
      for (const node of targets.nodes) {
        const sql = node.resourceType === 'model' ? (await compileModelWithDatabase(node, context, new WarehouseSession(tx))).sql : node.sql;
        const result = await tx.query(limitedSql(sql, limit)).catch((error: unknown) => {
          throw withMissingRelationHint(error, node.name);
        });
        shown.push({ node: node.name, sql, columns: result.fields.map((f) => f.name), rows: result.rows });
      }
      return shown;
    });
    return { previews, unmatched: targets.unmatched, limit };
  } finally {
    await adapter.close();
  }
}

type ShowTarget = ModelNode | { resourceType: 'seed'; name: string; sql: string };

function selectedNodes(project: LoadedProject, options: ShowOptions): { nodes: ShowTarget[]; unmatched: string[] } {
  const selection = selectForCommand(project, { select: options.select, exclude: options.exclude, resourceTypes: ['model', 'seed'] });
  const nodes = selection.ordered.map((id): ShowTarget => {
    const node = project.manifest.nodes[id]!;
    if (node.resourceType === 'model') return node;
    return { resourceType: 'seed', name: node.name, sql: `select * from ${qualifiedName(node.relation.schema, node.relation.identifier)}` };
  });
  return { nodes, unmatched: selection.unmatched };
}

/** dbt's inline query: a model of the root project that exists only for this command. */
function inlineNode(project: LoadedProject, sql: string): ModelNode {
  const name = 'inline_query';
  return {
    uniqueId: `sql_operation.${project.config.name}.${name}`,
    resourceType: 'model',
    name,
    packageName: project.config.name,
    originalFilePath: '--inline',
    fqn: [project.config.name, name],
    description: '',
    columns: {},
    checksum: '',
    rawCode: sql,
    config: { enabled: true, materialized: 'view', tags: [] },
    relation: { schema: project.target.schema, identifier: name },
    refs: [],
    sources: [],
    dependsOn: [],
    tests: [],
  };
}

/** The query wrapped so any SELECT (CTEs, its own limit, a trailing comment or semicolon) gets the limit. */
export function limitedSql(sql: string, limit: number): string {
  const body = sql.trim().replace(/;\s*$/, '');
  return limit < 0 ? body : `select * from (\n${body}\n) as show_query limit ${limit}`;
}

/** PostgreSQL's undefined_table: show reads what is built, so say what to build. */
function withMissingRelationHint(error: unknown, name: string): unknown {
  if (!(error instanceof DatabaseError) || error.code !== '42P01') return error;
  const build = name === 'inline_query' ? 'the models it reads' : `its parents (tspipe run --select +${name})`;
  return new DatabaseError(error.message, {
    code: error.code,
    position: error.position,
    detail: error.detail,
    model: name === 'inline_query' ? undefined : name,
    hint: `show reads the database as it is: build ${build} first`,
    cause: error,
  });
}
