/**
 * Renders a model with *resolving* hooks: ref() returns the relation (or the CTE of
 * an ephemeral model, whose SQL is then injected as a CTE). A model whose template
 * queries the database (run_query, dbt_utils.star...) renders with a WarehouseSession:
 * compileModelWithDatabase replays the whole render until every statement has run.
 */
import type { LogLine } from '../context/builtins.js';
import { formatBatchTime } from '../config/microbatch-config.js';
import { DbtRelation, type RelationType } from '../context/relation.js';
import { renderWithoutWarehouse, type WarehouseSession } from '../context/warehouse.js';
import { ProjectError } from '../errors.js';
import type { Manifest, ModelNode, RelationName, SeedNode, SourceNode } from '../parse/manifest.js';
import type { RenderHooks } from '../parse/render-hooks.js';
import { graphDict, nodeDict } from '../parse/node-dict.js';
import { trackReads, type RenderReads } from '../parse/render-hooks.js';
import { mergeReads } from '../context/render-reads.js';
import { resolveRef } from '../parse/resolve-refs.js';
import type { CompiledTemplate, TemplateEngine } from '../parse/template-engine.js';
import { Relation } from './relation.js';
import { injectCtes, type Cte } from './inject-ctes.js';

export interface CompileContext {
  manifest: Manifest;
  engine: TemplateEngine;
  templates: Map<string, CompiledTemplate>;
  /** True when the model is incremental, its table exists and no full refresh runs. */
  isIncremental?: (node: ModelNode) => boolean;
  /** A microbatch batch being compiled: ref()/source() of parents with `event_time` read only this window. */
  eventTimeWindow?: { start: Date; end: Date };
}

export interface CompiledModel {
  node: ModelNode;
  /** The SELECT (with ephemeral CTEs injected) that the materialization wraps. */
  sql: string;
  relation: Relation;
  /** What the render read; the compile cache keys on it. */
  inputs: CompileInputs;
}

/** Everything a compile render looked at besides the project-wide state. */
export interface CompileInputs {
  /** The model, then the ephemeral parents rendered into it as CTEs. */
  rendered: string[];
  /** Names passed to ref(), by any of those templates. */
  refs: string[];
  sources: [string, string][];
  /** A template read `graph`: the output depends on the whole manifest. */
  graph: boolean;
  reads: RenderReads;
}

/** Compiles without a database: a template that queries one is an error saying so. */
export function compileModel(node: ModelNode, context: CompileContext): CompiledModel {
  return renderWithoutWarehouse(() => compileOnce(node, context, undefined), `model ${node.name} (${node.originalFilePath})`);
}

/** Compiles against the database: statements the templates run go through `session`. */
export async function compileModelWithDatabase(node: ModelNode, context: CompileContext, session: WarehouseSession): Promise<CompiledModel> {
  const reads: RenderReads = { env: {}, volatile: false };
  const compiled = await context.engine.replay(session, (log) => {
    const attempt = compileOnce(node, context, session, log);
    mergeReads(reads, attempt.inputs.reads);
    return attempt;
  });
  // A render that asked the database gives another answer when the data changes: never cached.
  if (session.used) reads.volatile = true;
  return { ...compiled, inputs: { ...compiled.inputs, reads } };
}

function compileOnce(node: ModelNode, context: CompileContext, session: WarehouseSession | undefined, log?: (line: LogLine) => void): CompiledModel {
  const ctes: Cte[] = [];
  const seen: RenderState['seen'] = { rendered: [], refs: new Set(), sources: [], graph: false };
  const { value: sql, reads } = trackReads(() => renderModel(node, context, { ctes, stack: [node.uniqueId], seen, session, log }));
  const inputs = { rendered: seen.rendered, refs: [...seen.refs], sources: seen.sources, graph: seen.graph, reads };
  return { node, sql: injectCtes(sql, ctes), relation: Relation.of(node.relation), inputs };
}

interface RenderState {
  ctes: Cte[];
  stack: string[];
  seen: { rendered: string[]; refs: Set<string>; sources: [string, string][]; graph: boolean };
  session?: WarehouseSession;
  log?: (line: LogLine) => void;
}

function renderModel(node: ModelNode, context: CompileContext, state: RenderState): string {
  const template = context.templates.get(node.uniqueId) ?? context.engine.compile(node.rawCode, node.originalFilePath);
  state.seen.rendered.push(node.uniqueId);
  return context.engine.render(template, resolvingHooks(node, context, state), state.log);
}

/** The hooks a node's templates render with: ref()/source() give relations, `this` is the node. */
function resolvingHooks(node: ModelNode | SeedNode, context: CompileContext, state: RenderState): RenderHooks {
  const { manifest } = context;
  return {
    file: node.originalFilePath,
    packageName: node.packageName,
    execute: true,
    session: state.session,
    ref(first, second, version) {
      const [packageName, name] = second === undefined ? [undefined, first] : [first, second];
      state.seen.refs.add(name);
      const parent = manifest.nodes[resolveRef(manifest, name, packageName, node.packageName, version) ?? ''];
      if (!parent) throw new ProjectError(`ref("${name}") names a model or seed that does not exist`);
      if (parent.resourceType === 'model' && parent.config.materialized === 'ephemeral') {
        if (state.stack.includes(parent.uniqueId))
          throw new ProjectError(`ephemeral models refer to each other: ${[...state.stack, parent.uniqueId].join(' -> ')}`);
        const cteName = `__dbt__cte__${parent.name}`;
        if (!state.ctes.some((c) => c.name === cteName)) {
          const parentSql = renderModel(parent, context, { ...state, stack: [...state.stack, parent.uniqueId] });
          state.ctes.push({ name: cteName, sql: parentSql });
        }
        return new DbtRelation({ identifier: cteName, type: 'cte' }, undefined, { database: false, schema: false, identifier: true });
      }
      const relation = templateRelation(parent.relation, parent.resourceType === 'model' ? relationType(parent.config.materialized) : 'table');
      return filterToBatch(relation, parent.config.event_time, context);
    },
    source(sourceName, table) {
      if (!state.seen.sources.some(([s, t]) => s === sourceName && t === table)) state.seen.sources.push([sourceName, table]);
      const source = findSource(manifest, sourceName, table);
      if (!source) throw new ProjectError(`source("${sourceName}", "${table}") is not declared`);
      return filterToBatch(templateRelation(source.relation, 'table'), source.eventTime, context);
    },
    config: () => undefined,
    configGet: (key, fallback) => node.config[key] ?? fallback,
    isIncremental: () => node.resourceType === 'model' && (context.isIncremental?.(node) ?? false),
    thisRelation: templateRelation(node.relation, node.resourceType === 'model' ? relationType(node.config.materialized) : 'table'),
    model: () => withBatch(nodeDict(node), context.eventTimeWindow),
    graph: () => {
      state.seen.graph = true;
      return graphDict(manifest);
    },
  };
}

/**
 * Renders another template in a node's context (a pre-hook or post-hook), with the
 * database at hand: `{% do adapter.drop_relation(this) %}` runs on `session`.
 */
export async function renderForNode(node: ModelNode | SeedNode, context: CompileContext, source: string, session: WarehouseSession): Promise<string> {
  const template = context.engine.compile(source, node.originalFilePath);
  return context.engine.replay(session, (log) => {
    const state: RenderState = { ctes: [], stack: [node.uniqueId], seen: { rendered: [], refs: new Set(), sources: [], graph: false }, session, log };
    return context.engine.render(template, resolvingHooks(node, context, state), log);
  });
}

/** dbt's `model.batch` while a microbatch batch compiles: its id and window. */
function withBatch(dict: Record<string, unknown>, window: CompileContext['eventTimeWindow']): Record<string, unknown> {
  if (!window) return dict;
  const id = window.start.toISOString().slice(0, 13).replace(/[-:]/g, '').replace(/T00$/, '');
  return { ...dict, batch: { id, event_time_start: formatBatchTime(window.start), event_time_end: formatBatchTime(window.end) } };
}

/** dbt filters a batch's parents (refs and sources) that declare `event_time` to the batch's window. */
function filterToBatch(relation: DbtRelation, eventTime: unknown, context: CompileContext): DbtRelation {
  const window = context.eventTimeWindow;
  if (!window || typeof eventTime !== 'string' || !eventTime) return relation;
  return relation.withEventTimeFilter({ field_name: eventTime, start: formatBatchTime(window.start), end: formatBatchTime(window.end) });
}

export function templateRelation(relation: RelationName, type: RelationType): DbtRelation {
  return new DbtRelation({ schema: relation.schema, identifier: relation.identifier, type });
}

function relationType(materialized: string): RelationType {
  return materialized === 'view' ? 'view' : materialized === 'ephemeral' ? 'cte' : 'table';
}

/** source(name, table) lookups: an index per manifest instead of a scan per call. */
const sourceIndexes = new WeakMap<Manifest, { sources: Manifest['sources']; byName: Map<string, SourceNode> }>();

export function findSource(manifest: Manifest, sourceName: string, table: string): SourceNode | undefined {
  let index = sourceIndexes.get(manifest);
  if (!index || index.sources !== manifest.sources) {
    const byName = new Map<string, SourceNode>();
    for (const source of Object.values(manifest.sources)) {
      const key = `${source.sourceName}\0${source.name}`;
      if (!byName.has(key) || source.packageName === manifest.rootPackage) byName.set(key, source);
    }
    index = { sources: manifest.sources, byName };
    sourceIndexes.set(manifest, index);
  }
  return index.byName.get(`${sourceName}\0${table}`);
}
